#include "places/csv_reader.hpp"

namespace passerelle::places {

char detect_separator(std::string_view text) {
  size_t commas = 0, semicolons = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    else if (!quoted && (c == '\n' || c == '\r')) break;
    else if (!quoted && c == ',') ++commas;
    else if (!quoted && c == ';') ++semicolons;
  }
  return semicolons > commas ? ';' : ',';
}

Result<CsvTable> read_csv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  CsvTable table;
  table.separator = detect_separator(text);
  std::vector<CsvRecord> records;
  CsvRecord current{1, {}};
  std::string cell;
  size_t line = 1, i = 0;
  bool quoted = false, cell_started = false;
  auto end_cell = [&] {
    current.cells.push_back(std::move(cell));
    cell.clear();
    cell_started = false;
  };
  auto end_record = [&] {
    end_cell();
    bool blank = current.cells.size() == 1 && current.cells[0].empty();
    if (!blank) records.push_back(std::move(current));
    current = CsvRecord{line, {}};
  };
  while (i < text.size()) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') cell += '"', ++i;
        else quoted = false;
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      ++i;
      continue;
    }
    if (c == '"' && !cell_started) quoted = cell_started = true;
    else if (c == table.separator) end_cell();
    else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      end_record();
    } else {
      cell += c;  // a stray quote inside an unquoted cell is kept as text
      cell_started = true;
    }
    ++i;
  }
  if (quoted) return Error::validation("line", "places.reason.unclosed_quote").with("line", std::to_string(current.line));
  if (cell_started || !current.cells.empty() || !cell.empty()) end_record();
  if (records.empty()) return Error::validation("line", "places.reason.empty_file");
  table.header = std::move(records.front());
  table.rows.assign(std::make_move_iterator(records.begin() + 1), std::make_move_iterator(records.end()));
  return table;
}

}  // namespace passerelle::places
