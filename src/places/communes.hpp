#pragma once
// The communes reference shipped with the product (data/places/communes.csv and
// departements.csv, embedded in the binary; sources and licences in data/places/README.md):
// every current commune of France, overseas included, with its postal codes, population, centre
// and time zone. Immutable once loaded, so any number of threads may read it.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/result.hpp"

namespace passerelle::places {

enum class Zone : uint8_t { metro, drom, com };  // metropolitan France, DROM, other collectivités

// Where a commune's centre comes from (column source_centre of communes.csv).
enum class CentreSource : uint8_t {
  none,               // no open data at hand places it
  la_poste,           // La Poste 2020 point of its INSEE code
  former_communes,    // average of the points of its former communes or arrondissements
  absorbing_commune,  // point of the 2020 commune that held it or bore its name (approximate)
  lieux,              // median of its lieux de médiation numérique (New Caledonia, approximate)
};

struct Point {
  double lat = 0;
  double lon = 0;
};

struct Departement {
  std::string_view code;         // "25", "2A", "974", "988"
  std::string_view name;         // "Doubs"
  std::string_view region;       // "27"
  std::string_view region_name;  // "Bourgogne-Franche-Comté"
  Zone zone = Zone::metro;
};

struct Commune {
  std::string_view insee;                          // "25056"
  std::string_view name;                           // "Besançon"
  const Departement* departement = nullptr;        // never null in a loaded reference
  std::span<const std::string_view> postal_codes;  // "25000", "25010"…; empty for the TAAF
  std::optional<int64_t> population;               // municipal population; none for the TAAF
  std::optional<Point> centre;
  CentreSource centre_source = CentreSource::none;
  std::string_view time_zone;                      // IANA: "Europe/Paris", "Indian/Reunion"
};

// Narrows a search by name ("Saint-Denis" in "974", or with postal code "93200").
struct Within {
  std::string_view departement;
  std::string_view postal_code;
};

class Communes {
 public:
  // The embedded reference, parsed on first use (about 20 ms). A missing or malformed resource
  // is a broken build: std::runtime_error.
  static const Communes& embedded();
  // Parses the files (communes-rattachees.csv may be left out). The texts must outlive the
  // result: it keeps views into them.
  static Result<Communes> parse(std::string_view communes_csv, std::string_view departements_csv, std::string_view attached_csv = {});

  Communes(Communes&&) noexcept = default;
  Communes& operator=(Communes&&) noexcept = default;
  Communes(const Communes&) = delete;  // communes point into their own tables
  Communes& operator=(const Communes&) = delete;

  std::span<const Commune> all() const { return communes_; }  // by INSEE code
  std::span<const Departement> departements() const { return departements_; }  // by code

  // The current commune of an INSEE code, nullptr when unknown. The code of an arrondissement
  // municipal (75112) or of a commune déléguée or associée (49069) gives the commune it is part
  // of (75056 Paris, 49126 Orée-d'Anjou): data still uses them, and they are valid COG codes.
  const Commune* find_by_insee(std::string_view insee) const;
  // Communes of a postal code (normalised as normalize_postal_code does), most populous first.
  std::vector<const Commune*> find_by_postal_code(std::string_view postal_code) const;
  // Communes named `name`, compared by name_key ("st etienne" finds Saint-Étienne); when none
  // matches, the leading article is optional ("Havre" finds Le Havre). Most populous first.
  std::vector<const Commune*> find_by_name(std::string_view name, Within within = {}) const;
  const Departement* find_departement(std::string_view code) const;  // nullptr when unknown
  // Name of a région ("27", "04", "988"); nothing when unknown.
  std::optional<std::string_view> region_name(std::string_view code) const;

  // What restitution's departements_of_postal_code and departement_population answer, from this
  // table: départements of the communes of a postal code, most communes first (then by code);
  // sum of the communes' population.
  std::vector<std::string_view> departements_of_postal_code(std::string_view postal_code) const;
  std::optional<int64_t> departement_population(std::string_view code) const;

 private:
  Communes() = default;
  const Commune* find_current(std::string_view insee) const;  // a row of communes.csv only
  // Name indexes are sorted by the key's hash (sorting 35 000 strings would take most of the
  // load time); a lookup compares the keys of equal hashes. Key bytes: keys_.substr(offset, length).
  struct Keyed {
    uint64_t hash;
    uint32_t offset, length, commune;
  };
  std::vector<const Commune*> lookup(const std::vector<Keyed>& index, std::string_view key, const Within& within) const;
  std::vector<Departement> departements_;
  std::vector<std::optional<int64_t>> departement_population_;  // parallel to departements_
  std::vector<Commune> communes_;
  std::vector<std::string_view> postal_codes_;        // what the communes' spans point into
  std::vector<std::pair<uint32_t, uint32_t>> by_postal_;  // (postal code as a number, commune)
  std::string keys_;                                  // name keys, back to back
  std::vector<Keyed> by_name_, by_bare_name_;         // bare: without the leading article
  std::vector<std::pair<std::string_view, uint32_t>> attached_;  // (attached code, its commune), by code
};

// "75 010" → "75010", "1000" → "01000" (a spreadsheet lost the zero); nothing unless five digits.
std::optional<std::string> normalize_postal_code(std::string_view text);
// The key names are compared by: French folding (text::fold: case, accents, ligatures), "saint"
// and "sainte" as "st" and "ste", every space, hyphen, apostrophe or dot dropped:
// "Saint-Étienne", "ST ETIENNE" and "st-etienne" all give "stetienne".
std::string name_key(std::string_view name);

// Great-circle distance in kilometres (mean Earth radius 6371.0088 km).
double haversine_km(double lat1, double lon1, double lat2, double lon2);
// Whether a point lies in France: metropolitan France (a coarse outline, within about 2 km of
// the land borders), Corsica and each overseas territory (bounding boxes). See communes.cpp.
bool in_france(double lat, double lon);

}  // namespace passerelle::places
