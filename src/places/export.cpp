#include "places/export.hpp"

#include <nlohmann/json.hpp>

#include "places/store.hpp"

namespace passerelle::places {

namespace {

nlohmann::json fields_json(const Record& r) {
  nlohmann::json o = nlohmann::json::object();
  for (size_t i = 0; i < kFieldCount; ++i) {
    const auto& v = r.values[i];
    if (v.empty()) continue;
    auto f = static_cast<Field>(i);
    if (f == Field::latitude || f == Field::longitude) o[std::string(kFieldNames[i])] = f == Field::latitude ? *r.latitude() : *r.longitude();
    else o[std::string(kFieldNames[i])] = v;
  }
  return o;
}

}  // namespace

std::optional<ExportFormat> parse_export_format(std::string_view name) {
  if (name == "schema-csv") return ExportFormat::schema_csv;
  if (name == "json") return ExportFormat::json;
  if (name == "geojson") return ExportFormat::geojson;
  return std::nullopt;
}

void append_schema_cell(std::string& out, std::string_view value) {
  bool quoted = value.find_first_of(",;\"\r\n") != std::string_view::npos;  // ";" too: readers guess the separator
  if (quoted) out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  if (quoted) out += '"';
}

std::string schema_csv_header() {
  std::string line;
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (i) line += ',';
    line += kFieldNames[i];
  }
  return line + "\r\n";
}

std::string schema_csv_row(const Record& r) {
  std::string line;
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (i) line += ',';
    append_schema_cell(line, r.values[i]);
  }
  return line + "\r\n";
}

size_t write_export(db::Database& db, ExportFormat format, std::ostream& out) {
  auto conn = db.read();
  size_t n = 0;
  if (format == ExportFormat::schema_csv) out << schema_csv_header();
  else out << (format == ExportFormat::json ? "[" : R"({"type":"FeatureCollection","features":[)");
  each(*conn, [&](const Place& p) {
    if (format == ExportFormat::schema_csv) {
      out << schema_csv_row(p.fields);
    } else if (format == ExportFormat::json) {
      out << (n ? ",\n" : "\n") << fields_json(p.fields).dump();
    } else {
      nlohmann::json props = fields_json(p.fields);
      auto& sources = props["sources"] = nlohmann::json::array();
      for (const auto& s : p.sources) sources.push_back({{"source", s.name}, {"id", s.source_id}, {"date_maj", s.date_maj}});
      nlohmann::json feature = {{"type", "Feature"}, {"id", p.id}, {"properties", props}};
      auto lat = p.fields.latitude(), lon = p.fields.longitude();
      if (lat && lon) feature["geometry"] = {{"type", "Point"}, {"coordinates", {*lon, *lat}}};
      else feature["geometry"] = nullptr;
      out << (n ? ",\n" : "\n") << feature.dump();
    }
    ++n;
  });
  if (format == ExportFormat::json) out << "\n]\n";
  else if (format == ExportFormat::geojson) out << "\n]}\n";
  return n;
}

}  // namespace passerelle::places
