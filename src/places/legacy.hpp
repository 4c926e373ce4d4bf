#pragma once
// The older vocabulary (schema v0.1.1, `;` between values, and the mixed files of 2023) mapped
// to schema v1.0.2. The whole table, and where it was decided rather than read in the change
// log, is docs/places-schema-mapping.md; tests/unit/places/legacy_test.cpp checks it row by row.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "places/model.hpp"
#include "places/schema.hpp"

namespace passerelle::places::legacy {

// Where an old value goes: a v1 field and its value there ("" value: dropped on purpose).
struct Target {
  Field field;
  std::string_view value;
};
struct Mapping {
  std::string_view old_field;  // "services", "publics_accueillis", "conditions_acces", …
  std::string_view old_value;
  std::vector<Target> targets;
};
// Every old list value, in the order of the v0.1.1 schema.
const std::vector<Mapping>& mappings();

// Maps the values of one old list field (`;`, `|` or ", " between values; v1 values are kept as
// they are) into `out`. Unknown values become issues naming the old field.
void map_list(std::string_view old_field, std::string_view text, Record& out, std::vector<Issue>& issues);

// One record of a v0.1.1 (or mixed) JSON file, field by field, into the v1 fields. `fields`
// holds each JSON member as text (numbers written as JSON writes them).
Record map_record(const std::map<std::string, std::string, std::less<>>& fields, std::vector<Issue>& issues);

// One row of the Hub MedNum BFC regional CSV (bfc_id, mise_a_jour, lon, lat, …, code_typo,
// code_label, code_accomp, 14 half-day opening columns), decoded with
// mednum-bfc-fields-custom-props.json; the table is in docs/places-schema-mapping.md.
Record map_bfc(const std::map<std::string, std::string, std::less<>>& fields, std::vector<Issue>& issues);
// One row of the ANCT list of France Services (id_fs, insee_dep, lib_fs, adresse,
// complement_adresse, insee_com, code_postal, lib_com, latitude, longitude, mail, telephone,
// h_lundi…h_samedi "09:00 - 12:00 / 13:30 - 17:00", commentaire, itinerance Oui/Non, format_fs,
// groupe, labellisation); the table is in docs/places-schema-mapping.md ("France Services").
// The file has no date: date_maj is left empty (the import's --date-maj, else the file name's).
Record map_france_services(const std::map<std::string, std::string, std::less<>>& fields, std::vector<Issue>& issues);
// "09:00 - 12:00 / 13:30 - 17:00" → "09:00-12:00,13:30-17:00"; "" for "-" or an empty cell.
std::string france_services_hours(std::string_view cell);

// "8h30-12h" → "08:30-12:00"; nothing when it is not a span of that shape.
std::optional<std::string> bfc_span(std::string_view cell);

// "04 78 12 34 56" with postal code 69001 → "+33478123456"; overseas prefixes by postal code
// (971 → +590…). Unchanged when it is not a French number of the usual shape.
std::string normalise_phone(std::string_view phone, std::string_view postal_code);
// "11/05/2023" or "2023-05-11T08:00:00Z" → "2023-05-11"; unchanged otherwise.
std::string normalise_date(std::string_view date);

}  // namespace passerelle::places::legacy
