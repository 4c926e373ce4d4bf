#include "places/corrections.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "places/communes.hpp"
#include "places/opening_hours.hpp"
#include "places/schema.hpp"
#include "places/store.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "platform/services.hpp"

namespace passerelle::places {

namespace {

std::string normalised(std::string_view text) {
  std::string out;
  for (char c : str::trim(text))
    if (c != '\r') out += c;  // browsers send a textarea's lines with CRLF
  return out;
}

Error field_error(Field f, std::string key, std::vector<std::pair<std::string, std::string>> args = {}) {
  Error e = Error::validation(std::string(name_of(f)), std::move(key));
  e.args = std::move(args);
  return e;
}

// The checks of one new value; nothing when it is fine. `value` may be rewritten (repaired hours).
std::optional<Error> check_value(Field f, std::string& value) {
  if (!str::valid_utf8(value)) return field_error(f, "places_pages.correction.bad_text");
  if (utf8_length(value) > kMaxCorrectionValue)
    return field_error(f, "places_pages.correction.too_long", {{"max", std::to_string(kMaxCorrectionValue)}});
  const auto& schema = TableSchema::embedded();
  if (const FieldSpec* spec = schema.find(name_of(f)))
    if (auto issue = schema.check(*spec, value)) return field_error(f, issue->reason, issue->args);
  const auto& communes = Communes::embedded();
  switch (f) {
    case Field::horaires: {
      auto parsed = parse_or_repair(value);
      if (!parsed) {
        Error e = parsed.error();
        e.field = std::string(name_of(f));
        return e;
      }
      value = parsed->osm;
      break;
    }
    case Field::code_insee:
      if (!communes.find_by_insee(value)) return field_error(f, "places.reason.unknown_commune");
      break;
    case Field::code_postal:
      if (communes.find_by_postal_code(value).empty()) return field_error(f, "places.reason.unknown_postal_code");
      break;
    default:
      break;
  }
  return std::nullopt;
}

std::string changes_json(const std::vector<Change>& changes) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& c : changes) a.push_back({{"field", std::string(name_of(c.field))}, {"before", c.before}, {"after", c.after}});
  return a.dump();
}

std::vector<Change> changes_of(std::string_view json) {
  std::vector<Change> out;
  auto a = nlohmann::json::parse(json, nullptr, false);
  if (!a.is_array()) return out;
  for (const auto& c : a)
    if (auto f = field_of(c.value("field", ""))) out.push_back({*f, c.value("before", ""), c.value("after", "")});
  return out;
}

std::optional<CorrectionStatus> parse_status(std::string_view s) {
  if (s == "pending") return CorrectionStatus::pending;
  if (s == "accepted") return CorrectionStatus::accepted;
  if (s == "rejected") return CorrectionStatus::rejected;
  return std::nullopt;
}

const char* kSelect =
    "SELECT c.id, c.place_id, p.nom, p.code_insee, c.changes, c.comment, c.author_id, c.status, c.created_at, c.decided_at, "
    "c.decision_reason FROM place_corrections c JOIN places p ON p.id = c.place_id ";

Correction correction_of(const db::Row& r) {
  Correction c;
  c.id = r.int64(0);
  c.place_id = r.int64(1);
  c.place_name = r.str(2);
  c.code_insee = r.str(3);
  c.changes = changes_of(r.text(4));
  c.comment = r.str(5);
  c.author_id = r.opt_int(6);
  c.status = parse_status(r.text(7)).value_or(CorrectionStatus::pending);
  c.created_at = r.int64(8);
  c.decided_at = r.opt_int(9);
  c.decision_reason = r.str(10);
  return c;
}

std::vector<Correction> select(db::Database& db, const std::string& where, const db::Params& params) {
  auto conn = db.read();
  auto rows = conn->query(kSelect + where, params);
  std::vector<Correction> out;
  for (auto r : rows) out.push_back(correction_of(r));
  return out;
}

}  // namespace

bool correctable(Field f) { return f != Field::id && f != Field::source && f != Field::date_maj; }

std::string_view name(CorrectionStatus s) {
  switch (s) {
    case CorrectionStatus::pending: return "pending";
    case CorrectionStatus::accepted: return "accepted";
    case CorrectionStatus::rejected: return "rejected";
  }
  return "pending";
}

