#include "places/opening_hours.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace places = passerelle::places;
namespace i18n = passerelle::i18n;
using namespace std::chrono;
using places::State;

namespace {

places::OpeningHours parse(std::string_view text) {
  auto r = places::parse_opening_hours(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message_key);
  return r.ok() ? r.value() : places::OpeningHours{};
}

std::string arg(const passerelle::Error& e, std::string_view name) {
  for (const auto& [k, v] : e.args)
    if (k == name) return v;
  return "<none>";
}

places::LocalMinutes at(int y, unsigned m, unsigned d, int h, int min = 0) {
  return local_days{year{y} / m / d} + hours{h} + minutes{min};
}

system_clock::time_point utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return sys_days{year{y} / m / d} + hours{h} + minutes{min};
}

std::string text(year_month_day d) {  // g++ 12 has no operator<< for chrono calendar types
  return std::to_string(int(d.year())) + "-" + std::to_string(unsigned(d.month())) + "-" + std::to_string(unsigned(d.day()));
}

State state(std::string_view text, places::LocalMinutes when) { return places::status_at(parse(text), when).state; }

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kLocaleDir = std::string(PASSERELLE_SOURCE_DIR) + "/web/locale/places-hours/";

const i18n::Catalog& catalog() {
  static const i18n::Catalog c = i18n::Catalog::from_json(slurp(kLocaleDir + "fr.json"), slurp(kLocaleDir + "en.json"));
  return c;
}

std::vector<std::string> fr(std::string_view text) { return places::describe(parse(text), catalog(), i18n::Locale::fr); }

}  // namespace

// Parsing ---------------------------------------------------------------------------------------

TEST(OpeningHoursParse, WeekdaysAndTimes) {
  auto h = parse("Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00");
  ASSERT_EQ(h.rules.size(), 2u);
  ASSERT_EQ(h.rules[0].weekdays.size(), 1u);
  EXPECT_EQ(h.rules[0].weekdays[0].from, 0);
  EXPECT_EQ(h.rules[0].weekdays[0].to, 4);
  ASSERT_EQ(h.rules[0].times.size(), 2u);
  EXPECT_EQ(h.rules[0].times[1], (places::TimeSpan{14 * 60, 17 * 60 + 30}));
  EXPECT_EQ(h.rules[1].separator, places::Separator::normal);
  EXPECT_EQ(h.rules[1].weekdays[0].from, 5);
}

TEST(OpeningHoursParse, PastMidnightAnd2400) {
  auto h = parse("Fr 22:00-02:00; Sa 18:00-24:00; Su 20:00-26:00");
  EXPECT_EQ(h.rules[0].times[0].end, 26 * 60);
  EXPECT_EQ(h.rules[1].times[0].end, 24 * 60);
  EXPECT_EQ(h.rules[2].times[0].end, 26 * 60);
}

