// /pratiques/{id}: the practice sheet, its "je m'en inspire" button, its comments (moderated by
// the territory) and the way to add it to a collection. A sheet the visitor may not see is a 404.
#include <algorithm>

#include "platform/core/strings.hpp"
#include "platform/html/markdown.hpp"
#include "platform/i18n/format.hpp"
#include "practices/pages_shared.hpp"

namespace passerelle::practices::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

bool moderates(Context& ctx, int64_t territory_id) {
  if (!ctx.account) return false;
  return can_moderate(viewer(ctx), territory_id) || ctx.account->has_role(territory_id, web::Role::moderateur);
}

void details(html::Builder& b, Context& ctx, const Practice& p) {
  auto dl = b.scope("dl", {{"class", "practice-details"}});
  b.el("dt", {}, ctx.t("practices_pages.field.territory"));
  b.open("dd").el("a", {{"href", territory_practices_url(p.territory_slug)}}, p.territory_name).close();
  if (!p.communes.empty()) {
    std::string communes;
    for (const auto& c : p.communes) communes += (communes.empty() ? "" : ", ") + c;
    b.el("dt", {}, ctx.t("practices_pages.field.communes")).el("dd", {}, communes);
  }
  if (!p.cost.empty() || p.cost_cents) {
    std::string cost = p.cost;
    if (p.cost_cents) cost += (cost.empty() ? "" : " — ") + format_euros(*p.cost_cents);
    b.el("dt", {}, ctx.t("practices_pages.field.cost")).el("dd", {}, cost);
  }
  if (!p.partners.empty()) {
    b.el("dt", {}, ctx.t("practices_pages.field.partners"));
    auto dd = b.scope("dd");
    auto ul = b.scope("ul");
    for (const auto& partner : p.partners) b.el("li", {}, partner);
  }
  if (!p.contact.empty()) {
    b.el("dt", {}, ctx.t("practices_pages.field.contact"));
    auto dd = b.scope("dd");
    if (!p.contact.name.empty()) b.text(p.contact.name);
    if (!p.contact.email.empty()) {
      if (!p.contact.name.empty()) b.text(" · ");
      b.el("a", {{"href", "mailto:" + p.contact.email}}, p.contact.email);
    }
    if (!p.contact.phone.empty()) {
      if (!p.contact.name.empty() || !p.contact.email.empty()) b.text(" · ");
      b.el("a", {{"href", "tel:" + p.contact.phone}}, p.contact.phone);
    }
  }
  b.el("dt", {}, ctx.t("practices_pages.field.licence"));
  {
    auto dd = b.scope("dd");
    if (const Licence* l = find_licence(p.licence)) b.el("a", {{"href", l->url}, {"rel", "license noopener"}}, licence_label(ctx, *l));
    else b.text(p.licence);
  }
  b.el("dt", {}, ctx.t("practices_pages.field.updated"));
  b.el("dd", {}, i18n::format_date(ctx.locale, p.updated_at) + " · " + ctx.t("practices_pages.version_number", {{"number", std::to_string(p.version)}}));
}

void provenance(html::Builder& b, Context& ctx, const Practice& p) {
  if (!p.provenance) return;
  const Provenance& pv = *p.provenance;
  auto para = b.scope("p", {{"class", "provenance notice"}});
  if (pv.origin_practice_id) {
    b.text(ctx.t("practices_pages.inspired_by") + " ");
    b.el("a", {{"href", practice_url(*pv.origin_practice_id)}}, pv.territory_name.empty() ? ctx.t("practices_pages.origin_sheet") : pv.territory_name);
  } else if (pv.imported()) {
    std::string who = pv.territory_name.empty() ? pv.instance_url : pv.territory_name + ", " + pv.instance_url;
    b.text(ctx.t("practices_pages.imported_from", {{"origin", who}}));
  }
  if (!pv.credit.empty()) b.text(" — " + pv.credit);
}

