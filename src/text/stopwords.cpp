// French stop words: the Snowball French list (snowballstem.org/algorithms/french/stop.txt),
// folded like every word (à → a, été → ete, même → meme), plus a few determiners and
// conjunctions it lacks (cet, cette, ça, dont, si, ni, car, donc, ceux, celle, celles, celui).
#include <string_view>
#include <unordered_set>

#include "text/analyzer.hpp"

namespace passerelle::text {
namespace {

constexpr std::string_view stop_words[] = {
    // Snowball French list
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il",
    "ils", "je", "la", "le", "les", "leur", "lui", "ma", "mais", "me", "meme", "mes", "moi", "mon",
    "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se",
    "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous",
    "c", "d", "j", "l", "a", "m", "n", "s", "t", "y", "ete", "etee", "etees", "etes", "etant",
    "etante", "etants", "etantes", "suis", "es", "est", "sommes", "sont", "serai", "seras", "sera",
    "serons", "serez", "seront", "serais", "serait", "serions", "seriez", "seraient", "etais",
    "etait", "etions", "etiez", "etaient", "fus", "fut", "fumes", "futes", "furent", "sois", "soit",
    "soyons", "soyez", "soient", "fusse", "fusses", "fussions", "fussiez", "fussent", "ayant",
    "ayante", "ayantes", "ayants", "eu", "eue", "eues", "eus", "ai", "as", "avons", "avez", "ont",
    "aurai", "auras", "aura", "aurons", "aurez", "auront", "aurais", "aurait", "aurions", "auriez",
    "auraient", "avais", "avait", "avions", "aviez", "avaient", "eut", "eumes", "eutes", "eurent",
    "aie", "aies", "ait", "ayons", "ayez", "aient", "eusse", "eusses", "eussions", "eussiez",
    "eussent",
    // additions
    "cet", "cette", "ca", "dont", "si", "ni", "car", "donc", "ceux", "celle", "celles", "celui",
};

constexpr size_t longest_stop_word = 8;  // "fussions", "seraient"…

}  // namespace

bool is_stopword(std::string_view folded) {
  if (folded.empty() || folded.size() > longest_stop_word) return false;
  static const std::unordered_set<std::string_view> set(std::begin(stop_words), std::end(stop_words));
  return set.contains(folded);
}

}  // namespace passerelle::text
