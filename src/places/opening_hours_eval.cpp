// Evaluation of opening_hours: French public holidays, rule matching, state at a local time, next
// change, and the UTC ↔ local conversions through ICU (g++ 12's <chrono> has no time zone data).
#include <unicode/gregocal.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>
#include <memory>

#include "places/opening_hours_detail.hpp"

namespace passerelle::places {

using namespace std::chrono;

namespace {

constexpr int kDay = 24 * 60;

year_month_day easter_sunday(int y) {  // anonymous Gregorian computus (Meeus/Jones/Butcher)
  int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return year{y} / month / day;
}

int iso_week(year_month_day date) {
  sys_days d{date};
  int wd = static_cast<int>(weekday{d}.iso_encoding());  // 1 = Monday
  sys_days thursday = d + days{4 - wd};
  year_month_day t{thursday};
  return static_cast<int>((thursday - sys_days{t.year() / January / 1}).count() / 7 + 1);
}

bool in_range(const IntRange& r, int v) { return v >= r.from && v <= r.to && (v - r.from) % r.step == 0; }

bool weekday_matches(const WeekdayRange& w, const detail::Day& day) {
  if (day.weekday < 0) return false;
  bool in = w.from <= w.to ? day.weekday >= w.from && day.weekday <= w.to : day.weekday >= w.from || day.weekday <= w.to;
  if (!in || w.nth.empty()) return in;
  if (!day.date) return false;
  int dom = static_cast<int>(unsigned(day.date->day()));
  int last = static_cast<int>(unsigned(year_month_day_last{day.date->year(), month_day_last{day.date->month()}}.day()));
  int from_start = (dom - 1) / 7 + 1, from_end = -((last - dom) / 7 + 1);
  for (const auto& n : w.nth)
    if (in_range(n, n.from > 0 ? from_start : from_end)) return true;
  return false;
}

bool monthday_matches(const MonthdayRange& m, year_month_day date) {
  int key = static_cast<int>(unsigned(date.month())) * 100 + static_cast<int>(unsigned(date.day()));
  int from = m.from_month * 100 + (m.from_day ? m.from_day : 1), to = m.to_month * 100 + (m.to_day ? m.to_day : 31);
  return from <= to ? key >= from && key <= to : key >= from || key <= to;  // Dec 25-Jan 02 wraps
}

template <class Items, class Pred>
bool any_or_empty(const Items& items, Pred pred) {
  return items.empty() || std::any_of(items.begin(), items.end(), pred);
}

Status status_in(const std::vector<detail::Paint>& prev, const std::vector<detail::Paint>& cur, int minute) {
  // A span belongs to the day it starts on: yesterday's spill past midnight comes first.
  for (auto p = prev.rbegin(); p != prev.rend(); ++p)
    if (p->start <= minute + kDay && minute + kDay < p->end) return {p->state, p->rule->comment};
  for (auto p = cur.rbegin(); p != cur.rend(); ++p)
    if (p->start <= minute && minute < p->end) return {p->state, p->rule->comment};
  return {};
}

detail::Day day_at(sys_days d) { return detail::day_of(year_month_day{d}); }

}  // namespace

bool is_french_public_holiday(year_month_day date) {
  if (!date.ok()) return false;
  unsigned m = unsigned(date.month()), d = unsigned(date.day());
  static constexpr std::pair<unsigned, unsigned> fixed[] = {{1, 1}, {5, 1}, {5, 8}, {7, 14}, {8, 15}, {11, 1}, {11, 11}, {12, 25}};
  for (auto [fm, fd] : fixed)
    if (m == fm && d == fd) return true;
  sys_days easter{easter_sunday(static_cast<int>(date.year()))};
  sys_days day{date};
  return day == easter + days{1} || day == easter + days{39} || day == easter + days{50};  // lundi de Pâques, Ascension, Pentecôte
}

namespace detail {

Day day_of(year_month_day date) {
  return Day{date, static_cast<int>(weekday{sys_days{date}}.iso_encoding()) - 1, is_french_public_holiday(date)};
}

bool matches(const Rule& r, const Day& day) {
  if (r.always) return true;
  if (!r.years.empty() || !r.monthdays.empty() || !r.weeks.empty()) {
    if (!day.date) return false;
    const auto& date = *day.date;
    if (!any_or_empty(r.years, [&](const IntRange& y) { return in_range(y, static_cast<int>(date.year())); })) return false;
    if (!any_or_empty(r.monthdays, [&](const MonthdayRange& m) { return monthday_matches(m, date); })) return false;
    int week = iso_week(date);
    if (!any_or_empty(r.weeks, [&](const IntRange& w) { return in_range(w, week); })) return false;
  }
  if (r.weekdays.empty() && !r.public_holiday && !r.school_holiday) return true;
  if (r.public_holiday && day.holiday) return true;  // SH never matches: school holidays are not known here
  return std::any_of(r.weekdays.begin(), r.weekdays.end(), [&](const WeekdayRange& w) { return weekday_matches(w, day); });
}

std::vector<Paint> paints(const OpeningHours& hours, const Day& day) {
  std::vector<Paint> out;
  bool matched = false;
  for (const auto& r : hours.rules) {
    if (r.separator == Separator::fallback && matched) continue;
    if (!matches(r, day)) continue;
    if (r.separator != Separator::additional) out.clear();
    matched = true;
    if (r.times.empty()) {
      out.push_back({0, kDay, r.state, &r, nullptr, false});
      continue;
    }
    for (const auto& t : r.times) {
      if (t.end > t.start) out.push_back({t.start, t.end, r.state, &r, &t, false});
      if (t.kind == TimeSpan::Kind::open_end && t.end < kDay)
        out.push_back({t.end, kDay, r.state == State::open ? State::unknown : r.state, &r, &t, true});
    }
  }
  return out;
}

}  // namespace detail

Status status_at(const OpeningHours& hours, LocalMinutes when) {
  auto day = floor<days>(when);
  int minute = static_cast<int>((when - day).count());
  sys_days d{day.time_since_epoch()};
  return status_in(detail::paints(hours, day_at(d - days{1})), detail::paints(hours, day_at(d)), minute);
}

bool is_open(const OpeningHours& hours, LocalMinutes when) { return status_at(hours, when).state == State::open; }

std::optional<LocalMinutes> next_change(const OpeningHours& hours, LocalMinutes when, days horizon) {
  Status now = status_at(hours, when);
  auto first = floor<days>(when);
  sys_days d0{first.time_since_epoch()};
  auto prev = detail::paints(hours, day_at(d0 - days{1}));
  std::vector<int> cuts;
  for (days k{0}; k <= horizon; ++k) {
    auto cur = detail::paints(hours, day_at(d0 + k));
    cuts.assign(1, 0);
    for (const auto& p : cur)
      for (int c : {p.start, p.end})
        if (c >= 0 && c < kDay) cuts.push_back(c);
    for (const auto& p : prev)
      for (int c : {p.start - kDay, p.end - kDay})
        if (c >= 0 && c < kDay) cuts.push_back(c);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    for (int c : cuts) {
      LocalMinutes at = first + k + minutes{c};
      if (at > when && status_in(prev, cur, c) != now) return at;
    }
    prev = std::move(cur);
  }
  return std::nullopt;
}

// Time zones ------------------------------------------------------------------------------------

namespace {

Error zone_error(std::string_view name) {
  return Error::validation("time_zone", "places.hours.error.time_zone").with("zone", std::string(name));
}

// ICU zones are costly to build: a few per thread, looked up by name.
const icu::TimeZone* zone(std::string_view name) {
  thread_local std::map<std::string, std::unique_ptr<icu::TimeZone>, std::less<>> cache;
  if (auto it = cache.find(name); it != cache.end()) return it->second.get();
  std::unique_ptr<icu::TimeZone> tz(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())))));
  icu::UnicodeString id;
  if (!tz || tz->getID(id) == icu::UnicodeString(UCAL_UNKNOWN_ZONE_ID)) return nullptr;
  if (cache.size() > 64) cache.clear();
  return cache.emplace(std::string(name), std::move(tz)).first->second.get();
}

}  // namespace

