#pragma once
// When two records are the same place, and which value the merged place shows
// (docs/places.md, "Fusion des sources").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "places/model.hpp"

namespace passerelle::places {

inline constexpr double kSamePlaceMeters = 50.0;

// Folded (case, accents), punctuation as spaces, common abbreviations spelt out ("av" → "avenue",
// "st" → "saint"), single spaces: "12 Bis, Av. de l'Europe" → "12 bis avenue de l europe".
std::string normalise_text(std::string_view text);
// Address key: normalised `adresse` and the postal code; "" without an address.
std::string address_key(const Record& r);
std::string name_key_of(const Record& r);

enum class MatchRule { none, pivot_and_address, pivot_and_distance, name_and_address, name_and_distance };
// Whether `a` and `b` describe the same place:
//  - same real pivot (SIRET/RNA, never 00000000000000) and the same address or under 50 m apart;
//  - two different real pivots: never (two organisations);
//  - otherwise the same normalised name and the same address or under 50 m apart.
MatchRule same_place(const Record& a, const Record& b);
// Distance in metres when both have coordinates.
std::optional<double> distance_m(const Record& a, const Record& b);

// The merged values of a place from its sources: each field takes the non-empty value of the
// source with the newest date_maj (on equal dates, the source imported last). `id` is kept from
// `ident`, the place's own identifier.
Record resolve(const std::vector<Source>& sources, const std::string& ident);

}  // namespace passerelle::places
