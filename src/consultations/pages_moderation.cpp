// /t/{slug}/moderation: the moderators' queue (reported content, content held for review,
// requests for a second look) with publish / hide / trash and the reason shown in place.
#include "consultations/pages_shared.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "territories/store.hpp"

namespace passerelle::consultations::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

std::string why_label(Context& ctx, const QueueItem& item) {
  if (item.review_requested) return ctx.t("consultations_pages.moderation.why.review");
  if (item.reports > 0) return ctx.t("consultations_pages.moderation.why.reports", {{"count", std::to_string(item.reports)}, {"reasons", item.why}});
  if (item.why == "repeated") return ctx.t("consultations_pages.moderation.why.repeated");
  if (item.why == "links") return ctx.t("consultations_pages.moderation.why.links");
  return ctx.t("consultations_pages.moderation.why.premoderation");
}

Response queue_page(Context& ctx, const territories::Territory& t, const web::FormErrors& errors, unsigned status) {
  web::PageSpec spec{ctx.t("consultations_pages.moderation.title", {{"territory", t.name}}), web::TerritoryRef{t.id, t.slug, t.name}, notice(ctx)};
  auto items = moderation_queue(ctx.app.db(), t.id);
  return web::page_response(
      ctx, spec,
      [&](html::Builder& b) {
        web::error_summary(b, ctx, errors);
        if (items.empty()) {
          b.el("p", {{"role", "status"}}, ctx.t("consultations_pages.moderation.empty"));
          return;
        }
        b.el("p", {{"role", "status"}}, ctx.t("consultations_pages.moderation.count", {{"count", i18n::format_integer(ctx.locale, static_cast<int64_t>(items.size()))}}));
        auto ol = b.scope("ol", {{"class", "queue"}});
        size_t n = 0;
        for (const auto& item : items) {
          ++n;
          auto li = b.scope("li", {{"class", "queue-item"}});
          std::string kind = ctx.t("consultations_pages.moderation.kind." + item.target_kind);
          b.open("h2").el("a", {{"href", contribution_url(item.contribution_id)}}, kind + " #" + std::to_string(item.target_id)).close();
          b.el("p", {{"class", "muted"}}, why_label(ctx, item) + " · " + ctx.t("consultations_pages.status." + std::string(name(item.status))));
          b.el("blockquote", {}, item.excerpt);
          std::string prefix = "moderation-" + std::to_string(n);
          auto f = b.scope("form", {{"method", "post"}, {"action", "/t/" + t.slug + "/moderation"}});
          b.void_el("input", {{"type", "hidden"}, {"name", "_csrf"}, {"value", ctx.csrf_token()}});
          b.void_el("input", {{"type", "hidden"}, {"name", "target_kind"}, {"value", item.target_kind}});
          b.void_el("input", {{"type", "hidden"}, {"name", "target_id"}, {"value", std::to_string(item.target_id)}});
          std::string reason_id = prefix + "-raison";
          b.el("label", {{"for", reason_id}}, ctx.t("consultations_pages.moderation.reason"));
          b.el("textarea", {{"id", reason_id}, {"name", "reason"}, {"rows", "2"}}, "");
          for (const char* action : {"publier", "masquer", "supprimer"})
            b.el("button", {{"type", "submit"}, {"name", "action"}, {"value", action}, {"class", "button"}}, ctx.t(std::string("consultations_pages.moderation.action.") + action));
        }
      },
      status);
}

Response get_queue(Context& ctx) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404);
  return web::guard(ctx, [&](const web::Account&) { return can_moderate(ctx.account, t->id); }, [&] { return queue_page(ctx, *t, {}, 200); });
}

Response post_queue(Context& ctx) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404);
  return web::guard(ctx, [&](const web::Account&) { return can_moderate(ctx.account, t->id); }, [&] {
    const auto& f = ctx.req.form();
    std::string kind = f.value("target_kind");
    auto id = str::to_int(f.value("target_id"));
    auto action = parse_moderation(f.value("action"));
    web::FormErrors errors;
    if (!id || !action || territory_of(ctx.app.db(), kind, *id) != t->id) {
      errors.add(Error::validation("", "consultations_pages.moderation.unknown"));
      return queue_page(ctx, *t, errors, 422);
    }
    auto s = moderate(ctx.app.db(), kind, *id, *action, f.value("reason"), ctx.account->id);
    if (s) return back_to("/t/" + t->slug + "/moderation", "moderee");
    Error e = s.error();
    e.field.clear();
    errors.add(e);
    return queue_page(ctx, *t, errors, 422);
  });
}

}  // namespace

void register_moderation_pages(web::App& app) {
  app.page(Method::get, "/t/{slug}/moderation", "moderation", get_queue);
  app.page(Method::post, "/t/{slug}/moderation", "moderation", post_queue);
}

}  // namespace passerelle::consultations::pages
