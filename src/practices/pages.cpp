#include "practices/pages.hpp"

#include "practices/pages_shared.hpp"

namespace passerelle::practices {

void register_pages(web::App& app) {
  pages::register_list(app);
  // The editor first: "/t/{slug}/pratiques/nouvelle" before anything shorter.
  pages::register_editor(app);
  pages::register_versions(app);
  pages::register_practice(app);
  pages::register_collections(app);
}

}  // namespace passerelle::practices
