// /pratiques: search and list of the published practices of every territory, with facet filters
// in a plain GET form (no JavaScript), sort, pagination and the open data links.
#include <algorithm>
#include <map>

#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "platform/web/pagination.hpp"
#include "practices/pages_shared.hpp"
#include "territories/store.hpp"

namespace passerelle::practices::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

constexpr size_t kPageSize = 20;

// A facet of the search index and the name of its parameter in the page's URL.
struct FacetParam {
  std::string_view facet;  // "theme", "territory"…
  std::string_view param;  // "thematique", "territoire"…
  std::optional<Taxonomy> taxonomy;
};
const FacetParam kFacets[] = {{"theme", "thematique", Taxonomy::theme},
                              {"type", "type", Taxonomy::resource_type},
                              {"public", "public", Taxonomy::public_},
                              {"sector", "secteur", Taxonomy::sector},
                              {"territory", "territoire", std::nullopt}};

// What the visitor asked for, read from the query string, and turned back into URLs.
struct Request {
  std::string q;
  bool by_date = false;
  std::vector<std::pair<std::string, std::string>> filters;  // (param, value), in order
  size_t page = 1;

  static Request from(const http::Fields& f) {
    Request r;
    r.q = std::string(str::trim(f.value("q")));
    r.by_date = f.value("tri") == "date";
    for (const auto& fp : kFacets)
      for (auto& v : values(f, fp.param))
        if (std::find(r.filters.begin(), r.filters.end(), std::pair{std::string(fp.param), v}) == r.filters.end())
          r.filters.emplace_back(fp.param, v);
    auto page = str::to_int(f.value("page"));
    r.page = page && *page > 0 && *page < 100000 ? static_cast<size_t>(*page) : 1;
    return r;
  }
  bool has(std::string_view param, std::string_view value) const {
    return std::any_of(filters.begin(), filters.end(), [&](const auto& f) { return f.first == param && f.second == value; });
  }
  // The URL of this request, page 1 unless `page` is given, without the filter `drop` if any.
  std::string url(size_t page_number = 1, const std::pair<std::string, std::string>* drop = nullptr, const std::string* query = nullptr) const {
    std::string out;
    auto add = [&](std::string_view k, std::string_view v) { out += (out.empty() ? "?" : "&") + std::string(k) + "=" + str::url_encode(v); };
    const std::string& text = query ? *query : q;
    if (!text.empty()) add("q", text);
    for (const auto& f : filters)
      if (!drop || f != *drop) add(f.first, f.second);
    if (by_date) add("tri", "date");
    if (page_number > 1) add("page", std::to_string(page_number));
    return "/pratiques" + out;
  }
};

struct Item {
  int64_t id = 0;
  std::string title;
  std::string territory;  // name
  int64_t date = 0;
  std::optional<html::TrustedHtml> snippet;  // highlighted by the search engine
  std::string summary;                       // plain text, when there is no snippet
};

struct Listing {
  uint64_t total = 0;
  std::vector<Item> items;
  std::map<std::string, std::vector<search::FacetCount>> facets;  // empty without search
  std::optional<std::string> suggestion;
  bool searched = false;  // false: the database fallback, without counts
};

std::string facet_label(Context& ctx, const FacetParam& fp) {
  return fp.taxonomy ? taxonomy_label(ctx, *fp.taxonomy) : ctx.t("practices_pages.facet.territory");
}

std::map<std::string, std::string> territory_names(Context& ctx) {
  std::map<std::string, std::string> names;
  for (const auto& t : territories::list(ctx.app.db())) names[t.slug] = t.name;
  return names;
}

// The value as shown: a taxonomy label for a slug, a territory name for a slug.
std::string display_value(Context& ctx, const FacetParam& fp, const std::string& value, const std::map<std::string, std::string>& names) {
  if (fp.taxonomy) return term_label(ctx, *fp.taxonomy, value);
  auto it = names.find(value);
  return it == names.end() ? value : it->second;
}

