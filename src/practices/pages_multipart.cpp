#include "practices/pages_multipart.hpp"

#include "platform/core/strings.hpp"

namespace passerelle::practices::pages {

namespace {

// The value of `key=` in a header such as `form-data; name="fichier"; filename="a.pdf"`.
std::optional<std::string> header_param(std::string_view header, std::string_view key) {
  for (auto piece : str::split(header, ';')) {
    auto item = str::trim(piece);
    auto eq = item.find('=');
    if (eq == std::string_view::npos || !str::iequals(str::trim(item.substr(0, eq)), key)) continue;
    auto value = str::trim(item.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      std::string out;
      for (size_t i = 1; i + 1 < value.size(); ++i) {
        if (value[i] == '\\' && i + 2 < value.size()) ++i;
        out += value[i];
      }
      return out;
    }
    return std::string(value);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto semi = content_type.find(';');
  if (!str::iequals(str::trim(content_type.substr(0, semi)), "multipart/form-data") || semi == std::string_view::npos) return std::nullopt;
  auto b = header_param(content_type.substr(semi + 1), "boundary");
  if (!b || b->empty() || b->size() > 70) return std::nullopt;
  return b;
}

std::optional<std::vector<Part>> parse_multipart(std::string_view body, std::string_view boundary) {
  const std::string delimiter = "--" + std::string(boundary);
  std::vector<Part> parts;
  size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return std::nullopt;
  pos += delimiter.size();
  while (true) {
    if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") return std::nullopt;
    pos += 2;
    size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return std::nullopt;
    Part part;
    bool has_name = false;
    for (auto line : str::split(body.substr(pos, headers_end - pos), '\n')) {
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      auto colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      auto name = str::trim(line.substr(0, colon));
      auto value = str::trim(line.substr(colon + 1));
      if (str::iequals(name, "Content-Disposition")) {
        if (auto n = header_param(value, "name")) {
          part.name = *n;
          has_name = true;
        }
        part.filename = header_param(value, "filename");
      } else if (str::iequals(name, "Content-Type")) {
        part.content_type = std::string(value);
      }
    }
    size_t data_start = headers_end + 4;
    size_t next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos || !has_name) return std::nullopt;
    part.data = body.substr(data_start, next - data_start);
    parts.push_back(std::move(part));
    pos = next + 2 + delimiter.size();
  }
}

const Part* find_part(const std::vector<Part>& parts, std::string_view name) {
  for (const auto& p : parts)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace passerelle::practices::pages
