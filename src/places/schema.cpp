#include "places/schema.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "platform/core/resources.hpp"

namespace passerelle::places {

namespace {

constexpr std::string_view kSchemaPath = "data/places/lieux-mediation-numerique.schema-v1.0.2.json";

bool parse_number(std::string_view v, double& out) {
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && end == v.data() + v.size();
}

std::string shorten(std::string_view v) {
  if (v.size() <= 200) return std::string(v);
  size_t cut = 200;
  while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;  // not mid-character
  return std::string(v.substr(0, cut)) + "…";
}

}  // namespace

size_t utf8_length(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

bool is_iso_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (t[i] < '0' || t[i] > '9') return false;
  int y = std::stoi(std::string(t.substr(0, 4))), m = std::stoi(std::string(t.substr(5, 2))), d = std::stoi(std::string(t.substr(8, 2)));
  return std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)).ok();
}

const TableSchema& TableSchema::embedded() {
  static const TableSchema schema = [] {
    auto bytes = resources::find(kSchemaPath);
    if (!bytes) throw std::runtime_error("missing resource " + std::string(kSchemaPath));
    auto parsed = parse(*bytes);
    if (!parsed) throw std::runtime_error("malformed resource " + std::string(kSchemaPath));
    return std::move(*parsed);
  }();
  return schema;
}

Result<TableSchema> TableSchema::parse(std::string_view json) {
  auto doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("fields") || !doc["fields"].is_array())
    return Error::validation("schema", "places.schema_malformed");
  TableSchema schema;
  schema.version_ = doc.value("version", "");
  try {
    for (const auto& f : doc["fields"]) {
      FieldSpec spec;
      spec.name = f.at("name").get<std::string>();
      spec.type = f.value("type", "string");
      if (f.contains("constraints")) {
        const auto& c = f["constraints"];
        spec.required = c.value("required", false);
        spec.unique = c.value("unique", false);
        if (c.contains("pattern")) {
          spec.pattern = c["pattern"].get<std::string>();
          // Table Schema patterns match the whole value (XML Schema style): regex_match below.
          spec.regex.emplace(*spec.pattern, std::regex::ECMAScript | std::regex::optimize);
        }
        if (c.contains("enum"))
          for (const auto& v : c["enum"]) spec.enumeration.push_back(v.is_string() ? v.get<std::string>() : v.dump());
        if (c.contains("minLength")) spec.min_length = c["minLength"].get<size_t>();
        if (c.contains("maxLength")) spec.max_length = c["maxLength"].get<size_t>();
        if (c.contains("minimum")) spec.minimum = c["minimum"].get<double>();
        if (c.contains("maximum")) spec.maximum = c["maximum"].get<double>();
      }
      schema.fields_.push_back(std::move(spec));
    }
  } catch (const std::exception&) {  // wrong JSON types or an invalid regular expression
    return Error::validation("schema", "places.schema_malformed");
  }
  return schema;
}

const FieldSpec* TableSchema::find(std::string_view name) const {
  for (const auto& f : fields_)
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<std::string> TableSchema::names() const {
  std::vector<std::string> out;
  for (const auto& f : fields_) out.push_back(f.name);
  return out;
}

std::optional<Issue> TableSchema::check(const FieldSpec& f, std::string_view value) const {
  auto issue = [&](std::string reason, std::vector<std::pair<std::string, std::string>> args = {}) {
    return Issue{"", 0, f.name, shorten(value), std::move(reason), std::move(args)};
  };
  if (value.empty()) return f.required ? std::optional(issue("places.reason.required")) : std::nullopt;
  double number = 0;
  if (f.type == "number" && !parse_number(value, number)) return issue("places.reason.type_number");
  if (f.type == "integer" && (value.find_first_not_of("-0123456789") != std::string_view::npos || !parse_number(value, number)))
    return issue("places.reason.type_integer");
  if (f.type == "date" && !is_iso_date(value)) return issue("places.reason.type_date");
  if (f.type == "boolean" && value != "true" && value != "false") return issue("places.reason.type_boolean");
  if (f.minimum && number < *f.minimum) return issue("places.reason.minimum", {{"minimum", std::to_string(*f.minimum)}});
  if (f.maximum && number > *f.maximum) return issue("places.reason.maximum", {{"maximum", std::to_string(*f.maximum)}});
  size_t length = utf8_length(value);
  if (f.max_length && length > *f.max_length)
    return issue("places.reason.max_length", {{"max", std::to_string(*f.max_length)}, {"length", std::to_string(length)}});
  if (f.min_length && length < *f.min_length) return issue("places.reason.min_length", {{"min", std::to_string(*f.min_length)}});
  if (!f.enumeration.empty() && std::find(f.enumeration.begin(), f.enumeration.end(), value) == f.enumeration.end())
    return issue("places.reason.enum");
  if (f.regex) {
    // libstdc++'s regex recurses once per character: a long value would overflow the stack. No
    // value of a patterned field comes near (every `|` list written out is under 500 bytes).
    if (value.size() > kMaxPatternBytes) return issue("places.reason.too_long_for_pattern", {{"max", std::to_string(kMaxPatternBytes)}});
    std::string v(value);
    if (!std::regex_match(v, *f.regex)) return issue("places.reason.pattern", {{"pattern", *f.pattern}});
  }
  return std::nullopt;
}

std::vector<Issue> Validator::check_header(const std::vector<std::string>& header, size_t line) const {
  std::vector<Issue> out;
  for (const auto& f : schema_->fields())
    if (std::find(header.begin(), header.end(), f.name) == header.end())
      out.push_back({file_, line, f.name, "", "places.reason.missing_column", {}});
  for (const auto& h : header)
    if (!schema_->find(h)) out.push_back({file_, line, h, h, "places.reason.unknown_column", {}});
  return out;
}

std::vector<Issue> Validator::check_row(const std::map<std::string, std::string, std::less<>>& row, size_t line) {
  std::vector<Issue> out;
  for (const auto& f : schema_->fields()) {
    auto it = row.find(f.name);
    std::string_view value = it == row.end() ? std::string_view() : std::string_view(it->second);
    if (auto issue = schema_->check(f, value)) {
      issue->file = file_, issue->line = line;
      out.push_back(std::move(*issue));
      continue;
    }
    if (f.unique && !value.empty()) {
      auto [pos, fresh] = seen_[f.name].emplace(std::string(value), line);
      if (!fresh)
        out.push_back({file_, line, f.name, std::string(value), "places.reason.unique", {{"line", std::to_string(pos->second)}}});
    }
  }
  return out;
}

}  // namespace passerelle::places
