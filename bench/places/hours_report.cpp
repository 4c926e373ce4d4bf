// Parse rate of real opening hours: reads the distinct values that bench/places/hours_report.sh
// extracted (JSON: sections of {text, count}), parses each as-is, else after repair, and prints a
// Markdown report: counts per section, then every repair and every failure with its error.
//
//   bench_places_hours_report values.json > report.md
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "places/opening_hours.hpp"

namespace places = passerelle::places;

namespace {

std::string error_text(const passerelle::Error& e) {
  std::string out = e.message_key;
  for (const auto& [k, v] : e.args) out += " " + k + "=«" + v + "»";
  return out;
}

bool has_point(const places::OpeningHours& h) {
  for (const auto& r : h.rules)
    for (const auto& t : r.times)
      if (t.kind == places::TimeSpan::Kind::point) return true;
  return false;
}

std::string percent(size_t part, size_t whole) {
  if (whole == 0) return "–";
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(2);
  s << 100.0 * static_cast<double>(part) / static_cast<double>(whole) << " %";
  return s.str();
}

std::string cell(std::string s) {  // a value inside a Markdown table cell
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string("⏎") : std::string(1, c);
  return "`" + out + "`";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: bench_places_hours_report values.json\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  auto doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded()) {
    std::cerr << "unreadable JSON: " << argv[1] << "\n";
    return 1;
  }
  std::ostringstream details;
  std::cout << "| section | distinct strings | parse as-is | parse after repair | total parsing | fail |\n"
            << "|---|---:|---:|---:|---:|---:|\n";
  for (const auto& section : doc["sections"]) {
    std::string name = section["name"];
    size_t distinct = 0, as_is = 0, repaired = 0, points = 0;
    std::vector<std::pair<std::string, std::string>> repairs, failures;
    for (const auto& v : section["values"]) {
      std::string text = v["text"];
      ++distinct;
      auto direct = places::parse_opening_hours(text);
      if (direct) {
        ++as_is;
        points += has_point(*direct);
        continue;
      }
      if (auto fixed = places::repair_opening_hours(text)) {
        ++repaired;
        repairs.emplace_back(text, *fixed);
        continue;
      }
      failures.emplace_back(text, error_text(direct.error()));
    }
    std::cout << "| " << name << " | " << distinct << " | " << as_is << " (" << percent(as_is, distinct) << ") | " << repaired
              << " (" << percent(repaired, distinct) << ") | " << as_is + repaired << " (" << percent(as_is + repaired, distinct)
              << ") | " << failures.size() << " |\n";
    details << "\n## " << name << "\n\n";
    for (const auto& note : section.value("notes", nlohmann::json::array())) details << "- " << note.get<std::string>() << "\n";
    size_t unknown = 0;
    for (const auto& [from, to] : repairs) unknown += to.find("unknown \"") != std::string::npos && from.find("unknown") == std::string::npos;
    details << "- " << points << " of the strings parsing as-is hold a lone time (an OSM point in time, \"Sa 17:00\").\n";
    details << "- " << unknown << " of the repaired strings have a day made `unknown` (times that do not make spans).\n";
    details << "\n### Repaired (" << repairs.size() << ")\n\n| value | repaired into |\n|---|---|\n";
    for (const auto& [from, to] : repairs) details << "| " << cell(from) << " | " << cell(to) << " |\n";
    details << "\n### Failing (" << failures.size() << ")\n\n| value | error as-is |\n|---|---|\n";
    for (const auto& [text, err] : failures) details << "| " << cell(text) << " | " << err << " |\n";
  }
  std::cout << details.str();
  return 0;
}