Listing through_search(search::Service& service, const Request& r, const std::map<std::string, std::string>& names) {
  search::Query q;
  q.text = r.q;
  q.kinds = {"practice"};
  for (const auto& [param, value] : r.filters)
    for (const auto& fp : kFacets)
      if (fp.param == param) q.filters.push_back({std::string(fp.facet), value});
  for (const auto& fp : kFacets) q.facet_fields.emplace_back(fp.facet);
  q.offset = (r.page - 1) * kPageSize;
  q.limit = kPageSize;
  q.sort = r.by_date || r.q.empty() ? search::Query::Sort::date : search::Query::Sort::relevance;
  auto res = service.search(q);
  Listing out;
  out.searched = true;
  out.total = res.total;
  out.facets = std::move(res.facets);
  out.suggestion = std::move(res.suggestion);
  for (auto& h : res.hits) {
    auto it = names.find(h.territory);
    out.items.push_back({h.id, h.title, it == names.end() ? h.territory : it->second, h.date, html::TrustedHtml{h.snippet_html}, {}});
  }
  return out;
}

// Without a search service: the published sheets from the database, filtered the same way.
Listing through_database(Context& ctx, const Request& r) {
  Filter filter;
  for (const auto& [param, value] : r.filters) {
    for (const auto& fp : kFacets) {
      if (fp.param != param) continue;
      if (fp.taxonomy) {
        std::string slug = valid_term(*fp.taxonomy, value) ? value : std::string(slug_of_label(*fp.taxonomy, value).value_or(""));
        if (!slug.empty()) filter.slugs(*fp.taxonomy).push_back(slug);
      } else if (auto t = territories::find(ctx.app.db(), value)) {  // a slug: list_page turned names into slugs
        filter.territory_id = t->id;
      }
    }
  }
  filter.offset = (r.page - 1) * kPageSize;
  filter.limit = kPageSize;
  auto page = list_published(ctx.app.db(), filter);
  Listing out;
  out.total = static_cast<uint64_t>(page.total);
  for (auto& p : page.items) {
    std::string summary = p.summary.size() > 300 ? p.summary.substr(0, 300) + "…" : p.summary;
    if (!str::valid_utf8(summary)) summary = p.summary;
    out.items.push_back({p.id, p.title, p.territory_name, p.updated_at, std::nullopt, summary});
  }
  return out;
}

