#pragma once
#include "platform/web/app.hpp"

namespace passerelle::site {
// Operational and shared routes: static files, /healthz, /metrics, /api/openapi.json, language
// switch, stored files.
void register_routes(web::App& app);
}  // namespace passerelle::site
