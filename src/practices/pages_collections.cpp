// /t/{slug}/pratiques: a territory's practices (published for everyone; drafts, withdrawn and
// trashed sheets for its editors) and collections; /t/{slug}/collections/{id}: one collection,
// with the forms its editors use to rename, delete, fill and order it.
#include <algorithm>

#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "practices/pages_shared.hpp"
#include "territories/store.hpp"

namespace passerelle::practices::pages {

using http::Method;
using http::Response;
using web::Context;
using territories::Territory;

namespace {

web::TerritoryRef ref(const Territory& t) { return {t.id, t.slug, t.name}; }

bool edits(Context& ctx, const Territory& t) { return ctx.account && can_moderate(viewer(ctx), t.id); }

void practice_list(html::Builder& b, Context& ctx, const std::vector<Practice>& items, bool show_status) {
  auto ul = b.scope("ul", {{"class", "results"}});
  for (const auto& p : items) {
    auto li = b.scope("li", {{"class", "result"}});
    b.open("h3").el("a", {{"href", practice_url(p.id)}}, p.title).close();
    std::string meta = ctx.t("practices_pages.updated_on", {{"date", i18n::format_date(ctx.locale, p.updated_at)}});
    if (show_status) meta = status_label(ctx, p.status) + " · " + meta;
    b.el("p", {{"class", "muted"}}, meta);
    if (!p.summary.empty()) b.el("p", {}, p.summary);
  }
}

Response territory_page(Context& ctx, const Territory& t, const web::FormErrors& errors = {}, const std::string& typed_name = {},
                        const std::string& typed_description = {}, unsigned status = 200) {
  bool editor = edits(ctx, t);
  Filter filter;
  filter.territory_id = t.id;
  filter.limit = 200;
  auto published = list_published(ctx.app.db(), filter);
  web::PageSpec spec{ctx.t("practices_pages.territory.title", {{"territory", t.name}}), ref(t), done_notice(ctx)};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    web::error_summary(b, ctx, errors);
    {
      auto ul = b.scope("ul", {{"class", "inline-list"}});
      if (editor) b.open("li").el("a", {{"href", territory_practices_url(t.slug) + "/nouvelle"}, {"class", "button"}}, ctx.t("practices_pages.territory.new")).close();
      b.open("li").el("a", {{"href", "/pratiques?territoire=" + str::url_encode(t.slug)}}, ctx.t("practices_pages.territory.search")).close();
      b.open("li").el("a", {{"href", "/pratiques"}}, ctx.t("practices_pages.territory.all")).close();
    }
    {
      auto s = b.scope("section", {{"aria-labelledby", "publiees"}});
      b.el("h2", {{"id", "publiees"}}, ctx.t("practices_pages.territory.published", {{"count", i18n::format_integer(ctx.locale, published.total)}}));
      if (published.items.empty()) b.el("p", {}, ctx.t("practices_pages.territory.none_published"));
      else practice_list(b, ctx, published.items, false);
    }
    if (editor) {
      Filter others;
      others.territory_id = t.id;
      others.limit = 200;
      others.statuses = {Status::draft, Status::unpublished};
      auto drafts = list_any(ctx.app.db(), others);
      auto s = b.scope("section", {{"aria-labelledby", "brouillons"}});
      b.el("h2", {{"id", "brouillons"}}, ctx.t("practices_pages.territory.drafts"));
      if (drafts.items.empty()) b.el("p", {}, ctx.t("practices_pages.territory.none_drafts"));
      else practice_list(b, ctx, drafts.items, true);
      others.statuses = {Status::trashed};
      auto trashed = list_any(ctx.app.db(), others);
      if (!trashed.items.empty()) {
        b.el("h3", {{"id", "corbeille"}}, ctx.t("practices_pages.territory.trash"));
        practice_list(b, ctx, trashed.items, true);
      }
    }
    auto s = b.scope("section", {{"aria-labelledby", "collections"}});
    b.el("h2", {{"id", "collections"}}, ctx.t("practices_pages.collections.title"));
    auto list = collections(ctx.app.db(), t.id);
    if (list.empty()) b.el("p", {}, ctx.t("practices_pages.collections.none"));
    else {
      auto ul = b.scope("ul");
      for (const auto& c : list)
        b.open("li").el("a", {{"href", collection_url(t.slug, c.id)}}, c.name)
            .text(" (" + ctx.t("practices_pages.collections.size", {{"count", std::to_string(c.practice_ids.size())}}) + ")").close();
    }
    if (editor) {
      b.el("h3", {{"id", "nouvelle-collection"}}, ctx.t("practices_pages.collections.create_title"));
      web::form(b, ctx, "/t/" + t.slug + "/collections", [&](html::Builder& f) {
        web::field(f, ctx, {"name", ctx.t("practices_pages.collections.name"), "text", typed_name, true}, errors);
        web::field(f, ctx, {"description", ctx.t("practices_pages.collections.description"), "textarea", typed_description}, errors);
        web::submit(f, ctx.t("practices_pages.collections.create"));
      });
    }
  }, status);
}

