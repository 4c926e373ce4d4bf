// /t/{slug}/consultations/nouvelle and /consultations/{id}/modifier: a territory's agents and
// administrators create or edit a consultation: texts, sections, vote mode, participation rules,
// and its four dated phases (a phase left without dates is skipped), each with what it allows
// (contributing, arguing, voting, commenting). A new one is published at once or kept as a draft.
#include <algorithm>
#include <functional>
#include <map>

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
constexpr Action kActions[] = {Action::contribute, Action::argue, Action::vote, Action::comment};
// "contribution_allows_vote": the checkbox of one action in one phase.
std::string allows_field(PhaseKind k, Action a) { return std::string(name(k)) + "_allows_" + std::string(name(a)); }

// A form's values: what was typed, or a process's own (edit), or the defaults (new).
using Values = std::function<std::string(std::string_view)>;

Values typed_values(const http::Fields& f) {
  return [&f](std::string_view field) { return f.value(field); };
}

Values new_values() {
  return [](std::string_view field) -> std::string {
    for (PhaseKind k : kKinds)
      for (Action a : default_allows(k))
        if (field == allows_field(k, a)) return "oui";
    return "";
  };
}

Values process_values(const Process& p) {
  std::map<std::string, std::string, std::less<>> v{{"title", p.title}, {"summary", p.summary}, {"body", p.body}, {"vote_mode", std::string(name(p.vote_mode))},
    {"support_limit", std::to_string(p.support_limit)}, {"audience", p.rules.audience == Audience::residents ? "residents" : "anyone"},
    {"residency", p.rules.residency == Residency::verified ? "verified" : "declared"}, {"min_age", std::to_string(p.rules.min_age)},
    {"premoderation", p.premoderation ? "oui" : ""}};
  std::string sections;
  for (const auto& s : p.sections) sections += (sections.empty() ? "" : "\n") + s;
  v["sections"] = sections;
  for (const auto& ph : p.phases) {
    size_t i = static_cast<size_t>(std::find(std::begin(kKinds), std::end(kKinds), ph.kind) - std::begin(kKinds));
    if (i >= std::size(kKinds)) continue;
    v[std::string(kStarts[i])] = i18n::iso_date(ph.starts_at);
    v[std::string(kEnds[i])] = i18n::iso_date(ph.ends_at - 86400);  // the form's end date is included
    for (Action a : ph.allows) v[allows_field(ph.kind, a)] = "oui";
  }
  return [v = std::move(v)](std::string_view field) -> std::string {
    auto it = v.find(field);
    return it == v.end() ? "" : it->second;
  };
}

std::vector<std::string> lines(std::string_view typed) {
  std::vector<std::string> out;
  for (auto l : str::split(typed, '\n'))
    if (auto t = str::trim(l); !t.empty()) out.emplace_back(t);
  return out;
}

// `editing`: the process being edited, or nothing for a new one.
Response form_page(Context& ctx, const territories::Territory& t, const Process* editing, const Values& value, const web::FormErrors& errors, unsigned status) {
  std::string title = editing ? ctx.t("consultations_pages.edit.title", {{"title", editing->title}}) : ctx.t("consultations_pages.new.title", {{"territory", t.name}});
  web::PageSpec spec{title, web::TerritoryRef{t.id, t.slug, t.name}};
  std::string action = editing ? process_url(editing->id) + "/modifier" : "/t/" + t.slug + "/consultations/nouvelle";
  return web::page_response(
      ctx, spec,
      [&](html::Builder& b) {
        web::error_summary(b, ctx, errors);
        web::form(b, ctx, action, [&](html::Builder& b) {
          web::field(b, ctx, {"title", ctx.t("consultations_pages.new.field_title"), "text", value("title"), true}, errors);
          web::field(b, ctx, {"summary", ctx.t("consultations_pages.new.field_summary"), "textarea", value("summary"), true}, errors);
          web::field(b, ctx, {"body", ctx.t("consultations_pages.new.field_body"), "textarea", value("body"), false, {}, ctx.t("consultations_pages.new.body_hint")}, errors);
          web::field(b, ctx, {"sections", ctx.t("consultations_pages.new.field_sections"), "textarea", value("sections"), false, {}, ctx.t("consultations_pages.new.sections_hint")}, errors);
          web::select(b, ctx, "vote_mode", ctx.t("consultations_pages.new.vote_mode"),
                      {{"opinion", ctx.t("consultations_pages.new.vote_opinion")}, {"support", ctx.t("consultations_pages.new.vote_support")}}, value("vote_mode"), errors);
          web::field(b, ctx, {"support_limit", ctx.t("consultations_pages.new.support_limit"), "number", value("support_limit"), false, {}, ctx.t("consultations_pages.new.support_limit_hint")}, errors);
          web::select(b, ctx, "audience", ctx.t("consultations_pages.new.audience"),
                      {{"anyone", ctx.t("consultations_pages.rules.anyone")}, {"residents", ctx.t("consultations_pages.rules.residents")}}, value("audience"), errors);
          web::select(b, ctx, "residency", ctx.t("consultations_pages.new.residency"),
                      {{"declared", ctx.t("consultations_pages.rules.declared")}, {"verified", ctx.t("consultations_pages.rules.verified")}}, value("residency"), errors);
          web::field(b, ctx, {"min_age", ctx.t("consultations_pages.new.min_age"), "number", value("min_age"), false, {}, ctx.t("consultations_pages.new.min_age_hint")}, errors);
          web::field(b, ctx, {"premoderation", ctx.t("consultations_pages.new.premoderation"), "checkbox", value("premoderation")}, errors);
          for (size_t i = 0; i < std::size(kKinds); ++i) {
            auto fs = b.scope("fieldset");
            b.el("legend", {}, ctx.t("consultations_pages.new.phase", {{"phase", phase_label(ctx, kKinds[i])}}));
            web::field(b, ctx, {kStarts[i], ctx.t("consultations_pages.new.start"), "date", value(kStarts[i])}, errors);
            web::field(b, ctx, {kEnds[i], ctx.t("consultations_pages.new.end"), "date", value(kEnds[i])}, errors);
            auto allowed = b.scope("fieldset");
            b.el("legend", {}, ctx.t("consultations_pages.edit.allows", {{"phase", phase_label(ctx, kKinds[i])}}));
            for (Action a : kActions) {
              std::string field = allows_field(kKinds[i], a);
              web::field(b, ctx, {field, ctx.t("consultations_pages.edit.action." + std::string(name(a))), "checkbox", value(field)}, errors);
            }
          }
          if (!editing) web::field(b, ctx, {"publish", ctx.t("consultations_pages.new.publish"), "checkbox", value("publish")}, errors);
          web::submit(b, ctx.t(editing ? "consultations_pages.edit.submit" : "consultations_pages.new.submit"));
        });
      },
      status);
}