std::vector<Change> check_proposal(const Place& place, const Proposal& proposal, Errors& errors) {
  std::vector<Change> changes;
  size_t before = errors.size();
  for (size_t i = 0; i < kFieldCount; ++i) {
    Field f = static_cast<Field>(i);
    auto it = proposal.values.find(name_of(f));
    if (!correctable(f) || it == proposal.values.end()) continue;
    std::string value = normalised(it->second);
    const std::string& current = place.fields[f];
    if (value == normalised(current)) continue;
    if (value.empty()) {
      errors.push_back(field_error(f, "places_pages.correction.empty_value"));
      continue;
    }
    if (auto e = check_value(f, value)) {
      errors.push_back(std::move(*e));
      continue;
    }
    if (value != current) changes.push_back({f, current, value});
  }
  // Coordinates go by pair (merge.hpp): the correction carries both, and the pair must be in France.
  auto changed = [&](Field f) { return std::any_of(changes.begin(), changes.end(), [&](const Change& c) { return c.field == f; }); };
  bool lat = changed(Field::latitude), lon = changed(Field::longitude);
  if (lat != lon) {
    Field other = lat ? Field::longitude : Field::latitude;
    if (place.fields[other].empty()) errors.push_back(field_error(other, "places.reason.half_coordinates"));
    else changes.push_back({other, place.fields[other], place.fields[other]});
  }
  if ((lat || lon) && errors.size() == before) {
    Record r;
    for (const auto& c : changes)
      if (c.field == Field::latitude || c.field == Field::longitude) r[c.field] = c.after;
    auto la = r.latitude(), lo = r.longitude();
    if (!la || !lo || !in_france(*la, *lo)) errors.push_back(field_error(Field::latitude, "places.reason.outside_france"));
  }
  std::string comment = normalised(proposal.comment);
  if (comment.empty()) errors.push_back(Error::validation("commentaire", "places_pages.correction.comment_required"));
  else if (!str::valid_utf8(comment) || utf8_length(comment) > kMaxCorrectionComment)
    errors.push_back(Error::validation("commentaire", "places_pages.correction.comment_too_long").with("max", std::to_string(kMaxCorrectionComment)));
  if (errors.size() == before && changes.empty()) errors.push_back(Error::validation("", "places_pages.correction.no_change"));
  if (errors.size() != before) changes.clear();
  return changes;
}

Result<int64_t> propose(db::Database& db, int64_t place_id, const Proposal& proposal, Errors& errors, int64_t now) {
  auto place = find(db, place_id);
  if (!place) return Error::not_found("places_pages.place.not_found");
  auto changes = check_proposal(*place, proposal, errors);
  if (!errors.empty()) return errors.front();
  return db.transaction([&](db::Connection& conn) -> Result<int64_t> {
    auto rows = conn.query("INSERT INTO place_corrections (place_id, changes, previous, comment, author_id, status, created_at) "
                           "VALUES (?, ?, ?, ?, ?, 'pending', ?) RETURNING id",
                           {place_id, changes_json(changes), record_to_json(place->fields), normalised(proposal.comment), proposal.author, now});
    return rows[0].int64(0);
  });
}

std::vector<Correction> pending_corrections(db::Database& db) {
  return select(db, "WHERE c.status = 'pending' ORDER BY c.created_at, c.id", {});
}

std::optional<Correction> find_correction(db::Database& db, int64_t id) {
  auto list = select(db, "WHERE c.id = ?", {id});
  if (list.empty()) return std::nullopt;
  return list.front();
}

std::vector<Correction> history(db::Database& db, int64_t place_id) {
  return select(db, "WHERE c.place_id = ? AND c.status = 'accepted' ORDER BY c.decided_at DESC, c.id DESC", {place_id});
}

passerelle::Status decide(db::Database& db, int64_t correction_id, bool accept, std::string_view reason_in, int64_t moderator,
              std::optional<int64_t> territory, int64_t now) {
  std::string reason = normalised(reason_in);
  if (!str::valid_utf8(reason) || utf8_length(reason) > kMaxCorrectionComment)
    return Error::validation("reason", "places_pages.correction.comment_too_long").with("max", std::to_string(kMaxCorrectionComment));
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    auto rows = conn.query("SELECT place_id, changes FROM place_corrections WHERE id = ?", {correction_id});
    auto row = rows.first();
    if (!row) return Error::not_found("places_pages.moderation.unknown");
    int64_t place_id = row->int64(0);
    auto changes = changes_of(row->text(1));
    int64_t n = conn.exec("UPDATE place_corrections SET status = ?, decided_at = ?, decided_by = ?, decision_reason = ? WHERE id = ? AND status = 'pending'",
                          {accept ? "accepted" : "rejected", now, moderator, reason, correction_id});
    if (n == 0) return Error::conflict("", "places_pages.moderation.already_decided");
    if (accept) {
      Source s;
      s.name = std::string(kCorrectionSource);
      s.source_id = std::to_string(correction_id);
      s.date_maj = i18n::iso_date(now);
      for (const auto& c : changes) s.record[c.field] = c.after;
      s.record[Field::date_maj] = s.date_maj;
      attach(conn, place_id, s, now);
    }
    audit::record(conn, moderator, territory, accept ? "places.correction.accepted" : "places.correction.rejected",
                  "place_correction:" + std::to_string(correction_id), reason);
    return passerelle::Ok{};
  });
}

}  // namespace passerelle::places
