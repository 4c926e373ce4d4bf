#pragma once
// The Frictionless Table Schema of the national standard (data/places/
// lieux-mediation-numerique.schema-v1.0.2.json, Licence Ouverte), read at run time: every
// constraint a field declares (required, type string/number/integer/date, pattern — the `|`
// lists are patterns —, enum, minLength/maxLength, minimum/maximum, unique) is checked here,
// none is written by hand.
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "platform/result.hpp"

namespace passerelle::places {

// Longest value checked against a pattern; longer ones are refused (see schema.cpp).
inline constexpr size_t kMaxPatternBytes = 1024;

// One broken value, as an import report prints it.
struct Issue {
  std::string file;
  size_t line = 0;     // 1-based line where the record starts (JSON: line of its opening brace)
  std::string field;   // schema field name, or "" for the row as a whole
  std::string value;
  std::string reason;  // catalogue key: places.reason.*
  std::vector<std::pair<std::string, std::string>> args;  // e.g. {"pattern", "^\\d{5}$"}
};

struct FieldSpec {
  std::string name;
  std::string type = "string";  // string, number, integer, date, boolean…
  bool required = false;
  bool unique = false;
  std::optional<std::string> pattern;
  std::optional<std::regex> regex;
  std::vector<std::string> enumeration;
  std::optional<size_t> min_length, max_length;
  std::optional<double> minimum, maximum;
};

class TableSchema {
 public:
  // The embedded schema v1.0.2; a missing or malformed resource is a broken build (throws).
  static const TableSchema& embedded();
  static Result<TableSchema> parse(std::string_view json);

  const std::vector<FieldSpec>& fields() const { return fields_; }
  const FieldSpec* find(std::string_view name) const;
  std::vector<std::string> names() const;
  const std::string& version() const { return version_; }

  // Checks one value against its field (not `unique`: that needs the whole file, see Validator).
  std::optional<Issue> check(const FieldSpec& field, std::string_view value) const;

 private:
  std::vector<FieldSpec> fields_;
  std::string version_;
};

// Checks the rows of one file, keeping the values of unique fields seen so far.
class Validator {
 public:
  Validator(const TableSchema& schema, std::string file) : schema_(&schema), file_(std::move(file)) {}
  // The header of a CSV file: every schema field present (unknown columns are reported too).
  std::vector<Issue> check_header(const std::vector<std::string>& header, size_t line = 1) const;
  // `row` maps field names to values; absent fields count as empty.
  std::vector<Issue> check_row(const std::map<std::string, std::string, std::less<>>& row, size_t line);

 private:
  const TableSchema* schema_;
  std::string file_;
  std::map<std::string, std::map<std::string, size_t>, std::less<>> seen_;  // field → value → line
};

// Number of Unicode code points of UTF-8 text (maxLength counts characters, not bytes).
size_t utf8_length(std::string_view text);
// A calendar date written YYYY-MM-DD.
bool is_iso_date(std::string_view text);

}  // namespace passerelle::places
