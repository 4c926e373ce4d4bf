#include <nlohmann/json.hpp>

#include "territories/pages.hpp"
#include "territories/store.hpp"

namespace passerelle::territories {

static nlohmann::json to_json(const Territory& t) {
  return {{"slug", t.slug}, {"nom", t.name}, {"type", t.kind}, {"codes_insee", t.insee_codes}, {"presentation", t.summary}, {"cree_le", t.created_at}};
}

void register_api(web::App& app) {
  app.api(http::Method::get, "/api/v1/territories", "api-territoires", [](web::Context& ctx) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : list(ctx.app.db())) out.push_back(to_json(t));
    return http::Response::json(nlohmann::json{{"territoires", out}}.dump());
  });
  app.api(http::Method::get, "/api/v1/territories/{slug}", "api-territoire", [](web::Context& ctx) {
    auto t = find(ctx.app.db(), ctx.req.param("slug"));
    if (!t) return ctx.app.error_response(ctx, 404, ctx.t("territory.not_found"));
    return http::Response::json(to_json(*t).dump());
  });
  app.api(http::Method::post, "/api/v1/territories", "api-territoires", [](web::Context& ctx) {
    if (!ctx.account) return ctx.app.error_response(ctx, 401);
    if (!ctx.account->platform_admin) return ctx.app.error_response(ctx, 403);
    auto doc = nlohmann::json::parse(ctx.req.body(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return ctx.app.error_response(ctx, 400, ctx.t("api.bad_json"));
    auto text = [&](const char* k) { return doc.contains(k) && doc[k].is_string() ? doc[k].get<std::string>() : std::string(); };
    std::string codes;
    if (doc.contains("codes_insee") && doc["codes_insee"].is_array())
      for (auto& c : doc["codes_insee"]) if (c.is_string()) codes += c.get<std::string>() + " ";
    NewTerritory nt{text("slug"), text("nom"), text("type").empty() ? "commune" : text("type"), codes, text("presentation")};
    Errors errors;
    auto t = create(ctx.app.db(), nt, ctx.account->id, errors);
    if (!t) return ctx.app.error_response(ctx, t.error());
    return http::Response::json(to_json(*t).dump(), 201);
  });
}

}  // namespace passerelle::territories
