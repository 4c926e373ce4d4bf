// /contributions/{id}: the contribution with its answer, votes, arguments for and against side
// by side, sources, threaded comments and the report form; and the POST routes of those forms.
// A refused action re-renders the page with the reason (422), and changes nothing.
#include "consultations/follow.hpp"
#include "consultations/pages_shared.hpp"
#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "practices/pages_shared.hpp"

namespace passerelle::consultations::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

bool may_see(Context& ctx, const Contribution& c) {
  if (c.status == Status::published || c.status == Status::hidden || c.status == Status::trashed || c.status == Status::withdrawn) return true;
  return (ctx.account && c.user_id == ctx.account->id) || can_moderate(ctx.account, c.territory_id);
}

std::string status_text(Context& ctx, const std::string& reason, Status s) {
  if (s == Status::withdrawn) return ctx.t("consultations_pages.status.withdrawn_text");
  return ctx.t("consultations_pages.status.moderated_text", {{"reason", reason}});
}

void votes_section(html::Builder& b, Context& ctx, const Process& p, const Contribution& c, const web::FormErrors& errors, int64_t now) {
  auto s = b.scope("section", {{"aria-labelledby", "votes"}});
  b.el("h2", {{"id", "votes"}}, ctx.t("consultations_pages.contribution.votes"));
  auto n = [&](int64_t v) { return i18n::format_integer(ctx.locale, v); };
  if (p.vote_mode == VoteMode::support) b.el("p", {{"id", "compteurs"}}, ctx.t("consultations_pages.counts.supports", {{"count", n(c.counts.support)}}));
  else
    b.el("p", {{"id", "compteurs"}}, ctx.t("consultations_pages.counts.opinions", {{"agree", n(c.counts.agree)}, {"mixed", n(c.counts.mixed)}, {"disagree", n(c.counts.disagree)}}));
  if (c.status != Status::published) return;
  if (auto closed = closed_reason(p, Action::vote, now)) {
    b.el("p", {{"class", "notice"}}, explain(ctx, *closed));
    return;
  }
  if (!ctx.account) {
    b.open("p").el("a", {{"href", "/connexion?retour=" + str::url_encode(contribution_url(c.id))}}, ctx.t("consultations_pages.contribution.sign_in_to_vote")).close();
    return;
  }
  web::error_summary(b, ctx, errors);
  std::vector<VoteValue> values = p.vote_mode == VoteMode::support ? std::vector<VoteValue>{VoteValue::support}
                                                                   : std::vector<VoteValue>{VoteValue::agree, VoteValue::mixed, VoteValue::disagree};
  auto mine = vote_of(ctx.app.db(), "contribution", c.id, "u:" + std::to_string(ctx.account->id));
  if (mine) b.el("p", {{"id", "mon-vote"}}, ctx.t("consultations_pages.contribution.my_vote", {{"vote", ctx.t("consultations_pages.vote." + std::string(name(*mine)))}}));
  {
    auto f = b.scope("form", {{"method", "post"}, {"action", contribution_url(c.id) + "/vote"}, {"class", "inline"}});
    b.void_el("input", {{"type", "hidden"}, {"name", "_csrf"}, {"value", ctx.csrf_token()}});
    for (VoteValue v : values)
      b.el("button", {{"type", "submit"}, {"name", "value"}, {"value", name(v)}, {"class", "button"}, {"aria-pressed", mine == v ? "true" : "false"}},
           ctx.t("consultations_pages.vote." + std::string(name(v))));
  }
  if (mine) post_button(b, ctx, contribution_url(c.id) + "/retirer-vote", ctx.t("consultations_pages.contribution.unvote"));
  if (!can_mediate(ctx.account, c.territory_id)) return;
  // A mediator enters the vote of a registered person, with that person's consent.
  auto people = find_participants(ctx.app.db(), c.territory_id, "");
  if (people.empty()) return;
  auto details = b.scope("details");
  b.el("summary", {}, ctx.t("consultations_pages.mediation.vote_for"));
  web::form(b, ctx, contribution_url(c.id) + "/vote", [&](html::Builder& b) {
    std::vector<web::Choice> choices;
    for (const auto& person : people) choices.push_back({std::to_string(person.id), person.display_name + (person.commune.empty() ? "" : " (" + person.commune + ")")});
    web::select(b, ctx, "participant", ctx.t("consultations_pages.mediation.person"), choices, "", errors);
    std::vector<web::Choice> vs;
    for (VoteValue v : values) vs.push_back({std::string(name(v)), ctx.t("consultations_pages.vote." + std::string(name(v)))});
    web::select(b, ctx, "value", ctx.t("consultations_pages.mediation.vote"), vs, "", errors);
    web::field(b, ctx, {"consent", ctx.t("consultations_pages.mediation.consent"), "checkbox"}, errors);
    web::submit(b, ctx.t("consultations_pages.mediation.submit_vote"));
  });
}

