#pragma once
#include "platform/web/app.hpp"

namespace passerelle::practices {

// The HTML pages of the practices module: /pratiques (search), /pratiques/{id} (sheet, comments,
// "je m'en inspire"), the editor, versions and diffs, /t/{slug}/pratiques and its collections.
// Register before territories::register_pages (its "/t/{slug}/{page}" catches the rest).
void register_pages(web::App& app);

}  // namespace passerelle::practices
