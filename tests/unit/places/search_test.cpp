// Search by need on real places (tests/data/places/): the nearest places with a service from a
// point of Nouméa, by distance computed by hand (haversine, R = 6371.0088 km, on the files'
// coordinates), radius, words through the French analyzer, open at an instant in New
// Caledonia's own time zone, a place without coordinates placed at its commune's centre, and the
// grid walk giving exactly what a full scan gives.
#include "places/search.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "places/import.hpp"
#include "places/store.hpp"
#include "text/analyzer.hpp"

using namespace passerelle::places;
using namespace std::chrono;

namespace {

std::string read(const std::string& name) {
  std::ifstream in(std::string(PASSERELLE_SOURCE_DIR) + "/tests/data/places/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The checked records of a file, each as a place (ids from `first_id`).
std::vector<PlaceRow> rows_of(const std::string& file, int64_t first_id) {
  std::vector<CheckedRow> valid;
  check_file(file, read(file), Format::v0_json, valid);
  std::vector<PlaceRow> rows;
  for (auto& r : valid) rows.push_back({first_id++, r.source.record});
  return rows;
}

std::vector<PlaceRow> real_rows() {
  auto rows = rows_of("nouvelle-caledonie-20240320.json", 1);
  for (auto& r : rows_of("bus-france-services-charente-20231003.json", 1000)) rows.push_back(r);
  for (auto& r : rows_of("hinaura-auvergne-rhone-alpes-2023-extrait.json", 2000)) rows.push_back(r);
  return rows;
}

const Point kNoumea{-22.2758, 166.4580};
const std::string kDemarches = "Aide aux démarches administratives";

std::vector<std::string> idents(const Results& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.push_back(h.entry->ident);
  return out;
}

}  // namespace

TEST(PlacesSearch, NearestWithAServiceFromNoumea) {
  auto index = Index::build(rows_of("nouvelle-caledonie-20240320.json", 1), Communes::embedded());
  ASSERT_EQ(index->size(), 90u);
  Query q;
  q.near = kNoumea;
  q.list(ListFilter::services) = {kDemarches};
  q.per_page = 3;
  auto r = index->search(q);
  EXPECT_EQ(r.total, 63u);  // 63 of the 90 places of New Caledonia offer it
  // PeersON 0.813 km, Espace connecté de Magenta 0.908 km, Espace municipal de Magenta 1.115 km.
  EXPECT_EQ(idents(r), (std::vector<std::string>{"17", "71", "30"}));
  ASSERT_EQ(r.hits.size(), 3u);
  EXPECT_NEAR(*r.hits[0].distance_km, 0.813, 0.001);
  EXPECT_NEAR(*r.hits[1].distance_km, 0.908, 0.001);
  EXPECT_NEAR(*r.hits[2].distance_km, 1.115, 0.001);
  EXPECT_FALSE(r.hits[0].entry->at_commune_centre);
  EXPECT_EQ(r.hits[0].entry->time_zone, "Pacific/Noumea");

  q.page = 2;  // the next three, still in order
  auto page2 = index->search(q);
  EXPECT_EQ(page2.total, 63u);
  ASSERT_EQ(page2.hits.size(), 3u);
  EXPECT_EQ(page2.hits[0].entry->ident, "44");  // ADIE, 1.232 km
  EXPECT_NEAR(*page2.hits[0].distance_km, 1.232, 0.001);
}

TEST(PlacesSearch, RadiusCountsOnlyThePlacesWithinIt) {
  auto index = Index::build(real_rows(), Communes::embedded());
  Query q;
  q.near = kNoumea;
  q.radius_km = 5;
  EXPECT_EQ(index->search(q).total, 29u);
  q.list(ListFilter::services) = {kDemarches};
  auto r = index->search(q);
  EXPECT_EQ(r.total, 20u);
  for (const auto& h : r.hits) EXPECT_LE(*h.distance_km, 5.0);
}

TEST(PlacesSearch, WordsAreFoldedAndStemmed) {
  auto index = Index::build(real_rows(), Communes::embedded());
  Query q;
  q.q = "mediatheques";  // no accent, plural: "Médiathèque de La Foa"…
  q.per_page = 100;
  auto r = index->search(q);
  ASSERT_GT(r.total, 5u);
  for (const auto& h : r.hits) EXPECT_NE(passerelle::text::fold(h.entry->nom).find("mediatheque"), std::string::npos) << h.entry->nom;
  q.q = "Médiathèque Païta";
  auto both = index->search(q);
  ASSERT_EQ(both.total, 1u);
  EXPECT_EQ(both.hits[0].entry->nom, "Médiathèque de Païta");
  q.q = "introuvablissime";
  EXPECT_EQ(index->search(q).total, 0u);
}

TEST(PlacesSearch, OpenAtAnInstantInTheTimeZoneOfNewCaledonia) {
  auto index = Index::build(real_rows(), Communes::embedded());
  // Monday 7 December 2026, 17:30 in Nouméa (UTC+11) is 06:30 UTC, 07:30 in Paris.
  // PeersON: "Mo-Fr 17:00-22:00; …" is open; Espace connecté de Magenta "Mo-Th 08:00-12:00,13:00-15:00" is not.
  Query q;
  q.near = kNoumea;
  q.list(ListFilter::services) = {kDemarches};
  q.per_page = 2;
  q.open_at = sys_days{year{2026} / 12 / 7} + hours{6} + minutes{30};
  auto r = index->search(q);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].entry->ident, "17");
  for (const auto& h : r.hits) EXPECT_NE(h.entry->ident, "71");
  // The same wall-clock time given as local time.
  Query local = q;
  local.open_at.reset();
  local.open_at_local = local_days{year{2026} / 12 / 7} + hours{17} + minutes{30};
  EXPECT_EQ(idents(index->search(local)), idents(r));
  // 10:00 in Nouméa (23:00 UTC on Sunday): Magenta is open, PeersON is not.
  q.open_at = sys_days{year{2026} / 12 / 6} + hours{23};
  auto morning = index->search(q);
  ASSERT_FALSE(morning.hits.empty());
  EXPECT_EQ(morning.hits[0].entry->ident, "71");
  // Espace connecté de Boulari (Mont-Dore) carries the INSEE code of a commune of Puy-de-Dôme,
  // 63236, with the postal code 98800 and coordinates in New Caledonia: Nouméa's time, not Paris's.
  for (const auto& e : index->entries())
    if (e.nom == "Espace connecté de Boulari") EXPECT_EQ(e.time_zone, "Pacific/Noumea") << e.code_insee;
}

