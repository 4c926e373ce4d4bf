#pragma once
#include <optional>
#include <vector>

#include "platform/db/database.hpp"
#include "territories/model.hpp"

namespace passerelle::territories {

std::vector<Territory> list(db::Database& db);
std::optional<Territory> find(db::Database& db, std::string_view slug);
// Creates the territory and records it in the audit log. Conflict when the slug is taken.
Result<Territory> create(db::Database& db, const NewTerritory& t, std::optional<int64_t> actor, Errors& errors);
Status update_summary(db::Database& db, const Territory& t, std::string_view name, std::string_view summary, int64_t actor);

// Legal page text: the territory's own if it wrote one, else nothing (callers use the default).
std::optional<std::string> legal_page(db::Database& db, int64_t territory_id, std::string_view page);
// The platform's own legal pages (outside any territory), kept in the settings table.
std::optional<std::string> platform_legal_page(db::Database& db, std::string_view page);
void save_platform_legal_page(db::Database& db, std::string_view page, std::string_view body, int64_t actor);
void save_legal_page(db::Database& db, int64_t territory_id, std::string_view page, std::string_view body, int64_t actor);

}  // namespace passerelle::territories
