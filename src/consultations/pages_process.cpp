// Process lists (/consultations, /t/{slug}/consultations) and the process page: its phase
// timeline, who may take part, how to contribute, and the contributions with sorting, filters
// and pagination (a plain GET form).
#include <functional>

#include "consultations/pages_shared.hpp"
#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/html/markdown.hpp"
#include "platform/web/pagination.hpp"
#include "platform/i18n/format.hpp"
#include "territories/store.hpp"

namespace passerelle::consultations::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

constexpr size_t kPageSize = 20;

void process_list(html::Builder& b, Context& ctx, const std::vector<Process>& processes) {
  if (processes.empty()) {
    b.el("p", {}, ctx.t("consultations_pages.list.none"));
    return;
  }
  int64_t now = unix_now();
  auto ul = b.scope("ul", {{"class", "results"}});
  for (const auto& p : processes) {
    auto li = b.scope("li", {{"class", "result"}});
    b.open("h2").el("a", {{"href", process_url(p.id)}}, p.title).close();
    const Phase* current = p.current(now);
    std::string meta = p.territory_name + " · " +
                       (current ? ctx.t("consultations_pages.list.current", {{"phase", phase_label(ctx, current->kind)}}) : ctx.t("consultations_pages.list.no_current"));
    b.el("p", {{"class", "muted"}}, meta);
    b.el("p", {}, p.summary);
  }
}

Response all_processes(Context& ctx) {
  auto processes = list_processes(ctx.app.db(), std::nullopt);
  return web::page_response(ctx, {ctx.t("consultations_pages.list.title")}, [&](html::Builder& b) { process_list(b, ctx, processes); });
}

Response territory_processes(Context& ctx) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404);
  auto processes = list_processes(ctx.app.db(), t->id);
  web::PageSpec spec{ctx.t("consultations_pages.list.title_of", {{"territory", t->name}}), web::TerritoryRef{t->id, t->slug, t->name}};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    process_list(b, ctx, processes);
    b.open("p").el("a", {{"href", "/t/" + t->slug + "/donnees"}}, ctx.t("consultations_pages.open_data.link")).close();
    if (can_manage(ctx.account, t->id))
      b.open("p").el("a", {{"href", "/t/" + t->slug + "/consultations/nouvelle"}, {"class", "button"}}, ctx.t("consultations_pages.new.link")).close();
    if (can_moderate(ctx.account, t->id))
      b.open("p").el("a", {{"href", "/t/" + t->slug + "/moderation"}}, ctx.t("consultations_pages.moderation.link")).close();
    if (can_mediate(ctx.account, t->id))
      b.open("p").el("a", {{"href", "/t/" + t->slug + "/mediation"}}, ctx.t("consultations_pages.mediation.link")).close();
  });
}

void timeline(html::Builder& b, Context& ctx, const Process& p, int64_t now) {
  auto s = b.scope("section", {{"aria-labelledby", "calendrier"}});
  b.el("h2", {{"id", "calendrier"}}, ctx.t("consultations_pages.process.timeline"));
  auto ol = b.scope("ol", {{"class", "timeline"}});
  for (const auto& ph : p.phases) {
    PhaseState st = ph.state(now);
    auto li = b.scope("li", {{"class", "phase phase-" + std::string(name(st))}, {"aria-current", "step", st == PhaseState::open}});
    b.el("strong", {}, phase_label(ctx, ph.kind));
    b.text(" — " + state_label(ctx, st) + " — ");
    b.text(ctx.t("consultations_pages.process.dates", {{"start", i18n::format_date(ctx.locale, ph.starts_at)}, {"end", i18n::format_date(ctx.locale, ph.ends_at - 1)}}));
    if (!ph.allows.empty()) {
      std::string allowed;
      for (Action a : ph.allows) allowed += (allowed.empty() ? "" : ", ") + ctx.t("consultations_pages.action." + std::string(name(a)));
      b.el("span", {{"class", "muted"}}, " (" + allowed + ")");
    }
  }
}

