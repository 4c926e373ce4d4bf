// Import and export of places on SQLite and PostgreSQL, with the open-licence files of
// tests/data/places: one transaction (a bad row changes nothing), --skip-invalid, --dry-run,
// and the round trip import → export schema-csv → Table Schema validation → re-import → same places.
#include "places/import.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "places/cli.hpp"
#include "places/csv_reader.hpp"
#include "places/export.hpp"
#include "places/store.hpp"
#include "support/scratch_database.hpp"

using namespace passerelle::places;
using passerelle::testing::BackendTest;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
const std::string kData = std::string(PASSERELLE_SOURCE_DIR) + "/tests/data/places/";

std::string header_line() {
  std::string h = schema_csv_header();
  return h.substr(0, h.size() - 2);
}
// A schema-csv file of rows given as "id;nom;code_postal" triples (other fields fixed).
std::string csv_of(const std::vector<std::array<std::string, 3>>& rows) {
  std::string out = schema_csv_header();
  for (const auto& [id, nom, cp] : rows) {
    Record r;
    r[Field::id] = id;
    r[Field::pivot] = "00000000000000";
    r[Field::nom] = nom;
    r[Field::commune] = "Besançon";
    r[Field::code_postal] = cp;
    r[Field::adresse] = "2 place de la Révolution";
    r[Field::date_maj] = "2024-02-01";
    r[Field::source] = "essai";
    r[Field::services] = "Aide aux démarches administratives";
    out += schema_csv_row(r);
  }
  return out;
}

class PlacesImportTest : public BackendTest {
 protected:
  int64_t places() {
    auto conn = db().read();
    return count(*conn);
  }
  std::string export_csv() {
    std::ostringstream out;
    write_export(db(), ExportFormat::schema_csv, out);
    return out.str();
  }
};

TEST_P(PlacesImportTest, BadRowChangesNothingUnlessSkipped) {
  auto u = unique("lieu");
  auto file = csv_of({{u + "-1", "Maison " + u, "25000"}, {u + "-2", "Relais " + u, "2500"}, {u + "-3", "Atelier " + u, "25000"}});
  int64_t before = places();
  auto refused = import_file(db(), "lieux.csv", file, {Format::schema_csv, false, false, ""});
  EXPECT_FALSE(refused.applied);
  EXPECT_EQ(places(), before);
  ASSERT_EQ(refused.issues.size(), 1u);
  const auto& i = refused.issues[0];
  EXPECT_EQ(i.file, "lieux.csv");
  EXPECT_EQ(i.line, 3u);
  EXPECT_EQ(i.field, "code_postal");
  EXPECT_EQ(i.value, "2500");
  EXPECT_EQ(i.reason, "places.reason.pattern");
  EXPECT_EQ(describe(i), "lieux.csv, ligne 3, champ « code_postal », valeur « 2500 » : ne respecte pas le motif du schéma ^\\d{5}$");
  EXPECT_TRUE(refused.skipped_lines.empty());

  auto dry = import_file(db(), "lieux.csv", file, {Format::schema_csv, true, true, ""});
  EXPECT_FALSE(dry.applied);
  EXPECT_EQ(places(), before);

  auto skipped = import_file(db(), "lieux.csv", file, {Format::schema_csv, false, true, ""});
  EXPECT_TRUE(skipped.applied);
  EXPECT_EQ(skipped.created, 2u);
  EXPECT_EQ(skipped.skipped_lines, (std::vector<size_t>{3}));
  EXPECT_EQ(places(), before + 2);
}

