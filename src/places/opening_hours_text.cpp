// Plain-language rendering of opening_hours for a place page; every word comes from the
// catalogue (web/locale/places-hours/). The weekly table is computed with the evaluator's own
// rule application, so what it says is what is_open() answers on an ordinary week.
#include <algorithm>
#include <array>

#include "places/opening_hours_detail.hpp"

namespace passerelle::places {
namespace {

constexpr int kDay = 24 * 60;
constexpr std::array<const char*, 7> kDayKeys = {"places.hours.monday", "places.hours.tuesday", "places.hours.wednesday",
                                                 "places.hours.thursday", "places.hours.friday", "places.hours.saturday",
                                                 "places.hours.sunday"};

struct Text {
  const i18n::Catalog& catalog;
  i18n::Locale locale;
  std::string operator()(std::string_view key, i18n::Args args = {}) const { return catalog.tr(locale, key, args); }

  std::string clock(int minutes) const {
    int m = minutes % kDay;
    if (m == 0) return (*this)("places.hours.time.midnight");
    std::string h = std::to_string(m / 60);
    if (m % 60 == 0) return (*this)("places.hours.time.hour", {{"h", h}});
    std::string mm = (m % 60 < 10 ? "0" : "") + std::to_string(m % 60);
    return (*this)("places.hours.time.hour_minute", {{"h", h}, {"m", mm}});
  }
  std::string join(const std::vector<std::string>& items) const {
    if (items.empty()) return {};
    std::string head = items[0];
    for (size_t i = 1; i + 1 < items.size(); ++i) head = (*this)("places.hours.list.comma", {{"list", head}, {"next", items[i]}});
    return items.size() == 1 ? head : (*this)("places.hours.list.and", {{"list", head}, {"last", items.back()}});
  }
  std::string joined_comma(const std::vector<std::string>& items) const {
    std::string out;
    for (const auto& it : items) out = out.empty() ? it : (*this)("places.hours.list.comma", {{"list", out}, {"next", it}});
    return out;
  }
  std::string range(int from, int to) const { return (*this)("places.hours.range", {{"from", clock(from)}, {"to", clock(to)}}); }
  std::string span(const TimeSpan& t) const {
    switch (t.kind) {
      case TimeSpan::Kind::point: return (*this)("places.hours.at", {{"time", clock(t.start)}});
      case TimeSpan::Kind::open_end:
        if (t.end == t.start) return (*this)("places.hours.from", {{"time", clock(t.start)}});
        return (*this)("places.hours.range_or_later", {{"from", clock(t.start)}, {"to", clock(t.end)}});
      case TimeSpan::Kind::range: break;
    }
    return range(t.start, t.end);
  }
  std::string with_comments(std::string text, const std::vector<std::string>& comments) const {
    if (comments.empty()) return text;
    return (*this)("places.hours.with_comment", {{"text", text}, {"comment", join(comments)}});
  }
};

void add_comment(std::vector<std::string>& comments, const Rule* r) {
  if (r && !r->comment.empty() && std::find(comments.begin(), comments.end(), r->comment) == comments.end())
    comments.push_back(r->comment);
}

// What one day's paints say: "de 9 h à 12 h et de 14 h à 17 h", "fermé", "24 h sur 24"...
// Overlaps are resolved minute by minute, as the evaluator resolves them.
std::string day_text(const Text& t, const std::vector<detail::Paint>& paints) {
  std::vector<int> owner(2 * kDay, -1);
  for (size_t i = 0; i < paints.size(); ++i)
    for (int m = std::max(0, paints[i].start); m < std::min(paints[i].end, 2 * kDay); ++m) owner[m] = static_cast<int>(i);
  std::vector<std::string> pieces, comments;
  for (int m = 0; m < 2 * kDay;) {
    int who = owner[m], a = m;
    while (m < 2 * kDay && owner[m] == who) ++m;
    if (who < 0) continue;
    const auto& p = paints[who];
    add_comment(comments, p.rule);
    if (p.state == State::closed) continue;
    std::string piece;
    if (p.tail) {
      if (p.span->end != p.span->start) continue;  // said by "ou plus tard" on the span itself
      piece = t.span(*p.span);
    } else if (a == 0 && m == kDay && (!p.span || p.span->kind == TimeSpan::Kind::range)) {
      piece = t(p.state == State::open ? "places.hours.all_day" : "places.hours.unknown_day");
      pieces.push_back(piece);
      continue;
    } else if (p.span && a == p.span->start && m == std::min(p.span->end, 2 * kDay)) {
      piece = t.span(*p.span);
    } else {
      piece = t.range(a, m);
    }
    if (p.state == State::unknown && !p.tail) piece = t("places.hours.to_confirm", {{"hours", piece}});
    pieces.push_back(piece);
  }
  return t.with_comments(pieces.empty() ? t("places.hours.closed") : t.join(pieces), comments);
}

bool weekly(const Rule& r) {
  return r.years.empty() && r.monthdays.empty() && r.weeks.empty() && !r.school_holiday &&
         std::all_of(r.weekdays.begin(), r.weekdays.end(), [](const WeekdayRange& w) { return w.nth.empty(); });
}

std::string int_range_text(const Text& t, const IntRange& r, const char* single, const char* range, const char* name) {
  std::string out = r.from == r.to ? t(single, {{name, std::to_string(r.from)}})
                                   : t(range, {{"from", std::to_string(r.from)}, {"to", std::to_string(r.to)}});
  if (r.step > 1) out = t("places.hours.every_nth", {{"range", out}, {"step", std::to_string(r.step)}});
  return out;
}

std::string month_name(const Text& t, int m) { return t("places.hours.month." + std::to_string(m)); }
std::string day_month(const Text& t, int d, int m) {
  return t("places.hours.day_month", {{"day", d == 1 ? t("places.hours.first_day") : std::to_string(d)}, {"month", month_name(t, m)}});
}

std::string monthday_text(const Text& t, const MonthdayRange& m) {
  if (m.from_day == 0) {
    if (m.from_month == m.to_month) return t("places.hours.month", {{"month", month_name(t, m.from_month)}});
    return t("places.hours.month_range", {{"from", month_name(t, m.from_month)}, {"to", month_name(t, m.to_month)}});
  }
  if (m.from_month == m.to_month && m.from_day == m.to_day)
    return t("places.hours.date", {{"date", day_month(t, m.from_day, m.from_month)}});
  if (m.from_month == m.to_month) {
    std::string from = m.from_day == 1 ? t("places.hours.first_day") : std::to_string(m.from_day);
    return t("places.hours.date_range_month", {{"from", from}, {"to", std::to_string(m.to_day)}, {"month", month_name(t, m.from_month)}});
  }
  return t("places.hours.date_range", {{"from", day_month(t, m.from_day, m.from_month)}, {"to", day_month(t, m.to_day, m.to_month)}});
}

std::string weekday_text(const Text& t, const WeekdayRange& w) {
  if (w.nth.empty()) {
    if (w.from == w.to) return t(kDayKeys[w.from]);
    return t("places.hours.day_range", {{"from", t(kDayKeys[w.from])}, {"to", t(kDayKeys[w.to])}});
  }
  std::vector<std::string> nth;
  for (const auto& n : w.nth)
    for (int k = n.from; k <= n.to; ++k) nth.push_back(t("places.hours.ordinal." + std::to_string(k)));
  return t("places.hours.nth_weekday", {{"nth", t.join(nth)}, {"day", t(kDayKeys[w.from])}});
}

// One sentence for a rule the weekly table cannot hold (dates, weeks, nth weekdays, SH).
std::string rule_sentence(const Text& t, const Rule& r) {
  std::vector<std::string> when, items;
  for (const auto& y : r.years) items.push_back(int_range_text(t, y, "places.hours.year", "places.hours.year_range", "year"));
  if (!items.empty()) when.push_back(t.join(items)), items.clear();
  for (const auto& m : r.monthdays) items.push_back(monthday_text(t, m));
  if (!items.empty()) when.push_back(t.join(items)), items.clear();
  for (const auto& w : r.weeks) {
    if (w.step == 2 && w.to >= 52 && (w.from == 1 || w.from == 2)) items.push_back(t(w.from == 1 ? "places.hours.weeks_odd" : "places.hours.weeks_even"));
    else items.push_back(int_range_text(t, w, "places.hours.week", "places.hours.week_range", "n"));
  }
  if (!items.empty()) when.push_back(t.join(items)), items.clear();
  for (const auto& w : r.weekdays) items.push_back(weekday_text(t, w));
  if (r.public_holiday) items.push_back(t("places.hours.holidays"));
  if (r.school_holiday) items.push_back(t("places.hours.school_holidays"));
  if (!items.empty()) when.push_back(t.join(items)), items.clear();

  std::string hours;
  if (r.times.empty()) {
    hours = t(r.state == State::open ? "places.hours.open" : r.state == State::closed ? "places.hours.closed" : "places.hours.unknown_day");
  } else {
    for (const auto& s : r.times) items.push_back(t.span(s));
    hours = t.join(items);
    if (r.state == State::closed) hours = t("places.hours.closed_during", {{"hours", hours}});
    if (r.state == State::unknown) hours = t("places.hours.to_confirm", {{"hours", hours}});
  }
  std::vector<std::string> comments;
  add_comment(comments, &r);
  return t("places.hours.rule_line", {{"when", t.joined_comma(when)}, {"hours", t.with_comments(hours, comments)}});
}

}  // namespace

std::vector<std::string> describe(const OpeningHours& hours, const i18n::Catalog& catalog, i18n::Locale locale) {
  Text t{catalog, locale};
  std::vector<std::string> lines;
  bool table = false, holidays = false;
  for (const auto& r : hours.rules) {
    if (!weekly(r)) continue;
    table = table || r.always || !r.weekdays.empty() || !r.public_holiday;
    holidays = holidays || r.public_holiday;
  }
  if (table) {
    std::array<std::string, 7> days;
    for (int w = 0; w < 7; ++w) days[w] = day_text(t, detail::paints(hours, detail::Day{std::nullopt, w, false}));
    if (std::all_of(days.begin(), days.end(), [&](const std::string& d) { return d == days[0]; })) {
      lines.push_back(days[0] == t("places.hours.all_day") ? t("places.hours.always") : t("places.hours.every_day", {{"hours", days[0]}}));
    } else {
      for (int w = 0; w < 7; ++w) lines.push_back(t("places.hours.day_line", {{"day", t(kDayKeys[w])}, {"hours", days[w]}}));
    }
  }
  if (holidays) {
    auto p = detail::paints(hours, detail::Day{std::nullopt, -1, true});
    std::string text = day_text(t, p);
    lines.push_back(text == t("places.hours.closed") ? t("places.hours.holidays_closed") : t("places.hours.holidays_line", {{"hours", text}}));
  }
  for (const auto& r : hours.rules)
    if (!weekly(r)) lines.push_back(rule_sentence(t, r));
  return lines;
}

}  // namespace passerelle::places
