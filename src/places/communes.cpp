#include "places/communes.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <numbers>
#include <stdexcept>

#include "platform/core/resources.hpp"
#include "platform/core/strings.hpp"
#include "text/analyzer.hpp"

namespace passerelle::places {
namespace {

constexpr std::string_view communes_header =
    "code_insee;nom;departement;region;codes_postaux;population;latitude;longitude;fuseau_horaire;source_centre";
constexpr std::string_view departements_header = "code;nom;region;nom_region;zone";
constexpr std::string_view attached_header = "code_insee;nom;commune;type";

// Calls f(line, number) for each line; a final line break is optional, CR LF accepted.
template <class F>
bool each_line(std::string_view text, F&& f) {
  size_t number = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!f(line, ++number)) return false;
    start = end + 1;
  }
  return true;
}

// The cells of a line. The generator never quotes (no name holds ';' or '"'), so a quote means
// the file does not come from it.
template <size_t N>
bool split_cells(std::string_view line, std::array<std::string_view, N>& cells) {
  if (line.find('"') != std::string_view::npos) return false;
  size_t start = 0;
  for (size_t i = 0; i < N; ++i) {
    size_t end = i + 1 == N ? line.size() : line.find(';', start);
    if (end == std::string_view::npos) return false;
    cells[i] = line.substr(start, end - start);
    start = end + 1;
  }
  return cells[N - 1].find(';') == std::string_view::npos;
}

template <class T>
bool parse_number(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

Error malformed(std::string_view file, size_t line) {
  return Error::validation(std::string(file), "places.reference_malformed").with("line", std::to_string(line));
}

bool is_key_char(char c) {  // folded text: ASCII letters and digits, or any non-ASCII byte
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}

// The name key of already folded text; with `bare`, the leading article dropped
// ("l abergement" → "abergement").
std::string key_of_folded(std::string_view folded, bool bare) {
  std::string key;
  key.reserve(folded.size());
  bool first = true;
  for (size_t i = 0; i < folded.size();) {
    while (i < folded.size() && !is_key_char(folded[i])) ++i;
    size_t begin = i;
    while (i < folded.size() && is_key_char(folded[i])) ++i;
    std::string_view word = folded.substr(begin, i - begin);
    if (word.empty()) break;
    bool more = std::any_of(folded.begin() + static_cast<std::ptrdiff_t>(i), folded.end(), is_key_char);
    if (bare && first && more && (word == "le" || word == "la" || word == "les" || word == "l")) word = {};
    else if (word == "saint") word = "st";
    else if (word == "sainte") word = "ste";
    key += word;
    first = false;
  }
  return key;
}

uint64_t hash_of(std::string_view key) { return std::hash<std::string_view>{}(key); }

uint32_t postal_number(std::string_view five_digits) {
  uint32_t n = 0;
  for (char c : five_digits) n = n * 10 + static_cast<uint32_t>(c - '0');
  return n;
}

int64_t population_or_minus_one(const Commune* c) { return c->population.value_or(-1); }

void most_populous_first(std::vector<const Commune*>& list) {
  std::sort(list.begin(), list.end(), [](const Commune* a, const Commune* b) {
    auto pa = population_or_minus_one(a), pb = population_or_minus_one(b);
    return pa != pb ? pa > pb : a->insee < b->insee;
  });
}

}  // namespace

