// /lieux/{id}: every field of the schema labelled in French, the address with a map link,
// opening hours in plain French and whether the place is open now (in its own time zone), each
// source with its date (provenance), the history of accepted corrections, and the link to
// propose one. No form here: the page is the same for every visitor (page cache).
#include <chrono>

#include "places/corrections.hpp"
#include "places/opening_hours.hpp"
#include "places/pages_shared.hpp"
#include "places/store.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"

namespace passerelle::places::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

bool is_web_link(std::string_view v) { return v.starts_with("https://") || v.starts_with("http://"); }

std::string local_time_text(Context& ctx, LocalMinutes t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  auto minutes = (t - day).count();
  std::string mm = std::to_string(minutes % 60);
  if (mm.size() < 2) mm = "0" + mm;
  return ctx.t("places_pages.place.clock", {{"hours", std::to_string(minutes / 60)}, {"minutes", mm}});
}

// A field's value, with links where the schema's field is one (phone, e-mail, web).
void value_cell(html::Builder& b, Context& ctx, Field f, const std::string& value) {
  if (value.empty()) {
    b.el("dd", {{"class", "muted"}}, ctx.t("places_pages.place.empty"));
    return;
  }
  auto dd = b.scope("dd");
  switch (f) {
    case Field::telephone:
      b.el("a", {{"href", "tel:" + value}}, value);
      return;
    case Field::courriels: {
      bool first = true;
      for (const auto& mail : split_list(value)) {
        if (!first) b.text(", ");
        first = false;
        b.el("a", {{"href", "mailto:" + mail}}, mail);
      }
      return;
    }
    case Field::site_web: case Field::prise_rdv: case Field::fiche_acces_libre: {
      bool first = true;
      for (const auto& url : split_list(value)) {
        if (!first) b.text(", ");
        first = false;
        if (is_web_link(url)) b.el("a", {{"href", url}}, url);
        else b.text(url);
      }
      return;
    }
    default:
      break;
  }
  if (enumerated(f)) {
    auto values = split_list(value);
    if (values.size() > 1) {
      auto ul = b.scope("ul");
      for (const auto& v : values) b.el("li", {}, value_label(ctx, v));
      return;
    }
  }
  b.text(display_value(ctx, f, value));
}

void fields_section(html::Builder& b, Context& ctx, const Record& r, std::string_view id, std::initializer_list<Field> fields) {
  auto s = b.scope("section", {{"aria-labelledby", id}});
  b.el("h2", {{"id", id}}, ctx.t("places_pages.place.section." + std::string(id)));
  auto dl = b.scope("dl", {{"class", "place-fields"}});
  for (Field f : fields) {
    b.el("dt", {}, field_label(ctx, f));
    value_cell(b, ctx, f, r[f]);
  }
}

void hours_section(html::Builder& b, Context& ctx, const Record& r) {
  auto s = b.scope("section", {{"aria-labelledby", "horaires"}});
  b.el("h2", {{"id", "horaires"}}, ctx.t("places_pages.place.section.horaires"));
  if (r[Field::horaires].empty()) {
    b.el("p", {{"class", "muted"}}, ctx.t("places_pages.place.no_hours"));
    return;
  }
  auto parsed = parse_or_repair(r[Field::horaires]);
  if (!parsed) {
    b.el("p", {}, r[Field::horaires]);
    return;
  }
  std::string zone = time_zone_of(r);
  auto now = std::chrono::system_clock::now();
  auto status = status_at(parsed->hours, now, zone);
  auto local = to_local(now, zone);
  if (status && local) {
    std::string key = status->state == State::open ? "open" : status->state == State::closed ? "closed" : "unknown";
    std::string line = ctx.t("places_pages.place.now." + key, {{"time", local_time_text(ctx, *local)}, {"zone", zone}});
    if (!status->comment.empty()) line += " (" + status->comment + ")";
    b.el("p", {{"class", "place-now place-now-" + key}, {"id", "ouvert-maintenant"}}, line);
  }
  auto ul = b.scope("ul", {{"class", "place-hours"}});
  for (const auto& line : describe(parsed->hours, i18n::Catalog::instance(), ctx.locale)) b.el("li", {}, line);
}

void address_section(html::Builder& b, Context& ctx, const Record& r) {
  fields_section(b, ctx, r, "adresse",
                 {Field::adresse, Field::complement_adresse, Field::code_postal, Field::commune, Field::code_insee, Field::latitude,
                  Field::longitude, Field::itinerance});
  auto lat = r.latitude(), lon = r.longitude();
  if (!lat || !lon) return;
  std::string la = r[Field::latitude], lo = r[Field::longitude];
  b.open("p").el("a", {{"href", "https://www.openstreetmap.org/?mlat=" + la + "&mlon=" + lo + "#map=18/" + la + "/" + lo}},
                 ctx.t("places_pages.place.map_link")).close();
}

