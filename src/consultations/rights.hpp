#pragma once
// Who may do what in consultations: one set of rules, used by the pages and the JSON API alike.
#include <optional>

#include "consultations/store.hpp"
#include "platform/web/app.hpp"

namespace passerelle::consultations {

// Enter contributions and votes for people without an account or device: the territory's
// mediators, agents and administrators (and platform administrators).
bool can_mediate(const std::optional<web::Account>& a, int64_t territory_id);
// Moderate (hide, trash, publish) and see the queue: moderators, agents, administrators.
bool can_moderate(const std::optional<web::Account>& a, int64_t territory_id);
// Create processes and publish the territory's answers: agents and administrators.
bool can_manage(const std::optional<web::Account>& a, int64_t territory_id);

// The actor of a request: the signed-in account, or, for a mediator who names a registered
// person (participant_id) with their consent, that person entered by the mediator. Channel
// "paper" needs the paper form's reference. Errors: forbidden for a non-mediator naming someone.
struct ActorRequest {
  std::optional<int64_t> participant_id;
  bool consent = false;
  bool paper = false;
  std::string paper_ref;
};
Result<Actor> actor_for(db::Database& db, const std::optional<web::Account>& account, int64_t territory_id, const ActorRequest& request);

}  // namespace passerelle::consultations