Result<Communes> Communes::parse(std::string_view communes_csv, std::string_view departements_csv, std::string_view attached_csv) {
  Communes r;
  size_t bad_line = 0;
  bool ok = each_line(departements_csv, [&](std::string_view line, size_t n) {
    bad_line = n;
    if (n == 1) return line == departements_header;
    if (line.empty()) return true;
    std::array<std::string_view, 5> c;
    if (!split_cells(line, c) || c[0].empty() || c[1].empty()) return false;
    Zone zone = c[4] == "metro" ? Zone::metro : c[4] == "drom" ? Zone::drom : Zone::com;
    if (zone == Zone::com && c[4] != "com") return false;
    r.departements_.push_back({c[0], c[1], c[2], c[3], zone});
    return true;
  });
  if (!ok || r.departements_.empty()) return malformed("departements.csv", bad_line);
  std::sort(r.departements_.begin(), r.departements_.end(), [](auto& a, auto& b) { return a.code < b.code; });

  std::vector<std::pair<uint32_t, uint32_t>> postal_ranges;  // spans are set once the vector stops growing
  auto lines = static_cast<size_t>(std::count(communes_csv.begin(), communes_csv.end(), '\n'));
  r.communes_.reserve(lines);
  postal_ranges.reserve(lines);
  ok = each_line(communes_csv, [&](std::string_view line, size_t n) {
    bad_line = n;
    if (n == 1) return line == communes_header;
    if (line.empty()) return true;
    std::array<std::string_view, 10> c;
    if (!split_cells(line, c) || c[0].size() != 5 || c[1].empty() || c[8].empty()) return false;
    Commune m;
    m.insee = c[0];
    m.name = c[1];
    m.departement = r.find_departement(c[2]);
    if (!m.departement || m.departement->region != c[3]) return false;
    if (!r.communes_.empty() && !(r.communes_.back().insee < m.insee)) return false;  // binary search
    auto first = static_cast<uint32_t>(r.postal_codes_.size());
    for (size_t s = 0; !c[4].empty() && s <= c[4].size();) {
      size_t e = std::min(c[4].find('|', s), c[4].size());
      if (e - s != 5 || !std::all_of(c[4].begin() + s, c[4].begin() + e, [](char d) { return d >= '0' && d <= '9'; }))
        return false;
      r.postal_codes_.push_back(c[4].substr(s, 5));
      s = e + 1;
    }
    postal_ranges.emplace_back(first, static_cast<uint32_t>(r.postal_codes_.size()) - first);
    if (!c[5].empty()) {
      int64_t population = 0;
      if (!parse_number(c[5], population) || population < 0) return false;
      m.population = population;
    }
    if (!c[6].empty() || !c[7].empty()) {
      Point p;
      if (!parse_number(c[6], p.lat) || !parse_number(c[7], p.lon)) return false;
      m.centre = p;
    }
    m.time_zone = c[8];
    if (c[9] == "p") m.centre_source = CentreSource::la_poste;
    else if (c[9] == "a") m.centre_source = CentreSource::former_communes;
    else if (c[9] == "d") m.centre_source = CentreSource::absorbing_commune;
    else if (c[9] == "l") m.centre_source = CentreSource::lieux;
    else if (!c[9].empty()) return false;
    if (m.centre.has_value() != (m.centre_source != CentreSource::none)) return false;
    r.communes_.push_back(m);
    return true;
  });
  if (!ok || r.communes_.empty()) return malformed("communes.csv", bad_line);

  ok = attached_csv.empty() || each_line(attached_csv, [&](std::string_view line, size_t n) {
    bad_line = n;
    if (n == 1) return line == attached_header;
    if (line.empty()) return true;
    std::array<std::string_view, 4> c;
    if (!split_cells(line, c) || c[0].size() != 5 || c[3].empty()) return false;
    if (!r.attached_.empty() && !(r.attached_.back().first < c[0])) return false;  // sorted, once each
    const Commune* parent = r.find_current(c[2]);
    if (!parent || r.find_current(c[0])) return false;
    r.attached_.emplace_back(c[0], static_cast<uint32_t>(parent - r.communes_.data()));
    return true;
  });
  if (!ok) return malformed("communes-rattachees.csv", bad_line);

  r.departement_population_.assign(r.departements_.size(), std::nullopt);
  r.by_postal_.reserve(r.postal_codes_.size());
  r.by_name_.reserve(r.communes_.size());
  r.by_bare_name_.reserve(r.communes_.size());
  for (uint32_t i = 0; i < r.communes_.size(); ++i) {
    Commune& m = r.communes_[i];
    m.postal_codes = std::span<const std::string_view>(r.postal_codes_).subspan(postal_ranges[i].first, postal_ranges[i].second);
    for (auto code : m.postal_codes) r.by_postal_.emplace_back(postal_number(code), i);
    if (m.population) {
      auto& total = r.departement_population_[static_cast<size_t>(m.departement - r.departements_.data())];
      total = total.value_or(0) + *m.population;
    }
    std::string folded = text::fold(m.name);
    for (bool bare : {false, true}) {
      std::string key = key_of_folded(folded, bare);
      (bare ? r.by_bare_name_ : r.by_name_).push_back({hash_of(key), static_cast<uint32_t>(r.keys_.size()), static_cast<uint32_t>(key.size()), i});
      r.keys_ += key;
    }
  }
  std::sort(r.by_postal_.begin(), r.by_postal_.end());
  auto by_hash = [](const Keyed& a, const Keyed& b) { return a.hash != b.hash ? a.hash < b.hash : a.commune < b.commune; };
  std::sort(r.by_name_.begin(), r.by_name_.end(), by_hash);
  std::sort(r.by_bare_name_.begin(), r.by_bare_name_.end(), by_hash);
  return r;
}

