#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace passerelle::str {

std::vector<std::string_view> split(std::string_view s, char sep);
std::string_view trim(std::string_view s);
std::string lower_ascii(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::optional<int64_t> to_int(std::string_view s);
std::string url_decode(std::string_view s, bool plus_as_space = true);
std::string url_encode(std::string_view s);
// Returns false when the bytes are not valid UTF-8 (outside input is checked before it is stored).
bool valid_utf8(std::string_view s);
std::string hex(std::string_view bytes);
std::string json_escape(std::string_view s);

// Hash of an unordered container keyed by std::string that is searched with a string_view
// (C++20 heterogeneous lookup): no temporary std::string is built for each lookup.
struct Hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
template <class Value>
using Map = std::unordered_map<std::string, Value, Hash, std::equal_to<>>;

}  // namespace passerelle::str