TEST(OpeningHoursParse, TheWholeSubset) {
  auto h = parse(
      "24/7; Mo,We 10:00-12:00; PH off; Su,PH off \"fermé\"; Jan-Jun 09:00-12:00; Dec 25 off; Dec 24-26 10:00-12:00; "
      "Dec 25-Jan 02 off; week 1-53/2 Tu 09:00-12:00; Mo[1] 10:00-11:00; Mo[-1],Th[1-2] 10:00-11:00; 2024-2026/2 Jul 10:00+; "
      "Mo 09:00-12:00+, Tu 12:00 || \"sur rendez-vous\"; SH unknown; Jan-Mar: Sa closed");
  ASSERT_EQ(h.rules.size(), 17u);
  EXPECT_TRUE(h.rules[0].always);
  EXPECT_EQ(h.rules[1].weekdays.size(), 2u);
  EXPECT_TRUE(h.rules[2].public_holiday);
  EXPECT_EQ(h.rules[3].state, State::closed);
  EXPECT_EQ(h.rules[3].comment, "fermé");
  EXPECT_EQ(h.rules[4].monthdays[0], (places::MonthdayRange{1, 0, 6, 0}));
  EXPECT_EQ(h.rules[5].monthdays[0], (places::MonthdayRange{12, 25, 12, 25}));
  EXPECT_EQ(h.rules[6].monthdays[0], (places::MonthdayRange{12, 24, 12, 26}));
  EXPECT_EQ(h.rules[7].monthdays[0], (places::MonthdayRange{12, 25, 1, 2}));
  EXPECT_EQ(h.rules[8].weeks[0], (places::IntRange{1, 53, 2}));
  EXPECT_EQ(h.rules[9].weekdays[0].nth[0], (places::IntRange{1, 1, 1}));
  EXPECT_EQ(h.rules[10].weekdays[0].nth[0], (places::IntRange{-1, -1, 1}));
  EXPECT_EQ(h.rules[10].weekdays[1].nth[0], (places::IntRange{1, 2, 1}));
  EXPECT_EQ(h.rules[11].years[0], (places::IntRange{2024, 2026, 2}));
  EXPECT_EQ(h.rules[11].times[0].kind, places::TimeSpan::Kind::open_end);
  EXPECT_EQ(h.rules[12].times[0].kind, places::TimeSpan::Kind::open_end);
  EXPECT_EQ(h.rules[13].separator, places::Separator::additional);
  EXPECT_EQ(h.rules[13].times[0].kind, places::TimeSpan::Kind::point);
  EXPECT_EQ(h.rules[14].separator, places::Separator::fallback);
  EXPECT_EQ(h.rules[14].state, State::unknown);  // a comment alone says nothing sure
  EXPECT_EQ(h.rules[14].comment, "sur rendez-vous");
  EXPECT_TRUE(h.rules[15].school_holiday);
  EXPECT_EQ(h.rules[16].monthdays[0], (places::MonthdayRange{1, 0, 3, 0}));
  EXPECT_EQ(h.rules[16].state, State::closed);
}

TEST(OpeningHoursParse, SpacesAroundSeparatorsAreTolerated) {
  EXPECT_EQ(parse("Mo - Fr 09:00 - 12:00 , 14:00-17:00 ;Sa 10:00-12:00"), parse("Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00"));
}

TEST(OpeningHoursParse, CanonicalTextRoundTrips) {
  for (std::string_view text :
       {"Mo-Fr 09:00-12:00,14:00-17:30; PH off", "Fr 22:00-02:00", "Su 01:00-26:00", "24/7", "off", "open", "Mo 17:00+",
        "Mo 09:00-17:00+", "Tu 12:00", "Mo[1,3] 10:00-12:00", "Mo[-1] 10:00-12:00", "week 01-53/2 Tu 09:00-12:30",
        "2024 Dec 25 off", "Dec 25-Jan 02 off", "Jan-Jun: Mo-Fr 09:00-12:00", "Mo-Fr unknown \"sur rendez-vous\"",
        "Mo-Fr 09:00-12:00, We 14:00-16:00 || \"sur rendez-vous\"", "Sa,PH 10:00-12:00", "SH off", "Fr-Mo 10:00-12:00",
        "Jan-Jun:, Dec off", "Mo, Tu 10:00-12:00"}) {
    auto h = parse(text);
    auto canonical = places::to_osm(h);
    EXPECT_EQ(parse(canonical), h) << text << " → " << canonical;
  }
  EXPECT_EQ(places::to_osm(parse("Mo-Fr  09:00-12:00 ;Sa 10:00-12:00")), "Mo-Fr 09:00-12:00; Sa 10:00-12:00");
  EXPECT_EQ(places::to_osm(parse("Mo-Fr \"sur rendez-vous\"")), "Mo-Fr unknown \"sur rendez-vous\"");
}

// Errors: a value with the catalogue key, the position in characters and the offending token --------

struct BadCase {
  const char* text;
  const char* key;
  const char* position;
  const char* token;
};

