#pragma once
#include <string_view>

#include "platform/html/builder.hpp"

namespace passerelle::html {

// Markdown through cmark in safe mode (raw HTML dropped, javascript:/vbscript:/data: links
// neutralised), so territory-edited pages can never inject markup or scripts.
TrustedHtml render_markdown(std::string_view markdown);

}  // namespace passerelle::html
