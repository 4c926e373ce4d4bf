#include "places/import.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "places/communes.hpp"
#include "places/csv_reader.hpp"
#include "places/legacy.hpp"
#include "places/opening_hours.hpp"
#include "places/store.hpp"
#include "platform/clock.hpp"
#include "platform/core/strings.hpp"

namespace passerelle::places {

namespace {

using Row = std::map<std::string, std::string, std::less<>>;

std::string stem(std::string_view file) {
  auto slash = file.find_last_of('/');
  if (slash != std::string_view::npos) file.remove_prefix(slash + 1);
  auto dot = file.find_last_of('.');
  return std::string(dot == std::string_view::npos ? file : file.substr(0, dot));
}

std::string json_text(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::vector<std::string> parts;
    for (const auto& item : v) parts.push_back(json_text(item));
    return join_list(parts);
  }
  return v.dump();
}

// Checks that the schema cannot express: opening hours, commune, coordinates.
void check_place(Record& r, size_t line, const std::string& file, ImportReport& report, std::vector<Issue>& issues) {
  auto issue = [&](Field f, std::string reason) { issues.push_back({file, line, std::string(name_of(f)), r[f], std::move(reason), {}}); };
  // A value the schema refused already is reported once, not again by these checks.
  auto refused = [&](Field f) {
    return std::any_of(issues.begin(), issues.end(), [&](const Issue& i) { return i.field == name_of(f); });
  };
  if (!r[Field::horaires].empty()) {
    auto parsed = parse_or_repair(r[Field::horaires]);
    if (!parsed) issue(Field::horaires, "places.reason.opening_hours");
    else if (parsed->repaired) {
      r[Field::horaires] = parsed->osm;
      ++report.hours_repaired;
    }
  }
  const auto& communes = Communes::embedded();
  if (refused(Field::code_insee) || refused(Field::code_postal)) {
    // nothing more to say about the commune
  } else if (!r[Field::code_insee].empty()) {
    if (!communes.find_by_insee(r[Field::code_insee])) issue(Field::code_insee, "places.reason.unknown_commune");
  } else if (!r[Field::code_postal].empty()) {
    auto found = communes.find_by_postal_code(r[Field::code_postal]);
    if (found.empty()) {
      // A CEDEX code (74003, 16016) belongs to no commune: the commune's name in its département does.
      std::string_view cp = r[Field::code_postal];
      std::string dep(cp.substr(0, cp.starts_with("97") || cp.starts_with("98") ? 3 : 2));
      if (dep == "20") dep = cp < "20200" ? "2A" : "2B";
      std::string name = r[Field::commune];
      if (auto cedex = str::lower_ascii(name).find(" cedex"); cedex != std::string::npos) name.resize(cedex);  // "Annecy Cedex 03"
      auto named = communes.find_by_name(name, Within{dep, {}});
      if (named.size() == 1) {
        r[Field::code_insee] = std::string(named[0]->insee);
        ++report.codes_insee_filled;
      } else {
        issue(Field::code_postal, "places.reason.unknown_postal_code");
      }
    }
    else {
      const Commune* pick = found.size() == 1 ? found[0] : nullptr;
      for (const Commune* c : found)
        if (name_key(c->name) == name_key(r[Field::commune])) pick = c;
      if (pick) {
        r[Field::code_insee] = std::string(pick->insee);
        ++report.codes_insee_filled;
      }
    }
  }
  if (refused(Field::latitude) || refused(Field::longitude)) return;
  auto lat = r.latitude(), lon = r.longitude();
  if (lat.has_value() != lon.has_value()) issue(lat ? Field::longitude : Field::latitude, "places.reason.half_coordinates");
  else if (lat && !in_france(*lat, *lon)) issue(Field::latitude, "places.reason.outside_france");
}

// The rows of a file as field maps, with their lines; file-level problems go to `issues`.
struct RawRow {
  size_t line;
  Row fields;
};

std::vector<RawRow> read_rows(std::string_view file, std::string_view bytes, Format format, std::vector<Issue>& issues) {
  std::vector<RawRow> out;
  if (format == Format::schema_csv || format == Format::bfc_csv || format == Format::france_services) {
    auto table = read_csv(bytes);
    if (!table) {
      auto line = table.error().args.empty() ? "0" : table.error().args[0].second;
      issues.push_back({std::string(file), static_cast<size_t>(std::stoul(line)), "", "", table.error().message_key, {}});
      return out;
    }
    const auto& header = table->header.cells;
    if (format == Format::schema_csv) {
      Validator v(TableSchema::embedded(), std::string(file));
      for (auto& i : v.check_header(header, table->header.line))
        if (i.reason == "places.reason.missing_column" && TableSchema::embedded().find(i.field)->required) issues.push_back(std::move(i));
    }
    for (auto& rec : table->rows) {
      RawRow row{rec.line, {}};
      if (rec.cells.size() != header.size())
        issues.push_back({std::string(file), rec.line, "", std::to_string(rec.cells.size()), "places.reason.cell_count",
                          {{"expected", std::to_string(header.size())}}});
      for (size_t i = 0; i < header.size() && i < rec.cells.size(); ++i) row.fields[header[i]] = std::move(rec.cells[i]);
      out.push_back(std::move(row));
    }
    return out;
  }
  auto doc = nlohmann::json::parse(bytes, nullptr, false);
  if (doc.is_object())
    for (auto it = doc.begin(); it != doc.end(); ++it)
      if (it->is_array()) {
        doc = *it;
        break;
      }
  if (doc.is_discarded() || !doc.is_array()) {
    issues.push_back({std::string(file), 1, "", "", "places.reason.not_json_array", {}});
    return out;
  }
  auto lines = json_element_lines(bytes);
  for (size_t i = 0; i < doc.size(); ++i) {
    RawRow row{i < lines.size() ? lines[i] : 0, {}};
    if (!doc[i].is_object()) issues.push_back({std::string(file), row.line, "", doc[i].dump(), "places.reason.not_object", {}});
    else
      for (auto it = doc[i].begin(); it != doc[i].end(); ++it) row.fields[it.key()] = json_text(*it);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  if (name == "schema-csv") return Format::schema_csv;
  if (name == "schema-json") return Format::schema_json;
  if (name == "v0-json") return Format::v0_json;
  if (name == "bfc-csv") return Format::bfc_csv;
  if (name == "france-services") return Format::france_services;
  return std::nullopt;
}

std::string date_in_file_name(std::string_view file) {
  auto slash = file.find_last_of('/');
  if (slash != std::string_view::npos) file.remove_prefix(slash + 1);
  for (size_t i = 0; i + 8 <= file.size(); ++i) {
    bool digits = true;
    for (size_t j = i; j < i + 8 && digits; ++j) digits = file[j] >= '0' && file[j] <= '9';
    bool alone = (i == 0 || file[i - 1] < '0' || file[i - 1] > '9') && (i + 8 == file.size() || file[i + 8] < '0' || file[i + 8] > '9');
    if (!digits || !alone) continue;
    std::string d = std::string(file.substr(i, 4)) + "-" + std::string(file.substr(i + 4, 2)) + "-" + std::string(file.substr(i + 6, 2));
    if (is_iso_date(d)) return d;
  }
  return "";
}

std::vector<size_t> json_element_lines(std::string_view text) {
  std::vector<size_t> lines;
  size_t line = 1;
  int depth = 0, array_depth = -1;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') ++line;
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (c == '[' && array_depth < 0 && depth <= 1) array_depth = depth + 1;
      else if (depth == array_depth) lines.push_back(line);
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
      if (depth < array_depth - 1) array_depth = -2;  // that array is over: the rest is not counted
    }
  }
  return lines;
}

