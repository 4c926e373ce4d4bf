#include "places/search_pages_shared.hpp"

#include <cmath>

#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "platform/web/pagination.hpp"

namespace passerelle::places::pages {

std::string distance_text(web::Context& ctx, double km) {
  if (km < 1) return ctx.t("places_search.distance_m", {{"distance", std::to_string(static_cast<int>(std::round(km * 100)) * 10)}});
  double rounded = km < 10 ? std::round(km * 10) / 10 : std::round(km);
  std::string text = rounded == std::floor(rounded) ? std::to_string(static_cast<int64_t>(rounded))
                                                    : std::to_string(static_cast<int64_t>(rounded)) + (ctx.locale == i18n::Locale::fr ? "," : ".") +
                                                          std::to_string(static_cast<int>(std::round((rounded - std::floor(rounded)) * 10)));
  return ctx.t("places_search.distance_km", {{"distance", text}});
}

void result_item(html::Builder& b, web::Context& ctx, const Hit& hit, bool open_filter, std::string_view heading) {
  const Entry& e = *hit.entry;
  auto li = b.scope("li", {{"class", "lieu"}});
  b.open(heading).el("a", {{"href", "/lieux/" + std::to_string(e.id)}}, e.nom).close();
  std::string address = e.adresse;
  if (!e.complement_adresse.empty()) address += ", " + e.complement_adresse;
  address += ", " + e.code_postal + " " + e.commune;
  b.el("p", {{"class", "lieu-adresse"}}, address);
  if (hit.distance_km) {
    b.open("p", {{"class", "lieu-distance"}}).text(distance_text(ctx, *hit.distance_km));
    if (e.at_commune_centre) b.text(" ").el("span", {{"class", "muted"}}, ctx.t("places_search.at_commune_centre"));
    b.close();
  } else if (e.at_commune_centre) {
    b.el("p", {{"class", "muted"}}, ctx.t("places_search.at_commune_centre"));
  }
  if (open_filter) b.el("p", {{"class", "lieu-etat ouvert"}}, ctx.t("places_search.open_at_time"));
  else if (!e.hours) b.el("p", {{"class", "lieu-etat muted"}}, ctx.t("places_search.hours_unknown"));
  else if (hit.open) b.el("p", {{"class", "lieu-etat ouvert"}}, ctx.t("places_search.open_now"));
  else b.el("p", {{"class", "lieu-etat ferme"}}, ctx.t("places_search.closed_now"));
  if (!e.telephone.empty())
    b.open("p").text(ctx.t("places_search.phone") + " ").el("a", {{"href", "tel:" + e.telephone}}, e.telephone).close();
}

std::string page_url(web::Context& ctx, std::string_view path, size_t page) {
  std::string out;
  for (const auto& [k, v] : ctx.req.query_fields().all()) {
    if (k == "page" || k == "imprimer" || v.empty()) continue;
    out += (out.empty() ? "?" : "&") + str::url_encode(k) + "=" + str::url_encode(v);
  }
  if (page > 1) out += (out.empty() ? "?" : "&") + std::string("page=") + std::to_string(page);
  return std::string(path) + out;
}

void pagination(html::Builder& b, web::Context& ctx, std::string_view path, size_t page, size_t per_page, uint64_t total) {
  size_t pages = static_cast<size_t>((total + per_page - 1) / per_page);
  pages = std::min(pages, kMaxPage);
  if (pages <= 1) return;
  auto nav = b.scope("nav", {{"aria-label", ctx.t("places_search.pagination")}});
  auto ul = b.scope("ul", {{"class", "inline-list"}});
  if (page > 1) b.open("li").el("a", {{"href", page_url(ctx, path, page - 1)}, {"rel", "prev"}}, ctx.t("places_search.previous")).close();
  for (size_t p : web::page_numbers(page, pages)) {
    std::string label = ctx.t("places_search.page_number", {{"page", std::to_string(p)}});
    b.open("li");
    if (p == page) b.el("a", {{"href", page_url(ctx, path, p)}, {"aria-current", "page"}}, label);
    else b.el("a", {{"href", page_url(ctx, path, p)}}, label);
    b.close();
  }
  if (page < pages) b.open("li").el("a", {{"href", page_url(ctx, path, page + 1)}, {"rel", "next"}}, ctx.t("places_search.next")).close();
}

web::FormErrors errors_of(const Error& e) {
  web::FormErrors errors;
  errors.add(e);
  return errors;
}

}  // namespace passerelle::places::pages
