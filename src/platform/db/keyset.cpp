#include "platform/db/keyset.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace passerelle::db {

namespace {

struct Anchor {
  size_t segment = 0;
  std::vector<int64_t> key;
};

// The anchors of one walk in one state of the data: anchors[i] is the key of row i * kAnchorStep.
struct AnchorList {
  std::mutex mutex;
  std::string marker;
  std::vector<Anchor> anchors;
  bool ended = false;  // no row at the position the next anchor would take
};

constexpr size_t kMaxWalks = 64;  // at 2,000,000 rows, a walk read to its end holds 20,000 anchors (about 1 MB)

std::mutex registry_mutex;
std::map<std::string, std::shared_ptr<AnchorList>> registry;

std::string walk_id(const Database& db, const std::vector<KeysetSegment>& segments) {
  std::string id = db.describe();
  id += '@';
  id += std::to_string(reinterpret_cast<uintptr_t>(&db));
  for (const auto& s : segments) {
    id += '\n';
    id += s.from_where;
    for (const auto& k : s.key) id += '|', id += k;
    id += s.descending ? " desc" : " asc";
    id += " from " + (s.start ? std::to_string(*s.start) : "-") + " before " + (s.stop ? std::to_string(*s.stop) : "-");
    for (const auto& p : s.params) {
      id += '\x1f';
      id += std::to_string(static_cast<int>(p.kind));
      id += p.kind == Param::Kind::integer ? std::to_string(p.i) : p.kind == Param::Kind::real ? std::to_string(p.d) : p.s;
    }
  }
  return id;
}

std::string key_list(const KeysetSegment& s) {
  std::string out;
  for (size_t i = 0; i < s.key.size(); ++i) out += (i ? ", " : "") + s.key[i];
  return out;
}

std::string order_by(const KeysetSegment& s) {
  std::string out;
  for (size_t i = 0; i < s.key.size(); ++i) out += (i ? ", " : "") + s.key[i] + (s.descending ? " DESC" : " ASC");
  return out;
}

// The segment's rows from `from` on (inclusive), in order: its SQL and parameters.
std::string from_anchor(const KeysetSegment& s, const std::vector<int64_t>* from, Params& params) {
  params = s.params;
  std::string sql = s.from_where;
  const char* on = s.descending ? "<=" : ">=";
  const char* before = s.descending ? ">" : "<";
  // One bound on the leading key on each side (SQLite seeks an index range on it, not on the row
  // value): the anchor's lies within the segment's, so it replaces it.
  if (auto first = from ? std::optional<int64_t>(from->front()) : s.start)
    sql += " AND " + s.key[0] + " " + on + " ?", params.emplace_back(*first);
  if (s.stop) sql += " AND " + s.key[0] + " " + before + " ?", params.emplace_back(*s.stop);
  if (from) {
    sql += " AND (" + key_list(s) + ") " + on + " (";
    for (size_t i = 0; i < from->size(); ++i) sql += i ? ", ?" : "?", params.emplace_back((*from)[i]);
    sql += ")";
  }
  return sql;
}

// The key of the row `skip` rows after the start (the anchor, or the segment's first row).
std::optional<std::vector<int64_t>> key_at(Connection& conn, const KeysetSegment& s, const std::vector<int64_t>* from, int64_t skip) {
  Params p;
  std::string sql = "SELECT " + key_list(s) + " " + from_anchor(s, from, p) + " ORDER BY " + order_by(s) + " LIMIT 1 OFFSET ?";
  p.emplace_back(skip);
  auto rows = conn.query(sql, p);
  if (rows.empty()) return std::nullopt;
  std::vector<int64_t> key;
  for (size_t i = 0; i < s.key.size(); ++i) key.push_back(rows[0].int64(i));
  return key;
}

// How many rows the segment has from the start, counting at most `bound`.
int64_t count_from(Connection& conn, const KeysetSegment& s, const std::vector<int64_t>* from, int64_t bound) {
  Params p;
  std::string sql = "SELECT count(*) FROM (SELECT 1 " + from_anchor(s, from, p) + " LIMIT ?) AS bounded";
  p.emplace_back(bound);
  return conn.query(sql, p)[0].int64(0);
}

// The row `skip` rows after position (segment, from), crossing into later segments.
std::optional<Anchor> advance(Connection& conn, const std::vector<KeysetSegment>& segments, size_t segment,
                              const std::vector<int64_t>* from, int64_t skip) {
  for (; segment < segments.size(); ++segment, from = nullptr) {
    if (auto key = key_at(conn, segments[segment], from, skip)) return Anchor{segment, std::move(*key)};
    skip -= count_from(conn, segments[segment], from, skip);
  }
  return std::nullopt;
}

// Builds anchors up to index `wanted` (or the end of the walk); returns the index of the last one
// at or below it, none for an empty walk.
std::optional<size_t> anchor_for(Connection& conn, const std::vector<KeysetSegment>& segments, AnchorList& list, size_t wanted) {
  if (list.anchors.empty() && !list.ended) {
    if (auto first = advance(conn, segments, 0, nullptr, 0)) list.anchors.push_back(std::move(*first));
    else list.ended = true;
  }
  while (list.anchors.size() <= wanted && !list.ended) {
    const Anchor& last = list.anchors.back();
    if (auto next = advance(conn, segments, last.segment, &last.key, kAnchorStep)) list.anchors.push_back(std::move(*next));
    else list.ended = true;
  }
  if (list.anchors.empty()) return std::nullopt;
  return std::min(wanted, list.anchors.size() - 1);
}

// Reads `limit` ids from `skip` rows after the start, crossing segments as the walk goes.
std::vector<int64_t> read_ids(Connection& conn, const std::vector<KeysetSegment>& segments, size_t segment,
                              const std::vector<int64_t>* from, int64_t skip, int64_t limit) {
  std::vector<int64_t> ids;
  for (; segment < segments.size() && limit > 0; ++segment, from = nullptr) {
    const KeysetSegment& s = segments[segment];
    Params p;
    std::string sql = "SELECT " + s.key.back() + " " + from_anchor(s, from, p) + " ORDER BY " + order_by(s) + " LIMIT ? OFFSET ?";
    p.emplace_back(limit);
    p.emplace_back(skip);
    size_t before = ids.size();
    for (auto r : conn.query(sql, p)) ids.push_back(r.int64(0));
    int64_t got = static_cast<int64_t>(ids.size() - before);
    // Fewer than asked: the segment ended, after using all of `skip` if it returned any row.
    skip = got > 0 || skip == 0 ? 0 : skip - count_from(conn, s, from, skip);
    limit -= got;
  }
  return ids;
}

std::shared_ptr<AnchorList> list_of(const std::string& id) {
  std::lock_guard lock(registry_mutex);
  auto it = registry.find(id);
  if (it != registry.end()) return it->second;
  if (registry.size() >= kMaxWalks) registry.clear();  // rare: many filters; anchors are rebuilt on demand
  return registry.emplace(id, std::make_shared<AnchorList>()).first->second;
}

}  // namespace

std::vector<int64_t> keyset_page(Database& db, Connection& conn, const std::vector<KeysetSegment>& segments,
                                 int64_t offset, int64_t limit) {
  if (segments.empty() || limit <= 0) return {};
  // Read before the rows: anchors found now reflect data at least as new as the marker, so a
  // later commit always moves it and drops them.
  std::string marker = db.change_marker();
  if (marker.empty() || offset < kAnchorStep) return read_ids(conn, segments, 0, nullptr, std::max<int64_t>(offset, 0), limit);
  auto list = list_of(walk_id(db, segments));
  Anchor anchor;
  int64_t position = 0;
  {
    std::lock_guard lock(list->mutex);  // held while anchors are found, not while the page is read
    if (list->marker != marker) list->marker = marker, list->anchors.clear(), list->ended = false;
    auto index = anchor_for(conn, segments, *list, static_cast<size_t>(offset / kAnchorStep));
    if (!index) return {};
    anchor = list->anchors[*index];
    position = static_cast<int64_t>(*index) * kAnchorStep;
  }
  return read_ids(conn, segments, anchor.segment, &anchor.key, offset - position, limit);
}

void keyset_forget() {
  std::lock_guard lock(registry_mutex);
  registry.clear();
}

}  // namespace passerelle::db
