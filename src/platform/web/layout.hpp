#pragma once
// The page shell every HTML page shares (RGAA: skip link, landmarks, one h1, lang, footer
// with the accessibility status) and form helpers that wire labels, hints and errors.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "platform/html/builder.hpp"
#include "platform/http/message.hpp"
#include "platform/result.hpp"
#include "platform/web/app.hpp"

namespace passerelle::web {

struct TerritoryRef {
  int64_t id = 0;
  std::string slug;
  std::string name;
};

struct PageSpec {
  std::string title;                     // <title> and <h1>
  std::optional<TerritoryRef> territory; // footer links go to the territory's legal pages
  std::string notice;                    // a status message shown at the top (role=status)
};

// Returns the whole document; `body` writes what goes inside <main> after the h1.
std::string render_page(Context& ctx, const PageSpec& spec, const std::function<void(html::Builder&)>& body);
http::Response page_response(Context& ctx, const PageSpec& spec, const std::function<void(html::Builder&)>& body, unsigned status = 200);
std::string render_error_page(Context& ctx, unsigned status, const std::string& title, const std::string& text);

// Forms ---------------------------------------------------------------------------------------
struct FormErrors {
  std::vector<Error> errors;
  void add(Error e) { errors.push_back(std::move(e)); }
  bool empty() const { return errors.empty(); }
  const Error* for_field(std::string_view field) const;
};

struct Field {
  std::string_view name;
  std::string label;
  std::string_view type = "text";  // text, email, password, textarea, checkbox, number
  std::string value;
  bool required = false;
  std::string_view autocomplete = {};
  std::string hint;
};

struct Choice {
  std::string value;
  std::string label;
};

// <form method=post> with the CSRF field; `fields` writes the inside.
void form(html::Builder& b, Context& ctx, std::string_view action, const std::function<void(html::Builder&)>& fields,
          std::string_view id = {});
void error_summary(html::Builder& b, Context& ctx, const FormErrors& errors);
void field(html::Builder& b, Context& ctx, const Field& f, const FormErrors& errors);
void select(html::Builder& b, Context& ctx, std::string_view name, const std::string& label, const std::vector<Choice>& choices,
            std::string_view selected, const FormErrors& errors);
void submit(html::Builder& b, const std::string& label);

}  // namespace passerelle::web
