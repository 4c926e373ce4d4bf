#include "platform/i18n/catalog.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace i18n = passerelle::i18n;
using i18n::Locale;

namespace {
// Names between braces, as Catalog::tr substitutes them: "{a} et {b}" → {a, b}.
std::set<std::string> placeholders(const std::string& text) {
  std::set<std::string> out;
  for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    auto close = text.find_first_of("{}", open + 1);
    if (close != std::string::npos && text[close] == '}') out.insert(text.substr(open + 1, close - open - 1));
  }
  return out;
}
const i18n::Catalog& catalog() { return i18n::Catalog::instance(); }
}  // namespace

TEST(Catalogues, AreEmbeddedAndNotEmpty) {
  EXPECT_GT(catalog().keys(Locale::fr).size(), 50u);
  EXPECT_TRUE(catalog().has(Locale::fr, "error.404.title"));
  EXPECT_TRUE(catalog().has(Locale::en, "error.404.title"));
}

TEST(Catalogues, FrenchAndEnglishHaveExactlyTheSameKeys) {
  auto fr = catalog().keys(Locale::fr), en = catalog().keys(Locale::en);
  std::sort(fr.begin(), fr.end());
  std::sort(en.begin(), en.end());
  std::vector<std::string> only_fr, only_en;
  std::set_difference(fr.begin(), fr.end(), en.begin(), en.end(), std::back_inserter(only_fr));
  std::set_difference(en.begin(), en.end(), fr.begin(), fr.end(), std::back_inserter(only_en));
  EXPECT_TRUE(only_fr.empty()) << "missing in en.json: " << ::testing::PrintToString(only_fr);
  EXPECT_TRUE(only_en.empty()) << "missing in fr.json: " << ::testing::PrintToString(only_en);
}

TEST(Catalogues, EachKeyHasTheSamePlaceholdersInBothLanguages) {
  for (const auto& key : catalog().keys(Locale::fr)) {
    if (!catalog().has(Locale::en, key)) continue;  // reported by the test above
    // tr() without arguments returns the raw text, placeholders included.
    auto fr = placeholders(catalog().tr(Locale::fr, key)), en = placeholders(catalog().tr(Locale::en, key));
    EXPECT_EQ(fr, en) << "key " << key << ": fr «" << catalog().tr(Locale::fr, key) << "» en «" << catalog().tr(Locale::en, key)
                      << "»";
  }
}

TEST(Catalogues, NoTextIsEmpty) {
  for (Locale l : {Locale::fr, Locale::en})
    for (const auto& key : catalog().keys(l)) EXPECT_FALSE(catalog().tr(l, key).empty()) << i18n::code(l) << " " << key;
}

TEST(Catalogues, ErrorPagesHaveTextsForEveryStatusTheServerSends) {
  for (int status : {400, 401, 403, 404, 405, 408, 409, 413, 422, 429, 431, 500, 503})
    for (const char* part : {".title", ".text"}) {
      std::string key = "error." + std::to_string(status) + part;
      EXPECT_TRUE(catalog().has(Locale::fr, key)) << key;
      EXPECT_TRUE(catalog().has(Locale::en, key)) << key;
    }
}

TEST(Catalogues, PlatformErrorKeysExist) {
  for (const char* key : {"config.bad_line", "config.bad_listen", "config.file_missing", "config.not_a_number", "config.unknown_key",
                          "db.too_new", "db.too_old", "files.empty", "files.too_large", "files.type_refused", "error.rate_limited",
                          "error.csrf", "error.forbidden", "error.not_found"}) {
    EXPECT_TRUE(catalog().has(Locale::fr, key)) << key;
    EXPECT_TRUE(catalog().has(Locale::en, key)) << key;
  }
  EXPECT_EQ(placeholders(catalog().tr(Locale::fr, "error.rate_limited")).count("seconds"), 1u);
  EXPECT_EQ(placeholders(catalog().tr(Locale::fr, "db.too_new")), (std::set<std::string>{"db", "binary"}));
}

// Substitution and fallback on a catalogue of our own --------------------------------------

namespace {
i18n::Catalog sample() {
  return i18n::Catalog::from_json(
      R"({"bonjour": "Bonjour {nom} !", "deux": "{a} puis {b} puis {a}", "seul_fr": "Seulement en français",
          "accolade": "Ensemble {vide} et {inconnu} et { et }"})",
      R"({"bonjour": "Hello {nom}!", "deux": "{b} then {a}"})");
}
}  // namespace

TEST(Catalog, SubstitutesNamedPlaceholders) {
  auto c = sample();
  EXPECT_EQ(c.tr(Locale::fr, "bonjour", {{"nom", "Camille"}}), "Bonjour Camille !");
  EXPECT_EQ(c.tr(Locale::en, "bonjour", {{"nom", "Camille"}}), "Hello Camille!");
  EXPECT_EQ(c.tr(Locale::fr, "deux", {{"a", "1"}, {"b", "2"}}), "1 puis 2 puis 1");
  EXPECT_EQ(c.tr(Locale::en, "deux", {{"a", "1"}, {"b", "2"}}), "2 then 1");
  std::vector<std::pair<std::string, std::string>> args{{"nom", "Léa"}};
  EXPECT_EQ(c.tr(Locale::fr, "bonjour", args), "Bonjour Léa !");
}

