#pragma once
// Shared by the evaluator and the renderer of opening_hours: which rules apply to a day, and the
// spans they paint on it. Not for other modules.
#include <chrono>
#include <optional>
#include <vector>

#include "places/opening_hours.hpp"

namespace passerelle::places::detail {

// The day rules are matched against. Without a date it stands for "any such weekday" (the
// weekly table of describe()): rules with dates, weeks or nth weekdays do not match it.
struct Day {
  std::optional<std::chrono::year_month_day> date;
  int weekday = -1;  // 0 = Monday; -1 = none (a public holiday as such)
  bool holiday = false;
};
Day day_of(std::chrono::year_month_day date);

// One span painted on a day, minutes from that day's midnight (past 1440: the next day).
// Later paints cover earlier ones. `tail` is the unknown part after an open end (17:00+).
struct Paint {
  int start = 0, end = 0;
  State state = State::closed;
  const Rule* rule = nullptr;
  const TimeSpan* span = nullptr;  // null for a whole-day rule
  bool tail = false;
};

bool matches(const Rule& rule, const Day& day);
// Applies the rules in order: ';' replaces what earlier rules painted, ',' adds, '||' applies
// only when no earlier rule matched the day.
std::vector<Paint> paints(const OpeningHours& hours, const Day& day);

}  // namespace passerelle::places::detail
