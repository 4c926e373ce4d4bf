#include "platform/i18n/format.hpp"

#include <unicode/calendar.h>
#include <unicode/coll.h>
#include <unicode/datefmt.h>
#include <unicode/numfmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>

namespace passerelle::i18n {
namespace {

icu::Locale icu_locale(Locale l) { return l == Locale::en ? icu::Locale("en", "GB") : icu::Locale("fr", "FR"); }

// ICU formatters are costly to build and not thread-safe to share: one set per thread.
struct ThreadFormatters {
  std::map<std::pair<int, std::string>, std::unique_ptr<icu::DateFormat>> dates;
  std::map<int, std::unique_ptr<icu::NumberFormat>> numbers;
  std::map<int, std::unique_ptr<icu::Collator>> collators;
};
thread_local ThreadFormatters formatters;

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::string format_with(Locale locale, int64_t unix_seconds, std::string_view tz, const char* pattern_key, const char* pattern) {
  auto key = std::make_pair(static_cast<int>(locale), std::string(pattern_key) + "|" + std::string(tz));
  auto& fmt = formatters.dates[key];
  if (!fmt) {
    UErrorCode status = U_ZERO_ERROR;
    auto* f = new icu::SimpleDateFormat(icu::UnicodeString::fromUTF8(pattern), icu_locale(locale), status);
    f->adoptTimeZone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(icu::StringPiece(tz.data(), static_cast<int32_t>(tz.size())))));
    fmt.reset(f);
  }
  icu::UnicodeString out;
  fmt->format(static_cast<UDate>(unix_seconds) * 1000.0, out);
  return to_utf8(out);
}

icu::Collator& collator(Locale locale) {
  auto& c = formatters.collators[static_cast<int>(locale)];
  if (!c) {
    UErrorCode status = U_ZERO_ERROR;
    c.reset(icu::Collator::createInstance(icu_locale(locale), status));
  }
  return *c;
}

}  // namespace

std::optional<int64_t> parse_date(std::string_view s, std::string_view tz) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (y < 1970 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Calendar> cal(
      icu::Calendar::createInstance(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(std::string(tz))), status));
  if (U_FAILURE(status)) return std::nullopt;
  cal->setLenient(false);
  cal->clear();
  cal->set(y, m - 1, d, 0, 0, 0);
  UDate ms = cal->getTime(status);
  if (U_FAILURE(status)) return std::nullopt;  // 31 février and the like
  return static_cast<int64_t>(ms / 1000);
}

std::string iso_date(int64_t unix_seconds, std::string_view tz) {
  // Exports call this once per row, in date order: the last minute's answer is kept (a day
  // always starts on a whole minute), and the formatter is the thread's own.
  thread_local int64_t memo_minute = INT64_MIN;
  thread_local std::string memo_tz, memo_text;
  int64_t minute = unix_seconds >= 0 ? unix_seconds / 60 : (unix_seconds - 59) / 60;
  if (minute == memo_minute && tz == memo_tz) return memo_text;
  memo_text = format_with(Locale::fr, unix_seconds, tz, "iso", "yyyy-MM-dd");
  memo_minute = minute;
  memo_tz = std::string(tz);
  return memo_text;
}

std::string format_date(Locale locale, int64_t unix_seconds, std::string_view tz) {
  return format_with(locale, unix_seconds, tz, "date", locale == Locale::en ? "MMMM d, y" : "d MMMM y");
}

std::string format_datetime(Locale locale, int64_t unix_seconds, std::string_view tz) {
  return format_with(locale, unix_seconds, tz, "datetime", locale == Locale::en ? "MMMM d, y 'at' HH:mm" : "d MMMM y 'à' HH:mm");
}

std::string format_integer(Locale locale, int64_t value) {
  // Below a thousand no locale groups digits: most counters on a page skip ICU.
  if (value >= 0 && value < 1000) return std::to_string(value);
  auto& nf = formatters.numbers[static_cast<int>(locale)];
  if (!nf) {
    UErrorCode status = U_ZERO_ERROR;
    nf.reset(icu::NumberFormat::createInstance(icu_locale(locale), status));
  }
  icu::UnicodeString out;
  nf->format(static_cast<int64_t>(value), out);
  return to_utf8(out);
}

int compare(Locale locale, std::string_view a, std::string_view b) {
  UErrorCode status = U_ZERO_ERROR;
  return collator(locale).compareUTF8(icu::StringPiece(a.data(), static_cast<int32_t>(a.size())),
                                      icu::StringPiece(b.data(), static_cast<int32_t>(b.size())), status);
}

void sort_strings(Locale locale, std::vector<std::string>& values) {
  std::sort(values.begin(), values.end(), [&](const std::string& a, const std::string& b) { return compare(locale, a, b) < 0; });
}

}  // namespace passerelle::i18n
