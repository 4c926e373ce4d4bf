// After the answer: /consultations/{id}/suivi, the public follow-up of the retained
// contributions (status, responsible service, budget, progress, dated milestones), and the
// forms by which the territory's agents keep it up to date (POST /contributions/{id}/suivi…).
#include "consultations/pages_shared.hpp"
#include "platform/core/strings.hpp"
#include "platform/clock.hpp"
#include "platform/i18n/format.hpp"
#include "practices/model.hpp"

namespace passerelle::consultations::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

void followup_block(html::Builder& b, Context& ctx, const Followup& f, std::string_view heading) {
  b.el(heading, {}, ctx.t("consultations_pages.followup.status." + std::string(name(f.status))) + " — " +
                        ctx.t("consultations_pages.followup.progress", {{"percent", std::to_string(f.progress)}}));
  auto dl = b.scope("dl", {{"class", "practice-details"}});
  b.el("dt", {}, ctx.t("consultations_pages.followup.service")).el("dd", {}, f.service.empty() ? ctx.t("consultations_pages.followup.not_set") : f.service);
  b.el("dt", {}, ctx.t("consultations_pages.followup.budget"))
      .el("dd", {}, f.budget_cents ? practices::format_euros(*f.budget_cents) : ctx.t("consultations_pages.followup.not_set"));
  b.el("dt", {}, ctx.t("consultations_pages.followup.milestones"));
  auto dd = b.scope("dd");
  if (f.milestones.empty()) {
    b.text(ctx.t("consultations_pages.followup.no_milestone"));
    return;
  }
  auto ol = b.scope("ol");
  for (const auto& m : f.milestones)
    b.el("li", {}, m.title + " — " +
                       (m.done_at ? ctx.t("consultations_pages.followup.done_on", {{"date", i18n::format_date(ctx.locale, *m.done_at)}})
                                  : ctx.t("consultations_pages.followup.due_on", {{"date", i18n::format_date(ctx.locale, m.due_at)}})));
}

Response followup_page(Context& ctx) {
  auto id = id_param(ctx, "id");
  auto p = id ? find_process(ctx.app.db(), *id) : std::nullopt;
  if (!p || p->status != ProcessStatus::published) return ctx.app.error_response(ctx, 404, ctx.t("consultations.not_found"));
  auto list = followups(ctx.app.db(), p->id);
  web::PageSpec spec{ctx.t("consultations_pages.followup.title", {{"process", p->title}}), ref_of(*p)};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    b.open("p", {{"class", "breadcrumb"}}).el("a", {{"href", process_url(p->id)}}, p->title).close();
    if (list.empty()) {
      b.el("p", {}, ctx.t("consultations_pages.followup.none"));
      return;
    }
    for (const auto& f : list) {
      auto s = b.scope("section", {{"aria-labelledby", "suivi-" + std::to_string(f.contribution_id)}});
      b.open("h2", {{"id", "suivi-" + std::to_string(f.contribution_id)}})
          .el("a", {{"href", contribution_url(f.contribution_id)}}, "#" + std::to_string(f.contribution_id) + " " + f.title)
          .close();
      followup_block(b, ctx, f, "p");
    }
  });
}

template <class Fn>
Response manage(Context& ctx, Fn&& fn) {
  auto id = id_param(ctx, "id");
  if (!id) return ctx.app.error_response(ctx, 404);
  auto c = find_contribution(ctx.app.db(), *id);
  if (!c) return ctx.app.error_response(ctx, 404, ctx.t("consultations.contribution.not_found"));
  return web::guard(ctx, [&](const web::Account&) { return can_manage(ctx.account, c->territory_id); }, [&] {
    passerelle::Status s = fn(*c);
    if (s) return back_to(contribution_url(c->id) + "#suivi", "suivi");
    return ctx.app.error_response(ctx, s.error());
  });
}

Response post_followup(Context& ctx) {
  const auto& f = ctx.req.form();
  return manage(ctx, [&](const Contribution& c) -> passerelle::Status {
    auto status = parse_followup_status(f.value("followup_status"));
    if (!status) return Error::validation("followup_status", "consultations.followup.status_invalid");
    std::optional<int64_t> budget;
    if (!str::trim(f.value("budget")).empty()) {
      budget = practices::parse_euros(f.value("budget"));
      if (!budget) return Error::validation("budget", "consultations.followup.budget_invalid");
    }
    auto progress = str::to_int(str::trim(f.value("progress")).empty() ? "0" : f.value("progress"));
    if (!progress) return Error::validation("progress", "consultations.followup.progress_invalid");
    return set_followup(ctx.app.db(), c.id, *status, f.value("service"), budget, static_cast<int>(*progress), ctx.account->id);
  });
}

