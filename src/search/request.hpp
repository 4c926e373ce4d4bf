#pragma once
// The search query of a URL, shared by /recherche and /api/v1/search:
//   q=texte  page=2  kind=practice (repeatable)  <facet field>=<value> (repeatable: theme=…,
//   territory=…, territory_kind=…; any lower-case field name the index knows)  tri=date
#include <string>

#include "platform/http/message.hpp"
#include "platform/result.hpp"
#include "search/engine.hpp"

namespace passerelle::search {

inline constexpr size_t kPageSize = 10;
inline constexpr size_t kMaxPage = 1000;
inline constexpr size_t kMaxQueryBytes = 500;

struct SearchRequest {
  Query query;
  size_t page = 1;
};

// Reads the fields; a bad `page` or an over-long `q` is a validation error naming the field.
Result<SearchRequest> parse_search_request(const http::Fields& fields, const std::vector<std::string>& facet_fields);

// "?q=…&theme=…&page=2" for `r` at `page` (page 1 is left out); "" when there is nothing.
std::string search_query_string(const SearchRequest& r, size_t page);

}  // namespace passerelle::search
