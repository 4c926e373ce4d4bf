#pragma once
#include "platform/web/app.hpp"

namespace passerelle::places {

// /lieux (search form, accessible list, map) and /lieux/orientation (guided questions and the
// printable sheet). Register before any "/lieux/{id}" route: the first matching route wins.
void register_search_pages(web::App& app);

}  // namespace passerelle::places
