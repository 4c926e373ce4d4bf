// Administration of subscriptions: a territory's administrators follow other instances, see the
// outcome of each pull, pull now, stop following; platform administrators see them all.
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "platform/web/layout.hpp"
#include "practices/federation.hpp"
#include "territories/store.hpp"

namespace passerelle::practices::federation {

using http::Method;
using http::Response;
using web::Context;

namespace {

std::string base_of(const territories::Territory& t) { return "/t/" + t.slug + "/admin/federation"; }

std::string when(Context& ctx, std::optional<int64_t> at) {
  return at ? i18n::format_datetime(ctx.locale, *at) : ctx.t("federation.never");
}

void status_cell(html::Builder& b, Context& ctx, std::string_view status, const std::string& message) {
  auto td = b.scope("td");
  b.el("strong", {{"class", status == "erreur" ? "status-error" : "status"}}, ctx.t("federation.status." + std::string(status)));
  if (!message.empty()) b.el("p", {{"class", "muted"}}, message);
}

void subscription_section(html::Builder& b, Context& ctx, const territories::Territory& t, const Subscription& s) {
  std::string id = "abonnement-" + std::to_string(s.id);
  auto section = b.scope("section", {{"aria-labelledby", id}});
  b.el("h3", {{"id", id}}, s.origin);
  b.open("p").text(ctx.t("federation.followed_url") + " ").el("a", {{"href", s.url}}, s.url).close();
  b.el("p", {}, ctx.t("federation.last_pull", {{"when", when(ctx, s.last_pull_at)}}));
  auto pulls = history(ctx.app.db(), s.id, 5);
  if (!pulls.empty()) {
    auto table = b.scope("table");
    b.el("caption", {}, ctx.t("federation.history_caption", {{"origin", s.origin}}));
    b.open("thead").open("tr").el("th", {{"scope", "col"}}, ctx.t("federation.col_when")).el("th", {{"scope", "col"}}, ctx.t("federation.col_status"))
        .close().close();
    auto tb = b.scope("tbody");
    for (const auto& p : pulls) {
      auto tr = b.scope("tr");
      b.el("td", {}, i18n::format_datetime(ctx.locale, p.finished_at));
      status_cell(b, ctx, p.ok ? "ok" : "erreur", p.message);
    }
  }
  auto actions = b.scope("div", {{"class", "actions"}});
  web::form(b, ctx, base_of(t) + "/" + std::to_string(s.id) + "/importer", [&](html::Builder& f) {
    f.el("button", {{"type", "submit"}, {"class", "button"}}, ctx.t("federation.pull_now", {{"origin", s.origin}}));
  });
  web::form(b, ctx, base_of(t) + "/" + std::to_string(s.id) + "/supprimer", [&](html::Builder& f) {
    f.el("button", {{"type", "submit"}, {"class", "link-button"}}, ctx.t("federation.unsubscribe", {{"origin", s.origin}}));
  });
}

Response territory_page(Context& ctx, const territories::Territory& t, const std::string& typed, const web::FormErrors& errors,
                        std::string notice = {}) {
  web::PageSpec spec{ctx.t("federation.title", {{"territory", t.name}}), web::TerritoryRef{t.id, t.slug, t.name}, std::move(notice)};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    b.el("p", {}, ctx.t("federation.intro"));
    web::error_summary(b, ctx, errors);
    auto subs = list(ctx.app.db(), t.id);
    {
      auto section = b.scope("section", {{"aria-labelledby", "abonnements"}});
      b.el("h2", {{"id", "abonnements"}}, ctx.t("federation.subscriptions"));
      if (subs.empty()) b.el("p", {}, ctx.t("federation.none"));
      for (const auto& s : subs) subscription_section(b, ctx, t, s);
    }
    {
      auto section = b.scope("section", {{"aria-labelledby", "suivre"}});
      b.el("h2", {{"id", "suivre"}}, ctx.t("federation.add_title"));
      web::form(b, ctx, base_of(t), [&](html::Builder& f) {
        web::field(f, ctx, {"url", ctx.t("federation.field_url"), "url", typed, true, "url", ctx.t("federation.field_url_hint")}, errors);
        web::submit(f, ctx.t("federation.add"));
      });
    }
    b.open("p").el("a", {{"href", "/t/" + t.slug + "/admin/"}}, ctx.t("federation.back_admin")).close();
  });
}

