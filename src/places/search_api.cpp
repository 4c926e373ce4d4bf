#include "places/search_api.hpp"

#include <chrono>
#include <cmath>

#include "places/search_request.hpp"
#include "platform/core/strings.hpp"

namespace passerelle::places {

using http::Method;
using json = nlohmann::json;

namespace {

json list_json(const std::string& raw) {
  json out = json::array();
  for (const auto& v : split_list(raw)) out.push_back(v);
  return out;
}

// 400 with the sentence and the parameter named in `champ`.
http::Response bad_request(web::Context& ctx, const Error& error) {
  http::Response res = ctx.app.error_response(ctx, 400, ctx.t(error));
  auto doc = json::parse(res.body);
  doc["error"]["champ"] = error.field;
  res.body = doc.dump();
  return res;
}

bool wants_geojson(web::Context& ctx, std::string_view format) {
  if (format == "geojson") return true;
  if (format == "json") return false;
  return ctx.req.header(http::bhttp::field::accept).find("application/geo+json") != std::string_view::npos;
}

http::Response geojson_response(const json& doc) {
  auto res = http::Response::json(doc.dump());
  res.content_type = "application/geo+json";
  return res;
}

Result<BBox> parse_bbox(std::string_view text) {
  auto parts = str::split(text, ',');
  Error e = Error::validation("bbox", "places_search.error.bbox").with("param", "bbox").with("value", std::string(text));
  if (parts.size() != 4) return e;
  double v[4];
  for (size_t i = 0; i < 4; ++i) {
    std::string s(str::trim(parts[i]));
    char* end = nullptr;
    v[i] = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v[i])) return e;
  }
  BBox b{v[0], v[1], v[2], v[3]};
  if (b.west < -180 || b.east > 180 || b.south < -90 || b.north > 90 || b.west > b.east || b.south > b.north) return e;
  return b;
}

}  // namespace

double round_km(double km) { return std::round(km * 1000.0) / 1000.0; }

std::string clusters_geojson(const std::vector<Cluster>& clusters, int zoom) {
  json features = json::array();
  for (const auto& c : clusters) {
    json props = {{"nombre", c.count}};
    if (c.single) props["id"] = c.single->id, props["nom"] = c.single->nom, props["url"] = "/lieux/" + std::to_string(c.single->id);
    // 5 decimals: about a metre, and a country's clusters stay small.
    double lon = std::round(c.centre.lon * 1e5) / 1e5, lat = std::round(c.centre.lat * 1e5) / 1e5;
    features.push_back({{"type", "Feature"}, {"geometry", {{"type", "Point"}, {"coordinates", {lon, lat}}}}, {"properties", props}});
  }
  return json{{"type", "FeatureCollection"}, {"zoom", zoom}, {"features", features}}.dump();
}

json hit_json(const Hit& hit) {
  const Entry& e = *hit.entry;
  json j = {{"id", e.id},
            {"identifiant", e.ident},
            {"nom", e.nom},
            {"adresse", e.adresse},
            {"complement_adresse", e.complement_adresse},
            {"code_postal", e.code_postal},
            {"commune", e.commune},
            {"code_insee", e.code_insee},
            {"latitude", e.has_position ? json(e.position.lat) : json(nullptr)},
            {"longitude", e.has_position ? json(e.position.lon) : json(nullptr)},
            {"position_centre_commune", e.at_commune_centre},
            {"distance_km", hit.distance_km ? json(round_km(*hit.distance_km)) : json(nullptr)},
            {"ouvert", hit.open},
            {"horaires", e.horaires},
            {"fuseau_horaire", e.time_zone},
            {"telephone", e.telephone},
            {"courriels", list_json(e.courriels)},
            {"site_web", list_json(e.site_web)},
            {"url", "/lieux/" + std::to_string(e.id)}};
  for (size_t l = 0; l < kListFilterCount; ++l)
    j[std::string(name_of(field_of(static_cast<ListFilter>(l))))] = list_json(e.lists[l]);
  return j;
}

void register_search_api(web::App& app) {
  app.api(Method::get, "/api/v1/places", "api_lieux", [](web::Context& ctx) {
    const auto& fields = ctx.req.query_fields();
    std::string format(str::trim(fields.get("format").value_or("")));
    if (!format.empty() && format != "json" && format != "geojson")
      return bad_request(ctx, Error::validation("format", "places_search.error.format").with("param", "format").with("value", format));
    auto parsed = parse_search_request(fields, false);
    if (!parsed) return bad_request(ctx, parsed.error());
    auto index = index_of(ctx.app.db());
    auto started = std::chrono::steady_clock::now();
    auto results = index->search(parsed->query);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
    const Query& q = parsed->query;
    json origin = parsed->origin ? json{{"latitude", parsed->origin->point.lat}, {"longitude", parsed->origin->point.lon}, {"libelle", parsed->origin->label}}
                                 : json(nullptr);
    http::Response res;
    if (wants_geojson(ctx, format)) {
      json features = json::array();
      for (const auto& h : results.hits) {
        json props = hit_json(h);
        json geometry = h.entry->has_position ? json{{"type", "Point"}, {"coordinates", {h.entry->position.lon, h.entry->position.lat}}} : json(nullptr);
        props.erase("latitude");
        props.erase("longitude");
        features.push_back({{"type", "Feature"}, {"id", h.entry->id}, {"geometry", geometry}, {"properties", props}});
      }
      res = geojson_response({{"type", "FeatureCollection"}, {"total", results.total}, {"page", q.page}, {"per_page", q.per_page},
                              {"origine", origin}, {"features", features}});
    } else {
      json items = json::array();
      for (const auto& h : results.hits) items.push_back(hit_json(h));
      res = http::Response::json(json{{"total", results.total}, {"page", q.page}, {"per_page", q.per_page}, {"origine", origin}, {"lieux", items}}.dump());
    }
    res.header("Server-Timing", "search;dur=" + std::to_string(static_cast<double>(micros) / 1000.0));
    res.header("Vary", "Accept");
    return res;
  });

  app.api(Method::get, "/api/v1/places/clusters", "api_lieux_groupes", [](web::Context& ctx) {
    const auto& fields = ctx.req.query_fields();
    auto zoom_text = str::trim(fields.get("zoom").value_or(""));
    auto zoom = str::to_int(zoom_text);
    if (!zoom || *zoom < 0 || *zoom > 22)
      return bad_request(ctx, Error::validation("zoom", "places_search.error.zoom").with("param", "zoom").with("value", std::string(zoom_text)));
    BBox bbox;
    if (auto text = str::trim(fields.get("bbox").value_or("")); !text.empty()) {
      auto b = parse_bbox(text);
      if (!b) return bad_request(ctx, b.error());
      bbox = *b;
    }
    auto parsed = parse_search_request(fields, false);
    if (!parsed) return bad_request(ctx, parsed.error());
    auto index = index_of(ctx.app.db());
    auto started = std::chrono::steady_clock::now();
    auto clusters = index->clusters(static_cast<int>(*zoom), bbox, &parsed->query);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
    auto res = http::Response::json(clusters_geojson(clusters, static_cast<int>(*zoom)));
    res.content_type = "application/geo+json";
    res.header("Server-Timing", "clusters;dur=" + std::to_string(static_cast<double>(micros) / 1000.0));
    return res;
  });
}

}  // namespace passerelle::places
