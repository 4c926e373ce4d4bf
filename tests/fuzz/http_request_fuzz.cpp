// libFuzzer target for the path every request takes: raw bytes → http::parse_request with the
// server's limits → http::Request → http::dispatch over a small router (segment parameters, a
// wildcard, a form handler) and an error renderer. No database, no sockets.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/html/builder.hpp"
#include "platform/http/server.hpp"
#include "platform/i18n/catalog.hpp"

namespace http = passerelle::http;
using http::bhttp::verb;

namespace {

const http::ServerOptions kOptions;  // the limits the server applies

// Handlers read what real ones read (parameters, query, form, cookies, headers) and echo it
// escaped, so that every decoder on the way is exercised.
http::Response echo(http::Request& req) {
  std::string body = passerelle::html::escape(req.param("slug")) + "|" + passerelle::html::escape(req.param("page"));
  for (const auto& [k, v] : req.query_fields().all()) body += passerelle::html::escape(k) + "=" + passerelle::html::escape(v) + ";";
  if (auto session = req.cookie("passerelle_session")) body += "s:" + passerelle::html::escape(*session);
  body += std::string(passerelle::i18n::code(passerelle::i18n::from_accept_language(req.header(http::bhttp::field::accept_language))));
  return http::Response::text(std::move(body));
}

const http::Router& router() {
  static const http::Router r = [] {
    http::Router r;
    r.add(verb::get, "/", "accueil", echo);
    r.add(verb::get, "/t/{slug}/", "territoire", echo);
    r.add(verb::get, "/t/{slug}/pages/{page}", "page", echo);
    r.add(verb::post, "/t/{slug}/", "territoire_modifier", [](http::Request& req) {
      http::Response res = echo(req);
      for (const auto& [k, v] : req.form().all()) res.body += passerelle::html::escape(k) + "=" + passerelle::html::escape(v) + "&";
      res.body += req.form().value("_csrf");
      return res;
    });
    r.add(verb::get, "/static/{*path}", "statique", [](http::Request& req) { return http::Response::text(req.param("path")); });
    r.add(verb::delete_, "/api/jetons/{id}", "jeton", [](http::Request& req) { return http::Response::json("{\"id\":\"" + req.param("id") + "\"}"); });
    return r;
  }();
  return r;
}

const http::ErrorPages& errors() {
  static const http::ErrorPages e{[](http::Request& req, unsigned status) {
    return http::Response::text("erreur " + std::to_string(status) + " " + passerelle::html::escape(req.path), status);
  }};
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  http::BeastRequest raw;
  auto outcome = http::parse_request(bytes, raw, kOptions.header_limit, kOptions.body_limit);
  if (!outcome.complete) {
    // Refusals carry one of the statuses the server knows how to answer.
    if (outcome.error_status != 0 && outcome.error_status != 400 && outcome.error_status != 413 && outcome.error_status != 431)
      __builtin_trap();
    return 0;
  }
  if (raw.body().size() > kOptions.body_limit) __builtin_trap();
  http::Request req(raw);
  size_t route_index = 0;
  http::Response res = http::dispatch(router(), req, errors(), &route_index);
  if (route_index > router().routes().size() || res.status < 100 || res.status > 599) __builtin_trap();
  return 0;
}
