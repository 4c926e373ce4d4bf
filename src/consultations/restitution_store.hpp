#pragma once
// The restitution of a consultation inside the platform (migration 0011): computed in the
// background by the "restitutions" job, never in a request, from the published contributions
// only, and stored with its date, parameters and seed; a re-run replaces it in one transaction.
// It is requested when the process enters its restitution phase, by an agent or administrator
// of the territory, or when a quoted contribution stops being published (moderation).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "consultations/model.hpp"
#include "platform/db/database.hpp"
#include "platform/i18n/catalog.hpp"
#include "platform/result.hpp"

namespace passerelle::consultations {

enum class RestitutionState { requested, running, done, failed };

struct StoredRestitution {
  RestitutionState state = RestitutionState::requested;
  int64_t requested_at = 0;
  std::optional<int64_t> computed_at;  // of the result (none yet: nothing to show)
  uint64_t seed = 1;
  std::string parameters;              // JSON
  int64_t contributions = 0;           // analysed
  double seconds = 0;
  std::string error;                   // message key of the last failure
  std::string report;                  // HTML fragment in the reader's language
  bool stale = false;                  // a quoted contribution is no longer published: not shown
  std::string progress_stage;          // of a running computation: lecture, analyse, doublons, themes, synthese
  int progress_percent = 0;            // of that stage
  bool computing() const { return state == RestitutionState::requested || state == RestitutionState::running; }
  bool showable() const { return computed_at && !stale && !report.empty(); }
};
std::optional<StoredRestitution> find_restitution(db::Database& db, int64_t process_id, i18n::Locale locale);
// The engine's restitution.json of the last result ("" when none).
std::string restitution_json(db::Database& db, int64_t process_id);

// Asks for a (re)computation: the job takes it within a second or two. A request while a run
// is going makes the job run again after it (the run may have read older contributions).
void request_restitution(db::Database& db, int64_t process_id, std::optional<int64_t> by, int64_t now);
// Computes now, in the calling thread (the job; the demo seed): reads the published
// contributions, runs the engine, stores the result atomically. Errors: not found, or
// validation "consultations.restitution.empty" (no published contribution; stored as failed).
passerelle::Status compute_restitution(db::Database& db, int64_t process_id, int64_t now);
// The job: requests the restitution of processes whose restitution phase is open and that have
// none computed since it opened, and of results quoting a contribution no longer published; then
// computes every request, oldest first. Returns how many were computed.
int run_restitution_jobs(db::Database& db, int64_t now);
// Whether the job has anything to do, read only: the scheduler asks before it claims (and so
// writes) a run, so an idle job never moves the change marker of the page cache.
bool restitution_work_pending(db::Database& db, int64_t now);

// The controversy map of the last result, read with the contributions' and arguments' present
// state (a contribution or argument no longer published is left out).
struct ControversyArgument {
  int64_t id = 0;
  std::string body, author_name;
  std::string author_kind;  // citoyen, association, entreprise, organisme-public, elu, mediateur
  int64_t useful = 0;
};
struct ControversyEntry {
  Contribution contribution;
  double score = 0;
  std::vector<ControversyArgument> for_, against;  // the strongest (most useful votes), 2 per side at most
};
struct ControversyTheme {
  uint32_t theme = 0;  // the engine's theme number (1…)
  std::string label, group;
  std::vector<ControversyEntry> entries;
};
inline constexpr size_t kControversiesPerTheme = 5;
inline constexpr size_t kStrongestArguments = 2;
std::vector<ControversyTheme> controversies(db::Database& db, int64_t process_id);

}  // namespace passerelle::consultations
