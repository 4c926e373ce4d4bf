#include "territories/pages.hpp"

#include <algorithm>

#include "accounts/store.hpp"
#include "platform/core/strings.hpp"
#include "platform/html/markdown.hpp"
#include "platform/i18n/format.hpp"
#include "platform/web/layout.hpp"
#include "territories/store.hpp"

namespace passerelle::territories {

using http::Method;
using http::Response;
using web::Context;

namespace {

web::TerritoryRef ref(const Territory& t) { return {t.id, t.slug, t.name}; }

// Runs `fn` with the territory named in the URL, or answers 404.
template <class Fn>
Response with_territory(Context& ctx, Fn&& fn) {
  auto t = find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404, ctx.t("territory.not_found"));
  return fn(*t);
}

// A legal page belongs to a territory, or to the platform itself when `t` is empty.
std::string legal_url(const std::optional<Territory>& t, const std::string& page) { return t ? "/t/" + t->slug + "/" + page : "/" + page; }
std::string legal_edit_url(const std::optional<Territory>& t, const std::string& page) {
  return t ? "/t/" + t->slug + "/admin/pages/" + page : "/admin/pages/" + page;
}
bool may_edit_legal(const web::Account& a, const std::optional<Territory>& t) { return t ? a.administers(t->id) : a.platform_admin; }

std::string legal_text(Context& ctx, const std::optional<Territory>& t, const std::string& page) {
  auto body = t ? legal_page(ctx.app.db(), t->id, page) : platform_legal_page(ctx.app.db(), page);
  return body.value_or(ctx.t("legal." + page + ".default", {{"territory", t ? t->name : ctx.app.config().instance_name}}));
}

Response legal(Context& ctx, const std::optional<Territory>& t, const std::string& page) {
  if (!is_legal_page(page)) return ctx.app.error_response(ctx, 404);
  std::string text = legal_text(ctx, t, page);
  web::PageSpec spec{ctx.t("legal." + page + ".title")};
  if (t) spec.territory = ref(*t);
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    auto div = b.scope("div", {{"class", "prose"}});
    b.trusted(html::render_markdown(text));
    if (ctx.account && may_edit_legal(*ctx.account, t))
      b.open("p").el("a", {{"href", legal_edit_url(t, page)}}, ctx.t("legal.edit")).close();
  });
}

Response legal_editor(Context& ctx, const std::optional<Territory>& t, const std::string& page, const std::string& body, std::string notice) {
  web::PageSpec spec{ctx.t("legal.edit_page", {{"page", ctx.t("legal." + page + ".title")}}), std::nullopt, std::move(notice)};
  if (t) spec.territory = ref(*t);
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    web::form(b, ctx, legal_edit_url(t, page), [&](html::Builder& f) {
      web::field(f, ctx, {"body", ctx.t("field.page_body"), "textarea", body, true, {}, ctx.t("field.markdown_hint")}, {});
      web::submit(f, ctx.t("account.save"));
    });
    b.open("p").el("a", {{"href", legal_url(t, page)}}, ctx.t("legal.view")).close();
  });
}

// GET shows the editor, POST saves; both behind the right guard for the page's owner.
void register_legal_editor(web::App& app, const std::string& pattern, std::function<std::optional<Territory>(Context&, bool&)> owner) {
  auto handle = [owner](Context& ctx, bool save) -> Response {
    bool found = true;
    auto t = owner(ctx, found);
    if (!found) return ctx.app.error_response(ctx, 404, ctx.t("territory.not_found"));
    std::string page = ctx.req.param("page");
    return web::guard(ctx, [&](const web::Account& a) { return may_edit_legal(a, t); }, [&] {
      if (!is_legal_page(page)) return ctx.app.error_response(ctx, 404);
      if (!save) return legal_editor(ctx, t, page, legal_text(ctx, t, page), {});
      std::string body = ctx.req.form().value("body");
      if (t) save_legal_page(ctx.app.db(), t->id, page, body, ctx.account->id);
      else save_platform_legal_page(ctx.app.db(), page, body, ctx.account->id);
      return legal_editor(ctx, t, page, body, ctx.t("account.saved"));
    }, legal_edit_url(t, page));
  };
  app.page(Method::get, pattern, "page-legale-edition", [handle](Context& ctx) { return handle(ctx, false); });
  app.page(Method::post, pattern, "page-legale-edition", [handle](Context& ctx) { return handle(ctx, true); });
}

