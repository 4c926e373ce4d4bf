#pragma once
// What the consultation store files share (store_*.cpp): row readers and small SQL helpers.
#include <string>
#include <string_view>
#include <vector>

#include "consultations/store.hpp"

namespace passerelle::consultations::detail {

std::vector<std::string> split_nonempty(std::string_view s, char sep);
std::string join(const std::vector<std::string>& values, char sep);

// Contributions with their process's territory and the author's public name.
extern const char* const kContributionSelect;
Contribution contribution_from_row(const db::Row& r);

// Locks a contribution's row until the end of the transaction (PostgreSQL; SQLite has one
// writer, which is already a lock). Returns false when the contribution does not exist.
bool lock_contribution(db::Connection& conn, int64_t id);

// The process of a published contribution, whose row is locked as by lock_contribution (one
// query); not found when the contribution is missing or not published.
Result<Process> process_of_published(db::Connection& conn, int64_t contribution_id);

// Recounts a contribution's arguments and comments (after a moderation).
void recount_debate(db::Connection& conn, int64_t contribution_id);

// Whether `actor` may take part in `p` (audience, minimum age, residency), as an error if not.
std::optional<Error> participation_error(db::Connection& conn, const Process& p, const Actor& actor, int64_t now);
// A mediator's entry needs the person's consent; a paper contribution its reference.
std::optional<Error> actor_error(const Actor& actor);

}  // namespace passerelle::consultations::detail
