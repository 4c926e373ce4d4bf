#pragma once
// The JSON API of consultations under /api/v1/ (web/openapi/consultations.json): processes,
// contributions, votes, arguments, comments and reports, with the same rules and rights as the
// pages (the store checks the phases; rights.hpp says who may act for whom).
#include "platform/web/app.hpp"

namespace passerelle::consultations {
void register_api(web::App& app);
}
