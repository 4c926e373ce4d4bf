// The France Services list (ANCT, not shipped) through the hand-made file of the same shape,
// tests/data/places/france-services-exemple-20221201.csv: the mapping to the schema
// (docs/places-schema-mapping.md, "France Services") and the report of its bad row.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "places/import.hpp"
#include "places/legacy.hpp"

using namespace passerelle::places;

namespace {

std::string fixture() {
  std::ifstream in(std::string(PASSERELLE_SOURCE_DIR) + "/tests/data/places/france-services-exemple-20221201.csv", std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(PlacesFranceServices, HoursCells) {
  EXPECT_EQ(legacy::france_services_hours("09:00 - 12:00 / 13:30 - 17:00"), "09:00-12:00,13:30-17:00");
  EXPECT_EQ(legacy::france_services_hours("09:00-12:00 14:00-16:30"), "09:00-12:00,14:00-16:30");
  EXPECT_EQ(legacy::france_services_hours("08 :30-12:00"), "08:30-12:00");
  EXPECT_EQ(legacy::france_services_hours("08:30-12:00,13:30-17:30"), "08:30-12:00,13:30-17:30");
  EXPECT_EQ(legacy::france_services_hours("-"), "");
  EXPECT_EQ(legacy::france_services_hours(""), "");
}

TEST(PlacesFranceServices, DateFromTheFileName) {
  EXPECT_EQ(date_in_file_name("/x/liste-france-services-20221201.csv"), "2022-12-01");
  EXPECT_EQ(date_in_file_name("liste-france-services.csv"), "");
  EXPECT_EQ(date_in_file_name("liste-20221341.csv"), "");
}

TEST(PlacesFranceServices, FixtureMapsToTheSchemaAndReportsTheBadRow) {
  std::vector<CheckedRow> rows;
  auto report = check_file("france-services-exemple-20221201.csv", fixture(), Format::france_services, rows);
  EXPECT_EQ(report.rows, 5u);
  EXPECT_EQ(report.valid, 4u);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].line, 5u);  // the record before it holds a line break
  EXPECT_EQ(report.issues[0].field, "telephone");
  EXPECT_EQ(report.issues[0].value, "12 34");
  EXPECT_EQ(describe(report.issues[0]).rfind("france-services-exemple-20221201.csv, ligne 5, champ « telephone », valeur « 12 34 » : ne respecte pas le motif", 0), 0u);
  ASSERT_EQ(rows.size(), 4u);

  const Record& first = rows[0].source.record;
  EXPECT_EQ(rows[0].source.name, "France Services");
  EXPECT_EQ(first[Field::id], "1");
  EXPECT_EQ(first[Field::pivot], "00000000000000");
  EXPECT_EQ(first[Field::nom], "France services d'Essai-sur-Charente");
  EXPECT_EQ(first[Field::code_insee], "16015");
  EXPECT_EQ(first[Field::telephone], "+33545000001");
  EXPECT_EQ(first[Field::courriels], "essai@example.org");
  EXPECT_EQ(first[Field::date_maj], "2022-12-01");
  EXPECT_EQ(first[Field::typologie], "RFS");
  EXPECT_EQ(first[Field::dispositif_programmes_nationaux], "France Services");
  EXPECT_EQ(first[Field::services], "Aide aux démarches administratives|Accès internet et matériel informatique");
  EXPECT_EQ(first[Field::frais_a_charge], "Gratuit");
  EXPECT_EQ(first[Field::itinerance], "Fixe");
  EXPECT_EQ(first[Field::autres_formations_labels], "Espace labellisé 01/01/2020");
  EXPECT_EQ(first[Field::horaires], "Mo 09:00-12:00,13:30-17:00; Tu 09:00-12:00,13:30-17:00; Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00");

  const Record& bus = rows[1].source.record;
  EXPECT_EQ(bus[Field::itinerance], "Itinérant");
  EXPECT_EQ(bus[Field::complement_adresse], "Parking du marché");
  EXPECT_EQ(bus[Field::structure_parente], "Réseau d'essai");
  EXPECT_EQ(bus[Field::presentation_detail], "Prise de rendez-vous conseillée.\nLe bus passe aussi par les communes voisines.");
  EXPECT_EQ(bus[Field::horaires], "Mo 09:30-16:30; We 09:30-16:30; Sa 09:00-12:00,14:00-16:30");

  const Record& noumea = rows[2].source.record;
  EXPECT_EQ(noumea[Field::telephone], "+687261234");
  EXPECT_EQ(rows[3].source.record[Field::horaires], "");
}

TEST(PlacesFranceServices, AnExplicitDateWins) {
  std::vector<CheckedRow> rows;
  (void)check_file("france-services.csv", fixture(), Format::france_services, rows, "2023-03-01");
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0].source.record[Field::date_maj], "2023-03-01");
}

}  // namespace
