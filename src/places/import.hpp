#pragma once
// `passerelle import places FILE --format …`: reads a file of places, maps it to schema v1.0.2,
// checks every row (Table Schema, opening hours, commune, coordinates in France) and saves it in
// ONE transaction: one bad row and nothing changes, unless skip_invalid, which leaves the bad
// rows out and lists them. Every problem names file, line, field, value and reason.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "places/model.hpp"
#include "places/schema.hpp"
#include "platform/db/database.hpp"
#include "platform/i18n/catalog.hpp"

namespace passerelle::places {

enum class Format { schema_csv, schema_json, v0_json, bfc_csv, france_services };
// "schema-csv", "schema-json", "v0-json", "bfc-csv", "france-services"
std::optional<Format> parse_format(std::string_view name);

struct ImportOptions {
  Format format = Format::schema_csv;
  bool dry_run = false;
  bool skip_invalid = false;
  std::string default_date;  // date_maj of rows without one (--date-maj): the file's own date
                             // (france-services: else the file name's YYYYMMDD)
};

struct ImportReport {
  std::string file;
  size_t rows = 0;            // records read
  size_t valid = 0;           // records that pass every check
  size_t created = 0, merged = 0, updated = 0;  // what the save did (0 on a dry run or a refusal)
  size_t hours_repaired = 0;  // opening hours rewritten by a documented rule (docs/opening-hours.md)
  size_t codes_insee_filled = 0;  // INSEE code found from the postal code and commune name
  std::vector<Issue> issues;
  std::vector<size_t> skipped_lines;  // with skip_invalid: the rows left out
  bool applied = false;       // the transaction committed
};

// One checked record, ready to save.
struct CheckedRow {
  size_t line = 0;
  Source source;
};

// Reads and checks a file without touching any database.
ImportReport check_file(std::string_view file_name, std::string_view bytes, Format format, std::vector<CheckedRow>& valid_rows,
                        const std::string& default_date = "");
// "liste-france-services-20221201.csv" → "2022-12-01"; "" when the name holds no such date.
std::string date_in_file_name(std::string_view file_name);
// check_file, then the save in one transaction when allowed.
ImportReport import_file(db::Database& db, std::string_view file_name, std::string_view bytes, const ImportOptions& options);

// "fichier.csv, ligne 3, champ « code_postal », valeur « 2500 » : …"
std::string describe(const Issue& issue, i18n::Locale locale = i18n::Locale::fr);

// Line of the opening brace of each element of a top-level JSON array (or of the first array
// member of a top-level object): import reports point at lines in JSON files too.
std::vector<size_t> json_element_lines(std::string_view text);

}  // namespace passerelle::places
