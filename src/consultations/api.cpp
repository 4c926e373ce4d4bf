#include "consultations/api.hpp"

#include <nlohmann/json.hpp>

#include "consultations/rights.hpp"
#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "territories/store.hpp"

namespace passerelle::consultations {

namespace {

using nlohmann::json;

json phase_json(const Phase& ph, int64_t now) {
  json allows = json::array();
  for (Action a : ph.allows) allows.push_back(name(a));
  return {{"type", name(ph.kind)}, {"debut", ph.starts_at}, {"fin", ph.ends_at}, {"etat", name(ph.state(now))}, {"actions", allows}};
}

json process_json(const Process& p) {
  int64_t now = unix_now();
  json phases = json::array();
  for (const auto& ph : p.phases) phases.push_back(phase_json(ph, now));
  return {{"id", p.id},
          {"territoire", p.territory_slug},
          {"titre", p.title},
          {"resume", p.summary},
          {"description", p.body},
          {"thematiques", p.themes},
          {"rubriques", p.sections},
          {"mode_de_vote", name(p.vote_mode)},
          {"limite_de_soutiens", p.support_limit},
          {"premoderation", p.premoderation},
          {"regles", {{"public", name(p.rules.audience)}, {"age_minimum", p.rules.min_age}, {"residence", name(p.rules.residency)}}},
          {"phases", phases},
          {"url", "/consultations/" + std::to_string(p.id)}};
}

json contribution_json(const Contribution& c) {
  json j = {{"id", c.id},
            {"numero", "#" + std::to_string(c.id)},
            {"consultation", c.process_id},
            {"rubrique", c.section},
            {"auteur", c.author_name},
            {"canal", name(c.channel)},
            {"statut", name(c.status)},
            {"cree_le", c.created_at},
            {"compteurs",
             {{"d_accord", c.counts.agree}, {"mitige", c.counts.mixed}, {"pas_d_accord", c.counts.disagree}, {"soutiens", c.counts.support},
              {"arguments_pour", c.counts.arguments_for}, {"arguments_contre", c.counts.arguments_against}, {"commentaires", c.counts.comments}}},
            {"url", "/contributions/" + std::to_string(c.id)}};
  if (c.status == Status::published || c.status == Status::pending) j["titre"] = c.title, j["texte"] = c.body;
  else j["titre"] = c.title, j["raison_moderation"] = c.moderation_reason;
  if (c.channel == Channel::paper) j["reference_papier"] = c.paper_ref;
  if (c.answer) j["reponse"] = {{"decision", name(*c.answer)}, {"texte", c.answer_text}, {"le", c.answered_at.value_or(0)}};
  return j;
}

std::optional<json> body_object(web::Context& ctx) {
  auto doc = json::parse(ctx.req.body(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
}

std::string text(const json& j, const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : ""; }

// The actor of an API call: the account, or a registered person for a mediator.
Result<Actor> api_actor(web::Context& ctx, const json& doc, int64_t territory_id) {
  ActorRequest req;
  if (doc.contains("personne") && doc["personne"].is_number_integer()) req.participant_id = doc["personne"].get<int64_t>();
  req.consent = doc.value("consentement", false);
  req.paper = text(doc, "canal") == "paper";
  req.paper_ref = text(doc, "reference_papier");
  return actor_for(ctx.app.db(), ctx.account, territory_id, req);
}

http::Response fail(web::Context& ctx, const Error& e) { return ctx.app.error_response(ctx, e); }

std::optional<Contribution> visible_contribution(web::Context& ctx, int64_t id) {
  auto c = find_contribution(ctx.app.db(), id);
  if (!c) return std::nullopt;
  bool mine = ctx.account && c->user_id == ctx.account->id;
  if (c->status == Status::pending && !mine && !can_moderate(ctx.account, c->territory_id)) return std::nullopt;
  auto p = find_process(ctx.app.db(), c->process_id);
  if (!p || p->status != ProcessStatus::published) return std::nullopt;
  return c;
}

}  // namespace

void register_api(web::App& app) {
  app.api(http::Method::get, "/api/v1/processes", "api-consultations", [](web::Context& ctx) {
    std::optional<int64_t> territory;
    if (auto slug = ctx.req.query_fields().get("territoire"); slug && !slug->empty()) {
      auto t = territories::find(ctx.app.db(), *slug);
      if (!t) return fail(ctx, Error::validation("territoire", "consultations.territory_not_found"));
      territory = t->id;
    }
    json items = json::array();
    for (const auto& p : list_processes(ctx.app.db(), territory)) items.push_back(process_json(p));
    return http::Response::json(json{{"consultations", items}}.dump());
  });

  app.api(http::Method::get, "/api/v1/processes/{id}", "api-consultation", [](web::Context& ctx) {
    auto id = str::to_int(ctx.req.param("id"));
    auto p = id ? find_process(ctx.app.db(), *id) : std::nullopt;
    if (!p || p->status != ProcessStatus::published) return fail(ctx, Error::not_found("consultations.not_found"));
    return http::Response::json(process_json(*p).dump());
  });

  app.api(http::Method::get, "/api/v1/processes/{id}/contributions", "api-consultation-contributions", [](web::Context& ctx) {
    auto id = str::to_int(ctx.req.param("id"));
    auto p = id ? find_process(ctx.app.db(), *id) : std::nullopt;
    if (!p || p->status != ProcessStatus::published) return fail(ctx, Error::not_found("consultations.not_found"));
    const auto& q = ctx.req.query_fields();
    ListFilter f;
    if (auto s = q.get("tri"); s && !s->empty()) {
      auto sort = parse_sort(*s);
      if (!sort) return fail(ctx, Error::validation("tri", "consultations_pages.list.sort_invalid"));
      f.sort = *sort;
    }
    f.seed = static_cast<uint64_t>(str::to_int(q.value("graine")).value_or(0));
    if (auto s = q.get("rubrique"); s && !s->empty()) f.section = std::string(*s);
    if (auto a = q.get("reponse"); a && !a->empty()) f.answer = parse_answer(*a);
    size_t per_page = static_cast<size_t>(std::clamp<int64_t>(str::to_int(q.value("par_page")).value_or(20), 1, 100));
    size_t page = static_cast<size_t>(std::max<int64_t>(1, str::to_int(q.value("page")).value_or(1)));
    f.limit = per_page;
    f.offset = (page - 1) * per_page;
    auto result = list_contributions(ctx.app.db(), p->id, f);
    json items = json::array();
    for (const auto& c : result.items) items.push_back(contribution_json(c));
    return http::Response::json(json{{"total", result.total}, {"page", page}, {"par_page", per_page}, {"contributions", items}}.dump());
  });

  app.api(http::Method::post, "/api/v1/processes/{id}/contributions", "api-consultation-contributions", [](web::Context& ctx) {
    auto id = str::to_int(ctx.req.param("id"));
    auto p = id ? find_process(ctx.app.db(), *id) : std::nullopt;
    if (!p || p->status != ProcessStatus::published) return fail(ctx, Error::not_found("consultations.not_found"));
    auto doc = body_object(ctx);
    if (!doc) return ctx.app.error_response(ctx, 400, ctx.t("api.bad_json"));
    auto actor = api_actor(ctx, *doc, p->territory_id);
    if (!actor) return fail(ctx, actor.error());
    auto c = contribute(ctx.app.db(), p->id, {text(*doc, "titre"), text(*doc, "texte"), text(*doc, "rubrique")}, *actor, unix_now());
    if (!c) return fail(ctx, c.error());
    return http::Response::json(contribution_json(*c).dump(), 201).header("Location", "/api/v1/contributions/" + std::to_string(c->id));
  });

  app.api(http::Method::get, "/api/v1/contributions/{id}", "api-contribution", [](web::Context& ctx) {
    auto id = str::to_int(ctx.req.param("id"));
    auto c = id ? visible_contribution(ctx, *id) : std::nullopt;
    if (!c) return fail(ctx, Error::not_found("consultations.contribution.not_found"));
    json j = contribution_json(*c);
    json args = json::array();
    for (const auto& a : arguments_of(ctx.app.db(), c->id)) {
      json aj = {{"id", a.id}, {"cote", name(a.side)}, {"statut", name(a.status)}, {"utile", a.useful}, {"auteur", a.author_name}};
      if (a.status == Status::published) aj["texte"] = a.body;
      else aj["raison_moderation"] = a.moderation_reason;
      args.push_back(aj);
    }
    json sources = json::array();
    for (const auto& s : sources_of(ctx.app.db(), c->id)) sources.push_back({{"titre", s.title}, {"url", s.url}, {"categorie", s.category}});
    json comments = json::array();
    for (const auto& cm : comments_of(ctx.app.db(), c->id)) {
      json cj = {{"id", cm.id}, {"parent", cm.parent_id ? json(*cm.parent_id) : json(nullptr)}, {"profondeur", cm.depth}, {"auteur", cm.author_name}, {"statut", name(cm.status)}};
      if (cm.status == Status::published) cj["texte"] = cm.body;
      comments.push_back(cj);
    }
    j["arguments"] = args;
    j["sources"] = sources;
    j["commentaires"] = comments;
    return http::Response::json(j.dump());
  });

  auto vote_route = [](bool remove) {
    return [remove](web::Context& ctx) {
      auto id = str::to_int(ctx.req.param("id"));
      // Only its territory is needed here (who may act for whom); vote() checks the rest.
      auto territory = id ? territory_of(ctx.app.db(), "contribution", *id) : std::nullopt;
      if (!territory) return fail(ctx, Error::not_found("consultations.contribution.not_found"));
      json doc = json::object();
      if (!remove || !ctx.req.body().empty()) {
        auto parsed = body_object(ctx);
        if (!parsed) return ctx.app.error_response(ctx, 400, ctx.t("api.bad_json"));
        doc = *parsed;
      }
      auto actor = api_actor(ctx, doc, *territory);
      if (!actor) return fail(ctx, actor.error());
      Result<VoteResult> r = Error::not_found();
      if (remove) r = unvote(ctx.app.db(), "contribution", *id, *actor, unix_now());
      else {
        auto value = parse_vote_value(text(doc, "valeur"));
        if (!value) return fail(ctx, Error::validation("valeur", "consultations.vote.value_invalid").with("value", text(doc, "valeur")));
        r = vote(ctx.app.db(), "contribution", *id, *value, *actor, unix_now());
      }
      if (!r) return fail(ctx, r.error());
      const Counts& n = r->counts;
      return http::Response::json(json{{"compteurs", {{"d_accord", n.agree}, {"mitige", n.mixed}, {"pas_d_accord", n.disagree}, {"soutiens", n.support}}}}.dump());
    };
  };
  app.api(http::Method::post, "/api/v1/contributions/{id}/votes", "api-contribution-votes", vote_route(false));
  app.api(http::Method::delete_, "/api/v1/contributions/{id}/votes", "api-contribution-votes", vote_route(true));

  app.api(http::Method::post, "/api/v1/contributions/{id}/arguments", "api-contribution-arguments", [](web::Context& ctx) {
    auto id = str::to_int(ctx.req.param("id"));
    auto c = id ? find_contribution(ctx.app.db(), *id) : std::nullopt;
    if (!c) return fail(ctx, Error::not_found("consultations.contribution.not_found"));
    auto doc = body_object(ctx);
    if (!doc) return ctx.app.error_response(ctx, 400, ctx.t("api.bad_json"));
    auto side = parse_side(text(*doc, "cote"));
    if (!side) return fail(ctx, Error::validation("cote", "consultations_pages.argument.side_required"));
    auto actor = api_actor(ctx, *doc, c->territory_id);
    if (!actor) return fail(ctx, actor.error());
    auto a = argue(ctx.app.db(), c->id, *side, text(*doc, "texte"), *actor, unix_now());
    if (!a) return fail(ctx, a.error());
    return http::Response::json(json{{"id", a->id}, {"cote", name(a->side)}, {"statut", name(a->status)}, {"texte", a->body}}.dump(), 201);
  });

  app.api(http::Method::post, "/api/v1/contributions/{id}/comments", "api-contribution-commentaires", [](web::Context& ctx) {
    if (!ctx.account) return fail(ctx, Error{ErrorKind::unauthorized, "consultations.sign_in_required", "", {}});
    auto id = str::to_int(ctx.req.param("id"));
    if (!id) return fail(ctx, Error::not_found("consultations.contribution.not_found"));
    auto doc = body_object(ctx);
    if (!doc) return ctx.app.error_response(ctx, 400, ctx.t("api.bad_json"));
    std::optional<int64_t> parent;
    if (doc->contains("parent") && (*doc)["parent"].is_number_integer()) parent = (*doc)["parent"].get<int64_t>();
    auto cm = comment(ctx.app.db(), *id, parent, text(*doc, "texte"), ctx.account->id, unix_now());
    if (!cm) return fail(ctx, cm.error());
    return http::Response::json(json{{"id", cm->id}, {"profondeur", cm->depth}, {"statut", name(cm->status)}}.dump(), 201);
  });

  app.api(http::Method::post, "/api/v1/reports", "api-signalements", [](web::Context& ctx) {
    auto doc = body_object(ctx);
    if (!doc) return ctx.app.error_response(ctx, 400, ctx.t("api.bad_json"));
    int64_t target = doc->contains("id") && (*doc)["id"].is_number_integer() ? (*doc)["id"].get<int64_t>() : 0;
    auto r = report(ctx.app.db(), text(*doc, "type"), target, text(*doc, "motif"), text(*doc, "precisions"),
                    ctx.account ? std::optional<int64_t>(ctx.account->id) : std::nullopt, unix_now());
    if (!r) return fail(ctx, r.error());
    return http::Response::json(json{{"id", r->id}}.dump(), 201);
  });
}

}  // namespace passerelle::consultations