void arguments_section(html::Builder& b, Context& ctx, const Process& p, const Contribution& c, const web::FormErrors& errors, const web::Field& typed, int64_t now) {
  auto s = b.scope("section", {{"aria-labelledby", "arguments"}});
  b.el("h2", {{"id", "arguments"}}, ctx.t("consultations_pages.contribution.arguments"));
  auto all = arguments_of(ctx.app.db(), c.id);
  bool can_mark = c.status == Status::published && ctx.account && (p.open_for(Action::vote, now) || p.open_for(Action::argue, now));
  {
    auto cols = b.scope("div", {{"class", "columns"}});
    for (Side side : {Side::for_, Side::against}) {
      std::string key(name(side));
      auto col = b.scope("div", {{"class", "column arguments-" + key}});
      b.el("h3", {}, ctx.t("consultations_pages.argument.side." + key));
      size_t shown = 0;
      auto ul = b.scope("ul", {{"class", "arguments"}});
      for (const auto& a : all) {
        if (a.side != side) continue;
        ++shown;
        auto li = b.scope("li");
        if (a.status != Status::published) {
          b.el("p", {{"class", "moderated"}}, status_text(ctx, a.moderation_reason, a.status));
          continue;
        }
        b.el("p", {}, a.body);
        b.el("p", {{"class", "muted"}}, (a.author_name.empty() ? ctx.t("consultations_pages.anonymous") : a.author_name) + " · " +
                                             ctx.t("consultations_pages.argument.useful_count", {{"count", i18n::format_integer(ctx.locale, a.useful)}}));
        if (can_mark)
          post_button(b, ctx, "/arguments/" + std::to_string(a.id) + "/utile", ctx.t("consultations_pages.argument.useful"));
      }
      if (shown == 0) b.el("li", {{"class", "muted"}}, ctx.t("consultations_pages.argument.none." + key));
    }
  }
  if (c.status != Status::published) return;
  if (auto closed = closed_reason(p, Action::argue, now)) {
    b.el("p", {{"class", "notice"}}, explain(ctx, *closed));
    return;
  }
  if (!ctx.account) return;
  b.el("h3", {{"id", "ajouter-argument"}}, ctx.t("consultations_pages.argument.add"));
  web::form(b, ctx, contribution_url(c.id) + "/arguments", [&](html::Builder& b) {
    {
      auto fs = b.scope("fieldset");
      b.el("legend", {}, ctx.t("consultations_pages.argument.side_legend"));
      for (Side side : {Side::for_, Side::against}) {
        std::string key(name(side)), id = "cote-" + key;
        auto d = b.scope("div", {{"class", "radio"}});
        b.void_el("input", {{"type", "radio"}, {"name", "side"}, {"value", key}, {"id", id}, {"checked", "", side == Side::for_}});
        b.el("label", {{"for", id}}, ctx.t("consultations_pages.argument.side." + key));
      }
    }
    web::Field f = typed;
    web::field(b, ctx, f, errors);
    web::submit(b, ctx.t("consultations_pages.argument.submit"));
  });
}

