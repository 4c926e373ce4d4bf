#include <gtest/gtest.h>

#include "restitution/departements.hpp"

namespace r = passerelle::restitution;
using V = std::vector<std::string>;

TEST(Departements, FromTheLaPosteTableNotTheFirstDigits) {
  EXPECT_EQ(r::departements_of_postal_code("75010"), V{"75"});
  EXPECT_EQ(r::departements_of_postal_code("16000"), V{"16"});
  EXPECT_EQ(r::departements_of_postal_code("1000"), V{"01"});   // leading zero lost by a spreadsheet
  EXPECT_EQ(r::departements_of_postal_code("75 010"), V{"75"});
}

TEST(Departements, CorsicaAndOverseas) {
  EXPECT_EQ(r::departements_of_postal_code("20000"), V{"2A"});  // Ajaccio
  EXPECT_EQ(r::departements_of_postal_code("20200"), V{"2B"});  // Bastia
  EXPECT_EQ(r::departements_of_postal_code("97139"), V{"971"}); // Les Abymes, Guadeloupe
  EXPECT_EQ(r::departements_of_postal_code("97400"), V{"974"}); // Saint-Denis, La Réunion
  EXPECT_EQ(r::departements_of_postal_code("97600"), V{"976"}); // Mamoudzou, Mayotte
  EXPECT_EQ(r::departement_name("2A"), "Corse-du-Sud");
  EXPECT_EQ(r::departement_name("974"), "La Réunion");
}

TEST(Departements, PostalCodesSpanningTwoDepartements) {
  // 05110: communes of Hautes-Alpes and of Alpes-de-Haute-Provence; more of them in 05.
  EXPECT_EQ(r::departements_of_postal_code("05110"), (V{"05", "04"}));
}

TEST(Departements, UnknownOrMalformedCodes) {
  EXPECT_TRUE(r::departements_of_postal_code("").empty());
  EXPECT_TRUE(r::departements_of_postal_code("00000").empty());
  EXPECT_TRUE(r::departements_of_postal_code("7501").empty());  // 07501 does not exist
  EXPECT_TRUE(r::departements_of_postal_code("75O10").empty());
  EXPECT_TRUE(r::departements_of_postal_code("123456").empty());
}

TEST(Departements, PopulationFromTheCommunes) {
  // Sums of the current communes' municipal population (decoupage-administratif 6.0.0).
  EXPECT_EQ(r::departement_population("2A"), 168306);
  EXPECT_EQ(r::departement_population("974"), 889679);
  EXPECT_GT(r::departement_population("75").value_or(0), 2000000);
  EXPECT_FALSE(r::departement_population("20").has_value());  // Corsica is 2A and 2B
  EXPECT_FALSE(r::departement_population("").has_value());
}