TEST(OpeningHoursParse, ErrorsSayWhereAndWhat) {
  for (const BadCase& c : {
           BadCase{"Lundi 09:00-12:00", "places.hours.error.unexpected", "1", "Lundi"},
           BadCase{"Mo-Fr 9:00-12:00", "places.hours.error.bad_time", "7", "9:00"},
           BadCase{"Mo 09:00-49:00", "places.hours.error.bad_time", "10", "49:00"},
           BadCase{"Mo 09:60-12:00", "places.hours.error.bad_time", "4", "09:60"},
           BadCase{"Mo 14:00-14:00", "places.hours.error.empty_span", "4", "14:00-14:00"},
           BadCase{"Mo 09:00-12:00 14:00-17:00", "places.hours.error.unexpected", "16", "14:00"},
           BadCase{"Mo 09:00-12:00;", "places.hours.error.incomplete", "15", ";"},
           BadCase{"Mo-Fr sunrise-sunset", "places.hours.error.unsupported", "7", "sunrise"},
           BadCase{"Mo 10:00-16:00/90", "places.hours.error.unsupported", "15", "/"},
           BadCase{"week 54 Mo 10:00-12:00", "places.hours.error.bad_value", "6", "54"},
           BadCase{"Feb 30 off", "places.hours.error.bad_value", "5", "30"},
           BadCase{"Mo[6] 10:00-12:00", "places.hours.error.bad_value", "4", "6"},
           BadCase{"Mo \"sur rendez-vous", "places.hours.error.unterminated_comment", "4", "\"sur rendez-vous"},
           BadCase{"Mo-", "places.hours.error.incomplete", "4", ""},
           BadCase{"Mo 09:00-12:00 ; é", "places.hours.error.unexpected", "18", "é"},  // characters, not bytes
           BadCase{"Été 10:00", "places.hours.error.unexpected", "1", "É"},
       }) {
    auto r = places::parse_opening_hours(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().message_key, c.key) << c.text;
    EXPECT_EQ(r.error().field, "opening_hours");
    EXPECT_EQ(arg(r.error(), "position"), c.position) << c.text;
    EXPECT_EQ(arg(r.error(), "token"), c.token) << c.text;
  }
  auto empty = places::parse_opening_hours("   ");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message_key, "places.hours.error.empty");
}

// Evaluation ------------------------------------------------------------------------------------

TEST(OpeningHoursEval, SpansIncludeTheStartNotTheEnd) {
  const char* h = "Mo-Fr 09:00-12:00,14:00-17:30";
  EXPECT_EQ(state(h, at(2024, 3, 11, 8, 59)), State::closed);  // a Monday
  EXPECT_EQ(state(h, at(2024, 3, 11, 9, 0)), State::open);
  EXPECT_EQ(state(h, at(2024, 3, 11, 11, 59)), State::open);
  EXPECT_EQ(state(h, at(2024, 3, 11, 12, 0)), State::closed);
  EXPECT_EQ(state(h, at(2024, 3, 15, 17, 29)), State::open);
  EXPECT_EQ(state(h, at(2024, 3, 16, 10, 0)), State::closed);  // Saturday
}

TEST(OpeningHoursEval, PastMidnightBelongsToTheDayItStarts) {
  const char* h = "Fr 22:00-02:00";
  EXPECT_EQ(state(h, at(2024, 3, 15, 23, 0)), State::open);  // Friday
  EXPECT_EQ(state(h, at(2024, 3, 16, 1, 59)), State::open);  // Saturday night
  EXPECT_EQ(state(h, at(2024, 3, 16, 2, 0)), State::closed);
  EXPECT_EQ(state(h, at(2024, 3, 15, 1, 0)), State::closed);  // Friday 01:00 comes from Thursday
  EXPECT_EQ(state("Fr 22:00-02:00; Sa off", at(2024, 3, 16, 1, 0)), State::open);
  EXPECT_EQ(state("Mo 18:00-24:00", at(2024, 3, 11, 23, 59)), State::open);
  EXPECT_EQ(state("Mo 18:00-24:00", at(2024, 3, 12, 0, 0)), State::closed);
}

