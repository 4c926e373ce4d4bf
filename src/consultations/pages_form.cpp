// The contribution form (/consultations/{id}/contribuer), with the mediator's fields to enter a
// contribution for a registered person, online or from a paper form; the printable paper form
// that carries its reference; and /t/{slug}/mediation, where mediators register people.
#include "consultations/pages_shared.hpp"
#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "territories/store.hpp"

namespace passerelle::consultations::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

struct FormValues {
  std::string title, body, section, participant, paper_ref;
  bool consent = false, paper = false;
};

std::optional<Process> process_of_url(Context& ctx) {
  auto id = id_param(ctx, "id");
  auto p = id ? find_process(ctx.app.db(), *id) : std::nullopt;
  if (!p || p->status != ProcessStatus::published) return std::nullopt;
  return p;
}

Response form_page(Context& ctx, const Process& p, const FormValues& v, const web::FormErrors& errors, unsigned status) {
  web::PageSpec spec{ctx.t("consultations_pages.form.title", {{"process", p.title}}), ref_of(p)};
  return web::page_response(
      ctx, spec,
      [&](html::Builder& b) {
        b.open("p", {{"class", "breadcrumb"}}).el("a", {{"href", process_url(p.id)}}, p.title).close();
        if (auto closed = closed_reason(p, Action::contribute, unix_now())) {
          b.el("p", {{"class", "notice"}}, explain(ctx, *closed));
          return;
        }
        web::error_summary(b, ctx, errors);
        web::form(b, ctx, process_url(p.id) + "/contribuer", [&](html::Builder& b) {
          web::field(b, ctx, {"title", ctx.t("consultations_pages.form.field_title"), "text", v.title, true, {}, ctx.t("consultations_pages.form.title_hint")}, errors);
          if (!p.sections.empty()) {
            std::vector<web::Choice> sections{{"", ctx.t("consultations_pages.form.choose_section")}};
            for (const auto& s : p.sections) sections.push_back({s, s});
            web::select(b, ctx, "section", ctx.t("consultations_pages.field.section"), sections, v.section, errors);
          }
          web::field(b, ctx, {"body", ctx.t("consultations_pages.form.field_body"), "textarea", v.body, true, {},
                              ctx.t("consultations_pages.form.body_hint", {{"max", i18n::format_integer(ctx.locale, kMaxBody)}})}, errors);
          if (can_mediate(ctx.account, p.territory_id)) {
            auto fs = b.scope("fieldset", {{"class", "mediation"}});
            b.el("legend", {}, ctx.t("consultations_pages.mediation.legend"));
            auto people = find_participants(ctx.app.db(), p.territory_id, "");
            std::vector<web::Choice> choices{{"", ctx.t("consultations_pages.mediation.myself")}};
            for (const auto& person : people) choices.push_back({std::to_string(person.id), person.display_name + (person.commune.empty() ? "" : " (" + person.commune + ")")});
            web::select(b, ctx, "participant", ctx.t("consultations_pages.mediation.person"), choices, v.participant, errors);
            b.open("p", {{"class", "hint"}}).el("a", {{"href", "/t/" + p.territory_slug + "/mediation"}}, ctx.t("consultations_pages.mediation.register_link")).close();
            web::field(b, ctx, {"paper", ctx.t("consultations_pages.paper.checkbox"), "checkbox", v.paper ? "oui" : ""}, errors);
            web::field(b, ctx, {"paper_ref", ctx.t("consultations_pages.paper.ref"), "text", v.paper_ref, false, {}, ctx.t("consultations_pages.paper.ref_hint")}, errors);
            web::field(b, ctx, {"consent", ctx.t("consultations_pages.mediation.consent"), "checkbox", v.consent ? "oui" : ""}, errors);
          }
          web::submit(b, ctx.t("consultations_pages.form.submit"));
        });
      },
      status);
}

Response get_form(Context& ctx) {
  auto p = process_of_url(ctx);
  if (!p) return ctx.app.error_response(ctx, 404, ctx.t("consultations.not_found"));
  return web::guard(ctx, web::any_account, [&] { return form_page(ctx, *p, {}, {}, 200); });
}

Response post_form(Context& ctx) {
  auto p = process_of_url(ctx);
  if (!p) return ctx.app.error_response(ctx, 404, ctx.t("consultations.not_found"));
  if (!ctx.account) return web::login_redirect(process_url(p->id) + "/contribuer");
  const auto& f = ctx.req.form();
  FormValues v{f.value("title"), f.value("body"), f.value("section"), f.value("participant"), f.value("paper_ref"), f.value("consent") == "oui", f.value("paper") == "oui"};
  ActorRequest req;
  if (auto pid = str::to_int(v.participant)) req.participant_id = *pid;
  req.consent = v.consent;
  req.paper = v.paper;
  req.paper_ref = v.paper_ref;
  auto actor = actor_for(ctx.app.db(), ctx.account, p->territory_id, req);
  auto saved = actor ? contribute(ctx.app.db(), p->id, {v.title, v.body, v.section}, *actor, unix_now()) : Result<Contribution>(actor.error());
  if (saved) return back_to(contribution_url(saved->id), saved->status == Status::pending ? "en_attente" : "contribution");
  web::FormErrors errors;
  Error e = readable(ctx, saved.error());
  errors.add(e);
  unsigned status = e.kind == ErrorKind::conflict ? 409 : e.kind == ErrorKind::forbidden ? 403 : 422;
  return form_page(ctx, *p, v, errors, status);
}

