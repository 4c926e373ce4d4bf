// Arguments for and against, sources and threaded comments on a contribution.
#include <functional>
#include <unordered_map>

#include "consultations/follow.hpp"
#include "consultations/store_shared.hpp"
#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "practices/model.hpp"

namespace passerelle::consultations {

using namespace detail;

namespace {

void recount_arguments(db::Connection& conn, int64_t contribution_id) {
  conn.exec("UPDATE contributions SET "
            "for_count = (SELECT count(*) FROM arguments WHERE contribution_id = ? AND side = 'for' AND status = 'published'), "
            "against_count = (SELECT count(*) FROM arguments WHERE contribution_id = ? AND side = 'against' AND status = 'published') WHERE id = ?",
            {contribution_id, contribution_id, contribution_id});
}

void recount_comments(db::Connection& conn, int64_t contribution_id) {
  conn.exec("UPDATE contributions SET comment_count = (SELECT count(*) FROM contribution_comments WHERE contribution_id = ? AND status = 'published') WHERE id = ?",
            {contribution_id, contribution_id});
}

// A published contribution whose process allows `action` now: its process, or why not.
Result<Process> open_contribution(db::Connection& conn, int64_t contribution_id, Action action, int64_t now) {
  auto p = process_of_published(conn, contribution_id);
  if (!p) return p.error();
  if (auto closed = closed_reason(*p, action, now)) return *closed;
  return std::move(*p);
}

}  // namespace

void detail::recount_debate(db::Connection& conn, int64_t contribution_id) {
  recount_arguments(conn, contribution_id);
  recount_comments(conn, contribution_id);
}

Result<Argument> argue(db::Database& db, int64_t contribution_id, Side side, const std::string& text, const Actor& actor, int64_t now) {
  std::string body(str::trim(text));
  if (auto e = actor_error(actor)) return *e;
  if (body.empty()) return Error::validation("body", "consultations.argument.body_required");
  if (body.size() > kMaxArgument) return Error::validation("body", "consultations.argument.body_too_long").with("max", std::to_string(kMaxArgument));
  return db.transaction([&](db::Connection& conn) -> Result<Argument> {
    auto p = open_contribution(conn, contribution_id, Action::argue, now);
    if (!p) return p.error();
    if (auto e = participation_error(conn, *p, actor, now)) return *e;
    bool held = p->premoderation || count_links(body) >= kLinkHeavy;
    int64_t id = conn.query("INSERT INTO arguments (contribution_id, side, body, user_id, participant_id, entered_by, status, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            {contribution_id, name(side), body, actor.participant_id ? db::Param() : db::Param(actor.user_id), actor.participant_id,
                             actor.entered_by, held ? "pending" : "published", now})[0]
                     .int64(0);
    recount_arguments(conn, contribution_id);
    if (!held) notify(conn, contribution_id, NotificationKind::argument, actor.user_id, body, now);
    Argument a;
    a.id = id;
    a.contribution_id = contribution_id;
    a.side = side;
    a.body = body;
    a.user_id = actor.user_id;
    a.participant_id = actor.participant_id;
    a.status = held ? Status::pending : Status::published;
    a.created_at = now;
    return a;
  });
}

std::vector<Argument> arguments_of(db::Database& db, int64_t contribution_id, bool with_hidden) {
  auto conn = db.read();
  std::vector<Argument> out;
  std::string sql =
      "SELECT a.id, a.contribution_id, a.side, a.body, COALESCE(u.display_name, pa.display_name, ''), a.moderation_reason, a.user_id, "
      "a.participant_id, a.entered_by, a.status, a.useful_count, a.created_at FROM arguments a LEFT JOIN users u ON u.id = a.user_id "
      "LEFT JOIN participants pa ON pa.id = a.participant_id WHERE a.contribution_id = ?";
  // Moderated arguments stay in place with their reason; pending and withdrawn ones are left out.
  sql += with_hidden ? "" : " AND a.status IN ('published', 'hidden', 'trashed')";
  sql += " ORDER BY a.useful_count DESC, a.id";
  for (auto r : conn->query(sql, {contribution_id})) {
    Argument a;
    a.id = r.int64(0);
    a.contribution_id = r.int64(1);
    a.side = r.text(2) == "against" ? Side::against : Side::for_;
    a.body = r.str(3);
    a.author_name = r.str(4);
    a.moderation_reason = r.str(5);
    a.user_id = r.opt_int(6);
    a.participant_id = r.opt_int(7);
    a.entered_by = r.opt_int(8);
    a.status = parse_status(r.text(9)).value_or(Status::hidden);
    a.useful = r.int64(10);
    a.created_at = r.int64(11);
    out.push_back(std::move(a));
  }
  return out;
}