TEST(OpeningHoursEval, LaterRulesReplaceAdditionalRulesAdd) {
  EXPECT_EQ(state("Mo-Fr 09:00-18:00; We 09:00-12:00", at(2024, 3, 13, 14, 0)), State::closed);
  EXPECT_EQ(state("Mo-Fr 09:00-18:00; We 09:00-12:00", at(2024, 3, 12, 14, 0)), State::open);
  EXPECT_EQ(state("Mo-Sa 10:00-20:00; Tu off", at(2024, 3, 12, 11, 0)), State::closed);
  EXPECT_EQ(state("Mo-Fr 09:00-12:00, We 14:00-16:00", at(2024, 3, 13, 10, 0)), State::open);
  EXPECT_EQ(state("Mo-Fr 09:00-12:00, We 14:00-16:00", at(2024, 3, 13, 15, 0)), State::open);
  EXPECT_EQ(state("Mo-Fr 08:00-18:00, We 12:00-13:00 off", at(2024, 3, 13, 12, 30)), State::closed);
  EXPECT_EQ(state("Mo-Fr 08:00-18:00, We 12:00-13:00 off", at(2024, 3, 13, 13, 30)), State::open);
  auto h = parse("Mo-Fr 09:00-12:00 || \"sur rendez-vous\"");
  EXPECT_EQ(places::status_at(h, at(2024, 3, 16, 10, 0)), (places::Status{State::unknown, "sur rendez-vous"}));
  EXPECT_EQ(places::status_at(h, at(2024, 3, 11, 14, 0)).state, State::closed);  // Monday matched the first rule
}

TEST(OpeningHoursEval, FrenchPublicHolidaysAreComputed) {
  for (auto d : {year{2024} / 1 / 1, year{2024} / 4 / 1, year{2024} / 5 / 1, year{2024} / 5 / 8, year{2024} / 5 / 9,
                 year{2024} / 5 / 20, year{2024} / 7 / 14, year{2024} / 8 / 15, year{2024} / 11 / 1, year{2024} / 11 / 11,
                 year{2024} / 12 / 25, year{2025} / 4 / 21, year{2025} / 5 / 29, year{2025} / 6 / 9, year{2038} / 4 / 26})
    EXPECT_TRUE(places::is_french_public_holiday(d)) << text(d);
  for (auto d : {year{2024} / 3 / 31, year{2024} / 4 / 2, year{2024} / 12 / 26, year{2025} / 4 / 1})
    EXPECT_FALSE(places::is_french_public_holiday(d)) << text(d);
  const char* h = "Mo-Fr 09:00-17:00; PH off";
  EXPECT_EQ(state(h, at(2024, 4, 1, 10, 0)), State::closed);  // lundi de Pâques
  EXPECT_EQ(state(h, at(2024, 4, 2, 10, 0)), State::open);
  EXPECT_EQ(state("Mo-Fr 09:00-17:00", at(2024, 4, 1, 10, 0)), State::open);  // PH not named: an ordinary Monday
  EXPECT_EQ(state("Mo-Fr 09:00-17:00; PH 10:00-12:00", at(2024, 5, 8, 11, 0)), State::open);
  EXPECT_EQ(state("Mo-Fr 09:00-17:00; PH 10:00-12:00", at(2024, 5, 8, 14, 0)), State::closed);
  EXPECT_EQ(state("SH off; Mo-Fr 09:00-17:00", at(2024, 8, 6, 10, 0)), State::open);
}