void amendments_section(html::Builder& b, Context& ctx, const Process& p, const Contribution& c, const web::FormErrors& errors, int64_t now) {
  if (c.status != Status::published) return;
  auto s = b.scope("section", {{"aria-labelledby", "amendements"}});
  b.el("h2", {{"id", "amendements"}}, ctx.t("consultations_pages.amendment.title"));
  auto list = amendments_of(ctx.app.db(), c.id);
  if (list.empty()) b.el("p", {{"class", "muted"}}, ctx.t("consultations_pages.amendment.none"));
  bool can_vote = ctx.account && (p.open_for(Action::vote, now) || p.open_for(Action::argue, now));
  for (const auto& a : list) {
    auto art = b.scope("article", {{"class", "amendment"}, {"aria-labelledby", "amendement-" + std::to_string(a.id)}});
    b.el("h3", {{"id", "amendement-" + std::to_string(a.id)}}, ctx.t("consultations_pages.amendment.heading", {{"id", std::to_string(a.id)}, {"title", a.title}}));
    if (a.status != Status::published) {
      b.el("p", {{"class", "moderated"}}, status_text(ctx, a.moderation_reason, a.status));
      continue;
    }
    b.open("p", {{"class", "report"}}).el("a", {{"href", "/signaler?cible=amendment&id=" + std::to_string(a.id)}}, ctx.t("consultations_pages.report.amendment")).close();
    b.el("p", {{"class", "muted"}}, (a.author_name.empty() ? ctx.t("consultations_pages.anonymous") : a.author_name) + " · " +
                                        ctx.t("consultations_pages.counts.opinions", {{"agree", std::to_string(a.agree)}, {"mixed", std::to_string(a.mixed)}, {"disagree", std::to_string(a.disagree)}}));
    practices::pages::diff_list(b, ctx, practices::diff_lines(c.title + "\n" + c.body, a.title + "\n" + a.body));
    if (!can_vote) continue;
    auto f = b.scope("form", {{"method", "post"}, {"action", "/amendements/" + std::to_string(a.id) + "/vote"}, {"class", "inline"}});
    b.void_el("input", {{"type", "hidden"}, {"name", "_csrf"}, {"value", ctx.csrf_token()}});
    for (VoteValue v : {VoteValue::agree, VoteValue::mixed, VoteValue::disagree})
      b.el("button", {{"type", "submit"}, {"name", "value"}, {"value", name(v)}, {"class", "button"}},
           ctx.t("consultations_pages.amendment.vote", {{"vote", ctx.t("consultations_pages.vote." + std::string(name(v)))}, {"id", std::to_string(a.id)}}));
  }
  if (!ctx.account || closed_reason(p, Action::contribute, now)) return;
  auto details = b.scope("details", {{"open", "", !errors.empty()}});
  b.el("summary", {}, ctx.t("consultations_pages.amendment.propose"));
  web::error_summary(b, ctx, errors);
  web::form(b, ctx, contribution_url(c.id) + "/amendements", [&](html::Builder& b) {
    web::field(b, ctx, {"amendment_title", ctx.t("consultations_pages.form.field_title"), "text", c.title, true}, errors);
    web::field(b, ctx, {"amendment_body", ctx.t("consultations_pages.amendment.field_body"), "textarea", c.body, true}, errors);
    web::submit(b, ctx.t("consultations_pages.amendment.submit"));
  });
}

void sources_section(html::Builder& b, Context& ctx, const Process& p, const Contribution& c, const web::FormErrors& errors, int64_t now) {
  auto s = b.scope("section", {{"aria-labelledby", "sources"}});
  b.el("h2", {{"id", "sources"}}, ctx.t("consultations_pages.source.title"));
  auto list = sources_of(ctx.app.db(), c.id);
  if (list.empty()) b.el("p", {{"class", "muted"}}, ctx.t("consultations_pages.source.none"));
  else {
    auto ul = b.scope("ul");
    for (const auto& src : list) {
      auto li = b.scope("li");
      b.el("a", {{"href", src.url}, {"rel", "nofollow noopener"}}, src.title);
      b.text(" (" + ctx.t("consultations_pages.source.category." + src.category) + ")");
    }
  }
  if (c.status != Status::published || !ctx.account || closed_reason(p, Action::argue, now)) return;
  auto details = b.scope("details", {{"open", "", !errors.empty()}});
  b.el("summary", {}, ctx.t("consultations_pages.source.add"));
  web::form(b, ctx, contribution_url(c.id) + "/sources", [&](html::Builder& b) {
    web::field(b, ctx, {"source_title", ctx.t("consultations_pages.source.field_title"), "text", "", true}, errors);
    web::field(b, ctx, {"source_url", ctx.t("consultations_pages.source.field_url"), "url", "", true, {}, ctx.t("consultations_pages.source.url_hint")}, errors);
    std::vector<web::Choice> cats;
    for (const char* cat : {"etude", "article", "donnees", "texte-officiel", "autre"}) cats.push_back({cat, ctx.t(std::string("consultations_pages.source.category.") + cat)});
    web::select(b, ctx, "source_category", ctx.t("consultations_pages.source.field_category"), cats, "etude", errors);
    web::submit(b, ctx.t("consultations_pages.source.submit"));
  });
}