Response post_milestone(Context& ctx) {
  const auto& f = ctx.req.form();
  return manage(ctx, [&](const Contribution& c) -> passerelle::Status {
    auto due = i18n::parse_date(f.value("due"));
    if (!due) return Error::validation("due", "consultations_pages.new.date_invalid");
    auto m = add_milestone(ctx.app.db(), c.id, f.value("milestone_title"), *due, ctx.account->id);
    if (!m) return m.error();
    return Ok{};
  });
}

Response post_milestone_done(Context& ctx) {
  const auto& f = ctx.req.form();
  return manage(ctx, [&](const Contribution&) -> passerelle::Status {
    auto m = str::to_int(f.value("milestone"));
    if (!m) return Error::not_found("consultations.followup.milestone_not_found");
    return complete_milestone(ctx.app.db(), *m, ctx.account->id, unix_now());
  });
}

}  // namespace

void followup_section(html::Builder& b, Context& ctx, const Contribution& c) {
  if (c.answer != Answer::retenue || c.status != Status::published) return;
  auto f = followup_of(ctx.app.db(), c.id);
  if (!f) return;
  auto s = b.scope("section", {{"aria-labelledby", "suivi"}});
  b.el("h2", {{"id", "suivi"}}, ctx.t("consultations_pages.followup.section"));
  followup_block(b, ctx, *f, "p");
  b.open("p").el("a", {{"href", process_url(c.process_id) + "/suivi"}}, ctx.t("consultations_pages.followup.all")).close();
  if (!can_manage(ctx.account, c.territory_id)) return;
  web::FormErrors none;
  web::form(b, ctx, contribution_url(c.id) + "/suivi", [&](html::Builder& b) {
    std::vector<web::Choice> statuses;
    for (auto st : {FollowupStatus::to_start, FollowupStatus::ongoing, FollowupStatus::done, FollowupStatus::abandoned})
      statuses.push_back({std::string(name(st)), ctx.t("consultations_pages.followup.status." + std::string(name(st)))});
    web::select(b, ctx, "followup_status", ctx.t("consultations_pages.followup.status_label"), statuses, name(f->status), none);
    web::field(b, ctx, {"service", ctx.t("consultations_pages.followup.service"), "text", f->service}, none);
    web::field(b, ctx, {"budget", ctx.t("consultations_pages.followup.budget_field"), "text", f->budget_cents ? practices::format_euros(*f->budget_cents) : ""}, none);
    web::field(b, ctx, {"progress", ctx.t("consultations_pages.followup.progress_field"), "number", std::to_string(f->progress)}, none);
    web::submit(b, ctx.t("consultations_pages.followup.save"));
  });
  web::form(b, ctx, contribution_url(c.id) + "/jalons", [&](html::Builder& b) {
    web::field(b, ctx, {"milestone_title", ctx.t("consultations_pages.followup.milestone_title"), "text", "", true}, none);
    web::field(b, ctx, {"due", ctx.t("consultations_pages.followup.due"), "date", "", true}, none);
    web::submit(b, ctx.t("consultations_pages.followup.add_milestone"));
  });
  for (const auto& m : f->milestones)
    if (!m.done_at)
      post_button(b, ctx, contribution_url(c.id) + "/jalons/fait", ctx.t("consultations_pages.followup.mark_done", {{"title", m.title}}), {{"milestone", std::to_string(m.id)}});
}

void register_followup_pages(web::App& app) {
  app.page(Method::get, "/consultations/{id}/suivi", "consultation-suivi", followup_page);
  app.page(Method::post, "/contributions/{id}/suivi", "contribution-suivi", post_followup);
  app.page(Method::post, "/contributions/{id}/jalons", "contribution-jalons", post_milestone);
  app.page(Method::post, "/contributions/{id}/jalons/fait", "contribution-jalon-fait", post_milestone_done);
}

}  // namespace passerelle::consultations::pages
