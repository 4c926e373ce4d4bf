#pragma once
#include <nlohmann/json.hpp>

#include "places/search.hpp"
#include "platform/web/app.hpp"

namespace passerelle::places {

// GET /api/v1/places (JSON, or GeoJSON with format=geojson or Accept: application/geo+json) and
// GET /api/v1/places/clusters (GeoJSON), described in web/openapi/places.json.
void register_search_api(web::App& app);

// A result as the API gives it (French keys, as the schema names its fields).
nlohmann::json hit_json(const Hit& hit);
// The clusters of a zoom level as the API sends them (GeoJSON FeatureCollection).
std::string clusters_geojson(const std::vector<Cluster>& clusters, int zoom);
// Kilometres rounded to the metre.
double round_km(double km);

}  // namespace passerelle::places
