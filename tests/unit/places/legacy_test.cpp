// The v0.1.1 → v1.0.2 mapping: docs/places-schema-mapping.md is read and every row of its value
// table checked against the code, both ways; then the record-level rewrites.
#include "places/legacy.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

using namespace passerelle::places;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
const std::string kRoot = std::string(PASSERELLE_SOURCE_DIR);

struct DocRow {
  std::string field, value;
  std::vector<std::pair<std::string, std::string>> targets;
};

std::string trim(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// The rows of the "## Valeurs" table.
std::vector<DocRow> doc_rows() {
  std::string doc = slurp(kRoot + "/docs/places-schema-mapping.md");
  auto start = doc.find("## Valeurs"), end = doc.find("\n## ", start + 1);
  std::istringstream in(doc.substr(start, end - start));
  std::vector<DocRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("| `")) continue;
    std::vector<std::string> cells;
    size_t pos = 1;
    for (size_t bar; (bar = line.find(" | ", pos)) != std::string::npos; pos = bar + 3) cells.push_back(trim(line.substr(pos, bar - pos)));
    DocRow row{cells[0].substr(1, cells[0].size() - 2), cells[1], {}};
    if (cells[2] != "—") {
      std::regex target("`([a-z_]+)` : ([^;]+)");
      for (std::sregex_iterator it(cells[2].begin(), cells[2].end(), target), e; it != e; ++it)
        row.targets.emplace_back((*it)[1], trim((*it)[2]));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST(PlacesLegacy, EveryDocumentedRowIsWhatTheCodeDoes) {
  auto rows = doc_rows();
  ASSERT_EQ(rows.size(), legacy::mappings().size());
  for (const auto& row : rows) {
    Record r;
    std::vector<Issue> issues;
    legacy::map_list(row.field, row.value, r, issues);
    EXPECT_TRUE(issues.empty()) << row.field << " : " << row.value;
    std::map<std::string, std::string> expected;
    for (const auto& [f, v] : row.targets) expected[f] = v;
    for (size_t i = 0; i < kFieldCount; ++i) {
      std::string name(kFieldNames[i]);
      EXPECT_EQ(r.values[i], expected.count(name) ? expected[name] : "") << row.field << " : " << row.value << " → " << name;
    }
  }
}

TEST(PlacesLegacy, EveryOldValueOfTheOldSchemaIsMapped) {
  auto schema = nlohmann::json::parse(slurp(kRoot + "/tests/data/places/lieux-mediation-numerique.schema-v0.1.1.json"));
  std::set<std::string> documented;
  for (const auto& row : doc_rows()) documented.insert(row.field + "=" + row.value);
  size_t services = 0;
  for (const auto& f : schema["fields"]) {
    std::string name = f["name"];
    if (!f.contains("constraints") || !f["constraints"].contains("pattern")) continue;
    std::string pattern = f["constraints"]["pattern"];
    auto open = pattern.find("(?:^|;)(");
    if (open == std::string::npos) continue;
    std::string list = pattern.substr(open + 8, pattern.rfind("))+$") - open - 8);
    list = std::regex_replace(list, std::regex(R"(\\(.))"), "$1");  // unescape \( \+ \.
    for (const auto& value : split_list(list)) {
      EXPECT_TRUE(documented.count(name + "=" + value)) << name << " : " << value;
      services += name == "services";
    }
  }
  EXPECT_EQ(services, 15u);
}

TEST(PlacesLegacy, FifteenServicesGiveEightOfTheNine) {
  std::set<std::string> produced;
  for (const auto& m : legacy::mappings())
    if (m.old_field == "services") produced.insert(std::string(m.targets.at(0).value));
  EXPECT_EQ(produced.size(), 8u);
  EXPECT_FALSE(produced.count("Utilisation sécurisée du numérique"));
}

TEST(PlacesLegacy, SeparatorsAndV1ValuesInMixedFiles) {
  Record r;
  std::vector<Issue> issues;
  legacy::map_list("services", "Prendre en main un ordinateur, Approfondir ma culture numérique", r, issues);  // CNFS 2022
  legacy::map_list("labels_nationaux", "CNFS;France Services", r, issues);
  legacy::map_list("publics_accueillis", "Jeunes|Familles/enfants", r, issues);  // "Jeunes" is already v1
  legacy::map_list("conditions_access", "Gratuit", r, issues);
  EXPECT_TRUE(issues.empty());
  EXPECT_EQ(r[Field::services], "Maîtrise des outils numériques du quotidien|Compréhension du monde numérique");
  EXPECT_EQ(r[Field::dispositif_programmes_nationaux], "Conseillers numériques|France Services");
  EXPECT_EQ(r[Field::publics_specifiquement_adresses], "Jeunes|Familles et/ou enfants");
  EXPECT_EQ(r[Field::frais_a_charge], "Gratuit");
  legacy::map_list("services", "Réparer des vélos", r, issues);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].field, "services");
  EXPECT_EQ(issues[0].value, "Réparer des vélos");
  EXPECT_EQ(issues[0].reason, "places.reason.unknown_value");
}

