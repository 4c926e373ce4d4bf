#include <nlohmann/json.hpp>

#include "accounts/pages.hpp"
#include "accounts/store.hpp"

namespace passerelle::accounts {

void register_api(web::App& app) {
  app.api(http::Method::get, "/api/v1/me", "api-me", [](web::Context& ctx) {
    if (!ctx.account) return ctx.app.error_response(ctx, 401);
    const auto& a = *ctx.account;
    nlohmann::json roles = nlohmann::json::array();
    for (const auto& m : a.memberships) roles.push_back({{"territoire", m.territory_slug}, {"role", web::role_name(m.role)}});
    return http::Response::json(nlohmann::json{{"id", a.id},
                                               {"email", a.email},
                                               {"nom_affiche", a.display_name},
                                               {"type_de_profil", a.profile_type},
                                               {"administrateur_plateforme", a.platform_admin},
                                               {"roles", roles}}
                                    .dump());
  });
}

}  // namespace passerelle::accounts
