#include "places/store.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "places/merge.hpp"

namespace passerelle::places {

namespace {

constexpr size_t kLat = static_cast<size_t>(Field::latitude), kLon = static_cast<size_t>(Field::longitude);

std::string column(size_t i) { return i == 0 ? "ident" : std::string(kFieldNames[i]); }

const std::string& select_columns() {
  static const std::string cols = [] {
    std::string s = "id";
    for (size_t i = 0; i < kFieldCount; ++i) s += ", " + column(i);
    return s;
  }();
  return cols;
}

Place place_of(const db::Row& row) {
  Place p;
  p.id = row.int64(0);
  for (size_t i = 0; i < kFieldCount; ++i) {
    if ((i == kLat || i == kLon) && !row.null(i + 1)) p.fields.values[i] = format_coordinate(row.real(i + 1));
    else p.fields.values[i] = row.str(i + 1);
  }
  return p;
}

db::Param value_param(const Record& r, size_t i) {
  if (i == kLat || i == kLon) {
    auto v = i == kLat ? r.latitude() : r.longitude();
    return v ? db::Param(*v) : db::Param();
  }
  return db::Param(r.values[i]);
}

std::string slug(std::string_view text) {
  std::string out;
  for (char c : normalise_text(text)) out += c == ' ' ? '-' : c;
  return out.empty() ? "source" : out;
}

// The place's own identifier: the source's id when no place holds it yet.
std::string free_ident(db::Connection& conn, const Source& s) {
  std::string base = s.source_id.empty() ? slug(s.name) : s.source_id;
  for (int n = 0;; ++n) {
    std::string candidate = n == 0 ? base : n == 1 ? slug(s.name) + "-" + base : slug(s.name) + "-" + base + "-" + std::to_string(n);
    if (conn.query("SELECT 1 FROM places WHERE ident = ?", {candidate}).empty()) return candidate;
  }
}

void recompute(db::Connection& conn, int64_t place_id, int64_t now) {
  auto ident_rows = conn.query("SELECT ident FROM places WHERE id = ?", {place_id});
  Record merged = resolve(sources_of(conn, place_id), ident_rows[0].str(0));
  std::string sql = "UPDATE places SET ";
  db::Params params;
  for (size_t i = 1; i < kFieldCount; ++i) {
    sql += column(i) + " = ?, ";
    params.push_back(value_param(merged, i));
  }
  sql += "name_key = ?, address_key = ?, updated_at = ? WHERE id = ?";
  params.insert(params.end(), {name_key_of(merged), address_key(merged), now, place_id});
  conn.exec(sql, params);
}

}  // namespace

std::string format_coordinate(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

std::string record_to_json(const Record& r) {
  nlohmann::json o = nlohmann::json::object();
  for (size_t i = 0; i < kFieldCount; ++i)
    if (!r.values[i].empty()) o[std::string(kFieldNames[i])] = r.values[i];
  return o.dump();
}

Record record_from_json(std::string_view json) {
  Record r;
  auto o = nlohmann::json::parse(json, nullptr, false);
  if (!o.is_object()) return r;
  for (auto it = o.begin(); it != o.end(); ++it)
    if (auto f = field_of(it.key()); f && it->is_string()) r[*f] = it->get<std::string>();
  return r;
}

std::vector<Source> sources_of(db::Connection& conn, int64_t place_id) {
  std::vector<Source> out;
  auto rows = conn.query("SELECT source, source_id, date_maj, file, record FROM place_sources WHERE place_id = ? ORDER BY id", {place_id});
  for (auto row : rows) out.push_back({row.str(0), row.str(1), row.str(2), row.str(3), record_from_json(row.text(4))});
  return out;
}

Saved save(db::Connection& conn, const Source& s, int64_t now) {
  std::string json = record_to_json(s.record);
  auto known = conn.query("SELECT place_id FROM place_sources WHERE source = ? AND source_id = ?", {s.name, s.source_id});
  if (!known.empty()) {
    int64_t place_id = known[0].int64(0);
    conn.exec("UPDATE place_sources SET date_maj = ?, file = ?, record = ?, imported_at = ? WHERE source = ? AND source_id = ?",
              {s.date_maj, s.file, json, now, s.name, s.source_id});
    recompute(conn, place_id, now);
    return {place_id, SaveKind::updated};
  }
  // Candidates: the same real pivot or the same name; the rules of merge.hpp decide.
  const Record& r = s.record;
  // same_place() never matches without the same real pivot or the same normalised name, so those
  // two indexes give every candidate (the box of points around it only added places that could
  // not match: 300 rows read per record at 100,000 generated places). The placeholder pivot is
  // left out: thousands of places hold it. Only what same_place() reads is fetched.
  std::string sql = "SELECT id, pivot, nom, adresse, code_postal, latitude, longitude FROM places WHERE name_key = ?";
  db::Params params{name_key_of(r)};
  if (!is_placeholder_pivot(r[Field::pivot])) {
    sql += " OR pivot = ?";
    params.push_back(r[Field::pivot]);
  }
  auto candidates = conn.query(sql + " ORDER BY id", params);
  int64_t place_id = 0;
  for (auto row : candidates) {
    Record c;
    c[Field::pivot] = row.str(1);
    c[Field::nom] = row.str(2);
    c[Field::adresse] = row.str(3);
    c[Field::code_postal] = row.str(4);
    if (!row.null(5) && !row.null(6)) {
      c[Field::latitude] = format_coordinate(row.real(5));
      c[Field::longitude] = format_coordinate(row.real(6));
    }
    if (same_place(c, r) != MatchRule::none) {
      place_id = row.int64(0);
      break;
    }
  }
  if (place_id != 0) {
    conn.exec("INSERT INTO place_sources (place_id, source, source_id, date_maj, file, record, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
              {place_id, s.name, s.source_id, s.date_maj, s.file, json, now});
    recompute(conn, place_id, now);
    return {place_id, SaveKind::merged};
  }
  // A new place: its values are its only source's, written at once (no recompute to read back).
  static const std::string insert_sql = [] {
    std::string cols = "ident", marks = "?";
    for (size_t i = 1; i < kFieldCount; ++i) cols += ", " + column(i), marks += ", ?";
    return "INSERT INTO places (" + cols + ", name_key, address_key, created_at, updated_at) VALUES (" + marks + ", ?, ?, ?, ?) RETURNING id";
  }();
  std::string ident = free_ident(conn, s);
  Record merged = resolve({s}, ident);
  db::Params values{ident};
  for (size_t i = 1; i < kFieldCount; ++i) values.push_back(value_param(merged, i));
  values.insert(values.end(), {name_key_of(merged), address_key(merged), now, now});
  auto rows = conn.query(insert_sql, values);
  place_id = rows[0].int64(0);
  conn.exec("INSERT INTO place_sources (place_id, source, source_id, date_maj, file, record, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            {place_id, s.name, s.source_id, s.date_maj, s.file, json, now});
  return {place_id, SaveKind::created};
}

void attach(db::Connection& conn, int64_t place_id, const Source& s, int64_t now) {
  std::string json = record_to_json(s.record);
  conn.exec("DELETE FROM place_sources WHERE source = ? AND source_id = ?", {s.name, s.source_id});
  conn.exec("INSERT INTO place_sources (place_id, source, source_id, date_maj, file, record, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            {place_id, s.name, s.source_id, s.date_maj, s.file, json, now});
  recompute(conn, place_id, now);
}

std::optional<Place> find(db::Connection& conn, int64_t id) {
  auto rows = conn.query("SELECT " + select_columns() + " FROM places WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  Place p = place_of(rows[0]);
  p.sources = sources_of(conn, id);
  return p;
}

std::optional<Place> find(db::Database& db, int64_t id) {
  auto conn = db.read();
  return find(*conn, id);
}

void each(db::Connection& conn, const std::function<void(const Place&)>& fn) {
  int64_t after = 0;
  for (;;) {
    auto rows = conn.query("SELECT " + select_columns() + " FROM places WHERE id > ? ORDER BY id LIMIT 500", {after});
    if (rows.empty()) return;
    for (auto row : rows) {
      Place p = place_of(row);
      p.sources = sources_of(conn, p.id);
      after = p.id;
      fn(p);
    }
  }
}

int64_t count(db::Connection& conn) {
  auto rows = conn.query("SELECT COUNT(*) FROM places");
  return rows[0].int64(0);
}

}  // namespace passerelle::places
