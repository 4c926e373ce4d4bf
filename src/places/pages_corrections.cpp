// /lieux/{id}/corriger: anyone (visitors too; CSRF; rate-limited per address) proposes new values
// for some fields with a comment; /moderation/lieux: the moderators of the territories that hold
// the place's commune (and platform administrators) accept or reject them.
#include <algorithm>

#include "places/corrections.hpp"
#include "places/pages_shared.hpp"
#include "places/schema.hpp"
#include "places/store.hpp"
#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "platform/services.hpp"
#include "territories/store.hpp"

namespace passerelle::places::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

const rate_limit::Rule kCorrectionPerIp{"correction-lieu-ip", 20, 3600};

// The values a list field allows, read from its pattern "(?:(?:^|\|)(A|B|C))+$".
std::vector<std::string> allowed_values(Field f) {
  const FieldSpec* spec = TableSchema::embedded().find(name_of(f));
  if (!spec || !spec->pattern) return {};
  const std::string& p = *spec->pattern;
  auto start = p.find("|)(");
  auto end = p.rfind("))");
  if (start == std::string::npos || end == std::string::npos || end <= start + 3) return {};
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (size_t i = start + 3; i < end; ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < end) {
      cur += p[++i];
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == '|' && depth == 0) {
      out.push_back(cur);
      cur.clear();
    } else if (c != '(' && c != ')') {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::string hint_of(Context& ctx, Field f) {
  if (f == Field::horaires) return ctx.t("places_pages.correction.hint.horaires");
  if (f == Field::typologie) return ctx.t("places_pages.correction.hint.typologie");
  if (f == Field::latitude || f == Field::longitude) return ctx.t("places_pages.correction.hint.coordinates");
  auto values = allowed_values(f);
  if (values.empty()) return "";
  return ctx.t("places_pages.correction.hint.list", {{"values", join_list(values, '|')}});
}

std::string message(Context& ctx, const Error& e) {
  if (e.field.empty()) return ctx.t(e);
  if (auto f = field_of(e.field)) return field_label(ctx, *f) + " : " + ctx.t(e);
  return ctx.t("places_pages.correction.comment") + " : " + ctx.t(e);
}

void summary(html::Builder& b, Context& ctx, const web::FormErrors& errors) {
  if (errors.empty()) return;
  auto box = b.scope("div", {{"class", "error-summary"}, {"role", "alert"}, {"tabindex", "-1"}, {"id", "erreurs"}});
  b.el("h2", {}, ctx.t("form.errors_title", {{"count", std::to_string(errors.errors.size())}}));
  auto ul = b.scope("ul");
  for (const auto& e : errors.errors) {
    b.open("li");
    if (e.field.empty()) b.text(message(ctx, e));
    else b.el("a", {{"href", "#champ-" + e.field}}, message(ctx, e));
    b.close();
  }
}

Response form_page(Context& ctx, const Place& place, const Proposal& typed, const web::FormErrors& errors, unsigned status) {
  web::PageSpec spec{ctx.t("places_pages.correction.title", {{"name", place.fields[Field::nom]}}), std::nullopt, ""};
  return web::page_response(
      ctx, spec,
      [&](html::Builder& b) {
        summary(b, ctx, errors);
        b.el("p", {}, ctx.t("places_pages.correction.intro"));
        b.open("p").el("a", {{"href", place_url(place.id)}}, ctx.t("places_pages.correction.back", {{"name", place.fields[Field::nom]}})).close();
        web::form(b, ctx, place_url(place.id) + "/corriger", [&](html::Builder& b) {
          {
            auto fs = b.scope("fieldset");
            b.el("legend", {}, ctx.t("places_pages.correction.fields_legend"));
            for (size_t i = 0; i < kFieldCount; ++i) {
              Field f = static_cast<Field>(i);
              if (!correctable(f)) continue;
              auto it = typed.values.find(name_of(f));
              std::string value = it != typed.values.end() ? it->second : place.fields[f];
              bool long_text = f == Field::presentation_detail || f == Field::presentation_resume || f == Field::horaires;
              web::field(b, ctx, {name_of(f), field_label(ctx, f), long_text ? "textarea" : "text", value, false, {}, hint_of(ctx, f)}, errors);
            }
          }
          web::field(b, ctx, {"commentaire", ctx.t("places_pages.correction.comment"), "textarea", typed.comment, true, {}, ctx.t("places_pages.correction.comment_hint")}, errors);
          web::submit(b, ctx.t("places_pages.correction.submit"));
        });
      },
      status);
}

std::optional<Place> place_of_url(Context& ctx) {
  auto id = positive(ctx.req.param("id"));
  return id ? find(ctx.app.db(), *id) : std::nullopt;
}

Response get_form(Context& ctx) {
  auto place = place_of_url(ctx);
  if (!place) return ctx.app.error_response(ctx, 404, ctx.t("places_pages.place.not_found"));
  return form_page(ctx, *place, {}, {}, 200);
}

Response post_form(Context& ctx) {
  auto place = place_of_url(ctx);
  if (!place) return ctx.app.error_response(ctx, 404, ctx.t("places_pages.place.not_found"));
  if (auto s = rate_limit::hit(ctx.app.db(), kCorrectionPerIp, ctx.req.remote_ip); !s) {
    Response r = ctx.app.error_response(ctx, s.error());
    r.header("Retry-After", s.error().args.empty() ? "60" : s.error().args[0].second);
    return r;
  }
  const auto& form = ctx.req.form();
  Proposal p;
  for (size_t i = 0; i < kFieldCount; ++i) {
    Field f = static_cast<Field>(i);
    if (correctable(f))
      if (auto v = form.get(name_of(f))) p.values[std::string(name_of(f))] = std::string(*v);
  }
  p.comment = form.value("commentaire");
  if (ctx.account) p.author = ctx.account->id;
  Errors errors;
  auto r = propose(ctx.app.db(), place->id, p, errors, unix_now());
  if (r) return http::Response::redirect(place_url(place->id) + "?fait=correction", 303);
  web::FormErrors fe;
  for (auto& e : errors) fe.add(e);
  if (fe.empty()) fe.add(r.error());
  return form_page(ctx, *place, p, fe, 422);
}

// Moderation -------------------------------------------------------------------------------

bool moderating_role(web::Role r) { return r == web::Role::moderateur || r == web::Role::administrateur || r == web::Role::agent; }

bool moderates_anything(const web::Account& a) {
  if (a.platform_admin) return true;
  return std::any_of(a.memberships.begin(), a.memberships.end(), [](const web::Membership& m) { return moderating_role(m.role); });
}

// Whether `a` may decide on a place of commune `insee`, and for which territory (audit log).
std::optional<std::optional<int64_t>> right_for(const web::Account& a, const std::vector<territories::Territory>& all, std::string_view insee) {
  std::optional<int64_t> holder;
  for (const auto& t : all) {
    if (std::find(t.insee_codes.begin(), t.insee_codes.end(), insee) == t.insee_codes.end()) continue;
    if (!holder) holder = t.id;
    for (const auto& m : a.memberships)
      if (m.territory_id == t.id && moderating_role(m.role)) return std::optional<int64_t>(t.id);
  }
  if (a.platform_admin) return holder;
  return std::nullopt;
}

Response queue_page(Context& ctx, const web::FormErrors& errors, unsigned status) {
  auto all = territories::list(ctx.app.db());
  std::vector<Correction> items;
  for (auto& c : pending_corrections(ctx.app.db()))
    if (right_for(*ctx.account, all, c.code_insee)) items.push_back(std::move(c));
  web::PageSpec spec{ctx.t("places_pages.moderation.title"), std::nullopt, done_notice(ctx)};
  return web::page_response(
      ctx, spec,
      [&](html::Builder& b) {
        web::error_summary(b, ctx, errors);
        if (items.empty()) {
          b.el("p", {{"role", "status"}}, ctx.t("places_pages.moderation.empty"));
          return;
        }
        b.el("p", {{"role", "status"}}, ctx.t("places_pages.moderation.count", {{"count", i18n::format_integer(ctx.locale, static_cast<int64_t>(items.size()))}}));
        auto ol = b.scope("ol", {{"class", "queue"}});
        for (const auto& c : items) {
          auto li = b.scope("li", {{"class", "queue-item"}});
          std::string prefix = "correction-" + std::to_string(c.id);
          b.open("h2", {{"id", prefix}}).el("a", {{"href", place_url(c.place_id)}}, ctx.t("places_pages.moderation.item", {{"id", std::to_string(c.id)}, {"name", c.place_name}})).close();
          b.el("p", {{"class", "muted"}}, ctx.t("places_pages.moderation.proposed_on", {{"date", i18n::format_datetime(ctx.locale, c.created_at)}}));
          b.el("blockquote", {}, c.comment);
          {
            auto t = b.scope("table");
            b.el("caption", {}, ctx.t("places_pages.moderation.changes_caption", {{"id", std::to_string(c.id)}}));
            {
              auto head = b.scope("thead");
              auto tr = b.scope("tr");
              for (const char* k : {"field", "before", "after"}) b.el("th", {{"scope", "col"}}, ctx.t(std::string("places_pages.moderation.") + k));
            }
            auto body = b.scope("tbody");
            for (const auto& ch : c.changes) {
              if (ch.before == ch.after) continue;
              auto tr = b.scope("tr");
              b.el("th", {{"scope", "row"}}, field_label(ctx, ch.field));
              b.el("td", {}, ch.before.empty() ? ctx.t("places_pages.place.empty") : ch.before);
              b.el("td", {}, ch.after);
            }
          }
          web::form(b, ctx, "/moderation/lieux", [&](html::Builder& b) {
            b.void_el("input", {{"type", "hidden"}, {"name", "correction"}, {"value", std::to_string(c.id)}});
            std::string reason_id = prefix + "-raison";
            b.el("label", {{"for", reason_id}}, ctx.t("places_pages.moderation.reason"));
            b.el("textarea", {{"id", reason_id}, {"name", "reason"}, {"rows", "2"}}, "");
            for (const char* action : {"accepter", "refuser"})
              b.el("button", {{"type", "submit"}, {"name", "action"}, {"value", action}, {"class", "button"}},
                   ctx.t(std::string("places_pages.moderation.action.") + action, {{"id", std::to_string(c.id)}}));
          });
        }
      },
      status);
}

Response get_queue(Context& ctx) {
  return web::guard(ctx, moderates_anything, [&] { return queue_page(ctx, {}, 200); });
}

Response post_queue(Context& ctx) {
  return web::guard(ctx, moderates_anything, [&] {
    const auto& f = ctx.req.form();
    auto id = positive(f.value("correction"));
    std::string action = f.value("action");
    auto c = id ? find_correction(ctx.app.db(), *id) : std::nullopt;
    web::FormErrors errors;
    if (!c || (action != "accepter" && action != "refuser")) {
      errors.add(Error::validation("", "places_pages.moderation.unknown"));
      return queue_page(ctx, errors, 422);
    }
    auto right = right_for(*ctx.account, territories::list(ctx.app.db()), c->code_insee);
    if (!right) return ctx.app.error_response(ctx, 403);
    bool accept = action == "accepter";
    auto s = decide(ctx.app.db(), c->id, accept, f.value("reason"), ctx.account->id, *right, unix_now());
    if (s) return http::Response::redirect(std::string("/moderation/lieux?fait=") + (accept ? "acceptee" : "refusee"), 303);
    Error e = s.error();
    e.field.clear();
    errors.add(e);
    return queue_page(ctx, errors, 422);
  });
}

}  // namespace

void register_corrections(web::App& app) {
  app.page(Method::get, "/lieux/{id}/corriger", "lieu-corriger-formulaire", get_form);
  app.page(Method::post, "/lieux/{id}/corriger", "lieu-corriger", post_form);
  app.page(Method::get, "/moderation/lieux", "moderation-lieux", get_queue);
  app.page(Method::post, "/moderation/lieux", "moderation-lieux", post_queue);
}

}  // namespace passerelle::places::pages