void comments_section(html::Builder& b, Context& ctx, const Process& p, const Contribution& c, const web::FormErrors& errors, const std::string& typed, int64_t now) {
  auto s = b.scope("section", {{"aria-labelledby", "commentaires"}});
  b.el("h2", {{"id", "commentaires"}}, ctx.t("consultations_pages.comment.title"));
  auto list = comments_of(ctx.app.db(), c.id);
  if (list.empty()) b.el("p", {{"class", "muted"}}, ctx.t("consultations_pages.comment.none"));
  else {
    auto ul = b.scope("ul", {{"class", "comments"}});
    for (const auto& cm : list) {
      auto li = b.scope("li", {{"class", "comment depth-" + std::to_string(cm.depth)}, {"id", "commentaire-" + std::to_string(cm.id)}});
      if (cm.status != Status::published) {
        b.el("p", {{"class", "moderated"}}, status_text(ctx, cm.moderation_reason, cm.status));
        continue;
      }
      b.el("p", {{"class", "muted"}}, (cm.author_name.empty() ? ctx.t("consultations_pages.anonymous") : cm.author_name) + " · " + i18n::format_datetime(ctx.locale, cm.created_at) +
                                           (cm.parent_id ? " · " + ctx.t("consultations_pages.comment.reply_to", {{"id", std::to_string(*cm.parent_id)}}) : ""));
      b.el("p", {}, cm.body);
    }
  }
  if (c.status != Status::published || !ctx.account) return;
  if (auto closed = closed_reason(p, Action::comment, now)) {
    b.el("p", {{"class", "notice"}}, explain(ctx, *closed));
    return;
  }
  web::form(b, ctx, contribution_url(c.id) + "/commentaires", [&](html::Builder& b) {
    std::vector<web::Choice> parents{{"", ctx.t("consultations_pages.comment.no_parent")}};
    for (const auto& cm : list)
      if (cm.status == Status::published && cm.depth < kMaxCommentDepth)
        parents.push_back({std::to_string(cm.id), ctx.t("consultations_pages.comment.parent_choice", {{"id", std::to_string(cm.id)}, {"author", cm.author_name}})});
    if (parents.size() > 1) web::select(b, ctx, "parent", ctx.t("consultations_pages.comment.parent"), parents, "", errors);
    web::field(b, ctx, {"comment", ctx.t("consultations_pages.comment.field"), "textarea", typed, true}, errors);
    web::submit(b, ctx.t("consultations_pages.comment.submit"));
  });
}

void report_form(html::Builder& b, Context& ctx, std::string_view kind, int64_t id, const web::FormErrors& errors) {
  web::form(b, ctx, "/signaler", [&](html::Builder& b) {
    b.void_el("input", {{"type", "hidden"}, {"name", "target_kind"}, {"value", kind}});
    b.void_el("input", {{"type", "hidden"}, {"name", "target_id"}, {"value", std::to_string(id)}});
    std::vector<web::Choice> reasons;
    for (const char* r : {"spam", "injurieux", "hors-sujet", "donnees-personnelles", "autre"}) reasons.push_back({r, ctx.t(std::string("consultations_pages.report.reason.") + r)});
    web::select(b, ctx, "reason", ctx.t("consultations_pages.report.reason_label"), reasons, "spam", errors);
    web::field(b, ctx, {"details", ctx.t("consultations_pages.report.details"), "textarea"}, errors);
    web::submit(b, ctx.t("consultations_pages.report.submit"));
  });
}

