#include "places/search_request.hpp"

#include <charconv>

#include "platform/core/strings.hpp"

namespace passerelle::places {

namespace {

Error bad(std::string_view param, std::string key, std::string_view value) {
  return Error::validation(std::string(param), std::move(key)).with("param", std::string(param)).with("value", std::string(value));
}

std::optional<bool> to_bool(std::string_view v) {
  std::string s = str::lower_ascii(str::trim(v));
  if (s == "1" || s == "true" || s == "oui" || s == "on") return true;
  if (s.empty() || s == "0" || s == "false" || s == "non" || s == "off") return false;
  return std::nullopt;
}

// A place given as people write it: a postal code, an INSEE code or a commune's name.
Result<std::optional<Origin>> resolve_lieu(std::string_view lieu, const Communes& communes) {
  lieu = str::trim(lieu);
  if (lieu.empty()) return std::optional<Origin>();
  if (auto postal = normalize_postal_code(lieu)) {
    auto r = resolve_origin({}, {}, *postal, communes);
    if (r) return r;
  }
  if (const Commune* c = communes.find_by_insee(lieu); c && c->centre) return resolve_origin({}, lieu, {}, communes);
  for (const Commune* c : communes.find_by_name(lieu))
    if (c->centre) return std::optional<Origin>(Origin{*c->centre, std::string(c->name) + " (" + std::string(c->departement->code) + ")"});
  return bad("lieu", "places_search.error.lieu", lieu);
}

}  // namespace

std::vector<std::string> list_values(const http::Fields& fields, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields.all()) {
    if (k != name) continue;
    for (auto part : str::split(v, ','))
      if (!str::trim(part).empty()) out.emplace_back(str::trim(part));
  }
  return out;
}

Result<SearchRequest> parse_search_request(const http::Fields& f, bool allow_lieu, size_t default_per_page) {
  SearchRequest r;
  Query& q = r.query;
  q.q = std::string(str::trim(f.get("q").value_or("")));
  if (q.q.size() > 200) return bad("q", "places_search.error.q_long", q.q.substr(0, 40) + "…");
  for (size_t l = 0; l < kListFilterCount; ++l) {
    auto filter = static_cast<ListFilter>(l);
    for (const auto& v : list_values(f, param_of(filter))) {
      auto canonical = canonical_value(filter, v);
      if (!canonical) return bad(param_of(filter), "places_search.error.value", v);
      auto& list = q.list(filter);
      if (std::find(list.begin(), list.end(), *canonical) == list.end()) list.push_back(*canonical);
    }
  }
  const auto& communes = Communes::embedded();
  std::string lieu = allow_lieu ? f.value("lieu") : std::string();
  if (!str::trim(lieu).empty()) {
    if (!str::trim(f.get("near").value_or("")).empty() || !str::trim(f.get("commune").value_or("")).empty() || !str::trim(f.get("code_postal").value_or("")).empty())
      return bad("lieu", "places_search.error.several_origins", lieu);
    auto origin = resolve_lieu(lieu, communes);
    if (!origin) return origin.error();
    r.origin = *origin;
  } else {
    auto origin = resolve_origin(f.value("near"), f.value("commune"), f.value("code_postal"), communes);
    if (!origin) {
      Error e = origin.error();
      std::string value = f.value(e.field);
      return bad(e.field, e.message_key, value);
    }
    r.origin = *origin;
  }
  if (r.origin) q.near = r.origin->point;
  if (auto radius = str::trim(f.get("radius_km").value_or("")); !radius.empty()) {
    double v = 0;
    auto [end, ec] = std::from_chars(radius.data(), radius.data() + radius.size(), v);
    if (ec != std::errc() || end != radius.data() + radius.size() || !(v > 0) || v > kMaxRadiusKm)
      return bad("radius_km", "places_search.error.radius", radius);
    if (!q.near) return bad("radius_km", "places_search.error.radius_without_origin", radius);
    q.radius_km = v;
  }
  auto open_now = to_bool(f.value("open_now"));
  if (!open_now) return bad("open_now", "places_search.error.open_now", f.value("open_now"));
  q.open_now = *open_now;
  if (auto at = str::trim(f.get("open_at").value_or("")); !at.empty()) {
    auto when = parse_when(at);
    if (!when) return bad("open_at", "places_search.error.open_at", at);
    q.open_at = when->instant;
    q.open_at_local = when->local;
    q.open_now = false;  // a given time wins
  }
  auto number = [&](std::string_view param, size_t fallback, size_t max, size_t& out) -> passerelle::Status {
    auto text = str::trim(f.get(param).value_or(""));
    if (text.empty()) {
      out = fallback;
      return Ok{};
    }
    auto v = str::to_int(text);
    if (!v || *v < 1 || static_cast<size_t>(*v) > max) return bad(param, "places_search.error." + std::string(param), text);
    out = static_cast<size_t>(*v);
    return Ok{};
  };
  if (auto s = number("page", 1, kMaxPage, q.page); !s) return s.error();
  if (auto s = number("per_page", default_per_page, kMaxPerPage, q.per_page); !s) return s.error();
  return r;
}

}  // namespace passerelle::places