Response admin_page(Context& ctx, const Territory& t, const web::FormErrors& errors, std::string notice = {}) {
  web::PageSpec spec{ctx.t("territory.admin_title", {{"territory", t.name}}), ref(t), std::move(notice)};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    web::error_summary(b, ctx, errors);
    {
      auto s = b.scope("section", {{"aria-labelledby", "presentation"}});
      b.el("h2", {{"id", "presentation"}}, ctx.t("territory.presentation"));
      web::form(b, ctx, "/t/" + t.slug + "/admin/presentation", [&](html::Builder& f) {
        web::field(f, ctx, {"name", ctx.t("field.territory_name"), "text", t.name, true}, errors);
        web::field(f, ctx, {"summary", ctx.t("field.summary"), "textarea", t.summary, false, {}, ctx.t("field.markdown_hint")}, errors);
        web::submit(f, ctx.t("account.save"));
      });
    }
    {
      auto s = b.scope("section", {{"aria-labelledby", "roles"}});
      b.el("h2", {{"id", "roles"}}, ctx.t("territory.roles"));
      auto conn = ctx.app.db().read();
      auto rows = conn->query(
          "SELECT u.id, u.display_name, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id "
          "WHERE m.territory_id = ? AND m.role <> 'citoyen' ORDER BY u.display_name", {t.id});
      if (rows.empty()) b.el("p", {}, ctx.t("territory.no_roles"));
      else {
        auto table = b.scope("table");
        b.el("caption", {}, ctx.t("territory.roles_caption"));
        b.open("thead").open("tr").el("th", {{"scope", "col"}}, ctx.t("field.display_name")).el("th", {{"scope", "col"}}, ctx.t("field.email"))
            .el("th", {{"scope", "col"}}, ctx.t("field.role")).el("th", {{"scope", "col"}}, ctx.t("account.actions")).close().close();
        auto tb = b.scope("tbody");
        for (auto r : rows) {
          auto tr = b.scope("tr");
          b.el("td", {}, r.str(1)).el("td", {}, r.str(2)).el("td", {}, ctx.t("role." + r.str(3)));
          b.open("td");
          web::form(b, ctx, "/t/" + t.slug + "/admin/roles/retirer", [&](html::Builder& f) {
            f.void_el("input", {{"type", "hidden"}, {"name", "user"}, {"value", r.str(0)}});
            f.void_el("input", {{"type", "hidden"}, {"name", "role"}, {"value", r.str(3)}});
            f.el("button", {{"type", "submit"}, {"class", "link-button"}}, ctx.t("territory.revoke", {{"name", r.str(1)}}));
          });
          b.close();
        }
      }
      std::vector<web::Choice> roles;
      for (const char* r : {"administrateur", "moderateur", "mediateur", "agent"}) roles.push_back({r, ctx.t(std::string("role.") + r)});
      web::form(b, ctx, "/t/" + t.slug + "/admin/roles", [&](html::Builder& f) {
        web::field(f, ctx, {"email", ctx.t("field.member_email"), "email", "", true, "off", ctx.t("territory.grant_hint")}, errors);
        web::select(f, ctx, "role", ctx.t("field.role"), roles, "agent", errors);
        web::submit(f, ctx.t("territory.grant"));
      });
    }
    {
      auto s = b.scope("section", {{"aria-labelledby", "pages"}});
      b.el("h2", {{"id", "pages"}}, ctx.t("territory.legal_pages"));
      auto ul = b.scope("ul");
      for (const char* p : kLegalPages)
        b.open("li").el("a", {{"href", "/t/" + t.slug + "/admin/pages/" + p}}, ctx.t("legal.edit_page", {{"page", ctx.t(std::string("legal.") + p + ".title")}})).close();
    }
    b.open("p").el("a", {{"href", "/t/" + t.slug + "/admin/federation"}}, ctx.t("federation.title", {{"territory", t.name}})).close();
  });
}