void filters_form(html::Builder& b, Context& ctx, const Request& r, const Listing& l, const std::map<std::string, std::string>& names) {
  auto form = b.scope("form", {{"method", "get"}, {"action", "/pratiques"}, {"role", "search"}, {"aria-label", ctx.t("practices_pages.list.search_label")}});
  {
    auto d = b.scope("div", {{"class", "field"}});
    b.el("label", {{"for", "champ-q"}}, ctx.t("practices_pages.list.query"));
    b.el("p", {{"class", "hint"}, {"id", "champ-q-aide"}}, ctx.t("practices_pages.list.query_hint"));
    b.void_el("input", {{"type", "search"}, {"id", "champ-q"}, {"name", "q"}, {"value", r.q}, {"aria-describedby", "champ-q-aide"}});
  }
  {
    auto d = b.scope("div", {{"class", "field"}});
    b.el("label", {{"for", "champ-tri"}}, ctx.t("practices_pages.list.sort"));
    auto s = b.scope("select", {{"id", "champ-tri"}, {"name", "tri"}});
    b.el("option", {{"value", "pertinence"}, {"selected", "", !r.by_date}}, ctx.t("practices_pages.list.sort_relevance"));
    b.el("option", {{"value", "date"}, {"selected", "", r.by_date}}, ctx.t("practices_pages.list.sort_date"));
  }
  b.open("p").el("button", {{"type", "submit"}, {"class", "button"}}, ctx.t("practices_pages.list.search")).close();
  for (const auto& fp : kFacets) {
    // Values with their counts from the search; without it, every term (no counts).
    std::vector<std::pair<std::string, std::optional<uint64_t>>> shown;
    if (l.searched) {
      auto it = l.facets.find(std::string(fp.facet));
      if (it != l.facets.end())
        for (const auto& fc : it->second) shown.emplace_back(fc.value, fc.count);
    } else if (fp.taxonomy) {
      for (const auto& term : terms(*fp.taxonomy)) shown.emplace_back(std::string(term.slug), std::nullopt);
    } else {
      for (const auto& entry : names) shown.emplace_back(entry.first, std::nullopt);  // slugs, shown by name
    }
    for (const auto& filter : r.filters) {  // a chosen value stays visible, even at 0
      const auto& value = filter.second;
      if (filter.first == fp.param && std::none_of(shown.begin(), shown.end(), [&](const auto& s) { return s.first == value; }))
        shown.emplace_back(value, uint64_t{0});
    }
    if (shown.empty()) continue;
    auto fs = b.scope("fieldset", {{"class", "field facet"}});
    b.el("legend", {}, facet_label(ctx, fp));
    auto ul = b.scope("ul", {{"class", "checkbox-list"}});
    size_t n = 0;
    for (const auto& [value, count] : shown) {
      std::string id = "filtre-" + std::string(fp.param) + "-" + std::to_string(n++);
      std::string label = display_value(ctx, fp, value, names);
      if (count) label += " (" + i18n::format_integer(ctx.locale, static_cast<int64_t>(*count)) + ")";
      auto li = b.scope("li");
      b.void_el("input", {{"type", "checkbox"}, {"id", id}, {"name", fp.param}, {"value", value}, {"checked", "", r.has(fp.param, value)}});
      b.el("label", {{"for", id}}, label);
    }
  }
  b.open("p").el("button", {{"type", "submit"}, {"class", "button"}}, ctx.t("practices_pages.list.filter")).close();
}

void active_filters(html::Builder& b, Context& ctx, const Request& r, const std::map<std::string, std::string>& names) {
  if (r.filters.empty()) return;
  auto s = b.scope("section", {{"aria-labelledby", "filtres-actifs"}});
  b.el("h2", {{"id", "filtres-actifs"}}, ctx.t("practices_pages.list.active_filters"));
  auto ul = b.scope("ul", {{"class", "inline-list"}});
  for (const auto& f : r.filters) {
    for (const auto& fp : kFacets) {
      if (fp.param != f.first) continue;
      std::string what = facet_label(ctx, fp) + " : " + display_value(ctx, fp, f.second, names);
      b.open("li").el("a", {{"href", r.url(1, &f)}}, ctx.t("practices_pages.list.remove_filter", {{"filter", what}})).close();
    }
  }
  b.open("li").el("a", {{"href", Request{r.q, r.by_date, {}, 1}.url()}}, ctx.t("practices_pages.list.remove_all")).close();
}

void pagination(html::Builder& b, Context& ctx, const Request& r, uint64_t total) {
  size_t pages = static_cast<size_t>((total + kPageSize - 1) / kPageSize);
  if (pages <= 1) return;
  auto nav = b.scope("nav", {{"aria-label", ctx.t("practices_pages.list.pagination")}});
  auto ul = b.scope("ul", {{"class", "inline-list"}});
  if (r.page > 1) b.open("li").el("a", {{"href", r.url(r.page - 1)}, {"rel", "prev"}}, ctx.t("practices_pages.list.previous")).close();
  for (size_t p : web::page_numbers(r.page, pages)) {
    std::string label = ctx.t("practices_pages.list.page_number", {{"page", std::to_string(p)}});
    b.open("li");
    if (p == r.page) b.el("a", {{"href", r.url(p)}, {"aria-current", "page"}}, label);
    else b.el("a", {{"href", r.url(p)}}, label);
    b.close();
  }
  if (r.page < pages) b.open("li").el("a", {{"href", r.url(r.page + 1)}, {"rel", "next"}}, ctx.t("practices_pages.list.next")).close();
}

