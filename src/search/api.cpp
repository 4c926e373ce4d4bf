#include <nlohmann/json.hpp>

#include "search/pages.hpp"
#include "search/request.hpp"
#include "search/service.hpp"

namespace passerelle::search {

void register_api(web::App& app) {
  app.api(http::Method::get, "/api/v1/search", "api-recherche", [](web::Context& ctx) {
    if (!ctx.app.has_search()) return ctx.app.error_response(ctx, 503);
    auto& service = ctx.app.search();
    auto request = parse_search_request(ctx.req.query_fields(), service.engine().facet_fields());
    if (!request) return ctx.app.error_response(ctx, request.error());
    auto results = service.search(request->query);
    nlohmann::json hits = nlohmann::json::array();
    for (const auto& h : results.hits)
      hits.push_back({{"kind", h.kind}, {"id", h.id}, {"title", h.title}, {"url", h.url}, {"territory", h.territory},
                      {"date", h.date}, {"score", h.score}, {"snippet", h.snippet_html}});
    nlohmann::json facets = nlohmann::json::object();
    for (const auto& [field, counts] : results.facets) {
      auto& list = facets[field] = nlohmann::json::array();
      for (const auto& c : counts) list.push_back({{"value", c.value}, {"count", c.count}});
    }
    nlohmann::json out{{"total", results.total}, {"page", request->page}, {"per_page", kPageSize}, {"hits", hits}, {"facets", facets},
                       {"suggestion", results.suggestion ? nlohmann::json(*results.suggestion) : nlohmann::json(nullptr)}};
    return http::Response::json(out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  });
}

}  // namespace passerelle::search