const Communes& Communes::embedded() {
  static const Communes instance = [] {
    auto communes = resources::find("data/places/communes.csv");
    auto departements = resources::find("data/places/departements.csv");
    auto attached = resources::find("data/places/communes-rattachees.csv");
    if (!communes || !departements || !attached) throw std::runtime_error("data/places/*.csv is not embedded");
    auto parsed = parse(*communes, *departements, *attached);
    if (!parsed) throw std::runtime_error("data/places/" + parsed.error().field + " is malformed");
    return std::move(parsed.value());
  }();
  return instance;
}

const Commune* Communes::find_current(std::string_view insee) const {
  auto it = std::lower_bound(communes_.begin(), communes_.end(), insee, [](const Commune& c, std::string_view code) { return c.insee < code; });
  return it != communes_.end() && it->insee == insee ? &*it : nullptr;
}

const Commune* Communes::find_by_insee(std::string_view insee) const {
  if (const Commune* current = find_current(insee)) return current;
  auto at = std::lower_bound(attached_.begin(), attached_.end(), insee, [](const auto& a, std::string_view code) { return a.first < code; });
  return at != attached_.end() && at->first == insee ? &communes_[at->second] : nullptr;
}

std::vector<const Commune*> Communes::find_by_postal_code(std::string_view postal_code) const {
  std::vector<const Commune*> out;
  auto code = normalize_postal_code(postal_code);
  if (!code) return out;
  uint32_t number = postal_number(*code);
  auto it = std::lower_bound(by_postal_.begin(), by_postal_.end(), std::pair<uint32_t, uint32_t>(number, 0));
  for (; it != by_postal_.end() && it->first == number; ++it) out.push_back(&communes_[it->second]);
  most_populous_first(out);
  return out;
}

std::vector<const Commune*> Communes::lookup(const std::vector<Keyed>& index, std::string_view key, const Within& within) const {
  std::vector<const Commune*> out;
  std::string_view keys(keys_);
  uint64_t hash = hash_of(key);
  auto it = std::lower_bound(index.begin(), index.end(), hash, [](const Keyed& k, uint64_t h) { return k.hash < h; });
  auto postal = within.postal_code.empty() ? std::nullopt : normalize_postal_code(within.postal_code);
  if (!within.postal_code.empty() && !postal) return out;
  for (; it != index.end() && it->hash == hash; ++it) {
    if (keys.substr(it->offset, it->length) != key) continue;  // a collision
    const Commune& c = communes_[it->commune];
    if (!within.departement.empty() && !str::iequals(c.departement->code, within.departement)) continue;
    if (postal && std::find(c.postal_codes.begin(), c.postal_codes.end(), *postal) == c.postal_codes.end()) continue;
    out.push_back(&c);
  }
  most_populous_first(out);
  return out;
}

