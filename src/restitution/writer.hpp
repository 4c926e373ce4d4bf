#pragma once
// The machine-readable outputs (restitution.json, assignments.csv) and the atomic writing of the
// output directory: everything goes to a temporary directory beside it, renamed at the end, so
// that a failure never leaves a half report.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "platform/result.hpp"
#include "restitution/model.hpp"

namespace passerelle::restitution {

// Shares and cosines are rounded the same way in every output (4 decimals).
double rounded(double x);
// Contributions per 10,000 inhabitants, rounded to 2 decimals (the report and the JSON agree).
double per_10000(size_t count, int64_t population);

std::string to_json(const Restitution& r, const Corpus& corpus, const std::string& input_name);
// One line per contribution: id, line, group, campaign, theme, label, exact duplicate, words, département.
std::string to_csv(const Restitution& r, const Corpus& corpus);
std::string csv_field(std::string_view value);

// Writes the files (name, bytes) into `dir` atomically (replacing what was there).
Status write_directory(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace passerelle::restitution