void rules(html::Builder& b, Context& ctx, const Process& p) {
  auto s = b.scope("section", {{"aria-labelledby", "qui-participe"}});
  b.el("h2", {{"id", "qui-participe"}}, ctx.t("consultations_pages.process.who"));
  auto ul = b.scope("ul");
  b.el("li", {}, ctx.t(p.rules.audience == Audience::residents ? "consultations_pages.rules.residents" : "consultations_pages.rules.anyone"));
  if (p.rules.min_age > 0) b.el("li", {}, ctx.t("consultations_pages.rules.min_age", {{"age", std::to_string(p.rules.min_age)}}));
  if (p.rules.audience == Audience::residents)
    b.el("li", {}, ctx.t(p.rules.residency == Residency::verified ? "consultations_pages.rules.verified" : "consultations_pages.rules.declared"));
  if (p.premoderation) b.el("li", {}, ctx.t("consultations_pages.rules.premoderation"));
  b.el("li", {}, ctx.t("consultations_pages.rules.mediator"));
  if (p.vote_mode == VoteMode::support && p.support_limit > 0)
    b.el("li", {}, ctx.t("consultations_pages.rules.support_limit", {{"limit", std::to_string(p.support_limit)}}));
}

constexpr int64_t kSeedRange = 2147483648, kSeedSeconds = 10;

struct ListRequest {
  ListFilter filter;
  size_t page = 1;
  std::string url(const Process& p, size_t page_number) const {
    std::string u = process_url(p.id) + "?tri=" + std::string(name(filter.sort));
    if (filter.section) u += "&rubrique=" + str::url_encode(*filter.section);
    if (filter.answer) u += "&reponse=" + std::string(name(*filter.answer));
    if (filter.sort == Sort::random) u += "&graine=" + std::to_string(filter.seed);
    return u + "&page=" + std::to_string(page_number) + "#contributions";
  }
};

ListRequest list_request(Context& ctx, const Process& p) {
  const auto& q = ctx.req.query_fields();
  ListRequest r;
  r.filter.sort = parse_sort(q.value("tri")).value_or(Sort::recent);
  std::string section = q.value("rubrique");
  if (!section.empty() && std::find(p.sections.begin(), p.sections.end(), section) != p.sections.end()) r.filter.section = section;
  r.filter.answer = parse_answer(q.value("reponse"));
  r.page = std::max<size_t>(1, static_cast<size_t>(str::to_int(q.value("page")).value_or(1)));
  r.filter.limit = kPageSize;
  r.filter.offset = (r.page - 1) * kPageSize;
  // Random order, stable for one visitor while they page: the seed travels in the page links
  // ("graine"). A first visit draws it from the clock, a new one every kSeedSeconds, so that
  // visitors arriving at different times see different orders while the page stays the same for
  // everyone in the same few seconds (and can be served from the page cache), with no cookie.
  if (r.filter.sort == Sort::random) {
    auto seed = str::to_int(q.value("graine"));
    r.filter.seed = seed && *seed >= 0 && *seed < kSeedRange ? static_cast<uint64_t>(*seed)
                                                             : static_cast<uint64_t>((unix_now() / kSeedSeconds) * 2654435761u % kSeedRange);
  }
  return r;
}

