// /a-propos/donnees: each dataset the product ships or reads, its producer, licence and date,
// with the attributions the licences ask for (data/places/README.md), then the sources of the
// places of this instance as the database holds them.
#include "places/corrections.hpp"
#include "places/pages_shared.hpp"
#include "platform/i18n/format.hpp"

namespace passerelle::places::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

// Catalogue keys places_pages.about.dataset.<key>.{name,producer,licence,date,use}.
constexpr const char* kDatasets[] = {"schema", "communes", "laposte", "nouvelle_caledonie", "charente", "bus_charente"};

Response about(Context& ctx) {
  web::PageSpec spec{ctx.t("places_pages.about.title"), std::nullopt, ""};
  auto conn = ctx.app.db().read();
  auto rows = conn->query("SELECT source, COUNT(DISTINCT place_id), MAX(date_maj) FROM place_sources GROUP BY source ORDER BY source");
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    b.el("p", {}, ctx.t("places_pages.about.intro"));
    {
      auto s = b.scope("section", {{"aria-labelledby", "jeux-de-donnees"}});
      b.el("h2", {{"id", "jeux-de-donnees"}}, ctx.t("places_pages.about.datasets"));
      auto t = b.scope("table");
      b.el("caption", {}, ctx.t("places_pages.about.datasets_caption"));
      {
        auto head = b.scope("thead");
        auto tr = b.scope("tr");
        for (const char* k : {"name", "producer", "licence", "date", "use"}) b.el("th", {{"scope", "col"}}, ctx.t(std::string("places_pages.about.column.") + k));
      }
      auto body = b.scope("tbody");
      for (const char* d : kDatasets) {
        std::string key = std::string("places_pages.about.dataset.") + d;
        auto tr = b.scope("tr");
        b.el("th", {{"scope", "row"}}, ctx.t(key + ".name"));
        for (const char* k : {".producer", ".licence", ".date", ".use"}) b.el("td", {}, ctx.t(key + k));
      }
    }
    {
      auto s = b.scope("section", {{"aria-labelledby", "attribution"}});
      b.el("h2", {{"id", "attribution"}}, ctx.t("places_pages.about.attribution_title"));
      b.el("p", {}, ctx.t("places_pages.about.attribution"));
      b.el("p", {}, ctx.t("places_pages.about.odbl"));
      b.el("p", {}, ctx.t("places_pages.about.not_shipped"));
    }
    auto s = b.scope("section", {{"aria-labelledby", "sources-instance"}});
    b.el("h2", {{"id", "sources-instance"}}, ctx.t("places_pages.about.instance_sources"));
    if (rows.empty()) {
      b.el("p", {{"class", "muted"}}, ctx.t("places_pages.about.no_places"));
      return;
    }
    auto t = b.scope("table");
    b.el("caption", {}, ctx.t("places_pages.about.instance_caption"));
    {
      auto head = b.scope("thead");
      auto tr = b.scope("tr");
      for (const char* k : {"source", "places", "latest"}) b.el("th", {{"scope", "col"}}, ctx.t(std::string("places_pages.about.instance.") + k));
    }
    auto body = b.scope("tbody");
    for (auto r : rows) {
      auto tr = b.scope("tr");
      b.el("th", {{"scope", "row"}}, r.text(0) == kCorrectionSource ? ctx.t("places_pages.place.source_correction") : r.str(0));
      b.el("td", {}, i18n::format_integer(ctx.locale, r.int64(1)));
      b.el("td", {}, r.str(2));
    }
  });
}

}  // namespace

void register_about(web::App& app) { app.page(Method::get, "/a-propos/donnees", "a-propos-donnees", about); }

void register_pages(web::App& app) {
  register_about(app);
  register_lists(app);
  register_corrections(app);
  register_place(app);
}

}  // namespace passerelle::places::pages

namespace passerelle::places {
void register_pages(web::App& app) { pages::register_pages(app); }
}  // namespace passerelle::places
