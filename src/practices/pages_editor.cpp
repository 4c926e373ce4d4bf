// The practice editor: /t/{slug}/pratiques/nouvelle and /pratiques/{id}/modifier (every field of
// Input, errors listed at the top and beside each field, 422 with everything typed kept), the
// attachments (multipart upload, remove, move) and the status buttons (publish, unpublish,
// trash, restore). Plain forms: no JavaScript needed.
#include <algorithm>

#include "platform/core/strings.hpp"
#include "platform/log.hpp"
#include "platform/security/crypto.hpp"
#include "practices/pages_multipart.hpp"
#include "practices/pages_shared.hpp"
#include "territories/store.hpp"

namespace passerelle::practices::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

std::string link_field(size_t i, std::string_view part) { return "links[" + std::to_string(i) + "]." + std::string(part); }

std::vector<std::string> lines(std::string_view typed) {
  std::vector<std::string> out;
  for (auto line : str::split(typed, '\n')) {
    auto t = str::trim(line);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

std::string join_lines(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

Input input_from(const http::Fields& f) {
  Input in;
  in.title = f.value("title");
  in.summary = f.value("summary");
  in.body = f.value("body");
  in.communes = split_list(f.value("communes"));
  for (Taxonomy t : kTaxonomies) in.slugs(t) = values(f, taxonomy_field(t));
  in.cost = f.value("cost");
  in.cost_amount = f.value("cost_amount");
  in.partners = lines(f.value("partners"));
  in.contact = {f.value("contact_name"), f.value("contact_email"), f.value("contact_phone")};
  // Rows keep their position, so that an error on "links[2].url" points at the third row.
  for (size_t i = 0; i < kMaxLinks && (f.has(link_field(i, "url")) || f.has(link_field(i, "title"))); ++i)
    in.links.push_back({f.value(link_field(i, "url")), f.value(link_field(i, "title"))});
  while (!in.links.empty() && str::trim(in.links.back().url).empty() && str::trim(in.links.back().title).empty()) in.links.pop_back();
  in.licence = f.value("licence");
  return in;
}

void checkboxes(html::Builder& b, Context& ctx, Taxonomy t, const std::vector<std::string>& chosen, const web::FormErrors& errors) {
  std::string name(taxonomy_field(t));
  const Error* err = errors.for_field(name);
  std::string base = "champ-" + name;
  auto fs = b.scope("fieldset", {{"class", err ? "field field-error" : "field"}, {"aria-describedby", base + "-erreur", err != nullptr}});
  b.el("legend", {}, taxonomy_label(ctx, t));
  if (err) b.el("p", {{"class", "error-message"}, {"id", base + "-erreur"}}, ctx.t(*err));
  auto ul = b.scope("ul", {{"class", "checkbox-list"}});
  bool first = true;
  for (const auto& term : terms(t)) {
    // The first box carries the field's id: the error summary links to it.
    std::string id = first ? base : base + "-" + std::string(term.slug);
    first = false;
    bool checked = std::find(chosen.begin(), chosen.end(), term.slug) != chosen.end() ||
                   std::find(chosen.begin(), chosen.end(), term.label) != chosen.end();
    auto li = b.scope("li");
    b.void_el("input", {{"type", "checkbox"}, {"id", id}, {"name", name}, {"value", term.slug}, {"checked", "", checked}});
    b.el("label", {{"for", id}}, term_label(ctx, t, term.slug));
  }
}

void licence_radios(html::Builder& b, Context& ctx, std::string_view chosen, const web::FormErrors& errors) {
  const Error* err = errors.for_field("licence");
  std::string current = chosen.empty() ? std::string(kDefaultLicence) : std::string(chosen);
  auto fs = b.scope("fieldset", {{"class", err ? "field field-error" : "field"},
                                 {"aria-describedby", err ? "champ-licence-aide champ-licence-erreur" : "champ-licence-aide"}});
  b.el("legend", {}, ctx.t("practices_pages.field.licence"));
  b.el("p", {{"class", "hint"}, {"id", "champ-licence-aide"}}, ctx.t("practices_pages.hint.licence"));
  if (err) b.el("p", {{"class", "error-message"}, {"id", "champ-licence-erreur"}}, ctx.t(*err));
  auto ul = b.scope("ul", {{"class", "checkbox-list"}});
  bool first = true;
  for (const auto& l : licences()) {
    std::string id = first ? "champ-licence" : "champ-licence-" + std::string(l.slug);
    first = false;
    auto li = b.scope("li");
    b.void_el("input", {{"type", "radio"}, {"id", id}, {"name", "licence"}, {"value", l.slug}, {"checked", "", current == l.slug}});
    b.el("label", {{"for", id}}, licence_label(ctx, l));
    b.text(" (").el("a", {{"href", l.url}, {"rel", "license noopener"}}, ctx.t("practices_pages.licence_text", {{"licence", licence_label(ctx, l)}})).text(")");
  }
}

void content_form(html::Builder& b, Context& ctx, const std::string& action, const Input& in, const web::FormErrors& errors) {
  web::form(b, ctx, action, [&](html::Builder& f) {
    auto field = [&](std::string_view name, std::string_view type, const std::string& value, bool required = false, bool hint = false,
                     std::string_view autocomplete = {}) {
      web::field(f, ctx, {name, ctx.t("practices_pages.field." + std::string(name)), type, value, required, autocomplete,
                          hint ? ctx.t("practices_pages.hint." + std::string(name)) : std::string()}, errors);
    };
    field("title", "text", in.title, true, true);
    field("summary", "textarea", in.summary, true, true);
    field("body", "textarea", in.body, false, true);
    field("communes", "text", join_lines(in.communes, ", "), false, true);
    for (Taxonomy t : kTaxonomies) checkboxes(f, ctx, t, in.slugs(t), errors);
    field("cost", "text", in.cost, false, true);
    field("cost_amount", "text", in.cost_amount, false, true);
    field("partners", "textarea", join_lines(in.partners, "\n"), false, true);
    {
      auto fs = f.scope("fieldset", {{"class", "field"}});
      f.el("legend", {}, ctx.t("practices_pages.field.contact"));
      field("contact_name", "text", in.contact.name, false, false, "name");
      field("contact_email", "email", in.contact.email, false, true, "email");
      field("contact_phone", "tel", in.contact.phone, false, true, "tel");
    }
    {
      auto fs = f.scope("fieldset", {{"class", "field"}, {"aria-describedby", "liens-aide"}});
      f.el("legend", {}, ctx.t("practices_pages.field.links"));
      f.el("p", {{"class", "hint"}, {"id", "liens-aide"}}, ctx.t("practices_pages.hint.links", {{"max", std::to_string(kMaxLinks)}}));
      if (const Error* e = errors.for_field("links")) f.el("p", {{"class", "error-message"}, {"id", "champ-links"}, {"tabindex", "-1"}}, ctx.t(*e));
      size_t rows = std::min(kMaxLinks, std::max<size_t>(3, in.links.size() + 1));
      for (size_t i = 0; i < rows; ++i) {
        Link l = i < in.links.size() ? in.links[i] : Link{};
        std::string n = std::to_string(i + 1);
        std::string url_name = link_field(i, "url"), title_name = link_field(i, "title");
        web::field(f, ctx, {url_name, ctx.t("practices_pages.field.link_url", {{"number", n}}), "url", l.url}, errors);
        web::field(f, ctx, {title_name, ctx.t("practices_pages.field.link_title", {{"number", n}}), "text", l.title}, errors);
      }
    }
    licence_radios(f, ctx, in.licence, errors);
    web::submit(f, ctx.t("practices_pages.save"));
  }, "formulaire-fiche");
}

void status_section(html::Builder& b, Context& ctx, const Practice& p) {
  auto s = b.scope("section", {{"aria-labelledby", "statut"}});
  b.el("h2", {{"id", "statut"}}, ctx.t("practices_pages.status_title"));
  b.el("p", {}, ctx.t("practices_pages.status_is", {{"status", status_label(ctx, p.status)}}));
  std::string base = practice_url(p.id);
  auto ul = b.scope("ul", {{"class", "inline-list"}});
  auto action = [&](const char* path, const char* key) {
    b.open("li");
    button_form(b, ctx, base + "/" + path, ctx.t(std::string("practices_pages.action.") + key));
    b.close();
  };
  if (p.status == Status::draft || p.status == Status::unpublished) action("publier", "publish");
  if (p.status == Status::published) action("depublier", "unpublish");
  if (p.status != Status::trashed) action("corbeille", "trash");
  else action("restaurer", "restore");
}

void attachments_section(html::Builder& b, Context& ctx, const Practice& p, const web::FormErrors& errors, const std::string& alt,
                         const std::string& caption) {
  auto s = b.scope("section", {{"aria-labelledby", "pieces-jointes"}});
  b.el("h2", {{"id", "pieces-jointes"}}, ctx.t("practices_pages.attachments.title"));
  std::string base = practice_url(p.id) + "/pieces-jointes";
  if (p.attachments.empty()) b.el("p", {}, ctx.t("practices_pages.attachments.none"));
  else {
    auto table = b.scope("table");
    b.el("caption", {}, ctx.t("practices_pages.attachments.caption"));
    b.open("thead").open("tr");
    for (const char* col : {"name", "kind", "size", "alt", "actions"})
      b.el("th", {{"scope", "col"}}, ctx.t(std::string("practices_pages.attachments.col_") + col));
    b.close().close();
    auto tb = b.scope("tbody");
    for (size_t i = 0; i < p.attachments.size(); ++i) {
      const auto& a = p.attachments[i];
      auto tr = b.scope("tr");
      b.open("td").el("a", {{"href", "/fichiers/" + std::to_string(a.file_id)}}, a.name).close();
      b.el("td", {}, ctx.t("practices_pages.attachments.kind_" + std::string(attachment_kind_name(a.kind))));
      b.el("td", {}, format_size(ctx.locale, a.size));
      b.el("td", {}, a.alt);
      auto td = b.scope("td");
      std::string one = base + "/" + std::to_string(a.id);
      if (i > 0) button_form(b, ctx, one + "/monter", ctx.t("practices_pages.attachments.up", {{"name", a.name}}), {}, true);
      if (i + 1 < p.attachments.size()) {
        b.text(" ");
        button_form(b, ctx, one + "/descendre", ctx.t("practices_pages.attachments.down", {{"name", a.name}}), {}, true);
      }
      b.text(" ");
      button_form(b, ctx, one + "/retirer", ctx.t("practices_pages.attachments.remove", {{"name", a.name}}), {}, true);
    }
  }
  if (p.attachments.size() >= kMaxAttachments) {
    b.el("p", {}, ctx.t("practices_pages.attachments.full", {{"max", std::to_string(kMaxAttachments)}}));
    return;
  }
  b.el("h3", {{"id", "ajout-piece"}}, ctx.t("practices_pages.attachments.add_title"));
  auto form = b.scope("form", {{"method", "post"}, {"action", base}, {"enctype", "multipart/form-data"}, {"novalidate", ""}, {"id", "formulaire-piece"}});
  b.void_el("input", {{"type", "hidden"}, {"name", "_csrf"}, {"value", ctx.csrf_token()}});
  web::field(b, ctx, {"fichier", ctx.t("practices_pages.attachments.file"), "file", {}, true, {}, ctx.t("practices_pages.attachments.file_hint")}, errors);
  web::field(b, ctx, {"alt", ctx.t("practices_pages.attachments.alt"), "text", alt, false, {}, ctx.t("practices_pages.attachments.alt_hint")}, errors);
  web::field(b, ctx, {"caption", ctx.t("practices_pages.attachments.caption_field"), "text", caption}, errors);
  web::submit(b, ctx.t("practices_pages.attachments.add"));
}

struct EditorState {
  Input input;
  web::FormErrors errors;
  std::string alt, caption;  // typed in the upload form
  unsigned status = 200;
};

Response new_page(Context& ctx, const territories::Territory& t, const EditorState& st) {
  web::PageSpec spec{ctx.t("practices_pages.new_title", {{"territory", t.name}}), web::TerritoryRef{t.id, t.slug, t.name}};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    web::error_summary(b, ctx, st.errors);
    b.el("p", {}, ctx.t("practices_pages.editor_intro"));
    content_form(b, ctx, territory_practices_url(t.slug) + "/nouvelle", st.input, st.errors);
  }, st.status);
}

Response edit_page(Context& ctx, const Practice& p, const EditorState& st) {
  web::PageSpec spec{ctx.t("practices_pages.edit_title", {{"title", p.title}}), ref_of(p), done_notice(ctx)};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    web::error_summary(b, ctx, st.errors);
    {
      auto ul = b.scope("ul", {{"class", "inline-list"}});
      b.open("li").el("a", {{"href", practice_url(p.id)}}, ctx.t("practices_pages.view")).close();
      b.open("li").el("a", {{"href", practice_url(p.id) + "/versions"}}, ctx.t("practices_pages.versions_link", {{"count", std::to_string(p.version)}})).close();
      b.open("li").el("a", {{"href", territory_practices_url(p.territory_slug)}}, ctx.t("practices_pages.territory_link", {{"territory", p.territory_name}})).close();
    }
    status_section(b, ctx, p);
    {
      auto s = b.scope("section", {{"aria-labelledby", "contenu-fiche"}});
      b.el("h2", {{"id", "contenu-fiche"}}, ctx.t("practices_pages.content_title"));
      content_form(b, ctx, practice_url(p.id) + "/modifier", st.input, st.errors);
    }
    attachments_section(b, ctx, p, st.errors, st.alt, st.caption);
  }, st.status);
}

