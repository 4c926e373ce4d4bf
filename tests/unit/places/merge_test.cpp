// The merge rules, one test per rule (docs/places.md, "Fusion des sources").
#include "places/merge.hpp"

#include <gtest/gtest.h>

using namespace passerelle::places;

namespace {

Record place(const std::string& name, const std::string& pivot, const std::string& address, double lat, double lon) {
  Record r;
  r[Field::nom] = name;
  r[Field::pivot] = pivot;
  r[Field::adresse] = address;
  r[Field::code_postal] = "25000";
  if (lat != 0) {
    r[Field::latitude] = std::to_string(lat);
    r[Field::longitude] = std::to_string(lon);
  }
  return r;
}

constexpr double kLat = 47.2380, kLon = 6.0240;
constexpr double k30m = 0.00027, k80m = 0.00072;  // in latitude

TEST(PlacesMerge, NormalisedText) {
  EXPECT_EQ(normalise_text("12 Bis, Av. de l'Europe"), "12 bis avenue de l europe");
  EXPECT_EQ(normalise_text("MÉDIATHÈQUE  St-Exupéry"), "mediatheque saint exupery");
  EXPECT_EQ(address_key(place("x", "", "12 av. Foch", 0, 0)), "12 avenue foch 25000");
}

TEST(PlacesMerge, PivotWithSameAddressMatches) {
  auto a = place("Mairie", "21250056500014", "1 place de l'Hôtel de Ville", 0, 0);
  auto b = place("Espace France Services", "21250056500014", "1 PLACE DE L HOTEL DE VILLE", kLat, kLon);
  EXPECT_EQ(same_place(a, b), MatchRule::pivot_and_address);
}

TEST(PlacesMerge, PivotWithin50mMatches) {
  auto a = place("Mairie", "21250056500014", "1 place de l'Hôtel de Ville", kLat, kLon);
  auto b = place("Point numérique", "21250056500014", "Hôtel de ville", kLat + k30m, kLon);
  EXPECT_EQ(same_place(a, b), MatchRule::pivot_and_distance);
}

TEST(PlacesMerge, PivotAloneDoesNotMatch) {
  // One organisation (a commune, an association) runs many places.
  auto a = place("Médiathèque", "21250056500014", "1 rue A", kLat, kLon);
  auto b = place("Médiathèque", "21250056500014", "9 rue B", kLat + k80m, kLon);
  EXPECT_EQ(same_place(a, b), MatchRule::none);
  auto c = place("Médiathèque", "21250056500014", "9 rue B", 0, 0);  // no coordinates, other address
  EXPECT_EQ(same_place(a, c), MatchRule::none);
}

TEST(PlacesMerge, PlaceholderPivotNeverMatchesByItself) {
  auto a = place("Bus France Services - Aigre", "00000000000000", "Place du marché", kLat, kLon);
  auto b = place("Bus France Services - Ruffec", "00000000000000", "Place du marché", kLat + k30m, kLon);
  EXPECT_EQ(same_place(a, b), MatchRule::none);  // same placeholder, same address, other names
  EXPECT_TRUE(is_placeholder_pivot("00000000000000"));
  EXPECT_TRUE(is_placeholder_pivot(""));
  EXPECT_FALSE(is_placeholder_pivot("21250056500014"));
}

TEST(PlacesMerge, DifferentRealPivotsNeverMatch) {
  auto a = place("Médiathèque", "21250056500014", "1 rue A", kLat, kLon);
  auto b = place("Médiathèque", "77556026100015", "1 rue A", kLat, kLon);
  EXPECT_EQ(same_place(a, b), MatchRule::none);
}

TEST(PlacesMerge, SameNameAndAddressMatches) {
  auto a = place("Médiathèque Pierre-Bayle", "00000000000000", "27 rue de la République", 0, 0);
  auto b = place("MEDIATHEQUE PIERRE BAYLE", "21250056500014", "27 r. de la Republique", kLat, kLon);
  EXPECT_EQ(same_place(a, b), MatchRule::name_and_address);
}

TEST(PlacesMerge, SameNameWithin50mMatchesAndBeyondDoesNot) {
  auto a = place("Médiathèque Pierre-Bayle", "00000000000000", "27 rue de la République", kLat, kLon);
  auto near = place("Médiathèque Pierre Bayle", "00000000000000", "Rue de la République", kLat + k30m, kLon);
  auto far = place("Médiathèque Pierre Bayle", "00000000000000", "Rue de la République", kLat + k80m, kLon);
  EXPECT_EQ(same_place(a, near), MatchRule::name_and_distance);
  EXPECT_EQ(same_place(a, far), MatchRule::none);
  auto other = place("Maison de quartier", "00000000000000", "27 rue de la République", kLat, kLon);
  EXPECT_EQ(same_place(a, other), MatchRule::none);  // same address, another name
}

TEST(PlacesMerge, NewestDateWinsPerFieldAndCoordinatesTravelTogether) {
  Source old_source{"A", "1", "2022-01-01", "a.json", {}}, new_source{"B", "9", "2023-06-01", "b.json", {}};
  old_source.record[Field::nom] = "Ancien nom";
  old_source.record[Field::courriels] = "contact@exemple.fr";
  old_source.record[Field::latitude] = "47.1";
  old_source.record[Field::longitude] = "6.1";
  old_source.record[Field::date_maj] = "2022-01-01";
  new_source.record[Field::nom] = "Nouveau nom";
  new_source.record[Field::latitude] = "47.2";  // no longitude: the pair stays the older one's
  new_source.record[Field::date_maj] = "2023-06-01";
  // Listed newest first: order in the list does not matter, dates do.
  auto r = resolve({new_source, old_source}, "lieu-1");
  EXPECT_EQ(r[Field::nom], "Nouveau nom");
  EXPECT_EQ(r[Field::courriels], "contact@exemple.fr");
  EXPECT_EQ(r[Field::latitude], "47.1");
  EXPECT_EQ(r[Field::longitude], "6.1");
  EXPECT_EQ(r[Field::date_maj], "2023-06-01");
  EXPECT_EQ(r[Field::id], "lieu-1");
}

TEST(PlacesMerge, EqualDatesTheLaterImportWins) {
  Source first{"A", "1", "2023-01-01", "", {}}, second{"B", "1", "2023-01-01", "", {}};
  first.record[Field::horaires] = "Mo 09:00-12:00";
  second.record[Field::horaires] = "Tu 09:00-12:00";
  EXPECT_EQ(resolve({first, second}, "x")[Field::horaires], "Tu 09:00-12:00");
}

}  // namespace
