#pragma once
// The query string of /api/v1/places, /lieux and /lieux/orientation turned into a Query, with
// a precise French error naming the parameter for anything malformed (nothing is guessed).
#include <optional>
#include <string>

#include "places/search.hpp"
#include "platform/http/message.hpp"
#include "platform/result.hpp"

namespace passerelle::places {

struct SearchRequest {
  Query query;
  std::optional<Origin> origin;
};

inline constexpr size_t kMaxPerPage = 100;
inline constexpr size_t kMaxPage = 1000;
inline constexpr double kMaxRadiusKm = 2000;

// Parameters: q, services, publics, modalites, frais, typologie (comma lists, or repeated), near,
// commune, code_postal, lieu (pages only: a postal code, an INSEE code or a commune's name),
// radius_km, open_now, open_at, page, per_page. Errors: Error::validation(param, key) with
// args param and value.
Result<SearchRequest> parse_search_request(const http::Fields& fields, bool allow_lieu, size_t default_per_page = 20);

// Every value of a parameter: repeated, and each split on commas ("a,b" and a=…&a=…).
std::vector<std::string> list_values(const http::Fields& fields, std::string_view name);

}  // namespace passerelle::places