// A printable A4 page: the process, the question, lines to write on, and a reference the
// mediator types back with the text (the reference ties the paper to its entry).
Response paper_form(Context& ctx) {
  auto p = process_of_url(ctx);
  if (!p) return ctx.app.error_response(ctx, 404, ctx.t("consultations.not_found"));
  std::string ref = "P" + std::to_string(p->id) + "-" + std::to_string(unix_now() % 1000000);
  web::PageSpec spec{ctx.t("consultations_pages.paper.title", {{"process", p->title}}), ref_of(*p)};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    b.el("p", {{"class", "paper-ref"}, {"id", "reference"}}, ctx.t("consultations_pages.paper.reference", {{"ref", ref}}));
    b.el("p", {}, p->summary);
    b.el("p", {}, ctx.t("consultations_pages.paper.instructions"));
    auto dl = b.scope("dl", {{"class", "paper-fields"}});
    for (const char* key : {"name", "commune", "section", "title"}) {
      b.el("dt", {}, ctx.t(std::string("consultations_pages.paper.field.") + key));
      b.el("dd", {{"class", "paper-line"}}, " ");
    }
    b.el("dt", {}, ctx.t("consultations_pages.paper.field.body"));
    b.el("dd", {{"class", "paper-box"}}, " ");
    b.el("dt", {}, ctx.t("consultations_pages.paper.field.consent"));
    b.el("dd", {{"class", "paper-line"}}, " ");
  });
}

Response mediation_page(Context& ctx, const territories::Territory& t, const web::FormErrors& errors, unsigned status, const std::string& notice_text = "") {
  web::PageSpec spec{ctx.t("consultations_pages.mediation.title", {{"territory", t.name}}), web::TerritoryRef{t.id, t.slug, t.name}, notice_text};
  return web::page_response(
      ctx, spec,
      [&](html::Builder& b) {
        b.el("p", {}, ctx.t("consultations_pages.mediation.intro"));
        b.el("h2", {{"id", "inscrire"}}, ctx.t("consultations_pages.mediation.register"));
        web::error_summary(b, ctx, errors);
        web::form(b, ctx, "/t/" + t.slug + "/mediation", [&](html::Builder& b) {
          web::field(b, ctx, {"display_name", ctx.t("consultations_pages.mediation.name"), "text", "", true, {}, ctx.t("consultations_pages.mediation.name_hint")}, errors);
          web::field(b, ctx, {"commune", ctx.t("consultations_pages.mediation.commune"), "text", "", false, {}, ctx.t("consultations_pages.mediation.commune_hint")}, errors);
          web::field(b, ctx, {"residency_verified", ctx.t("consultations_pages.mediation.verified"), "checkbox"}, errors);
          web::field(b, ctx, {"consent", ctx.t("consultations_pages.mediation.register_consent"), "checkbox"}, errors);
          web::submit(b, ctx.t("consultations_pages.mediation.register_submit"));
        });
        b.el("h2", {{"id", "personnes"}}, ctx.t("consultations_pages.mediation.people"));
        auto people = find_participants(ctx.app.db(), t.id, "");
        if (people.empty()) b.el("p", {}, ctx.t("consultations_pages.mediation.nobody"));
        auto ul = b.scope("ul");
        for (const auto& person : people)
          b.el("li", {}, person.display_name + (person.commune.empty() ? "" : " (" + person.commune + ")") + " · " +
                             ctx.t("consultations_pages.mediation.since", {{"date", i18n::format_date(ctx.locale, person.consent_at)}}));
      },
      status);
}

Response get_mediation(Context& ctx) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404);
  return web::guard(ctx, [&](const web::Account&) { return can_mediate(ctx.account, t->id); }, [&] { return mediation_page(ctx, *t, {}, 200, notice(ctx)); });
}

Response post_mediation(Context& ctx) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404);
  return web::guard(ctx, [&](const web::Account&) { return can_mediate(ctx.account, t->id); }, [&] {
    const auto& f = ctx.req.form();
    auto r = register_participant(ctx.app.db(), t->id, f.value("display_name"), f.value("commune"), f.value("consent") == "oui",
                                  f.value("residency_verified") == "oui", ctx.account->id);
    if (r) return back_to("/t/" + t->slug + "/mediation", "personne");
    web::FormErrors errors;
    errors.add(r.error());
    return mediation_page(ctx, *t, errors, 422);
  });
}

}  // namespace

void register_form_pages(web::App& app) {
  app.page(Method::get, "/consultations/{id}/contribuer", "consultation-contribuer", get_form);
  app.page(Method::post, "/consultations/{id}/contribuer", "consultation-contribuer", post_form);
  app.page(Method::get, "/consultations/{id}/formulaire-papier", "consultation-papier", paper_form);
  app.page(Method::get, "/t/{slug}/mediation", "mediation", get_mediation);
  app.page(Method::post, "/t/{slug}/mediation", "mediation", post_mediation);
}

}  // namespace passerelle::consultations::pages
