#pragma once
// Following a contribution: an account follows a contribution (its author from the start, by a
// trigger of migration 0007), every event on it (argument, comment, amendment, answer,
// moderation, follow-up milestone) becomes one notification per follower other than the one
// who acted, written in the event's transaction; the interface lists them, and a job gathers
// each account's new ones into ONE digest mail a day or a week, never one mail per event.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db/database.hpp"
#include "platform/result.hpp"

namespace passerelle::html {
class Builder;
}
namespace passerelle::web {
struct Context;
class App;
}

namespace passerelle::consultations {

struct Contribution;

// --- Store (store_follow.cpp) ---

enum class NotificationKind { argument, comment, amendment, answer, status, milestone, milestone_done };
// "argument", "comment", "amendment", "answer", "status", "milestone", "milestone_done"
std::string_view name(NotificationKind k);
std::optional<NotificationKind> parse_notification_kind(std::string_view s);
// The part of the contribution page a notification of this kind points to ("#arguments"…),
// for the /notifications page and the digest mails alike.
std::string_view anchor_of(NotificationKind k);

// Only a contribution the account may see (published, or its own) in a published process.
passerelle::Status follow(db::Database& db, int64_t user_id, int64_t contribution_id, int64_t now);
passerelle::Status unfollow(db::Database& db, int64_t user_id, int64_t contribution_id);
bool follows(db::Database& db, int64_t user_id, int64_t contribution_id);

struct Followed {
  int64_t contribution_id = 0;
  std::string title;
  int64_t since = 0;
};
std::vector<Followed> followed_by(db::Database& db, int64_t user_id);  // newest first

// One notification per follower of the contribution except `actor_user_id`, in the caller's
// transaction (so a refused or rolled-back event notifies no one).
void notify(db::Connection& conn, int64_t contribution_id, NotificationKind kind, std::optional<int64_t> actor_user_id,
            std::string_view excerpt, int64_t now);
// A milestone just completed (done_at = now): its followers are told, with its title.
void notify_milestone_done(db::Connection& conn, int64_t milestone_id, int64_t by, int64_t now);

struct Notification {
  int64_t id = 0;
  int64_t contribution_id = 0;
  std::string contribution_title;
  NotificationKind kind = NotificationKind::comment;
  std::string actor_name, excerpt;
  int64_t created_at = 0;
  std::optional<int64_t> read_at;
};
struct NotificationPage {
  std::vector<Notification> items;  // unread first, then newest first
  int64_t total = 0, unread = 0;
};
int64_t unread_count(db::Database& db, int64_t user_id);
NotificationPage notifications_of(db::Database& db, int64_t user_id, size_t offset, size_t limit);
// Returns how many changed; an id of another account changes nothing.
int64_t mark_read(db::Database& db, int64_t user_id, int64_t notification_id, int64_t now);
int64_t mark_all_read(db::Database& db, int64_t user_id, int64_t now);
// Visiting a contribution reads what was new on it (a write only when something is unread).
void mark_read_on(db::Database& db, int64_t user_id, int64_t contribution_id, int64_t now);

// --- Digests (store_follow_digest.cpp) ---

enum class DigestFrequency { none, daily, weekly };
std::string_view name(DigestFrequency f);  // "none", "daily", "weekly"
std::optional<DigestFrequency> parse_digest_frequency(std::string_view s);
DigestFrequency digest_frequency(db::Database& db, int64_t user_id);  // daily until changed
void set_digest_frequency(db::Database& db, int64_t user_id, DigestFrequency f, int64_t now);

struct DigestReport {
  int mails = 0;
  int notifications = 0;  // gathered into those mails
};
// For every account whose period is due at `now` (daily: once a calendar day in Europe/Paris,
// from 7:00; weekly: Mondays from 7:00), ONE mail with its new unread notifications, marked as
// digested in the same transaction (one per account). Running it again the same day sends
// nothing. `base_url` prefixes the links ("https://participer.example.fr", or "").
DigestReport send_digests(db::Database& db, int64_t now, std::string_view base_url);

// --- Pages and API (pages_follow.cpp, api_follow.cpp) ---

namespace pages {
// The "Suivre cette contribution" / "Ne plus suivre" button on the contribution page (signed-in
// accounts only, so the visitors' page stays the same and cacheable).
void follow_section(html::Builder& b, web::Context& ctx, const Contribution& c);
// The unread count and the link to /notifications, for the account page.
void notifications_summary(html::Builder& b, web::Context& ctx);
void register_follow_pages(web::App& app);
}  // namespace pages
void register_follow_api(web::App& app);

}  // namespace passerelle::consultations
