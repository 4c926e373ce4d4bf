#include "accounts/pages.hpp"

#include "accounts/store.hpp"
#include "consultations/follow.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "platform/services.hpp"
#include "platform/web/layout.hpp"
#include "territories/store.hpp"

namespace passerelle::accounts {

using http::Method;
using http::Response;
using web::Context;
using web::Field;
using web::FormErrors;

namespace {

const rate_limit::Rule kLoginPerIp{"connexion-ip", 20, 300};
const rate_limit::Rule kLoginPerEmail{"connexion-email", 8, 300};
const rate_limit::Rule kSignupPerIp{"inscription-ip", 10, 3600};
const rate_limit::Rule kResetPerIp{"reinitialisation-ip", 10, 3600};

std::string public_url(Context& ctx) {
  if (!ctx.app.config().public_url.empty()) return ctx.app.config().public_url;
  std::string host(ctx.req.header(http::bhttp::field::host));
  return std::string(ctx.req.secure ? "https://" : "http://") + (host.empty() ? "localhost" : host);
}

// A rate-limited action answers 429 with the wait in the message.
std::optional<Response> limited(Context& ctx, const rate_limit::Rule& rule, std::string_view key) {
  auto s = rate_limit::hit(ctx.app.db(), rule, key);
  if (s) return std::nullopt;
  Response r = ctx.app.error_response(ctx, s.error());
  r.header("Retry-After", s.error().args.empty() ? "60" : s.error().args[0].second);
  return r;
}

std::vector<web::Choice> profile_choices(Context& ctx) {
  std::vector<web::Choice> out;
  for (const char* p : kProfileTypes) out.push_back({p, ctx.t(std::string("profile.") + p)});
  return out;
}

Response signup_form(Context& ctx, const SignUp& s, const FormErrors& errors, unsigned status = 200) {
  auto list = territories::list(ctx.app.db());
  std::vector<web::Choice> choices{{"", ctx.t("signup.no_territory")}};
  for (const auto& t : list) choices.push_back({t.slug, t.name});
  return web::page_response(ctx, {ctx.t("signup.title")}, [&](html::Builder& b) {
    web::error_summary(b, ctx, errors);
    b.el("p", {}, ctx.t("signup.intro"));
    web::form(b, ctx, "/inscription", [&](html::Builder& f) {
      web::field(f, ctx, {"email", ctx.t("field.email"), "email", s.email, true, "email", ctx.t("field.email_hint")}, errors);
      web::field(f, ctx, {"display_name", ctx.t("field.display_name"), "text", s.display_name, true, "nickname", ctx.t("field.display_name_hint")}, errors);
      web::select(f, ctx, "profile_type", ctx.t("field.profile_type"), profile_choices(ctx), s.profile_type, errors);
      web::field(f, ctx, {"password", ctx.t("field.password"), "password", "", true, "new-password", ctx.t("field.password_hint")}, errors);
      web::select(f, ctx, "territory", ctx.t("field.territory"), choices, s.territory_slug, errors);
      f.open("p").text(ctx.t("signup.charter_intro") + " ").el("a", {{"href", "/charte"}}, ctx.t("legal.charte.title")).close();
      web::field(f, ctx, {"charter", ctx.t("field.charter"), "checkbox", s.charter_accepted ? "oui" : "", false}, errors);
      web::submit(f, ctx.t("signup.submit"));
    });
  }, status);
}

Response login_form(Context& ctx, const std::string& email, const FormErrors& errors, std::string notice = {}, unsigned status = 200) {
  // The page that asked for a login (?retour=) travels with the form, so sign_in can go back to it.
  std::string back = ctx.req.query_fields().value("retour");
  std::string action = back.empty() ? "/connexion" : "/connexion?retour=" + str::url_encode(back);
  return web::page_response(ctx, {ctx.t("login.title"), std::nullopt, std::move(notice)}, [&](html::Builder& b) {
    web::error_summary(b, ctx, errors);
    web::form(b, ctx, action, [&](html::Builder& f) {
      web::field(f, ctx, {"email", ctx.t("field.email"), "email", email, true, "email"}, errors);
      web::field(f, ctx, {"password", ctx.t("field.password"), "password", "", true, "current-password"}, errors);
      web::submit(f, ctx.t("login.submit"));
    });
    b.open("p").el("a", {{"href", "/mot-de-passe-oublie"}}, ctx.t("login.forgot")).close();
    b.open("p").el("a", {{"href", "/inscription"}}, ctx.t("login.no_account")).close();
  }, status);
}

Response sign_in(Context& ctx, int64_t user_id, std::string target) {
  auto created = sessions::create(ctx.app.db(), user_id);
  ctx.set_cookie(web::kSessionCookie, created.token, sessions::kLifetimeSeconds);
  // Only local paths: never an open redirect.
  if (!web::is_local_path(target)) target = "/compte";
  return Response::redirect(target);
}

Response account_page(Context& ctx, const FormErrors& errors, std::string notice = {}, std::string new_token = {}) {
  const auto& a = *ctx.account;
  return web::page_response(ctx, {ctx.t("account.title"), std::nullopt, std::move(notice)}, [&](html::Builder& b) {
    web::error_summary(b, ctx, errors);
    {
      auto s = b.scope("section", {{"aria-labelledby", "profil"}});
      b.el("h2", {{"id", "profil"}}, ctx.t("account.profile"));
      b.el("p", {}, ctx.t("account.email_is", {{"email", a.email}}));
      web::form(b, ctx, "/compte/profil", [&](html::Builder& f) {
        web::field(f, ctx, {"display_name", ctx.t("field.display_name"), "text", a.display_name, true, "nickname"}, errors);
        web::select(f, ctx, "profile_type", ctx.t("field.profile_type"), profile_choices(ctx), a.profile_type, errors);
        web::select(f, ctx, "locale", ctx.t("field.locale"), {{"fr", "Français"}, {"en", "English"}}, a.locale.value_or(std::string(i18n::code(ctx.locale))), errors);
        web::submit(f, ctx.t("account.save"));
      });
    }
    {
      auto s = b.scope("section", {{"aria-labelledby", "roles"}});
      b.el("h2", {{"id", "roles"}}, ctx.t("account.roles"));
      if (a.platform_admin) b.el("p", {}, ctx.t("account.platform_admin"));
      if (a.memberships.empty() && !a.platform_admin) b.el("p", {}, ctx.t("account.no_roles"));
      auto ul = b.scope("ul");
      for (const auto& m : a.memberships) {
        b.open("li").el("a", {{"href", "/t/" + m.territory_slug + "/"}}, m.territory_name);
        b.text(" : " + ctx.t(std::string("role.") + std::string(web::role_name(m.role)))).close();
      }
    }
    consultations::pages::notifications_summary(b, ctx);  // followed contributions: unread count, link
    {
      auto s = b.scope("section", {{"aria-labelledby", "jetons"}});
      b.el("h2", {{"id", "jetons"}}, ctx.t("account.tokens"));
      b.el("p", {}, ctx.t("account.tokens_intro"));
      if (!new_token.empty()) {
        b.el("p", {{"role", "status"}, {"class", "notice"}}, ctx.t("account.token_created"));
        b.el("pre", {{"class", "token"}}, new_token);
      }
      auto tokens = list_api_tokens(ctx.app.db(), a.id);
      if (!tokens.empty()) {
        auto table = b.scope("table");
        b.el("caption", {}, ctx.t("account.tokens_caption"));
        b.open("thead").open("tr").el("th", {{"scope", "col"}}, ctx.t("account.token_name")).el("th", {{"scope", "col"}}, ctx.t("account.token_created_at"))
            .el("th", {{"scope", "col"}}, ctx.t("account.token_last_used")).el("th", {{"scope", "col"}}, ctx.t("account.actions")).close().close();
        auto tb = b.scope("tbody");
        for (const auto& t : tokens) {
          auto tr = b.scope("tr");
          b.el("td", {}, t.name).el("td", {}, i18n::format_date(ctx.locale, t.created_at));
          b.el("td", {}, t.last_used_at ? i18n::format_datetime(ctx.locale, *t.last_used_at) : ctx.t("account.token_never_used"));
          b.open("td");
          web::form(b, ctx, "/compte/jetons/" + std::to_string(t.id) + "/revoquer", [&](html::Builder& f) {
            f.el("button", {{"type", "submit"}, {"class", "link-button"}}, ctx.t("account.token_revoke", {{"name", t.name}}));
          });
          b.close();
        }
      }
      web::form(b, ctx, "/compte/jetons", [&](html::Builder& f) {
        web::field(f, ctx, {"name", ctx.t("account.token_name"), "text", "", true}, errors);
        web::submit(f, ctx.t("account.token_create"));
      });
    }
    {
      auto s = b.scope("section", {{"aria-labelledby", "donnees"}});
      b.el("h2", {{"id", "donnees"}}, ctx.t("account.data"));
      b.open("p").el("a", {{"href", "/compte/export.json"}, {"download", "passerelle-mes-donnees.json"}}, ctx.t("account.export")).close();
      b.el("h3", {}, ctx.t("account.erase"));
      b.el("p", {}, ctx.t("account.erase_intro"));
      web::form(b, ctx, "/compte/suppression", [&](html::Builder& f) {
        web::field(f, ctx, {"password", ctx.t("account.erase_password"), "password", "", true, "current-password"}, errors);
        web::field(f, ctx, {"confirm", ctx.t("account.erase_confirm"), "checkbox", "", true}, errors);
        web::submit(f, ctx.t("account.erase_submit"));
      });
    }
  }, errors.empty() ? 200 : 422);
}

}  // namespace

void register_pages(web::App& app) {
  app.page(Method::get, "/inscription", "inscription", [](Context& ctx) {
    SignUp s;
    s.territory_slug = ctx.req.query_fields().value("territoire");
    return signup_form(ctx, s, {});
  });
  app.page(Method::post, "/inscription", "inscription", [](Context& ctx) {
    if (auto r = limited(ctx, kSignupPerIp, ctx.req.remote_ip)) return *r;
    const auto& f = ctx.req.form();
    SignUp s{f.value("email"), f.value("display_name"), f.value("profile_type"), f.value("password"), f.value("territory"), f.has("charter")};
    Errors errors;
    auto id = sign_up(ctx.app.db(), s, public_url(ctx), errors);
    if (!id) return signup_form(ctx, s, {errors}, 422);
    return web::page_response(ctx, {ctx.t("signup.done_title")}, [&](html::Builder& b) {
      b.el("p", {{"role", "status"}}, ctx.t("signup.done_text", {{"email", s.email}}));
    });
  }, true);

  app.page(Method::get, "/confirmation", "confirmation", [](Context& ctx) {
    auto s = confirm_email(ctx.app.db(), ctx.req.query_fields().value("jeton"));
    if (!s) return ctx.app.error_response(ctx, 400, ctx.t(s.error()));
    return login_form(ctx, "", {}, ctx.t("signup.confirmed"));
  });

  app.page(Method::get, "/connexion", "connexion", [](Context& ctx) { return login_form(ctx, "", {}); });
  app.page(Method::post, "/connexion", "connexion", [](Context& ctx) {
    const auto& f = ctx.req.form();
    std::string email = f.value("email");
    if (auto r = limited(ctx, kLoginPerIp, ctx.req.remote_ip)) return *r;
    if (auto r = limited(ctx, kLoginPerEmail, str::lower_ascii(email))) return *r;
    auto id = authenticate(ctx.app.db(), email, f.value("password"));
    if (!id) return login_form(ctx, email, {{id.error()}}, {}, id.error().kind == ErrorKind::forbidden ? 403 : 401);
    return sign_in(ctx, *id, ctx.req.query_fields().value("retour"));
  }, true);

  app.page(Method::post, "/deconnexion", "deconnexion", [](Context& ctx) {
    if (auto token = ctx.req.cookie(web::kSessionCookie)) sessions::destroy(ctx.app.db(), *token);
    ctx.set_cookie(web::kSessionCookie, "", 0);
    return Response::redirect("/");
  });

  app.page(Method::get, "/mot-de-passe-oublie", "mot-de-passe-oublie", [](Context& ctx) {
    return web::page_response(ctx, {ctx.t("reset.title")}, [&](html::Builder& b) {
      b.el("p", {}, ctx.t("reset.intro"));
      web::form(b, ctx, "/mot-de-passe-oublie", [&](html::Builder& f) {
        web::field(f, ctx, {"email", ctx.t("field.email"), "email", "", true, "email"}, {});
        web::submit(f, ctx.t("reset.submit"));
      });
    });
  });
  app.page(Method::post, "/mot-de-passe-oublie", "mot-de-passe-oublie", [](Context& ctx) {
    if (auto r = limited(ctx, kResetPerIp, ctx.req.remote_ip)) return *r;
    request_password_reset(ctx.app.db(), ctx.req.form().value("email"), public_url(ctx));
    return web::page_response(ctx, {ctx.t("reset.title")}, [&](html::Builder& b) { b.el("p", {{"role", "status"}}, ctx.t("reset.sent")); });
  });

  auto new_password_form = [](Context& ctx, const std::string& token, const FormErrors& errors, unsigned status) {
    return web::page_response(ctx, {ctx.t("reset.new_title")}, [&](html::Builder& b) {
      web::error_summary(b, ctx, errors);
      web::form(b, ctx, "/mot-de-passe/nouveau", [&](html::Builder& f) {
        f.void_el("input", {{"type", "hidden"}, {"name", "jeton"}, {"value", token}});
        web::field(f, ctx, {"password", ctx.t("field.new_password"), "password", "", true, "new-password", ctx.t("field.password_hint")}, errors);
        web::submit(f, ctx.t("reset.new_submit"));
      });
    }, status);
  };
  app.page(Method::get, "/mot-de-passe/nouveau", "mot-de-passe-nouveau", [new_password_form](Context& ctx) {
    return new_password_form(ctx, ctx.req.query_fields().value("jeton"), {}, 200);
  });
  app.page(Method::post, "/mot-de-passe/nouveau", "mot-de-passe-nouveau", [new_password_form](Context& ctx) {
    std::string token = ctx.req.form().value("jeton");
    auto s = reset_password(ctx.app.db(), token, ctx.req.form().value("password"));
    if (!s) return new_password_form(ctx, token, {{s.error()}}, 422);
    return login_form(ctx, "", {}, ctx.t("reset.done"));
  }, true);

  auto require_account = [](auto handler) {
    return [handler](Context& ctx) -> Response { return web::guard(ctx, web::any_account, [&] { return handler(ctx); }); };
  };
  app.page(Method::get, "/compte", "compte", require_account([](Context& ctx) { return account_page(ctx, {}); }));
  app.page(Method::post, "/compte/profil", "compte-profil", require_account([](Context& ctx) {
    const auto& f = ctx.req.form();
    auto s = update_profile(ctx.app.db(), ctx.account->id, f.value("display_name"), f.value("profile_type"), f.value("locale"));
    if (!s) return account_page(ctx, {{s.error()}});
    ctx.account = ctx.app.load_account(ctx.account->id);
    ctx.locale = i18n::parse_locale(ctx.account->locale.value_or("fr"));
    return account_page(ctx, {}, ctx.t("account.saved"));
  }));
  app.page(Method::post, "/compte/jetons", "compte-jetons", require_account([](Context& ctx) {
    std::string name(str::trim(ctx.req.form().value("name")));
    if (name.empty() || name.size() > 100) return account_page(ctx, {{Error::validation("name", "account.token_name_required")}});
    std::string token = create_api_token(ctx.app.db(), ctx.account->id, name);
    return account_page(ctx, {}, {}, token);
  }));
  app.page(Method::post, "/compte/jetons/{id}/revoquer", "compte-jeton-revoquer", require_account([](Context& ctx) {
    if (auto id = str::to_int(ctx.req.param("id"))) revoke_api_token(ctx.app.db(), ctx.account->id, *id);
    return account_page(ctx, {}, ctx.t("account.token_revoked"));
  }));
  app.page(Method::get, "/compte/export.json", "compte-export", require_account([](Context& ctx) {
    Response r = Response::json(export_json(ctx.app.db(), ctx.account->id));
    r.header("Content-Disposition", "attachment; filename=\"passerelle-mes-donnees.json\"");
    return r;
  }));
  app.page(Method::post, "/compte/suppression", "compte-suppression", require_account([](Context& ctx) {
    if (!ctx.req.form().has("confirm")) return account_page(ctx, {{Error::validation("confirm", "account.erase_confirm_required")}});
    auto s = erase(ctx.app.db(), ctx.account->id, ctx.req.form().value("password"));
    if (!s) return account_page(ctx, {{s.error()}});
    ctx.set_cookie(web::kSessionCookie, "", 0);
    ctx.account.reset();
    return web::page_response(ctx, {ctx.t("account.erased_title")}, [&](html::Builder& b) { b.el("p", {{"role", "status"}}, ctx.t("account.erased_text")); });
  }), true);
}

}  // namespace passerelle::accounts
