#include "admin/pages.hpp"

#include "accounts/store.hpp"
#include "platform/i18n/format.hpp"
#include "platform/web/layout.hpp"
#include "territories/store.hpp"

namespace passerelle::admin {

using http::Method;
using http::Response;
using web::Context;

namespace {

template <class Fn>
Response as_platform_admin(Context& ctx, Fn&& fn) {
  return web::guard(ctx, web::platform_admin, fn);
}

void admin_nav(html::Builder& b, Context& ctx) {
  auto nav = b.scope("nav", {{"aria-label", ctx.t("admin.nav")}});
  auto ul = b.scope("ul", {{"class", "nav-list"}});
  for (auto [href, key] : {std::pair{"/admin/", "admin.territories"}, {"/admin/comptes", "admin.accounts"},
                           {"/admin/courriels", "admin.outbox"}, {"/admin/journal", "admin.audit"},
                           {"/admin/federation", "federation.platform_title"}})
    b.open("li").el("a", {{"href", href}, {"aria-current", "page", ctx.req.path == href}}, ctx.t(key)).close();
}

Response territories_page(Context& ctx, const territories::NewTerritory& draft, const web::FormErrors& errors, std::string notice = {}) {
  return web::page_response(ctx, {ctx.t("admin.territories"), std::nullopt, std::move(notice)}, [&](html::Builder& b) {
    admin_nav(b, ctx);
    web::error_summary(b, ctx, errors);
    auto list = territories::list(ctx.app.db());
    {
      auto table = b.scope("table");
      b.el("caption", {}, ctx.t("admin.territories_caption", {{"count", std::to_string(list.size())}}));
      b.open("thead").open("tr").el("th", {{"scope", "col"}}, ctx.t("field.territory_name")).el("th", {{"scope", "col"}}, ctx.t("field.slug"))
          .el("th", {{"scope", "col"}}, ctx.t("field.kind")).el("th", {{"scope", "col"}}, ctx.t("admin.communes")).close().close();
      auto tb = b.scope("tbody");
      for (const auto& t : list) {
        auto tr = b.scope("tr");
        b.open("td").el("a", {{"href", "/t/" + t.slug + "/admin/"}}, t.name).close();
        b.el("td", {}, t.slug).el("td", {}, ctx.t("territory.kind." + t.kind)).el("td", {}, std::to_string(t.insee_codes.size()));
      }
    }
    b.el("h2", {}, ctx.t("admin.new_territory"));
    web::form(b, ctx, "/admin/territoires", [&](html::Builder& f) {
      web::field(f, ctx, {"name", ctx.t("field.territory_name"), "text", draft.name, true}, errors);
      web::field(f, ctx, {"slug", ctx.t("field.slug"), "text", draft.slug, true, "off", ctx.t("field.slug_hint")}, errors);
      std::vector<web::Choice> kinds;
      for (const char* k : {"commune", "intercommunalite", "departement", "region", "autre"}) kinds.push_back({k, ctx.t(std::string("territory.kind.") + k)});
      web::select(f, ctx, "kind", ctx.t("field.kind"), kinds, draft.kind, errors);
      web::field(f, ctx, {"insee", ctx.t("field.insee"), "textarea", draft.insee_codes, false, {}, ctx.t("field.insee_hint")}, errors);
      web::submit(f, ctx.t("admin.create_territory"));
    });
  });
}

}  // namespace

void register_pages(web::App& app) {
  app.page(Method::get, "/admin/", "admin", [](Context& ctx) {
    return as_platform_admin(ctx, [&] { return territories_page(ctx, {}, {}); });
  });
  app.page(Method::post, "/admin/territoires", "admin", [](Context& ctx) {
    return as_platform_admin(ctx, [&] {
      const auto& f = ctx.req.form();
      territories::NewTerritory nt{f.value("slug"), f.value("name"), f.value("kind"), f.value("insee"), ""};
      Errors errors;
      auto t = territories::create(ctx.app.db(), nt, ctx.account->id, errors);
      if (!t) {
        Response r = territories_page(ctx, nt, {errors});
        r.status = 422;
        return r;
      }
      return territories_page(ctx, {}, {}, ctx.t("admin.territory_created", {{"name", t->name}}));
    });
  });

  app.page(Method::get, "/admin/comptes", "admin", [](Context& ctx) {
    return as_platform_admin(ctx, [&] {
      return web::page_response(ctx, {ctx.t("admin.accounts")}, [&](html::Builder& b) {
        admin_nav(b, ctx);
        auto conn = ctx.app.db().read();
        auto rows = conn->query("SELECT email, display_name, profile_type, created_at, email_confirmed_at, is_platform_admin FROM users "
                                "WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 200");
        auto table = b.scope("table");
        b.el("caption", {}, ctx.t("admin.accounts_caption"));
        b.open("thead").open("tr").el("th", {{"scope", "col"}}, ctx.t("field.email")).el("th", {{"scope", "col"}}, ctx.t("field.display_name"))
            .el("th", {{"scope", "col"}}, ctx.t("field.profile_type")).el("th", {{"scope", "col"}}, ctx.t("admin.created_at"))
            .el("th", {{"scope", "col"}}, ctx.t("admin.status")).close().close();
        auto tb = b.scope("tbody");
        for (auto r : rows) {
          auto tr = b.scope("tr");
          b.el("td", {}, r.str(0)).el("td", {}, r.str(1)).el("td", {}, ctx.t("profile." + r.str(2)))
              .el("td", {}, i18n::format_date(ctx.locale, r.int64(3)))
              .el("td", {}, r.int64(5) ? ctx.t("admin.platform_admin") : (r.null(4) ? ctx.t("admin.unconfirmed") : ctx.t("admin.confirmed")));
        }
      });
    });
  });

  app.page(Method::get, "/admin/courriels", "admin", [](Context& ctx) {
    return as_platform_admin(ctx, [&] {
      return web::page_response(ctx, {ctx.t("admin.outbox")}, [&](html::Builder& b) {
        admin_nav(b, ctx);
        b.el("p", {}, ctx.app.config().smtp.host.empty() ? ctx.t("admin.outbox_no_smtp") : ctx.t("admin.outbox_smtp", {{"host", ctx.app.config().smtp.host}}));
        auto conn = ctx.app.db().read();
        auto rows = conn->query("SELECT id, created_at, recipient, subject, body, sent_at, last_error FROM outbox ORDER BY id DESC LIMIT 100");
        if (rows.empty()) b.el("p", {}, ctx.t("admin.outbox_empty"));
        // Mails are written in French (accounts/store.cpp): say so on an English page (RGAA 8.7).
        bool other_lang = ctx.locale != i18n::Locale::fr;
        for (auto r : rows) {
          auto art = b.scope("article", {{"class", "mail"}, {"aria-labelledby", "courriel-" + r.str(0)}});
          b.el("h2", {{"id", "courriel-" + r.str(0)}, {"lang", "fr", other_lang}}, r.str(3));
          b.el("p", {{"class", "muted"}}, ctx.t("admin.mail_meta", {{"to", r.str(2)}, {"date", i18n::format_datetime(ctx.locale, r.int64(1))}}) + " · " +
                                              (r.null(5) ? ctx.t("admin.mail_pending") : ctx.t("admin.mail_sent")));
          b.el("pre", {{"class", "mail-body"}, {"lang", "fr", other_lang}}, r.str(4));
        }
      });
    });
  });

  app.page(Method::get, "/admin/journal", "admin", [](Context& ctx) {
    return as_platform_admin(ctx, [&] {
      return web::page_response(ctx, {ctx.t("admin.audit")}, [&](html::Builder& b) {
        admin_nav(b, ctx);
        auto conn = ctx.app.db().read();
        auto rows = conn->query("SELECT a.at, COALESCE(u.email, ''), a.action, a.target, a.details FROM audit_log a "
                                "LEFT JOIN users u ON u.id = a.actor_user_id ORDER BY a.id DESC LIMIT 200");
        auto table = b.scope("table");
        b.el("caption", {}, ctx.t("admin.audit_caption"));
        b.open("thead").open("tr").el("th", {{"scope", "col"}}, ctx.t("admin.date")).el("th", {{"scope", "col"}}, ctx.t("admin.actor"))
            .el("th", {{"scope", "col"}}, ctx.t("admin.action")).el("th", {{"scope", "col"}}, ctx.t("admin.target")).close().close();
        auto tb = b.scope("tbody");
        for (auto r : rows) {
          auto tr = b.scope("tr");
          b.el("td", {}, i18n::format_datetime(ctx.locale, r.int64(0))).el("td", {}, r.str(1)).el("td", {}, r.str(2))
              .el("td", {}, r.str(3) + (r.text(4).empty() ? "" : " (" + r.str(4) + ")"));
        }
      });
    });
  });
}

}  // namespace passerelle::admin