Response collection_page(Context& ctx, const Territory& t, const Collection& c, const web::FormErrors& errors = {}, unsigned status = 200,
                         const std::optional<std::pair<std::string, std::string>>& typed = std::nullopt) {
  bool editor = edits(ctx, t);
  web::PageSpec spec{c.name, ref(t), done_notice(ctx)};
  auto v = viewer(ctx);
  std::vector<Practice> items;
  for (int64_t id : c.practice_ids)
    if (auto p = find(ctx.app.db(), id); p && can_view(v, *p)) items.push_back(std::move(*p));
  std::string base = collection_url(t.slug, c.id);
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    web::error_summary(b, ctx, errors);
    b.open("p").el("a", {{"href", territory_practices_url(t.slug) + "#collections"}}, ctx.t("practices_pages.collections.back", {{"territory", t.name}})).close();
    if (!c.description.empty()) b.el("p", {{"class", "lead"}}, c.description);
    {
      auto s = b.scope("section", {{"aria-labelledby", "fiches"}});
      b.el("h2", {{"id", "fiches"}}, ctx.t("practices_pages.collections.sheets", {{"count", std::to_string(items.size())}}));
      if (items.empty()) b.el("p", {}, ctx.t("practices_pages.collections.empty"));
      else {
        auto ol = b.scope("ol", {{"class", "results"}});
        for (size_t i = 0; i < items.size(); ++i) {
          const auto& p = items[i];
          auto li = b.scope("li", {{"class", "result"}});
          b.open("h3").el("a", {{"href", practice_url(p.id)}}, p.title).close();
          b.el("p", {{"class", "muted"}}, p.territory_name);
          if (!editor) continue;
          std::vector<std::pair<std::string, std::string>> hidden = {{"pratique", std::to_string(p.id)}};
          auto ul = b.scope("ul", {{"class", "inline-list"}});
          if (i > 0) {
            b.open("li");
            button_form(b, ctx, base + "/monter", ctx.t("practices_pages.collections.up", {{"title", p.title}}), hidden, true);
            b.close();
          }
          if (i + 1 < items.size()) {
            b.open("li");
            button_form(b, ctx, base + "/descendre", ctx.t("practices_pages.collections.down", {{"title", p.title}}), hidden, true);
            b.close();
          }
          b.open("li");
          button_form(b, ctx, base + "/retirer", ctx.t("practices_pages.collections.remove", {{"title", p.title}}), hidden, true);
          b.close();
        }
      }
    }
    if (!editor) return;
    auto s = b.scope("section", {{"aria-labelledby", "gerer"}});
    b.el("h2", {{"id", "gerer"}}, ctx.t("practices_pages.collections.manage"));
    b.el("h3", {}, ctx.t("practices_pages.collections.add_title"));
    web::form(b, ctx, base + "/ajouter", [&](html::Builder& f) {
      web::field(f, ctx, {"pratique", ctx.t("practices_pages.collections.practice_id"), "text", {}, true, {}, ctx.t("practices_pages.collections.practice_id_hint")}, errors);
      web::submit(f, ctx.t("practices_pages.collections.add_button"));
    });
    b.el("h3", {}, ctx.t("practices_pages.collections.rename_title"));
    web::form(b, ctx, base + "/modifier", [&](html::Builder& f) {
      web::field(f, ctx, {"name", ctx.t("practices_pages.collections.name"), "text", typed ? typed->first : c.name, true}, errors);
      web::field(f, ctx, {"description", ctx.t("practices_pages.collections.description"), "textarea", typed ? typed->second : c.description}, errors);
      web::submit(f, ctx.t("practices_pages.collections.rename"));
    });
    b.el("h3", {}, ctx.t("practices_pages.collections.delete_title"));
    b.el("p", {}, ctx.t("practices_pages.collections.delete_hint"));
    button_form(b, ctx, base + "/supprimer", ctx.t("practices_pages.collections.delete", {{"name", c.name}}));
  }, status);
}

template <class Fn>
Response with_territory(Context& ctx, Fn&& fn) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404, ctx.t("territory.not_found"));
  return fn(*t);
}

template <class Fn>
Response with_collection(Context& ctx, Fn&& fn) {
  return with_territory(ctx, [&](const Territory& t) {
    auto id = id_param(ctx, "id");
    auto c = id ? find_collection(ctx.app.db(), *id) : std::nullopt;
    if (!c || c->territory_id != t.id) return ctx.app.error_response(ctx, 404, ctx.t("practices_pages.collections.not_found"));
    return fn(t, *c);
  });
}

