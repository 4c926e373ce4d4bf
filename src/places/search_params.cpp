// What a search is asked in words: the lists' values, the origin of distances, a time.
#include <charconv>
#include <map>

#include "places/schema.hpp"
#include "places/search.hpp"
#include "platform/core/strings.hpp"
#include "text/analyzer.hpp"

namespace passerelle::places {

namespace {

constexpr std::string_view kParams[] = {"services", "publics", "modalites", "frais", "typologie"};
constexpr Field kFields[] = {Field::services, Field::publics_specifiquement_adresses, Field::modalites_accompagnement,
                             Field::frais_a_charge, Field::typologie};

// The values of a list field, read from its pattern in the schema: (?:(?:^|\|)(A|B|C))+$
std::vector<std::string> schema_values(Field field) {
  std::vector<std::string> out;
  const FieldSpec* spec = TableSchema::embedded().find(name_of(field));
  if (!spec || !spec->pattern) return out;
  const std::string& p = *spec->pattern;
  std::string_view open = "(?:^|\\|)(";
  auto from = p.find(open), to = p.rfind("))+$");
  if (from == std::string::npos || to == std::string::npos || to < from) return out;
  std::string body = p.substr(from + open.size(), to - from - open.size());
  std::string value;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size()) value += body[++i];
    else if (body[i] == '|') out.push_back(std::move(value)), value.clear();
    else value += body[i];
  }
  if (!value.empty()) out.push_back(std::move(value));
  return out;
}

struct Vocabulary {
  std::array<std::vector<std::string>, kListFilterCount> values;
  std::array<std::map<std::string, std::string, std::less<>>, kListFilterCount> by_folded;
  Vocabulary() {
    for (size_t l = 0; l < kListFilterCount; ++l) {
      if (kFields[l] == Field::typologie) continue;
      values[l] = schema_values(kFields[l]);
      for (const auto& v : values[l]) by_folded[l][text::fold(v)] = v;
    }
  }
};

const Vocabulary& vocabulary() {
  static const Vocabulary v;
  return v;
}

std::optional<double> to_double(std::string_view s) {
  s = str::trim(s);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

std::string_view param_of(ListFilter f) { return kParams[static_cast<size_t>(f)]; }
Field field_of(ListFilter f) { return kFields[static_cast<size_t>(f)]; }
const std::vector<std::string>& values_of(ListFilter f) { return vocabulary().values[static_cast<size_t>(f)]; }

std::optional<std::string> canonical_value(ListFilter f, std::string_view value) {
  value = str::trim(value);
  if (value.empty()) return std::nullopt;
  if (f == ListFilter::typologie) {
    std::string code;
    for (char c : value) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return std::nullopt;
      code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return code;
  }
  const auto& map = vocabulary().by_folded[static_cast<size_t>(f)];
  auto it = map.find(text::fold(value));
  if (it == map.end()) return std::nullopt;
  return it->second;
}

Result<std::optional<Origin>> resolve_origin(std::string_view near, std::string_view commune, std::string_view code_postal,
                                             const Communes& communes) {
  near = str::trim(near), commune = str::trim(commune), code_postal = str::trim(code_postal);
  int given = !near.empty() + !commune.empty() + !code_postal.empty();
  if (given == 0) return std::optional<Origin>();
  if (given > 1) return Error::validation("near", "places_search.error.several_origins");
  if (!near.empty()) {
    auto comma = near.find(',');
    auto lat = comma == std::string_view::npos ? std::nullopt : to_double(near.substr(0, comma));
    auto lon = comma == std::string_view::npos ? std::nullopt : to_double(near.substr(comma + 1));
    if (!lat || !lon) return Error::validation("near", "places_search.error.near").with("value", std::string(near));
    if (*lat < -90 || *lat > 90 || *lon < -180 || *lon > 180 || !in_france(*lat, *lon))
      return Error::validation("near", "places_search.error.near_outside").with("value", std::string(near));
    return std::optional<Origin>(Origin{{*lat, *lon}, std::string(near)});
  }
  if (!commune.empty()) {
    const Commune* c = communes.find_by_insee(commune);
    if (!c) return Error::validation("commune", "places_search.error.commune").with("value", std::string(commune));
    if (!c->centre) return Error::validation("commune", "places_search.error.commune_no_centre").with("value", std::string(commune));
    return std::optional<Origin>(Origin{*c->centre, std::string(c->name) + " (" + std::string(c->insee) + ")"});
  }
  auto normalised = normalize_postal_code(code_postal);
  if (normalised)
    for (const Commune* c : communes.find_by_postal_code(*normalised))
      if (c->centre) return std::optional<Origin>(Origin{*c->centre, *normalised + " (" + std::string(c->name) + ")"});
  return Error::validation("code_postal", "places_search.error.code_postal").with("value", std::string(code_postal));
}

std::optional<When> parse_when(std::string_view t) {
  t = str::trim(t);
  auto num = [&](size_t at, size_t len) -> int {
    if (at + len > t.size()) return -1;
    int v = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if (t.size() < 16 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' ') || t[13] != ':') return std::nullopt;
  int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), s = 0;
  size_t at = 16;
  if (at < t.size() && t[at] == ':') {
    s = num(at + 1, 2);
    at += 3;
    if (s < 0 || s > 59) return std::nullopt;
  }
  if (y < 1970 || mo < 1 || h < 0 || h > 23 || mi < 0 || mi > 59) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)}, std::chrono::day{static_cast<unsigned>(d < 0 ? 0 : d)}};
  if (d < 1 || !ymd.ok()) return std::nullopt;
  LocalMinutes local = std::chrono::local_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi);
  When w;
  if (at == t.size()) {
    w.local = local;
    return w;
  }
  int offset_minutes = 0;
  if (t[at] == 'Z' && at + 1 == t.size()) {
  } else if ((t[at] == '+' || t[at] == '-') && t.size() == at + 6 && t[at + 3] == ':') {
    int oh = num(at + 1, 2), om = num(at + 4, 2);
    if (oh < 0 || oh > 14 || om < 0 || om > 59) return std::nullopt;
    offset_minutes = (oh * 60 + om) * (t[at] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  auto utc = std::chrono::sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(s) -
             std::chrono::minutes(offset_minutes);
  w.instant = std::chrono::time_point_cast<std::chrono::system_clock::duration>(utc);
  return w;
}

}  // namespace passerelle::places