TEST(PlacesSearch, APlaceWithoutCoordinatesIsAtItsCommunesCentre) {
  auto rows = real_rows();
  for (auto& r : rows)
    if (r.fields[Field::id] == "71") r.fields[Field::latitude].clear(), r.fields[Field::longitude].clear();
  auto index = Index::build(rows, Communes::embedded());
  const Commune* noumea = Communes::embedded().find_by_insee("98818");
  ASSERT_TRUE(noumea && noumea->centre);
  Query q;
  q.near = kNoumea;
  q.per_page = 200;
  auto r = index->search(q);
  auto it = std::find_if(r.hits.begin(), r.hits.end(), [](const Hit& h) { return h.entry->ident == "71"; });
  ASSERT_NE(it, r.hits.end());
  EXPECT_TRUE(it->entry->at_commune_centre);
  EXPECT_DOUBLE_EQ(it->entry->position.lat, noumea->centre->lat);
  EXPECT_DOUBLE_EQ(it->entry->position.lon, noumea->centre->lon);
  EXPECT_NEAR(*it->distance_km, haversine_km(kNoumea.lat, kNoumea.lon, noumea->centre->lat, noumea->centre->lon), 1e-9);
}

TEST(PlacesSearch, WithoutAPositionByName) {
  auto index = Index::build(real_rows(), Communes::embedded());
  Query q;
  q.list(ListFilter::services) = {kDemarches};
  q.per_page = 500;
  auto r = index->search(q);
  ASSERT_GT(r.hits.size(), 2u);
  for (const auto& h : r.hits) EXPECT_FALSE(h.distance_km);
  for (size_t i = 1; i < r.hits.size(); ++i)
    EXPECT_LE(passerelle::text::fold(r.hits[i - 1].entry->nom), passerelle::text::fold(r.hits[i].entry->nom));
}

