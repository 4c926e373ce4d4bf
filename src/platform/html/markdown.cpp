#include "platform/html/markdown.hpp"

#include <cmark.h>

#include <cstdlib>

namespace passerelle::html {

TrustedHtml render_markdown(std::string_view markdown) {
  char* out = cmark_markdown_to_html(markdown.data(), markdown.size(), CMARK_OPT_SAFE | CMARK_OPT_SMART);
  TrustedHtml html{out ? out : ""};
  std::free(out);
  return html;
}

}  // namespace passerelle::html
