#include "territories/model.hpp"

#include <gtest/gtest.h>

#include "platform/i18n/catalog.hpp"

namespace territories = passerelle::territories;
using passerelle::Errors;

TEST(Slug, Valid) {
  for (const std::string& s : std::vector<std::string>{"lyon", "saint-etienne", "ab", "drome-26", "cc-du-pays-de-gex", "97411", std::string(60, 'a')})
    EXPECT_TRUE(territories::valid_slug(s)) << s;
}

TEST(Slug, Invalid) {
  for (const std::string& s : std::vector<std::string>{"", "a", "-lyon", "lyon-", "Lyon", "saint étienne", "saint_etienne", "évry",
                                                      "a/b", "a.b", "lyon\n", std::string(61, 'a')})
    EXPECT_FALSE(territories::valid_slug(s)) << s;
}

TEST(Insee, MetropolitanCorsicanAndOverseasCodes) {
  for (const char* c : {"75056", "69123", "01001", "2A004", "2B033", "97411", "97101", "97611", "98818", "98735"})
    EXPECT_TRUE(territories::valid_insee(c)) << c;
}

TEST(Insee, Invalid) {
  for (const char* c : {"", "7505", "750560", "2C004", "2a004", "A2004", "20A04", "2A00B", "9741A", "75 56", "７５０５６", "-7505"})
    EXPECT_FALSE(territories::valid_insee(c)) << c;
}

TEST(LegalPages, TheFourRequiredPages) {
  for (const char* p : {"mentions-legales", "accessibilite", "donnees-personnelles", "charte"}) EXPECT_TRUE(territories::is_legal_page(p));
  for (const char* p : {"", "cgu", "Charte", "charte/"}) EXPECT_FALSE(territories::is_legal_page(p));
}

namespace {
territories::NewTerritory good() {
  territories::NewTerritory t;
  t.slug = "ajaccio";
  t.name = "Ajaccio";
  t.kind = "commune";
  t.insee_codes = "2A004";
  return t;
}
}  // namespace

TEST(Validate, AcceptsAndNormalisesInseeCodes) {
  auto t = good();
  t.kind = "intercommunalite";
  t.insee_codes = " 2A004, 2B033;97411\n98818\t69123  ";
  Errors errors;
  auto codes = territories::validate(t, errors);
  ASSERT_TRUE(codes.ok()) << codes.error().message_key;
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(*codes, (std::vector<std::string>{"2A004", "2B033", "97411", "98818", "69123"}));
}

TEST(Validate, CodesTypedInATextareaWithWindowsLineEnds) {
  // Browsers send textarea line breaks as CR LF.
  auto t = good();
  t.insee_codes = "75056\r\n69123\r\n";
  Errors errors;
  auto codes = territories::validate(t, errors);
  ASSERT_TRUE(codes.ok()) << codes.error().message_key;
  EXPECT_EQ(*codes, (std::vector<std::string>{"75056", "69123"}));
}

TEST(Validate, NoCodesIsFine) {
  auto t = good();
  t.insee_codes = "  ";
  Errors errors;
  auto codes = territories::validate(t, errors);
  ASSERT_TRUE(codes.ok());
  EXPECT_TRUE(codes->empty());
}

TEST(Validate, EachErrorNamesItsField) {
  territories::NewTerritory t;
  t.slug = "Pas Bon";
  t.name = "   ";
  t.kind = "canton";
  t.insee_codes = "75056 7505X 99999";
  Errors errors;
  auto codes = territories::validate(t, errors);
  ASSERT_FALSE(codes.ok());
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].field, "slug");
  EXPECT_EQ(errors[0].message_key, "territory.slug_invalid");
  EXPECT_EQ(errors[1].field, "name");
  EXPECT_EQ(errors[1].message_key, "territory.name_required");
  EXPECT_EQ(errors[2].field, "kind");
  EXPECT_EQ(errors[2].message_key, "territory.kind_invalid");
  EXPECT_EQ(errors[3].field, "insee");
  EXPECT_EQ(errors[3].message_key, "territory.insee_invalid");
  ASSERT_EQ(errors[3].args.size(), 1u);
  EXPECT_EQ(errors[3].args[0], (std::pair<std::string, std::string>{"code", "7505X"}));
  EXPECT_EQ(codes.error().field, "slug");
  for (const auto& e : errors) {
    EXPECT_TRUE(passerelle::i18n::Catalog::instance().has(passerelle::i18n::Locale::fr, e.message_key)) << e.message_key;
    EXPECT_TRUE(passerelle::i18n::Catalog::instance().has(passerelle::i18n::Locale::en, e.message_key)) << e.message_key;
  }
}

TEST(Validate, NameLength) {
  auto t = good();
  t.name = std::string(200, 'n');
  Errors errors;
  EXPECT_TRUE(territories::validate(t, errors).ok());
  t.name = std::string(201, 'n');
  errors.clear();
  EXPECT_FALSE(territories::validate(t, errors).ok());
}

TEST(Validate, EveryKind) {
  for (const char* k : {"commune", "intercommunalite", "departement", "region", "autre"}) {
    auto t = good();
    t.kind = k;
    Errors errors;
    EXPECT_TRUE(territories::validate(t, errors).ok()) << k;
  }
}
