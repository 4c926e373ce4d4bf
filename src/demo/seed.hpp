#pragma once
#include <string>

#include "platform/db/database.hpp"

namespace passerelle::demo {
// Loads the demo data (real territories and INSEE codes from the COG, Licence Ouverte) and a
// demo administrator. Running it twice changes nothing.
struct SeedReport {
  int territories_added = 0;
  bool admin_created = false;
  std::string admin_email;
  std::string admin_password;
};
SeedReport seed(db::Database& db);
}  // namespace passerelle::demo
