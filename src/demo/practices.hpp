#pragma once
#include "platform/db/database.hpp"

namespace passerelle::demo {

struct PracticesReport {
  int practices_added = 0;  // published or draft sheets, reused copy included
  int collections_added = 0;
};

// Demo practice sheets of the four demo territories (run after the territories and the demo
// administrator exist): versions, one reuse between territories, comments, one draft that must
// never appear publicly, one collection per territory. Running it twice changes nothing.
PracticesReport seed_practices(db::Database& db);

}  // namespace passerelle::demo