Result<Source> add_source(db::Database& db, int64_t contribution_id, const std::string& title_in, const std::string& url_in,
                          const std::string& category, int64_t user_id, int64_t now) {
  std::string title(str::trim(title_in)), url(str::trim(url_in));
  if (title.empty()) return Error::validation("source_title", "consultations.source.title_required");
  if (title.size() > kMaxTitle) return Error::validation("source_title", "consultations.source.title_too_long");
  if (!practices::valid_http_url(url)) return Error::validation("source_url", "consultations.source.url_invalid");
  if (!valid_source_category(category)) return Error::validation("source_category", "consultations.source.category_invalid");
  return db.transaction([&](db::Connection& conn) -> Result<Source> {
    auto p = open_contribution(conn, contribution_id, Action::argue, now);
    if (!p) return p.error();
    int64_t id = conn.query("INSERT INTO contribution_sources (contribution_id, title, url, category, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                            {contribution_id, title, url, category, user_id, now})[0]
                     .int64(0);
    return Source{id, contribution_id, title, url, category, now};
  });
}

std::vector<Source> sources_of(db::Database& db, int64_t contribution_id) {
  auto conn = db.read();
  std::vector<Source> out;
  for (auto r : conn->query("SELECT id, contribution_id, title, url, category, created_at FROM contribution_sources WHERE contribution_id = ? ORDER BY id", {contribution_id}))
    out.push_back({r.int64(0), r.int64(1), r.str(2), r.str(3), r.str(4), r.int64(5)});
  return out;
}

Result<Comment> comment(db::Database& db, int64_t contribution_id, std::optional<int64_t> parent_id, const std::string& text, int64_t user_id, int64_t now) {
  std::string body(str::trim(text));
  if (body.empty()) return Error::validation("comment", "consultations.comment.body_required");
  if (body.size() > kMaxComment) return Error::validation("comment", "consultations.comment.body_too_long").with("max", std::to_string(kMaxComment));
  return db.transaction([&](db::Connection& conn) -> Result<Comment> {
    auto p = open_contribution(conn, contribution_id, Action::comment, now);
    if (!p) return p.error();
    Actor actor;
    actor.user_id = user_id;
    if (auto e = participation_error(conn, *p, actor, now)) return *e;
    int depth = 0;
    if (parent_id) {
      auto parent_rows = conn.query("SELECT depth, status FROM contribution_comments WHERE id = ? AND contribution_id = ?", {*parent_id, contribution_id});
      auto parent = parent_rows.first();
      if (!parent || parent->text(1) != "published") return Error::validation("parent", "consultations.comment.parent_unknown");
      depth = static_cast<int>(parent->int64(0)) + 1;
      if (depth > kMaxCommentDepth) return Error::validation("parent", "consultations.comment.too_deep").with("max", std::to_string(kMaxCommentDepth));
    }
    bool held = p->premoderation || count_links(body) >= kLinkHeavy;
    int64_t id = conn.query("INSERT INTO contribution_comments (contribution_id, parent_id, depth, body, user_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            {contribution_id, parent_id, depth, body, user_id, held ? "pending" : "published", now})[0]
                     .int64(0);
    recount_comments(conn, contribution_id);
    if (!held) notify(conn, contribution_id, NotificationKind::comment, user_id, body, now);
    Comment c;
    c.id = id;
    c.contribution_id = contribution_id;
    c.parent_id = parent_id;
    c.depth = depth;
    c.body = body;
    c.user_id = user_id;
    c.status = held ? Status::pending : Status::published;
    c.created_at = now;
    return c;
  });
}

std::vector<Comment> comments_of(db::Database& db, int64_t contribution_id) {
  auto conn = db.read();
  std::vector<Comment> all;
  for (auto r : conn->query("SELECT c.id, c.contribution_id, c.parent_id, c.depth, c.body, COALESCE(u.display_name, ''), c.moderation_reason, c.user_id, "
                            "c.status, c.created_at FROM contribution_comments c LEFT JOIN users u ON u.id = c.user_id "
                            "WHERE c.contribution_id = ? AND c.status IN ('published', 'hidden', 'trashed') ORDER BY c.id",
                            {contribution_id})) {
    Comment c;
    c.id = r.int64(0);
    c.contribution_id = r.int64(1);
    c.parent_id = r.opt_int(2);
    c.depth = static_cast<int>(r.int64(3));
    c.body = r.str(4);
    c.author_name = r.str(5);
    c.moderation_reason = r.str(6);
    c.user_id = r.opt_int(7);
    c.status = parse_status(r.text(8)).value_or(Status::hidden);
    c.created_at = r.int64(9);
    all.push_back(std::move(c));
  }
  // Threads in reading order: each comment followed by its replies (ids grow with time).
  std::unordered_map<int64_t, std::vector<size_t>> replies;  // parent id → positions, in id order
  std::vector<size_t> roots;
  for (size_t i = 0; i < all.size(); ++i) (all[i].parent_id ? replies[*all[i].parent_id] : roots).push_back(i);
  std::vector<Comment> out;
  out.reserve(all.size());
  std::function<void(const std::vector<size_t>&)> emit = [&](const std::vector<size_t>& level) {
    for (size_t i : level) {
      out.push_back(std::move(all[i]));
      if (auto it = replies.find(out.back().id); it != replies.end()) emit(it->second);
    }
  };
  emit(roots);
  return out;
}

}  // namespace passerelle::consultations
