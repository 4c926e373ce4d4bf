// Parser and canonical writer of OSM opening_hours. A hand-written recursive descent over bytes:
// no std::regex (its recursion overflows the stack on long inputs), linear in the input.
#include "places/opening_hours.hpp"

#include <array>
#include <cctype>

namespace passerelle::places {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<int, 12> kMonthLength = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int index_of(auto const& names, std::string_view w) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == w) return static_cast<int>(i);
  return -1;
}

// Words the grammar knows but this parser does not evaluate.
bool unsupported_word(std::string_view w) {
  for (std::string_view u : {"sunrise", "sunset", "dawn", "dusk", "easter", "day", "days"})
    if (w == u) return true;
  return false;
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Result<OpeningHours> run() {
    OpeningHours out;
    ws();
    if (end()) return Error::validation("opening_hours", "places.hours.error.empty");
    Separator sep = Separator::normal;
    for (;;) {
      Rule rule;
      rule.separator = sep;
      if (!parse_rule(rule)) return std::move(*error_);
      out.rules.push_back(std::move(rule));
      ws();
      if (end()) break;
      size_t at = i_;
      if (peek() == ';') sep = Separator::normal, i_ += 1;
      else if (peek() == ',') sep = Separator::additional, i_ += 1;
      else if (peek() == '|' && peek(1) == '|') sep = Separator::fallback, i_ += 2;
      else return fail("places.hours.error.unexpected", i_), std::move(*error_);
      ws();
      if (end()) return fail("places.hours.error.incomplete", at, i_ - at), std::move(*error_);
    }
    return out;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
  std::optional<Error> error_;

  bool end() const { return i_ >= s_.size(); }
  char peek(size_t k = 0) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
  void ws() {
    while (!end() && (peek() == ' ' || peek() == '\t')) ++i_;
  }
  std::string_view word_at(size_t at) const {
    size_t e = at;
    while (e < s_.size() && is_alpha(s_[e])) ++e;
    return s_.substr(at, e - at);
  }
  size_t digits_at(size_t at) const {
    size_t e = at;
    while (e < s_.size() && is_digit(s_[e])) ++e;
    return e - at;
  }
  // After optional spaces, is the next thing `c`? Consumes both if so.
  bool take(char c) {
    size_t save = i_;
    ws();
    if (peek() == c) return ++i_, true;
    i_ = save;
    return false;
  }
  // Position in characters (UTF-8 lead bytes), from 1; the token is what a reader would point at.
  bool fail(const char* key, size_t at, size_t len = 0) {
    size_t chars = 0;
    for (size_t k = 0; k < at && k < s_.size(); ++k) chars += (static_cast<unsigned char>(s_[k]) & 0xC0) != 0x80;
    if (len == 0 && at < s_.size()) {
      if (is_alpha(s_[at])) len = word_at(at).size();
      else if (is_digit(s_[at]))
        while (at + len < s_.size() && (is_digit(s_[at + len]) || s_[at + len] == ':')) ++len;
      else
        for (len = 1; at + len < s_.size() && (static_cast<unsigned char>(s_[at + len]) & 0xC0) == 0x80;) ++len;
    }
    error_ = Error::validation("opening_hours", key)
                 .with("position", std::to_string(chars + 1))
                 .with("token", std::string(s_.substr(std::min(at, s_.size()), len)));
    return false;
  }

  // A number of at most `max_digits` digits at the cursor.
  bool number(int& out, size_t max_digits) {
    size_t n = digits_at(i_);
    if (n == 0) return fail(end() ? "places.hours.error.incomplete" : "places.hours.error.unexpected", i_);
    if (n > max_digits) return fail("places.hours.error.bad_value", i_, n);
    out = 0;
    for (size_t k = 0; k < n; ++k) out = out * 10 + (s_[i_ + k] - '0');
    i_ += n;
    return true;
  }
  // from[-to][/step], each bounded; for years and weeks.
  bool int_range(IntRange& r, int lo, int hi, size_t max_digits) {
    size_t at = i_;
    if (!number(r.from, max_digits)) return false;
    r.to = r.from;
    if (take('-')) {
      ws();
      if (!number(r.to, max_digits)) return false;
    }
    if (peek() == '/') {
      ++i_;
      if (!number(r.step, 3)) return false;
    }
    if (r.from < lo || r.from > hi || r.to < lo || r.to > hi || r.to < r.from || r.step < 1)
      return fail("places.hours.error.bad_value", at, i_ - at);
    return true;
  }

  bool year_ahead() const { return digits_at(i_) == 4 && peek(4) != ':'; }
  bool weekday_word_ahead() const {
    auto w = word_at(i_);
    return index_of(kDays, w) >= 0 || w == "PH" || w == "SH";
  }
  // Looks past a ',' (and spaces) without consuming: does the list go on with this kind?
  template <class Pred>
  bool list_continues(Pred pred) {
    size_t save = i_;
    if (!take(',')) return false;
    ws();
    bool yes = pred();
    if (yes) return true;
    i_ = save;
    return false;
  }

  bool parse_rule(Rule& r) {
    ws();
    size_t start = i_;
    if (s_.substr(i_, 4) == "24/7") {
      i_ += 4;
      r.always = true;
    } else {
      if (year_ahead() && !years(r)) return false;
      ws();
      if (index_of(kMonths, word_at(i_)) >= 0 && !monthdays(r)) return false;
      ws();
      if (word_at(i_) == "week" && !weeks(r)) return false;
      if (i_ != start) take(':');  // optional colon after the wide range selectors
      ws();
      if (weekday_word_ahead() && !weekdays(r)) return false;
      ws();
      if (is_digit(peek()) && !times(r)) return false;
    }
    ws();
    bool explicit_state = false;
    if (auto w = word_at(i_); !w.empty()) {
      if (w == "open") r.state = State::open;
      else if (w == "closed" || w == "off") r.state = State::closed;
      else if (w == "unknown") r.state = State::unknown;
      else if (unsupported_word(w)) return fail("places.hours.error.unsupported", i_);
      else return fail("places.hours.error.unexpected", i_);
      explicit_state = true;
      i_ += w.size();
      ws();
    }
    if (peek() == '"') {
      size_t close = s_.find('"', i_ + 1);
      if (close == std::string_view::npos) return fail("places.hours.error.unterminated_comment", i_, s_.size() - i_);
      r.comment = std::string(s_.substr(i_ + 1, close - i_ - 1));
      i_ = close + 1;
    }
    if (i_ == start) return fail(end() ? "places.hours.error.incomplete" : "places.hours.error.unexpected", i_);
    // A rule with a comment and neither times nor state ("Mo "sur rendez-vous"") says nothing sure.
    if (!explicit_state && r.times.empty() && !r.comment.empty() && !r.always) r.state = State::unknown;
    return true;
  }

  bool years(Rule& r) {
    do {
      IntRange y;
      if (!int_range(y, 1900, 2200, 4)) return false;
      r.years.push_back(y);
    } while (list_continues([&] { return year_ahead(); }));
    return true;
  }

  bool month_at(int& m) {
    auto w = word_at(i_);
    m = index_of(kMonths, w) + 1;
    if (m == 0) return fail(end() ? "places.hours.error.incomplete" : "places.hours.error.unexpected", i_);
    i_ += w.size();
    return true;
  }
  // An optional day of month after a month name: "Dec 25", not "Dec 10:00".
  bool day_after_month(int month, int& day) {
    size_t save = i_;
    ws();
    size_t n = digits_at(i_);
    if (n == 0 || peek(n) == ':') return i_ = save, true;
    size_t at = i_;
    if (!number(day, 2)) return false;
    if (day < 1 || day > kMonthLength[month - 1]) return fail("places.hours.error.bad_value", at, i_ - at);
    return true;
  }
  bool monthdays(Rule& r) {
    do {
      MonthdayRange m;
      if (!month_at(m.from_month) || !day_after_month(m.from_month, m.from_day)) return false;
      m.to_month = m.from_month, m.to_day = m.from_day;
      if (take('-')) {
        ws();
        if (is_alpha(peek())) {
          if (!month_at(m.to_month) || !day_after_month(m.to_month, m.to_day)) return false;
          if ((m.from_day == 0) != (m.to_day == 0)) return fail("places.hours.error.unexpected", i_);
        } else {
          size_t at = i_;
          if (m.from_day == 0) return fail("places.hours.error.unexpected", i_);
          if (!number(m.to_day, 2)) return false;
          if (m.to_day < m.from_day || m.to_day > kMonthLength[m.to_month - 1])
            return fail("places.hours.error.bad_value", at, i_ - at);
        }
      }
      r.monthdays.push_back(m);
    } while (list_continues([&] { return index_of(kMonths, word_at(i_)) >= 0; }));
    return true;
  }

  bool weeks(Rule& r) {
    i_ += 4;  // "week"
    ws();
    do {
      IntRange w;
      if (!int_range(w, 1, 53, 2)) return false;
      r.weeks.push_back(w);
    } while (list_continues([&] { return is_digit(peek()); }));
    return true;
  }

  bool nth_list(std::vector<IntRange>& out) {
    ++i_;  // '['
    do {
      ws();
      size_t at = i_;
      IntRange n;
      bool negative = peek() == '-';
      if (negative) ++i_;
      if (!number(n.from, 1)) return false;
      n.to = n.from;
      if (!negative && take('-')) {
        ws();
        if (!number(n.to, 1)) return false;
      }
      if (negative) n.from = n.to = -n.from;
      if (n.from == 0 || n.from < -5 || n.to > 5 || n.to < n.from) return fail("places.hours.error.bad_value", at, i_ - at);
      out.push_back(n);
    } while (take(','));
    if (!take(']')) return fail(end() ? "places.hours.error.incomplete" : "places.hours.error.unexpected", i_);
    return true;
  }

  bool weekdays(Rule& r) {
    do {
      auto w = word_at(i_);
      if (w == "PH" || w == "SH") {
        (w == "PH" ? r.public_holiday : r.school_holiday) = true;
        i_ += 2;
        size_t save = i_;
        ws();
        if (peek() == '+' || (peek() == '-' && is_digit(peek(1)))) return fail("places.hours.error.unsupported", i_);
        i_ = save;
        continue;
      }
      WeekdayRange d;
      d.from = d.to = index_of(kDays, w);
      if (d.from < 0) return fail("places.hours.error.unexpected", i_);
      i_ += w.size();
      if (peek() == '[') {
        if (!nth_list(d.nth)) return false;
      } else if (take('-')) {
        ws();
        auto w2 = word_at(i_);
        d.to = index_of(kDays, w2);
        if (d.to < 0) return fail(end() ? "places.hours.error.incomplete" : "places.hours.error.unexpected", i_);
        i_ += w2.size();
      }
      r.weekdays.push_back(std::move(d));
    } while (list_continues([&] { return weekday_word_ahead(); }));
    return true;
  }

  // HH:MM with exactly two digits each; hours up to `max_hour` (24 or 48), hh:00 only at the top.
  bool clock(int& minutes, int max_hour) {
    size_t at = i_;
    size_t n = digits_at(i_);
    if (n != 2 || peek(2) != ':' || digits_at(i_ + 3) != 2 || is_digit(peek(5)))
      return fail(n == 0 && !end() && !is_digit(peek()) ? "places.hours.error.unexpected" : "places.hours.error.bad_time", at);
    int h = (s_[i_] - '0') * 10 + (s_[i_ + 1] - '0'), m = (s_[i_ + 3] - '0') * 10 + (s_[i_ + 4] - '0');
    i_ += 5;
    if (m > 59 || h > max_hour || (h == max_hour && m != 0)) return fail("places.hours.error.bad_time", at, 5);
    minutes = h * 60 + m;
    return true;
  }

  bool times(Rule& r) {
    do {
      ws();
      if (auto w = word_at(i_); unsupported_word(w) || peek() == '(') return fail("places.hours.error.unsupported", i_);
      size_t at = i_;
      TimeSpan t;
      if (!clock(t.start, 24)) return false;
      t.end = t.start + 1;
      t.kind = TimeSpan::Kind::point;
      if (peek() == '+') {
        ++i_;
        t.kind = TimeSpan::Kind::open_end, t.end = t.start;
      } else if (take('-')) {
        ws();
        if (unsupported_word(word_at(i_)) || peek() == '(') return fail("places.hours.error.unsupported", i_);
        if (!clock(t.end, 48)) return false;
        if (t.end == t.start) return fail("places.hours.error.empty_span", at, i_ - at);
        if (t.end < t.start) t.end += 24 * 60;  // past midnight
        if (t.end <= t.start || t.end > 48 * 60) return fail("places.hours.error.bad_time", at, i_ - at);
        t.kind = TimeSpan::Kind::range;
        if (peek() == '+') ++i_, t.kind = TimeSpan::Kind::open_end;
      }
      if (peek() == '/') return fail("places.hours.error.unsupported", i_);
      r.times.push_back(t);
    } while (list_continues([&] { return is_digit(peek()); }));
    return true;
  }
};

std::string two(int v) { return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10); }
std::string clock_text(int minutes) { return two(minutes / 60) + ":" + two(minutes % 60); }

