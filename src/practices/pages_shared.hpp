#pragma once
// What the HTML pages of the practices module share (pages_*.cpp): who is looking, ids from the
// URL, French labels and sizes, the search service when the application has one.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/html/builder.hpp"
#include "platform/web/app.hpp"
#include "platform/web/layout.hpp"
#include "practices/model.hpp"
#include "practices/store.hpp"
#include "search/service.hpp"

namespace passerelle::practices::pages {

inline std::string practice_url(int64_t id) { return "/pratiques/" + std::to_string(id); }
inline std::string territory_practices_url(std::string_view slug) { return "/t/" + std::string(slug) + "/pratiques"; }
inline std::string collection_url(std::string_view slug, int64_t id) { return "/t/" + std::string(slug) + "/collections/" + std::to_string(id); }

inline web::TerritoryRef ref_of(const Practice& p) { return {p.territory_id, p.territory_slug, p.territory_name}; }
inline Viewer viewer(web::Context& ctx) { return viewer_of(ctx.account); }

// A positive id from the route parameter `name`, or nothing.
std::optional<int64_t> id_param(web::Context& ctx, std::string_view name);

// Runs `fn` with the sheet of the URL when the visitor may see it; 404 otherwise (a draft's
// existence is never revealed).
template <class Fn>
http::Response with_visible(web::Context& ctx, Fn&& fn) {
  auto id = id_param(ctx, "id");
  if (!id) return ctx.app.error_response(ctx, 404);
  auto p = get(ctx.app.db(), *id, viewer(ctx));
  if (!p) return ctx.app.error_response(ctx, 404, ctx.t("practices_pages.not_found"));
  return fn(*p);
}
// Every value of a repeated field (checkboxes) of a query string or a form.
std::vector<std::string> values(const http::Fields& fields, std::string_view name);

// "1,2 Mo", "350 ko", "12 octets" (French); "1.2 MB"… in English.
std::string format_size(i18n::Locale locale, int64_t bytes);
// Label of a taxonomy ("Thématiques") from the catalogue.
std::string taxonomy_label(web::Context& ctx, Taxonomy t);
std::string status_label(web::Context& ctx, Status s);
// A term of a taxonomy (slug or French label) in the reader's language; the value itself if unknown.
std::string term_label(web::Context& ctx, Taxonomy t, std::string_view value);
std::string licence_label(web::Context& ctx, const Licence& l);

// The territories where the viewer may write practices (editor roles; every one for a platform
// administrator), sorted by name.
std::vector<web::TerritoryRef> edited_territories(web::Context& ctx);

// The application's search service, when it has one (nullptr otherwise).
search::Service* search_service(web::App& app);

// Small forms: a POST form with one button (publish, remove, move…), `hidden` fields included.
void button_form(html::Builder& b, web::Context& ctx, std::string_view action, const std::string& label,
                 const std::vector<std::pair<std::string, std::string>>& hidden = {}, bool link_style = false);

// Known notices after a redirect (?fait=…), from the catalogue; "" for an unknown value.
std::string done_notice(web::Context& ctx);

// The four taxonomies of a sheet as lists of labels, under an h-level heading each.
void taxonomy_labels(html::Builder& b, web::Context& ctx, const Content& c, std::string_view heading_tag);

// A line diff as an ordered list, added and removed lines marked in words (not by colour alone).
void diff_list(html::Builder& b, web::Context& ctx, const std::vector<DiffLine>& lines);

// Registration of each group of pages.
void register_list(web::App& app);
void register_practice(web::App& app);
void register_editor(web::App& app);
void register_versions(web::App& app);
void register_collections(web::App& app);

}  // namespace passerelle::practices::pages
