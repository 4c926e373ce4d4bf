#pragma once
#include "platform/web/app.hpp"

namespace passerelle::accounts {
// Sign-up, confirmation, login, logout, password reset, account page, API tokens, RGPD.
void register_pages(web::App& app);
void register_api(web::App& app);
}  // namespace passerelle::accounts
