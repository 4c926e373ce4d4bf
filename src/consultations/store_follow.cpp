// Follows and notifications in the database (see follow.hpp).
#include <algorithm>

#include "consultations/follow.hpp"
#include "consultations/store.hpp"

namespace passerelle::consultations {

namespace {

constexpr std::string_view kKindNames[] = {"argument", "comment", "amendment", "answer", "status", "milestone", "milestone_done"};
constexpr size_t kExcerpt = 280;

std::string cut(std::string_view text) {
  if (text.size() <= kExcerpt) return std::string(text);
  size_t at = kExcerpt;
  while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;  // not inside a UTF-8 sequence
  return std::string(text.substr(0, at)) + "…";
}

}  // namespace

std::string_view anchor_of(NotificationKind k) {
  switch (k) {
    case NotificationKind::argument: return "#arguments";
    case NotificationKind::comment: return "#commentaires";
    case NotificationKind::amendment: return "#amendements";
    case NotificationKind::answer: return "#reponse";
    case NotificationKind::status: return "#texte";
    case NotificationKind::milestone:
    case NotificationKind::milestone_done: return "#suivi";
  }
  return "";
}

std::string_view name(NotificationKind k) { return kKindNames[static_cast<int>(k)]; }
std::optional<NotificationKind> parse_notification_kind(std::string_view s) {
  for (size_t i = 0; i < std::size(kKindNames); ++i)
    if (kKindNames[i] == s) return static_cast<NotificationKind>(i);
  return std::nullopt;
}

passerelle::Status follow(db::Database& db, int64_t user_id, int64_t contribution_id, int64_t now) {
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    auto rows = conn.query("SELECT c.status, c.user_id FROM contributions c JOIN processes p ON p.id = c.process_id "
                           "WHERE c.id = ? AND p.status = 'published'",
                           {contribution_id});
    auto r = rows.first();
    // The same contributions as the page shows to this account, withdrawn ones excepted (nothing
    // more will happen there worth a notification, but one may still follow what was moderated).
    if (!r || !(r->text(0) == "published" || r->text(0) == "hidden" || r->opt_int(1) == user_id))
      return Error::not_found("consultations.contribution.not_found");
    conn.exec("INSERT INTO follows (user_id, contribution_id, created_at) VALUES (?, ?, ?) ON CONFLICT (user_id, contribution_id) DO NOTHING",
              {user_id, contribution_id, now});
    return Ok{};
  });
}

passerelle::Status unfollow(db::Database& db, int64_t user_id, int64_t contribution_id) {
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    conn.exec("DELETE FROM follows WHERE user_id = ? AND contribution_id = ?", {user_id, contribution_id});
    return Ok{};  // not following already is the state asked for
  });
}

bool follows(db::Database& db, int64_t user_id, int64_t contribution_id) {
  auto conn = db.read();
  return !conn->query("SELECT 1 FROM follows WHERE user_id = ? AND contribution_id = ?", {user_id, contribution_id}).empty();
}

std::vector<Followed> followed_by(db::Database& db, int64_t user_id) {
  auto conn = db.read();
  std::vector<Followed> out;
  for (auto r : conn->query("SELECT f.contribution_id, c.title, f.created_at FROM follows f JOIN contributions c ON c.id = f.contribution_id "
                            "WHERE f.user_id = ? ORDER BY f.created_at DESC, f.contribution_id DESC",
                            {user_id}))
    out.push_back({r.int64(0), r.str(1), r.int64(2)});
  return out;
}

void notify(db::Connection& conn, int64_t contribution_id, NotificationKind kind, std::optional<int64_t> actor_user_id,
            std::string_view excerpt, int64_t now) {
  // One statement whatever the number of followers; the casts give PostgreSQL the types of the
  // selected parameters. Erased accounts (deleted_at) get nothing.
  conn.exec("INSERT INTO notifications (user_id, contribution_id, kind, actor_name, excerpt, created_at) "
            "SELECT f.user_id, f.contribution_id, CAST(? AS TEXT), COALESCE((SELECT display_name FROM users WHERE id = ?), ''), CAST(? AS TEXT), CAST(? AS BIGINT) "
            "FROM follows f JOIN users u ON u.id = f.user_id WHERE f.contribution_id = ? AND f.user_id <> ? AND u.deleted_at IS NULL",
            {name(kind), actor_user_id.value_or(0), cut(excerpt), now, contribution_id, actor_user_id.value_or(0)});
}

void notify_milestone_done(db::Connection& conn, int64_t milestone_id, int64_t by, int64_t now) {
  auto rows = conn.query("SELECT contribution_id, title FROM followup_milestones WHERE id = ? AND done_at = ?", {milestone_id, now});
  if (auto r = rows.first()) notify(conn, r->int64(0), NotificationKind::milestone_done, by, r->text(1), now);
}

int64_t unread_count(db::Database& db, int64_t user_id) {
  auto conn = db.read();
  return conn->query("SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", {user_id})[0].int64(0);
}

NotificationPage notifications_of(db::Database& db, int64_t user_id, size_t offset, size_t limit) {
  auto conn = db.read();
  NotificationPage page;
  auto counts = conn->query("SELECT count(*), COALESCE(sum(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) FROM notifications WHERE user_id = ?", {user_id});
  page.total = counts[0].int64(0);
  page.unread = counts[0].int64(1);
  for (auto r : conn->query("SELECT n.id, n.contribution_id, c.title, n.kind, n.actor_name, n.excerpt, n.created_at, n.read_at "
                            "FROM notifications n JOIN contributions c ON c.id = n.contribution_id WHERE n.user_id = ? "
                            "ORDER BY CASE WHEN n.read_at IS NULL THEN 0 ELSE 1 END, n.id DESC LIMIT ? OFFSET ?",
                            {user_id, static_cast<int64_t>(std::min<size_t>(limit, 100)), static_cast<int64_t>(offset)})) {
    Notification n;
    n.id = r.int64(0);
    n.contribution_id = r.int64(1);
    n.contribution_title = r.str(2);
    n.kind = parse_notification_kind(r.text(3)).value_or(NotificationKind::comment);
    n.actor_name = r.str(4);
    n.excerpt = r.str(5);
    n.created_at = r.int64(6);
    n.read_at = r.opt_int(7);
    page.items.push_back(std::move(n));
  }
  return page;
}

int64_t mark_read(db::Database& db, int64_t user_id, int64_t notification_id, int64_t now) {
  return db.transaction([&](db::Connection& conn) {
    return conn.exec("UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL", {now, notification_id, user_id});
  });
}

int64_t mark_all_read(db::Database& db, int64_t user_id, int64_t now) {
  return db.transaction([&](db::Connection& conn) {
    return conn.exec("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", {now, user_id});
  });
}

void mark_read_on(db::Database& db, int64_t user_id, int64_t contribution_id, int64_t now) {
  {
    auto conn = db.read();
    if (conn->query("SELECT 1 FROM notifications WHERE user_id = ? AND read_at IS NULL AND contribution_id = ? LIMIT 1", {user_id, contribution_id}).empty())
      return;  // the usual case: no write for a page view
  }
  db.transaction([&](db::Connection& conn) {
    conn.exec("UPDATE notifications SET read_at = ? WHERE user_id = ? AND contribution_id = ? AND read_at IS NULL", {now, user_id, contribution_id});
  });
}

}  // namespace passerelle::consultations
