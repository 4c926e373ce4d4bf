// Following a contribution in the interface: the button on the contribution page, /notifications
// (unread first and marked, links to the part of the contribution that changed, "tout marquer
// comme lu", the digest preference, the contributions followed) and their POST routes.
// Plain forms: everything works without JavaScript.
#include <algorithm>

#include "consultations/follow.hpp"
#include "consultations/pages_shared.hpp"
#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"

namespace passerelle::consultations::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

constexpr size_t kPerPage = 20;

std::string what(Context& ctx, const Notification& n) {
  std::string actor = n.actor_name.empty() ? ctx.t("consultations_follow.someone") : n.actor_name;
  return ctx.t("consultations_follow.kind." + std::string(name(n.kind)), {{"actor", actor}});
}

std::string unread_text(Context& ctx, int64_t unread) {
  if (unread == 0) return ctx.t("consultations_follow.unread.none");
  if (unread == 1) return ctx.t("consultations_follow.unread.one");
  return ctx.t("consultations_follow.unread.many", {{"count", i18n::format_integer(ctx.locale, unread)}});
}

// A one-button form whose accessible name says what it acts on (several share a visible label).
void named_button(html::Builder& b, Context& ctx, std::string_view action, const std::string& label, const std::string& accessible,
                  const std::vector<std::pair<std::string, std::string>>& hidden = {}) {
  auto f = b.scope("form", {{"method", "post"}, {"action", action}, {"class", "inline"}});
  b.void_el("input", {{"type", "hidden"}, {"name", "_csrf"}, {"value", ctx.csrf_token()}});
  for (const auto& [n, v] : hidden) b.void_el("input", {{"type", "hidden"}, {"name", n}, {"value", v}});
  b.el("button", {{"type", "submit"}, {"class", "button"}, {"aria-label", accessible}}, label);
}

std::string done_notice(Context& ctx) {
  static const char* const known[] = {"lues", "lue", "preferences", "plus_suivie"};
  std::string done = ctx.req.query_fields().value("fait");
  for (const char* k : known)
    if (done == k) return ctx.t(std::string("consultations_follow.done.") + k);
  return "";
}

void preference_form(html::Builder& b, Context& ctx, DigestFrequency current, const web::FormErrors& errors) {
  auto s = b.scope("section", {{"aria-labelledby", "resume"}});
  b.el("h2", {{"id", "resume"}}, ctx.t("consultations_follow.digest.title"));
  b.el("p", {}, ctx.t("consultations_follow.digest.explain"));
  web::error_summary(b, ctx, errors);
  web::form(b, ctx, "/notifications/preferences", [&](html::Builder& b) {
    {
      auto fs = b.scope("fieldset");
      b.el("legend", {}, ctx.t("consultations_follow.digest.legend"));
      for (DigestFrequency f : {DigestFrequency::daily, DigestFrequency::weekly, DigestFrequency::none}) {
        std::string key(name(f)), id = "resume-" + key;
        auto d = b.scope("div", {{"class", "radio"}});
        b.void_el("input", {{"type", "radio"}, {"name", "digest"}, {"value", key}, {"id", id}, {"checked", "", f == current}});
        b.el("label", {{"for", id}}, ctx.t("consultations_follow.frequency." + key));
      }
    }
    web::submit(b, ctx.t("consultations_follow.digest.submit"));
  });
}