std::vector<const Commune*> Communes::find_by_name(std::string_view name, Within within) const {
  std::string folded = text::fold(name);
  std::string key = key_of_folded(folded, false);
  if (key.empty()) return {};
  auto found = lookup(by_name_, key, within);
  return found.empty() ? lookup(by_bare_name_, key_of_folded(folded, true), within) : found;
}

const Departement* Communes::find_departement(std::string_view code) const {
  auto it = std::lower_bound(departements_.begin(), departements_.end(), code, [](const Departement& d, std::string_view c) { return d.code < c; });
  if (it != departements_.end() && it->code == code) return &*it;
  if (code.size() == 2 && (code[1] == 'a' || code[1] == 'b'))  // "2a", "2b"
    return find_departement(code[1] == 'a' ? "2A" : "2B");
  return nullptr;
}

std::optional<std::string_view> Communes::region_name(std::string_view code) const {
  for (const auto& d : departements_)
    if (d.region == code) return d.region_name;
  return std::nullopt;
}

std::vector<std::string_view> Communes::departements_of_postal_code(std::string_view postal_code) const {
  std::vector<std::pair<std::string_view, int>> counts;
  for (const Commune* c : find_by_postal_code(postal_code)) {
    auto it = std::find_if(counts.begin(), counts.end(), [&](auto& p) { return p.first == c->departement->code; });
    if (it == counts.end()) counts.emplace_back(c->departement->code, 1);
    else ++it->second;
  }
  std::sort(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  std::vector<std::string_view> out;
  for (auto& [code, n] : counts) out.push_back(code);
  return out;
}

std::optional<int64_t> Communes::departement_population(std::string_view code) const {
  const Departement* d = find_departement(code);
  return d ? departement_population_[static_cast<size_t>(d - departements_.data())] : std::nullopt;
}

std::optional<std::string> normalize_postal_code(std::string_view text) {
  std::string code;
  for (char c : text) {
    if (c == ' ') continue;
    if (c < '0' || c > '9' || code.size() == 5) return std::nullopt;
    code += c;
  }
  if (code.size() == 4) code.insert(code.begin(), '0');
  if (code.size() != 5) return std::nullopt;
  return code;
}

std::string name_key(std::string_view name) { return key_of_folded(text::fold(name), false); }

double haversine_km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double radians = std::numbers::pi / 180.0;
  double dlat = (lat2 - lat1) * radians, dlon = (lon2 - lon1) * radians;
  double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(lat1 * radians) * std::cos(lat2 * radians) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * 6371.0088 * std::asin(std::min(1.0, std::sqrt(a)));
}