TEST(Catalog, ValuesAreInsertedVerbatimNotReinterpreted) {
  auto c = sample();
  EXPECT_EQ(c.tr(Locale::fr, "deux", {{"a", "{b}"}, {"b", "x"}}), "{b} puis x puis {b}");
  EXPECT_EQ(c.tr(Locale::fr, "bonjour", {{"nom", "<b>&"}}), "Bonjour <b>& !");  // escaping is the page's job
}

TEST(Catalog, UnknownPlaceholdersStayAsWritten) {
  auto c = sample();
  EXPECT_EQ(c.tr(Locale::fr, "accolade", {{"vide", "plein"}}), "Ensemble plein et {inconnu} et { et }");
  EXPECT_EQ(c.tr(Locale::fr, "bonjour"), "Bonjour {nom} !");
}

TEST(Catalog, EnglishFallsBackToFrenchThenToTheKey) {
  auto c = sample();
  EXPECT_EQ(c.tr(Locale::en, "seul_fr"), "Seulement en français");
  EXPECT_FALSE(c.has(Locale::en, "seul_fr"));
  EXPECT_TRUE(c.has(Locale::fr, "seul_fr"));
  EXPECT_EQ(c.tr(Locale::en, "inexistante.cle"), "inexistante.cle");
  EXPECT_EQ(c.tr(Locale::fr, "inexistante.cle", {{"a", "b"}}), "inexistante.cle");
}

TEST(Catalog, UnreadableCatalogueIsRefused) {
  EXPECT_THROW(i18n::Catalog::from_json("{pas du json", "{}"), std::runtime_error);
  EXPECT_THROW(i18n::Catalog::from_json("[]", "{}"), std::runtime_error);
}

TEST(Tr, UsesTheEmbeddedCatalogue) {
  i18n::Tr tr(Locale::en);
  EXPECT_EQ(tr("error.404.title"), catalog().tr(Locale::en, "error.404.title"));
}

// Locales -------------------------------------------------------------------------------------

TEST(Locale, CodesAndParsing) {
  EXPECT_EQ(i18n::code(Locale::fr), "fr");
  EXPECT_EQ(i18n::code(Locale::en), "en");
  EXPECT_EQ(i18n::parse_locale("en"), Locale::en);
  EXPECT_EQ(i18n::parse_locale("en-GB"), Locale::en);
  EXPECT_EQ(i18n::parse_locale("fr"), Locale::fr);
  EXPECT_EQ(i18n::parse_locale("de"), Locale::fr);
  EXPECT_EQ(i18n::parse_locale(""), Locale::fr);
}

TEST(AcceptLanguage, PicksTheHighestQualitySupportedLanguage) {
  EXPECT_EQ(i18n::from_accept_language("en-US,en;q=0.9,fr;q=0.8"), Locale::en);
  EXPECT_EQ(i18n::from_accept_language("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"), Locale::fr);
  EXPECT_EQ(i18n::from_accept_language("en;q=0.4, fr;q=0.6"), Locale::fr);
  EXPECT_EQ(i18n::from_accept_language("fr;q=0.4, en;q=0.6"), Locale::en);
  EXPECT_EQ(i18n::from_accept_language("de-DE, en;q=0.5"), Locale::en);  // German unsupported: next best
  EXPECT_EQ(i18n::from_accept_language("de, es;q=0.9, fr-CA;q=0.2"), Locale::fr);
  EXPECT_EQ(i18n::from_accept_language("EN-gb"), Locale::en);
  EXPECT_EQ(i18n::from_accept_language("  en ; q=0.8 "), Locale::en);
  EXPECT_EQ(i18n::from_accept_language("en;level=1;q=0.8, fr;q=0.7"), Locale::en);
}

TEST(AcceptLanguage, DefaultsToFrench) {
  EXPECT_EQ(i18n::from_accept_language(""), Locale::fr);
  EXPECT_EQ(i18n::from_accept_language("de-DE,de;q=0.9"), Locale::fr);
  EXPECT_EQ(i18n::from_accept_language("*"), Locale::fr);
  EXPECT_EQ(i18n::from_accept_language(",,;"), Locale::fr);
  EXPECT_EQ(i18n::from_accept_language("english"), Locale::fr);
}

TEST(AcceptLanguage, TiesGoToTheFirstListed) {
  EXPECT_EQ(i18n::from_accept_language("en, fr"), Locale::en);
  EXPECT_EQ(i18n::from_accept_language("fr;q=0.5, en;q=0.5"), Locale::fr);
}

TEST(AcceptLanguage, QualityZeroMeansNotAcceptable) {
  // RFC 9110 §12.4.2: q=0 marks a language the reader refuses.
  EXPECT_EQ(i18n::from_accept_language("en;q=0"), Locale::fr);
  EXPECT_EQ(i18n::from_accept_language("de, en;q=0.0"), Locale::fr);
  EXPECT_EQ(i18n::from_accept_language("fr;q=0, en;q=0.1"), Locale::en);
}
