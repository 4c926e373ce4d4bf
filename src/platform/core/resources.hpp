#pragma once
// Files embedded in the binary at build time (see cmake/embed.cmake).
#include <optional>
#include <string_view>
#include <vector>

namespace passerelle::resources {

struct Resource {
  std::string_view path;  // relative to the repository, e.g. "web/static/css/site.css"
  std::string_view bytes;
};

const std::vector<Resource>& all();

inline std::optional<std::string_view> find(std::string_view path) {
  for (const auto& r : all())
    if (r.path == path) return r.bytes;
  return std::nullopt;
}

}  // namespace passerelle::resources
