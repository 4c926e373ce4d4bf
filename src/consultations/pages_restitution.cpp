// The restitution inside the platform: /consultations/{id}/restitution (the engine's report,
// computed in the background and stored), the button by which the territory's agents and
// administrators ask for a computation (POST, CSRF), the controversy map
// /consultations/{id}/controverses, and the stored restitution.json in the API. No JavaScript.
#include <algorithm>
#include <cstdio>

#include "consultations/pages_shared.hpp"
#include "consultations/restitution_store.hpp"
#include "platform/clock.hpp"
#include "platform/i18n/format.hpp"
#include "restitution/controversy.hpp"

namespace passerelle::consultations::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

std::string restitution_url(int64_t id) { return process_url(id) + "/restitution"; }
std::string controversies_url(int64_t id) { return process_url(id) + "/controverses"; }

std::optional<Process> visible_process(Context& ctx) {
  auto id = id_param(ctx, "id");
  auto p = id ? find_process(ctx.app.db(), *id) : std::nullopt;
  if (!p || (p->status != ProcessStatus::published && !can_manage(ctx.account, p->territory_id))) return std::nullopt;
  return p;
}

std::string decimal(Context& ctx, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  if (ctx.locale == i18n::Locale::fr) std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

void request_button(html::Builder& b, Context& ctx, const Process& p, bool has_result) {
  if (!can_manage(ctx.account, p.territory_id)) return;
  post_button(b, ctx, restitution_url(p.id), ctx.t(has_result ? "restitution_pages.recompute" : "restitution_pages.compute"));
}

// "Calcul en cours — Thèmes : 40 %" while a run reports its stage; the plain notice otherwise.
std::string computing_text(Context& ctx, const StoredRestitution& s) {
  if (s.state != RestitutionState::running || s.progress_stage.empty()) return ctx.t("restitution_pages.computing");
  return ctx.t("restitution_pages.computing_progress", {{"stage", ctx.t("restitution.stage_" + s.progress_stage)},
                                                         {"percent", i18n::format_integer(ctx.locale, s.progress_percent)}});
}

}  // namespace

void restitution_block(html::Builder& b, Context& ctx, const Process& p) {
  auto stored = find_restitution(ctx.app.db(), p.id, ctx.locale);
  bool computing = stored && (stored->computing() || (stored->stale && stored->computed_at));
  if (computing)
    b.el("p", {{"class", "notice"}, {"role", "status"}, {"id", "calcul-en-cours"}}, computing_text(ctx, *stored));
  else if (!stored)
    b.el("p", {}, ctx.t("restitution_pages.none"));
  else if (stored->state == RestitutionState::failed)
    b.el("p", {{"class", "notice"}}, ctx.t("restitution_pages.failed_with", {{"reason", ctx.t(stored->error)}}));
  request_button(b, ctx, p, stored && stored->computed_at);
  if (!stored || !stored->showable()) return;
  b.el("p", {{"class", "muted"}},
       ctx.t("restitution_pages.computed", {{"date", i18n::format_datetime(ctx.locale, *stored->computed_at)},
                                            {"contributions", i18n::format_integer(ctx.locale, stored->contributions)},
                                            {"seed", std::to_string(stored->seed)}}));
  {
    auto ul = b.scope("ul", {{"class", "inline-list"}});
    b.open("li").el("a", {{"href", controversies_url(p.id)}}, ctx.t("restitution_pages.controversies_link")).close();
    b.open("li").el("a", {{"href", "/api/v1/processes/" + std::to_string(p.id) + "/restitution"}}, ctx.t("restitution_pages.json_link")).close();
  }
  b.open("div", {{"class", "restitution"}}).trusted({stored->report}).close();
}