TEST_P(PlacesImportTest, RoundTripOfTheOpenLicenceFiles) {
  struct File {
    std::string name;
    Format format;
    size_t valid;
  };
  // Expected numbers: every row of these files passes, except in the BFC excerpt (see below).
  const std::vector<File> files = {
      {"exemple-valide-v1.0.2.csv", Format::schema_csv, 1},
      {"bus-france-services-charente-20231003.json", Format::v0_json, 12},
      {"nouvelle-caledonie-20240320.json", Format::v0_json, 90},
      {"hinaura-auvergne-rhone-alpes-2023-extrait.json", Format::v0_json, 40},
      // Lines 8, 16 and 23 use codes the file defines nowhere (FO; C, FTL as a type, TL as a label): left out.
      {"mednum-bfc-bourgogne-franche-comte-2021-extrait.csv", Format::bfc_csv, 27},
  };
  int64_t before = places();
  size_t saved = 0;
  for (const auto& f : files) {
    // The BFC file dates only some rows: --date-maj gives the others the file's year.
    ImportOptions options{f.format, false, f.format == Format::bfc_csv, f.format == Format::bfc_csv ? "2021-01-01" : ""};
    auto report = import_file(db(), f.name, slurp(kData + f.name), options);
    for (const auto& i : report.issues) std::cerr << describe(i) << "\n";
    EXPECT_EQ(report.valid, f.valid) << f.name;
    EXPECT_TRUE(report.applied) << f.name;
    saved += report.created;
  }
  EXPECT_EQ(places(), before + static_cast<int64_t>(saved));

  std::string exported = export_csv();
  auto table = read_csv(exported);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->separator, ',');
  EXPECT_EQ(table->header.cells, TableSchema::embedded().names());  // exact order
  Validator validator(TableSchema::embedded(), "export.csv");
  EXPECT_TRUE(validator.check_header(table->header.cells).empty());
  ASSERT_EQ(table->rows.size(), static_cast<size_t>(places()));
  for (const auto& row : table->rows) {
    std::map<std::string, std::string, std::less<>> fields;
    for (size_t i = 0; i < row.cells.size(); ++i) fields[table->header.cells[i]] = row.cells[i];
    for (const auto& i : validator.check_row(fields, row.line)) ADD_FAILURE() << describe(i);
  }

  // Re-import the export: no new place, the same export.
  auto again = import_file(db(), "export.csv", exported, {Format::schema_csv, false, false, ""});
  for (const auto& i : again.issues) ADD_FAILURE() << describe(i);
  EXPECT_EQ(again.created, 0u);
  EXPECT_EQ(again.valid, table->rows.size());
  EXPECT_EQ(export_csv(), exported);

  // And the JSON export reads back as schema-json.
  std::ostringstream json;
  write_export(db(), ExportFormat::json, json);
  std::vector<CheckedRow> rows;
  auto as_json = check_file("export.json", json.str(), Format::schema_json, rows);
  for (const auto& i : as_json.issues) ADD_FAILURE() << describe(i);
  EXPECT_EQ(rows.size(), table->rows.size());
}

TEST_P(PlacesImportTest, GeoJsonHasPointsAndSources) {
  auto u = unique("geo");
  auto file = csv_of({{u, "Point " + u, "25000"}});
  std::string with_point = file.substr(0, file.size() - 2);
  ASSERT_TRUE(import_file(db(), "geo.csv", file, {Format::schema_csv, false, false, ""}).applied);
  std::ostringstream out;
  write_export(db(), ExportFormat::geojson, out);
  EXPECT_NE(out.str().find(R"("type":"FeatureCollection")"), std::string::npos);
  EXPECT_NE(out.str().find(R"("sources":[{"date_maj":"2024-02-01","id":")" + u + R"(","source":"essai"}])"), std::string::npos);
}

TEST_P(PlacesImportTest, CommandReportsInFrench) {
  auto u = unique("cli");
  std::string path = ::testing::TempDir() + u + ".csv";
  std::ofstream(path) << csv_of({{u + "-1", "Lieu " + u, "25000"}, {u + "-2", "Autre " + u, "2A004"}});
  std::ostringstream out, err;
  EXPECT_EQ(cli_import(db(), path, {Format::schema_csv, false, false, ""}, out, err), 1);
  EXPECT_NE(err.str().find("ligne 3, champ « code_postal », valeur « 2A004 »"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("Import refusé, rien n'a changé : 1 problème(s)."), std::string::npos) << err.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(cli_import(db(), path, {Format::schema_csv, false, true, ""}, out2, err2), 0);
  EXPECT_NE(out2.str().find("2 ligne(s) lue(s), 1 valide(s) ; 1 lieu(x) créé(s)"), std::string::npos) << out2.str();
  EXPECT_NE(out2.str().find("1 ligne(s) laissée(s) de côté : 3"), std::string::npos) << out2.str();
  std::ostringstream none, err3;
  EXPECT_EQ(cli_import(db(), path + ".absent", {}, none, err3), 1);
  EXPECT_NE(err3.str().find("impossible de lire le fichier"), std::string::npos);
}

INSTANTIATE_BACKENDS(PlacesImportTest);

// Checks without a database.

std::vector<Issue> issues_of(const std::string& file, Format format) {
  std::vector<CheckedRow> rows;
  return check_file("f", file, format, rows).issues;
}

TEST(PlacesImportCheck, CoordinatesCommunesAndHours) {
  std::string csv = header_line() + "\n";
  auto row = [&](const std::string& extra_insee, const std::string& lat, const std::string& lon, const std::string& hours) {
    Record r;
    r[Field::id] = "x" + std::to_string(csv.size());
    r[Field::pivot] = "00000000000000";
    r[Field::nom] = "Lieu";
    r[Field::commune] = "Nouméa";
    r[Field::code_postal] = "98800";
    r[Field::code_insee] = extra_insee;
    r[Field::adresse] = "1 rue";
    r[Field::latitude] = lat;
    r[Field::longitude] = lon;
    r[Field::horaires] = hours;
    r[Field::date_maj] = "2024-01-01";
    csv += schema_csv_row(r);
  };
  row("98818", "-22.2339", "166.4681", "Mo-Fr 08:00-12:00");  // overseas: accepted
  row("98818", "51.5072", "-0.1276", "");                     // London
  row("99999", "", "", "");                                   // unknown commune
  row("98818", "-22.2339", "", "");                           // half a point
  row("98818", "", "", "le matin");                           // unreadable hours
  row("", "", "", "9h-12h30");                                // repaired, INSEE found from the postal code
  std::vector<CheckedRow> rows;
  auto report = check_file("f.csv", csv, Format::schema_csv, rows);
  ASSERT_EQ(report.issues.size(), 4u);
  EXPECT_EQ(report.issues[0].line, 3u);
  EXPECT_EQ(report.issues[0].reason, "places.reason.outside_france");
  EXPECT_EQ(report.issues[1].reason, "places.reason.unknown_commune");
  EXPECT_EQ(report.issues[2].reason, "places.reason.half_coordinates");
  EXPECT_EQ(report.issues[3].field, "horaires");
  EXPECT_EQ(report.issues[3].reason, "places.reason.opening_hours");
  EXPECT_EQ(report.hours_repaired, 1u);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].source.record[Field::code_insee], "98818");
  EXPECT_EQ(rows[1].source.record[Field::horaires], "09:00-12:30");
}