// in_france. Overseas, bounding boxes are enough: each territory is an island, an archipelago
// or (Guyane) a land whose box only adds strips of Suriname and Brazil along the border rivers.
// Metropolitan France is a polygon instead, since its box would hold Brussels, Geneva and
// Barcelona. Its 191 vertices follow the land borders to within about 2 km (border towns on
// both sides, such as Vogelgrun and Breisach, can fall either way; Monaco and Llívia fall
// inside) and run a little offshore along the coasts, so that every commune centre of
// communes.csv falls inside (checked by the tests) and the Channel Islands outside.
namespace {

struct Box {
  double lat_min, lat_max, lon_min, lon_max;
};

constexpr Box overseas[] = {
    {41.33, 43.03, 8.53, 9.57},         // Corse (Sardinia begins at 41.31)
    {15.80, 16.55, -61.85, -60.95},     // Guadeloupe, Marie-Galante, Les Saintes, La Désirade
    {17.85, 17.98, -62.95, -62.78},     // Saint-Barthélemy
    {18.04, 18.13, -63.16, -62.96},     // Saint-Martin (the Dutch part north of 18.04° too)
    {14.38, 14.89, -61.24, -60.80},     // Martinique
    {2.10, 5.80, -54.62, -51.60},       // Guyane
    {-21.40, -20.85, 55.20, 55.85},     // La Réunion
    {-13.05, -12.60, 44.95, 45.35},     // Mayotte
    {46.74, 47.15, -56.45, -56.10},     // Saint-Pierre-et-Miquelon
    {-13.40, -13.15, -176.30, -176.05}, // Wallis
    {-14.40, -14.20, -178.25, -177.95}, // Futuna and Alofi
    {-28.00, -13.90, -154.80, -134.40}, // Polynésie: Society, Tuamotu, Gambier, Austral islands
    {-11.00, -7.80, -141.00, -138.40},  // Polynésie: Marquesas (apart, to leave out Kiribati's Line Islands)
    {-22.95, -17.90, 163.50, 168.20},   // Nouvelle-Calédonie: Grande Terre, Loyalty Islands, Belep, Île des Pins
    {10.27, 10.33, -109.25, -109.18},   // Clipperton
    {-50.05, -48.40, 68.60, 70.60},     // TAAF: Kerguelen
    {-46.50, -45.90, 50.10, 52.30},     // TAAF: Crozet
    {-38.80, -37.75, 77.45, 77.65},     // TAAF: Saint-Paul and Amsterdam
    {-15.92, -15.87, 54.50, 54.55},     // TAAF: Tromelin
    {-11.60, -11.50, 47.25, 47.45},     // TAAF: Glorieuses
    {-17.10, -17.02, 42.68, 42.78},     // TAAF: Juan de Nova
    {-21.52, -21.42, 39.62, 39.75},     // TAAF: Bassas da India
    {-22.40, -22.32, 40.30, 40.40},     // TAAF: Europa
    {-90.00, -66.00, 136.00, 142.00},   // TAAF: Terre Adélie (the sector claimed)
};

// Clockwise from the Belgian border on the North Sea; {latitude, longitude}.
constexpr Point mainland[] = {
    // Belgium, from the North Sea
    {51.09,2.55},{50.90,2.62},{50.70,2.88},{50.775,3.00},{50.80,3.12},{50.70,3.25},{50.55,3.28},
    {50.52,3.49},{50.49,3.60},{50.46,3.66},{50.40,3.68},{50.36,3.80},{50.35,3.95},{50.35,4.02},
    {50.33,4.06},{50.30,4.12},{50.27,4.21},{50.22,4.20},{50.17,4.15},{50.12,4.19},{50.10,4.23},
    {50.06,4.24},{50.04,4.17},{49.99,4.15},{49.97,4.45},{50.03,4.62},{50.08,4.68},{50.11,4.715},
    {50.13,4.76},{50.17,4.84},{50.10,4.89},{49.88,4.86},{49.78,4.97},{49.69,5.30},{49.62,5.40},
    {49.56,5.55},{49.55,5.82},
    // Luxembourg
    {49.48,5.98},{49.455,6.10},{49.51,6.17},{49.51,6.27},{49.47,6.37},
    // Germany, then the Rhine
    {49.47,6.45},{49.44,6.545},{49.38,6.60},{49.30,6.63},{49.25,6.70},{49.22,6.78},{49.225,6.86},
    {49.225,6.93},{49.19,7.01},{49.16,7.05},{49.14,7.12},{49.12,7.19},{49.165,7.33},{49.19,7.42},
    {49.16,7.50},{49.12,7.55},{49.06,7.70},{49.05,7.95},{48.97,8.23},{48.89,8.17},{48.82,8.12},
    {48.76,8.00},{48.69,7.94},{48.57,7.805},{48.30,7.73},{48.15,7.60},{48.01,7.595},{47.97,7.62},
    {47.82,7.555},{47.59,7.59},
    // Switzerland: Sundgau, Ajoie, the Doubs, Jura, Geneva's canton and the lake left out, Valais
    {47.55,7.54},{47.50,7.49},{47.48,7.46},{47.465,7.425},{47.43,7.37},{47.42,7.25},{47.44,7.19},
    {47.47,7.15},{47.47,7.10},{47.49,7.02},{47.44,6.995},{47.42,6.95},{47.375,6.89},{47.355,6.95},
    {47.37,7.04},{47.33,7.07},{47.28,7.00},{47.25,6.95},{47.15,6.82},{47.06,6.70},{46.98,6.55},
    {46.90,6.46},{46.83,6.46},{46.72,6.40},{46.62,6.25},{46.47,6.09},{46.38,6.13},{46.27,6.13},
    {46.23,6.09},{46.20,6.00},{46.15,5.97},{46.16,6.06},{46.165,6.17},{46.20,6.21},{46.30,6.24},
    {46.40,6.32},{46.46,6.55},{46.39,6.80},{46.26,6.84},{46.18,6.83},{46.10,6.95},{45.92,7.04},
    // Italy
    {45.83,6.86},{45.68,6.88},{45.45,7.10},{45.35,7.18},{45.23,7.00},{45.10,6.65},{44.93,6.75},
    {44.85,6.95},{44.76,7.03},{44.68,6.98},{44.42,6.90},{44.15,7.70},{43.78,7.53},
    // Mediterranean, offshore
    {43.70,7.50},{43.40,6.90},{42.95,6.40},{43.05,5.80},{43.10,5.30},{43.35,4.50},{43.30,3.60},
    {42.70,3.15},{42.43,3.17},
    // Spain: Cerdagne (Llívia, a Spanish enclave, falls inside), Andorra left out, Val d'Aran, Basque Country
    {42.45,2.86},{42.345,2.64},{42.32,2.52},{42.38,2.40},{42.38,2.30},{42.36,2.10},{42.37,1.98},
    {42.43,1.94},{42.50,1.73},{42.66,1.73},{42.62,1.42},{42.72,1.10},{42.80,0.93},{42.845,0.70},
    {42.78,0.67},{42.70,0.64},{42.68,0.40},{42.70,0.00},{42.80,-0.55},{42.95,-0.80},{43.00,-1.10},
    {43.02,-1.30},{43.03,-1.45},{43.15,-1.45},{43.28,-1.50},{43.29,-1.60},{43.31,-1.72},{43.355,-1.785},
    // Atlantic, offshore
    {43.45,-1.65},{44.00,-1.45},{44.65,-1.30},{45.55,-1.30},{45.90,-1.45},{46.20,-1.65},
    {46.70,-2.45},{47.00,-2.35},{47.25,-3.35},{47.60,-3.65},{47.70,-4.05},{47.78,-4.45},
    {48.02,-4.95},{48.45,-5.20},{48.75,-4.60},{48.90,-3.50},{48.90,-2.95},{48.72,-2.20},
    // Channel, leaving Jersey (and the Minquiers), Guernsey and Alderney out
    {48.85,-1.90},{49.30,-1.88},{49.75,-2.00},{49.75,-1.20},{50.10,1.35},{50.40,1.50},
    {50.88,1.52},{51.02,1.85},{51.08,2.35},
};

bool in_mainland(double lat, double lon) {  // ray casting: crossings of a ray going west
  bool inside = false;
  constexpr size_t n = std::size(mainland);
  for (size_t i = 0, j = n - 1; i < n; j = i++) {
    const Point &a = mainland[i], &b = mainland[j];
    if ((a.lat > lat) != (b.lat > lat) && lon < a.lon + (lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat))
      inside = !inside;
  }
  return inside;
}

}  // namespace

bool in_france(double lat, double lon) {
  if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) return false;  // NaN too
  for (const Box& b : overseas)
    if (lat >= b.lat_min && lat <= b.lat_max && lon >= b.lon_min && lon <= b.lon_max) return true;
  return lat > 42 && lat < 51.2 && lon > -5.3 && lon < 8.3 && in_mainland(lat, lon);
}

}  // namespace passerelle::places