Result<LocalMinutes> to_local(system_clock::time_point instant, std::string_view time_zone) {
  const icu::TimeZone* tz = zone(time_zone);
  if (!tz) return zone_error(time_zone);
  auto ms = floor<milliseconds>(instant).time_since_epoch();
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  tz->getOffset(static_cast<UDate>(ms.count()), false, raw, dst, status);
  if (U_FAILURE(status)) return zone_error(time_zone);
  return floor<minutes>(local_time<milliseconds>{ms + milliseconds{raw + dst}});
}

Result<system_clock::time_point> to_utc(LocalMinutes local, std::string_view time_zone) {
  const icu::TimeZone* tz = zone(time_zone);
  if (!tz) return zone_error(time_zone);
  auto day = floor<days>(local);
  year_month_day ymd{sys_days{day.time_since_epoch()}};
  int minute = static_cast<int>((local - day).count());
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar cal(*tz, status);  // Gregorian whatever the default locale says
  cal.clear();
  cal.set(UCAL_EXTENDED_YEAR, static_cast<int>(ymd.year()));
  cal.set(UCAL_MONTH, static_cast<int>(unsigned(ymd.month())) - 1);
  cal.set(UCAL_DATE, static_cast<int>(unsigned(ymd.day())));
  cal.set(UCAL_HOUR_OF_DAY, minute / 60);
  cal.set(UCAL_MINUTE, minute % 60);
  UDate ms = cal.getTime(status);
  if (U_FAILURE(status)) return zone_error(time_zone);
  return system_clock::time_point{duration_cast<system_clock::duration>(milliseconds{static_cast<int64_t>(ms)})};
}

Result<Status> status_at(const OpeningHours& hours, system_clock::time_point instant, std::string_view time_zone) {
  auto local = to_local(instant, time_zone);
  if (!local) return local.error();
  return status_at(hours, *local);
}

Result<bool> is_open(const OpeningHours& hours, system_clock::time_point instant, std::string_view time_zone) {
  auto s = status_at(hours, instant, time_zone);
  if (!s) return s.error();
  return s->state == State::open;
}

Result<std::optional<system_clock::time_point>> next_change(const OpeningHours& hours, system_clock::time_point instant,
                                                            std::string_view time_zone) {
  auto local = to_local(instant, time_zone);
  if (!local) return local.error();
  auto change = next_change(hours, *local);
  if (!change) return std::optional<system_clock::time_point>{};
  auto utc = to_utc(*change, time_zone);
  if (!utc) return utc.error();
  return std::optional<system_clock::time_point>{*utc};
}

}  // namespace passerelle::places