TEST(PlacesImportCheck, SemicolonCsvAndFileLevelProblems) {
  std::string csv = csv_of({{"a", "Lieu", "25000"}});
  std::string semi;
  for (char c : csv) semi += c == ',' ? ';' : c;  // no comma inside these values
  std::vector<CheckedRow> rows;
  EXPECT_TRUE(check_file("f.csv", semi, Format::schema_csv, rows).issues.empty());
  auto missing = issues_of("id,nom\n1,Lieu\n", Format::schema_csv);
  ASSERT_FALSE(missing.empty());
  EXPECT_EQ(missing[0].reason, "places.reason.missing_column");
  EXPECT_EQ(issues_of("{}", Format::schema_json)[0].reason, "places.reason.not_json_array");
  EXPECT_EQ(issues_of(header_line() + "\n\"a,b\n", Format::schema_csv)[0].reason, "places.reason.unclosed_quote");
}

TEST(PlacesImportCheck, JsonLinesAndUnknownValues) {
  std::string json = "[\n  {\"id\": \"1\", \"nom\": \"A\"},\n  {\n    \"id\": \"2\", \"services\": \"Cuisine\"\n  }\n]";
  EXPECT_EQ(json_element_lines(json), (std::vector<size_t>{2, 3}));
  EXPECT_EQ(json_element_lines("{\"lieux\": [\n{\"a\": [1, {\"b\": 2}]},\n{}]}"), (std::vector<size_t>{2, 3}));
  auto issues = issues_of(json, Format::v0_json);
  bool found = false;
  for (const auto& i : issues)
    if (i.field == "services" && i.value == "Cuisine" && i.line == 3 && i.reason == "places.reason.unknown_value") found = true;
  EXPECT_TRUE(found);
}

TEST(PlacesCatalogue, FrenchAndEnglishHaveTheSameKeys) {
  auto fr = slurp(std::string(PASSERELLE_SOURCE_DIR) + "/web/locale/places/fr.json");
  auto en = slurp(std::string(PASSERELLE_SOURCE_DIR) + "/web/locale/places/en.json");
  auto keys = [](const std::string& text) {
    std::vector<std::string> out;
    for (size_t pos = 0; (pos = text.find("\n  \"", pos)) != std::string::npos; ++pos) out.push_back(text.substr(pos + 4, text.find('"', pos + 4) - pos - 4));
    return out;
  };
  EXPECT_EQ(keys(fr), keys(en));
  EXPECT_GT(keys(fr).size(), 30u);
  // Every reason the code can give has a message.
  for (const auto& k : {"places.reason.required", "places.reason.pattern", "places.reason.unique", "places.reason.outside_france",
                        "places.reason.unknown_commune", "places.reason.opening_hours", "places.reason.unknown_value"})
    EXPECT_NE(fr.find(std::string("\"") + k + "\""), std::string::npos) << k;
}

}  // namespace
