#include "consultations/source.hpp"

#include "consultations/store.hpp"
#include "practices/model.hpp"

namespace passerelle::consultations {

namespace {

class ContributionSource : public search::Source {
 public:
  std::string kind() const override { return "contribution"; }
  std::optional<search::Document> load(db::Connection& conn, int64_t id) override {
    auto c = find_contribution(conn, id);
    if (!c || c->status != Status::published) return std::nullopt;
    auto p = find_process(conn, c->process_id);
    if (!p || p->status != ProcessStatus::published) return std::nullopt;
    return to_document(*p, *c);
  }
  void each_public(db::Connection& conn, const std::function<void(search::Document&&)>& emit) override {
    // By process, then by batches of contributions (a process can hold millions).
    for (auto pr : conn.query("SELECT id FROM processes WHERE status = 'published' ORDER BY id")) {
      auto p = find_process(conn, pr.int64(0));
      if (!p) continue;
      int64_t after = 0;
      for (;;) {
        auto ids = conn.query("SELECT id FROM contributions WHERE process_id = ? AND status = 'published' AND id > ? ORDER BY id LIMIT 1000", {p->id, after});
        if (ids.empty()) break;
        for (auto r : ids) {
          after = r.int64(0);
          if (auto c = find_contribution(conn, after)) emit(to_document(*p, *c));
        }
      }
    }
  }
};

class ProcessSource : public search::Source {
 public:
  std::string kind() const override { return "process"; }
  std::optional<search::Document> load(db::Connection& conn, int64_t id) override {
    auto p = find_process(conn, id);
    if (!p || p->status != ProcessStatus::published) return std::nullopt;
    return to_document(*p);
  }
  void each_public(db::Connection& conn, const std::function<void(search::Document&&)>& emit) override {
    for (auto r : conn.query("SELECT id FROM processes WHERE status = 'published' ORDER BY id"))
      if (auto p = find_process(conn, r.int64(0))) emit(to_document(*p));
  }
};

}  // namespace

search::Document to_document(const Process& p, const Contribution& c) {
  search::Document d;
  d.kind = "contribution";
  d.id = c.id;
  d.territory = p.territory_slug;
  d.title = c.title;
  d.body = c.body;
  if (!c.answer_text.empty()) d.body += "\n\n" + c.answer_text;
  d.url = "/contributions/" + std::to_string(c.id);
  d.date = c.created_at;
  d.facets.push_back({"process", p.title});
  if (!c.section.empty()) d.facets.push_back({"section", c.section});
  if (c.answer) d.facets.push_back({"answer", std::string(name(*c.answer))});
  d.facets.push_back({"channel", std::string(name(c.channel))});
  return d;
}

search::Document to_document(const Process& p) {
  search::Document d;
  d.kind = "process";
  d.id = p.id;
  d.territory = p.territory_slug;
  d.title = p.title;
  d.summary = p.summary;
  d.body = practices::markdown_to_text(p.body);
  d.url = "/consultations/" + std::to_string(p.id);
  d.date = p.created_at;
  return d;
}

void register_search(search::Service& service) {
  service.add_source(std::make_unique<ProcessSource>());
  service.add_source(std::make_unique<ContributionSource>());
}

}  // namespace passerelle::consultations