template <class Fn>
Response as_admin(Context& ctx, Fn&& fn) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404, ctx.t("territory.not_found"));
  return web::guard(ctx, [&](const web::Account& a) { return a.administers(t->id); }, [&] { return fn(*t); }, base_of(*t));
}

// The subscription named in the URL, if it belongs to this territory.
std::optional<Subscription> own_subscription(Context& ctx, const territories::Territory& t) {
  auto id = str::to_int(ctx.req.param("id"));
  if (!id) return std::nullopt;
  auto s = find(ctx.app.db(), *id);
  if (!s || s->territory_id != t.id) return std::nullopt;
  return s;
}

}  // namespace

void register_pages(web::App& app) {
  app.page(Method::get, "/t/{slug}/admin/federation", "federation-admin", [](Context& ctx) {
    return as_admin(ctx, [&](const territories::Territory& t) { return territory_page(ctx, t, "", {}); });
  });
  app.page(Method::post, "/t/{slug}/admin/federation", "federation-admin", [](Context& ctx) {
    return as_admin(ctx, [&](const territories::Territory& t) {
      std::string url = ctx.req.form().value("url");
      auto s = subscribe(ctx.app.db(), t.id, url, ctx.account->id);
      if (!s) return territory_page(ctx, t, url, {{s.error()}});
      return territory_page(ctx, t, "", {}, ctx.t("federation.added", {{"origin", s->origin}}));
    });
  });
  app.page(Method::post, "/t/{slug}/admin/federation/{id}/importer", "federation-admin", [](Context& ctx) {
    return as_admin(ctx, [&](const territories::Territory& t) {
      auto s = own_subscription(ctx, t);
      if (!s) return ctx.app.error_response(ctx, 404);
      auto rec = pull(ctx.app.db(), *s);
      return territory_page(ctx, t, "", {}, ctx.t(rec.ok ? "federation.pulled" : "federation.pull_failed", {{"message", rec.message}}));
    });
  }, /*slow=*/true);
  app.page(Method::post, "/t/{slug}/admin/federation/{id}/supprimer", "federation-admin", [](Context& ctx) {
    return as_admin(ctx, [&](const territories::Territory& t) {
      auto s = own_subscription(ctx, t);
      if (!s) return ctx.app.error_response(ctx, 404);
      (void)unsubscribe(ctx.app.db(), s->id, ctx.account->id);
      return territory_page(ctx, t, "", {}, ctx.t("federation.removed", {{"origin", s->origin}}));
    });
  });

  app.page(Method::get, "/admin/federation", "federation-plateforme", [](Context& ctx) {
    return web::guard(ctx, web::platform_admin, [&] {
      auto subs = list(ctx.app.db());
      return web::page_response(ctx, {ctx.t("federation.platform_title")}, [&](html::Builder& b) {
        b.el("p", {}, ctx.t("federation.platform_intro"));
        if (subs.empty()) {
          b.el("p", {}, ctx.t("federation.none"));
        } else {
          auto table = b.scope("table");
          b.el("caption", {}, ctx.t("federation.platform_caption", {{"count", std::to_string(subs.size())}}));
          b.open("thead").open("tr").el("th", {{"scope", "col"}}, ctx.t("federation.col_territory")).el("th", {{"scope", "col"}}, ctx.t("federation.col_origin"))
              .el("th", {{"scope", "col"}}, ctx.t("federation.col_when")).el("th", {{"scope", "col"}}, ctx.t("federation.col_status")).close().close();
          auto tb = b.scope("tbody");
          for (const auto& s : subs) {
            auto tr = b.scope("tr");
            b.open("td").el("a", {{"href", "/t/" + s.territory_slug + "/admin/federation"}}, s.territory_name).close();
            b.el("td", {}, s.url).el("td", {}, when(ctx, s.last_pull_at));
            status_cell(b, ctx, s.last_status, s.last_message);
          }
        }
        auto ul = b.scope("ul");
        for (const auto& t : territories::list(ctx.app.db()))
          b.open("li").el("a", {{"href", base_of(t)}}, ctx.t("federation.manage_for", {{"territory", t.name}})).close();
      });
    });
  });
}

}  // namespace passerelle::practices::federation