// Editors of the territory only.
template <class Fn>
Response as_editor(Context& ctx, const Territory& t, Fn&& fn) {
  return web::guard(ctx, [&](const web::Account&) { return edits(ctx, t); }, fn, territory_practices_url(t.slug));
}

unsigned status_for(const Error& e) { return e.kind == ErrorKind::validation ? 422 : web::App::status_of(e); }

// "12", "/pratiques/12" or "https://…/pratiques/12": the id of a sheet.
std::optional<int64_t> practice_id_from(std::string_view typed) {
  typed = str::trim(typed);
  while (!typed.empty() && typed.back() == '/') typed.remove_suffix(1);
  auto slash = typed.rfind('/');
  auto id = str::to_int(slash == std::string_view::npos ? typed : typed.substr(slash + 1));
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

}  // namespace

void register_collections(web::App& app) {
  app.page(Method::get, "/t/{slug}/pratiques", "territoire-pratiques", [](Context& ctx) {
    return with_territory(ctx, [&](const Territory& t) { return territory_page(ctx, t); });
  });
  app.page(Method::post, "/t/{slug}/collections", "territoire-collections", [](Context& ctx) {
    return with_territory(ctx, [&](const Territory& t) {
      return as_editor(ctx, t, [&] {
        std::string name = ctx.req.form().value("name"), description = ctx.req.form().value("description");
        auto c = create_collection(ctx.app.db(), t.id, str::trim(name), str::trim(description), ctx.account->id);
        if (!c) return territory_page(ctx, t, {{c.error()}}, name, description, status_for(c.error()));
        return Response::redirect(collection_url(t.slug, c->id) + "?fait=collection_creee");
      });
    });
  });
  app.page(Method::get, "/t/{slug}/collections/{id}", "territoire-collection", [](Context& ctx) {
    return with_collection(ctx, [&](const Territory& t, const Collection& c) { return collection_page(ctx, t, c); });
  });
  app.page(Method::post, "/t/{slug}/collections/{id}/modifier", "territoire-collection", [](Context& ctx) {
    return with_collection(ctx, [&](const Territory& t, const Collection& c) {
      return as_editor(ctx, t, [&] {
        std::string name = ctx.req.form().value("name"), description = ctx.req.form().value("description");
        auto done = update_collection(ctx.app.db(), c.id, str::trim(name), str::trim(description), ctx.account->id);
        if (!done) return collection_page(ctx, t, c, {{done.error()}}, status_for(done.error()), std::pair{name, description});
        return Response::redirect(collection_url(t.slug, c.id) + "?fait=collection_modifiee");
      });
    });
  });
  app.page(Method::post, "/t/{slug}/collections/{id}/supprimer", "territoire-collection", [](Context& ctx) {
    return with_collection(ctx, [&](const Territory& t, const Collection& c) {
      return as_editor(ctx, t, [&] {
        auto done = delete_collection(ctx.app.db(), c.id, ctx.account->id);
        if (!done) return ctx.app.error_response(ctx, done.error());
        return Response::redirect(territory_practices_url(t.slug) + "?fait=collection_supprimee#collections");
      });
    });
  });
  for (const char* what : {"ajouter", "retirer", "monter", "descendre"}) {
    std::string w = what;
    app.page(Method::post, "/t/{slug}/collections/{id}/" + w, "territoire-collection", [w](Context& ctx) {
      return with_collection(ctx, [&](const Territory& t, const Collection& c) {
        return as_editor(ctx, t, [&] {
          auto pid = practice_id_from(ctx.req.form().value("pratique"));
          if (!pid) return collection_page(ctx, t, c, {{Error::validation("pratique", "practices_pages.collections.practice_id_invalid")}}, 422);
          passerelle::Status done = Ok{};
          if (w == "ajouter") done = add_to_collection(ctx.app.db(), c.id, *pid, ctx.account->id);
          else if (w == "retirer") done = remove_from_collection(ctx.app.db(), c.id, *pid, ctx.account->id);
          else done = move_in_collection(ctx.app.db(), c.id, *pid, w == "monter" ? -1 : 1, ctx.account->id);
          if (!done) {
            Error e = done.error();
            e.field = "pratique";  // the only field of these forms
            return collection_page(ctx, t, c, {{e}}, status_for(done.error()));
          }
          const char* notice = w == "ajouter" ? "ajoutee_collection" : w == "retirer" ? "retiree_collection" : "deplacee_collection";
          return Response::redirect(collection_url(t.slug, c.id) + "?fait=" + notice + "#fiches");
        });
      });
    });
  }
}

}  // namespace passerelle::practices::pages
