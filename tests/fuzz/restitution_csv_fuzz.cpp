// libFuzzer target for the CSV reader of the restitution (separator detection, RFC 4180 quotes,
// multi-line records): any bytes give either a refusal or records whose fields and lines are
// consistent, never a crash.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/core/strings.hpp"
#include "restitution/reader.hpp"

namespace r = passerelle::restitution;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  size_t lines = static_cast<size_t>(std::count(bytes.begin(), bytes.end(), '\n')) + 1;
  r::ReadOptions options;
  options.zip_field = "zip";
  options.max_text_bytes = 4000;
  // As given (the header is whatever the fuzzer wrote), then behind a valid header.
  for (std::string input : {std::string(bytes), std::string("id;text;zip\n") + std::string(bytes)}) {
    auto corpus = r::read_contributions(std::string_view(input), options);
    if (!corpus) continue;
    size_t max_line = lines + 1;
    for (const auto& c : corpus->items) {
      if (c.text.empty() || c.text.size() > options.max_text_bytes || !passerelle::str::valid_utf8(c.text)) __builtin_trap();
      if (c.line == 0 || c.line > max_line) __builtin_trap();
    }
    if (corpus->items.size() > corpus->records) __builtin_trap();
  }
  return 0;
}
