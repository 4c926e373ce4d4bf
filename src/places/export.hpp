#pragma once
// `passerelle export places --format schema-csv|json|geojson`: every place, streamed.
//  - schema-csv: exactly the Table Schema's CSV (its header order, `,`, UTF-8, values as the
//    schema writes them). Unlike the other CSV exports no apostrophe guards formulas: the values
//    must stay exact ("+33…" telephones, negative longitudes).
//  - json: an array of objects with the 32 fields (latitude/longitude as numbers), which
//    `import places --format schema-json` reads back.
//  - geojson: a FeatureCollection, one Point per place (geometry null without coordinates), every
//    field and the sources (source, id, date_maj) in its properties.
#include <optional>
#include <ostream>
#include <string_view>

#include "places/model.hpp"
#include "platform/db/database.hpp"

namespace passerelle::places {

enum class ExportFormat { schema_csv, json, geojson };
std::optional<ExportFormat> parse_export_format(std::string_view name);

// Returns the number of places written.
size_t write_export(db::Database& db, ExportFormat format, std::ostream& out);

// One CSV cell of schema-csv: quoted when it holds `,`, `;`, `"` or a line break.
void append_schema_cell(std::string& out, std::string_view value);
std::string schema_csv_header();
std::string schema_csv_row(const Record& r);

}  // namespace passerelle::places
