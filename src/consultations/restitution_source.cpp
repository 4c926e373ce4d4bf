#include "consultations/restitution_source.hpp"

#include <unordered_map>

#include "consultations/store.hpp"

namespace passerelle::consultations {

Result<restitution::Corpus> restitution_corpus(db::Database& db, int64_t process_id) {
  auto p = find_process(db, process_id);
  if (!p || p->status != ProcessStatus::published) return Error::not_found("consultations.not_found");
  restitution::Corpus corpus;
  corpus.format = "consultation";
  std::unordered_map<std::string, uint32_t> groups, channels;
  for (const auto& s : p->sections) {
    groups.emplace(s, static_cast<uint32_t>(corpus.groups.size()));
    corpus.groups.push_back(s);
  }
  const std::pair<const char*, const char*> kChannels[] = {{"online", "en ligne"}, {"mediator", "médiateur"}, {"paper", "papier"}};
  for (const auto& [key, label] : kChannels) {
    channels.emplace(key, static_cast<uint32_t>(corpus.channels.size()));
    corpus.channels.emplace_back(label);
  }
  auto conn = db.read();
  int64_t after = 0;
  // By batches of ids: a consultation can hold millions of contributions.
  for (;;) {
    auto rows = conn->query("SELECT id, section, title, body, channel, created_at FROM contributions "
                            "WHERE process_id = ? AND status = 'published' AND id > ? ORDER BY id LIMIT 5000",
                            {process_id, after});
    if (rows.empty()) break;
    for (auto r : rows) {
      after = r.int64(0);
      restitution::Contribution c;
      c.id = "#" + std::to_string(after);
      c.text = r.str(2) + "\n\n" + r.str(3);
      c.date = r.int64(5);
      if (auto g = groups.find(r.str(1)); g != groups.end()) c.group = g->second;
      if (auto ch = channels.find(r.str(4)); ch != channels.end()) c.channel = ch->second;
      c.line = static_cast<uint32_t>(corpus.items.size() + 1);
      corpus.items.push_back(std::move(c));
      ++corpus.records;
    }
  }
  // The others are only counted (method section): never analysed, never quoted.
  auto others = conn->query("SELECT status, count(*) FROM contributions WHERE process_id = ? AND status <> 'published' GROUP BY status",
                            {process_id});
  for (const char* status : {"pending", "hidden", "withdrawn", "trashed"})
    for (auto r : others)
      if (r.str(0) == status && r.int64(1) > 0) corpus.excluded.emplace_back(status, static_cast<size_t>(r.int64(1)));
  if (corpus.items.empty()) return Error::validation("process", "consultations.restitution.empty");
  return corpus;
}

}  // namespace passerelle::consultations