void attachments_section(html::Builder& b, Context& ctx, const Practice& p) {
  std::vector<const Attachment*> images, pdfs;
  for (const auto& a : p.attachments) (a.kind == AttachmentKind::image ? images : pdfs).push_back(&a);
  if (!images.empty()) {
    auto s = b.scope("section", {{"aria-labelledby", "images"}});
    b.el("h2", {{"id", "images"}}, ctx.t("practices_pages.images"));
    for (const auto* a : images) {
      auto fig = b.scope("figure");
      b.void_el("img", {{"src", "/fichiers/" + std::to_string(a->file_id)}, {"alt", a->alt}, {"loading", "lazy"}, {"class", "practice-image"}});
      if (!a->caption.empty()) b.el("figcaption", {}, a->caption);
    }
  }
  if (!pdfs.empty()) {
    auto s = b.scope("section", {{"aria-labelledby", "documents"}});
    b.el("h2", {{"id", "documents"}}, ctx.t("practices_pages.documents"));
    auto ul = b.scope("ul");
    for (const auto* a : pdfs) {
      auto li = b.scope("li");
      std::string name = a->caption.empty() ? a->name : a->caption;
      b.el("a", {{"href", "/fichiers/" + std::to_string(a->file_id)}, {"download", a->name}, {"type", "application/pdf"}},
           ctx.t("practices_pages.download", {{"name", name}, {"size", format_size(ctx.locale, a->size)}}));
    }
  }
}

void reuse_section(html::Builder& b, Context& ctx, const Practice& p, const web::FormErrors& errors) {
  auto s = b.scope("section", {{"aria-labelledby", "inspiration"}});
  b.el("h2", {{"id", "inspiration"}}, ctx.t("practices_pages.reuse.title"));
  web::error_summary(b, ctx, errors);
  b.el("p", {{"id", "compteur-inspiration"}},
       ctx.t(p.reuse_count == 1 ? "practices_pages.reuse.count_one" : "practices_pages.reuse.count_many",
             {{"count", i18n::format_integer(ctx.locale, p.reuse_count)}}));
  auto list = reuses(ctx.app.db(), p.id);
  if (!list.empty()) {
    auto ul = b.scope("ul", {{"class", "inline-list"}});
    for (const auto& r : list) b.open("li").el("a", {{"href", territory_practices_url(r.territory_slug)}}, r.territory_name).close();
  }
  if (p.status != Status::published) return;
  std::vector<web::Choice> targets;
  for (const auto& t : edited_territories(ctx)) {
    bool done = std::any_of(list.begin(), list.end(), [&](const Reuse& r) { return r.territory_id == t.id; });
    if (t.id != p.territory_id && !done) targets.push_back({std::to_string(t.id), t.name});
  }
  if (!ctx.account) {
    b.open("p").el("a", {{"href", "/connexion?retour=" + str::url_encode(practice_url(p.id))}}, ctx.t("practices_pages.reuse.login")).close();
    return;
  }
  if (targets.empty()) return;
  web::form(b, ctx, practice_url(p.id) + "/inspirer", [&](html::Builder& f) {
    f.el("p", {{"class", "hint"}}, ctx.t("practices_pages.reuse.hint"));
    web::select(f, ctx, "territoire", ctx.t("practices_pages.reuse.target"), targets, targets.front().value, errors);
    web::submit(f, ctx.t("practices_pages.reuse.button"));
  });
}

void comments_section(html::Builder& b, Context& ctx, const Practice& p, const web::FormErrors& errors, const std::string& typed) {
  bool moderator = moderates(ctx, p.territory_id);
  auto list = comments(ctx.app.db(), p.id, moderator);
  auto s = b.scope("section", {{"aria-labelledby", "commentaires"}});
  b.el("h2", {{"id", "commentaires"}}, ctx.t("practices_pages.comments.title", {{"count", std::to_string(list.size())}}));
  if (list.empty()) b.el("p", {}, ctx.t("practices_pages.comments.none"));
  else {
    auto ol = b.scope("ol", {{"class", "comments"}});
    for (const auto& c : list) {
      auto li = b.scope("li", {{"class", c.status == CommentStatus::hidden ? "comment comment-hidden" : "comment"}, {"id", "commentaire-" + std::to_string(c.id)}});
      std::string who = c.author_name.empty() ? ctx.t("account.deleted_author") : c.author_name;
      b.el("p", {{"class", "muted"}}, ctx.t("practices_pages.comments.meta", {{"name", who}, {"date", i18n::format_datetime(ctx.locale, c.created_at)}}));
      if (c.status == CommentStatus::hidden) b.el("p", {{"class", "comment-status"}}, ctx.t("practices_pages.comments.hidden"));
      b.el("p", {{"class", "comment-body"}}, c.body);
      if (moderator) {
        std::string base = practice_url(p.id) + "/commentaires/" + std::to_string(c.id);
        if (c.status == CommentStatus::hidden) button_form(b, ctx, base + "/afficher", ctx.t("practices_pages.comments.show"), {}, true);
        else button_form(b, ctx, base + "/masquer", ctx.t("practices_pages.comments.hide"), {}, true);
      }
    }
  }
  if (p.status != Status::published) return;
  if (!ctx.account) {
    b.open("p").el("a", {{"href", "/connexion?retour=" + str::url_encode(practice_url(p.id))}}, ctx.t("practices_pages.comments.login")).close();
    return;
  }
  web::error_summary(b, ctx, errors);
  web::form(b, ctx, practice_url(p.id) + "/commentaires", [&](html::Builder& f) {
    web::field(f, ctx, {"comment", ctx.t("practices_pages.comments.field"), "textarea", typed, true, {}, ctx.t("practices_pages.comments.hint")}, errors);
    web::submit(f, ctx.t("practices_pages.comments.submit"));
  });
}