// The grid walk against a scan of every place, on 6,000 places jittered from the real ones.
TEST(PlacesSearch, GridWalkGivesWhatAScanGives) {
  auto real = real_rows();
  std::vector<PlaceRow> rows;
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> jitter(-0.3, 0.3);
  for (int64_t id = 1; rows.size() < 6000; ++id) {
    PlaceRow p = real[static_cast<size_t>(id) % real.size()];
    p.id = id;
    p.fields[Field::id] = "p" + std::to_string(id);
    if (auto lat = p.fields.latitude(), lon = p.fields.longitude(); lat && lon) {
      p.fields[Field::latitude] = format_coordinate(*lat + jitter(rng));
      p.fields[Field::longitude] = format_coordinate(*lon + jitter(rng));
    }
    rows.push_back(std::move(p));
  }
  auto index = Index::build(rows, Communes::embedded());
  const Point points[] = {kNoumea, {45.76, 4.83}, {45.65, 0.16}, {48.85, 2.35}, {-21.1, 55.5}};
  for (const auto& p : points) {
    for (int variant = 0; variant < 4; ++variant) {
      Query q;
      q.near = p;
      q.per_page = 10;
      if (variant & 1) q.list(ListFilter::services) = {kDemarches, "Accès internet et matériel informatique"};
      if (variant & 2) q.radius_km = 40;
      if (variant == 3) q.page = 3;
      auto fast = index->search(q), slow = index->scan(q);
      EXPECT_EQ(fast.total, slow.total) << p.lat << "," << p.lon << " variant " << variant;
      ASSERT_EQ(fast.hits.size(), slow.hits.size());
      for (size_t i = 0; i < fast.hits.size(); ++i) EXPECT_NEAR(*fast.hits[i].distance_km, *slow.hits[i].distance_km, 1e-9);
    }
  }
}

TEST(PlacesSearch, ClustersCountEveryPlaceOnce) {
  auto index = Index::build(real_rows(), Communes::embedded());
  for (int zoom : {0, 5, 9, 14}) {
    uint32_t n = 0;
    for (const auto& c : index->clusters(zoom, BBox{})) n += c.count;
    EXPECT_EQ(n, 142u) << zoom;
  }
  // Metropolitan France only: the 52 places of Charente and Auvergne-Rhône-Alpes.
  uint32_t metro = 0;
  for (const auto& c : index->clusters(5, BBox{-5.5, 41, 10, 51.5})) metro += c.count;
  EXPECT_EQ(metro, 52u);
  Query q;
  q.list(ListFilter::services) = {kDemarches};
  uint32_t filtered = 0;
  for (const auto& c : index->clusters(5, BBox{}, &q)) filtered += c.count;
  EXPECT_EQ(filtered, index->search(q).total);
}

TEST(PlacesSearch, ParametersInWords) {
  EXPECT_EQ(canonical_value(ListFilter::services, " aide aux demarches ADMINISTRATIVES "), kDemarches);
  EXPECT_FALSE(canonical_value(ListFilter::services, "Aide aux devoirs"));
  EXPECT_EQ(canonical_value(ListFilter::modalites, "a distance"), "À distance");
  EXPECT_EQ(canonical_value(ListFilter::typologie, "ccas"), "CCAS");
  EXPECT_EQ(values_of(ListFilter::services).size(), 9u);
  EXPECT_EQ(values_of(ListFilter::frais).size(), 3u);

  const auto& communes = Communes::embedded();
  auto besancon = resolve_origin("", "", "25000", communes);
  ASSERT_TRUE(besancon && *besancon);
  EXPECT_NEAR((*besancon)->point.lat, 47.24, 0.05);
  auto insee = resolve_origin("", "98818", "", communes);
  ASSERT_TRUE(insee && *insee);
  EXPECT_EQ((*insee)->label, "Nouméa (98818)");
  EXPECT_EQ(resolve_origin("51.9,-0.1", "", "", communes).error().message_key, "places_search.error.near_outside");  // London
  EXPECT_EQ(resolve_origin("47,6,1", "", "", communes).error().field, "near");
  EXPECT_EQ(resolve_origin("", "99999", "", communes).error().field, "commune");
  EXPECT_EQ(resolve_origin("", "", "00000", communes).error().field, "code_postal");
  EXPECT_EQ(resolve_origin("47,6", "25056", "", communes).error().message_key, "places_search.error.several_origins");

  auto local = parse_when("2026-12-07T10:00");
  ASSERT_TRUE(local && local->local && !local->instant);
  EXPECT_EQ(*local->local, local_days{year{2026} / 12 / 7} + hours{10});
  auto utc = parse_when("2026-12-07T10:00:00Z");
  ASSERT_TRUE(utc && utc->instant);
  EXPECT_EQ(*utc->instant, sys_days{year{2026} / 12 / 7} + hours{10});
  auto offset = parse_when("2026-12-07T10:00+11:00");
  ASSERT_TRUE(offset && offset->instant);
  EXPECT_EQ(*offset->instant, sys_days{year{2026} / 12 / 6} + hours{23});
  EXPECT_FALSE(parse_when("2026-02-30T10:00"));
  EXPECT_FALSE(parse_when("demain"));
  EXPECT_FALSE(parse_when("2026-12-07T25:00"));
}