TEST(OpeningHoursEval, DatesWeeksAndNthWeekdays) {
  EXPECT_EQ(state("Jan-Jun Mo-Fr 09:00-12:00", at(2024, 2, 5, 10, 0)), State::open);
  EXPECT_EQ(state("Jan-Jun Mo-Fr 09:00-12:00", at(2024, 7, 1, 10, 0)), State::closed);
  const char* holidays = "Mo-Su 09:00-18:00; Dec 25-Jan 02 off";
  EXPECT_EQ(state(holidays, at(2024, 12, 31, 10, 0)), State::closed);
  EXPECT_EQ(state(holidays, at(2025, 1, 2, 10, 0)), State::closed);
  EXPECT_EQ(state(holidays, at(2025, 1, 3, 10, 0)), State::open);
  EXPECT_EQ(state("week 1-53/2 Tu 09:00-12:00", at(2024, 1, 2, 10, 0)), State::open);  // ISO week 1
  EXPECT_EQ(state("week 1-53/2 Tu 09:00-12:00", at(2024, 1, 9, 10, 0)), State::closed);
  EXPECT_EQ(state("week 2-52/2 Tu 09:00-12:00", at(2024, 1, 9, 10, 0)), State::open);
  EXPECT_EQ(state("Mo[1] 10:00-12:00", at(2024, 3, 4, 11, 0)), State::open);
  EXPECT_EQ(state("Mo[1] 10:00-12:00", at(2024, 3, 11, 11, 0)), State::closed);
  EXPECT_EQ(state("Mo[-1] 10:00-12:00", at(2024, 3, 25, 11, 0)), State::open);
  EXPECT_EQ(state("Mo[-1] 10:00-12:00", at(2024, 3, 18, 11, 0)), State::closed);
  EXPECT_EQ(state("2025 Mo 10:00-12:00", at(2024, 3, 18, 11, 0)), State::closed);
  EXPECT_EQ(state("24/7", at(2024, 3, 18, 3, 0)), State::open);
  EXPECT_EQ(state("Mo 17:00+", at(2024, 3, 18, 19, 0)), State::unknown);
}

TEST(OpeningHoursEval, NextChange) {
  auto h = parse("Mo-Fr 09:00-12:00,14:00-17:30");
  EXPECT_EQ(places::next_change(h, at(2024, 3, 11, 8, 0)), at(2024, 3, 11, 9, 0));
  EXPECT_EQ(places::next_change(h, at(2024, 3, 11, 9, 0)), at(2024, 3, 11, 12, 0));
  EXPECT_EQ(places::next_change(h, at(2024, 3, 15, 18, 0)), at(2024, 3, 18, 9, 0));  // Friday evening → Monday
  EXPECT_EQ(places::next_change(parse("Fr 22:00-02:00"), at(2024, 3, 15, 23, 0)), at(2024, 3, 16, 2, 0));
  EXPECT_EQ(places::next_change(parse("24/7"), at(2024, 3, 15, 23, 0)), std::nullopt);
  EXPECT_EQ(places::next_change(parse("Mo-Su 00:00-24:00; Dec 25 off"), at(2024, 3, 1, 10, 0)), at(2024, 12, 25, 0, 0));
}

TEST(OpeningHoursEval, TimeZonesThroughIcu) {
  auto h = parse("Mo-Fr 09:00-17:00");
  auto instant = utc(2024, 3, 12, 10, 0);  // a Tuesday
  EXPECT_EQ(places::to_local(instant, "Europe/Paris").value(), at(2024, 3, 12, 11, 0));
  EXPECT_EQ(places::to_local(instant, "Pacific/Noumea").value(), at(2024, 3, 12, 21, 0));
  EXPECT_TRUE(places::is_open(h, instant, "Europe/Paris").value());
  EXPECT_FALSE(places::is_open(h, instant, "Pacific/Noumea").value());
  EXPECT_TRUE(places::is_open(h, instant, "Indian/Reunion").value());        // 14:00
  EXPECT_FALSE(places::is_open(h, instant, "America/Martinique").value());  // 06:00
  // Summer time in Paris: 01:30 UTC on 31 March 2024 is already 03:30.
  EXPECT_EQ(places::to_local(utc(2024, 3, 31, 1, 30), "Europe/Paris").value(), at(2024, 3, 31, 3, 30));
  EXPECT_EQ(places::to_utc(at(2024, 7, 1, 9, 0), "Europe/Paris").value(), utc(2024, 7, 1, 7, 0));
  EXPECT_EQ(places::to_utc(at(2024, 3, 31, 2, 30), "Europe/Paris").value(), utc(2024, 3, 31, 1, 30));   // skipped: 03:30
  EXPECT_EQ(places::to_utc(at(2024, 10, 27, 2, 30), "Europe/Paris").value(), utc(2024, 10, 27, 1, 30));  // repeated: the later
  auto next = places::next_change(h, instant, "Europe/Paris");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next.value(), std::optional{utc(2024, 3, 12, 16, 0)});
  auto bad = places::is_open(h, instant, "Mars/Olympus_Mons");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message_key, "places.hours.error.time_zone");
  EXPECT_EQ(arg(bad.error(), "zone"), "Mars/Olympus_Mons");
}

