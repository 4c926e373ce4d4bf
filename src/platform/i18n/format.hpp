#pragma once
// Dates, numbers and sorting the French way (through ICU), in the Europe/Paris time zone
// unless a place says otherwise.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/i18n/catalog.hpp"

namespace passerelle::i18n {

// "22 novembre 2026" / "November 22, 2026"
std::string format_date(Locale locale, int64_t unix_seconds, std::string_view time_zone = "Europe/Paris");
// "22 novembre 2026 à 14:05"
std::string format_datetime(Locale locale, int64_t unix_seconds, std::string_view time_zone = "Europe/Paris");
// The first second of the day "2026-12-01" in `time_zone` (a form's <input type=date>), or
// nothing for anything else than a real date.
std::optional<int64_t> parse_date(std::string_view yyyy_mm_dd, std::string_view time_zone = "Europe/Paris");
// "2026-12-01" for <input type=date>, in `time_zone`.
std::string iso_date(int64_t unix_seconds, std::string_view time_zone = "Europe/Paris");
// "1 234 567" with a narrow no-break space in French; "1,234,567" in English.
std::string format_integer(Locale locale, int64_t value);
// Sorts strings as a French reader expects ("École" between "eau" and "étang").
void sort_strings(Locale locale, std::vector<std::string>& values);
// Comparison key for sorting in SQL-free code paths.
int compare(Locale locale, std::string_view a, std::string_view b);

}  // namespace passerelle::i18n