void list_form(html::Builder& b, Context& ctx, const Process& p, const ListRequest& r) {
  auto f = b.scope("form", {{"method", "get"}, {"action", process_url(p.id) + "#contributions"}, {"class", "filters"}});
  // Filtering a random list keeps its order.
  if (r.filter.sort == Sort::random) b.void_el("input", {{"type", "hidden"}, {"name", "graine"}, {"value", std::to_string(r.filter.seed)}});
  std::vector<web::Choice> sorts;
  for (Sort s : {Sort::recent, Sort::supported, Sort::debated, Sort::random})
    sorts.push_back({std::string(name(s)), ctx.t("consultations_pages.sort." + std::string(name(s)))});
  web::FormErrors none;
  web::select(b, ctx, "tri", ctx.t("consultations_pages.list.sort"), sorts, name(r.filter.sort), none);
  if (!p.sections.empty()) {
    std::vector<web::Choice> sections{{"", ctx.t("consultations_pages.list.all_sections")}};
    for (const auto& s : p.sections) sections.push_back({s, s});
    web::select(b, ctx, "rubrique", ctx.t("consultations_pages.field.section"), sections, r.filter.section.value_or(""), none);
  }
  std::vector<web::Choice> answers{{"", ctx.t("consultations_pages.list.all_answers")}};
  for (Answer a : {Answer::retenue, Answer::etude, Answer::ecartee}) answers.push_back({std::string(name(a)), ctx.t("consultations_pages.answer." + std::string(name(a)))});
  web::select(b, ctx, "reponse", ctx.t("consultations_pages.list.answer"), answers, r.filter.answer ? name(*r.filter.answer) : "", none);
  b.open("p").el("button", {{"type", "submit"}, {"class", "button"}}, ctx.t("consultations_pages.list.show")).close();
}

void counts_line(html::Builder& b, Context& ctx, const Process& p, const Contribution& c) {
  std::string line;
  auto n = [&](int64_t v) { return i18n::format_integer(ctx.locale, v); };
  if (p.vote_mode == VoteMode::support) line = ctx.t("consultations_pages.counts.supports", {{"count", n(c.counts.support)}});
  else
    line = ctx.t("consultations_pages.counts.opinions", {{"agree", n(c.counts.agree)}, {"mixed", n(c.counts.mixed)}, {"disagree", n(c.counts.disagree)}});
  line += " · " + ctx.t("consultations_pages.counts.arguments", {{"for", n(c.counts.arguments_for)}, {"against", n(c.counts.arguments_against)}});
  line += " · " + ctx.t("consultations_pages.counts.comments", {{"count", n(c.counts.comments)}});
  b.el("p", {{"class", "muted"}}, line);
}

void contributions_section(html::Builder& b, Context& ctx, const Process& p) {
  ListRequest r = list_request(ctx, p);
  auto page = list_contributions(ctx.app.db(), p.id, r.filter);
  auto s = b.scope("section", {{"aria-labelledby", "contributions"}});
  b.el("h2", {{"id", "contributions"}}, ctx.t("consultations_pages.process.contributions"));
  list_form(b, ctx, p, r);
  std::string count = i18n::format_integer(ctx.locale, page.total);
  b.el("p", {{"role", "status"}, {"id", "nombre-contributions"}},
       ctx.t(page.total == 0 ? "consultations_pages.list.count_zero" : page.total == 1 ? "consultations_pages.list.count_one" : "consultations_pages.list.count_many", {{"count", count}}));
  if (!page.items.empty()) {
    auto ol = b.scope("ol", {{"class", "results"}, {"start", std::to_string(r.filter.offset + 1)}});
    for (const auto& c : page.items) {
      auto li = b.scope("li", {{"class", "result"}});
      b.open("h3").el("a", {{"href", contribution_url(c.id)}}, "#" + std::to_string(c.id) + " " + c.title).close();
      b.el("p", {{"class", "muted"}}, byline(ctx, c) + (c.section.empty() ? "" : " · " + c.section));
      counts_line(b, ctx, p, c);
      if (c.answer) b.el("p", {{"class", "badge"}}, ctx.t("consultations_pages.answer." + std::string(name(*c.answer))));
    }
  }
  size_t pages = static_cast<size_t>((page.total + kPageSize - 1) / kPageSize);
  if (pages > 1) {
    auto nav = b.scope("nav", {{"aria-label", ctx.t("consultations_pages.list.pagination")}});
    auto ul = b.scope("ul", {{"class", "inline-list"}});
    if (r.page > 1) b.open("li").el("a", {{"href", r.url(p, r.page - 1)}, {"rel", "prev"}}, ctx.t("consultations_pages.list.previous")).close();
    for (size_t n : web::page_numbers(r.page, pages)) {
      b.open("li").el("a", {{"href", r.url(p, n)}, {"aria-current", "page", n == r.page}}, ctx.t("consultations_pages.list.page_number", {{"page", std::to_string(n)}})).close();
    }
    if (r.page < pages) b.open("li").el("a", {{"href", r.url(p, r.page + 1)}, {"rel", "next"}}, ctx.t("consultations_pages.list.next")).close();
  }
}