TEST(PlacesLegacy, RecordRewrites) {
  std::vector<Issue> issues;
  auto r = legacy::map_record({{"id", "7"}, {"nom", "Lieu"}, {"pivot", ""}, {"code_postal", "1000"}, {"telephone", "04 74 00 00 00"},
                               {"courriel", "a@b.fr;c@d.fr"}, {"accessibilite", "https://acceslibre.beta.gouv.fr/x"},
                               {"labels_autres", "SudLabs"}, {"date_maj", "11/05/2023"}, {"cle_ban", "x"}, {"presentation_resume", std::string(300, 'a')}},
                              issues);
  EXPECT_TRUE(issues.empty());
  EXPECT_EQ(r[Field::pivot], "00000000000000");
  EXPECT_EQ(r[Field::code_postal], "01000");
  EXPECT_EQ(r[Field::telephone], "+33474000000");
  EXPECT_EQ(r[Field::courriels], "a@b.fr|c@d.fr");
  EXPECT_EQ(r[Field::fiche_acces_libre], "https://acceslibre.beta.gouv.fr/x");
  EXPECT_EQ(r[Field::autres_formations_labels], "SudLabs");
  EXPECT_EQ(r[Field::date_maj], "2023-05-11");
  EXPECT_EQ(utf8_length(r[Field::presentation_resume]), 280u);
  EXPECT_EQ(r[Field::presentation_detail], std::string(300, 'a'));
  legacy::map_record({{"couleur", "bleu"}}, issues);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].reason, "places.reason.unknown_column");
}

TEST(PlacesLegacy, OverseasPhones) {
  EXPECT_EQ(legacy::normalise_phone("0262 12 34 56", "97400"), "+262262123456");
  EXPECT_EQ(legacy::normalise_phone("44.57.28", "98800"), "+687445728");
  EXPECT_EQ(legacy::normalise_phone("+33 (0)3 81 00 00 00", "25000"), "+33381000000");
  EXPECT_EQ(legacy::normalise_phone("poste 12", "25000"), "poste 12");
}

TEST(PlacesLegacy, BfcRow) {
  std::vector<Issue> issues;
  auto r = legacy::map_bfc({{"bfc_id", "mednumBFC_TL_2_"}, {"mise_a_jour", "05/03/2021"}, {"lon", "5.069047"}, {"lat", "47.329680"},
                            {"adresse", "14 rue Camille Claudel"}, {"code_postal", "21000"}, {"ville", "DIJON"}, {"nom_structure", "PANDA Grésilles"},
                            {"contact_tel", "03 80 48 84 14"}, {"code_typo", "M-TL"}, {"code_label", "APTIC-MFS"}, {"code_accomp", "A-G"},
                            {"lundi matin", "9h-12h"}, {"lundi après-midi", "14h-18h"}, {"mardi matin", "x"}, {"samedi matin", "8h30-12h"}},
                           issues);
  EXPECT_TRUE(issues.empty());
  EXPECT_EQ(r[Field::horaires], "Mo 09:00-12:00,14:00-18:00; Sa 08:30-12:00");
  EXPECT_EQ(r[Field::typologie], "TIERS_LIEUX");
  EXPECT_EQ(r[Field::dispositif_programmes_nationaux], "France Services");
  EXPECT_EQ(r[Field::autres_formations_labels], "APTIC");
  EXPECT_EQ(r[Field::modalites_accompagnement], "En autonomie|Dans un atelier collectif");
  EXPECT_EQ(r[Field::telephone], "+33380488414");
  EXPECT_EQ(r[Field::date_maj], "2021-03-05");
  legacy::map_bfc({{"code_typo", "Z"}, {"lundi matin", "le matin"}}, issues);
  EXPECT_EQ(issues.size(), 2u);
}

}  // namespace
