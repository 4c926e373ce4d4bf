// /t/{slug}/consultations/nouvelle: a territory's agents and administrators create a
// consultation: texts, sections, vote mode, participation rules, and its four dated phases (a
// phase left without dates is skipped). Published at once or kept as a draft.
#include "consultations/pages_shared.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "territories/store.hpp"

namespace passerelle::consultations::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

constexpr PhaseKind kKinds[] = {PhaseKind::information, PhaseKind::contribution, PhaseKind::vote, PhaseKind::restitution};
// The date fields of each phase, in the order of kKinds (field names are views: literals).
constexpr std::string_view kStarts[] = {"information_start", "contribution_start", "vote_start", "restitution_start"};
constexpr std::string_view kEnds[] = {"information_end", "contribution_end", "vote_end", "restitution_end"};

std::vector<std::string> lines(std::string_view typed) {
  std::vector<std::string> out;
  for (auto l : str::split(typed, '\n'))
    if (auto t = str::trim(l); !t.empty()) out.emplace_back(t);
  return out;
}

Response form_page(Context& ctx, const territories::Territory& t, const http::Fields& f, const web::FormErrors& errors, unsigned status) {
  web::PageSpec spec{ctx.t("consultations_pages.new.title", {{"territory", t.name}}), web::TerritoryRef{t.id, t.slug, t.name}};
  return web::page_response(
      ctx, spec,
      [&](html::Builder& b) {
        web::error_summary(b, ctx, errors);
        web::form(b, ctx, "/t/" + t.slug + "/consultations/nouvelle", [&](html::Builder& b) {
          web::field(b, ctx, {"title", ctx.t("consultations_pages.new.field_title"), "text", f.value("title"), true}, errors);
          web::field(b, ctx, {"summary", ctx.t("consultations_pages.new.field_summary"), "textarea", f.value("summary"), true}, errors);
          web::field(b, ctx, {"body", ctx.t("consultations_pages.new.field_body"), "textarea", f.value("body"), false, {}, ctx.t("consultations_pages.new.body_hint")}, errors);
          web::field(b, ctx, {"sections", ctx.t("consultations_pages.new.field_sections"), "textarea", f.value("sections"), false, {}, ctx.t("consultations_pages.new.sections_hint")}, errors);
          web::select(b, ctx, "vote_mode", ctx.t("consultations_pages.new.vote_mode"),
                      {{"opinion", ctx.t("consultations_pages.new.vote_opinion")}, {"support", ctx.t("consultations_pages.new.vote_support")}}, f.value("vote_mode"), errors);
          web::field(b, ctx, {"support_limit", ctx.t("consultations_pages.new.support_limit"), "number", f.value("support_limit"), false, {}, ctx.t("consultations_pages.new.support_limit_hint")}, errors);
          web::select(b, ctx, "audience", ctx.t("consultations_pages.new.audience"),
                      {{"anyone", ctx.t("consultations_pages.rules.anyone")}, {"residents", ctx.t("consultations_pages.rules.residents")}}, f.value("audience"), errors);
          web::select(b, ctx, "residency", ctx.t("consultations_pages.new.residency"),
                      {{"declared", ctx.t("consultations_pages.rules.declared")}, {"verified", ctx.t("consultations_pages.rules.verified")}}, f.value("residency"), errors);
          web::field(b, ctx, {"min_age", ctx.t("consultations_pages.new.min_age"), "number", f.value("min_age"), false, {}, ctx.t("consultations_pages.new.min_age_hint")}, errors);
          web::field(b, ctx, {"premoderation", ctx.t("consultations_pages.new.premoderation"), "checkbox", f.value("premoderation")}, errors);
          for (size_t i = 0; i < std::size(kKinds); ++i) {
            auto fs = b.scope("fieldset");
            b.el("legend", {}, ctx.t("consultations_pages.new.phase", {{"phase", phase_label(ctx, kKinds[i])}}));
            web::field(b, ctx, {kStarts[i], ctx.t("consultations_pages.new.start"), "date", f.value(kStarts[i])}, errors);
            web::field(b, ctx, {kEnds[i], ctx.t("consultations_pages.new.end"), "date", f.value(kEnds[i])}, errors);
          }
          web::field(b, ctx, {"publish", ctx.t("consultations_pages.new.publish"), "checkbox", f.value("publish")}, errors);
          web::submit(b, ctx.t("consultations_pages.new.submit"));
        });
      },
      status);
}

Response get_new(Context& ctx) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404);
  return web::guard(ctx, [&](const web::Account&) { return can_manage(ctx.account, t->id); }, [&] { return form_page(ctx, *t, http::Fields{}, {}, 200); });
}

Response post_new(Context& ctx) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404);
  return web::guard(ctx, [&](const web::Account&) { return can_manage(ctx.account, t->id); }, [&] {
    const auto& f = ctx.req.form();
    ProcessInput in;
    in.title = f.value("title");
    in.summary = f.value("summary");
    in.body = f.value("body");
    in.sections = lines(f.value("sections"));
    in.vote_mode = f.value("vote_mode").empty() ? "opinion" : f.value("vote_mode");
    in.audience = f.value("audience").empty() ? "anyone" : f.value("audience");
    in.residency = f.value("residency").empty() ? "declared" : f.value("residency");
    in.premoderation = f.value("premoderation") == "oui";
    web::FormErrors errors;
    auto number = [&](const char* field, int& out) {
      std::string v(str::trim(f.value(field)));
      if (v.empty()) return;
      auto n = str::to_int(v);
      if (!n || *n < 0 || *n > 100000) errors.add(Error::validation(field, "consultations.process.number_invalid"));
      else out = static_cast<int>(*n);
    };
    number("support_limit", in.support_limit);
    number("min_age", in.min_age);
    for (size_t i = 0; i < std::size(kKinds); ++i) {
      std::string start = f.value(kStarts[i]), end = f.value(kEnds[i]);
      if (start.empty() && end.empty()) continue;
      auto s = i18n::parse_date(start), e = i18n::parse_date(end);
      if (!s) errors.add(Error::validation(std::string(kStarts[i]), "consultations_pages.new.date_invalid"));
      if (!e) errors.add(Error::validation(std::string(kEnds[i]), "consultations_pages.new.date_invalid"));
      // The end date is included: the phase closes at the end of that day.
      if (s && e) in.phases.push_back({std::string(name(kKinds[i])), *s, *e + 86400, std::nullopt});
    }
    if (errors.empty()) {
      Errors store_errors;
      auto p = create_process(ctx.app.db(), t->id, in, ctx.account->id, store_errors);
      if (p) {
        if (f.value("publish") == "oui") (void)publish_process(ctx.app.db(), p->id, ctx.account->id);
        return back_to(process_url(p->id), "");
      }
      for (auto& e : store_errors) {
        // phases[1].ends_at → the form's field of that phase
        if (e.field.rfind("phases[", 0) == 0) e.field = "";
        errors.add(e);
      }
      if (store_errors.empty()) errors.add(p.error());
    }
    return form_page(ctx, *t, f, errors, 422);
  });
}

}  // namespace

void register_new_process_pages(web::App& app) {
  app.page(Method::get, "/t/{slug}/consultations/nouvelle", "consultation-nouvelle", get_new);
  app.page(Method::post, "/t/{slug}/consultations/nouvelle", "consultation-nouvelle", post_new);
}

}  // namespace passerelle::consultations::pages
