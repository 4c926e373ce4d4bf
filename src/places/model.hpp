#pragma once
// A lieu de médiation numérique as the national schema "lieux de médiation numérique" v1.0.2
// describes it: its 32 fields in the schema's column order, kept as the schema's text (numbers
// and dates as written, multiple values joined by `|`), and the sources it was read from.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::places {

enum class Field : uint8_t {
  id, pivot, nom, commune, code_postal, code_insee, adresse, complement_adresse, latitude, longitude,
  typologie, telephone, courriels, site_web, horaires, presentation_resume, presentation_detail, source,
  itinerance, structure_parente, date_maj, services, publics_specifiquement_adresses,
  prise_en_charge_specifique, frais_a_charge, dispositif_programmes_nationaux, formations_labels,
  autres_formations_labels, modalites_acces, modalites_accompagnement, fiche_acces_libre, prise_rdv,
};
inline constexpr size_t kFieldCount = 32;

// Schema names, in the schema's order (the header of schema-csv).
extern const std::array<std::string_view, kFieldCount> kFieldNames;
std::optional<Field> field_of(std::string_view name);
inline std::string_view name_of(Field f) { return kFieldNames[static_cast<size_t>(f)]; }

// The placeholder pivot of records without SIRET/RNA: it identifies nothing.
inline constexpr std::string_view kPlaceholderPivot = "00000000000000";
bool is_placeholder_pivot(std::string_view pivot);

// One record as a file gives it, after mapping to the v1 vocabulary.
struct Record {
  std::array<std::string, kFieldCount> values;
  std::string& operator[](Field f) { return values[static_cast<size_t>(f)]; }
  const std::string& operator[](Field f) const { return values[static_cast<size_t>(f)]; }
  std::optional<double> latitude() const;
  std::optional<double> longitude() const;
};

// Provenance of a place: who published which record, last updated when.
struct Source {
  std::string name;       // the record's `source` field, else the file name ("Hinaura", "dora")
  std::string source_id;  // the record's `id` in that source
  std::string date_maj;   // YYYY-MM-DD
  std::string file;       // file it was imported from
  Record record;          // the record as that source gave it (v1 vocabulary)
};

struct Place {
  int64_t id = 0;
  Record fields;  // the merged values (see merge.hpp for which value wins)
  std::vector<Source> sources;  // oldest first
};

// `|`-separated values, trimmed, empty ones dropped; and back.
std::vector<std::string> split_list(std::string_view text, char separator = '|');
std::string join_list(const std::vector<std::string>& values, char separator = '|');

}  // namespace passerelle::places