void collections_form(html::Builder& b, Context& ctx, const Practice& p) {
  if (p.status != Status::published) return;
  std::vector<web::Choice> choices;
  for (const auto& t : edited_territories(ctx))
    for (const auto& c : collections(ctx.app.db(), t.id))
      if (std::find(c.practice_ids.begin(), c.practice_ids.end(), p.id) == c.practice_ids.end())
        choices.push_back({std::to_string(c.id), t.name + " — " + c.name});
  if (choices.empty()) return;
  auto s = b.scope("section", {{"aria-labelledby", "ajout-collection"}});
  b.el("h2", {{"id", "ajout-collection"}}, ctx.t("practices_pages.collections.add_title"));
  web::form(b, ctx, practice_url(p.id) + "/collection", [&](html::Builder& f) {
    web::select(f, ctx, "collection", ctx.t("practices_pages.collections.choose"), choices, choices.front().value, {});
    web::submit(f, ctx.t("practices_pages.collections.add_button"));
  });
}

Response practice_page(Context& ctx, const Practice& p, const web::FormErrors& reuse_errors = {}, const web::FormErrors& comment_errors = {},
                       const std::string& typed_comment = {}, unsigned status = 200) {
  web::PageSpec spec{p.title, ref_of(p), done_notice(ctx)};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    if (p.status != Status::published)
      b.el("p", {{"class", "notice status-badge"}}, ctx.t("practices_pages.status_is", {{"status", status_label(ctx, p.status)}}));
    b.el("p", {{"class", "lead"}}, p.summary);
    provenance(b, ctx, p);
    bool editor = can_edit(viewer(ctx), p);
    {
      auto ul = b.scope("ul", {{"class", "inline-list"}});
      if (editor) b.open("li").el("a", {{"href", practice_url(p.id) + "/modifier"}, {"class", "button"}}, ctx.t("practices_pages.edit")).close();
      b.open("li").el("a", {{"href", practice_url(p.id) + "/versions"}}, ctx.t("practices_pages.versions_link", {{"count", std::to_string(p.version)}})).close();
    }
    taxonomy_labels(b, ctx, p, "h2");
    {
      auto s = b.scope("section", {{"aria-labelledby", "description"}});
      b.el("h2", {{"id", "description"}}, ctx.t("practices_pages.description"));
      auto div = b.scope("div", {{"class", "prose"}});
      b.trusted(html::render_markdown(p.body));
    }
    {
      auto s = b.scope("section", {{"aria-labelledby", "informations"}});
      b.el("h2", {{"id", "informations"}}, ctx.t("practices_pages.information"));
      details(b, ctx, p);
    }
    if (!p.links.empty()) {
      auto s = b.scope("section", {{"aria-labelledby", "liens"}});
      b.el("h2", {{"id", "liens"}}, ctx.t("practices_pages.field.links"));
      auto ul = b.scope("ul");
      for (const auto& l : p.links)
        b.open("li").el("a", {{"href", l.url}, {"rel", "noopener noreferrer external"}}, l.title.empty() ? l.url : l.title).close();
    }
    attachments_section(b, ctx, p);
    reuse_section(b, ctx, p, reuse_errors);
    collections_form(b, ctx, p);
    comments_section(b, ctx, p, comment_errors, typed_comment);
  }, status);
}

