#pragma once
// What the HTML of render_markdown must never contain, checked independently of the sanitiser's
// own code: only the tags and attributes cmark writes, no event handler, no script, and no
// href/src whose scheme (read as a browser reads it) could run code or carry a document.
// Shared by the unit test and the fuzz target. Returns "" when the HTML is safe, else why not.
#include <cctype>
#include <string>
#include <string_view>

namespace passerelle::markdown_invariants {

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Decodes the character references cmark may write in attributes (&amp; &quot; &lt; &gt; &#..;).
inline std::string decode_entities(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '&') { out += v[i]; continue; }
    size_t semi = v.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) { out += v[i]; continue; }
    std::string_view ent = v.substr(i + 1, semi - i - 1);
    unsigned long code = 0;
    bool known = true;
    if (ent == "amp") code = '&';
    else if (ent == "quot") code = '"';
    else if (ent == "lt") code = '<';
    else if (ent == "gt") code = '>';
    else if (ent.size() > 1 && ent[0] == '#') {
      bool hex = ent[1] == 'x' || ent[1] == 'X';
      std::string digits(ent.substr(hex ? 2 : 1));
      if (digits.empty() || digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != std::string::npos) known = false;
      else code = std::stoul(digits.substr(0, 7), nullptr, hex ? 16 : 10);
    } else known = false;
    if (!known) { out += v[i]; continue; }
    out += code < 0x80 ? static_cast<char>(code) : '?';  // only ASCII matters for a scheme
    i = semi;
  }
  return out;
}

inline std::string url_problem(std::string_view raw) {
  std::string url;
  for (char c : decode_entities(raw))
    if (static_cast<unsigned char>(c) > 0x20) url += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view bad : {"javascript:", "vbscript:", "data:", "file:", "livescript:"})
    if (url.rfind(bad, 0) == 0) return "dangerous URL " + std::string(raw);
  return {};
}

inline bool allowed_tag(std::string_view t) {
  for (std::string_view ok : {"p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "a", "img", "ul", "ol", "li", "blockquote", "pre",
                              "code", "hr", "br"})
    if (t == ok) return true;
  return false;
}

inline bool allowed_attribute(std::string_view a) {
  return a == "href" || a == "src" || a == "alt" || a == "title" || a == "class" || a == "start";
}

inline std::string html_problem(std::string_view html) {
  if (lower(html).find("<script") != std::string::npos) return "script tag";
  static constexpr std::string_view omitted = "<!-- raw HTML omitted -->";
  for (size_t i = 0; i < html.size(); ++i) {
    if (html[i] == '>') return "stray > outside a tag";
    if (html[i] != '<') continue;
    if (html.substr(i, omitted.size()) == omitted) { i += omitted.size() - 1; continue; }
    size_t j = i + 1;
    if (j < html.size() && html[j] == '/') ++j;
    size_t name_start = j;
    while (j < html.size() && std::isalnum(static_cast<unsigned char>(html[j]))) ++j;
    std::string tag = lower(html.substr(name_start, j - name_start));
    if (!allowed_tag(tag)) return "tag <" + tag + "> at " + std::to_string(i);
    // Attributes: name="value" separated by single spaces, as cmark writes them.
    while (j < html.size() && html[j] != '>') {
      if (html[j] == ' ') { ++j; continue; }
      if (html[j] == '/' && j + 1 < html.size() && html[j + 1] == '>') { ++j; continue; }
      size_t a = j;
      while (j < html.size() && (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == '-')) ++j;
      std::string attr = lower(html.substr(a, j - a));
      if (attr.empty() || j >= html.size() || html[j] != '=' || j + 1 >= html.size() || html[j + 1] != '"')
        return "malformed attribute in <" + tag + "> at " + std::to_string(a);
      if (!allowed_attribute(attr)) return "attribute " + attr + " in <" + tag + ">";
      size_t end = html.find('"', j + 2);
      if (end == std::string_view::npos) return "unterminated attribute " + attr;
      std::string_view value = html.substr(j + 2, end - j - 2);
      if (value.find('<') != std::string_view::npos || value.find('>') != std::string_view::npos) return "unescaped < or > in " + attr;
      if (attr == "href" || attr == "src")
        if (auto p = url_problem(value); !p.empty()) return p;
      j = end + 1;
    }
    if (j >= html.size()) return "unterminated tag <" + tag + ">";
    i = j;
  }
  return {};
}

}  // namespace passerelle::markdown_invariants