std::string int_range_text(const IntRange& r, bool pad) {
  auto num = [&](int v) { return pad ? two(v) : std::to_string(v); };
  std::string out = num(r.from);
  if (r.to != r.from) out += "-" + num(r.to);
  if (r.step != 1) out += "/" + std::to_string(r.step);
  return out;
}

State default_state(const Rule& r) {
  return r.times.empty() && !r.comment.empty() && !r.always ? State::unknown : State::open;
}

// `before_comma`: the next rule is additional (", "). A rule that ends in a bare selector then
// says "open", or "Jan-Jun, Dec off" would read back as one rule on "Jan-Jun,Dec".
std::string rule_text(const Rule& r, bool before_comma) {
  std::vector<std::string> parts;
  auto join = [](const auto& items, auto fn) {
    std::string out;
    for (const auto& it : items) out += (out.empty() ? "" : ",") + fn(it);
    return out;
  };
  if (r.always) parts.push_back("24/7");
  if (!r.years.empty()) parts.push_back(join(r.years, [](const IntRange& y) { return int_range_text(y, false); }));
  if (!r.monthdays.empty())
    parts.push_back(join(r.monthdays, [](const MonthdayRange& m) {
      auto md = [](int month, int day) { return std::string(kMonths[month - 1]) + (day ? " " + two(day) : ""); };
      std::string out = md(m.from_month, m.from_day);
      // "Dec 30-Dec 25" wraps round the year: only a forward range within a month is shortened.
      if (m.to_month != m.from_month || m.to_day < m.from_day) out += "-" + md(m.to_month, m.to_day);
      else if (m.to_day != m.from_day) out += "-" + two(m.to_day);
      return out;
    }));
  if (!r.weeks.empty()) parts.push_back("week " + join(r.weeks, [](const IntRange& w) { return int_range_text(w, true); }));
  std::string days = join(r.weekdays, [](const WeekdayRange& d) {
    std::string out(kDays[d.from]);
    if (!d.nth.empty()) out += "[" + [&] {
      std::string n;
      for (const auto& x : d.nth) n += (n.empty() ? "" : ",") + (x.from < 0 ? std::to_string(x.from) : int_range_text(x, false));
      return n;
    }() + "]";
    else if (d.to != d.from) out += "-" + std::string(kDays[d.to]);
    return out;
  });
  for (auto [flag, name] : {std::pair{r.public_holiday, "PH"}, std::pair{r.school_holiday, "SH"}})
    if (flag) days += (days.empty() ? "" : ",") + std::string(name);
  if (!days.empty()) parts.push_back(days);
  if (!r.times.empty())
    parts.push_back(join(r.times, [](const TimeSpan& t) {
      std::string out = clock_text(t.start);
      if (t.kind == TimeSpan::Kind::point) return out;
      if (t.end != t.start) {
        // Past midnight as the wrapped clock ("22:00-02:00") when it reads the same, else 26:00.
        int end = t.end > 24 * 60 && t.end - 24 * 60 < t.start ? t.end - 24 * 60 : t.end;
        out += "-" + clock_text(end);
      }
      if (t.kind == TimeSpan::Kind::open_end) out += "+";
      return out;
    }));
  bool ends_in_selector = r.times.empty() && r.comment.empty();
  if (r.state != State::open || default_state(r) != State::open || parts.empty() || (before_comma && ends_in_selector))
    parts.push_back(r.state == State::open ? "open" : r.state == State::closed ? "off" : "unknown");
  if (!r.comment.empty()) parts.push_back("\"" + r.comment + "\"");
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
}

}  // namespace

Result<OpeningHours> parse_opening_hours(std::string_view text) { return Parser(text).run(); }

std::string to_osm(const OpeningHours& hours) {
  std::string out;
  for (size_t i = 0; i < hours.rules.size(); ++i) {
    const Rule& r = hours.rules[i];
    if (i) out += r.separator == Separator::additional ? ", " : r.separator == Separator::fallback ? " || " : "; ";
    out += rule_text(r, i + 1 < hours.rules.size() && hours.rules[i + 1].separator == Separator::additional);
  }
  return out;
}

Result<ParsedHours> parse_or_repair(std::string_view text) {
  auto direct = parse_opening_hours(text);
  if (direct) return ParsedHours{std::move(direct.value()), std::string(text), false};
  if (auto fixed = repair_opening_hours(text))
    if (auto again = parse_opening_hours(*fixed)) return ParsedHours{std::move(again.value()), *fixed, true};
  return direct.error();
}

}  // namespace passerelle::places