void sources_section(html::Builder& b, Context& ctx, const Place& p) {
  auto s = b.scope("section", {{"aria-labelledby", "sources"}});
  b.el("h2", {{"id", "sources"}}, ctx.t("places_pages.place.section.sources"));
  auto t = b.scope("table");
  b.el("caption", {}, ctx.t("places_pages.place.sources_caption", {{"count", std::to_string(p.sources.size())}}));
  {
    auto head = b.scope("thead");
    auto tr = b.scope("tr");
    for (const char* k : {"source", "identifier", "date_maj", "file"}) b.el("th", {{"scope", "col"}}, ctx.t(std::string("places_pages.place.source_") + k));
  }
  auto body = b.scope("tbody");
  for (const auto& src : p.sources) {
    auto tr = b.scope("tr");
    b.el("th", {{"scope", "row"}}, src.name == kCorrectionSource ? ctx.t("places_pages.place.source_correction") : src.name);
    b.el("td", {}, src.source_id);
    b.el("td", {}, src.date_maj);
    b.el("td", {}, src.file.empty() ? "—" : src.file);
  }
}

void history_section(html::Builder& b, Context& ctx, const std::vector<Correction>& list) {
  auto s = b.scope("section", {{"aria-labelledby", "historique"}});
  b.el("h2", {{"id", "historique"}}, ctx.t("places_pages.place.section.historique"));
  if (list.empty()) {
    b.el("p", {{"class", "muted"}}, ctx.t("places_pages.place.no_history"));
    return;
  }
  auto ol = b.scope("ol", {{"class", "place-history"}});
  for (const auto& c : list) {
    auto li = b.scope("li");
    b.el("p", {}, ctx.t("places_pages.place.history_entry", {{"id", std::to_string(c.id)}, {"date", i18n::format_date(ctx.locale, c.decided_at.value_or(c.created_at))}}));
    auto ul = b.scope("ul");
    for (const auto& ch : c.changes) {
      if (ch.before == ch.after) continue;  // the other coordinate, carried along
      b.el("li", {}, ctx.t("places_pages.place.history_change", {{"field", field_label(ctx, ch.field)},
                                                                  {"before", ch.before.empty() ? ctx.t("places_pages.place.empty") : display_value(ctx, ch.field, ch.before)},
                                                                  {"after", display_value(ctx, ch.field, ch.after)}}));
    }
  }
}

Response show(Context& ctx) {
  auto id = positive(ctx.req.param("id"));
  auto place = id ? find(ctx.app.db(), *id) : std::nullopt;
  if (!place) return ctx.app.error_response(ctx, 404, ctx.t("places_pages.place.not_found"));
  const Record& r = place->fields;
  web::PageSpec spec{r[Field::nom], std::nullopt, done_notice(ctx)};
  auto changes = history(ctx.app.db(), place->id);
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    b.el("p", {{"class", "muted"}}, r[Field::code_postal] + " " + r[Field::commune] +
                                        (r[Field::typologie].empty() ? "" : " · " + display_value(ctx, Field::typologie, r[Field::typologie])));
    b.open("p").el("a", {{"href", place_url(place->id) + "/corriger"}, {"class", "button"}}, ctx.t("places_pages.place.propose")).close();
    hours_section(b, ctx, r);
    address_section(b, ctx, r);
    fields_section(b, ctx, r, "offre",
                   {Field::services, Field::publics_specifiquement_adresses, Field::prise_en_charge_specifique, Field::frais_a_charge,
                    Field::modalites_acces, Field::modalites_accompagnement, Field::dispositif_programmes_nationaux, Field::formations_labels,
                    Field::autres_formations_labels, Field::typologie});
    fields_section(b, ctx, r, "contact", {Field::telephone, Field::courriels, Field::site_web, Field::prise_rdv, Field::fiche_acces_libre});
    fields_section(b, ctx, r, "presentation", {Field::presentation_resume, Field::presentation_detail, Field::horaires});
    fields_section(b, ctx, r, "identification", {Field::id, Field::pivot, Field::structure_parente, Field::source, Field::date_maj});
    sources_section(b, ctx, *place);
    history_section(b, ctx, changes);
  });
}

}  // namespace

void register_place(web::App& app) { app.page(Method::get, "/lieux/{id}", "lieu", show); }

}  // namespace passerelle::places::pages
