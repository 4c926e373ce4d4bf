#pragma once
// Corrections of a place proposed by anyone (visitors included), moderated, applied as a source
// "correction" of the place (docs/places.md, "Corrections"): the merge rules still decide which
// value the place shows, and every source stays. Accepted corrections are the place's history.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "places/model.hpp"
#include "platform/db/database.hpp"
#include "platform/result.hpp"

namespace passerelle::places {

inline constexpr std::string_view kCorrectionSource = "correction";
inline constexpr size_t kMaxCorrectionComment = 2000;  // characters
inline constexpr size_t kMaxCorrectionValue = 5000;    // characters, any field

// Every schema field but `id`, `source` and `date_maj` (the correction sets its own date).
bool correctable(Field f);

struct Change {
  Field field = Field::nom;
  std::string before;  // what the place showed when the correction was proposed
  std::string after;
};

enum class CorrectionStatus { pending, accepted, rejected };
std::string_view name(CorrectionStatus s);

struct Correction {
  int64_t id = 0;
  int64_t place_id = 0;
  std::string place_name, code_insee;
  std::vector<Change> changes;
  std::string comment;
  std::optional<int64_t> author_id;
  CorrectionStatus status = CorrectionStatus::pending;
  int64_t created_at = 0;
  std::optional<int64_t> decided_at;
  std::string decision_reason;
};

// What a form sends: field name → proposed value (untouched fields may be absent or unchanged).
struct Proposal {
  std::map<std::string, std::string, std::less<>> values;
  std::string comment;
  std::optional<int64_t> author;
};

// The fields whose value differs from the place's, each checked against its Table Schema
// constraints (places.reason.* with the schema's arguments) and the import's own checks
// (opening hours, commune, postal code, coordinates in France). An error names its field;
// nothing is kept when there is one. Latitude and longitude travel together: changing one
// keeps the place's other one in the correction.
std::vector<Change> check_proposal(const Place& place, const Proposal& proposal, Errors& errors);

// Checks, then records a pending correction; Errors (validation) and nothing saved otherwise.
Result<int64_t> propose(db::Database& db, int64_t place_id, const Proposal& proposal, Errors& errors, int64_t now);

std::vector<Correction> pending_corrections(db::Database& db);
std::optional<Correction> find_correction(db::Database& db, int64_t id);
// Accepted corrections of a place, newest first.
std::vector<Correction> history(db::Database& db, int64_t place_id);

// Accepts (the changes become the source "correction" #id of the place, dated today) or rejects
// a pending correction, with an audit log entry. Conflict when it was decided already.
passerelle::Status decide(db::Database& db, int64_t correction_id, bool accept, std::string_view reason, int64_t moderator,
              std::optional<int64_t> territory, int64_t now);

}  // namespace passerelle::places
