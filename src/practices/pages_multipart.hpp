#pragma once
// multipart/form-data bodies (RFC 7578), for the attachment upload form of the practice editor:
// the platform's Request::form() only reads urlencoded bodies.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::practices::pages {

struct Part {
  std::string name;
  std::optional<std::string> filename;  // present for file inputs
  std::string content_type;             // as sent; never trusted for files
  std::string_view data;                // points into the request body
};

// The boundary of a "multipart/form-data; boundary=…" content type, or nothing.
std::optional<std::string> multipart_boundary(std::string_view content_type);
// The parts of `body`; nothing when the body is not well-formed multipart with that boundary.
std::optional<std::vector<Part>> parse_multipart(std::string_view body, std::string_view boundary);
// The first part named `name`, or nullptr.
const Part* find_part(const std::vector<Part>& parts, std::string_view name);

}  // namespace passerelle::practices::pages
