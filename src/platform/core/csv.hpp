#pragma once
// One CSV cell (RFC 4180) with `separator` (';' for French spreadsheets, ','): quoted when it
// holds the separator, a quote or a line break, quotes doubled. A cell starting with = + - @ or a
// tab gets a leading apostrophe, so that a spreadsheet never runs it as a formula.
#include <string>
#include <string_view>

namespace passerelle::csv {

inline void append_cell(std::string& out, std::string_view value, char separator = ';') {
  bool formula = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' || value[0] == '\t' || value[0] == '\r');
  bool quoted = value.find_first_of("\"\r\n") != std::string_view::npos || value.find(separator) != std::string_view::npos;
  if (quoted) out += '"';
  if (formula) out += '\'';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  if (quoted) out += '"';
}

}  // namespace passerelle::csv
