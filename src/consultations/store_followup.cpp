// After the answer: the follow-up of retained contributions (status, responsible service,
// budget, progress, dated milestones), public on /consultations/{id}/suivi.
#include "consultations/follow.hpp"
#include "consultations/store_shared.hpp"
#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/services.hpp"

namespace passerelle::consultations {

namespace {

constexpr std::string_view kFollowupNames[] = {"a-lancer", "en-cours", "realisee", "abandonnee"};

std::vector<Milestone> milestones_of(db::Connection& conn, int64_t contribution_id) {
  std::vector<Milestone> out;
  for (auto r : conn.query("SELECT id, title, due_at, done_at FROM followup_milestones WHERE contribution_id = ? ORDER BY due_at, id", {contribution_id}))
    out.push_back({r.int64(0), r.str(1), r.int64(2), r.opt_int(3)});
  return out;
}

Followup followup_from_row(db::Connection& conn, const db::Row& r) {
  Followup f;
  f.contribution_id = r.int64(0);
  f.title = r.str(1);
  if (!r.null(2)) {
    f.status = parse_followup_status(r.text(2)).value_or(FollowupStatus::to_start);
    f.service = r.str(3);
    f.budget_cents = r.opt_int(4);
    f.progress = static_cast<int>(r.int64(5));
    f.updated_at = r.int64(6);
  }
  f.milestones = milestones_of(conn, f.contribution_id);
  return f;
}

const char* const kFollowupSelect =
    "SELECT c.id, c.title, f.status, f.service, f.budget_cents, f.progress, f.updated_at FROM contributions c "
    "LEFT JOIN contribution_followups f ON f.contribution_id = c.id ";

// The territory of a retained, published contribution, or why not.
Result<int64_t> retained_territory(db::Connection& conn, int64_t contribution_id) {
  auto rows = conn.query("SELECT p.territory_id, c.answer_kind, c.status FROM contributions c JOIN processes p ON p.id = c.process_id WHERE c.id = ?", {contribution_id});
  auto r = rows.first();
  if (!r || r->text(2) != "published") return Error::not_found("consultations.contribution.not_found");
  if (r->text(1) != "retenue") return Error::conflict("followup", "consultations.followup.not_retained");
  return r->int64(0);
}

}  // namespace

std::string_view name(FollowupStatus s) { return kFollowupNames[static_cast<int>(s)]; }
std::optional<FollowupStatus> parse_followup_status(std::string_view s) {
  for (size_t i = 0; i < std::size(kFollowupNames); ++i)
    if (kFollowupNames[i] == s) return static_cast<FollowupStatus>(i);
  return std::nullopt;
}

passerelle::Status set_followup(db::Database& db, int64_t contribution_id, FollowupStatus status, const std::string& service_in,
                                std::optional<int64_t> budget_cents, int progress, int64_t by) {
  std::string service(str::trim(service_in));
  if (service.size() > kMaxTitle) return Error::validation("service", "consultations.followup.service_too_long");
  if (progress < 0 || progress > 100) return Error::validation("progress", "consultations.followup.progress_invalid");
  if (budget_cents && *budget_cents < 0) return Error::validation("budget", "consultations.followup.budget_invalid");
  int64_t now = unix_now();
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    auto territory = retained_territory(conn, contribution_id);
    if (!territory) return territory.error();
    conn.exec("INSERT INTO contribution_followups (contribution_id, status, service, budget_cents, progress, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (contribution_id) DO UPDATE SET status = excluded.status, service = excluded.service, budget_cents = excluded.budget_cents, "
              "progress = excluded.progress, updated_at = excluded.updated_at",
              {contribution_id, name(status), service, budget_cents, progress, now});
    audit::record(conn, by, *territory, "consultations.followup." + std::string(name(status)), "contribution:" + std::to_string(contribution_id));
    return Ok{};
  });
}

Result<Milestone> add_milestone(db::Database& db, int64_t contribution_id, const std::string& title_in, int64_t due_at, int64_t by) {
  std::string title(str::trim(title_in));
  if (title.empty()) return Error::validation("milestone_title", "consultations.followup.milestone_title_required");
  if (title.size() > kMaxTitle) return Error::validation("milestone_title", "consultations.followup.service_too_long");
  return db.transaction([&](db::Connection& conn) -> Result<Milestone> {
    auto territory = retained_territory(conn, contribution_id);
    if (!territory) return territory.error();
    int64_t id = conn.query("INSERT INTO followup_milestones (contribution_id, title, due_at) VALUES (?, ?, ?) RETURNING id", {contribution_id, title, due_at})[0].int64(0);
    audit::record(conn, by, *territory, "consultations.followup.milestone", "contribution:" + std::to_string(contribution_id), title);
    notify(conn, contribution_id, NotificationKind::milestone, by, title, unix_now());
    return Milestone{id, title, due_at, std::nullopt};
  });
}

passerelle::Status complete_milestone(db::Database& db, int64_t milestone_id, int64_t by, int64_t now) {
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    auto rows = conn.query("SELECT contribution_id FROM followup_milestones WHERE id = ?", {milestone_id});
    auto r = rows.first();
    if (!r) return Error::not_found("consultations.followup.milestone_not_found");
    auto territory = retained_territory(conn, r->int64(0));
    if (!territory) return territory.error();
    conn.exec("UPDATE followup_milestones SET done_at = ? WHERE id = ? AND done_at IS NULL", {now, milestone_id});
    audit::record(conn, by, *territory, "consultations.followup.milestone_done", "milestone:" + std::to_string(milestone_id));
    notify_milestone_done(conn, milestone_id, by, now);
    return Ok{};
  });
}

std::optional<Followup> followup_of(db::Database& db, int64_t contribution_id) {
  auto conn = db.read();
  auto rows = conn->query(std::string(kFollowupSelect) + "WHERE c.id = ? AND c.answer_kind = 'retenue' AND c.status = 'published'", {contribution_id});
  auto r = rows.first();
  if (!r) return std::nullopt;
  return followup_from_row(*conn, *r);
}

std::vector<Followup> followups(db::Database& db, int64_t process_id) {
  auto conn = db.read();
  std::vector<Followup> out;
  for (auto r : conn->query(std::string(kFollowupSelect) + "WHERE c.process_id = ? AND c.answer_kind = 'retenue' AND c.status = 'published' ORDER BY c.id", {process_id}))
    out.push_back(followup_from_row(*conn, r));
  return out;
}

}  // namespace passerelle::consultations
