#pragma once
// Subscriptions between instances: a territory follows the open data export of another
// Passerelle instance (feed_out's JSON) and a scheduled job imports its practice sheets with
// provenance. Each pull reads the whole export first and refuses it at the first problem, then
// imports it in one transaction (all or nothing), so a malformed feed or an unreachable instance
// changes nothing; its outcome (counts or the reason, in French) is recorded for the
// administrators. Imported copies edited locally are never
// overwritten (practices::import_practice); sheets gone from the export are withdrawn locally.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "platform/db/database.hpp"
#include "platform/i18n/catalog.hpp"
#include "platform/result.hpp"
#include "practices/feed_in.hpp"

namespace passerelle::web {
class App;
}

namespace passerelle::practices::federation {

struct Subscription {
  int64_t id = 0;
  int64_t territory_id = 0;
  std::string territory_slug;
  std::string territory_name;
  std::string url;     // the JSON export followed
  std::string origin;  // scheme://host[:port]: the provenance of the copies
  std::optional<int64_t> created_by;
  int64_t created_at = 0;
  std::optional<int64_t> last_pull_at;
  std::string last_status = "jamais";  // jamais, ok, erreur
  std::string last_message;            // French, for the administrators
};

struct Counts {
  int created = 0, updated = 0, unchanged = 0, kept_local = 0, withdrawn = 0;
};

struct PullRecord {
  int64_t started_at = 0;
  int64_t finished_at = 0;
  bool ok = false;
  Counts counts;
  std::string message;
};

std::vector<Subscription> list(db::Database& db, std::optional<int64_t> territory_id = std::nullopt);
std::optional<Subscription> find(db::Database& db, int64_t id);
// Error field "url": federation.url_invalid, federation.url_not_json_export (not a .json path),
// conflict federation.already_followed (that instance is followed already, arg territory).
Result<Subscription> subscribe(db::Database& db, int64_t territory_id, std::string_view url, std::optional<int64_t> actor);
passerelle::Status unsubscribe(db::Database& db, int64_t id, std::optional<int64_t> actor);
std::vector<PullRecord> history(db::Database& db, int64_t subscription_id, size_t limit = 10);

// Fetches, checks and imports one subscription; records and returns the outcome.
PullRecord pull(db::Database& db, const Subscription& subscription, const feed::FetchOptions& options = {});
// Every subscription, one after the other (the scheduled job and `passerelle federation pull`).
std::vector<std::pair<Subscription, PullRecord>> pull_all(db::Database& db, const feed::FetchOptions& options = {});

// The French text of a federation error (feed, fetch or subscription), with what it names.
std::string describe(const Error& error, i18n::Locale locale = i18n::Locale::fr);
std::string describe(const Counts& counts, i18n::Locale locale = i18n::Locale::fr);

// /t/{slug}/admin/federation (territory administrators) and /admin/federation (platform).
void register_pages(web::App& app);

// `passerelle federation add|pull|list`: print to `out` (errors to `err`), return the exit code.
int cli_add(db::Database& db, std::string_view territory_slug, std::string_view url, std::ostream& out, std::ostream& err);
int cli_pull(db::Database& db, std::ostream& out);  // 1 when a pull failed
int cli_list(db::Database& db, std::ostream& out);

}  // namespace passerelle::practices::federation
