#include "platform/i18n/catalog.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "platform/core/resources.hpp"
#include "platform/core/strings.hpp"

namespace passerelle::i18n {

std::string_view code(Locale l) { return l == Locale::en ? "en" : "fr"; }

Locale parse_locale(std::string_view c) { return c.substr(0, 2) == "en" ? Locale::en : Locale::fr; }

Locale from_accept_language(std::string_view header) {
  double best_q = -1;
  Locale best = Locale::fr;
  for (auto part : str::split(header, ',')) {
    part = str::trim(part);
    auto semi = part.find(';');
    auto tag = str::lower_ascii(str::trim(part.substr(0, semi)));
    double q = 1;
    if (semi != std::string_view::npos) {
      auto params = part.substr(semi + 1);
      auto qpos = params.find("q=");
      if (qpos != std::string_view::npos) q = std::strtod(std::string(params.substr(qpos + 2)).c_str(), nullptr);
    }
    std::string_view primary = std::string_view(tag).substr(0, tag.find('-'));
    // q=0 means "not acceptable" (RFC 9110), not "least preferred".
    if ((primary == "fr" || primary == "en") && q > 0 && q > best_q) {
      best_q = q;
      best = primary == "en" ? Locale::en : Locale::fr;
    }
  }
  return best;
}

// Adds one catalogue file to `map`; a key defined twice is a build mistake, refused loudly.
static void load_into(str::Map<std::string>& map, std::string_view json, std::string_view name) {
  auto doc = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw std::runtime_error("catalogue de messages illisible : " + std::string(name));
  for (auto& [k, v] : doc.items())
    if (!map.emplace(k, v.get<std::string>()).second)
      throw std::runtime_error("clé de message en double : " + k + " dans " + std::string(name));
}

Catalog Catalog::from_json(std::string_view fr_json, std::string_view en_json) {
  Catalog c;
  load_into(c.fr_, fr_json, "fr");
  load_into(c.en_, en_json, "en");
  return c;
}

// Each module keeps its own texts in web/locale/<module>/fr.json and en.json, beside the shared
// web/locale/fr.json and en.json; they are merged here.
const Catalog& Catalog::instance() {
  static const Catalog catalog = [] {
    Catalog c;
    for (const auto& r : resources::all()) {
      if (!r.path.starts_with("web/locale/")) continue;
      if (r.path.ends_with("/fr.json")) load_into(c.fr_, r.bytes, r.path);
      else if (r.path.ends_with("/en.json")) load_into(c.en_, r.bytes, r.path);
    }
    return c;
  }();
  return catalog;
}

const std::string* Catalog::find(Locale locale, std::string_view key) const {
  const auto& primary = locale == Locale::en ? en_ : fr_;
  auto it = primary.find(key);
  if (it != primary.end()) return &it->second;
  it = fr_.find(key);
  return it != fr_.end() ? &it->second : nullptr;
}

bool Catalog::has(Locale locale, std::string_view key) const {
  const auto& m = locale == Locale::en ? en_ : fr_;
  return m.count(key) > 0;
}

std::vector<std::string> Catalog::keys(Locale locale) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : locale == Locale::en ? en_ : fr_) out.push_back(k);
  return out;
}

template <class ArgList>
static std::string substitute(const std::string& text, const ArgList& args) {
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      auto end = text.find('}', i);
      if (end != std::string::npos) {
        std::string_view name(text.data() + i + 1, end - i - 1);
        bool replaced = false;
        for (const auto& [k, v] : args)
          if (k == name) {
            out += v;
            replaced = true;
            break;
          }
        if (replaced) {
          i = end;
          continue;
        }
      }
    }
    out += text[i];
  }
  return out;
}

std::string Catalog::tr(Locale locale, std::string_view key, Args args) const {
  const std::string* text = find(locale, key);
  if (!text) return std::string(key);
  if (args.size() == 0) return *text;
  return substitute(*text, args);
}

std::string Catalog::tr(Locale locale, std::string_view key, const std::vector<std::pair<std::string, std::string>>& args) const {
  const std::string* text = find(locale, key);
  if (!text) return std::string(key);
  return substitute(*text, args);
}

}  // namespace passerelle::i18n