// The sheet of the URL for someone who may edit it: 404 when they may not even see it (a draft's
// existence is not revealed), the login page or 403 otherwise.
template <class Fn>
Response with_editable(Context& ctx, Fn&& fn) {
  auto id = id_param(ctx, "id");
  auto p = id ? find(ctx.app.db(), *id) : std::nullopt;
  if (!p || !can_view(viewer(ctx), *p)) return ctx.app.error_response(ctx, 404, ctx.t("practices_pages.not_found"));
  return web::guard(ctx, [&](const web::Account&) { return can_edit(viewer(ctx), *p); }, [&] { return fn(*p); },
                    practice_url(p->id) + "/modifier");
}

template <class Fn>
Response with_territory_editor(Context& ctx, Fn&& fn) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404, ctx.t("territory.not_found"));
  return web::guard(ctx, [&](const web::Account&) { return viewer(ctx).edits(t->id); }, [&] { return fn(*t); });
}

EditorState errors_state(Input input, const Errors& errors, const Error& first) {
  EditorState st{std::move(input)};
  for (const auto& e : errors) st.errors.add(e);
  if (st.errors.empty()) st.errors.add(first);
  st.status = first.kind == ErrorKind::validation ? 422 : web::App::status_of(first);
  return st;
}

// The upload form is multipart/form-data, which the page adapter does not read: this raw route
// builds the context and checks the CSRF token itself.
Response upload(web::App& app, http::Request& req) {
  Context ctx = app.context(req, false);
  auto boundary = multipart_boundary(req.header(http::bhttp::field::content_type));
  auto parts = boundary ? parse_multipart(req.body(), *boundary) : std::nullopt;
  const Part* token = parts ? find_part(*parts, "_csrf") : nullptr;
  Response res;
  if (!token || ctx.csrf.empty() || !security::constant_time_equal(token->data, ctx.csrf)) {
    res = parts ? app.error_response(ctx, 403, ctx.t("error.csrf")) : app.error_response(ctx, 400);
  } else {
    res = with_editable(ctx, [&](const Practice& p) {
      const Part* file = find_part(*parts, "fichier");
      const Part* alt = find_part(*parts, "alt");
      const Part* caption = find_part(*parts, "caption");
      Upload up;
      up.name = file && file->filename ? *file->filename : std::string();
      up.bytes = file ? std::string(file->data) : std::string();
      up.alt = alt ? std::string(str::trim(alt->data)) : std::string();
      up.caption = caption ? std::string(str::trim(caption->data)) : std::string();
      if (up.name.empty() || !str::valid_utf8(up.name) || up.name.size() > 200) up.name = ctx.t("practices_pages.attachments.default_name");
      auto added = add_attachment(ctx.app.db(), p.id, up, ctx.account->id);
      if (!added) {
        EditorState st = errors_state(Input::from(p), {}, added.error());
        st.alt = up.alt;
        st.caption = up.caption;
        return edit_page(ctx, p, st);
      }
      return Response::redirect(practice_url(p.id) + "/modifier?fait=piece_ajoutee#pieces-jointes");
    });
  }
  app.finalize(ctx, res);
  return res;
}

}  // namespace