void report_section(html::Builder& b, Context& ctx, const Contribution& c, const web::FormErrors& errors) {
  if (c.status != Status::published) return;
  // A visitor gets a link to the form on a page of its own: the form carries a token of theirs,
  // and the contribution page stays the same for every visitor (so it can be cached).
  if (!ctx.account && errors.empty()) {
    b.open("p", {{"class", "report"}}).el("a", {{"href", "/signaler?cible=contribution&id=" + std::to_string(c.id)}}, ctx.t("consultations_pages.report.title")).close();
    return;
  }
  auto details = b.scope("details", {{"class", "report"}, {"open", "", !errors.empty()}});
  b.el("summary", {}, ctx.t("consultations_pages.report.title"));
  report_form(b, ctx, "contribution", c.id, errors);
}

Response report_page(Context& ctx) {
  const auto& q = ctx.req.query_fields();
  std::string kind = q.value("cible");
  auto target = str::to_int(q.value("id"));
  // Contributions and amendments are reported from here (report() checks the target again).
  auto of = target && (kind == "contribution" || kind == "amendment") ? contribution_of_target(ctx.app.db(), kind, *target) : std::nullopt;
  auto contribution = of ? find_contribution(ctx.app.db(), *of) : std::nullopt;
  if (!contribution || contribution->status != Status::published) return ctx.app.error_response(ctx, 404, ctx.t("consultations.contribution.not_found"));
  web::PageSpec spec{ctx.t(kind == "amendment" ? "consultations_pages.report.amendment" : "consultations_pages.report.title"), std::nullopt, ""};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    b.open("p").el("a", {{"href", contribution_url(contribution->id) + (kind == "amendment" ? "#amendement-" + std::to_string(*target) : "")}},
                   "#" + std::to_string(contribution->id) + " " + contribution->title).close();
    report_form(b, ctx, kind, *target, {});
  });
}

void manage_section(html::Builder& b, Context& ctx, const Contribution& c, const web::FormErrors& errors) {
  bool author = ctx.account && c.user_id == ctx.account->id;
  if (author && (c.status == Status::published || c.status == Status::pending))
    post_button(b, ctx, contribution_url(c.id) + "/retirer", ctx.t("consultations_pages.contribution.withdraw"));
  if (author && (c.status == Status::hidden || c.status == Status::trashed) && !c.review_requested)
    post_button(b, ctx, contribution_url(c.id) + "/reexamen", ctx.t("consultations_pages.contribution.ask_review"));
  if (!can_manage(ctx.account, c.territory_id) || c.status != Status::published) return;
  auto s = b.scope("section", {{"aria-labelledby", "repondre"}});
  b.el("h2", {{"id", "repondre"}}, ctx.t("consultations_pages.answer.form_title"));
  web::form(b, ctx, contribution_url(c.id) + "/reponse", [&](html::Builder& b) {
    std::vector<web::Choice> kinds;
    for (Answer a : {Answer::retenue, Answer::etude, Answer::ecartee}) kinds.push_back({std::string(name(a)), ctx.t("consultations_pages.answer." + std::string(name(a)))});
    web::select(b, ctx, "answer_kind", ctx.t("consultations_pages.answer.kind"), kinds, c.answer ? name(*c.answer) : "etude", errors);
    web::field(b, ctx, {"answer_text", ctx.t("consultations_pages.answer.text"), "textarea", c.answer_text, true}, errors);
    web::submit(b, ctx.t("consultations_pages.answer.submit"));
  });
}

struct Typed {  // what was typed in a refused form, given back
  std::string argument, comment;
};

