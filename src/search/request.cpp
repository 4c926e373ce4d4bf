#include "search/request.hpp"

#include <algorithm>

#include "platform/core/strings.hpp"

namespace passerelle::search {

namespace {
bool is_field_name(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}
}  // namespace

Result<SearchRequest> parse_search_request(const http::Fields& fields, const std::vector<std::string>& facet_fields) {
  SearchRequest r;
  r.query.text = fields.value("q");
  if (r.query.text.size() > kMaxQueryBytes) return Error::validation("q", "search.query_too_long").with("max", std::to_string(kMaxQueryBytes));
  if (auto p = fields.get("page"); p && !p->empty()) {
    auto n = str::to_int(*p);
    if (!n || *n < 1 || *n > static_cast<int64_t>(kMaxPage)) return Error::validation("page", "search.page_invalid").with("max", std::to_string(kMaxPage));
    r.page = static_cast<size_t>(*n);
  }
  if (fields.value("tri") == "date") r.query.sort = Query::Sort::date;
  for (const auto& [name, value] : fields.all()) {
    if (value.empty()) continue;
    if (name == "kind") r.query.kinds.push_back(value);
    else if (name != "q" && name != "page" && name != "tri" && is_field_name(name)) r.query.filters.push_back({name, value});
  }
  r.query.facet_fields = facet_fields;
  r.query.limit = kPageSize;
  r.query.offset = (r.page - 1) * kPageSize;
  return r;
}

std::string search_query_string(const SearchRequest& r, size_t page) {
  std::string out;
  auto add = [&](std::string_view name, std::string_view value) {
    out += out.empty() ? "?" : "&";
    out += std::string(name) + "=" + str::url_encode(value);
  };
  if (!r.query.text.empty()) add("q", r.query.text);
  for (const auto& k : r.query.kinds) add("kind", k);
  for (const auto& f : r.query.filters) add(f.field, f.value);
  if (r.query.sort == Query::Sort::date) add("tri", "date");
  if (page > 1) add("page", std::to_string(page));
  return out;
}

}  // namespace passerelle::search
