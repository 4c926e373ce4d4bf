#include "platform/html/builder.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace passerelle::html {

namespace {
// Non-zero when one of the eight bytes of `word` is `c` (the classic "has a zero byte" test on
// word ^ cccccccc): lets escape_into skip eight ordinary characters with a few instructions.
constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
constexpr uint64_t has_byte(uint64_t word, unsigned char c) {
  uint64_t x = word ^ (kOnes * c);
  return (x - kOnes) & ~x & kHighs;
}
bool has_special(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return has_byte(w, '&') | has_byte(w, '<') | has_byte(w, '>') | has_byte(w, '"') | has_byte(w, '\'');
}
}  // namespace

void escape_into(std::string& out, std::string_view text) {
  // Hot on every page: copy each run of characters that need no escaping in one append rather
  // than one character at a time, and step over blocks of eight ordinary characters at once.
  size_t run = 0, i = 0;  // run: start of the pending run of ordinary characters
  while (i < text.size()) {
    if (i + 8 <= text.size() && !has_special(text.data() + i)) {
      i += 8;
      continue;
    }
    for (size_t end = std::min(i + 8, text.size()); i < end; ++i) {
      std::string_view entity;
      switch (text[i]) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: continue;
      }
      out.append(text.data() + run, i - run);
      out += entity;
      run = i + 1;
    }
  }
  out.append(text.data() + run, text.size() - run);
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  escape_into(out, text);
  return out;
}

void Builder::start_tag(std::string_view tag, Attrs attrs) {
  out_ += '<';
  out_ += tag;
  for (const auto& a : attrs) {
    if (!a.present) continue;
    out_ += ' ';
    out_ += a.name;
    out_ += "=\"";
    escape_into(out_, a.value);
    out_ += '"';
  }
  out_ += '>';
}

Builder& Builder::open(std::string_view tag, Attrs attrs) {
  start_tag(tag, attrs);
  stack_.push_back(tag);
  return *this;
}

Builder& Builder::close() {
  if (stack_.empty()) throw std::logic_error("html::Builder::close without open element");
  out_ += "</";
  out_ += stack_.back();
  out_ += '>';
  stack_.pop_back();
  return *this;
}

Builder& Builder::el(std::string_view tag, Attrs attrs, std::string_view text) {
  start_tag(tag, attrs);
  escape_into(out_, text);
  out_ += "</";
  out_ += tag;
  out_ += '>';
  return *this;
}

Builder& Builder::void_el(std::string_view tag, Attrs attrs) {
  start_tag(tag, attrs);
  return *this;
}

Builder& Builder::text(std::string_view text) {
  escape_into(out_, text);
  return *this;
}

Builder& Builder::trusted(const TrustedHtml& fragment) {
  out_ += fragment.html;
  return *this;
}

}  // namespace passerelle::html