void register_editor(web::App& app) {
  app.page(Method::get, "/t/{slug}/pratiques/nouvelle", "pratique-nouvelle", [](Context& ctx) {
    return with_territory_editor(ctx, [&](const territories::Territory& t) { return new_page(ctx, t, {}); });
  });
  app.page(Method::post, "/t/{slug}/pratiques/nouvelle", "pratique-nouvelle", [](Context& ctx) {
    return with_territory_editor(ctx, [&](const territories::Territory& t) {
      Input in = input_from(ctx.req.form());
      Errors errors;
      auto created = create(ctx.app.db(), t.id, in, ctx.account->id, errors);
      if (!created) return new_page(ctx, t, errors_state(std::move(in), errors, created.error()));
      return Response::redirect(practice_url(created->id) + "/modifier?fait=creee");
    });
  });

  app.page(Method::get, "/pratiques/{id}/modifier", "pratique-modifier", [](Context& ctx) {
    return with_editable(ctx, [&](const Practice& p) { return edit_page(ctx, p, {Input::from(p)}); });
  });
  app.page(Method::post, "/pratiques/{id}/modifier", "pratique-modifier", [](Context& ctx) {
    return with_editable(ctx, [&](const Practice& p) {
      Input in = input_from(ctx.req.form());
      Errors errors;
      auto saved = update(ctx.app.db(), p.id, in, ctx.account->id, errors);
      if (!saved) return edit_page(ctx, p, errors_state(std::move(in), errors, saved.error()));
      return Response::redirect(practice_url(p.id) + "/modifier?fait=enregistree");
    });
  });

  struct Change {
    const char* path;
    const char* done;
    passerelle::Status (*apply)(db::Database&, int64_t, int64_t);
  };
  static const Change changes[] = {{"publier", "publiee", &publish}, {"depublier", "depubliee", &unpublish},
                                   {"corbeille", "corbeille", &trash}, {"restaurer", "restauree", &restore}};
  for (const auto& c : changes) {
    app.page(Method::post, std::string("/pratiques/{id}/") + c.path, "pratique-statut", [c](Context& ctx) {
      return with_editable(ctx, [&](const Practice& p) {
        auto done = c.apply(ctx.app.db(), p.id, ctx.account->id);
        if (!done) {
          EditorState st = errors_state(Input::from(p), {}, done.error());
          return edit_page(ctx, *find(ctx.app.db(), p.id), st);
        }
        return Response::redirect(practice_url(p.id) + "/modifier?fait=" + c.done);
      });
    });
  }

  app.raw(Method::post, "/pratiques/{id}/pieces-jointes", "pratique-pieces-jointes", [&app](http::Request& req) { return upload(app, req); });
  // The largest attachment (a PDF) plus room for the multipart envelope and the other fields.
  app.router().set_body_limit(Method::post, "/pratiques/{id}/pieces-jointes", kMaxPdfBytes + 64 * 1024);
  for (const char* what : {"retirer", "monter", "descendre"}) {
    std::string w = what;
    app.page(Method::post, "/pratiques/{id}/pieces-jointes/{attachment}/" + w, "pratique-pieces-jointes", [w](Context& ctx) {
      return with_editable(ctx, [&](const Practice& p) {
        auto aid = id_param(ctx, "attachment");
        if (!aid) return ctx.app.error_response(ctx, 404);
        auto done = w == "retirer" ? remove_attachment(ctx.app.db(), p.id, *aid, ctx.account->id)
                                   : move_attachment(ctx.app.db(), p.id, *aid, w == "monter" ? -1 : 1, ctx.account->id);
        if (!done) return ctx.app.error_response(ctx, done.error());
        return Response::redirect(practice_url(p.id) + "/modifier?fait=" + (w == "retirer" ? "piece_retiree" : "piece_deplacee") + "#pieces-jointes");
      });
    });
  }
}

}  // namespace passerelle::practices::pages