// Only administrators of this territory (or of the platform) get past this.
template <class Fn>
Response as_admin(Context& ctx, Fn&& fn) {
  return with_territory(ctx, [&](const Territory& t) {
    return web::guard(ctx, [&](const web::Account& a) { return a.administers(t.id); }, [&] { return fn(t); },
                      "/t/" + t.slug + "/admin/");
  });
}

}  // namespace

void register_pages(web::App& app) {
  app.page(Method::get, "/", "accueil", [](Context& ctx) {
    auto list = territories::list(ctx.app.db());
    std::sort(list.begin(), list.end(), [&](const auto& a, const auto& b) { return i18n::compare(ctx.locale, a.name, b.name) < 0; });
    return web::page_response(ctx, {ctx.t("home.title")}, [&](html::Builder& b) {
      b.el("p", {{"class", "lead"}}, ctx.t("home.intro"));
      auto s = b.scope("section", {{"aria-labelledby", "territoires"}});
      b.el("h2", {{"id", "territoires"}}, ctx.t("home.territories"));
      if (list.empty()) {
        b.el("p", {}, ctx.t("home.no_territory"));
        return;
      }
      auto ul = b.scope("ul", {{"class", "cards"}});
      for (const auto& t : list) {
        auto li = b.scope("li", {{"class", "card"}});
        b.open("h3").el("a", {{"href", "/t/" + t.slug + "/"}}, t.name).close();
        b.el("p", {{"class", "muted"}}, ctx.t("territory.kind." + t.kind) + " · " +
                                            ctx.t("territory.communes", {{"count", i18n::format_integer(ctx.locale, static_cast<int64_t>(t.insee_codes.size()))}}));
      }
    });
  });

  app.page(Method::get, "/t/{slug}/", "territoire", [](Context& ctx) {
    return with_territory(ctx, [&](const Territory& t) {
      return web::page_response(ctx, {t.name, ref(t)}, [&](html::Builder& b) {
        b.el("p", {{"class", "muted"}}, ctx.t("territory.kind." + t.kind) + " · " +
                                            ctx.t("territory.communes", {{"count", i18n::format_integer(ctx.locale, static_cast<int64_t>(t.insee_codes.size()))}}));
        if (!t.summary.empty()) {
          auto div = b.scope("div", {{"class", "prose"}});
          b.trusted(html::render_markdown(t.summary));
        }
        {
          auto s = b.scope("section", {{"aria-labelledby", "participer"}});
          b.el("h2", {{"id", "participer"}}, ctx.t("territory.take_part"));
          if (ctx.account) b.el("p", {}, ctx.t("territory.signed_in_as", {{"name", ctx.account->display_name}}));
          else b.open("p").el("a", {{"href", "/inscription?territoire=" + t.slug}}, ctx.t("territory.join")).close();
          b.open("p").text(ctx.t("territory.read_charter") + " ").el("a", {{"href", "/t/" + t.slug + "/charte"}}, ctx.t("legal.charte.title")).close();
        }
        b.open("p").el("a", {{"href", "/t/" + t.slug + "/pratiques"}}, ctx.t("practices_pages.territory_home_link", {{"territory", t.name}})).close();
        b.open("p").el("a", {{"href", "/t/" + t.slug + "/lieux"}}, ctx.t("places_pages.territory.home_link", {{"territory", t.name}})).close();
        if (!t.insee_codes.empty()) {
          auto s = b.scope("section", {{"aria-labelledby", "communes"}});
          b.el("h2", {{"id", "communes"}}, ctx.t("territory.insee_title"));
          auto ul = b.scope("ul", {{"class", "inline-list"}});
          for (const auto& c : t.insee_codes) b.el("li", {}, c);
        }
        if (ctx.account && (ctx.account->platform_admin || ctx.account->has_role(t.id, web::Role::moderateur) ||
                            ctx.account->has_role(t.id, web::Role::agent) || ctx.account->has_role(t.id, web::Role::administrateur)))
          b.open("p").el("a", {{"href", "/moderation/lieux"}}, ctx.t("places_pages.moderation.link")).close();
        if (ctx.account && ctx.account->administers(t.id))
          b.open("p").el("a", {{"href", "/t/" + t.slug + "/admin/"}, {"class", "button"}}, ctx.t("territory.admin_link")).close();
      });
    });
  });

  app.page(Method::get, "/t/{slug}/admin/", "territoire-admin", [](Context& ctx) {
    return as_admin(ctx, [&](const Territory& t) { return admin_page(ctx, t, {}); });
  });
  app.page(Method::post, "/t/{slug}/admin/presentation", "territoire-admin", [](Context& ctx) {
    return as_admin(ctx, [&](const Territory& t) {
      auto s = update_summary(ctx.app.db(), t, ctx.req.form().value("name"), ctx.req.form().value("summary"), ctx.account->id);
      if (!s) return admin_page(ctx, t, {{s.error()}});
      return admin_page(ctx, *find(ctx.app.db(), t.slug), {}, ctx.t("account.saved"));
    });
  });
  app.page(Method::post, "/t/{slug}/admin/roles", "territoire-admin", [](Context& ctx) {
    return as_admin(ctx, [&](const Territory& t) {
      auto user = accounts::find_user_id(ctx.app.db(), ctx.req.form().value("email"));
      auto role = web::parse_role(ctx.req.form().value("role"));
      if (!user) return admin_page(ctx, t, {{Error::validation("email", "territory.member_unknown")}});
      if (!role) return admin_page(ctx, t, {{Error::validation("role", "territory.role_invalid")}});
      (void)accounts::grant_role(ctx.app.db(), *user, t.id, *role, ctx.account->id);
      return admin_page(ctx, t, {}, ctx.t("territory.granted"));
    });
  });
  app.page(Method::post, "/t/{slug}/admin/roles/retirer", "territoire-admin", [](Context& ctx) {
    return as_admin(ctx, [&](const Territory& t) {
      auto user = str::to_int(ctx.req.form().value("user"));
      auto role = web::parse_role(ctx.req.form().value("role"));
      if (!user || !role) return admin_page(ctx, t, {{Error::validation("role", "territory.role_invalid")}});
      (void)accounts::revoke_role(ctx.app.db(), *user, t.id, *role, ctx.account->id);
      return admin_page(ctx, t, {}, ctx.t("territory.revoked"));
    });
  });

  register_legal_editor(app, "/t/{slug}/admin/pages/{page}", [](Context& ctx, bool& found) {
    auto t = find(ctx.app.db(), ctx.req.param("slug"));
    found = t.has_value();
    return t;
  });
  register_legal_editor(app, "/admin/pages/{page}", [](Context&, bool& found) { found = true; return std::optional<Territory>(); });

  app.page(Method::get, "/t/{slug}/{page}", "territoire-page", [](Context& ctx) {
    return with_territory(ctx, [&](const Territory& t) { return legal(ctx, t, ctx.req.param("page")); });
  });
  app.page(Method::get, "/{page}", "page-legale", [](Context& ctx) { return legal(ctx, std::nullopt, ctx.req.param("page")); });
}

}  // namespace passerelle::territories
