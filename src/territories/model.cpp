#include "territories/model.hpp"

#include "platform/core/strings.hpp"

namespace passerelle::territories {

bool valid_slug(std::string_view slug) {
  if (slug.size() < 2 || slug.size() > 60 || slug.front() == '-' || slug.back() == '-') return false;
  for (char c : slug)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool valid_insee(std::string_view code) {
  if (code.size() != 5) return false;
  bool corsica = (code[0] == '2' && (code[1] == 'A' || code[1] == 'B'));
  for (size_t i = 0; i < 5; ++i)
    if (!(code[i] >= '0' && code[i] <= '9') && !(corsica && i == 1)) return false;
  return true;
}

bool is_legal_page(std::string_view page) {
  for (const char* p : kLegalPages)
    if (page == p) return true;
  return false;
}

Result<std::vector<std::string>> validate(const NewTerritory& t, Errors& errors) {
  if (!valid_slug(t.slug)) errors.push_back(Error::validation("slug", "territory.slug_invalid"));
  auto name = str::trim(t.name);
  if (name.empty() || name.size() > 200) errors.push_back(Error::validation("name", "territory.name_required"));
  static const char* kinds[] = {"commune", "intercommunalite", "departement", "region", "autre"};
  bool kind_ok = false;
  for (const char* k : kinds) kind_ok |= t.kind == k;
  if (!kind_ok) errors.push_back(Error::validation("kind", "territory.kind_invalid"));
  std::vector<std::string> codes;
  std::string normalised = t.insee_codes;
  for (char& c : normalised)
    if (c == ',' || c == ';' || c == '\n' || c == '\r' || c == '\t') c = ' ';  // browsers send textarea lines as CR LF
  for (auto part : str::split(normalised, ' ')) {
    if (part.empty()) continue;
    if (!valid_insee(part)) {
      errors.push_back(Error::validation("insee", "territory.insee_invalid").with("code", std::string(part)));
      break;
    }
    codes.emplace_back(part);
  }
  if (!errors.empty()) return errors.front();
  return codes;
}

}  // namespace passerelle::territories
