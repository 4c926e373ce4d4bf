#pragma once
#include <string_view>

#include "platform/html/builder.hpp"

namespace passerelle::html {

// Markdown through cmark in safe mode (raw HTML dropped) and with every link or image URL whose
// scheme is not http, https, mailto or tel emptied, so edited pages can never inject scripts.
TrustedHtml render_markdown(std::string_view markdown);

// True for a relative URL or an http, https, mailto or tel one, read as a browser would (leading
// controls and spaces skipped, tabs and newlines ignored, any case). Anything else (javascript:,
// vbscript:, data: including data:image, file:) is refused.
bool is_safe_url(std::string_view url);

}  // namespace passerelle::html
