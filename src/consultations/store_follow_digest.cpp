// Digest preferences and the digest job: each account's new notifications gathered into one
// mail a day (or a week), never one mail per event.
#include <unicode/calendar.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <map>
#include <memory>

#include "consultations/follow.hpp"
#include "platform/i18n/format.hpp"
#include "platform/log.hpp"
#include "platform/services.hpp"

namespace passerelle::consultations {

namespace {

constexpr std::string_view kFrequencyNames[] = {"none", "daily", "weekly"};
constexpr int kDigestHour = 7;  // local time: a digest is not the first thing at 3 a.m.

struct LocalTime {
  std::string day;  // YYYY-MM-DD
  int hour = 0;
  bool monday = false;
};

std::optional<LocalTime> paris_time(int64_t now) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Calendar> cal(icu::Calendar::createInstance(icu::TimeZone::createTimeZone("Europe/Paris"), status));
  if (U_FAILURE(status)) return std::nullopt;
  cal->setTime(static_cast<UDate>(now) * 1000.0, status);
  LocalTime t;
  t.hour = cal->get(UCAL_HOUR_OF_DAY, status);
  t.monday = cal->get(UCAL_DAY_OF_WEEK, status) == UCAL_MONDAY;
  if (U_FAILURE(status)) return std::nullopt;
  t.day = i18n::iso_date(now);
  return t;
}

struct Item {
  NotificationKind kind;
  std::string actor, excerpt;
  int64_t at;
};

// The digest of one account, in its transaction: the number of notifications mailed (0: no mail).
int digest_one(db::Connection& conn, int64_t user_id, const LocalTime& local, int64_t now, std::string_view base_url) {
  // Two runs at once (a lease taken over from a process believed dead) cannot both send.
  if (conn.dialect() == db::Dialect::postgres) conn.query("SELECT pg_advisory_xact_lock(hashtext(?))", {"digest:" + std::to_string(user_id)});
  auto rows = conn.query("SELECT u.email, u.display_name, u.locale, u.deleted_at, COALESCE(s.digest, 'daily'), COALESCE(s.last_digest_on, '') "
                         "FROM users u LEFT JOIN notification_settings s ON s.user_id = u.id WHERE u.id = ?",
                         {user_id});
  auto u = rows.first();
  if (!u) return 0;
  auto frequency = parse_digest_frequency(u->text(4)).value_or(DigestFrequency::daily);
  auto pass_over = [&] { conn.exec("UPDATE notifications SET digested_at = ? WHERE user_id = ? AND digested_at IS NULL", {now, user_id}); };
  if (!u->null(3) || frequency == DigestFrequency::none) {
    pass_over();  // still listed on /notifications, never mailed
    return 0;
  }
  if (frequency == DigestFrequency::weekly && !local.monday) return 0;
  if (u->text(5) == local.day) return 0;  // already sent today: what came since waits for the next period
  std::string email = u->str(0), display_name = u->str(1);
  auto locale = i18n::parse_locale(u->text(2));
  // Marked and read in one statement: exactly the rows this digest covers.
  auto gathered = conn.query("UPDATE notifications SET digested_at = ? WHERE user_id = ? AND digested_at IS NULL "
                             "RETURNING id, contribution_id, kind, actor_name, excerpt, created_at, read_at",
                             {now, user_id});
  std::map<int64_t, int64_t> first_of;  // contribution → its first notification id: the mail goes in time order
  std::map<int64_t, std::vector<std::pair<int64_t, Item>>> by_contribution;
  int count = 0;
  for (auto r : gathered) {
    if (!r.null(6)) continue;  // already read in the interface: nothing new to tell
    auto kind = parse_notification_kind(r.text(2));
    if (!kind) continue;
    int64_t id = r.int64(0), contribution = r.int64(1);
    auto [it, fresh] = first_of.emplace(contribution, id);
    if (!fresh && id < it->second) it->second = id;
    by_contribution[contribution].push_back({id, Item{*kind, r.str(3), r.str(4), r.int64(5)}});
    ++count;
  }
  if (count == 0) return 0;
  const auto& cat = i18n::Catalog::instance();
  auto t = [&](std::string_view key, i18n::Args args = {}) { return cat.tr(locale, key, args); };
  std::vector<std::pair<int64_t, int64_t>> order;  // (first id, contribution)
  for (const auto& [contribution, first] : first_of) order.push_back({first, contribution});
  std::sort(order.begin(), order.end());
  std::string body = t("consultations_follow.digest.greeting", {{"name", display_name}}) + "\n\n" +
                     t(frequency == DigestFrequency::weekly ? "consultations_follow.digest.intro_weekly" : "consultations_follow.digest.intro_daily") + "\n";
  for (const auto& [first, contribution] : order) {
    auto title_rows = conn.query("SELECT title FROM contributions WHERE id = ?", {contribution});
    std::string title = title_rows.empty() ? "" : title_rows[0].str(0);
    auto& items = by_contribution[contribution];
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    body += "\n#" + std::to_string(contribution) + " " + title + "\n";
    for (const auto& [id, item] : items) {
      std::string actor = item.actor.empty() ? t("consultations_follow.someone") : item.actor;
      body += "- " + t("consultations_follow.kind." + std::string(name(item.kind)), {{"actor", actor}}) + " (" + i18n::format_datetime(locale, item.at) + ")\n";
      if (!item.excerpt.empty()) body += "  " + t("consultations_follow.digest.quote", {{"text", item.excerpt}}) + "\n";
    }
    body += "  " + std::string(base_url) + "/contributions/" + std::to_string(contribution) + std::string(anchor_of(items.front().second.kind)) + "\n";
  }
  body += "\n" + t("consultations_follow.digest.footer", {{"url", std::string(base_url) + "/notifications"}}) + "\n";
  std::string n = std::to_string(count);
  mail::enqueue(conn, email, t(count == 1 ? "consultations_follow.digest.subject_one" : "consultations_follow.digest.subject", {{"count", n}}), body);
  conn.exec("INSERT INTO notification_settings (user_id, last_digest_on, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET last_digest_on = excluded.last_digest_on",
            {user_id, local.day, now});
  return count;
}

}  // namespace

