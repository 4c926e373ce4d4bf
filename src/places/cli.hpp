#pragma once
// The places subcommands of `passerelle`: report lines in French on `err`, data on `out`.
#include <ostream>
#include <string>

#include "places/export.hpp"
#include "places/import.hpp"

namespace passerelle::places {

int cli_import(db::Database& db, const std::string& file, const ImportOptions& options, std::ostream& out, std::ostream& err);
int cli_export(db::Database& db, ExportFormat format, std::ostream& out, std::ostream& err);

}  // namespace passerelle::places
