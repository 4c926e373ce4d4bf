#include "search/pages.hpp"

#include <map>

#include "platform/i18n/format.hpp"
#include "platform/web/layout.hpp"
#include "search/request.hpp"
#include "search/service.hpp"
#include "territories/store.hpp"

namespace passerelle::search {

using http::Method;
using web::Context;

namespace {

constexpr size_t kValuesShown = 30;  // per facet field, most frequent first

struct Labels {
  Context& ctx;
  std::map<std::string, std::string> territory_names;

  std::string translated(const std::string& key, const std::string& fallback) const {
    return i18n::Catalog::instance().has(ctx.locale, key) ? ctx.t(key) : fallback;
  }
  std::string field(const std::string& f) const { return translated("search.field." + f, f); }
  std::string value(const std::string& f, const std::string& v) const {
    if (f == "kind") return translated("search.kind." + v, v);
    if (f == "territory_kind") return translated("territory.kind." + v, v);
    if (f == "territory") {
      auto it = territory_names.find(v);
      return it == territory_names.end() ? v : it->second;
    }
    return translated("search.value." + f + "." + v, v);  // coded values (answer, channel…)
  }
};

bool selected(const Query& q, const std::string& field, const std::string& value) {
  if (field == "kind") return std::find(q.kinds.begin(), q.kinds.end(), value) != q.kinds.end();
  for (const auto& f : q.filters)
    if (f.field == field && f.value == value) return true;
  return false;
}

std::string count_text(Context& ctx, uint64_t total) {
  if (total == 0) return ctx.t("search.count.zero");
  if (total == 1) return ctx.t("search.count.one");
  return ctx.t("search.count.many", {{"count", i18n::format_integer(ctx.locale, static_cast<int64_t>(total))}});
}

void search_form(html::Builder& b, Context& ctx, const SearchRequest& r, const Results& results, const Labels& labels,
                 const web::FormErrors& errors) {
  auto form = b.scope("form", {{"method", "get"}, {"action", "/recherche"}, {"role", "search"}, {"class", "search-form"}});
  {
    const Error* err = errors.for_field("q");
    auto wrap = b.scope("div", {{"class", err ? "field field-error" : "field"}});
    b.el("label", {{"for", "champ-q"}}, ctx.t("search.field_label"));
    b.el("p", {{"class", "hint"}, {"id", "champ-q-aide"}}, ctx.t("search.field_hint"));
    if (err) b.el("p", {{"class", "error-message"}, {"id", "champ-q-erreur"}}, ctx.t(*err));
    b.void_el("input", {{"id", "champ-q"}, {"name", "q"}, {"type", "search"}, {"value", r.query.text},
                        {"aria-describedby", err ? "champ-q-aide champ-q-erreur" : "champ-q-aide"}, {"aria-invalid", "true", err != nullptr}});
    web::submit(b, ctx.t("search.submit"));
  }
  bool any = false;
  for (const auto& [field, counts] : results.facets) any = any || !counts.empty();
  if (!any) return;
  auto filters = b.scope("div", {{"class", "search-filters"}});
  size_t group = 0;
  for (const auto& [field, counts] : results.facets) {
    if (counts.empty()) continue;
    ++group;
    auto fs = b.scope("fieldset", {{"class", "facet"}});
    b.el("legend", {}, labels.field(field));
    size_t i = 0;
    for (const auto& c : counts) {
      if (i == kValuesShown) break;
      std::string id = "filtre-" + std::to_string(group) + "-" + std::to_string(++i);
      auto item = b.scope("div", {{"class", "checkbox"}});
      b.void_el("input", {{"type", "checkbox"}, {"id", id}, {"name", field}, {"value", c.value}, {"checked", "", selected(r.query, field, c.value)}});
      b.el("label", {{"for", id}},
           ctx.t("search.facet_value", {{"value", labels.value(field, c.value)}, {"count", i18n::format_integer(ctx.locale, static_cast<int64_t>(c.count))}}));
    }
  }
  b.el("button", {{"type", "submit"}, {"class", "button button-secondary"}}, ctx.t("search.apply_filters"));
}

void pagination(html::Builder& b, Context& ctx, const SearchRequest& r, uint64_t total) {
  size_t pages = static_cast<size_t>((total + kPageSize - 1) / kPageSize);
  pages = std::min(pages, kMaxPage);
  if (pages <= 1) return;
  auto nav = b.scope("nav", {{"aria-label", ctx.t("search.pages")}, {"class", "pagination"}});
  auto ul = b.scope("ul", {{"class", "nav-list"}});
  auto link = [&](size_t page, const std::string& text, const std::string& label) {
    b.open("li").el("a", {{"href", "/recherche" + search_query_string(r, page)}, {"aria-label", label, !label.empty()}}, text).close();
  };
  if (r.page > 1) link(r.page - 1, ctx.t("search.previous"), "");
  size_t first = r.page > 3 ? r.page - 3 : 1, last = std::min(pages, first + 6);
  for (size_t p = first; p <= last; ++p) {
    std::string label = ctx.t("search.page_label", {{"page", std::to_string(p)}});
    if (p == r.page) b.open("li").el("span", {{"aria-current", "page"}, {"aria-label", label}}, std::to_string(p)).close();
    else link(p, std::to_string(p), label);
  }
  if (r.page < pages) link(r.page + 1, ctx.t("search.next"), "");
}

void hit_list(html::Builder& b, Context& ctx, const SearchRequest& r, const Results& results, const Labels& labels) {
  auto s = b.scope("section", {{"aria-labelledby", "resultats"}});
  b.el("h2", {{"id", "resultats"}}, ctx.t("search.results"));
  if (results.hits.empty()) {
    b.el("p", {}, ctx.t(r.query.text.empty() ? "search.nothing_indexed" : "search.no_result"));
    return;
  }
  {
    auto ol = b.scope("ol", {{"class", "search-results"}, {"start", std::to_string(r.query.offset + 1)}});
    for (const auto& h : results.hits) {
      auto li = b.scope("li", {{"class", "search-result"}});
      b.open("h3").el("a", {{"href", h.url}}, h.title).close();
      std::string meta = labels.value("kind", h.kind);
      if (!h.territory.empty() && h.kind != "territory") meta += " · " + labels.value("territory", h.territory);
      if (h.date > 0) meta += " · " + i18n::format_date(ctx.locale, h.date);
      b.el("p", {{"class", "muted"}}, meta);
      if (!h.snippet_html.empty()) {
        b.open("p", {{"class", "snippet"}});
        b.trusted({h.snippet_html});  // escaped by the engine, only <mark> added
        b.close();
      }
    }
  }
  pagination(b, ctx, r, results.total);
}

}  // namespace

void register_pages(web::App& app) {
  app.page(Method::get, "/recherche", "recherche", [](Context& ctx) {
    if (!ctx.app.has_search()) return ctx.app.error_response(ctx, 503);
    auto& service = ctx.app.search();
    auto fields = service.engine().facet_fields();
    auto parsed = parse_search_request(ctx.req.query_fields(), fields);
    web::FormErrors errors;
    SearchRequest r;
    Results results;
    if (parsed) {
      r = std::move(*parsed);
      results = service.search(r.query);
    } else {
      errors.add(parsed.error());
      r.query.text = ctx.req.query_fields().value("q").substr(0, kMaxQueryBytes);
    }
    Labels labels{ctx, {}};
    for (const auto& t : territories::list(ctx.app.db())) labels.territory_names[t.slug] = t.name;

    web::PageSpec spec{r.query.text.empty() ? ctx.t("search.title") : ctx.t("search.title_for", {{"query", r.query.text}})};
    return web::page_response(ctx, spec, [&](html::Builder& b) {
      web::error_summary(b, ctx, errors);
      search_form(b, ctx, r, results, labels, errors);
      b.el("p", {{"role", "status"}, {"aria-live", "polite"}, {"class", "search-count"}, {"id", "nombre-resultats"}},
           errors.empty() ? count_text(ctx, results.total) : "");
      if (results.suggestion) {
        SearchRequest corrected = r;
        corrected.query.text = *results.suggestion;
        b.open("p", {{"class", "search-suggestion"}}).text(ctx.t("search.did_you_mean") + " ");
        b.el("a", {{"href", "/recherche" + search_query_string(corrected, 1)}}, *results.suggestion);
        b.text(ctx.t("search.did_you_mean_end")).close();
      }
      if (errors.empty()) hit_list(b, ctx, r, results, labels);
    }, errors.empty() ? 200 : 422);
  });
}

}  // namespace passerelle::search
