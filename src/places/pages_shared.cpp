#include "places/pages_shared.hpp"

#include "places/communes.hpp"
#include "places/merge.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "text/analyzer.hpp"

namespace passerelle::places::pages {

namespace {
// "Formé à « Mon Espace Santé »" → "places_pages.value.forme_a_mon_espace_sante": folded, and
// every run of other characters than a-z and 0-9 as one '_'.
std::string value_key(std::string_view value) {
  std::string slug;
  for (char c : text::fold(value)) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep) slug += c;
    else if (!slug.empty() && slug.back() != '_') slug += '_';
  }
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  return "places_pages.value." + slug;
}
}  // namespace

std::string field_label(web::Context& ctx, Field f) { return ctx.t("places_pages.field." + std::string(name_of(f))); }

std::string value_label(web::Context& ctx, std::string_view value) {
  std::string key = value_key(value);
  if (i18n::Catalog::instance().has(ctx.locale, key)) return ctx.t(key);
  return std::string(value);
}

bool enumerated(Field f) {
  switch (f) {
    case Field::typologie: case Field::itinerance: case Field::services: case Field::publics_specifiquement_adresses:
    case Field::prise_en_charge_specifique: case Field::frais_a_charge: case Field::dispositif_programmes_nationaux:
    case Field::formations_labels: case Field::modalites_acces: case Field::modalites_accompagnement:
      return true;
    default:
      return false;
  }
}

std::string display_value(web::Context& ctx, Field f, std::string_view value) {
  if (!enumerated(f)) return std::string(value);
  std::string out;
  for (const auto& v : split_list(value)) out += (out.empty() ? "" : ", ") + value_label(ctx, v);
  return out;
}

std::string time_zone_of(const Record& r) {
  const auto& communes = Communes::embedded();
  if (const Commune* c = communes.find_by_insee(r[Field::code_insee]); c && !c->time_zone.empty()) return std::string(c->time_zone);
  auto found = communes.find_by_postal_code(r[Field::code_postal]);
  if (!found.empty() && !found[0]->time_zone.empty()) return std::string(found[0]->time_zone);
  return "Europe/Paris";
}

std::string departement_of(std::string_view insee, std::string_view postal) {
  std::string_view code = insee.size() >= 2 ? insee : postal;
  if (code.size() < 2) return "";
  return std::string(code.substr(0, code.starts_with("97") || code.starts_with("98") ? 3 : 2));
}

std::string departement_label(std::string_view code) {
  if (const Departement* d = Communes::embedded().find_departement(code)) return std::string(code) + " — " + std::string(d->name);
  return std::string(code);
}

std::optional<int64_t> positive(std::string_view text) {
  auto n = str::to_int(text);
  if (!n || *n <= 0) return std::nullopt;
  return n;
}

int64_t page_param(web::Context& ctx) { return positive(ctx.req.query_fields().value("page")).value_or(1); }

Listing list_places(db::Database& db, const std::string& where, const db::Params& params, int64_t page) {
  Listing l;
  auto conn = db.read();
  auto total = conn->query("SELECT COUNT(*) FROM places WHERE " + where, params);
  l.total = total[0].int64(0);
  db::Params paged = params;
  paged.push_back(kPageSize);
  paged.push_back((page - 1) * kPageSize);
  auto rows = conn->query("SELECT id, nom, commune, code_postal FROM places WHERE " + where + " ORDER BY name_key, id LIMIT ? OFFSET ?", paged);
  for (auto r : rows) l.places.push_back({r.int64(0), r.str(1), r.str(2), r.str(3)});
  const std::string dep_of =
      "CASE WHEN code_insee <> '' THEN (CASE WHEN substr(code_insee, 1, 2) IN ('97', '98') THEN substr(code_insee, 1, 3) ELSE substr(code_insee, 1, 2) END) "
      "ELSE (CASE WHEN substr(code_postal, 1, 2) IN ('97', '98') THEN substr(code_postal, 1, 3) ELSE substr(code_postal, 1, 2) END) END";
  auto deps = conn->query("SELECT " + dep_of + " AS dep, COUNT(*) FROM places WHERE " + where + " GROUP BY dep ORDER BY dep", params);
  for (auto r : deps) l.by_departement.emplace_back(r.str(0), r.int64(1));
  return l;
}

void listing_section(html::Builder& b, web::Context& ctx, const Listing& l, int64_t page, const std::string& base_url) {
  b.el("p", {{"role", "status"}}, ctx.t("places_pages.list.count", {{"count", i18n::format_integer(ctx.locale, l.total)}}));
  if (l.total == 0) return;
  {
    auto s = b.scope("section", {{"aria-labelledby", "par-departement"}});
    b.el("h2", {{"id", "par-departement"}}, ctx.t("places_pages.list.by_departement"));
    auto t = b.scope("table");
    b.el("caption", {}, ctx.t("places_pages.list.by_departement_caption"));
    {
      auto head = b.scope("thead");
      auto tr = b.scope("tr");
      b.el("th", {{"scope", "col"}}, ctx.t("places_pages.list.departement"));
      b.el("th", {{"scope", "col"}}, ctx.t("places_pages.list.places"));
    }
    auto body = b.scope("tbody");
    for (const auto& [code, n] : l.by_departement) {
      auto tr = b.scope("tr");
      b.el("th", {{"scope", "row"}}, departement_label(code));
      b.el("td", {}, i18n::format_integer(ctx.locale, n));
    }
  }
  auto s = b.scope("section", {{"aria-labelledby", "liste-lieux"}});
  int64_t pages = (l.total + kPageSize - 1) / kPageSize;
  b.el("h2", {{"id", "liste-lieux"}}, ctx.t("places_pages.list.heading", {{"page", std::to_string(page)}, {"pages", std::to_string(pages)}}));
  {
    auto ol = b.scope("ol", {{"class", "place-list"}, {"start", std::to_string((page - 1) * kPageSize + 1)}});
    for (const auto& p : l.places) {
      auto li = b.scope("li");
      b.el("a", {{"href", place_url(p.id)}}, p.nom);
      b.text(" — " + p.code_postal + " " + p.commune);
    }
  }
  if (pages <= 1) return;
  auto url = [&](int64_t p) { return p == 1 ? base_url : base_url + "?page=" + std::to_string(p); };
  auto nav = b.scope("nav", {{"aria-label", ctx.t("places_pages.list.pagination")}});
  auto ul = b.scope("ul", {{"class", "inline-list"}});
  if (page > 1) b.open("li").el("a", {{"href", url(page - 1)}, {"rel", "prev"}}, ctx.t("places_pages.list.previous")).close();
  for (int64_t p = 1; p <= pages; ++p) {
    if (p != 1 && p != pages && (p + 3 < page || p > page + 3)) continue;
    std::string label = ctx.t("places_pages.list.page_number", {{"page", std::to_string(p)}});
    b.open("li");
    if (p == page) b.el("a", {{"href", url(p)}, {"aria-current", "page"}}, label);
    else b.el("a", {{"href", url(p)}}, label);
    b.close();
  }
  if (page < pages) b.open("li").el("a", {{"href", url(page + 1)}, {"rel", "next"}}, ctx.t("places_pages.list.next")).close();
}

std::string done_notice(web::Context& ctx) {
  std::string done = ctx.req.query_fields().value("fait");
  for (const char* k : {"correction", "acceptee", "refusee"})
    if (done == k) return ctx.t(std::string("places_pages.done.") + k);
  return "";
}

}  // namespace passerelle::places::pages
