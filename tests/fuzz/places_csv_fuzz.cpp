// libFuzzer target for the CSV reader of places and the checks behind it: any bytes give either
// a refusal or records whose lines only grow and stay within the file, whose cells written back
// as schema-csv read again the same; and the whole import check (Table Schema patterns, opening
// hours, communes) never crashes on them.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "places/csv_reader.hpp"
#include "places/export.hpp"
#include "places/import.hpp"

namespace p = passerelle::places;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  size_t lines = static_cast<size_t>(std::count(bytes.begin(), bytes.end(), '\n') + std::count(bytes.begin(), bytes.end(), '\r')) + 1;
  auto table = p::read_csv(bytes);
  if (table) {
    size_t last = table->header.line;
    if (last < 1 || last > lines) __builtin_trap();  // blank lines before the header are skipped
    for (const auto& row : table->rows) {
      if (row.line < last || row.line > lines) __builtin_trap();
      last = row.line;
    }
    // Written back with `,` and read again: the same cells (when the input used `,`).
    if (table->separator == ',' && !table->rows.empty()) {
      std::string out;
      for (const auto* rec : {&table->header, &table->rows.front()}) {
        for (size_t i = 0; i < rec->cells.size(); ++i) {
          if (i) out += ',';
          std::string cell = rec->cells[i];
          // An empty first cell alone on its line would read back as a blank line: quote it.
          if (rec->cells.size() == 1 && cell.empty()) out += "\"\"";
          else p::append_schema_cell(out, cell);
        }
        out += "\n";
      }
      auto again = p::read_csv(out);
      if (!again || again->header.cells != table->header.cells) __builtin_trap();
      if (again->rows.empty() || again->rows.front().cells != table->rows.front().cells) __builtin_trap();
    }
  }
  // As given, then behind the schema's header: the full import check.
  std::vector<p::CheckedRow> rows;
  for (std::string input : {std::string(bytes), p::schema_csv_header() + std::string(bytes)}) {
    rows.clear();
    auto report = p::check_file("fuzz.csv", input, p::Format::schema_csv, rows);
    if (report.valid > report.rows || rows.size() != report.valid) __builtin_trap();
  }
  return 0;
}