unsigned status_for(const Error& e) { return e.kind == ErrorKind::validation ? 422 : web::App::status_of(e); }

}  // namespace

void register_practice(web::App& app) {
  app.page(Method::get, "/pratiques/{id}", "pratique", [](Context& ctx) {
    return with_visible(ctx, [&](const Practice& p) { return practice_page(ctx, p); });
  });

  app.page(Method::post, "/pratiques/{id}/inspirer", "pratique-inspirer", [](Context& ctx) {
    return with_visible(ctx, [&](const Practice& p) {
      return web::guard(ctx, web::any_account, [&] {
        auto target = str::to_int(ctx.req.form().value("territoire"));
        auto mine = edited_territories(ctx);
        if (!target || std::none_of(mine.begin(), mine.end(), [&](const auto& t) { return t.id == *target; }))
          return practice_page(ctx, p, {{Error::validation("territoire", "practices_pages.reuse.target_invalid")}}, {}, {}, 422);
        auto copy = reuse(ctx.app.db(), p.id, *target, ctx.account->id);
        if (!copy) {
          Error e = copy.error();
          if (e.field.empty()) e.field = "territoire";
          return practice_page(ctx, p, {{e}}, {}, {}, status_for(copy.error()));
        }
        return Response::redirect(practice_url(copy->id) + "/modifier?fait=inspiree");
      }, practice_url(p.id));
    });
  });

  app.page(Method::post, "/pratiques/{id}/commentaires", "pratique-commentaires", [](Context& ctx) {
    return with_visible(ctx, [&](const Practice& p) {
      return web::guard(ctx, web::any_account, [&] {
        std::string body = ctx.req.form().value("comment");
        auto c = add_comment(ctx.app.db(), p.id, ctx.account->id, body);
        if (!c) return practice_page(ctx, p, {}, {{c.error()}}, body, status_for(c.error()));
        return Response::redirect(practice_url(p.id) + "?fait=commentaire#commentaire-" + std::to_string(c->id));
      }, practice_url(p.id));
    });
  });

  for (bool hide : {true, false}) {
    app.page(Method::post, std::string("/pratiques/{id}/commentaires/{comment}/") + (hide ? "masquer" : "afficher"), "pratique-moderation",
             [hide](Context& ctx) {
      return with_visible(ctx, [&](const Practice& p) {
        return web::guard(ctx, [&](const web::Account&) { return moderates(ctx, p.territory_id); }, [&] {
          auto cid = id_param(ctx, "comment");
          auto c = cid ? find_comment(ctx.app.db(), *cid) : std::nullopt;
          if (!c || c->practice_id != p.id) return ctx.app.error_response(ctx, 404);
          auto done = hide ? hide_comment(ctx.app.db(), c->id, ctx.account->id) : show_comment(ctx.app.db(), c->id, ctx.account->id);
          if (!done) return ctx.app.error_response(ctx, done.error());
          return Response::redirect(practice_url(p.id) + (hide ? "?fait=commentaire_masque" : "?fait=commentaire_affiche") + "#commentaire-" +
                                    std::to_string(c->id));
        }, practice_url(p.id));
      });
    });
  }

  // From the sheet: into a collection of a territory the person edits.
  app.page(Method::post, "/pratiques/{id}/collection", "pratique-collection", [](Context& ctx) {
    return with_visible(ctx, [&](const Practice& p) {
      return web::guard(ctx, web::any_account, [&] {
        auto cid = str::to_int(ctx.req.form().value("collection"));
        auto c = cid ? find_collection(ctx.app.db(), *cid) : std::nullopt;
        auto mine = edited_territories(ctx);
        auto t = c ? std::find_if(mine.begin(), mine.end(), [&](const auto& r) { return r.id == c->territory_id; }) : mine.end();
        if (t == mine.end()) return ctx.app.error_response(ctx, 404);
        auto done = add_to_collection(ctx.app.db(), c->id, p.id, ctx.account->id);
        if (!done) return ctx.app.error_response(ctx, done.error());
        return Response::redirect(collection_url(t->slug, c->id) + "?fait=ajoutee_collection");
      }, practice_url(p.id));
    });
  });
}

}  // namespace passerelle::practices::pages