// Rendering -------------------------------------------------------------------------------------

TEST(OpeningHoursText, OneLinePerWeekdayThenHolidays) {
  EXPECT_EQ(fr("Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00; PH off"),
            (std::vector<std::string>{"lundi : de 9 h à 12 h et de 14 h à 17 h 30", "mardi : de 9 h à 12 h et de 14 h à 17 h 30",
                                      "mercredi : de 9 h à 12 h et de 14 h à 17 h 30", "jeudi : de 9 h à 12 h et de 14 h à 17 h 30",
                                      "vendredi : de 9 h à 12 h et de 14 h à 17 h 30", "samedi : de 10 h à 12 h",
                                      "dimanche : fermé", "fermé les jours fériés"}));
  EXPECT_EQ(fr("Fr 22:00-02:00").at(4), "vendredi : de 22 h à 2 h");
  EXPECT_EQ(fr("Mo 18:00-24:00").at(0), "lundi : de 18 h à minuit");
  EXPECT_EQ(fr("Mo-Fr 08:00-18:00, We 12:00-13:00 off").at(2), "mercredi : de 8 h à 12 h et de 13 h à 18 h");
  EXPECT_EQ(fr("Mo 09:00-10:00,11:00-12:00,14:00-15:00").at(0), "lundi : de 9 h à 10 h, de 11 h à 12 h et de 14 h à 15 h");
  EXPECT_EQ(fr("Mo-Fr \"sur rendez-vous\"").at(0), "lundi : horaires à confirmer (« sur rendez-vous »)");
  EXPECT_EQ(fr("Mo 17:00+").at(0), "lundi : à partir de 17 h");
  EXPECT_EQ(fr("Mo-Fr 09:00-17:00; PH 10:00-12:00").back(), "jours fériés : de 10 h à 12 h");
}

TEST(OpeningHoursText, SameEveryDayIsOneLine) {
  EXPECT_EQ(fr("24/7"), (std::vector<std::string>{"ouvert 24 h sur 24, 7 jours sur 7"}));
  EXPECT_EQ(fr("09:00-18:00"), (std::vector<std::string>{"tous les jours : de 9 h à 18 h"}));
  EXPECT_EQ(fr("Mo-Su 00:00-24:00"), (std::vector<std::string>{"ouvert 24 h sur 24, 7 jours sur 7"}));
}

TEST(OpeningHoursText, RulesWithDatesAreSentences) {
  EXPECT_EQ(fr("week 1-53/2 Tu 09:00-12:30,13:30-15:30; PH off"),
            (std::vector<std::string>{"fermé les jours fériés", "les semaines impaires, mardi : de 9 h à 12 h 30 et de 13 h 30 à 15 h 30"}));
  EXPECT_EQ(fr("Mo-Fr 09:00-12:00; Dec 25 off").back(), "le 25 décembre : fermé");
  EXPECT_EQ(fr("Mo-Fr 09:00-12:00; Dec 24-26 10:00-12:00").back(), "du 24 au 26 décembre : de 10 h à 12 h");
  EXPECT_EQ(fr("Mo-Fr 09:00-12:00; Dec 25-Jan 01 off").back(), "du 25 décembre au 1er janvier : fermé");
  EXPECT_EQ(fr("Jul-Aug Mo-Fr 09:00-12:00"), (std::vector<std::string>{"de juillet à août, du lundi au vendredi : de 9 h à 12 h"}));
  EXPECT_EQ(fr("Mo[1] 10:00-12:00"), (std::vector<std::string>{"le 1er lundi du mois : de 10 h à 12 h"}));
  EXPECT_EQ(fr("Sa[-1] 10:00-12:00"), (std::vector<std::string>{"le dernier samedi du mois : de 10 h à 12 h"}));
}

