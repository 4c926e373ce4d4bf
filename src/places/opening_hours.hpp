#pragma once
// OSM opening_hours (https://wiki.openstreetmap.org/wiki/Key:opening_hours/specification): the
// subset that real data about lieux de médiation numérique uses. Parsing gives a model or an
// Error (catalogue key, "position" counted in characters from 1, "token"); evaluation answers
// "open at this local time?" and "when does it change?"; describe() writes plain French (or
// English) lines for a place page; repair_opening_hours() rewrites the common non-OSM strings.
//
// Supported: 24/7; years (2024, 2024-2026/2); months and dates (Jan-Jun, Dec 25, Dec 24-26,
// Dec 25-Jan 02, lists with ','); ISO weeks (week 1-53/2, lists); weekdays (Mo, Mo-Fr, Fr-Mo,
// lists, Mo[1], Mo[-1], Mo[1,3], Mo[1-2]); PH (French public holidays, computed) and SH (parsed,
// never matches: school holidays are not known here); times (09:00-12:00, 22:00-02:00, up to
// 48:00, 24:00, a point in time 09:00, open end 17:00+ and 09:00-17:00+); modifiers open,
// closed/off, unknown; comments in double quotes; separators ';' (later rule replaces earlier
// ones on the days it matches), ',' (adds to them), '||' (applies on days no earlier rule
// matched). Not supported, refused with places.hours.error.unsupported: sunrise/sunset and
// other variable times, "easter", periodic times (10:00-16:00/90), holiday offsets (PH +1 day).
//
// A span belongs to the day it starts on: "Fr 22:00-02:00; Sa off" is open Saturday at 01:00.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/i18n/catalog.hpp"
#include "platform/result.hpp"

namespace passerelle::places {

using LocalMinutes = std::chrono::local_time<std::chrono::minutes>;

enum class State : uint8_t { open, closed, unknown };
enum class Separator : uint8_t { normal, additional, fallback };  // ";", ",", "||" before the rule

struct TimeSpan {
  enum class Kind : uint8_t { range, point, open_end };
  int start = 0;  // minutes after the day's midnight, 0..1440
  int end = 0;    // > start, up to 2880; past 1440 runs into the next day. point: start + 1.
  Kind kind = Kind::range;  // open_end: "17:00+" (end == start) or "09:00-17:00+"
  bool operator==(const TimeSpan&) const = default;
};

struct IntRange {  // years, weeks, nth weekday: from..to every `step`
  int from = 0, to = 0, step = 1;
  bool operator==(const IntRange&) const = default;
};

struct MonthdayRange {  // months 1..12; day 0 = the whole month ("Jan-Mar", "Dec 25-Jan 02")
  int from_month = 1, from_day = 0, to_month = 1, to_day = 0;
  bool operator==(const MonthdayRange&) const = default;
};

struct WeekdayRange {  // 0 = Monday .. 6 = Sunday; from > to wraps (Fr-Mo)
  int from = 0, to = 0;
  std::vector<IntRange> nth;  // empty: every week; else nth weekday of the month, -1 = last
  bool operator==(const WeekdayRange&) const = default;
};

struct Rule {
  Separator separator = Separator::normal;
  bool always = false;  // 24/7
  std::vector<IntRange> years, weeks;
  std::vector<MonthdayRange> monthdays;
  std::vector<WeekdayRange> weekdays;
  bool public_holiday = false, school_holiday = false;
  std::vector<TimeSpan> times;  // empty: the whole day
  State state = State::open;
  std::string comment;
  bool operator==(const Rule&) const = default;
};

struct OpeningHours {
  std::vector<Rule> rules;
  bool operator==(const OpeningHours&) const = default;
};

// Errors: places.hours.error.{empty, unexpected, incomplete, bad_time, bad_value, empty_span, unsupported,
// unterminated_comment}, with args "position" and "token" (except empty), field "opening_hours".
Result<OpeningHours> parse_opening_hours(std::string_view text);
// Canonical OSM text; parse_opening_hours(to_osm(h)) == h.
std::string to_osm(const OpeningHours& hours);

// Rewrites common non-OSM writings into OSM syntax (rules in docs/opening-hours.md): French
// times "9h30", "9 h", "9-12"; French day names, "du lundi au vendredi", "de 9h à 12h", "et";
// "fermé", "jours fériés"; dashes, slashes and spaces between spans; a day's incomplete times
// ("08:45-12:00-13:45", "14:00-14:00") become `unknown` with the original text as comment.
// Returns the rewritten text when it parses; nothing when the rules change nothing or cannot make
// it parse. Meant for text that does not parse as-is (parse_or_repair tries that first).
std::optional<std::string> repair_opening_hours(std::string_view text);

// Parses as-is, else after repair; `repaired` says which (an import counts them apart).
struct ParsedHours {
  OpeningHours hours;
  std::string osm;  // the text that parsed: the input, or its repair
  bool repaired = false;
};
Result<ParsedHours> parse_or_repair(std::string_view text);

// Evaluation ------------------------------------------------------------------------------------

struct Status {
  State state = State::closed;
  std::string comment;
  bool operator==(const Status&) const = default;
};
Status status_at(const OpeningHours& hours, LocalMinutes when);
bool is_open(const OpeningHours& hours, LocalMinutes when);  // unknown counts as not open
// The first minute after `when`, within `horizon`, where the state or comment differs.
std::optional<LocalMinutes> next_change(const OpeningHours& hours, LocalMinutes when,
                                        std::chrono::days horizon = std::chrono::days{366});

// French public holidays (metropolitan list: fixed dates, Easter Monday, Ascension, Whit Monday).
bool is_french_public_holiday(std::chrono::year_month_day date);

// Local wall-clock time of a UTC instant in an IANA zone, through ICU; an unknown zone is the
// Error places.hours.error.time_zone with arg "zone".
Result<LocalMinutes> to_local(std::chrono::system_clock::time_point instant, std::string_view time_zone);
// The UTC instant of a local wall-clock time (a time skipped by a DST change moves forward).
Result<std::chrono::system_clock::time_point> to_utc(LocalMinutes local, std::string_view time_zone);
Result<Status> status_at(const OpeningHours& hours, std::chrono::system_clock::time_point instant,
                         std::string_view time_zone);
Result<bool> is_open(const OpeningHours& hours, std::chrono::system_clock::time_point instant, std::string_view time_zone);
Result<std::optional<std::chrono::system_clock::time_point>> next_change(const OpeningHours& hours,
                                                                          std::chrono::system_clock::time_point instant,
                                                                          std::string_view time_zone);

// Rendering ---------------------------------------------------------------------------------------

// Lines for a place page, every word from the catalogue (keys places.hours.*): one line per
// weekday ("lundi : de 9 h à 12 h et de 14 h à 17 h 30", "dimanche : fermé") from the rules
// that only name weekdays, then "fermé les jours fériés" or "jours fériés : …", then one line
// per rule with dates, weeks or nth weekdays ("les semaines impaires, mardi : de 9 h à 12 h").
std::vector<std::string> describe(const OpeningHours& hours, const i18n::Catalog& catalog, i18n::Locale locale);

}  // namespace passerelle::places
