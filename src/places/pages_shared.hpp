#pragma once
// What the place pages share (pages_*.cpp): URLs, French labels of fields and of the schema's
// enumerated values (through the catalogue), lists of places with pagination and counts per
// département.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "places/model.hpp"
#include "platform/html/builder.hpp"
#include "platform/web/app.hpp"
#include "platform/web/layout.hpp"

namespace passerelle::places::pages {

inline std::string place_url(int64_t id) { return "/lieux/" + std::to_string(id); }
inline constexpr int64_t kPageSize = 50;

std::string field_label(web::Context& ctx, Field f);
// The label of one value of an enumerated field ("RFS" → "Réseau France Services"); the value
// itself when the catalogue has none.
std::string value_label(web::Context& ctx, std::string_view value);
// Whether a field's values come from a list (services, publics… and typologie).
bool enumerated(Field f);
// A field's value as the reader sees it: labels of a list joined by ", ".
std::string display_value(web::Context& ctx, Field f, std::string_view value);

// The IANA time zone of a place: its commune's (by INSEE code, else postal code), else Paris.
std::string time_zone_of(const Record& r);
// Département code of a place ("25", "2A", "974"), from its INSEE code or postal code.
std::string departement_of(std::string_view code_insee, std::string_view code_postal);
std::string departement_label(std::string_view code);  // "25 — Doubs"

std::optional<int64_t> positive(std::string_view text);
int64_t page_param(web::Context& ctx);  // ?page=N, 1 by default

// A list of places (by name) and its counts per département, for territory and network pages.
struct ListedPlace {
  int64_t id = 0;
  std::string nom, commune, code_postal;
};
struct Listing {
  int64_t total = 0;
  std::vector<ListedPlace> places;                       // the page asked for
  std::vector<std::pair<std::string, int64_t>> by_departement;  // code, count; by code
};
// `where` is an SQL condition on `places` with its parameters.
Listing list_places(db::Database& db, const std::string& where, const db::Params& params, int64_t page);
void listing_section(html::Builder& b, web::Context& ctx, const Listing& l, int64_t page, const std::string& base_url);

// Known notices after a redirect (?fait=…); "" otherwise.
std::string done_notice(web::Context& ctx);

void register_place(web::App& app);
void register_corrections(web::App& app);
void register_lists(web::App& app);
void register_about(web::App& app);

}  // namespace passerelle::places::pages
