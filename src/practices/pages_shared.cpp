#include "practices/pages_shared.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "territories/store.hpp"

namespace passerelle::practices::pages {

namespace {

// The search service is added to App by the search module; until an App has it, the pages list
// practices from the database (list_published) instead.
template <class A>
search::Service* service_of(A& app) {
  if constexpr (requires { app.has_search(); app.search(); }) {
    return app.has_search() ? &app.search() : nullptr;
  } else if constexpr (requires { app.search(); }) {
    auto&& s = app.search();
    using S = std::decay_t<decltype(s)>;
    if constexpr (std::is_pointer_v<S>) return s;
    else if constexpr (requires { s.get(); }) return s.get();
    else return &s;
  } else {
    return nullptr;
  }
}

}  // namespace

std::optional<int64_t> id_param(web::Context& ctx, std::string_view name) {
  auto id = str::to_int(ctx.req.param(name));
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::vector<std::string> values(const http::Fields& fields, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields.all())
    if (k == name && !v.empty()) out.push_back(v);
  return out;
}

std::string format_size(i18n::Locale locale, int64_t bytes) {
  bool fr = locale == i18n::Locale::fr;
  if (bytes < 1024) return i18n::format_integer(locale, bytes) + (fr ? " octets" : " bytes");
  double value = static_cast<double>(bytes) / 1024.0;
  std::string unit = fr ? " ko" : " kB";
  if (value >= 1024.0) {
    value /= 1024.0;
    unit = fr ? " Mo" : " MB";
  }
  // One decimal below 10 ("1,2 Mo"), none above ("350 ko"); French decimal comma.
  long tenths = std::lround(value * 10.0);
  if (tenths >= 100) return i18n::format_integer(locale, (tenths + 5) / 10) + unit;
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10) out += (fr ? "," : ".") + std::to_string(tenths % 10);
  return out + unit;
}

std::string taxonomy_label(web::Context& ctx, Taxonomy t) { return ctx.t("practices.taxonomy." + std::string(taxonomy_facet(t))); }

std::string status_label(web::Context& ctx, Status s) { return ctx.t("practices.status." + std::string(status_name(s))); }

std::string term_label(web::Context& ctx, Taxonomy t, std::string_view value) {
  std::string slug = valid_term(t, value) ? std::string(value) : std::string(slug_of_label(t, value).value_or(""));
  if (slug.empty()) return std::string(value);
  std::string key = "practices.term." + std::string(taxonomy_facet(t)) + "." + slug;
  if (i18n::Catalog::instance().has(ctx.locale, key)) return ctx.t(key);
  return std::string(label_of(t, slug).value_or(value));
}

std::string licence_label(web::Context& ctx, const Licence& l) {
  std::string key = "practices.licence." + std::string(l.slug);
  return i18n::Catalog::instance().has(ctx.locale, key) ? ctx.t(key) : std::string(l.label);
}

std::vector<web::TerritoryRef> edited_territories(web::Context& ctx) {
  std::vector<web::TerritoryRef> out;
  if (!ctx.account) return out;
  if (ctx.account->platform_admin) {
    for (const auto& t : territories::list(ctx.app.db())) out.push_back({t.id, t.slug, t.name});
  } else {
    for (const auto& m : ctx.account->memberships)
      if ((m.role == web::Role::administrateur || m.role == web::Role::agent) &&
          std::none_of(out.begin(), out.end(), [&](const auto& r) { return r.id == m.territory_id; }))
        out.push_back({m.territory_id, m.territory_slug, m.territory_name});
  }
  std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return i18n::compare(ctx.locale, a.name, b.name) < 0; });
  return out;
}

search::Service* search_service(web::App& app) { return service_of(app); }

void button_form(html::Builder& b, web::Context& ctx, std::string_view action, const std::string& label,
                 const std::vector<std::pair<std::string, std::string>>& hidden, bool link_style) {
  auto f = b.scope("form", {{"method", "post"}, {"action", action}, {"class", "inline"}});
  b.void_el("input", {{"type", "hidden"}, {"name", "_csrf"}, {"value", ctx.csrf_token()}});
  for (const auto& [name, value] : hidden) b.void_el("input", {{"type", "hidden"}, {"name", name}, {"value", value}});
  b.el("button", {{"type", "submit"}, {"class", link_style ? "link-button" : "button"}}, label);
}

std::string done_notice(web::Context& ctx) {
  static const char* const known[] = {"creee", "enregistree", "publiee", "depubliee", "corbeille", "restauree", "inspiree",
                                      "piece_ajoutee", "piece_retiree", "piece_deplacee", "commentaire", "commentaire_masque",
                                      "commentaire_affiche", "collection_creee", "collection_modifiee", "collection_supprimee",
                                      "ajoutee_collection", "retiree_collection", "deplacee_collection"};
  std::string done = ctx.req.query_fields().value("fait");
  for (const char* k : known)
    if (done == k) return ctx.t("practices_pages.done." + done);
  return {};
}

void taxonomy_labels(html::Builder& b, web::Context& ctx, const Content& c, std::string_view heading_tag) {
  for (Taxonomy t : kTaxonomies) {
    const auto& slugs = c.slugs(t);
    if (slugs.empty()) continue;
    b.el(heading_tag, {}, taxonomy_label(ctx, t));
    auto ul = b.scope("ul", {{"class", "inline-list tags"}});
    for (const auto& s : slugs) b.el("li", {{"class", "tag"}}, term_label(ctx, t, s));
  }
}

}  // namespace passerelle::practices::pages
