#pragma once
#include "platform/db/database.hpp"

namespace passerelle::demo {
// Demo places: the open-licence files of data/places/lieux/ (Licence Ouverte 2.0, attribution on
// /a-propos/donnees and in data/places/README.md). A file already imported is not read again.
// Returns the number of places created.
int seed_places(db::Database& db);
}  // namespace passerelle::demo
