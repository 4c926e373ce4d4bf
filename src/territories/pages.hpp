#pragma once
#include "platform/web/app.hpp"

namespace passerelle::territories {
// Home page (list), territory home, legal pages (platform and per territory) and their editor,
// territory administration (summary, roles).
void register_pages(web::App& app);
void register_api(web::App& app);
}  // namespace passerelle::territories
