#include "platform/html/markdown.hpp"

#include <cmark.h>

#include <cstdlib>

#include "platform/core/strings.hpp"

namespace passerelle::html {

namespace {
std::string to_html(std::string_view markdown) {
  char* out = cmark_markdown_to_html(markdown.data(), markdown.size(), CMARK_OPT_SAFE | CMARK_OPT_SMART);
  std::string html = out ? out : "";
  std::free(out);
  return html;
}
}  // namespace

TrustedHtml render_markdown(std::string_view markdown) {
  // A territory's summary is rendered on every view of its home page, and cmark costs more than
  // the rest of the page. The HTML depends on the text alone, so each thread remembers the last
  // few results keyed by the whole text: an edited text is another key, never a stale page.
  // Bounded: short texts only, and the table is emptied when full.
  constexpr size_t kMaxEntries = 32, kMaxTextBytes = 8 * 1024;
  if (markdown.size() > kMaxTextBytes) return {to_html(markdown)};
  thread_local str::Map<std::string> memo;
  if (auto it = memo.find(markdown); it != memo.end()) return {it->second};
  if (memo.size() >= kMaxEntries) memo.clear();
  return {memo.emplace(std::string(markdown), to_html(markdown)).first->second};
}

}  // namespace passerelle::html