// In the restitution phase, the restitution itself; before, a link once one is computed, and
// the agents' button.
void restitution_section(html::Builder& b, Context& ctx, const Process& p, int64_t now) {
  const Phase* current = p.current(now);
  bool phase = current && current->kind == PhaseKind::restitution;
  bool manager = can_manage(ctx.account, p.territory_id);
  if (!phase && !manager) return;
  auto s = b.scope("section", {{"aria-labelledby", "restitution"}});
  b.el("h2", {{"id", "restitution"}}, ctx.t("restitution_pages.section"));
  if (phase) {
    restitution_block(b, ctx, p);
    return;
  }
  b.open("p").el("a", {{"href", process_url(p.id) + "/restitution"}}, ctx.t("restitution_pages.restitution_link")).close();
  post_button(b, ctx, process_url(p.id) + "/restitution", ctx.t("restitution_pages.compute"));
}

Response process_page(Context& ctx) {
  auto id = id_param(ctx, "id");
  auto p = id ? find_process(ctx.app.db(), *id) : std::nullopt;
  if (!p || (p->status != ProcessStatus::published && !can_manage(ctx.account, p->territory_id)))
    return ctx.app.error_response(ctx, 404, ctx.t("consultations.not_found"));
  int64_t now = unix_now();
  web::PageSpec spec{p->title, ref_of(*p), notice(ctx)};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    b.el("p", {{"class", "lead"}}, p->summary);
    if (can_manage(ctx.account, p->territory_id))
      b.open("p").el("a", {{"href", process_url(p->id) + "/modifier"}}, ctx.t("consultations_pages.edit.link")).close();
    if (!p->body.empty()) b.open("div", {{"class", "prose"}}).trusted(html::render_markdown(p->body)).close();
    timeline(b, ctx, *p, now);
    restitution_section(b, ctx, *p, now);
    rules(b, ctx, *p);
    {
      auto s = b.scope("section", {{"aria-labelledby", "contribuer"}});
      b.el("h2", {{"id", "contribuer"}}, ctx.t("consultations_pages.process.contribute"));
      if (auto closed = closed_reason(*p, Action::contribute, now)) b.el("p", {{"class", "notice"}}, explain(ctx, *closed));
      else {
        b.open("p").el("a", {{"href", process_url(p->id) + "/contribuer"}, {"class", "button"}}, ctx.t("consultations_pages.process.contribute_link")).close();
        b.open("p").el("a", {{"href", process_url(p->id) + "/formulaire-papier"}}, ctx.t("consultations_pages.paper.link")).close();
      }
    }
    contributions_section(b, ctx, *p);
    b.open("p").el("a", {{"href", process_url(p->id) + "/suivi"}}, ctx.t("consultations_pages.followup.link")).close();
  });
}

}  // namespace

void register_process_pages(web::App& app) {
  app.page(Method::get, "/consultations", "consultations", all_processes);
  app.page(Method::get, "/t/{slug}/consultations", "consultations-territoire", territory_processes);
  app.page(Method::get, "/consultations/{id}", "consultation", process_page);
}

}  // namespace passerelle::consultations::pages