Response notifications_view(Context& ctx, const web::FormErrors& errors = {}, unsigned status = 200) {
  return web::guard(ctx, web::any_account, [&] {
    int64_t user = ctx.account->id;
    int64_t page_no = std::max<int64_t>(1, str::to_int(ctx.req.query_fields().value("page")).value_or(1));
    auto page = notifications_of(ctx.app.db(), user, static_cast<size_t>(page_no - 1) * kPerPage, kPerPage);
    auto followed = followed_by(ctx.app.db(), user);
    web::PageSpec spec{ctx.t("consultations_follow.page.title"), std::nullopt, done_notice(ctx)};
    return web::page_response(
        ctx, spec,
        [&](html::Builder& b) {
          b.el("p", {{"id", "non-lues"}}, unread_text(ctx, page.unread));
          if (page.unread > 0) post_button(b, ctx, "/notifications/lues", ctx.t("consultations_follow.mark_all"));
          {
            auto s = b.scope("section", {{"aria-labelledby", "nouvelles"}});
            b.el("h2", {{"id", "nouvelles"}}, ctx.t("consultations_follow.page.list"));
            if (page.items.empty()) b.el("p", {{"class", "muted"}}, ctx.t("consultations_follow.page.empty"));
            else {
              auto ul = b.scope("ul", {{"class", "notifications"}});
              for (const auto& n : page.items) {
                bool unread = !n.read_at;
                auto li = b.scope("li", {{"class", unread ? "notification unread" : "notification"}, {"id", "notification-" + std::to_string(n.id)}});
                b.open("p");
                if (unread) b.el("strong", {{"class", "badge"}}, ctx.t("consultations_follow.unread_badge")).text(" ");
                b.el("a", {{"href", contribution_url(n.contribution_id) + std::string(anchor_of(n.kind))}},
                     what(ctx, n) + " — #" + std::to_string(n.contribution_id) + " " + n.contribution_title);
                b.close();
                b.el("p", {{"class", "muted"}}, i18n::format_datetime(ctx.locale, n.created_at));
                if (!n.excerpt.empty()) b.el("blockquote", {}, n.excerpt);
                if (unread)
                  named_button(b, ctx, "/notifications/" + std::to_string(n.id) + "/lue", ctx.t("consultations_follow.mark_one"),
                               ctx.t("consultations_follow.mark_one_named", {{"what", what(ctx, n)}, {"id", std::to_string(n.contribution_id)}}));
              }
            }
            int64_t pages = (page.total + static_cast<int64_t>(kPerPage) - 1) / static_cast<int64_t>(kPerPage);
            if (pages > 1) {
              auto nav = b.scope("nav", {{"aria-label", ctx.t("consultations_follow.page.pages")}});
              auto ul = b.scope("ul", {{"class", "pagination"}});
              if (page_no > 1)
                b.open("li").el("a", {{"href", "/notifications?page=" + std::to_string(page_no - 1)}, {"rel", "prev"}}, ctx.t("consultations_follow.page.previous")).close();
              b.el("li", {}, ctx.t("consultations_follow.page.position", {{"page", std::to_string(page_no)}, {"pages", std::to_string(pages)}}));
              if (page_no < pages)
                b.open("li").el("a", {{"href", "/notifications?page=" + std::to_string(page_no + 1)}, {"rel", "next"}}, ctx.t("consultations_follow.page.next")).close();
            }
          }
          preference_form(b, ctx, digest_frequency(ctx.app.db(), user), errors);
          {
            auto s = b.scope("section", {{"aria-labelledby", "suivies"}});
            b.el("h2", {{"id", "suivies"}}, ctx.t("consultations_follow.page.followed"));
            if (followed.empty()) b.el("p", {{"class", "muted"}}, ctx.t("consultations_follow.page.followed_none"));
            else {
              auto ul = b.scope("ul");
              for (const auto& f : followed) {
                auto li = b.scope("li");
                b.el("a", {{"href", contribution_url(f.contribution_id)}}, "#" + std::to_string(f.contribution_id) + " " + f.title).text(" ");
                named_button(b, ctx, contribution_url(f.contribution_id) + "/ne-plus-suivre", ctx.t("consultations_follow.unfollow"),
                             ctx.t("consultations_follow.unfollow_named", {{"id", std::to_string(f.contribution_id)}, {"title", f.title}}),
                             {{"retour", "/notifications"}});
              }
            }
          }
        },
        status);
  });
}

Response show_notifications(Context& ctx) { return notifications_view(ctx); }

Response post_follow(Context& ctx, bool on) {
  auto id = id_param(ctx, "id");
  if (!id) return ctx.app.error_response(ctx, 404);
  if (!ctx.account) return web::login_redirect(contribution_url(*id));
  auto r = on ? follow(ctx.app.db(), ctx.account->id, *id, unix_now()) : unfollow(ctx.app.db(), ctx.account->id, *id);
  if (!r) return ctx.app.error_response(ctx, 404, ctx.t("consultations.contribution.not_found"));
  std::string back = ctx.req.form().value("retour");
  if (!on && back == "/notifications") return back_to("/notifications#suivies", "plus_suivie");
  return back_to(contribution_url(*id) + "#suivre", "");
}

