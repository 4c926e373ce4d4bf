#include "search/sources.hpp"

#include <cmark.h>

namespace passerelle::search {

std::string markdown_to_text(std::string_view markdown) {
  cmark_node* doc = cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT);
  std::string out;
  cmark_iter* it = cmark_iter_new(doc);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node* node = cmark_iter_get_node(it);
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
      case CMARK_NODE_CODE_BLOCK:
        if (const char* literal = cmark_node_get_literal(node)) out += literal;
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK: out += ' '; break;
      case CMARK_NODE_PARAGRAPH:
      case CMARK_NODE_HEADING:
      case CMARK_NODE_ITEM:
        if (ev == CMARK_EVENT_EXIT && !out.empty() && out.back() != '\n') out += "\n\n";
        break;
      default: break;
    }
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

namespace {

class TerritorySource final : public Source {
 public:
  std::string kind() const override { return "territory"; }

  std::optional<Document> load(db::Connection& conn, int64_t id) override {
    auto rows = conn.query(std::string(kSelect) + "WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return from_row(rows[0]);
  }

  void each_public(db::Connection& conn, const std::function<void(Document&&)>& emit) override {
    for (auto r : conn.query(std::string(kSelect) + "ORDER BY id")) emit(from_row(r));
  }

 private:
  static constexpr const char* kSelect = "SELECT id, slug, name, kind, summary, created_at FROM territories ";

  static Document from_row(const db::Row& r) {
    Document d;
    d.kind = "territory";
    d.id = r.int64(0);
    d.territory = r.str(1);
    d.title = r.str(2);
    d.summary = markdown_to_text(r.text(4));
    d.url = "/t/" + d.territory + "/";
    d.date = r.int64(5);
    d.facets.push_back({"territory_kind", r.str(3)});  // commune, intercommunalite… (shown translated)
    return d;
  }
};

}  // namespace

std::unique_ptr<Source> territory_source() { return std::make_unique<TerritorySource>(); }

}  // namespace passerelle::search
