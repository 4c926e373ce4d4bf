#pragma once
// Open data of a consultation: its published contributions as CSV (';' for French spreadsheets,
// with a byte-order mark, or ',') or JSON, anonymised: public display names only, e-mail
// addresses and phone numbers inside the texts masked. Written by batches of rows to any
// stream, so the memory stays constant whatever the size (`passerelle export`).
#include <ostream>

#include "platform/db/database.hpp"
#include "platform/result.hpp"

namespace passerelle::consultations {

enum class ExportFormat { csv_semicolon, csv_comma, json };
std::optional<ExportFormat> parse_export_format(std::string_view s);  // "csv", "csv-virgule", "json"

// Error not_found when the process is not published. Returns the number of contributions.
Result<int64_t> write_export(db::Database& db, int64_t process_id, ExportFormat format, std::ostream& out);

}  // namespace passerelle::consultations