ImportReport check_file(std::string_view file, std::string_view bytes, Format format, std::vector<CheckedRow>& valid_rows,
                        const std::string& default_date) {
  ImportReport report;
  report.file = std::string(file);
  auto raw = read_rows(file, bytes, format, report.issues);
  std::string fallback_date = default_date.empty() && format == Format::france_services ? date_in_file_name(file) : default_date;
  Validator validator(TableSchema::embedded(), report.file);
  std::map<size_t, bool> bad_line;
  for (const auto& i : report.issues) bad_line[i.line] = true;
  for (auto& row : raw) {
    ++report.rows;
    std::vector<Issue> issues;
    Record r;
    if (format == Format::v0_json || format == Format::bfc_csv || format == Format::france_services) {
      r = format == Format::v0_json ? legacy::map_record(row.fields, issues)
          : format == Format::bfc_csv ? legacy::map_bfc(row.fields, issues)
                                      : legacy::map_france_services(row.fields, issues);
      for (auto& i : issues) i.file = report.file, i.line = row.line;
    } else {
      for (const auto& [name, value] : row.fields)
        if (auto f = field_of(name)) r[*f] = value;
        else if (format == Format::schema_json)
          issues.push_back({report.file, row.line, name, value, "places.reason.unknown_column", {}});
    }
    if (r[Field::date_maj].empty()) r[Field::date_maj] = fallback_date;
    Row fields;
    for (size_t i = 0; i < kFieldCount; ++i) fields[std::string(kFieldNames[i])] = r.values[i];
    for (auto& i : validator.check_row(fields, row.line)) issues.push_back(std::move(i));
    check_place(r, row.line, report.file, report, issues);
    if (issues.empty() && !bad_line.count(row.line)) {
      ++report.valid;
      std::string name = r[Field::source].empty() ? stem(file) : r[Field::source];
      valid_rows.push_back({row.line, Source{name, r[Field::id], r[Field::date_maj], stem(file), r}});
    } else {
      report.skipped_lines.push_back(row.line);
      for (auto& i : issues) report.issues.push_back(std::move(i));
    }
  }
  return report;
}

ImportReport import_file(db::Database& db, std::string_view file, std::string_view bytes, const ImportOptions& options) {
  std::vector<CheckedRow> rows;
  ImportReport report = check_file(file, bytes, options.format, rows, options.default_date);
  bool refused = !report.issues.empty() && !options.skip_invalid;
  if (!options.skip_invalid) report.skipped_lines.clear();
  if (refused || options.dry_run || rows.empty()) return report;
  int64_t now = unix_now();
  db.transaction([&](db::Connection& conn) {
    for (const auto& row : rows) {
      auto saved = save(conn, row.source, now);
      ++(saved.kind == SaveKind::created ? report.created : saved.kind == SaveKind::merged ? report.merged : report.updated);
    }
  });
  report.applied = true;
  return report;
}

std::string describe(const Issue& i, i18n::Locale locale) {
  const auto& catalog = i18n::Catalog::instance();
  std::string reason = catalog.tr(locale, i.reason, i.args);
  std::vector<std::pair<std::string, std::string>> args = {
      {"file", i.file}, {"line", std::to_string(i.line)}, {"field", i.field}, {"value", i.value}, {"reason", reason}};
  return catalog.tr(locale, i.field.empty() ? "places.issue_row" : "places.issue", args);
}

}  // namespace passerelle::places
