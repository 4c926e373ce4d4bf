#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

}  // namespace passerelle::str
