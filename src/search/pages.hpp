#pragma once
#include "platform/web/app.hpp"

namespace passerelle::search {
// /recherche: the general search page (form, highlighted results, facet checkboxes, suggestion,
// pagination), working without JavaScript.
void register_pages(web::App& app);
// GET /api/v1/search: the same search as JSON (web/openapi/search.json).
void register_api(web::App& app);
}  // namespace passerelle::search