TEST(OpeningHoursText, EnglishIsTheSecondLocale) {
  auto lines = places::describe(parse("Mo-Fr 09:00-12:00,14:00-17:30; PH off"), catalog(), i18n::Locale::en);
  EXPECT_EQ(lines.front(), "Monday: from 9:00 to 12:00 and from 14:00 to 17:30");
  EXPECT_EQ(lines.back(), "closed on public holidays");
}

TEST(OpeningHoursText, EveryWordComesFromTheCatalogue) {
  for (std::string_view text :
       {"Mo-Fr 09:00-12:00,14:00-17:30; PH off", "24/7", "off", "Mo 17:00+; Tu 09:00-12:00+; We 12:00", "SH off",
        "2024-2026/2 Jan,Mar,Dec 25,Dec 24-26,Dec 30-Jan 01 week 05,10-20/3 Mo[1-2],Tu[-2],We[-3],Th[-4],Fr[-5],Sa[3],Su[4],Mo[5] "
        "10:00-12:00 unknown \"x\"",
        "Mo-Fr \"rdv\" || PH 10:00-11:00 off", "Feb-Nov: Sa-Mo 22:00-02:00"}) {
    for (auto locale : {i18n::Locale::fr, i18n::Locale::en})
      for (const auto& line : places::describe(parse(text), catalog(), locale))
        EXPECT_EQ(line.find("places.hours."), std::string::npos) << text << ": " << line;
  }
}

TEST(OpeningHoursText, TextsAreInTheEmbeddedCatalogue) {
  for (auto locale : {i18n::Locale::fr, i18n::Locale::en})
    for (const auto& key : catalog().keys(locale)) EXPECT_TRUE(i18n::Catalog::instance().has(locale, key)) << key;
}

TEST(OpeningHoursText, CataloguesHaveTheSameKeysAndPlaceholders) {
  auto fr_doc = nlohmann::json::parse(slurp(kLocaleDir + "fr.json")), en_doc = nlohmann::json::parse(slurp(kLocaleDir + "en.json"));
  auto names = [](const std::string& text) {
    std::set<std::string> out;
    for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1))
      out.insert(text.substr(open + 1, text.find('}', open) - open - 1));
    return out;
  };
  ASSERT_EQ(fr_doc.size(), en_doc.size());
  for (auto& [key, value] : fr_doc.items()) {
    ASSERT_TRUE(en_doc.contains(key)) << key;
    EXPECT_EQ(names(value.get<std::string>()), names(en_doc[key].get<std::string>())) << key;
  }
}

// Repairs ---------------------------------------------------------------------------------------

TEST(OpeningHoursRepair, FrenchWritings) {
  for (auto [in, out] : std::vector<std::pair<std::string_view, std::string_view>>{
           {"9h-12h30", "09:00-12:30"},
           {"Lundi 9h-12h", "Mo 09:00-12:00"},
           {"du lundi au vendredi de 9h à 17h", "Mo-Fr 09:00-17:00"},
           {"Du Lundi au Vendredi de 9 h 30 à 12 h et de 14 h à 17 h", "Mo-Fr 09:30-12:00,14:00-17:00"},
           {"lundi, mercredi et vendredi : 14h-17h", "Mo,We,Fr 14:00-17:00"},
           {"Lundi 9h-12h Mardi 14h-17h", "Mo 09:00-12:00; Tu 14:00-17:00"},
           {"Mo-Fr 9h-12h30,13h30-17h", "Mo-Fr 09:00-12:30,13:30-17:00"},
           {"Mo-Fr 9:00-12:00", "Mo-Fr 09:00-12:00"},
           {"09:00 - 12:00 / 14:00 - 17:00", "09:00-12:00,14:00-17:00"},
           {"08 :30-12:00", "08:30-12:00"},
           {"Mo–Fr 09:00–12:00", "Mo-Fr 09:00-12:00"},  // en dashes
           {"lundi 9h-midi", "Mo 09:00-12:00"},
           {"fermé", "off"},
           {"du lundi au vendredi de 9h à 12h, fermé les jours fériés", "Mo-Fr 09:00-12:00, PH off"},
           {"du lundi au vendredi de 9h à 17h, fermé le mercredi", "Mo-Fr 09:00-17:00, We off"},
           {"MO-FR 09:00-12:00", "Mo-Fr 09:00-12:00"},
           {"Mo-Fr 09:00-12:00;", "Mo-Fr 09:00-12:00"},
           {"Mo-Fr 09:00-12:30-13:30-17:00", "Mo-Fr 09:00-12:30,13:30-17:00"},
           {"week 1-53/2 Tu 9h-12h", "week 1-53/2 Tu 09:00-12:00"},
       }) {
    auto fixed = places::repair_opening_hours(in);
    ASSERT_TRUE(fixed.has_value()) << in;
    EXPECT_EQ(*fixed, out) << in;
  }
}

