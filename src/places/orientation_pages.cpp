// /lieux/orientation: three plain questions (what do you need, where are you, how do you want to
// be helped) in a GET form, the matching places nearest first, and the same as a one-page
// orientation sheet to print (?imprimer=1): name, address, phone, hours in plain French.
#include "places/search_pages_shared.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "platform/web/page_extras.hpp"

namespace passerelle::places {

namespace pages {
namespace {

using http::Method;
using web::Context;

constexpr size_t kResults = 10;
constexpr size_t kSheetResults = 6;  // what fits on one printed page
// Someone asking where to go for help wants a place they can reach: beyond this, "none" (the
// search page, with its own radius field, can look further).
constexpr double kOrientationRadiusKm = 100;

// Each plain need, as the schema's service it means.
struct Need {
  std::string_view key;      // places_search.need.<key>
  std::string_view service;  // the schema's value
};
constexpr Need kNeeds[] = {
    {"demarches", "Aide aux démarches administratives"},
    {"outils", "Maîtrise des outils numériques du quotidien"},
    {"emploi", "Insertion professionnelle via le numérique"},
    {"securite", "Utilisation sécurisée du numérique"},
    {"parents", "Parentalité et éducation avec le numérique"},
    {"loisirs", "Loisirs et créations numériques"},
    {"comprendre", "Compréhension du monde numérique"},
    {"acces", "Accès internet et matériel informatique"},
    {"materiel", "Acquisition de matériel informatique à prix solidaire"},
};
struct Way {
  std::string_view key;       // places_search.way.<key>
  std::string_view modalite;  // the schema's value
};
constexpr Way kWays[] = {
    {"autonomie", "En autonomie"},
    {"individuel", "Accompagnement individuel"},
    {"atelier", "Dans un atelier collectif"},
    {"distance", "À distance"},
};

bool has(const http::Fields& f, std::string_view param, std::string_view value) {
  for (const auto& v : list_values(f, param))
    if (v == value) return true;
  return false;
}

void questions(html::Builder& b, Context& ctx) {
  const auto& f = ctx.req.query_fields();
  auto form = b.scope("form", {{"method", "get"}, {"action", "/lieux/orientation"}, {"class", "orientation"}});
  {
    auto fs = b.scope("fieldset", {{"class", "field"}, {"id", "champ-services"}});
    b.el("legend", {}, ctx.t("places_search.orientation.q_need"));
    auto ul = b.scope("ul", {{"class", "checkbox-list"}});
    for (const auto& n : kNeeds) {
      std::string id = "besoin-" + std::string(n.key);
      auto li = b.scope("li");
      b.void_el("input", {{"type", "checkbox"}, {"id", id}, {"name", "services"}, {"value", n.service}, {"checked", "", has(f, "services", n.service)}});
      b.el("label", {{"for", id}}, ctx.t("places_search.need." + std::string(n.key)));
    }
  }
  {
    auto d = b.scope("div", {{"class", "field"}});
    b.el("label", {{"for", "champ-lieu"}}, ctx.t("places_search.orientation.q_where"));
    b.el("p", {{"class", "hint"}, {"id", "champ-lieu-aide"}}, ctx.t("places_search.field.lieu_hint"));
    b.void_el("input", {{"type", "text"}, {"id", "champ-lieu"}, {"name", "lieu"}, {"value", f.value("lieu")}, {"aria-describedby", "champ-lieu-aide"},
                        {"autocomplete", "address-level2"}});
  }
  {
    auto fs = b.scope("fieldset", {{"class", "field"}, {"id", "champ-modalites"}});
    b.el("legend", {}, ctx.t("places_search.orientation.q_how"));
    auto ul = b.scope("ul", {{"class", "checkbox-list"}});
    for (const auto& w : kWays) {
      std::string id = "maniere-" + std::string(w.key);
      auto li = b.scope("li");
      b.void_el("input", {{"type", "checkbox"}, {"id", id}, {"name", "modalites"}, {"value", w.modalite}, {"checked", "", has(f, "modalites", w.modalite)}});
      b.el("label", {{"for", id}}, ctx.t("places_search.way." + std::string(w.key)));
    }
  }
  b.open("p").el("button", {{"type", "submit"}, {"class", "button"}}, ctx.t("places_search.orientation.submit")).close();
}

// What was asked, in the visitor's words.
std::string summary(Context& ctx, const SearchRequest& r) {
  std::vector<std::string> parts;
  for (const auto& n : kNeeds)
    for (const auto& s : r.query.list(ListFilter::services))
      if (s == n.service) parts.push_back(ctx.t("places_search.need." + std::string(n.key)));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " ; ") + p;
  return out;
}

void hours_lines(html::Builder& b, Context& ctx, const Entry& e) {
  if (!e.hours) {
    b.el("p", {}, e.horaires.empty() ? ctx.t("places_search.hours_unknown") : ctx.t("places_search.hours_raw", {{"hours", e.horaires}}));
    return;
  }
  // One paragraph, lines joined: six places must fit on one printed page.
  std::string text;
  for (const auto& line : describe(*e.hours, i18n::Catalog::instance(), ctx.locale)) text += (text.empty() ? "" : " ; ") + line;
  b.el("p", {{"class", "horaires"}}, ctx.t("places_search.hours_raw", {{"hours", text}}));
}

void sheet_item(html::Builder& b, Context& ctx, const Hit& hit) {
  const Entry& e = *hit.entry;
  auto li = b.scope("li", {{"class", "fiche-lieu"}});
  b.el("h3", {}, e.nom);
  std::string address = e.adresse + (e.complement_adresse.empty() ? "" : ", " + e.complement_adresse) + ", " + e.code_postal + " " + e.commune;
  b.el("p", {}, address);
  if (hit.distance_km) b.el("p", {}, distance_text(ctx, *hit.distance_km) + (e.at_commune_centre ? " " + ctx.t("places_search.at_commune_centre") : ""));
  if (!e.telephone.empty()) b.el("p", {}, ctx.t("places_search.phone") + " " + e.telephone);
  if (!e.modalites_acces.empty()) {
    std::string ways;
    for (const auto& w : split_list(e.modalites_acces)) ways += (ways.empty() ? "" : ", ") + w;
    b.el("p", {}, ctx.t("places_search.access") + " " + ways);
  }
  hours_lines(b, ctx, e);
}

http::Response orientation_page(Context& ctx) {
  const auto& f = ctx.req.query_fields();
  bool print = f.value("imprimer") == "1";
  auto parsed = parse_search_request(f, true, print ? kSheetResults : kResults);
  bool answered = !f.value("lieu").empty() || !list_values(f, "services").empty() || !list_values(f, "modalites").empty();
  web::PageSpec spec{ctx.t(print ? "places_search.orientation.sheet_title" : "places_search.orientation.title")};
  auto index = index_of(ctx.app.db());
  std::string body = web::render_page(ctx, spec, web::PageAssets{{"/static/css/lieux.css"}, {}}, [&](html::Builder& b) {
    if (!parsed) {
      web::error_summary(b, ctx, errors_of(parsed.error()));
      questions(b, ctx);
      return;
    }
    if (!print) {
      b.el("p", {{"class", "lead"}}, ctx.t("places_search.orientation.intro"));
      questions(b, ctx);
    }
    if (!answered) return;
    Query q = parsed->query;
    if (print) q.page = 1, q.per_page = kSheetResults;
    if (q.near && !q.radius_km) q.radius_km = kOrientationRadiusKm;
    auto results = index->search(q);
    auto s = b.scope("section", {{"aria-labelledby", "orientation-resultats"}, {"class", print ? "fiche" : "orientation-resultats"}});
    b.el("h2", {{"id", "orientation-resultats"}}, ctx.t("places_search.orientation.results"));
    if (std::string what = summary(ctx, *parsed); !what.empty()) b.el("p", {}, ctx.t("places_search.orientation.for_need", {{"need", what}}));
    if (parsed->origin) b.el("p", {}, ctx.t("places_search.from_origin", {{"origin", parsed->origin->label}}));
    if (q.radius_km)
      b.el("p", {}, ctx.t("places_search.orientation.within", {{"radius", i18n::format_integer(ctx.locale, static_cast<int64_t>(*q.radius_km))}}));
    std::string count = i18n::format_integer(ctx.locale, static_cast<int64_t>(results.total));
    b.el("p", {{"role", "status"}}, ctx.t(results.total == 0 ? "places_search.count_zero" : results.total == 1 ? "places_search.count_one" : "places_search.count_many", {{"count", count}}));
    if (results.hits.empty()) {
      b.el("p", {}, ctx.t("places_search.orientation.none"));
      return;
    }
    if (print) {
      {
        auto ol = b.scope("ol", {{"class", "fiche-lieux"}});
        for (const auto& h : results.hits) sheet_item(b, ctx, h);
      }
      b.el("p", {{"class", "fiche-pied"}}, ctx.t("places_search.orientation.sheet_footer", {{"site", ctx.app.config().instance_name}}));
      b.open("p", {{"class", "no-print"}}).el("a", {{"href", page_url(ctx, "/lieux/orientation", 1)}}, ctx.t("places_search.orientation.back")).close();
      return;
    }
    {
      auto ol = b.scope("ol", {{"class", "results lieux"}});
      for (const auto& h : results.hits) result_item(b, ctx, h, false);
    }
    std::string sheet = page_url(ctx, "/lieux/orientation", 1);
    sheet += (sheet.find('?') == std::string::npos ? "?" : "&") + std::string("imprimer=1");
    b.open("p").el("a", {{"href", sheet}, {"class", "button"}}, ctx.t("places_search.orientation.print")).close();
    b.open("p").el("a", {{"href", page_url(ctx, "/lieux", 1)}}, ctx.t("places_search.orientation.all_results")).close();
  });
  http::Response res;
  res.status = parsed ? 200 : 400;
  res.body = std::move(body);
  return res;
}

}  // namespace
}  // namespace pages

void register_orientation_pages(web::App& app) { app.page(http::Method::get, "/lieux/orientation", "lieux_orientation", pages::orientation_page); }

}  // namespace passerelle::places
