#pragma once
#include "platform/web/app.hpp"

namespace passerelle::admin {
// Platform administration: territories, accounts, outbox, audit log.
void register_pages(web::App& app);
}  // namespace passerelle::admin
