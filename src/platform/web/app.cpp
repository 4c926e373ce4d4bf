#include "platform/web/app.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/security/crypto.hpp"
#include "platform/services.hpp"
#include "platform/web/layout.hpp"
#include "platform/web/page_extras.hpp"
#include "search/service.hpp"

namespace passerelle::web {

namespace {
constexpr const char* kRoles[] = {"administrateur", "moderateur", "mediateur", "agent", "citoyen"};
constexpr std::string_view kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

// A visitor's language: the one chosen with /langue/…, then Accept-Language (no database access).
i18n::Locale visitor_locale(const http::Request& req) {
  if (auto l = req.cookie(kLocaleCookie)) return i18n::parse_locale(*l);
  return i18n::from_accept_language(req.header(http::bhttp::field::accept_language));
}

bool wants_json(const http::Request& req) {
  return req.path.substr(0, 5) == "/api/" || req.header(http::bhttp::field::accept).find("application/json") != std::string_view::npos;
}
}  // namespace

std::string content_security_policy(std::string_view extra_img_src) {
  if (extra_img_src.empty()) return std::string(kCsp);
  std::string csp(kCsp);
  std::string_view img = "img-src 'self' data:";
  csp.insert(csp.find(img) + img.size(), " " + std::string(extra_img_src));
  return csp;
}

const MapTiles& map_tiles() { return mutable_map_tiles(); }
MapTiles& mutable_map_tiles() {
  static MapTiles tiles;
  return tiles;
}

http::Response login_redirect(std::string_view back) {
  return http::Response::redirect("/connexion?retour=" + str::url_encode(back));
}

std::string_view role_name(Role r) { return kRoles[static_cast<int>(r)]; }

std::optional<Role> parse_role(std::string_view s) {
  for (int i = 0; i < 5; ++i)
    if (s == kRoles[i]) return static_cast<Role>(i);
  return std::nullopt;
}

bool Account::has_role(int64_t territory_id, Role role) const {
  for (const auto& m : memberships)
    if (m.territory_id == territory_id && m.role == role) return true;
  return false;
}

void Context::set_cookie(std::string_view name, std::string_view value, int64_t max_age_seconds) {
  std::string c = std::string(name) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age_seconds);
  if (app.config().secure_cookies || req.secure) c += "; Secure";
  set_cookies.push_back(std::move(c));
}

App::App(Config config, std::unique_ptr<db::Database> db) : config_(std::move(config)), db_(std::move(db)) {
  secret_ = settings::server_secret(*db_);
  if (config_.page_cache_mb > 0)
    page_cache_ = std::make_unique<PageCache>(config_.page_cache_mb << 20, std::chrono::seconds(config_.page_cache_seconds));
}

const std::string& Context::csrf_token() {
  personalised = true;
  if (csrf.empty() && !account) {
    visitor = security::random_token();
    set_cookie(kVisitorCookie, *visitor, 30 * 24 * 3600);
    csrf = security::mac(app.secret(), "visiteur:" + *visitor);
  }
  return csrf;
}

search::Service& App::search() {
  if (!search_) throw std::logic_error("aucun service de recherche n'est branché sur l'application");
  return *search_;
}

http::Metrics& App::metrics() {
  if (!metrics_) {
    std::vector<std::string> names;
    for (const auto& r : router_.routes()) names.push_back(r.name);
    metrics_ = std::make_unique<http::Metrics>(std::move(names));
  }
  return *metrics_;
}

std::optional<Account> App::load_account(int64_t user_id) {
  auto conn = db_->read();
  auto rows = conn->query(
      "SELECT id, email, display_name, profile_type, is_platform_admin, locale FROM users WHERE id = ? AND deleted_at IS NULL", {user_id});
  if (rows.empty()) return std::nullopt;
  Account a;
  a.id = rows[0].int64(0);
  a.email = rows[0].str(1);
  a.display_name = rows[0].str(2);
  a.profile_type = rows[0].str(3);
  a.platform_admin = rows[0].int64(4) != 0;
  a.locale = rows[0].opt_str(5);
  auto ms = conn->query(
      "SELECT m.territory_id, t.slug, t.name, m.role FROM memberships m JOIN territories t ON t.id = m.territory_id "
      "WHERE m.user_id = ? ORDER BY t.name",
      {user_id});
  for (auto m : ms)
    if (auto role = parse_role(m.text(3))) a.memberships.push_back({m.int64(0), m.str(1), m.str(2), *role});
  return a;
}

