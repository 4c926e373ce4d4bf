#include "platform/web/layout.hpp"

#include "platform/web/page_extras.hpp"

#include "platform/core/strings.hpp"

namespace passerelle::web {

namespace {

void header(html::Builder& b, Context& ctx, const PageSpec& spec) {
  auto h = b.scope("header", {{"class", "site-header"}});
  {
    auto d = b.scope("div", {{"class", "brand"}});
    b.el("a", {{"href", "/"}, {"class", "brand-name"}}, ctx.app.config().instance_name);
    if (spec.territory) {
      b.text(" · ");
      b.el("a", {{"href", "/t/" + spec.territory->slug + "/"}}, spec.territory->name);
    }
  }
  auto nav = b.scope("nav", {{"aria-label", ctx.t("nav.main")}});
  auto ul = b.scope("ul", {{"class", "nav-list"}});
  b.open("li").el("a", {{"href", "/"}}, ctx.t("nav.home")).close();
  b.open("li").el("a", {{"href", "/recherche"}}, ctx.t("search.nav")).close();
  b.open("li").el("a", {{"href", "/pratiques"}}, ctx.t("practices_pages.nav")).close();
  b.open("li").el("a", {{"href", "/lieux"}}, ctx.t("places_search.nav")).close();
  if (ctx.account) {
    b.open("li").el("a", {{"href", "/compte"}}, ctx.t("nav.account")).close();
    if (ctx.account->platform_admin) b.open("li").el("a", {{"href", "/admin/"}}, ctx.t("nav.admin")).close();
    b.open("li");
    form(b, ctx, "/deconnexion", [&](html::Builder& f) { f.el("button", {{"type", "submit"}, {"class", "link-button"}}, ctx.t("nav.logout")); });
    b.close();
  } else {
    b.open("li").el("a", {{"href", "/connexion"}}, ctx.t("nav.login")).close();
    b.open("li").el("a", {{"href", "/inscription"}}, ctx.t("nav.signup")).close();
  }
  // The other language, named in that language (RGAA 8.7: lang on the link text).
  bool fr = ctx.locale == i18n::Locale::fr;
  // Back to this very page, query string included (e.g. the token of /mot-de-passe/nouveau).
  std::string here(ctx.req.path);
  if (!ctx.req.query.empty()) here += "?" + std::string(ctx.req.query);
  std::string back = str::url_encode(here);
  b.open("li").el("a", {{"href", std::string("/langue/") + (fr ? "en" : "fr") + "?retour=" + back}, {"lang", fr ? "en" : "fr"}, {"hreflang", fr ? "en" : "fr"}},
                  fr ? "English" : "Français").close();
}

void footer(html::Builder& b, Context& ctx, const PageSpec& spec) {
  std::string base = spec.territory ? "/t/" + spec.territory->slug + "/" : "/";
  auto f = b.scope("footer", {{"class", "site-footer"}});
  b.el("p", {}, ctx.t("footer.accessibility_status"));
  auto nav = b.scope("nav", {{"aria-label", ctx.t("nav.footer")}});
  auto ul = b.scope("ul", {{"class", "nav-list"}});
  for (const char* page : {"mentions-legales", "accessibilite", "donnees-personnelles", "charte"})
    b.open("li").el("a", {{"href", base + page}}, ctx.t(std::string("legal.") + page + ".title")).close();
  b.open("li").el("a", {{"href", "/api/openapi.json"}}, ctx.t("footer.api")).close();
  b.open("li").el("a", {{"href", "/a-propos/donnees"}}, ctx.t("footer.data")).close();
}

}  // namespace

std::string render_page(Context& ctx, const PageSpec& spec, const std::function<void(html::Builder&)>& body) {
  return render_page(ctx, spec, PageAssets{}, body);
}

std::string render_page(Context& ctx, const PageSpec& spec, const PageAssets& assets, const std::function<void(html::Builder&)>& body) {
  html::Builder b;
  b.trusted({"<!DOCTYPE html>"});
  b.open("html", {{"lang", i18n::code(ctx.locale)}});
  {
    auto head = b.scope("head");
    b.void_el("meta", {{"charset", "utf-8"}});
    b.void_el("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}});
    b.el("title", {}, spec.title + " — " + ctx.app.config().instance_name);
    b.void_el("link", {{"rel", "stylesheet"}, {"href", "/static/css/site.css"}});
    for (const auto& href : assets.stylesheets) b.void_el("link", {{"rel", "stylesheet"}, {"href", href}});
    for (const auto& src : assets.scripts) b.el("script", {{"src", src}, {"defer", ""}}, "");
  }
  b.open("body");
  b.el("a", {{"href", "#contenu"}, {"class", "skip-link"}}, ctx.t("nav.skip"));
  header(b, ctx, spec);
  {
    auto main = b.scope("main", {{"id", "contenu"}, {"tabindex", "-1"}});
    b.el("h1", {}, spec.title);
    if (!spec.notice.empty()) b.el("p", {{"role", "status"}, {"class", "notice"}}, spec.notice);
    body(b);
  }
  footer(b, ctx, spec);
  b.close().close();  // body, html
  return b.take();
}

http::Response page_response(Context& ctx, const PageSpec& spec, const std::function<void(html::Builder&)>& body, unsigned status) {
  http::Response res;
  res.status = status;
  res.body = render_page(ctx, spec, body);
  return res;
}

std::string render_error_page(Context& ctx, unsigned status, const std::string& title, const std::string& text) {
  return render_page(ctx, {title, std::nullopt, {}}, [&](html::Builder& b) {
    b.el("p", {}, text);
    b.el("p", {{"class", "muted"}}, ctx.t("error.code", {{"status", std::to_string(status)}}));
    b.open("p").el("a", {{"href", "/"}}, ctx.t("error.back_home")).close();
  });
}

const Error* FormErrors::for_field(std::string_view f) const {
  for (const auto& e : errors)
    if (e.field == f) return &e;
  return nullptr;
}

void form(html::Builder& b, Context& ctx, std::string_view action, const std::function<void(html::Builder&)>& fields, std::string_view id) {
  auto f = b.scope("form", {{"method", "post"}, {"action", action}, {"id", id, !id.empty()}, {"novalidate", ""}});
  b.void_el("input", {{"type", "hidden"}, {"name", "_csrf"}, {"value", ctx.csrf_token()}});
  fields(b);
}

void error_summary(html::Builder& b, Context& ctx, const FormErrors& errors) {
  if (errors.empty()) return;
  auto box = b.scope("div", {{"class", "error-summary"}, {"role", "alert"}, {"tabindex", "-1"}, {"id", "erreurs"}});
  b.el("h2", {}, ctx.t("form.errors_title", {{"count", std::to_string(errors.errors.size())}}));
  auto ul = b.scope("ul");
  for (const auto& e : errors.errors) {
    b.open("li");
    if (e.field.empty()) b.text(ctx.t(e));
    else b.el("a", {{"href", "#champ-" + e.field}}, ctx.t(e));
    b.close();
  }
}

void field(html::Builder& b, Context& ctx, const Field& f, const FormErrors& errors) {
  std::string id = "champ-" + std::string(f.name);
  const Error* err = errors.for_field(f.name);
  std::string described;
  if (!f.hint.empty()) described = id + "-aide";
  if (err) described += (described.empty() ? "" : " ") + id + "-erreur";
  auto wrap = b.scope("div", {{"class", err ? "field field-error" : "field"}});
  bool checkbox = f.type == "checkbox";
  auto label = [&] {
    b.open("label", {{"for", id}}).text(f.label);
    if (f.required) b.el("span", {{"class", "required"}}, " " + ctx.t("form.required_mark"));
    b.close();
  };
  if (!checkbox) label();
  if (!f.hint.empty()) b.el("p", {{"class", "hint"}, {"id", id + "-aide"}}, f.hint);
  if (err) b.el("p", {{"class", "error-message"}, {"id", id + "-erreur"}}, ctx.t(*err));
  if (f.type == "textarea") {
    b.el("textarea", {{"id", id}, {"name", f.name}, {"rows", "8"}, {"required", "", f.required}, {"aria-invalid", "true", err != nullptr},
                      {"aria-describedby", described, !described.empty()}},
         f.value);
  } else {
    b.void_el("input", {{"id", id}, {"name", f.name}, {"type", f.type}, {"value", checkbox ? "oui" : f.value, checkbox || !f.value.empty()},
                        {"checked", "", checkbox && !f.value.empty()}, {"required", "", f.required},
                        {"autocomplete", f.autocomplete, !f.autocomplete.empty()}, {"aria-invalid", "true", err != nullptr},
                        {"aria-describedby", described, !described.empty()}});
  }
  if (checkbox) label();
}

void select(html::Builder& b, Context& ctx, std::string_view name, const std::string& label, const std::vector<Choice>& choices,
            std::string_view selected, const FormErrors& errors) {
  std::string id = "champ-" + std::string(name);
  const Error* err = errors.for_field(name);
  auto wrap = b.scope("div", {{"class", err ? "field field-error" : "field"}});
  b.el("label", {{"for", id}}, label);
  if (err) b.el("p", {{"class", "error-message"}, {"id", id + "-erreur"}}, ctx.t(*err));
  auto s = b.scope("select", {{"id", id}, {"name", name}, {"aria-invalid", "true", err != nullptr}, {"aria-describedby", id + "-erreur", err != nullptr}});
  for (const auto& c : choices) b.el("option", {{"value", c.value}, {"selected", "", c.value == selected}}, c.label);
}

void submit(html::Builder& b, const std::string& label) { b.el("button", {{"type", "submit"}, {"class", "button"}}, label); }

}  // namespace passerelle::web
