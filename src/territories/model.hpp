#pragma once
#include <string>
#include <vector>

#include "platform/result.hpp"

namespace passerelle::territories {

struct Territory {
  int64_t id = 0;
  std::string slug;
  std::string name;
  std::string kind;  // commune, intercommunalite, departement, region, autre
  std::vector<std::string> insee_codes;
  std::string summary;
  int64_t created_at = 0;
};

struct NewTerritory {
  std::string slug;
  std::string name;
  std::string kind = "commune";
  std::string insee_codes;  // comma- or space-separated, as typed
  std::string summary;
};

// Checks a new territory; each error names its field. Returns the normalised INSEE codes.
Result<std::vector<std::string>> validate(const NewTerritory& t, Errors& errors);
bool valid_slug(std::string_view slug);
// INSEE commune code: 5 characters, département first (2A/2B for Corsica, 97x/98x overseas).
bool valid_insee(std::string_view code);

// The four pages a French public body must publish, editable per territory.
inline constexpr const char* kLegalPages[] = {"mentions-legales", "accessibilite", "donnees-personnelles", "charte"};
bool is_legal_page(std::string_view page);

}  // namespace passerelle::territories
