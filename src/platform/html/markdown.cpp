#include "platform/html/markdown.hpp"

#include <cmark.h>

#include <cctype>
#include <cstdlib>

#include "platform/core/strings.hpp"

namespace passerelle::html {

bool is_safe_url(std::string_view url) {
  // Browsers ignore leading C0 controls and spaces, and tabs/newlines anywhere in a URL: read the
  // scheme the way they do, so "\x01jav\tascript:" is seen as javascript:.
  std::string scheme;
  size_t i = 0;
  while (i < url.size() && static_cast<unsigned char>(url[i]) <= 0x20) ++i;
  for (; i < url.size(); ++i) {
    char c = url[i];
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == ':') break;
    // A path, query or fragment before any colon: a relative URL, no scheme at all.
    if (c == '/' || c == '?' || c == '#') return true;
    scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (i == url.size()) return true;
  // An allow-list, not a deny-list: data:, javascript:, vbscript:, file: and anything new are out.
  return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
}

namespace {

std::string to_html(std::string_view markdown) {
  constexpr int options = CMARK_OPT_SAFE | CMARK_OPT_SMART;
  cmark_node* doc = cmark_parse_document(markdown.data(), markdown.size(), options);
  if (!doc) return {};
  // cmark's safe mode drops raw HTML and a few schemes but keeps data:image/… URLs; ours is
  // stricter: every link and image URL must pass is_safe_url (cmark has decoded entities, so
  // "jav&#x61;script:" arrives here as "javascript:").
  cmark_iter* it = cmark_iter_new(doc);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(it);
    auto type = cmark_node_get_type(node);
    if (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE) continue;
    const char* url = cmark_node_get_url(node);
    if (url && !is_safe_url(url)) cmark_node_set_url(node, "");
  }
  cmark_iter_free(it);
  char* out = cmark_render_html(doc, options);
  cmark_node_free(doc);
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