Context App::context(http::Request& req, bool api) {
  Context ctx{*this, req};
  // Identity: a bearer token (outside clients) or the session cookie (the browser).
  auto auth = req.header(http::bhttp::field::authorization);
  if (api && auth.substr(0, 7) == "Bearer ") {
    std::string digest = security::token_digest(str::trim(auth.substr(7)));
    std::optional<int64_t> user_id;
    {
      auto conn = db_->read();
      auto rows = conn->query("SELECT user_id, COALESCE(last_used_at, 0) FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", {digest});
      if (!rows.empty()) user_id = rows[0].int64(0);
      // "Last used" is shown to the owner; a minute's precision spares a write per request.
      if (user_id && rows[0].int64(1) < unix_now() - 60) {
        auto writer = db_->write();
        writer->exec("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", {unix_now(), digest});
      }
    }
    if (user_id) {
      ctx.account = load_account(*user_id);
      ctx.via_api_token = ctx.account.has_value();
    }
  } else if (auto token = req.cookie(kSessionCookie)) {
    if (auto s = sessions::find(*db_, *token)) {
      ctx.account = load_account(s->user_id);
      ctx.csrf = s->csrf;
    }
  }
  if (!ctx.account && !api) {
    // Visitors carry a random cookie that keys their CSRF token (sign-up and login forms).
    auto visitor = req.cookie(kVisitorCookie);
    if (visitor && visitor->size() == 43) {
      ctx.visitor = *visitor;
      ctx.csrf = security::mac(secret_, "visiteur:" + *visitor);
    }
  }
  // Locale: the account's choice, then the language cookie, then Accept-Language.
  if (ctx.account && ctx.account->locale) ctx.locale = i18n::parse_locale(*ctx.account->locale);
  else ctx.locale = visitor_locale(req);
  return ctx;
}

void App::finalize(Context& ctx, http::Response& res) {
  for (auto& c : ctx.set_cookies) res.header("Set-Cookie", c);
  // A page may widen the policy itself (the map's tile server): then its own is the only one.
  bool own_csp = std::any_of(res.headers.begin(), res.headers.end(), [](const auto& h) { return h.first == "Content-Security-Policy"; });
  if (!own_csp) res.header("Content-Security-Policy", std::string(kCsp));
  res.header("X-Content-Type-Options", "nosniff");
  res.header("Referrer-Policy", "same-origin");
  res.header("X-Frame-Options", "DENY");
  if (ctx.signed_in() || !ctx.set_cookies.empty()) res.header("Cache-Control", "no-store");
  res.header("Content-Language", std::string(i18n::code(ctx.locale)));
  res.header("Vary", "Cookie, Accept-Language");
}

namespace {
// The database's change marker and the search index's generation: a page showing search results
// changes when the index catches up with a commit, after the commit itself (see PageCache).
std::string change_marker(db::Database& db, const search::Service* search) {
  std::string marker = db.change_marker();
  if (search && !marker.empty()) marker += "/" + std::to_string(search->generation());
  return marker;
}
}  // namespace