void results(html::Builder& b, Context& ctx, const Request& r, const Listing& l) {
  auto s = b.scope("section", {{"aria-labelledby", "resultats"}});
  b.el("h2", {{"id", "resultats"}}, ctx.t("practices_pages.list.results"));
  std::string count = i18n::format_integer(ctx.locale, static_cast<int64_t>(l.total));
  b.el("p", {{"role", "status"}, {"id", "nombre-resultats"}},
       ctx.t(l.total == 0 ? "practices_pages.list.count_zero" : l.total == 1 ? "practices_pages.list.count_one" : "practices_pages.list.count_many",
             {{"count", count}}));
  if (l.suggestion && !l.suggestion->empty()) {
    b.open("p", {{"class", "suggestion"}}).text(ctx.t("practices_pages.list.did_you_mean") + " ");
    b.el("a", {{"href", r.url(1, nullptr, &*l.suggestion)}}, *l.suggestion).text(" ?").close();
  }
  if (!l.items.empty()) {
    auto ol = b.scope("ol", {{"class", "results"}, {"start", std::to_string((r.page - 1) * kPageSize + 1)}});
    for (const auto& it : l.items) {
      auto li = b.scope("li", {{"class", "result"}});
      b.open("h3").el("a", {{"href", practice_url(it.id)}}, it.title).close();
      std::string meta = it.territory;
      if (it.date > 0) meta += (meta.empty() ? "" : " · ") + ctx.t("practices_pages.updated_on", {{"date", i18n::format_date(ctx.locale, it.date)}});
      if (!meta.empty()) b.el("p", {{"class", "muted"}}, meta);
      if (it.snippet && !it.snippet->html.empty()) b.open("p", {{"class", "snippet"}}).trusted(*it.snippet).close();
      else if (!it.summary.empty()) b.el("p", {{"class", "snippet"}}, it.summary);
    }
  }
  pagination(b, ctx, r, l.total);
}

Response list_page(Context& ctx) {
  Request r = Request::from(ctx.req.query_fields());
  auto names = territory_names(ctx);
  for (auto& [param, value] : r.filters)  // territories by slug, as the index keeps them (older links gave names)
    if (param == "territoire" && !names.count(value))
      for (const auto& [slug, name] : names)
        if (name == value) value = slug;
  auto* service = search_service(ctx.app);
  Listing l = service ? through_search(*service, r, names) : through_database(ctx, r);
  return web::page_response(ctx, {ctx.t("practices_pages.list.title")}, [&](html::Builder& b) {
    b.el("p", {{"class", "lead"}}, ctx.t("practices_pages.list.intro"));
    filters_form(b, ctx, r, l, names);
    active_filters(b, ctx, r, names);
    results(b, ctx, r, l);
    auto s = b.scope("section", {{"aria-labelledby", "donnees-ouvertes"}});
    b.el("h2", {{"id", "donnees-ouvertes"}}, ctx.t("practices_pages.list.open_data"));
    b.el("p", {}, ctx.t("practices_pages.list.open_data_intro"));
    auto ul = b.scope("ul", {{"class", "inline-list"}});
    b.open("li").el("a", {{"href", "/donnees/pratiques.json"}, {"type", "application/json"}}, ctx.t("practices_pages.list.open_data_json")).close();
    b.open("li").el("a", {{"href", "/donnees/pratiques.csv"}, {"type", "text/csv"}}, ctx.t("practices_pages.list.open_data_csv")).close();
    b.open("li").el("a", {{"href", "/donnees/pratiques.atom"}, {"type", "application/atom+xml"}}, ctx.t("practices_pages.list.open_data_atom")).close();
  });
}

}  // namespace

void register_list(web::App& app) { app.page(Method::get, "/pratiques", "pratiques", list_page); }

}  // namespace passerelle::practices::pages
