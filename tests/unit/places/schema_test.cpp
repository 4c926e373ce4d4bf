// The Table Schema validator: every constraint comes from the schema JSON. It accepts the
// official valid example and rejects a set of broken rows, each for the expected field and reason.
#include "places/schema.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "places/csv_reader.hpp"
#include "places/model.hpp"

using namespace passerelle::places;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
const std::string kData = std::string(PASSERELLE_SOURCE_DIR) + "/tests/data/places/";

using Row = std::map<std::string, std::string, std::less<>>;

Row valid_row(const std::string& id = "lieu-1") {
  return {{"id", id}, {"pivot", "43493312300029"}, {"nom", "Médiathèque"}, {"commune", "Besançon"}, {"code_postal", "25000"},
          {"adresse", "1 rue de la République"}, {"date_maj", "2024-03-01"}};
}

TEST(PlacesSchema, EmbeddedSchemaHasTheThirtyTwoFieldsInOrder) {
  const auto& s = TableSchema::embedded();
  EXPECT_EQ(s.version(), "v1.0.2");
  ASSERT_EQ(s.fields().size(), kFieldCount);
  for (size_t i = 0; i < kFieldCount; ++i) EXPECT_EQ(s.fields()[i].name, kFieldNames[i]);
  EXPECT_TRUE(s.find("id")->unique);
  EXPECT_TRUE(s.find("date_maj")->required);
  EXPECT_EQ(s.find("presentation_resume")->max_length, 280u);
  EXPECT_EQ(s.find("latitude")->type, "number");
}

TEST(PlacesSchema, AcceptsTheOfficialValidExample) {
  auto table = read_csv(slurp(kData + "exemple-valide-v1.0.2.csv"));
  ASSERT_TRUE(table.ok());
  Validator v(TableSchema::embedded(), "exemple-valide-v1.0.2.csv");
  EXPECT_TRUE(v.check_header(table->header.cells).empty());
  ASSERT_EQ(table->rows.size(), 1u);
  Row row;
  for (size_t i = 0; i < table->header.cells.size(); ++i) row[table->header.cells[i]] = table->rows[0].cells[i];
  auto issues = v.check_row(row, table->rows[0].line);
  for (const auto& i : issues) ADD_FAILURE() << i.field << " " << i.value << " " << i.reason;
}

struct Broken {
  std::string field, value, reason;
};

TEST(PlacesSchema, RejectsBrokenRowsNamingFieldValueAndReason) {
  const std::vector<Broken> cases = {
      {"id", "", "places.reason.required"},
      {"nom", "", "places.reason.required"},
      {"date_maj", "", "places.reason.required"},
      {"pivot", "123", "places.reason.pattern"},                    // 9 to 14 letters or digits
      {"pivot", "4349331230002X9", "places.reason.pattern"},
      {"code_postal", "2500", "places.reason.pattern"},
      {"code_postal", "25 000", "places.reason.pattern"},
      {"code_insee", "20123", "places.reason.pattern"},             // Corsica is 2A/2B
      {"latitude", "47,23", "places.reason.type_number"},
      {"longitude", "six", "places.reason.type_number"},
      {"date_maj", "01/03/2024", "places.reason.type_date"},
      {"date_maj", "2024-02-30", "places.reason.type_date"},
      {"telephone", "0381000000", "places.reason.pattern"},         // international form only
      {"telephone", "+33 3 81 00 00 00", "places.reason.pattern"},
      {"services", "Aide aux démarches administratives|Cuisine", "places.reason.pattern"},
      {"services", "Aide aux démarches administratives;Compréhension du monde numérique", "places.reason.pattern"},  // `;` is v0
      {"services", "Devenir autonome dans les démarches administratives", "places.reason.pattern"},  // old vocabulary
      {"frais_a_charge", "gratuit", "places.reason.pattern"},
      {"itinerance", "Mobile", "places.reason.pattern"},
      {"publics_specifiquement_adresses", "Seniors (+ 65 ans)", "places.reason.pattern"},
      {"modalites_accompagnement", "Seul : j'ai accès à du matériel et une connexion", "places.reason.pattern"},
      {"presentation_resume", std::string(281, 'a'), "places.reason.max_length"},
      {"frais_a_charge", [] { std::string v = "Gratuit"; while (v.size() < 20000) v += "|Gratuit"; return v; }(), "places.reason.too_long_for_pattern"},
  };
  for (const auto& c : cases) {
    Validator v(TableSchema::embedded(), "lieux.csv");
    Row row = valid_row();
    row[c.field] = c.value;
    auto issues = v.check_row(row, 7);
    ASSERT_EQ(issues.size(), 1u) << c.field << " = " << c.value;
    EXPECT_EQ(issues[0].file, "lieux.csv");
    EXPECT_EQ(issues[0].line, 7u);
    EXPECT_EQ(issues[0].field, c.field);
    EXPECT_EQ(issues[0].value, c.value.size() > 200 ? c.value.substr(0, 200) + "…" : c.value);
    EXPECT_EQ(issues[0].reason, c.reason) << c.field << " = " << c.value;
  }
}

