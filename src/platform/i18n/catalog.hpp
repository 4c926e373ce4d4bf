#pragma once
// The message catalogue: every user-facing text is a key looked up here. French is the
// default locale, English the second; an English text missing falls back to French.
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "platform/core/strings.hpp"

namespace passerelle::i18n {

enum class Locale { fr, en };

std::string_view code(Locale l);  // "fr", "en"
Locale parse_locale(std::string_view code);  // unknown → fr
// Picks the best supported locale from an Accept-Language header (q-values honoured).
Locale from_accept_language(std::string_view header);

using Args = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Catalog {
 public:
  // Merges every web/locale/**/fr.json and en.json embedded in the binary.
  static const Catalog& instance();
  static Catalog from_json(std::string_view fr_json, std::string_view en_json);

  // Text for `key`, with {name} placeholders replaced by `args`.
  std::string tr(Locale locale, std::string_view key, Args args = {}) const;
  std::string tr(Locale locale, std::string_view key, const std::vector<std::pair<std::string, std::string>>& args) const;
  bool has(Locale locale, std::string_view key) const;
  std::vector<std::string> keys(Locale locale) const;

 private:
  const std::string* find(Locale locale, std::string_view key) const;
  str::Map<std::string> fr_, en_;  // looked up with a string_view, no allocation per text
};

// Shorthand bound to a locale, as pages use it.
class Tr {
 public:
  explicit Tr(Locale l) : locale(l) {}
  std::string operator()(std::string_view key, Args args = {}) const { return Catalog::instance().tr(locale, key, args); }
  Locale locale;
};

}  // namespace passerelle::i18n
