#include "places/cli.hpp"

#include <fstream>
#include <sstream>

namespace passerelle::places {

namespace {
std::string tr(std::string_view key, const std::vector<std::pair<std::string, std::string>>& args = {}) {
  return i18n::Catalog::instance().tr(i18n::Locale::fr, key, args);
}
}  // namespace

int cli_import(db::Database& db, const std::string& file, const ImportOptions& options, std::ostream& out, std::ostream& err) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    err << "passerelle : " << tr("places.cli_read_error", {{"file", file}}) << "\n";
    return 1;
  }
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto report = import_file(db, file, bytes.str(), options);
  for (const auto& issue : report.issues) err << describe(issue) << "\n";
  out << tr("places.report_summary", {{"file", file}, {"rows", std::to_string(report.rows)}, {"valid", std::to_string(report.valid)},
                                      {"created", std::to_string(report.created)}, {"merged", std::to_string(report.merged)},
                                      {"updated", std::to_string(report.updated)}, {"repaired", std::to_string(report.hours_repaired)}})
      << "\n";
  if (!report.skipped_lines.empty()) {
    std::string lines;
    for (size_t l : report.skipped_lines) lines += (lines.empty() ? "" : ", ") + std::to_string(l);
    out << tr("places.report_skipped", {{"count", std::to_string(report.skipped_lines.size())}, {"lines", lines}}) << "\n";
  }
  if (options.dry_run) out << tr("places.report_dry_run") << "\n";
  bool refused = !report.issues.empty() && !options.skip_invalid;
  if (refused) {
    err << "passerelle : " << tr("places.report_refused", {{"count", std::to_string(report.issues.size())}}) << "\n";
    return 1;
  }
  return 0;
}

int cli_export(db::Database& db, ExportFormat format, std::ostream& out, std::ostream& err) {
  size_t n = write_export(db, format, out);
  err << tr("places.exported", {{"count", std::to_string(n)}}) << "\n";
  return 0;
}

}  // namespace passerelle::places
