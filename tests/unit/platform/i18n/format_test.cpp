#include "platform/i18n/format.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace i18n = passerelle::i18n;
using i18n::Locale;

namespace {
constexpr int64_t kNoon22Nov2026 = 1795348800;       // 2026-11-22T12:00:00Z
constexpr int64_t k1305_22Nov2026 = 1795352700;      // 2026-11-22T13:05:00Z, 14:05 in Paris
constexpr int64_t k2330_22Nov2026 = 1795390200;      // 2026-11-22T23:30:00Z, already the 23rd in Paris
constexpr int64_t k2159_14Jul2026 = 1784066340;      // 2026-07-14T21:59:00Z, 23:59 in Paris (summer time)

const std::string kNarrowNbsp = "\u202f", kNbsp = "\u00a0";

// French groups thousands with a narrow no-break space (CLDR) or, in older data, a no-break space.
std::string normalise_spaces(std::string s) {
  for (const auto& sp : {kNarrowNbsp, kNbsp})
    for (size_t p; (p = s.find(sp)) != std::string::npos;) s.replace(p, sp.size(), "_");
  return s;
}
}  // namespace

TEST(FormatDate, French) {
  EXPECT_EQ(i18n::format_date(Locale::fr, kNoon22Nov2026), "22 novembre 2026");
  EXPECT_EQ(i18n::format_date(Locale::fr, 0), "1 janvier 1970");
  EXPECT_EQ(i18n::format_date(Locale::fr, k2159_14Jul2026), "14 juillet 2026");
}

TEST(FormatDate, UsesTheParisTimeZoneByDefault) {
  EXPECT_EQ(i18n::format_date(Locale::fr, k2330_22Nov2026), "23 novembre 2026");
  EXPECT_EQ(i18n::format_date(Locale::fr, k2330_22Nov2026, "UTC"), "22 novembre 2026");
  EXPECT_EQ(i18n::format_date(Locale::fr, kNoon22Nov2026, "Pacific/Noumea"), "22 novembre 2026");
  EXPECT_EQ(i18n::format_date(Locale::fr, k2330_22Nov2026, "America/Martinique"), "22 novembre 2026");
}

TEST(FormatDate, English) {
  EXPECT_EQ(i18n::format_date(Locale::en, kNoon22Nov2026), "November 22, 2026");
}

TEST(FormatDatetime, FrenchWithTime) {
  EXPECT_EQ(i18n::format_datetime(Locale::fr, k1305_22Nov2026), "22 novembre 2026 à 14:05");
  EXPECT_EQ(i18n::format_datetime(Locale::fr, k2159_14Jul2026), "14 juillet 2026 à 23:59");
  EXPECT_EQ(i18n::format_datetime(Locale::fr, k1305_22Nov2026, "UTC"), "22 novembre 2026 à 13:05");
  EXPECT_EQ(i18n::format_datetime(Locale::en, k1305_22Nov2026), "November 22, 2026 at 14:05");
}

TEST(FormatDate, SeveralTimeZonesOnOneThread) {
  // Formatters are cached per (pattern, zone): a zone must never leak into another one.
  EXPECT_EQ(i18n::format_datetime(Locale::fr, k1305_22Nov2026, "Europe/Paris"), "22 novembre 2026 à 14:05");
  EXPECT_EQ(i18n::format_datetime(Locale::fr, k1305_22Nov2026, "Indian/Reunion"), "22 novembre 2026 à 17:05");
  EXPECT_EQ(i18n::format_datetime(Locale::fr, k1305_22Nov2026, "Europe/Paris"), "22 novembre 2026 à 14:05");
}

TEST(FormatInteger, FrenchGroupsWithANoBreakSpace) {
  std::string s = i18n::format_integer(Locale::fr, 1234567);
  EXPECT_TRUE(s == "1" + kNarrowNbsp + "234" + kNarrowNbsp + "567" || s == "1" + kNbsp + "234" + kNbsp + "567") << s;
  EXPECT_EQ(normalise_spaces(i18n::format_integer(Locale::fr, 1000)), "1_000");
  EXPECT_EQ(i18n::format_integer(Locale::fr, 999), "999");
  EXPECT_EQ(i18n::format_integer(Locale::fr, 0), "0");
  EXPECT_EQ(normalise_spaces(i18n::format_integer(Locale::fr, 9223372036854775807LL)), "9_223_372_036_854_775_807");
  std::string negative = normalise_spaces(i18n::format_integer(Locale::fr, -4500));
  EXPECT_NE(negative.find("4_500"), std::string::npos) << negative;
  EXPECT_EQ(s.find(' '), std::string::npos);  // never a breaking space inside a number
}

TEST(FormatInteger, English) {
  EXPECT_EQ(i18n::format_integer(Locale::en, 1234567), "1,234,567");
  EXPECT_EQ(i18n::format_integer(Locale::en, 12), "12");
}

TEST(Collation, FrenchOrder) {
  std::vector<std::string> words{"zèbre", "étang", "Zoé", "eau", "École", "abricot", "Élise", "elle", "Ève", "œuvre", "Orléans"};
  i18n::sort_strings(Locale::fr, words);
  EXPECT_EQ(words, (std::vector<std::string>{"abricot", "eau", "École", "Élise", "elle", "étang", "Ève", "œuvre", "Orléans", "zèbre",
                                             "Zoé"}));
}

TEST(Collation, AccentsAndCaseAreSecondary) {
  EXPECT_LT(i18n::compare(Locale::fr, "eau", "École"), 0);
  EXPECT_LT(i18n::compare(Locale::fr, "École", "étang"), 0);
  EXPECT_LT(i18n::compare(Locale::fr, "a", "B"), 0);   // not byte order, where "B" < "a"
  EXPECT_LT(i18n::compare(Locale::fr, "Élan", "zoo"), 0);  // nor byte order, where "É" > "z"
  EXPECT_GT(i18n::compare(Locale::fr, "zoo", "Élan"), 0);
  EXPECT_EQ(i18n::compare(Locale::fr, "Saint-Étienne", "Saint-Étienne"), 0);
  EXPECT_NE(i18n::compare(Locale::fr, "cote", "côte"), 0);
}

TEST(Collation, SortsPlaceNames) {
  std::vector<std::string> places{"Saint-Étienne", "Saint-Denis", "Sainte-Anne", "Évry", "Angers", "Ajaccio", "Le Mans", "Lens", "Laval"};
  i18n::sort_strings(Locale::fr, places);
  EXPECT_EQ(places.front(), "Ajaccio");
  EXPECT_EQ(places[1], "Angers");
  EXPECT_EQ(places[2], "Évry");  // not after "Saint-…" as bytes would put it
  auto pos = [&](std::string_view s) { return std::find(places.begin(), places.end(), s) - places.begin(); };
  EXPECT_LT(pos("Saint-Denis"), pos("Saint-Étienne"));
  EXPECT_LT(pos("Laval"), pos("Le Mans"));
}