namespace {

Response restitution_page(Context& ctx) {
  auto p = visible_process(ctx);
  if (!p) return ctx.app.error_response(ctx, 404, ctx.t("consultations.not_found"));
  web::PageSpec spec{ctx.t("restitution_pages.title", {{"process", p->title}}), ref_of(*p), notice(ctx)};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    b.open("p", {{"class", "breadcrumb"}}).el("a", {{"href", process_url(p->id)}}, p->title).close();
    restitution_block(b, ctx, *p);
  });
}

Response post_restitution(Context& ctx) {
  auto p = visible_process(ctx);
  if (!p) return ctx.app.error_response(ctx, 404, ctx.t("consultations.not_found"));
  return web::guard(ctx, [&](const web::Account&) { return can_manage(ctx.account, p->territory_id); }, [&] {
    if (p->status != ProcessStatus::published) return ctx.app.error_response(ctx, Error::validation("process", "restitution_pages.not_published"));
    request_restitution(ctx.app.db(), p->id, ctx.account->id, unix_now());
    return back_to(restitution_url(p->id), "restitution");
  });
}

// The theme's label, or "Thème 3" when its texts share no distinctive word (the report does the same).
std::string theme_title(Context& ctx, const ControversyTheme& t) {
  std::string label = t.label.empty() ? ctx.t("restitution.theme_unnamed", {{"n", std::to_string(t.theme)}}) : t.label;
  return t.group.empty() ? label : label + " — " + t.group;
}

std::string author_kind(Context& ctx, const std::string& kind) {
  return ctx.t(kind == "mediateur" ? "restitution_pages.kind.mediateur" : "profile." + kind);
}

void arguments_list(html::Builder& b, Context& ctx, const std::vector<ControversyArgument>& list, const std::string& heading_key, const std::string& id) {
  b.el("h4", {{"id", id}}, ctx.t(heading_key));
  if (list.empty()) {
    b.el("p", {{"class", "muted"}}, ctx.t("restitution_pages.no_argument"));
    return;
  }
  auto ul = b.scope("ul");
  for (const auto& a : list) {
    auto li = b.scope("li");
    b.el("blockquote", {}, a.body);
    std::string who = a.author_name.empty() ? ctx.t("consultations_pages.anonymous") : a.author_name;
    b.el("p", {{"class", "muted"}}, ctx.t("restitution_pages.argument_by", {{"author", who}, {"kind", author_kind(ctx, a.author_kind)},
                                                                             {"useful", i18n::format_integer(ctx.locale, a.useful)}}));
  }
}

void balance_line(html::Builder& b, Context& ctx, const Process& p, const Contribution& c, double score) {
  auto n = [&](int64_t v) { return i18n::format_integer(ctx.locale, v); };
  std::string line = p.vote_mode == VoteMode::support
                         ? ctx.t("consultations_pages.counts.supports", {{"count", n(c.counts.support)}})
                         : ctx.t("consultations_pages.counts.opinions", {{"agree", n(c.counts.agree)}, {"mixed", n(c.counts.mixed)}, {"disagree", n(c.counts.disagree)}});
  line += " · " + ctx.t("restitution_pages.arguments", {{"for", n(c.counts.arguments_for)}, {"against", n(c.counts.arguments_against)}});
  b.el("p", {}, line);
  b.el("p", {{"class", "muted"}}, ctx.t("restitution_pages.score", {{"score", decimal(ctx, score)}}));
}

