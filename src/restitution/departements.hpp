#pragma once
// Postal code → département, from the La Poste table (data/territoires/laposte-hexasmal-2020.csv,
// ODbL) through the INSEE codes of the communes: 2A/2B for Corsica, 971…976 overseas, and postal
// codes whose communes lie in several départements (e.g. 05110: Hautes-Alpes and
// Alpes-de-Haute-Provence) give all of them, the one with most communes first.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::restitution {

// Départements of a postal code ("" or unknown code: empty). Spaces inside are ignored
// ("75 010"); a four-digit code gets its leading zero back ("1000" → "01000").
std::vector<std::string> departements_of_postal_code(std::string_view postal_code);
// "Corse-du-Sud" for "2A"; the code itself when unknown.
std::string departement_name(std::string_view code);
// Municipal population of a département (sum of its communes, decoupage-administratif 6.0.0);
// nothing when unknown.
std::optional<int64_t> departement_population(std::string_view code);

}  // namespace passerelle::restitution