Response contribution_view(Context& ctx, int64_t id, const web::FormErrors& errors = {}, unsigned status = 200, const Typed& typed = {}) {
  auto c = find_contribution(ctx.app.db(), id);
  if (!c || !may_see(ctx, *c)) return ctx.app.error_response(ctx, 404, ctx.t("consultations.contribution.not_found"));
  auto p = find_process(ctx.app.db(), c->process_id);
  if (!p || p->status != ProcessStatus::published) return ctx.app.error_response(ctx, 404, ctx.t("consultations.not_found"));
  int64_t now = unix_now();
  web::PageSpec spec{"#" + std::to_string(c->id) + " " + c->title, ref_of(*p), notice(ctx)};
  return web::page_response(
      ctx, spec,
      [&](html::Builder& b) {
        b.open("p", {{"class", "breadcrumb"}}).el("a", {{"href", process_url(p->id)}}, p->title).close();
        b.el("p", {{"class", "muted"}, {"id", "auteur"}}, byline(ctx, *c) + (c->section.empty() ? "" : " · " + c->section));
        if (c->status == Status::pending) b.el("p", {{"class", "notice"}}, ctx.t("consultations_pages.status.pending_text"));
        if (c->status == Status::published || c->status == Status::pending) b.el("div", {{"class", "prose"}, {"id", "texte"}}, c->body);
        else b.el("p", {{"class", "moderated"}, {"id", "texte"}}, status_text(ctx, c->moderation_reason, c->status));
        if (c->answer) {
          auto s = b.scope("section", {{"aria-labelledby", "reponse"}, {"class", "answer answer-" + std::string(name(*c->answer))}});
          b.el("h2", {{"id", "reponse"}}, ctx.t("consultations_pages.answer.title", {{"kind", ctx.t("consultations_pages.answer." + std::string(name(*c->answer)))}}));
          b.el("p", {}, c->answer_text);
          if (c->answered_at) b.el("p", {{"class", "muted"}}, i18n::format_date(ctx.locale, *c->answered_at));
        }
        followup_section(b, ctx, *c);
        follow_section(b, ctx, *c);
        auto only = [&](std::initializer_list<const char*> fields) {
          web::FormErrors out;
          for (const auto& e : errors.errors)
            for (const char* f : fields)
              if (e.field == f) out.add(e);
          return out;
        };
        web::FormErrors general;
        for (const auto& e : errors.errors)
          if (e.field.empty()) general.add(e);
        web::error_summary(b, ctx, general);
        votes_section(b, ctx, *p, *c, only({"value", "participant", "consent"}), now);
        arguments_section(b, ctx, *p, *c, only({"argument", "side"}),
                          web::Field{"argument", ctx.t("consultations_pages.argument.field"), "textarea", typed.argument, true}, now);
        amendments_section(b, ctx, *p, *c, only({"amendment_title", "amendment_body"}), now);
        sources_section(b, ctx, *p, *c, only({"source_title", "source_url", "source_category"}), now);
        comments_section(b, ctx, *p, *c, only({"comment", "parent"}), typed.comment, now);
        report_section(b, ctx, *c, only({"reason", "details"}));
        manage_section(b, ctx, *c, only({"answer_kind", "answer_text"}));
      },
      status);
}

Response show(Context& ctx) {
  auto id = id_param(ctx, "id");
  if (!id) return ctx.app.error_response(ctx, 404);
  return contribution_view(ctx, *id);
}

// Runs a POST action on the contribution of the URL: the result's error re-renders the page.
template <class Fn>
Response act(Context& ctx, std::string_view done, Fn&& fn, std::string_view error_field = {}, Typed typed = {}) {
  auto id = id_param(ctx, "id");
  if (!id) return ctx.app.error_response(ctx, 404);
  if (!ctx.account) return web::login_redirect(contribution_url(*id));
  auto c = find_contribution(ctx.app.db(), *id);
  if (!c) return ctx.app.error_response(ctx, 404, ctx.t("consultations.contribution.not_found"));
  std::optional<Error> failure = fn(*c);
  if (!failure) return back_to(contribution_url(*id), done);
  if (failure->kind == ErrorKind::not_found) return ctx.app.error_response(ctx, 404, explain(ctx, *failure));
  if (failure->kind == ErrorKind::forbidden && failure->message_key == "error.forbidden") return ctx.app.error_response(ctx, 403);
  web::FormErrors errors;
  Error shown = readable(ctx, *failure);  // the summary prints ctx.t(error)
  if (!error_field.empty() && (shown.field.empty() || shown.field == "body")) shown.field = std::string(error_field);
  errors.add(shown);
  unsigned status = failure->kind == ErrorKind::conflict ? 409 : failure->kind == ErrorKind::forbidden ? 403 : 422;
  return contribution_view(ctx, *id, errors, status, typed);
}