TEST(PlacesSchema, AcceptsListsOfAllowedValuesAndOverseasNumbers) {
  Validator v(TableSchema::embedded(), "lieux.csv");
  Row row = valid_row();
  row["services"] = "Aide aux démarches administratives|Compréhension du monde numérique|Accès internet et matériel informatique";
  row["prise_en_charge_specifique"] = "Langues étrangères (anglais)|Surdité";
  row["itinerance"] = "Itinérant|Fixe";
  row["telephone"] = "+687445728";
  row["code_insee"] = "2A004";
  row["latitude"] = "-22.233939";
  for (int i = 0; i < 280; ++i) row["presentation_resume"] += "é";  // 280 characters, 560 bytes
  EXPECT_TRUE(v.check_row(row, 2).empty());
}

TEST(PlacesSchema, UniqueAcrossTheFile) {
  Validator v(TableSchema::embedded(), "lieux.csv");
  EXPECT_TRUE(v.check_row(valid_row("a"), 2).empty());
  EXPECT_TRUE(v.check_row(valid_row("b"), 3).empty());
  auto issues = v.check_row(valid_row("a"), 4);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].reason, "places.reason.unique");
  EXPECT_EQ(issues[0].args[0].second, "2");
}

TEST(PlacesSchema, HeaderMissingAndUnknownColumns) {
  Validator v(TableSchema::embedded(), "lieux.csv");
  std::vector<std::string> header(kFieldNames.begin(), kFieldNames.end());
  header.erase(header.begin() + 2);  // nom
  header.push_back("horaires_texte");
  auto issues = v.check_header(header);
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].field, "nom");
  EXPECT_EQ(issues[0].reason, "places.reason.missing_column");
  EXPECT_EQ(issues[1].reason, "places.reason.unknown_column");
}

TEST(PlacesSchema, ConstraintsComeFromTheJson) {
  auto s = TableSchema::parse(R"({"fields":[{"name":"n","type":"integer","constraints":{"minimum":1,"maximum":9,"enum":["1","5"]}}]})");
  ASSERT_TRUE(s.ok());
  const auto& f = s->fields()[0];
  EXPECT_FALSE(s->check(f, "5"));
  EXPECT_EQ(s->check(f, "x")->reason, "places.reason.type_integer");
  EXPECT_EQ(s->check(f, "12")->reason, "places.reason.maximum");
  EXPECT_EQ(s->check(f, "3")->reason, "places.reason.enum");
  EXPECT_FALSE(TableSchema::parse("{}").ok());
  EXPECT_FALSE(TableSchema::parse(R"({"fields":[{"name":"n","constraints":{"pattern":"(["}}]})").ok());
}

TEST(PlacesCsv, SeparatorQuotesAndLines) {
  auto t = read_csv("\xEF\xBB\xBFid;nom\r\n1;\"Maison ; des \"\"services\"\"\"\n\n2;\"sur\ndeux lignes\"\n3;fin");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->separator, ';');
  EXPECT_EQ(t->header.cells, (std::vector<std::string>{"id", "nom"}));
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0].cells[1], "Maison ; des \"services\"");
  EXPECT_EQ(t->rows[0].line, 2u);
  EXPECT_EQ(t->rows[1].line, 4u);
  EXPECT_EQ(t->rows[1].cells[1], "sur\ndeux lignes");
  EXPECT_EQ(t->rows[2].line, 6u);
  auto open = read_csv("id,nom\n1,\"jamais fermé\n");
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().message_key, "places.reason.unclosed_quote");
  EXPECT_EQ(open.error().args[0].second, "2");
  EXPECT_EQ(detect_separator("\"a,b\";c;d\n"), ';');
}

}  // namespace
