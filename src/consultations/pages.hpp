#pragma once
// The HTML pages of consultations: process lists and pages with their phase timeline and
// contributions, the contribution page (arguments side by side, votes, sources, comments,
// reports), the contribution form (with the mediator's fields), registration of people
// without an account, and the moderation queue. Everything works without JavaScript.
#include "platform/web/app.hpp"

namespace passerelle::consultations {
void register_pages(web::App& app);
}