std::string_view name(DigestFrequency f) { return kFrequencyNames[static_cast<int>(f)]; }
std::optional<DigestFrequency> parse_digest_frequency(std::string_view s) {
  for (size_t i = 0; i < std::size(kFrequencyNames); ++i)
    if (kFrequencyNames[i] == s) return static_cast<DigestFrequency>(i);
  return std::nullopt;
}

DigestFrequency digest_frequency(db::Database& db, int64_t user_id) {
  auto conn = db.read();
  auto rows = conn->query("SELECT digest FROM notification_settings WHERE user_id = ?", {user_id});
  return rows.empty() ? DigestFrequency::daily : parse_digest_frequency(rows[0].text(0)).value_or(DigestFrequency::daily);
}

void set_digest_frequency(db::Database& db, int64_t user_id, DigestFrequency f, int64_t now) {
  db.transaction([&](db::Connection& conn) {
    conn.exec("INSERT INTO notification_settings (user_id, digest, updated_at) VALUES (?, ?, ?) "
              "ON CONFLICT (user_id) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at",
              {user_id, name(f), now});
  });
}

DigestReport send_digests(db::Database& db, int64_t now, std::string_view base_url) {
  DigestReport report;
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  auto local = paris_time(now);
  if (!local || local->hour < kDigestHour) return report;
  std::vector<int64_t> users;
  {
    auto conn = db.read();
    for (auto r : conn->query("SELECT DISTINCT user_id FROM notifications WHERE digested_at IS NULL ORDER BY user_id")) users.push_back(r.int64(0));
  }
  for (int64_t user : users) {
    int mailed = db.transaction([&](db::Connection& conn) { return digest_one(conn, user, *local, now, base_url); });
    if (mailed > 0) ++report.mails, report.notifications += mailed;
  }
  if (report.mails > 0)
    log::info("notification_digests", {{"mails", std::to_string(report.mails)}, {"notifications", std::to_string(report.notifications)}});
  return report;
}

}  // namespace passerelle::consultations
