// A territory's places (/t/{slug}/lieux: places whose code_insee is one of the territory's INSEE
// codes) and the networks (/reseaux, /reseaux/{reseau}): tiers-lieux, EPN, France Services,
// Conseillers numériques, from `typologie`, `dispositif_programmes_nationaux` and, for the EPN
// that no list of the schema names, the name (docs/places.md, "Réseaux").
#include "places/pages_shared.hpp"
#include "platform/i18n/format.hpp"
#include "territories/store.hpp"

namespace passerelle::places::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

// A value of a `|` list, as SQL: the list with a `|` on each side holds `|value|`.
std::string list_has(const char* column) { return std::string("('|' || ") + column + " || '|') LIKE ?"; }

struct Network {
  const char* slug;
  std::string where;
  db::Params params;
};

const std::vector<Network>& networks() {
  static const std::vector<Network> all = {
      {"tiers-lieux", list_has("typologie"), {"%|TIERS_LIEUX|%"}},
      {"epn", list_has("typologie") + " OR name_key LIKE ? OR (' ' || name_key || ' ') LIKE ?",
       {"%|EPN|%", "%espace public numerique%", "% epn %"}},
      {"france-services", list_has("dispositif_programmes_nationaux") + " OR " + list_has("typologie"), {"%|France Services|%", "%|RFS|%"}},
      {"conseillers-numeriques", list_has("dispositif_programmes_nationaux"), {"%|Conseillers numériques|%"}},
  };
  return all;
}

const Network* network_of(std::string_view slug) {
  for (const auto& n : networks())
    if (slug == n.slug) return &n;
  return nullptr;
}

int64_t count_of(db::Database& db, const Network& n) {
  auto conn = db.read();
  auto rows = conn->query("SELECT COUNT(*) FROM places WHERE " + n.where, n.params);
  return rows[0].int64(0);
}

Response networks_index(Context& ctx) {
  web::PageSpec spec{ctx.t("places_pages.networks.title"), std::nullopt, ""};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    b.el("p", {}, ctx.t("places_pages.networks.intro"));
    auto ul = b.scope("ul");
    for (const auto& n : networks()) {
      auto li = b.scope("li");
      b.el("a", {{"href", std::string("/reseaux/") + n.slug}}, ctx.t(std::string("places_pages.networks.") + n.slug + ".title"));
      b.text(" — " + ctx.t("places_pages.list.count", {{"count", i18n::format_integer(ctx.locale, count_of(ctx.app.db(), n))}}));
    }
  });
}

Response network_page(Context& ctx) {
  const Network* n = network_of(ctx.req.param("reseau"));
  if (!n) return ctx.app.error_response(ctx, 404);
  int64_t page = page_param(ctx);
  auto listing = list_places(ctx.app.db(), "(" + n->where + ")", n->params, page);
  std::string key = std::string("places_pages.networks.") + n->slug;
  web::PageSpec spec{ctx.t(key + ".title"), std::nullopt, ""};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    b.el("p", {}, ctx.t(key + ".definition"));
    b.open("p").el("a", {{"href", "/reseaux"}}, ctx.t("places_pages.networks.all")).close();
    listing_section(b, ctx, listing, page, std::string("/reseaux/") + n->slug);
  });
}

Response territory_page(Context& ctx) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404);
  int64_t page = page_param(ctx);
  std::string where = "code_insee IN (";
  db::Params params;
  for (const auto& code : t->insee_codes) {
    where += params.empty() ? "?" : ", ?";
    params.push_back(code);
  }
  if (params.empty()) where = "1 = 0";
  else where += ")";
  auto listing = list_places(ctx.app.db(), where, params, page);
  web::PageSpec spec{ctx.t("places_pages.territory.title", {{"territory", t->name}}), web::TerritoryRef{t->id, t->slug, t->name}, ""};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    b.el("p", {}, ctx.t("places_pages.territory.intro", {{"count", std::to_string(t->insee_codes.size())}}));
    listing_section(b, ctx, listing, page, "/t/" + t->slug + "/lieux");
  });
}

}  // namespace

void register_lists(web::App& app) {
  app.page(Method::get, "/reseaux", "reseaux", networks_index);
  app.page(Method::get, "/reseaux/{reseau}", "reseau", network_page);
  app.page(Method::get, "/t/{slug}/lieux", "territoire-lieux", territory_page);
}

}  // namespace passerelle::places::pages
