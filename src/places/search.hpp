#pragma once
// Search by need among the lieux de médiation numérique (docs/places.md, "Recherche"): text
// (the shared French analyzer), the schema's lists (services, publics, modalités
// d'accompagnement, frais, typologie), open now or at a given time (each place in its own time
// zone) and distance from a point, a commune or a postal code, sorted by distance (by name
// without a position), paginated. It runs on an immutable in-memory Index of every place,
// rebuilt when `places` changes (index_of below); the nearest places come from a grid walked
// ring by ring around the point, not from a scan.
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "places/communes.hpp"
#include "places/model.hpp"
#include "places/opening_hours.hpp"
#include "platform/db/database.hpp"
#include "platform/result.hpp"

namespace passerelle::places {

// The filterable lists, in the order of the API's parameters.
enum class ListFilter : uint8_t { services, publics, modalites, frais, typologie };
inline constexpr size_t kListFilterCount = 5;
std::string_view param_of(ListFilter f);   // "services", "publics", "modalites", "frais", "typologie"
Field field_of(ListFilter f);              // services, publics_specifiquement_adresses…
// The schema's values of a list (typologie has none in the schema: empty, any code is accepted).
const std::vector<std::string>& values_of(ListFilter f);
// The schema's spelling of `value` ("aide aux demarches administratives" → "Aide aux démarches
// administratives"); nothing when it is not a value of that list. Typologie: the code in capitals.
std::optional<std::string> canonical_value(ListFilter f, std::string_view value);

struct Query {
  std::string q;  // words, all of which must appear (name, presentation, commune)
  std::array<std::vector<std::string>, kListFilterCount> lists;  // canonical values; any of them
  bool open_now = false;
  std::optional<std::chrono::system_clock::time_point> open_at;  // an instant (offset given)
  std::optional<LocalMinutes> open_at_local;  // a wall-clock time, at each place's own time
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();  // for open_now
  std::optional<Point> near;
  std::optional<double> radius_km;
  size_t page = 1, per_page = 20;

  std::vector<std::string>& list(ListFilter f) { return lists[static_cast<size_t>(f)]; }
  const std::vector<std::string>& list(ListFilter f) const { return lists[static_cast<size_t>(f)]; }
  bool has_filters() const;
};

// One place as the index keeps it: what a result shows, and its position.
struct Entry {
  int64_t id = 0;
  std::string ident, nom, commune, code_postal, code_insee, adresse, complement_adresse, telephone, courriels,
      site_web, horaires, presentation_resume, modalites_acces, prise_rdv;
  std::array<std::string, kListFilterCount> lists;  // raw `|` lists
  bool has_position = false;
  bool at_commune_centre = false;  // no coordinates of its own: the centre of its commune
  Point position;
  std::string time_zone = "Europe/Paris";
  std::optional<OpeningHours> hours;  // nothing without (or with unreadable) hours
};

struct Hit {
  const Entry* entry = nullptr;
  std::optional<double> distance_km;
  bool open = false;  // at the query's time (open_at, else now)
};

class Index;
struct Results {
  std::shared_ptr<const Index> index;  // keeps the entries alive
  uint64_t total = 0;
  std::vector<Hit> hits;
};

struct Cluster {
  Point centre;  // mean position of its places
  uint32_t count = 0;
  const Entry* single = nullptr;  // the place, when count == 1
};

struct BBox {
  double west = -180, south = -90, east = 180, north = 90;
  bool contains(const Point& p) const { return p.lat >= south && p.lat <= north && p.lon >= west && p.lon <= east; }
};

// What an index is built from: the places' columns (no sources).
struct PlaceRow {
  int64_t id = 0;
  Record fields;
};

class Index {
 public:
  static std::shared_ptr<const Index> build(const std::vector<PlaceRow>& rows, const Communes& communes);
  static std::shared_ptr<const Index> load(db::Connection& conn, const Communes& communes);

  // Matches of `q`, nearest first (by name without a position); only the page's hits.
  Results search(const Query& q) const;
  // The same answer by looking at every place (the benchmark's baseline, and the tests' oracle).
  Results scan(const Query& q) const;
  // Clusters of the places in `bbox` at a Web Mercator zoom level (cells of 64 pixels; zoom 0..12
  // precomputed, deeper zooms computed for the box). With filters: only the matching places.
  std::vector<Cluster> clusters(int zoom, const BBox& bbox, const Query* filter = nullptr) const;

  size_t size() const { return entries_.size(); }
  // The typologie codes found in the data (the schema lists none), in order.
  std::vector<std::string> typologies() const;
  const std::vector<Entry>& entries() const { return entries_; }
  std::shared_ptr<const Index> self() const { return self_.lock(); }

  struct Impl;  // search_impl.hpp

 private:
  std::vector<Entry> entries_;
  std::shared_ptr<const Impl> impl_;
  std::weak_ptr<const Index> self_;
};

// The index of `db`, rebuilt when places changed: the database's change marker moved and the
// counter of migration 0009 with it. While one thread rebuilds, others keep the previous one.
std::shared_ptr<const Index> index_of(db::Database& db);

// Where "near" points to.
struct Origin {
  Point point;
  std::string label;  // "Besançon (25056)", "25000", "45.5, 4.1"
};
// `near` = "lat,lon" (in France), `commune` = INSEE code, `code_postal`: at most one of them.
// Errors name the parameter: places_search.error.{near, commune, code_postal, several_origins}.
Result<std::optional<Origin>> resolve_origin(std::string_view near, std::string_view commune, std::string_view code_postal,
                                             const Communes& communes);

// "2026-12-01T14:30" (wall-clock time at each place), "…Z" or "…+01:00" (an instant).
struct When {
  std::optional<std::chrono::system_clock::time_point> instant;
  std::optional<LocalMinutes> local;
};
std::optional<When> parse_when(std::string_view text);

}  // namespace passerelle::places