Response post_mark_one(Context& ctx) {
  auto id = id_param(ctx, "id");
  if (!id) return ctx.app.error_response(ctx, 404);
  if (!ctx.account) return web::login_redirect("/notifications");
  mark_read(ctx.app.db(), ctx.account->id, *id, unix_now());  // someone else's id changes nothing
  return back_to("/notifications", "lue");
}

Response post_mark_all(Context& ctx) {
  if (!ctx.account) return web::login_redirect("/notifications");
  mark_all_read(ctx.app.db(), ctx.account->id, unix_now());
  return back_to("/notifications", "lues");
}

Response post_preferences(Context& ctx) {
  if (!ctx.account) return web::login_redirect("/notifications");
  auto f = parse_digest_frequency(ctx.req.form().value("digest"));
  if (!f) {
    web::FormErrors errors;
    errors.add(Error::validation("digest", "consultations_follow.digest.invalid"));
    return notifications_view(ctx, errors, 422);
  }
  set_digest_frequency(ctx.app.db(), ctx.account->id, *f, unix_now());
  return back_to("/notifications#resume", "preferences");
}

}  // namespace

void follow_section(html::Builder& b, Context& ctx, const Contribution& c) {
  if (!ctx.account) return;  // visitors' page unchanged (and cacheable)
  int64_t user = ctx.account->id;
  mark_read_on(ctx.app.db(), user, c.id, unix_now());
  bool following = follows(ctx.app.db(), user, c.id);
  bool may_follow = c.status == Status::published || c.status == Status::hidden || c.user_id == user;
  if (!following && !may_follow) return;
  auto s = b.scope("section", {{"aria-labelledby", "suivre"}});
  b.el("h2", {{"id", "suivre"}}, ctx.t("consultations_follow.section.title"));
  if (following) {
    b.el("p", {}, ctx.t("consultations_follow.section.following"));
    post_button(b, ctx, contribution_url(c.id) + "/ne-plus-suivre", ctx.t("consultations_follow.unfollow"));
  } else {
    b.el("p", {}, ctx.t("consultations_follow.section.explain"));
    post_button(b, ctx, contribution_url(c.id) + "/suivre", ctx.t("consultations_follow.follow"));
  }
  b.open("p").el("a", {{"href", "/notifications"}}, ctx.t("consultations_follow.section.link", {{"unread", unread_text(ctx, unread_count(ctx.app.db(), user))}})).close();
}

void notifications_summary(html::Builder& b, Context& ctx) {
  if (!ctx.account) return;
  auto s = b.scope("section", {{"aria-labelledby", "notifications"}});
  b.el("h2", {{"id", "notifications"}}, ctx.t("consultations_follow.page.title"));
  b.el("p", {}, unread_text(ctx, unread_count(ctx.app.db(), ctx.account->id)) + " " +
                    ctx.t("consultations_follow.frequency_short." + std::string(name(digest_frequency(ctx.app.db(), ctx.account->id)))));
  b.open("p").el("a", {{"href", "/notifications"}}, ctx.t("consultations_follow.account.link")).close();
}

void register_follow_pages(web::App& app) {
  app.page(Method::get, "/notifications", "notifications", show_notifications);
  app.page(Method::post, "/notifications/lues", "notifications-lues", post_mark_all);
  app.page(Method::post, "/notifications/preferences", "notifications-preferences", post_preferences);
  app.page(Method::post, "/notifications/{id}/lue", "notification-lue", post_mark_one);
  app.page(Method::post, "/contributions/{id}/suivre", "contribution-suivre", [](Context& ctx) { return post_follow(ctx, true); });
  app.page(Method::post, "/contributions/{id}/ne-plus-suivre", "contribution-ne-plus-suivre", [](Context& ctx) { return post_follow(ctx, false); });
}

}  // namespace passerelle::consultations::pages
