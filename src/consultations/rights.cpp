#include "consultations/rights.hpp"

namespace passerelle::consultations {

namespace {
bool has_any(const web::Account& a, int64_t territory, std::initializer_list<web::Role> roles) {
  if (a.platform_admin) return true;
  for (auto r : roles)
    if (a.has_role(territory, r)) return true;
  return false;
}
}  // namespace

bool can_mediate(const std::optional<web::Account>& a, int64_t t) {
  return a && has_any(*a, t, {web::Role::mediateur, web::Role::agent, web::Role::administrateur});
}
bool can_moderate(const std::optional<web::Account>& a, int64_t t) {
  return a && has_any(*a, t, {web::Role::moderateur, web::Role::agent, web::Role::administrateur});
}
bool can_manage(const std::optional<web::Account>& a, int64_t t) { return a && has_any(*a, t, {web::Role::agent, web::Role::administrateur}); }

Result<Actor> actor_for(db::Database& db, const std::optional<web::Account>& account, int64_t territory_id, const ActorRequest& req) {
  Actor actor;
  if (!account) return Error{ErrorKind::unauthorized, "consultations.sign_in_required", "", {}};
  if (!req.participant_id) {
    if (req.paper) return Error::validation("participant", "consultations.mediator.participant_required");
    actor.user_id = account->id;
    return actor;
  }
  if (!can_mediate(account, territory_id)) return Error::forbidden("consultations.mediator.forbidden");
  auto person = find_participant(db, *req.participant_id);
  if (!person || person->territory_id != territory_id) return Error::validation("participant", "consultations.mediator.participant_unknown");
  actor.participant_id = person->id;
  actor.entered_by = account->id;
  actor.consent = req.consent;
  actor.channel = req.paper ? Channel::paper : Channel::mediator;
  actor.paper_ref = req.paper_ref;
  return actor;
}

}  // namespace passerelle::consultations
