// Reports, the moderation queue, moderation actions (audit-logged, the author told why), the
// author's one request for review, and the territory's official answers.
#include "consultations/follow.hpp"
#include "consultations/store_shared.hpp"
#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/services.hpp"
#include "search/service.hpp"

namespace passerelle::consultations {

using namespace detail;

namespace {

constexpr std::string_view kReasons[] = {"spam", "injurieux", "hors-sujet", "donnees-personnelles", "autre"};

// Table of a target kind, or nothing for an unknown kind.
std::optional<std::string_view> table_of(std::string_view kind) {
  if (kind == "contribution") return "contributions";
  if (kind == "argument") return "arguments";
  if (kind == "comment") return "contribution_comments";
  if (kind == "amendment") return "amendments";
  return std::nullopt;
}

int64_t contribution_of(db::Connection& conn, std::string_view kind, int64_t id) {
  if (kind == "contribution") return id;
  auto r_rows = conn.query(std::string("SELECT contribution_id FROM ") + std::string(*table_of(kind)) + " WHERE id = ?", {id});
  auto r = r_rows.first();
  return r ? r->int64(0) : 0;
}

std::string excerpt(std::string_view text) {
  if (text.size() <= 200) return std::string(text);
  size_t cut = 200;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

}  // namespace

bool valid_report_reason(std::string_view r) { return std::find(std::begin(kReasons), std::end(kReasons), r) != std::end(kReasons); }

std::optional<Moderation> parse_moderation(std::string_view s) {
  if (s == "publier") return Moderation::publish;
  if (s == "masquer") return Moderation::hide;
  if (s == "supprimer") return Moderation::trash;
  return std::nullopt;
}

std::optional<int64_t> territory_of(db::Database& db, std::string_view kind, int64_t id) {
  if (!table_of(kind)) return std::nullopt;
  auto conn = db.read();
  int64_t contribution = contribution_of(*conn, kind, id);
  auto r_rows = conn->query("SELECT p.territory_id FROM contributions c JOIN processes p ON p.id = c.process_id WHERE c.id = ?", {contribution});
  auto r = r_rows.first();
  if (!r) return std::nullopt;
  return r->int64(0);
}

std::optional<int64_t> contribution_of_target(db::Database& db, std::string_view kind, int64_t id) {
  std::string table(table_of(kind).value_or(""));
  if (table.empty()) return std::nullopt;
  auto conn = db.read();
  auto rows = conn->query("SELECT " + std::string(kind == "contribution" ? "id" : "contribution_id") + " FROM " + table + " WHERE id = ?", {id});
  auto r = rows.first();
  if (!r) return std::nullopt;
  return r->int64(0);
}

Result<Report> report(db::Database& db, std::string_view kind, int64_t id, const std::string& reason, const std::string& details_in,
                      std::optional<int64_t> reporter, int64_t now) {
  if (!table_of(kind)) return Error::validation("target", "consultations.report.target_invalid");
  if (!valid_report_reason(reason)) return Error::validation("reason", "consultations.report.reason_invalid");
  std::string details(str::trim(details_in));
  if (details.size() > kMaxReason) return Error::validation("details", "consultations.report.details_too_long").with("max", std::to_string(kMaxReason));
  return db.transaction([&](db::Connection& conn) -> Result<Report> {
    int64_t contribution = contribution_of(conn, kind, id);
    auto r_rows = conn.query("SELECT p.territory_id FROM contributions c JOIN processes p ON p.id = c.process_id WHERE c.id = ?", {contribution});
    auto r = r_rows.first();
    if (!r) return Error::not_found("consultations.contribution.not_found");
    int64_t rid = conn.query("INSERT INTO reports (territory_id, target_kind, target_id, reason, details, reporter_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                             {r->int64(0), kind, id, reason, details, reporter, now})[0]
                      .int64(0);
    return Report{rid, std::string(kind), id, reason, details, now};
  });
}

std::vector<QueueItem> moderation_queue(db::Database& db, int64_t territory_id) {
  auto conn = db.read();
  std::vector<QueueItem> out;
  // Reported content (open reports), then content held for review, oldest first.
  for (auto r : conn->query("SELECT target_kind, target_id, count(*), min(created_at) FROM reports WHERE territory_id = ? AND resolved_at IS NULL "
                            "GROUP BY target_kind, target_id ORDER BY min(created_at)",
                            {territory_id})) {
    QueueItem item;
    item.target_kind = r.str(0);
    item.target_id = r.int64(1);
    item.reports = r.int64(2);
    std::string reasons;
    for (auto why : conn->query("SELECT DISTINCT reason FROM reports WHERE target_kind = ? AND target_id = ? AND resolved_at IS NULL ORDER BY reason", {item.target_kind, item.target_id}))
      reasons += (reasons.empty() ? "" : ", ") + why.str(0);
    item.why = reasons;
    auto t_rows = conn->query(std::string("SELECT ") + (item.target_kind == "contribution" ? "title || ' — ' || body" : "body") + ", status FROM " +
                             std::string(*table_of(item.target_kind)) + " WHERE id = ?",
                         {item.target_id})
                 ;
    auto t = t_rows.first();
    if (!t) continue;
    item.excerpt = excerpt(t->text(0));
    item.status = parse_status(t->text(1)).value_or(Status::hidden);
    item.contribution_id = contribution_of(*conn, item.target_kind, item.target_id);
    out.push_back(std::move(item));
  }
  for (auto r : conn->query("SELECT c.id, c.title, c.body, c.status, c.flagged, c.review_requested FROM contributions c JOIN processes p ON p.id = c.process_id "
                            "WHERE p.territory_id = ? AND (c.status = 'pending' OR c.review_requested = 1) ORDER BY c.created_at, c.id",
                            {territory_id})) {
    QueueItem item;
    item.target_kind = "contribution";
    item.target_id = item.contribution_id = r.int64(0);
    item.excerpt = excerpt(r.str(1) + " — " + r.str(2));
    item.status = parse_status(r.text(3)).value_or(Status::pending);
    item.why = r.str(4);
    item.review_requested = r.int64(5) == 1;
    out.push_back(std::move(item));
  }
  for (const char* kind : {"argument", "comment"})
    for (auto r : conn->query(std::string("SELECT x.id, x.contribution_id, x.body FROM ") + std::string(*table_of(kind)) +
                                  " x JOIN contributions c ON c.id = x.contribution_id JOIN processes p ON p.id = c.process_id "
                                  "WHERE p.territory_id = ? AND x.status = 'pending' ORDER BY x.created_at, x.id",
                              {territory_id})) {
      QueueItem item;
      item.target_kind = kind;
      item.target_id = r.int64(0);
      item.contribution_id = r.int64(1);
      item.excerpt = excerpt(r.text(2));
      item.status = Status::pending;
      out.push_back(std::move(item));
    }
  return out;
}

passerelle::Status moderate(db::Database& db, std::string_view kind, int64_t id, Moderation action, const std::string& reason_in, int64_t moderator) {
  auto table = table_of(kind);
  if (!table) return Error::validation("target", "consultations.report.target_invalid");
  std::string reason(str::trim(reason_in));
  if (action != Moderation::publish && reason.empty()) return Error::validation("reason", "consultations.moderation.reason_required");
  if (reason.size() > kMaxReason) return Error::validation("reason", "consultations.moderation.reason_too_long").with("max", std::to_string(kMaxReason));
  std::string_view status = action == Moderation::publish ? "published" : action == Moderation::hide ? "hidden" : "trashed";
  int64_t now = unix_now();
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    int64_t contribution = contribution_of(conn, kind, id);
    if (!lock_contribution(conn, contribution)) return Error::not_found("consultations.contribution.not_found");
    std::string extra = kind == "contribution" ? ", review_requested = CASE WHEN review_requested = 1 THEN 2 ELSE review_requested END, updated_at = ?" : "";
    db::Params params{status, reason};
    if (!extra.empty()) params.emplace_back(now);
    params.emplace_back(id);
    if (conn.exec(std::string("UPDATE ") + std::string(*table) + " SET status = ?, moderation_reason = ?" + extra + " WHERE id = ? AND status <> 'withdrawn'", params) == 0)
      return Error::not_found("consultations.contribution.not_found");
    conn.exec("UPDATE reports SET resolved_at = ?, resolved_by = ? WHERE target_kind = ? AND target_id = ? AND resolved_at IS NULL", {now, moderator, kind, id});
    recount_debate(conn, contribution);
    auto territory = conn.query("SELECT p.territory_id FROM contributions c JOIN processes p ON p.id = c.process_id WHERE c.id = ?", {contribution})[0].int64(0);
    audit::record(conn, moderator, territory, "consultations.moderate." + std::string(status), std::string(kind) + ":" + std::to_string(id), reason);
    // The author is told why (accounts only; people registered by a mediator have no address).
    auto author_rows = conn.query(std::string("SELECT u.email FROM ") + std::string(*table) + " x JOIN users u ON u.id = x.user_id WHERE x.id = ?", {id});
    auto author = author_rows.first();
    if (author && action != Moderation::publish)
      mail::enqueue(conn, author->text(0), "Votre contribution a été modérée",
                    "Bonjour,\n\nUn modérateur a " + std::string(action == Moderation::hide ? "masqué" : "supprimé") +
                        " votre texte (#" + std::to_string(contribution) + ") pour la raison suivante : " + reason +
                        "\n\nVous pouvez demander un nouvel examen, une fois, depuis la page de la contribution.\n");
    if (kind == "contribution") notify(conn, id, NotificationKind::status, moderator, reason, now);
    search::record_change(conn, "contribution", contribution);
    return Ok{};
  });
}

passerelle::Status request_review(db::Database& db, int64_t contribution_id, int64_t user_id) {
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    // review_requested: 0 never asked, 1 asked (in the queue), 2 answered. Only once.
    auto r_rows = conn.query("SELECT status, review_requested, user_id FROM contributions WHERE id = ?", {contribution_id});
    auto r = r_rows.first();
    if (!r || r->opt_int(2) != user_id) return Error::not_found("consultations.contribution.not_found");
    if (r->text(0) != "hidden" && r->text(0) != "trashed") return Error::conflict("review", "consultations.review.not_moderated");
    if (r->int64(1) != 0) return Error::conflict("review", "consultations.review.already_asked");
    conn.exec("UPDATE contributions SET review_requested = 1 WHERE id = ?", {contribution_id});
    return Ok{};
  });
}

passerelle::Status answer(db::Database& db, int64_t contribution_id, Answer kind, const std::string& text_in, int64_t by, int64_t now) {
  std::string text(str::trim(text_in));
  if (text.empty()) return Error::validation("answer_text", "consultations.answer.text_required");
  if (text.size() > kMaxBody) return Error::validation("answer_text", "consultations.answer.text_too_long").with("max", std::to_string(kMaxBody));
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    if (conn.exec("UPDATE contributions SET answer_kind = ?, answer_text = ?, answered_at = ?, updated_at = ? WHERE id = ? AND status = 'published'",
                  {name(kind), text, now, now, contribution_id}) == 0)
      return Error::not_found("consultations.contribution.not_found");
    auto territory = conn.query("SELECT p.territory_id FROM contributions c JOIN processes p ON p.id = c.process_id WHERE c.id = ?", {contribution_id})[0].int64(0);
    audit::record(conn, by, territory, "consultations.answer." + std::string(name(kind)), "contribution:" + std::to_string(contribution_id));
    notify(conn, contribution_id, NotificationKind::answer, by, text, now);
    search::record_change(conn, "contribution", contribution_id);
    return Ok{};
  });
}

}  // namespace passerelle::consultations
