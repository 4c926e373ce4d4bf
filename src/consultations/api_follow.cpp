// The JSON API of follows and notifications (web/openapi/consultations-follow.json), for the
// signed-in account only, with the same rules as the pages.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "consultations/follow.hpp"
#include "consultations/rights.hpp"
#include "consultations/store.hpp"
#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/web/app.hpp"

namespace passerelle::consultations {

namespace {

using nlohmann::json;

http::Response fail(web::Context& ctx, const Error& e) { return ctx.app.error_response(ctx, e); }
Error sign_in() { return Error{ErrorKind::unauthorized, "consultations.sign_in_required", "", {}}; }

json notification_json(const Notification& n) {
  return {{"id", n.id},
          {"contribution", n.contribution_id},
          {"titre", n.contribution_title},
          {"type", name(n.kind)},
          {"auteur", n.actor_name},
          {"extrait", n.excerpt},
          {"cree_le", n.created_at},
          {"lue_le", n.read_at ? json(*n.read_at) : json(nullptr)},
          {"url", "/contributions/" + std::to_string(n.contribution_id)}};
}

http::Response follow_route(web::Context& ctx, http::Method method) {
  if (!ctx.account) return fail(ctx, sign_in());
  auto id = str::to_int(ctx.req.param("id"));
  auto c = id ? find_contribution(ctx.app.db(), *id) : std::nullopt;
  // Held contributions exist only for their author and the moderators, as on the pages.
  bool hidden_from_me = c && c->status == Status::pending && c->user_id != ctx.account->id && !can_moderate(ctx.account, c->territory_id);
  if (!c || hidden_from_me) return fail(ctx, Error::not_found("consultations.contribution.not_found"));
  if (method == http::Method::post) {
    if (auto r = follow(ctx.app.db(), ctx.account->id, c->id, unix_now()); !r) return fail(ctx, r.error());
  } else if (method == http::Method::delete_) {
    (void)unfollow(ctx.app.db(), ctx.account->id, c->id);  // never refused: not following is the state asked for
  }
  return http::Response::json(json{{"contribution", c->id}, {"suivie", follows(ctx.app.db(), ctx.account->id, c->id)}}.dump());
}

}  // namespace

void register_follow_api(web::App& app) {
  for (auto method : {http::Method::get, http::Method::post, http::Method::delete_})
    app.api(method, "/api/v1/contributions/{id}/follow", "api-contribution-suivi", [method](web::Context& ctx) { return follow_route(ctx, method); });

  app.api(http::Method::get, "/api/v1/notifications", "api-notifications", [](web::Context& ctx) {
    if (!ctx.account) return fail(ctx, sign_in());
    const auto& q = ctx.req.query_fields();
    size_t per_page = static_cast<size_t>(std::clamp<int64_t>(str::to_int(q.value("par_page")).value_or(20), 1, 100));
    size_t page = static_cast<size_t>(std::max<int64_t>(1, str::to_int(q.value("page")).value_or(1)));
    auto result = notifications_of(ctx.app.db(), ctx.account->id, (page - 1) * per_page, per_page);
    json items = json::array();
    for (const auto& n : result.items) items.push_back(notification_json(n));
    return http::Response::json(json{{"total", result.total}, {"non_lues", result.unread}, {"page", page}, {"par_page", per_page}, {"notifications", items}}.dump());
  });

  // {"ids": [1, 2]} marks those; {"toutes": true} marks every unread one.
  app.api(http::Method::post, "/api/v1/notifications/read", "api-notifications-lues", [](web::Context& ctx) {
    if (!ctx.account) return fail(ctx, sign_in());
    auto doc = json::parse(ctx.req.body(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return ctx.app.error_response(ctx, 400, ctx.t("api.bad_json"));
    int64_t now = unix_now(), marked = 0;
    if (doc.value("toutes", false)) {
      marked = mark_all_read(ctx.app.db(), ctx.account->id, now);
    } else if (doc.contains("ids") && doc["ids"].is_array() && doc["ids"].size() <= 100) {
      for (const auto& id : doc["ids"]) {
        if (!id.is_number_integer()) return fail(ctx, Error::validation("ids", "consultations_follow.api.ids_invalid"));
        marked += mark_read(ctx.app.db(), ctx.account->id, id.get<int64_t>(), now);
      }
    } else {
      return fail(ctx, Error::validation("ids", "consultations_follow.api.ids_invalid"));
    }
    return http::Response::json(json{{"marquees", marked}, {"non_lues", unread_count(ctx.app.db(), ctx.account->id)}}.dump());
  });
}

}  // namespace passerelle::consultations