template <class T>
std::optional<Error> error_of(const Result<T>& r) {
  if (r.ok()) return std::nullopt;
  return r.error();
}

Response post_vote(Context& ctx) {
  const auto& form = ctx.req.form();
  return act(ctx, "vote", [&](const Contribution& c) -> std::optional<Error> {
    auto value = parse_vote_value(form.value("value"));
    if (!value) return Error::validation("value", "consultations.vote.value_invalid").with("value", form.value("value"));
    ActorRequest req;
    if (auto pid = str::to_int(form.value("participant"))) req.participant_id = *pid;
    req.consent = form.value("consent") == "oui";
    auto actor = actor_for(ctx.app.db(), ctx.account, c.territory_id, req);
    if (!actor) return actor.error();
    return error_of(vote(ctx.app.db(), "contribution", c.id, *value, *actor, unix_now()));
  });
}

Response post_unvote(Context& ctx) {
  return act(ctx, "vote_retire", [&](const Contribution& c) -> std::optional<Error> {
    auto actor = actor_for(ctx.app.db(), ctx.account, c.territory_id, {});
    if (!actor) return actor.error();
    return error_of(unvote(ctx.app.db(), "contribution", c.id, *actor, unix_now()));
  });
}

Response post_argument(Context& ctx) {
  const auto& form = ctx.req.form();
  return act(
      ctx, "argument",
      [&](const Contribution& c) -> std::optional<Error> {
        auto side = parse_side(form.value("side"));
        if (!side) return Error::validation("side", "consultations_pages.argument.side_required");
        auto actor = actor_for(ctx.app.db(), ctx.account, c.territory_id, {});
        if (!actor) return actor.error();
        return error_of(argue(ctx.app.db(), c.id, *side, form.value("argument"), *actor, unix_now()));
      },
      "argument", Typed{form.value("argument"), ""});
}

Response post_comment(Context& ctx) {
  const auto& form = ctx.req.form();
  return act(
      ctx, "commentaire",
      [&](const Contribution& c) -> std::optional<Error> {
        std::optional<int64_t> parent;
        if (!form.value("parent").empty()) {
          parent = str::to_int(form.value("parent"));
          if (!parent) return Error::validation("parent", "consultations.comment.parent_unknown");
        }
        return error_of(comment(ctx.app.db(), c.id, parent, form.value("comment"), ctx.account->id, unix_now()));
      },
      "comment", Typed{"", form.value("comment")});
}

Response post_source(Context& ctx) {
  const auto& form = ctx.req.form();
  return act(ctx, "source", [&](const Contribution& c) -> std::optional<Error> {
    return error_of(add_source(ctx.app.db(), c.id, form.value("source_title"), form.value("source_url"), form.value("source_category"), ctx.account->id, unix_now()));
  });
}

Response post_amendment(Context& ctx) {
  const auto& form = ctx.req.form();
  return act(ctx, "amendement", [&](const Contribution& c) -> std::optional<Error> {
    auto actor = actor_for(ctx.app.db(), ctx.account, c.territory_id, {});
    if (!actor) return actor.error();
    return error_of(amend(ctx.app.db(), c.id, form.value("amendment_title"), form.value("amendment_body"), *actor, unix_now()));
  });
}

// A vote on a part of a contribution (an argument found useful, an amendment), back to the
// contribution's page at `anchor`; a refusal re-renders that page with the reason.
Response vote_on_part(Context& ctx, std::string_view kind, std::optional<VoteValue> value, std::string_view anchor) {
  auto id = id_param(ctx, "id");
  auto contribution = id ? contribution_of_target(ctx.app.db(), kind, *id) : std::nullopt;
  if (!contribution) return ctx.app.error_response(ctx, 404, ctx.t(kind == "argument" ? "consultations.argument.not_found" : "consultations.amendment.not_found"));
  if (!ctx.account) return web::login_redirect(contribution_url(*contribution));
  auto territory = territory_of(ctx.app.db(), "contribution", *contribution);
  auto actor = actor_for(ctx.app.db(), ctx.account, territory.value_or(0), {});
  Result<VoteResult> r = !actor ? Result<VoteResult>(actor.error())
                         : !value ? Result<VoteResult>(Error::validation("", "consultations.vote.value_invalid").with("value", ctx.req.form().value("value")))
                                  : vote(ctx.app.db(), kind, *id, *value, *actor, unix_now());
  if (r.ok()) return back_to(contribution_url(*contribution) + std::string(anchor), "vote");
  web::FormErrors errors;
  Error e = readable(ctx, r.error());
  e.field.clear();
  errors.add(e);
  return contribution_view(ctx, *contribution, errors, e.kind == ErrorKind::conflict ? 409 : 422);
}

