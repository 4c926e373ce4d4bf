#include "platform/html/builder.hpp"

#include <stdexcept>

namespace passerelle::html {

void escape_into(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
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
