// libFuzzer target for the JSON Lines reader of the restitution: any bytes give either a refusal
// (an Error) or contributions that are valid UTF-8, non-empty, within the size limit, with
// issues numbered within the input's lines. The engine then runs on what was read.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/core/strings.hpp"
#include "restitution/engine.hpp"
#include "restitution/reader.hpp"

namespace r = passerelle::restitution;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input = "{\"id\":\"0\",\"text\":\"";  // steer towards JSON Lines
  input.append(reinterpret_cast<const char*>(data), size);
  r::ReadOptions options;
  options.group_field = "q";
  options.date_field = "d";
  options.zip_field = "z";
  options.max_text_bytes = 2000;
  auto corpus = r::read_contributions(std::string_view(input), options);
  if (!corpus) return 0;
  size_t lines = static_cast<size_t>(std::count(input.begin(), input.end(), '\n')) + 1;
  for (const auto& c : corpus->items) {
    if (c.text.empty() || c.text.size() > options.max_text_bytes) __builtin_trap();
    if (!passerelle::str::valid_utf8(c.text) || c.group >= corpus->groups.size()) __builtin_trap();
    if (c.line == 0 || c.line > lines) __builtin_trap();
  }
  for (const auto& i : corpus->issues)
    if (i.line == 0 || i.line > lines) __builtin_trap();
  r::Parameters params;
  params.min_units_for_themes = 4;
  auto result = r::run(*corpus, params);
  if (result.assignments.size() != corpus->items.size()) __builtin_trap();
  return 0;
}