TEST(OpeningHoursRepair, IncompleteTimesBecomeUnknownNotAGuess) {
  auto fixed = places::repair_opening_hours("Mo-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00-13:30");
  ASSERT_TRUE(fixed.has_value());
  EXPECT_EQ(*fixed, "Mo-Th 09:00-12:00,13:30-17:00; Fr unknown \"09:00-12:00-13:30\"");
  auto h = parse(*fixed);
  EXPECT_EQ(places::status_at(h, at(2024, 3, 15, 10, 0)), (places::Status{State::unknown, "09:00-12:00-13:30"}));
  EXPECT_EQ(places::repair_opening_hours("Mo 14:00-14:00"), std::optional<std::string>{"Mo unknown \"14:00-14:00\""});
}

TEST(OpeningHoursRepair, RefusesRatherThanGuesses) {
  for (std::string_view text : {"sur rendez-vous", "Mo 14-17;9-12,14-17", "07:30:12:30", "Lundi matin", "", "Mo-Fr 09:00-12:00"})
    EXPECT_EQ(places::repair_opening_hours(text), std::nullopt) << text;
}

TEST(OpeningHoursRepair, ParseOrRepairCountsApart) {
  auto direct = places::parse_or_repair("Mo-Fr 09:00-12:00");
  ASSERT_TRUE(direct.ok());
  EXPECT_FALSE(direct->repaired);
  auto fixed = places::parse_or_repair("Lundi 9h-12h");
  ASSERT_TRUE(fixed.ok());
  EXPECT_TRUE(fixed->repaired);
  EXPECT_EQ(fixed->osm, "Mo 09:00-12:00");
  auto bad = places::parse_or_repair("Lundi matin");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message_key, "places.hours.error.unexpected");  // the error of the text as given
}

// Found by the fuzz target: the canonical form of a parsed text parses back to the same rules.
TEST(OpeningHoursParse, CanonicalFormRoundTripsFuzzFinding) {
  for (std::string text : {std::string("2024-2026/2 Jan-Jun,Dec 25,Dec 30- Dec 25 off || \"sur re-2026/2 Jan-Jun,Dec 25,Dec 3"),
                           std::string("2024-2026/2 Jan-Jun,Dec 25,Dec 30-Dec 25 off"), std::string("Dec 30-Dec 25 off"), std::string("2024-2026/2 Jan-Jun off"),
                           std::string("2024-2026/2 Jan-Jun:,Dec\"sur r/2 Jan-\x01\x08Jun,Dec 2\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" "5,$eg 30- D0c /2 Jan-Ju25\"")}) {
    auto parsed = passerelle::places::parse_opening_hours(text);
    if (!parsed) continue;
    std::string canonical = passerelle::places::to_osm(*parsed);
    auto again = passerelle::places::parse_opening_hours(canonical);
    ASSERT_TRUE(again.ok()) << text << " → " << canonical << " : " << again.error().message_key;
    EXPECT_TRUE(*again == *parsed) << text << " → " << canonical << " → " << passerelle::places::to_osm(*again);
  }
}
