#pragma once
// The CSV reader of place files (RFC 4180: quoted cells with doubled quotes and line breaks),
// UTF-8 with or without BOM, `,` or `;` chosen from the header line. Each record carries the
// line it starts on, for import reports. Never throws; a quote left open is an error value.
#include <string>
#include <string_view>
#include <vector>

#include "platform/result.hpp"

namespace passerelle::places {

struct CsvRecord {
  size_t line = 0;  // 1-based line where the record starts
  std::vector<std::string> cells;
};

struct CsvTable {
  char separator = ',';
  CsvRecord header;
  std::vector<CsvRecord> rows;  // blank lines skipped
};

// The separator of the first line outside quotes: the more frequent of ';' and ','.
char detect_separator(std::string_view text);
// Error field "line" with arg "line" when a quoted cell is never closed.
Result<CsvTable> read_csv(std::string_view text);

}  // namespace passerelle::places