Response get_new(Context& ctx) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404);
  return web::guard(ctx, [&](const web::Account&) { return can_manage(ctx.account, t->id); }, [&] { return form_page(ctx, *t, nullptr, new_values(), {}, 200); });
}

// The typed form as a ProcessInput; errors of the form itself (numbers, dates) go to `errors`.
ProcessInput read_input(const http::Fields& f, web::FormErrors& errors) {
  ProcessInput in;
  in.title = f.value("title");
  in.summary = f.value("summary");
  in.body = f.value("body");
  in.sections = lines(f.value("sections"));
  in.vote_mode = f.value("vote_mode").empty() ? "opinion" : f.value("vote_mode");
  in.audience = f.value("audience").empty() ? "anyone" : f.value("audience");
  in.residency = f.value("residency").empty() ? "declared" : f.value("residency");
  in.premoderation = f.value("premoderation") == "oui";
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
    std::vector<std::string> allows;
    for (Action a : kActions)
      if (f.value(allows_field(kKinds[i], a)) == "oui") allows.emplace_back(name(a));
    // The end date is included: the phase closes at the end of that day.
    if (s && e) in.phases.push_back({std::string(name(kKinds[i])), *s, *e + 86400, allows});
  }
  return in;
}

// Store errors on the form: phases[1].ends_at and the like have no field of their own.
void add_store_errors(web::FormErrors& errors, Errors& store_errors, const Error& first) {
  for (auto& e : store_errors) {
    if (e.field.rfind("phases[", 0) == 0) e.field = "";
    errors.add(e);
  }
  if (store_errors.empty()) errors.add(first);
}

Response post_new(Context& ctx) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404);
  return web::guard(ctx, [&](const web::Account&) { return can_manage(ctx.account, t->id); }, [&] {
    const auto& f = ctx.req.form();
    web::FormErrors errors;
    ProcessInput in = read_input(f, errors);
    if (errors.empty()) {
      Errors store_errors;
      auto p = create_process(ctx.app.db(), t->id, in, ctx.account->id, store_errors);
      if (p) {
        if (f.value("publish") == "oui") (void)publish_process(ctx.app.db(), p->id, ctx.account->id);
        return back_to(process_url(p->id), "");
      }
      add_store_errors(errors, store_errors, p.error());
    }
    return form_page(ctx, *t, nullptr, typed_values(f), errors, 422);
  });
}

// The process to edit and its territory, for someone who manages that territory.
template <class Fn>
Response with_editable(Context& ctx, Fn&& fn) {
  auto id = id_param(ctx, "id");
  auto p = id ? find_process(ctx.app.db(), *id) : std::nullopt;
  if (!p) return ctx.app.error_response(ctx, 404, ctx.t("consultations.not_found"));
  auto t = territories::find(ctx.app.db(), p->territory_slug);
  if (!t) return ctx.app.error_response(ctx, 404);
  return web::guard(ctx, [&](const web::Account&) { return can_manage(ctx.account, p->territory_id); }, [&] { return fn(*p, *t); });
}

Response get_edit(Context& ctx) {
  return with_editable(ctx, [&](const Process& p, const territories::Territory& t) { return form_page(ctx, t, &p, process_values(p), {}, 200); });
}

Response post_edit(Context& ctx) {
  return with_editable(ctx, [&](const Process& p, const territories::Territory& t) {
    const auto& f = ctx.req.form();
    web::FormErrors errors;
    ProcessInput in = read_input(f, errors);
    in.themes = p.themes;
    in.communes = p.communes;
    if (errors.empty()) {
      Errors store_errors;
      auto updated = update_process(ctx.app.db(), p.id, in, ctx.account->id, store_errors);
      if (updated) return back_to(process_url(p.id), "modifiee");
      add_store_errors(errors, store_errors, updated.error());
    }
    return form_page(ctx, t, &p, typed_values(f), errors, 422);
  });
}

}  // namespace

void register_new_process_pages(web::App& app) {
  app.page(Method::get, "/t/{slug}/consultations/nouvelle", "consultation-nouvelle", get_new);
  app.page(Method::post, "/t/{slug}/consultations/nouvelle", "consultation-nouvelle", post_new);
  app.page(Method::get, "/consultations/{id}/modifier", "consultation-modifier", get_edit);
  app.page(Method::post, "/consultations/{id}/modifier", "consultation-modifier", post_edit);
}

}  // namespace passerelle::consultations::pages
