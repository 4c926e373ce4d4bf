#pragma once
// The application shell shared by every module: configuration, database, routes, the request
// context (locale, signed-in account, CSRF token) and the page/JSON adapters around handlers.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/db/database.hpp"
#include "platform/http/metrics.hpp"
#include "platform/http/router.hpp"
#include "platform/i18n/catalog.hpp"
#include "platform/web/config.hpp"
#include "platform/web/page_cache.hpp"

namespace passerelle::search {
class Service;
}

namespace passerelle::web {

enum class Role { administrateur, moderateur, mediateur, agent, citoyen };
std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view s);

struct Membership {
  int64_t territory_id;
  std::string territory_slug;
  std::string territory_name;
  Role role;
};

struct Account {
  int64_t id = 0;
  std::string email;
  std::string display_name;
  std::string profile_type;
  bool platform_admin = false;
  std::optional<std::string> locale;
  std::vector<Membership> memberships;

  bool has_role(int64_t territory_id, Role role) const;
  // Platform administrators may act everywhere; territory administrators in their territory.
  bool administers(int64_t territory_id) const { return platform_admin || has_role(territory_id, Role::administrateur); }
};

class App;

struct Context {
  App& app;
  http::Request& req;
  i18n::Locale locale = i18n::Locale::fr;
  std::optional<Account> account;
  bool via_api_token = false;
  std::string csrf;                     // token of the session; for visitors, made on demand
  std::optional<std::string> visitor;   // visitor cookie value, if any
  std::vector<std::string> set_cookies; // added to the response
  bool personalised = false;            // the page used the CSRF token: never shared (page cache)

  std::string t(std::string_view key, i18n::Args args = {}) const { return i18n::Catalog::instance().tr(locale, key, args); }
  std::string t(const Error& e) const { return i18n::Catalog::instance().tr(locale, e.message_key, e.args); }
  bool signed_in() const { return account.has_value(); }
  void set_cookie(std::string_view name, std::string_view value, int64_t max_age_seconds);
  // The CSRF token for forms; a visitor without a cookie gets one now (only pages with forms
  // pay for it, so plain pages stay cacheable and cheap).
  const std::string& csrf_token();
};

using PageHandler = std::function<http::Response(Context&)>;

class App {
 public:
  App(Config config, std::unique_ptr<db::Database> db);

  db::Database& db() { return *db_; }
  const Config& config() const { return config_; }
  http::Router& router() { return router_; }
  const std::string& secret() const { return secret_; }

  // HTML routes. POST routes check the CSRF token before the handler runs.
  void page(http::Method method, std::string pattern, std::string name, PageHandler handler, bool slow = false);
  // JSON routes under /api: bearer token or session (with X-CSRF-Token for writes).
  void api(http::Method method, std::string pattern, std::string name, PageHandler handler, bool slow = false);
  // Routes answering before any session work (health, metrics, static files).
  void raw(http::Method method, std::string pattern, std::string name, http::Handler handler, bool slow = false);

  // Renders an error page (HTML or JSON, as the request prefers). The Request form (raw routes,
  // the server) adds the security headers; the Context forms leave them to the page/api adapter
  // that returns the response, so that they are sent once.
  http::Response error_response(http::Request& req, unsigned status, std::string_view detail = {});
  http::Response error_response(Context& ctx, unsigned status, std::string_view detail = {});
  http::Response error_response(Context& ctx, const Error& error);
  static unsigned status_of(const Error& error);

  // Builds the request context: locale, signed-in account, CSRF token.
  Context context(http::Request& req, bool api);
  std::optional<Account> load_account(int64_t user_id);
  // Adds security headers and pending cookies.
  void finalize(Context& ctx, http::Response& res);

  http::Metrics& metrics();

  // The search service, owned by whoever set it (`serve`); search() throws when none was set.
  search::Service& search();
  bool has_search() const { return search_ != nullptr; }
  void set_search(search::Service* service) { search_ = service; }

 private:
  search::Service* search_ = nullptr;
  Config config_;
  std::unique_ptr<db::Database> db_;
  http::Router router_;
  std::string secret_;
  std::unique_ptr<http::Metrics> metrics_;
  std::unique_ptr<PageCache> page_cache_;
};

// True for a path on this site ("/compte"), false for anything a browser could read as another
// site ("//evil.example", "/\\evil.example", "https://…"): redirect targets must pass it.
inline bool is_local_path(std::string_view target) {
  return !target.empty() && target[0] == '/' && target.substr(0, 2) != "//" && target.find('\\') == std::string_view::npos;
}

// Sends a visitor to the login page, to come back to `back` (a local path) once signed in.
http::Response login_redirect(std::string_view back);

// The access guard of every page: a visitor is sent to log in (and brought back to `back`, by
// default this page), a signed-in account that `may` refuses gets 403, anyone else gets `fn()`.
template <class May, class Fn>
http::Response guard(Context& ctx, May&& may, Fn&& fn, std::string_view back = {}) {
  if (!ctx.account) return login_redirect(back.empty() ? std::string_view(ctx.req.path) : back);
  if (!may(*ctx.account)) return ctx.app.error_response(ctx, 403);
  return fn();
}
inline constexpr auto any_account = [](const Account&) { return true; };
inline constexpr auto platform_admin = [](const Account& a) { return a.platform_admin; };

constexpr std::string_view kSessionCookie = "passerelle_session";
constexpr std::string_view kVisitorCookie = "passerelle_visiteur";
constexpr std::string_view kLocaleCookie = "passerelle_langue";

}  // namespace passerelle::web
