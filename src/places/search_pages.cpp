// /lieux: every filter in a GET form (no JavaScript needed), the results as a paginated list
// with distance, open now and the "centre of the commune" mention, and a map (Leaflet, our
// web/static/js/lieux-carte.js) that loads the server's clusters for the same filters.
#include "places/search_pages.hpp"

#include "places/pages_shared.hpp"
#include "places/search_api.hpp"
#include "places/search_pages_shared.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "platform/web/page_extras.hpp"

namespace passerelle::places {

void register_orientation_pages(web::App& app);  // orientation_pages.cpp

namespace pages {
namespace {

using http::Method;
using web::Context;

constexpr double kRadii[] = {2, 5, 10, 20, 50, 100};

bool checked(const http::Fields& f, ListFilter filter, const std::string& value) {
  for (const auto& v : list_values(f, param_of(filter)))
    if (canonical_value(filter, v) == value) return true;
  return false;
}

void list_fieldset(html::Builder& b, Context& ctx, const http::Fields& f, ListFilter filter, const std::vector<std::string>& values) {
  if (values.empty()) return;
  std::string param(param_of(filter));
  auto fs = b.scope("fieldset", {{"class", "field facet"}, {"id", "champ-" + param}});
  b.el("legend", {}, ctx.t("places_search.filter." + param));
  auto ul = b.scope("ul", {{"class", "checkbox-list"}});
  size_t n = 0;
  for (const auto& value : values) {
    std::string id = "filtre-" + param + "-" + std::to_string(n++);
    auto li = b.scope("li");
    b.void_el("input", {{"type", "checkbox"}, {"id", id}, {"name", param}, {"value", value}, {"checked", "", checked(f, filter, value)}});
    b.el("label", {{"for", id}}, value_label(ctx, value));
  }
}

void search_form(html::Builder& b, Context& ctx, const Index& index) {
  const auto& f = ctx.req.query_fields();
  auto form = b.scope("form", {{"method", "get"}, {"action", "/lieux"}, {"role", "search"}, {"aria-label", ctx.t("places_search.form_label")}});
  {
    auto d = b.scope("div", {{"class", "field"}});
    b.el("label", {{"for", "champ-q"}}, ctx.t("places_search.field.q"));
    b.el("p", {{"class", "hint"}, {"id", "champ-q-aide"}}, ctx.t("places_search.field.q_hint"));
    b.void_el("input", {{"type", "search"}, {"id", "champ-q"}, {"name", "q"}, {"value", f.value("q")}, {"aria-describedby", "champ-q-aide"}});
  }
  {
    auto d = b.scope("div", {{"class", "field"}});
    b.el("label", {{"for", "champ-lieu"}}, ctx.t("places_search.field.lieu"));
    b.el("p", {{"class", "hint"}, {"id", "champ-lieu-aide"}}, ctx.t("places_search.field.lieu_hint"));
    b.void_el("input", {{"type", "text"}, {"id", "champ-lieu"}, {"name", "lieu"}, {"value", f.value("lieu")}, {"aria-describedby", "champ-lieu-aide"},
                        {"autocomplete", "address-level2"}});
  }
  {
    auto d = b.scope("div", {{"class", "field"}});
    b.el("label", {{"for", "champ-radius_km"}}, ctx.t("places_search.field.radius"));
    auto s = b.scope("select", {{"id", "champ-radius_km"}, {"name", "radius_km"}});
    std::string current = f.value("radius_km");
    b.el("option", {{"value", ""}, {"selected", "", current.empty()}}, ctx.t("places_search.field.radius_any"));
    for (double r : kRadii) {
      std::string v = std::to_string(static_cast<int>(r));
      b.el("option", {{"value", v}, {"selected", "", current == v}}, ctx.t("places_search.field.radius_km", {{"km", v}}));
    }
  }
  list_fieldset(b, ctx, f, ListFilter::services, values_of(ListFilter::services));
  list_fieldset(b, ctx, f, ListFilter::modalites, values_of(ListFilter::modalites));
  {
    auto details = b.scope("details", {{"class", "more-filters"}});
    b.el("summary", {}, ctx.t("places_search.more_filters"));
    list_fieldset(b, ctx, f, ListFilter::publics, values_of(ListFilter::publics));
    list_fieldset(b, ctx, f, ListFilter::frais, values_of(ListFilter::frais));
    list_fieldset(b, ctx, f, ListFilter::typologie, index.typologies());
  }
  {
    auto fs = b.scope("fieldset", {{"class", "field"}});
    b.el("legend", {}, ctx.t("places_search.field.when"));
    b.open("div");
    b.void_el("input", {{"type", "checkbox"}, {"id", "champ-open_now"}, {"name", "open_now"}, {"value", "1"}, {"checked", "", f.value("open_now") == "1"}});
    b.el("label", {{"for", "champ-open_now"}}, ctx.t("places_search.field.open_now"));
    b.close();
    auto d2 = b.scope("div", {{"class", "field"}});
    b.el("label", {{"for", "champ-open_at"}}, ctx.t("places_search.field.open_at"));
    b.el("p", {{"class", "hint"}, {"id", "champ-open_at-aide"}}, ctx.t("places_search.field.open_at_hint"));
    b.void_el("input", {{"type", "datetime-local"}, {"id", "champ-open_at"}, {"name", "open_at"}, {"value", f.value("open_at")}, {"aria-describedby", "champ-open_at-aide"}});
  }
  b.open("p").el("button", {{"type", "submit"}, {"class", "button"}}, ctx.t("places_search.submit")).close();
}

// The cluster API's parameters for the map: the filters of this search (not its page).
std::string map_query(const SearchRequest& r) {
  const Query& q = r.query;
  std::string out;
  auto add = [&](std::string_view k, const std::string& v) { out += (out.empty() ? "" : "&") + std::string(k) + "=" + str::url_encode(v); };
  if (!q.q.empty()) add("q", q.q);
  for (size_t l = 0; l < kListFilterCount; ++l)
    for (const auto& v : q.lists[l]) add(param_of(static_cast<ListFilter>(l)), v);
  if (q.open_now) add("open_now", "1");
  if (q.near && q.radius_km) {
    add("near", std::to_string(q.near->lat) + "," + std::to_string(q.near->lon));
    add("radius_km", std::to_string(*q.radius_km));
  }
  return out;
}

// "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png" → "https://*.tile.openstreetmap.org".
std::string tiles_origin(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  auto end = url.find('/', scheme + 3);
  std::string origin(url.substr(0, end));
  if (auto s = origin.find("{s}"); s != std::string::npos) origin.replace(s, 3, "*");
  return origin.find_first_of("{} ;'\"") == std::string::npos ? origin : std::string();
}

// "south,west,north,east" around the origin and the page's places: what the map shows first.
std::string frame_of(const SearchRequest& r, const Results& results) {
  std::optional<BBox> box;
  auto add = [&](const Point& p) {
    if (!box) box = BBox{p.lon, p.lat, p.lon, p.lat};
    box->west = std::min(box->west, p.lon), box->east = std::max(box->east, p.lon);
    box->south = std::min(box->south, p.lat), box->north = std::max(box->north, p.lat);
  };
  if (r.origin) add(r.origin->point);
  for (const auto& h : results.hits)
    if (h.entry->has_position) add(h.entry->position);
  if (!box || !r.origin) return {};
  return std::to_string(box->south) + "," + std::to_string(box->west) + "," + std::to_string(box->north) + "," + std::to_string(box->east);
}

void map_section(html::Builder& b, Context& ctx, const SearchRequest* r, const std::string& frame) {
  auto s = b.scope("section", {{"aria-labelledby", "carte-titre"}, {"class", "lieux-carte"}});
  b.el("h2", {{"id", "carte-titre"}}, ctx.t("places_search.map.title"));
  b.el("p", {{"class", "hint"}}, ctx.t("places_search.map.intro"));
  const auto& config = web::map_tiles();
  std::string query = r ? map_query(*r) : std::string();
  // Centred on the origin of the search when there is one, else on metropolitan France.
  std::string centre = r && r->origin ? std::to_string(r->origin->point.lat) + "," + std::to_string(r->origin->point.lon) : std::string();
  b.el("div", {{"id", "carte"}, {"class", "carte"}, {"hidden", ""}, {"data-tuiles", config.url}, {"data-attribution", config.attribution},
               {"data-filtres", query}, {"data-centre", centre, !centre.empty()}, {"data-cadre", frame, !frame.empty()}, {"data-zoom-in", ctx.t("places_search.map.zoom_in")}, {"data-zoom-out", ctx.t("places_search.map.zoom_out")},
               {"data-groupe", ctx.t("places_search.map.cluster")}, {"data-lieu", ctx.t("places_search.map.place")}, {"data-fermer", ctx.t("places_search.map.close")},
               {"data-libelle", ctx.t("places_search.map.label")}},
       "");
}

http::Response list_page(Context& ctx) {
  auto index = index_of(ctx.app.db());
  auto parsed = parse_search_request(ctx.req.query_fields(), true, 20);
  web::PageSpec spec{ctx.t("places_search.title")};
  web::PageAssets assets{{"/static/leaflet/leaflet.css", "/static/css/lieux.css"}, {"/static/leaflet/leaflet.js", "/static/js/lieux-carte.js"}};
  auto render = [&](html::Builder& b) {
    b.el("p", {{"class", "lead"}}, ctx.t("places_search.intro"));
    b.open("p").el("a", {{"href", "/lieux/orientation"}}, ctx.t("places_search.orientation_link")).close();
    if (!parsed) web::error_summary(b, ctx, errors_of(parsed.error()));
    search_form(b, ctx, *index);
    if (!parsed) return;
    const Query& q = parsed->query;
    auto results = index->search(q);
    {
      auto s = b.scope("section", {{"aria-labelledby", "resultats"}});
      b.el("h2", {{"id", "resultats"}}, ctx.t("places_search.results"));
      std::string count = i18n::format_integer(ctx.locale, static_cast<int64_t>(results.total));
      b.el("p", {{"role", "status"}, {"id", "nombre-resultats"}},
           ctx.t(results.total == 0 ? "places_search.count_zero" : results.total == 1 ? "places_search.count_one" : "places_search.count_many", {{"count", count}}));
      if (parsed->origin) b.el("p", {}, ctx.t(q.radius_km ? "places_search.from_origin_radius" : "places_search.from_origin",
                                          {{"origin", parsed->origin->label}, {"km", q.radius_km ? std::to_string(static_cast<int>(*q.radius_km)) : ""}}));
      else b.el("p", {{"class", "muted"}}, ctx.t("places_search.by_name"));
      if (q.open_at || q.open_at_local) b.el("p", {}, ctx.t("places_search.open_at_asked", {{"when", ctx.req.query_fields().value("open_at")}}));
      bool any_centre = false;
      for (const auto& h : results.hits) any_centre = any_centre || h.entry->at_commune_centre;
      if (any_centre) b.el("p", {{"class", "notice"}}, ctx.t("places_search.centre_notice"));
      if (!results.hits.empty()) {
        auto ol = b.scope("ol", {{"class", "results lieux"}, {"start", std::to_string((q.page - 1) * q.per_page + 1)}});
        bool at_given_time = q.open_at || q.open_at_local;  // every result is open then
        for (const auto& h : results.hits) result_item(b, ctx, h, at_given_time);
      }
      pagination(b, ctx, "/lieux", q.page, q.per_page, results.total);
    }
    map_section(b, ctx, &*parsed, frame_of(*parsed, results));
    auto data = b.scope("section", {{"aria-labelledby", "donnees"}});
    b.el("h2", {{"id", "donnees"}}, ctx.t("places_search.data.title"));
    auto ul = b.scope("ul", {{"class", "inline-list"}});
    b.open("li").el("a", {{"href", "/api/v1/places?format=geojson"}, {"type", "application/geo+json"}}, ctx.t("places_search.data.geojson")).close();
    b.open("li").el("a", {{"href", "/api/openapi.json"}}, ctx.t("places_search.data.api")).close();
  };
  std::string body = web::render_page(ctx, spec, assets, render);
  http::Response res;
  res.status = parsed ? 200 : 400;
  res.body = std::move(body);
  res.header("Content-Security-Policy", web::content_security_policy(tiles_origin(web::map_tiles().url)));
  return res;
}

}  // namespace
}  // namespace pages

void register_search_pages(web::App& app) {
  register_orientation_pages(app);  // "/lieux/orientation" before anything under "/lieux/"
  app.page(http::Method::get, "/lieux", "lieux", pages::list_page);
}

}  // namespace passerelle::places
