// Processes, their phases, people registered by mediators and residencies.
#include <algorithm>

#include "consultations/store_shared.hpp"
#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/services.hpp"
#include "search/service.hpp"

namespace passerelle::consultations {

using detail::join;
using detail::split_nonempty;

namespace {

const char* const kProcessSelect =
    "SELECT p.id, p.territory_id, t.slug, t.name, p.status, p.title, p.summary, p.body, p.themes, p.sections, p.vote_mode, "
    "p.support_limit, p.premoderation, p.audience, p.min_age, p.residency, p.communes, p.created_at, p.updated_at "
    "FROM processes p JOIN territories t ON t.id = p.territory_id ";

Process process_from_row(const db::Row& r) {
  Process p;
  p.id = r.int64(0);
  p.territory_id = r.int64(1);
  p.territory_slug = r.str(2);
  p.territory_name = r.str(3);
  p.status = r.text(4) == "published" ? ProcessStatus::published : r.text(4) == "trashed" ? ProcessStatus::trashed : ProcessStatus::draft;
  p.title = r.str(5);
  p.summary = r.str(6);
  p.body = r.str(7);
  p.themes = split_nonempty(r.text(8), ' ');
  p.sections = split_nonempty(r.text(9), '\n');
  p.vote_mode = r.text(10) == "support" ? VoteMode::support : VoteMode::opinion;
  p.support_limit = static_cast<int>(r.int64(11));
  p.premoderation = r.int64(12) != 0;
  p.rules.audience = r.text(13) == "residents" ? Audience::residents : Audience::anyone;
  p.rules.min_age = static_cast<int>(r.int64(14));
  p.rules.residency = r.text(15) == "verified" ? Residency::verified : Residency::declared;
  p.communes = split_nonempty(r.text(16), ' ');
  p.created_at = r.int64(17);
  p.updated_at = r.int64(18);
  return p;
}

void load_phases(db::Connection& conn, Process& p) {
  for (auto r : conn.query("SELECT id, kind, starts_at, ends_at, allows FROM process_phases WHERE process_id = ? ORDER BY starts_at, position", {p.id})) {
    Phase ph;
    ph.id = r.int64(0);
    ph.kind = parse_phase_kind(r.text(1)).value_or(PhaseKind::information);
    ph.starts_at = r.int64(2);
    ph.ends_at = r.int64(3);
    for (auto a : split_nonempty(r.text(4), ' '))
      if (auto action = parse_action(a)) ph.allows.push_back(*action);
    p.phases.push_back(std::move(ph));
  }
}

bool valid_commune(std::string_view c) {
  return c.size() == 5 && std::all_of(c.begin(), c.end(), [](char ch) { return (ch >= '0' && ch <= '9') || ch == 'A' || ch == 'B'; });
}

}  // namespace

std::string Actor::voter_key() const {
  if (participant_id) return "p:" + std::to_string(*participant_id);
  return user_id ? "u:" + std::to_string(*user_id) : std::string();
}

Result<Participant> register_participant(db::Database& db, int64_t territory_id, const std::string& display_name,
                                         const std::string& commune, bool consent, bool residency_verified, int64_t mediator) {
  std::string name(str::trim(display_name));
  if (name.empty()) return Error::validation("display_name", "consultations.participant.name_required");
  if (name.size() > 100) return Error::validation("display_name", "consultations.participant.name_too_long");
  if (!consent) return Error::validation("consent", "consultations.participant.consent_required");
  std::string c(str::trim(commune));
  if (!c.empty() && !valid_commune(c)) return Error::validation("commune", "consultations.participant.commune_invalid");
  int64_t now = unix_now();
  return db.transaction([&](db::Connection& conn) -> Result<Participant> {
    int64_t id = conn.query("INSERT INTO participants (territory_id, display_name, commune, residency_verified, consent_at, registered_by, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            {territory_id, name, c, residency_verified, now, mediator, now})[0]
                     .int64(0);
    audit::record(conn, mediator, territory_id, "consultations.participant.register", "participant:" + std::to_string(id));
    return Participant{id, territory_id, name, c, residency_verified, now};
  });
}

std::vector<Participant> find_participants(db::Database& db, int64_t territory_id, const std::string& name_prefix) {
  auto conn = db.read();
  std::vector<Participant> out;
  std::string like = std::string(str::trim(name_prefix)) + "%";
  for (auto r : conn->query("SELECT id, territory_id, display_name, commune, residency_verified, consent_at FROM participants "
                            "WHERE territory_id = ? AND lower(display_name) LIKE lower(?) ORDER BY display_name, id LIMIT 50",
                            {territory_id, like}))
    out.push_back({r.int64(0), r.int64(1), r.str(2), r.str(3), r.int64(4) != 0, r.int64(5)});
  return out;
}

std::optional<Participant> find_participant(db::Database& db, int64_t id) {
  auto conn = db.read();
  auto r_rows = conn->query("SELECT id, territory_id, display_name, commune, residency_verified, consent_at FROM participants WHERE id = ?", {id});
  auto r = r_rows.first();
  if (!r) return std::nullopt;
  return Participant{r->int64(0), r->int64(1), r->str(2), r->str(3), r->int64(4) != 0, r->int64(5)};
}

void declare_residency(db::Database& db, int64_t user_id, int64_t territory_id, const std::string& commune, std::optional<int> birth_year) {
  db.transaction([&](db::Connection& conn) {
    conn.exec("INSERT INTO residencies (user_id, territory_id, commune, birth_year) VALUES (?, ?, ?, ?) "
              "ON CONFLICT (user_id, territory_id) DO UPDATE SET commune = excluded.commune, birth_year = excluded.birth_year, "
              "verified_at = NULL, verified_by = NULL",
              {user_id, territory_id, commune, birth_year ? db::Param(*birth_year) : db::Param()});
  });
}

void verify_residency(db::Database& db, int64_t user_id, int64_t territory_id, int64_t verifier) {
  db.transaction([&](db::Connection& conn) {
    conn.exec("UPDATE residencies SET verified_by = ?, verified_at = ? WHERE user_id = ? AND territory_id = ?", {verifier, unix_now(), user_id, territory_id});
    audit::record(conn, verifier, territory_id, "consultations.residency.verify", "user:" + std::to_string(user_id));
  });
}

namespace {

// The same checks for a new process and an edited one; every error goes to `errors`.
void check_process_input(const ProcessInput& in, Errors& errors) {
  auto fail = [&](Error e) { errors.push_back(std::move(e)); };
  std::string title(str::trim(in.title)), summary(str::trim(in.summary));
  if (title.empty()) fail(Error::validation("title", "consultations.process.title_required"));
  if (title.size() > kMaxTitle) fail(Error::validation("title", "consultations.process.title_too_long"));
  if (summary.empty()) fail(Error::validation("summary", "consultations.process.summary_required"));
  if (in.sections.size() > kMaxSections) fail(Error::validation("sections", "consultations.process.too_many_sections"));
  if (in.vote_mode != "opinion" && in.vote_mode != "support") fail(Error::validation("vote_mode", "consultations.process.vote_mode_invalid"));
  if (in.audience != "anyone" && in.audience != "residents") fail(Error::validation("audience", "consultations.process.audience_invalid"));
  if (in.residency != "declared" && in.residency != "verified") fail(Error::validation("residency", "consultations.process.residency_invalid"));
  if (in.min_age < 0 || in.min_age > 120 || in.support_limit < 0) fail(Error::validation("min_age", "consultations.process.number_invalid"));
  for (const auto& c : in.communes)
    if (!valid_commune(c)) fail(Error::validation("communes", "consultations.participant.commune_invalid").with("value", c));
  if (in.phases.empty()) fail(Error::validation("phases", "consultations.process.phases_required"));
  for (size_t i = 0; i < in.phases.size(); ++i) {
    const auto& ph = in.phases[i];
    std::string field = "phases[" + std::to_string(i) + "]";
    if (!parse_phase_kind(ph.kind)) fail(Error::validation(field + ".kind", "consultations.process.phase_kind_invalid").with("value", ph.kind));
    if (ph.ends_at <= ph.starts_at) fail(Error::validation(field + ".ends_at", "consultations.process.phase_dates_invalid"));
    if (ph.allows)
      for (const auto& a : *ph.allows)
        if (!parse_action(a)) fail(Error::validation(field + ".allows", "consultations.process.action_invalid").with("value", a));
  }
}

void write_phases(db::Connection& conn, int64_t process_id, const std::vector<PhaseInput>& phases) {
  conn.exec("DELETE FROM process_phases WHERE process_id = ?", {process_id});
  for (size_t i = 0; i < phases.size(); ++i) {
    const auto& ph = phases[i];
    std::vector<std::string> allows;
    if (ph.allows) allows = *ph.allows;
    else
      for (Action a : default_allows(*parse_phase_kind(ph.kind))) allows.emplace_back(name(a));
    conn.exec("INSERT INTO process_phases (process_id, kind, starts_at, ends_at, allows, position) VALUES (?, ?, ?, ?, ?, ?)",
              {process_id, ph.kind, ph.starts_at, ph.ends_at, join(allows, ' '), static_cast<int64_t>(i)});
  }
}

}  // namespace

Result<Process> create_process(db::Database& db, int64_t territory_id, const ProcessInput& in, int64_t author, Errors& errors) {
  check_process_input(in, errors);
  if (!errors.empty()) return errors.front();
  int64_t now = unix_now();
  return db.transaction([&](db::Connection& conn) -> Result<Process> {
    if (conn.query("SELECT 1 FROM territories WHERE id = ?", {territory_id}).empty()) return Error::not_found("consultations.territory_not_found");
    int64_t id = conn.query("INSERT INTO processes (territory_id, title, summary, body, themes, sections, vote_mode, support_limit, premoderation, "
                            "audience, min_age, residency, communes, author_id, created_at, updated_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            {territory_id, std::string(str::trim(in.title)), std::string(str::trim(in.summary)), in.body, join(in.themes, ' '),
                             join(in.sections, '\n'), in.vote_mode, in.support_limit, in.premoderation, in.audience, in.min_age, in.residency,
                             join(in.communes, ' '), author, now, now})[0]
                     .int64(0);
    write_phases(conn, id, in.phases);
    audit::record(conn, author, territory_id, "consultations.process.create", "process:" + std::to_string(id));
    return *find_process(conn, id);
  });
}

Result<Process> update_process(db::Database& db, int64_t id, const ProcessInput& in, int64_t actor, Errors& errors) {
  check_process_input(in, errors);
  if (!errors.empty()) return errors.front();
  return db.transaction([&](db::Connection& conn) -> Result<Process> {
    auto rows = conn.query("UPDATE processes SET title = ?, summary = ?, body = ?, themes = ?, sections = ?, vote_mode = ?, support_limit = ?, "
                           "premoderation = ?, audience = ?, min_age = ?, residency = ?, communes = ?, updated_at = ? "
                           "WHERE id = ? AND status <> 'trashed' RETURNING territory_id",
                           {std::string(str::trim(in.title)), std::string(str::trim(in.summary)), in.body, join(in.themes, ' '), join(in.sections, '\n'),
                            in.vote_mode, in.support_limit, in.premoderation, in.audience, in.min_age, in.residency, join(in.communes, ' '), unix_now(), id});
    auto r = rows.first();
    if (!r) return Error::not_found("consultations.not_found");
    write_phases(conn, id, in.phases);
    search::record_change(conn, "process", id);
    audit::record(conn, actor, r->int64(0), "consultations.process.update", "process:" + std::to_string(id));
    return *find_process(conn, id);
  });
}

passerelle::Status publish_process(db::Database& db, int64_t id, int64_t actor) {
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    auto r_rows = conn.query("UPDATE processes SET status = 'published', updated_at = ? WHERE id = ? AND status = 'draft' RETURNING territory_id", {unix_now(), id});
    auto r = r_rows.first();
    if (!r) return Error::not_found("consultations.not_found");
    search::record_change(conn, "process", id);
    audit::record(conn, actor, r->int64(0), "consultations.process.publish", "process:" + std::to_string(id));
    return Ok{};
  });
}

std::optional<Process> find_process(db::Connection& conn, int64_t id) {
  auto r_rows = conn.query(std::string(kProcessSelect) + "WHERE p.id = ?", {id});
  auto r = r_rows.first();
  if (!r) return std::nullopt;
  Process p = process_from_row(*r);
  load_phases(conn, p);
  return p;
}

std::optional<Process> find_process(db::Database& db, int64_t id) {
  auto conn = db.read();
  return find_process(*conn, id);
}

std::vector<Process> list_processes(db::Database& db, std::optional<int64_t> territory_id) {
  auto conn = db.read();
  std::vector<Process> out;
  std::string sql = std::string(kProcessSelect) + "WHERE p.status = 'published'" + (territory_id ? " AND p.territory_id = ?" : "") +
                    " ORDER BY p.created_at DESC, p.id DESC";
  db::Params params;
  if (territory_id) params.push_back(*territory_id);
  for (auto r : conn->query(sql, params)) out.push_back(process_from_row(r));
  for (auto& p : out) load_phases(*conn, p);
  return out;
}

}  // namespace passerelle::consultations