void App::page(http::Method method, std::string pattern, std::string name, PageHandler handler, bool slow) {
  router_.add(method, std::move(pattern), std::move(name), [this, method, handler = std::move(handler)](http::Request& req) {
    // Visitors without a session may get a page rendered for another visitor (see PageCache).
    bool cacheable = page_cache_ && method == http::Method::get && !req.cookie(kSessionCookie);
    std::string cache_key, marker;
    if (cacheable) {
      cache_key = std::string(i18n::code(visitor_locale(req))) + (req.secure ? " https://" : " http://") +
                  std::string(req.header(http::bhttp::field::host)) + std::string(req.raw.target());
      marker = change_marker(*db_, search_);
      if (auto hit = page_cache_->find(cache_key, marker)) {
        hit->header("X-Cache", "hit");  // for operators and tests: this page was not rendered again
        return std::move(*hit);
      }
    }
    Context ctx = context(req, false);
    bool csrf_ok = true;
    if (method != http::Method::get && method != http::Method::head) {
      auto sent = req.form().get("_csrf");
      csrf_ok = sent && !ctx.csrf.empty() && security::constant_time_equal(*sent, ctx.csrf);
    }
    http::Response res = csrf_ok ? handler(ctx) : error_response(ctx, 403, ctx.t("error.csrf"));
    finalize(ctx, res);
    if (cacheable && res.status == 200 && !ctx.account && !ctx.personalised && ctx.set_cookies.empty())
      page_cache_->store(cache_key, marker, change_marker(*db_, search_), res);
    return res;
  }, slow);
}

void App::api(http::Method method, std::string pattern, std::string name, PageHandler handler, bool slow) {
  router_.add(method, std::move(pattern), std::move(name), [this, method, handler = std::move(handler)](http::Request& req) {
    Context ctx = context(req, true);
    bool csrf_ok = true;
    if (method != http::Method::get && method != http::Method::head && ctx.account && !ctx.via_api_token) {
      // A browser session writing through the API must prove it is our page (CSRF).
      auto sent = req.header("X-CSRF-Token");
      csrf_ok = !sent.empty() && security::constant_time_equal(sent, ctx.csrf);
    }
    http::Response res = csrf_ok ? handler(ctx) : error_response(ctx, 403, ctx.t("error.csrf"));
    finalize(ctx, res);
    return res;
  }, slow);
}

void App::raw(http::Method method, std::string pattern, std::string name, http::Handler handler, bool slow) {
  router_.add(method, std::move(pattern), std::move(name), std::move(handler), slow);
}

http::Response App::error_response(http::Request& req, unsigned status, std::string_view detail) {
  Context ctx{*this, req};
  ctx.locale = visitor_locale(req);
  http::Response res = error_response(ctx, status, detail);
  finalize(ctx, res);
  return res;
}

http::Response App::error_response(Context& ctx, unsigned status, std::string_view detail) {
  std::string key = "error." + std::to_string(status);
  std::string title = ctx.t(key + ".title");
  std::string text = detail.empty() ? ctx.t(key + ".text") : std::string(detail);
  http::Response res;
  if (wants_json(ctx.req)) {
    res = http::Response::json(nlohmann::json{{"error", {{"status", status}, {"title", title}, {"message", text}}}}.dump(), status);
  } else {
    res.status = status;
    res.body = render_error_page(ctx, status, title, text);
  }
  return res;  // the security headers are added once, by the page/api adapter returning it
}

http::Response App::error_response(Context& ctx, const Error& error) {
  if (wants_json(ctx.req) && !error.field.empty()) {
    // JSON clients get the field as data, not only inside the sentence.
    http::Response res = error_response(ctx, status_of(error), ctx.t(error));
    auto doc = nlohmann::json::parse(res.body);
    doc["error"]["champ"] = error.field;
    res.body = doc.dump();
    return res;
  }
  return error_response(ctx, status_of(error), ctx.t(error));
}

unsigned App::status_of(const Error& error) {
  unsigned status = 400;
  switch (error.kind) {
    case ErrorKind::validation: status = 422; break;
    case ErrorKind::not_found: status = 404; break;
    case ErrorKind::conflict: status = 409; break;
    case ErrorKind::forbidden: status = 403; break;
    case ErrorKind::unauthorized: status = 401; break;
    case ErrorKind::rate_limited: status = 429; break;
    case ErrorKind::unavailable: status = 503; break;
  }
  return status;
}

}  // namespace passerelle::web