Response controversies_page(Context& ctx) {
  auto p = visible_process(ctx);
  if (!p) return ctx.app.error_response(ctx, 404, ctx.t("consultations.not_found"));
  auto stored = find_restitution(ctx.app.db(), p->id, ctx.locale);
  bool ready = stored && stored->showable();
  auto themes = ready ? controversies(ctx.app.db(), p->id) : std::vector<ControversyTheme>{};
  web::PageSpec spec{ctx.t("restitution_pages.controversies_title", {{"process", p->title}}), ref_of(*p)};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    {
      auto nav = b.scope("p", {{"class", "breadcrumb"}});
      b.el("a", {{"href", process_url(p->id)}}, p->title);
      b.text(" · ");
      b.el("a", {{"href", restitution_url(p->id)}}, ctx.t("restitution_pages.restitution_link"));
    }
    b.el("p", {}, ctx.t("restitution_pages.controversies_intro"));
    if (!ready) {
      b.el("p", {{"class", "notice"}, {"role", "status"}},
           stored && (stored->computing() || stored->stale) ? computing_text(ctx, *stored) : ctx.t("restitution_pages.none"));
      return;
    }
    if (themes.empty()) {
      b.el("p", {}, ctx.t("restitution_pages.no_controversy"));
      return;
    }
    {
      auto nav = b.scope("nav", {{"aria-labelledby", "sommaire-controverses"}});
      b.el("h2", {{"id", "sommaire-controverses"}}, ctx.t("restitution_pages.toc"));
      auto ol = b.scope("ol");
      for (const auto& t : themes) {
        auto li = b.scope("li");
        b.el("a", {{"href", "#controverse-theme-" + std::to_string(t.theme)}}, theme_title(ctx, t));
        auto inner = b.scope("ol");
        for (const auto& e : t.entries)
          b.open("li").el("a", {{"href", "#controverse-" + std::to_string(e.contribution.id)}}, "#" + std::to_string(e.contribution.id) + " " + e.contribution.title).close();
      }
    }
    for (const auto& t : themes) {
      std::string tid = "controverse-theme-" + std::to_string(t.theme);
      auto s = b.scope("section", {{"aria-labelledby", tid}});
      b.el("h2", {{"id", tid}}, ctx.t("restitution_pages.theme_heading", {{"label", theme_title(ctx, t)}}));
      {
        auto ol = b.scope("ol", {{"class", "results"}});
        for (const auto& e : t.entries) {
          std::string cid = "controverse-" + std::to_string(e.contribution.id);
          auto li = b.scope("li", {{"class", "result"}});
          auto article = b.scope("article", {{"aria-labelledby", cid}});
          b.open("h3", {{"id", cid}}).el("a", {{"href", contribution_url(e.contribution.id)}}, "#" + std::to_string(e.contribution.id) + " " + e.contribution.title).close();
          b.el("p", {{"class", "muted"}}, byline(ctx, e.contribution));
          balance_line(b, ctx, *p, e.contribution, e.score);
          auto sides = b.scope("div", {{"class", "sides"}});
          {
            auto side = b.scope("div", {{"class", "side side-for"}});
            arguments_list(b, ctx, e.for_, "restitution_pages.strongest_for", cid + "-pour");
          }
          {
            auto side = b.scope("div", {{"class", "side side-against"}});
            arguments_list(b, ctx, e.against, "restitution_pages.strongest_against", cid + "-contre");
          }
        }
      }
      b.open("p").el("a", {{"href", "#sommaire-controverses"}}, ctx.t("restitution_pages.back_to_toc")).close();
    }
  });
}

Response restitution_api(Context& ctx) {
  auto id = id_param(ctx, "id");
  auto p = id ? find_process(ctx.app.db(), *id) : std::nullopt;
  if (!p || p->status != ProcessStatus::published) return ctx.app.error_response(ctx, Error::not_found("consultations.not_found"));
  std::string json = restitution_json(ctx.app.db(), p->id);
  if (json.empty()) return ctx.app.error_response(ctx, Error::not_found("restitution_pages.none"));
  return http::Response::json(json);
}

}  // namespace

void register_restitution_pages(web::App& app) {
  app.page(Method::get, "/consultations/{id}/restitution", "consultation-restitution", restitution_page);
  app.page(Method::post, "/consultations/{id}/restitution", "consultation-restitution-calcul", post_restitution);
  app.page(Method::get, "/consultations/{id}/controverses", "consultation-controverses", controversies_page);
  app.api(Method::get, "/api/v1/processes/{id}/restitution", "api-consultation-restitution", restitution_api);
}

}  // namespace passerelle::consultations::pages