Response post_amendment_vote(Context& ctx) { return vote_on_part(ctx, "amendment", parse_vote_value(ctx.req.form().value("value")), "#amendements"); }

Response post_useful(Context& ctx) { return vote_on_part(ctx, "argument", VoteValue::useful, "#arguments"); }

Response post_withdraw(Context& ctx) {
  return act(ctx, "retiree", [&](const Contribution& c) -> std::optional<Error> { return error_of(withdraw(ctx.app.db(), c.id, ctx.account->id)); });
}

Response post_review(Context& ctx) {
  return act(ctx, "reexamen", [&](const Contribution& c) -> std::optional<Error> { return error_of(request_review(ctx.app.db(), c.id, ctx.account->id)); });
}

Response post_answer(Context& ctx) {
  const auto& form = ctx.req.form();
  return act(ctx, "reponse", [&](const Contribution& c) -> std::optional<Error> {
    if (!can_manage(ctx.account, c.territory_id)) return Error::forbidden();
    auto kind = parse_answer(form.value("answer_kind"));
    if (!kind) return Error::validation("answer_kind", "consultations_pages.answer.kind_invalid");
    return error_of(answer(ctx.app.db(), c.id, *kind, form.value("answer_text"), ctx.account->id, unix_now()));
  });
}

Response post_report(Context& ctx) {
  const auto& form = ctx.req.form();
  std::string kind = form.value("target_kind");
  auto target = str::to_int(form.value("target_id"));
  if (!target) return ctx.app.error_response(ctx, 404);
  auto r = report(ctx.app.db(), kind, *target, form.value("reason"), form.value("details"), ctx.account ? std::optional<int64_t>(ctx.account->id) : std::nullopt, unix_now());
  // Reports go on contributions, arguments, comments and amendments (report() refuses the rest).
  int64_t contribution = contribution_of_target(ctx.app.db(), kind, *target).value_or(0);
  if (r.ok()) return back_to(contribution_url(contribution), "signalement");
  if (r.error().kind == ErrorKind::not_found || contribution == 0) return ctx.app.error_response(ctx, 404, ctx.t("consultations.contribution.not_found"));
  web::FormErrors errors;
  errors.add(r.error());
  return contribution_view(ctx, contribution, errors, 422);
}

}  // namespace

void register_contribution_pages(web::App& app) {
  app.page(Method::get, "/contributions/{id}", "contribution", show);
  app.page(Method::post, "/contributions/{id}/vote", "contribution-vote", post_vote);
  app.page(Method::post, "/contributions/{id}/retirer-vote", "contribution-retirer-vote", post_unvote);
  app.page(Method::post, "/contributions/{id}/arguments", "contribution-arguments", post_argument);
  app.page(Method::post, "/contributions/{id}/commentaires", "contribution-commentaires", post_comment);
  app.page(Method::post, "/contributions/{id}/sources", "contribution-sources", post_source);
  app.page(Method::post, "/contributions/{id}/amendements", "contribution-amendements", post_amendment);
  app.page(Method::post, "/amendements/{id}/vote", "amendement-vote", post_amendment_vote);
  app.page(Method::post, "/contributions/{id}/retirer", "contribution-retirer", post_withdraw);
  app.page(Method::post, "/contributions/{id}/reexamen", "contribution-reexamen", post_review);
  app.page(Method::post, "/contributions/{id}/reponse", "contribution-reponse", post_answer);
  app.page(Method::post, "/arguments/{id}/utile", "argument-utile", post_useful);
  app.page(Method::get, "/signaler", "signaler-formulaire", report_page);
  app.page(Method::post, "/signaler", "signaler", post_report);
}

}  // namespace passerelle::consultations::pages
