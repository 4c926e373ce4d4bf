#include "site/site.hpp"

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "platform/core/resources.hpp"
#include "platform/core/strings.hpp"
#include "platform/db/migrate.hpp"
#include "platform/services.hpp"
#include "platform/version.hpp"

namespace passerelle::site {

using http::Method;
using http::Request;
using http::Response;

namespace {

struct StaticFile {
  std::string_view bytes;
  std::string content_type;
  std::string etag;
};

std::string_view content_type_for(std::string_view path) {
  auto ends = [&](std::string_view ext) { return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext; };
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".json")) return "application/json";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// FNV-1a: a stable ETag computed once per embedded file at start-up.
std::string etag_of(std::string_view bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  char buf[24];
  snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

const std::unordered_map<std::string, StaticFile>& static_files() {
  static const auto files = [] {
    std::unordered_map<std::string, StaticFile> m;
    const std::string prefix = "web/static/";
    const std::string leaflet = "node_modules/leaflet/dist/";  // npm's Leaflet, as /static/leaflet/…
    for (const auto& r : resources::all()) {
      if (r.path.rfind(prefix, 0) == 0)
        m.emplace(std::string(r.path.substr(prefix.size())), StaticFile{r.bytes, std::string(content_type_for(r.path)), etag_of(r.bytes)});
      else if (r.path.rfind(leaflet, 0) == 0)
        m.emplace("leaflet/" + std::string(r.path.substr(leaflet.size())), StaticFile{r.bytes, std::string(content_type_for(r.path)), etag_of(r.bytes)});
    }
    return m;
  }();
  return files;
}

}  // namespace

// The shared description lives in web/static/openapi/openapi.json; each module describes its own
// paths and schemas in web/openapi/<module>.json, merged here once.
static std::string merged_openapi() {
  auto doc = nlohmann::json::parse(resources::find("web/static/openapi/openapi.json").value_or("{}"));
  for (const auto& r : resources::all()) {
    if (!r.path.starts_with("web/openapi/") || !r.path.ends_with(".json")) continue;
    auto part = nlohmann::json::parse(r.bytes);
    // value() returns a temporary: keep it alive for the loop (items() only refers to it).
    auto paths = part.value("paths", nlohmann::json::object());
    for (auto& [path, item] : paths.items()) doc["paths"][path] = item;
    auto components = part.value("components", nlohmann::json::object());
    for (auto& [section, entries] : components.items())
      for (auto& [name, value] : entries.items()) doc["components"][section][name] = value;
  }
  return doc.dump(1);
}

void register_routes(web::App& app) {
  static_files();  // build the table before serving
  app.raw(Method::get, "/static/{*path}", "statique", [&app](Request& req) {
    auto it = static_files().find(req.param("path"));
    if (it == static_files().end()) return app.error_response(req, 404);
    const StaticFile& f = it->second;
    Response r;
    r.header("ETag", f.etag);
    r.header("Cache-Control", "public, max-age=3600, must-revalidate");
    r.header("X-Content-Type-Options", "nosniff");
    if (req.header(http::bhttp::field::if_none_match) == f.etag) {
      r.status = 304;
      r.content_type = f.content_type;
      return r;
    }
    r.content_type = f.content_type;
    r.body.assign(f.bytes);
    return r;
  });

  app.raw(Method::get, "/healthz", "healthz", [](Request&) {
    Response r = Response::text("ok\n");
    r.header("Cache-Control", "no-store");
    return r;
  });

  app.raw(Method::get, "/metrics", "metrics", [&app](Request&) {
    std::string body = app.metrics().render([&](std::string& out) {
      auto s = app.db().stats();
      out += "# HELP passerelle_db_pool_connections Database connections by state.\n# TYPE passerelle_db_pool_connections gauge\n";
      out += "passerelle_db_pool_connections{state=\"open\"} " + std::to_string(s.open) + "\n";
      out += "passerelle_db_pool_connections{state=\"in_use\"} " + std::to_string(s.in_use) + "\n";
      out += "passerelle_db_pool_connections{state=\"max\"} " + std::to_string(s.max) + "\n";
      out += "# TYPE passerelle_db_pool_waits_total counter\npasserelle_db_pool_waits_total " + std::to_string(s.waits) + "\n";
      out += "# HELP passerelle_build_info Build of this process.\n# TYPE passerelle_build_info gauge\n";
      out += std::string("passerelle_build_info{version=\"") + kVersion + "\",schema=\"" + std::to_string(db::binary_schema_version()) +
             "\",backend=\"" + (app.db().dialect() == db::Dialect::sqlite ? "sqlite" : "postgresql") + "\"} 1\n";
    });
    Response r = Response::text(std::move(body));
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return r;
  });

  app.raw(Method::get, "/api/openapi.json", "openapi", [](Request&) {
    static const std::string merged = merged_openapi();
    Response r = Response::json(merged);
    r.header("Access-Control-Allow-Origin", "*");
    return r;
  });

  app.page(Method::get, "/langue/{code}", "langue", [](web::Context& ctx) {
    std::string code = ctx.req.param("code") == "en" ? "en" : "fr";
    ctx.set_cookie(web::kLocaleCookie, code, 365 * 24 * 3600);
    std::string back = ctx.req.query_fields().value("retour");
    if (!web::is_local_path(back)) back = "/";
    return Response::redirect(back);
  });

  // Files live in the database, so every process behind a load balancer serves them.
  app.api(Method::post, "/api/v1/files", "api-fichiers", [](web::Context& ctx) {
    if (!ctx.account) return ctx.app.error_response(ctx, 401);
    std::string name = ctx.req.query_fields().value("nom");
    auto stored = files::store(ctx.app.db(), name.empty() ? "fichier" : name, ctx.req.body(), ctx.account->id);
    if (!stored) return ctx.app.error_response(ctx, stored.error());
    return Response::json(nlohmann::json{{"id", stored->id}, {"sha256", stored->sha256}, {"url", "/fichiers/" + std::to_string(stored->id)}}.dump(), 201);
  });
  app.raw(Method::get, "/fichiers/{id}", "fichier", [&app](Request& req) {
    auto id = str::to_int(req.param("id"));
    auto f = id ? files::load(app.db(), *id) : std::nullopt;
    if (!f) return app.error_response(req, 404);
    Response r;
    r.content_type = f->content_type;
    r.body = std::move(f->bytes);
    r.header("ETag", "\"" + f->sha256 + "\"");
    r.header("Cache-Control", "public, max-age=86400");
    r.header("X-Content-Type-Options", "nosniff");
    r.header("Content-Security-Policy", "default-src 'none'");
    return r;
  });
}

}  // namespace passerelle::site
