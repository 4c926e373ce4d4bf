// libFuzzer target for OSM opening_hours: any bytes give either an Error or a model whose
// canonical text parses back to the same model; evaluation, next change, rendering (French and
// English) and repair never crash, and a repair always parses.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "places/opening_hours.hpp"

namespace places = passerelle::places;
using namespace std::chrono;

namespace {

void exercise(const places::OpeningHours& h, const uint8_t* data, size_t size) {
  // A few local times spread over the years the data can name, chosen from the input itself.
  uint32_t seed = 2166136261u;
  for (size_t i = 0; i < size; ++i) seed = (seed ^ data[i]) * 16777619u;
  for (int k = 0; k < 4; ++k) {
    seed = seed * 1103515245u + 12345u;
    places::LocalMinutes when = local_days{year{2020} / 1 / 1} + minutes{seed % (10u * 366u * 24u * 60u)};
    auto now = places::status_at(h, when);
    if (auto next = places::next_change(h, when, days{8})) {
      if (*next <= when || places::status_at(h, *next) == now) __builtin_trap();
    }
  }
  for (auto locale : {passerelle::i18n::Locale::fr, passerelle::i18n::Locale::en})
    for (const auto& line : places::describe(h, passerelle::i18n::Catalog::instance(), locale))
      if (line.empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = places::parse_opening_hours(text);
  if (parsed) {
    std::string canonical = places::to_osm(*parsed);
    auto again = places::parse_opening_hours(canonical);
    if (!again || !(*again == *parsed) || places::to_osm(*again) != canonical) __builtin_trap();
    exercise(*parsed, data, size);
  } else if (parsed.error().message_key.empty()) {
    __builtin_trap();
  }
  if (auto fixed = places::repair_opening_hours(text)) {
    auto repaired = places::parse_opening_hours(*fixed);
    if (!repaired) __builtin_trap();
    exercise(*repaired, data, size);
  }
  return 0;
}
