#pragma once
// Open data of the instance: its own published practice sheets as JSON (the documented format,
// also what other instances subscribe to), CSV (French spreadsheets) and Atom 1.0 (feed readers,
// with RFC 6721 tombstones for sheets withdrawn lately). Imported copies are not re-exported:
// each instance publishes what its territories wrote, so subscriptions never loop.
#include <string>
#include <vector>

#include "platform/db/database.hpp"
#include "practices/model.hpp"

namespace passerelle::web {
class App;
}

namespace passerelle::practices::feed {

inline constexpr std::string_view kFormat = "passerelle-pratiques";
inline constexpr int kFormatVersion = 1;
inline constexpr int64_t kTombstoneDays = 30;  // withdrawn sheets stay in the Atom feed this long

struct Instance {
  std::string name;      // "Passerelle Bretagne"
  std::string base_url;  // "https://participer.example.fr", no trailing slash
};

// Where a sheet is read on an instance.
std::string practice_url(const Instance& instance, int64_t id);
// "2026-11-22T07:40:00Z".
std::string iso8601(int64_t unix_seconds);
std::optional<int64_t> parse_iso8601(std::string_view text);

struct Withdrawn {
  int64_t id = 0;
  int64_t when = 0;  // unpublished or trashed at
};

std::string to_json(const Instance& instance, const std::vector<Practice>& practices, int64_t generated_at);
// UTF-8 with a BOM (so that spreadsheets read the accents), ';' between columns, RFC 4180 quoting,
// CRLF lines, '|' between several values; cells that a spreadsheet would run as a formula
// (=, +, -, @ first) get a leading apostrophe.
std::string to_csv(const Instance& instance, const std::vector<Practice>& practices);
std::string to_atom(const Instance& instance, const std::vector<Practice>& practices, const std::vector<Withdrawn>& withdrawn,
                    int64_t generated_at);

// Every published sheet written on this instance (not imported), newest first; and the sheets
// of this instance withdrawn (unpublished or trashed) since `since`.
std::vector<Practice> exported_practices(db::Database& db);
std::vector<Withdrawn> withdrawn_since(db::Database& db, int64_t since);

// GET /donnees/pratiques.json, /donnees/pratiques.csv, /donnees/pratiques.atom.
void register_routes(web::App& app);

}  // namespace passerelle::practices::feed
