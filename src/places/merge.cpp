#include "places/merge.hpp"

#include <algorithm>
#include <map>

#include "places/communes.hpp"
#include "text/analyzer.hpp"

namespace passerelle::places {

namespace {

// Abbreviations seen in the addresses of research-data, written out so that both spellings meet.
const std::map<std::string, std::string, std::less<>> kAbbreviations = {
    {"av", "avenue"}, {"ave", "avenue"}, {"bd", "boulevard"}, {"bld", "boulevard"}, {"bvd", "boulevard"},
    {"r", "rue"}, {"pl", "place"}, {"rte", "route"}, {"che", "chemin"}, {"chem", "chemin"}, {"imp", "impasse"},
    {"all", "allee"}, {"fg", "faubourg"}, {"fbg", "faubourg"}, {"sq", "square"}, {"st", "saint"},
    {"ste", "sainte"}, {"crs", "cours"}, {"qu", "quai"}, {"res", "residence"}, {"hlm", "hlm"},
};

}  // namespace

std::string normalise_text(std::string_view text) {
  std::string folded = text::fold(text), out, word;
  auto flush = [&] {
    if (word.empty()) return;
    auto it = kAbbreviations.find(word);
    if (!out.empty()) out += ' ';
    out += it == kAbbreviations.end() ? word : it->second;
    word.clear();
  };
  for (char c : folded) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (static_cast<unsigned char>(c) >= 0x80);
    if (alnum) word += c;
    else flush();
  }
  flush();
  return out;
}

std::string address_key(const Record& r) {
  std::string a = normalise_text(r[Field::adresse]);
  return a.empty() ? "" : a + " " + r[Field::code_postal];
}

std::string name_key_of(const Record& r) { return normalise_text(r[Field::nom]); }

std::optional<double> distance_m(const Record& a, const Record& b) {
  auto la = a.latitude(), oa = a.longitude(), lb = b.latitude(), ob = b.longitude();
  if (!la || !oa || !lb || !ob) return std::nullopt;
  return haversine_km(*la, *oa, *lb, *ob) * 1000.0;
}

MatchRule same_place(const Record& a, const Record& b) {
  bool real_a = !is_placeholder_pivot(a[Field::pivot]), real_b = !is_placeholder_pivot(b[Field::pivot]);
  auto key = address_key(a);
  bool same_address = !key.empty() && key == address_key(b);
  auto d = distance_m(a, b);
  bool near = d && *d < kSamePlaceMeters;
  if (real_a && real_b) {
    if (a[Field::pivot] != b[Field::pivot]) return MatchRule::none;
    if (same_address) return MatchRule::pivot_and_address;
    if (near) return MatchRule::pivot_and_distance;
    return MatchRule::none;  // one organisation, several places
  }
  auto name = name_key_of(a);
  if (name.empty() || name != name_key_of(b)) return MatchRule::none;
  if (same_address) return MatchRule::name_and_address;
  if (near) return MatchRule::name_and_distance;
  return MatchRule::none;
}

Record resolve(const std::vector<Source>& sources, const std::string& ident) {
  // Newest last: a stable sort by date keeps import order among equal dates.
  std::vector<const Source*> order;
  for (const auto& s : sources) order.push_back(&s);
  std::stable_sort(order.begin(), order.end(), [](const Source* x, const Source* y) { return x->date_maj < y->date_maj; });
  Record out;
  for (const Source* s : order)
    for (size_t i = 0; i < kFieldCount; ++i)
      if (!s->record.values[i].empty()) out.values[i] = s->record.values[i];
  // Coordinates travel as a pair: never a latitude from one source with another's longitude.
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    if ((*it)->record.latitude() && (*it)->record.longitude()) {
      out[Field::latitude] = (*it)->record[Field::latitude];
      out[Field::longitude] = (*it)->record[Field::longitude];
      break;
    }
  out[Field::id] = ident;
  return out;
}

}  // namespace passerelle::places
