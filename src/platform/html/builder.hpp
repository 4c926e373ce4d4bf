#pragma once
// A small typed HTML builder that escapes by default: text and attribute values always go
// through escaping; only `trusted_html` (sanitised Markdown, our own fragments) skips it.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace passerelle::html {

struct Attr {
  std::string_view name;   // attribute names are literals of our code
  std::string_view value;  // escaped
  bool present = true;     // false drops the attribute (boolean attributes, optional ones)
  Attr(std::string_view n, std::string_view v, bool p = true) : name(n), value(v), present(p) {}
};
using Attrs = std::initializer_list<Attr>;

// Marks HTML produced by a sanitiser or by this builder.
struct TrustedHtml {
  std::string html;
};

void escape_into(std::string& out, std::string_view text);
std::string escape(std::string_view text);

class Builder {
 public:
  Builder() { out_.reserve(8192); }
  // <tag attrs> ... closed by close().
  Builder& open(std::string_view tag, Attrs attrs = {});
  Builder& close();
  // <tag attrs>text</tag>
  Builder& el(std::string_view tag, Attrs attrs, std::string_view text);
  Builder& el(std::string_view tag, std::string_view text) { return el(tag, {}, text); }
  // <tag attrs> without a closing tag (input, img, meta, link, br).
  Builder& void_el(std::string_view tag, Attrs attrs = {});
  Builder& text(std::string_view text);
  Builder& trusted(const TrustedHtml& fragment);
  std::string take() { return std::move(out_); }
  size_t depth() const { return stack_.size(); }

  // RAII: closes the element at the end of the scope.
  class Scope {
   public:
    explicit Scope(Builder& b) : b_(b) {}
    ~Scope() { b_.close(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Builder& b_;
  };
  [[nodiscard]] Scope scope(std::string_view tag, Attrs attrs = {}) {
    open(tag, attrs);
    return Scope(*this);
  }

 private:
  void start_tag(std::string_view tag, Attrs attrs);
  std::string out_;
  std::vector<std::string_view> stack_;
};

}  // namespace passerelle::html
