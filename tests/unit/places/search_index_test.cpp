// The index of a database on SQLite and PostgreSQL: built from the places' table, kept while
// nothing changes in `places` (a commit elsewhere does not rebuild it), rebuilt once a place is
// added (migration 0009's counter moved).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "places/import.hpp"
#include "places/search.hpp"
#include "support/scratch_database.hpp"

using namespace passerelle::places;
using passerelle::testing::BackendTest;

namespace {

class PlacesSearchIndexTest : public BackendTest {};

std::string read(const std::string& name) {
  std::ifstream in(std::string(PASSERELLE_SOURCE_DIR) + "/tests/data/places/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_P(PlacesSearchIndexTest, RebuiltWhenPlacesChangeOnly) {
  ImportOptions options;
  options.format = Format::v0_json;
  auto report = import_file(db(), "nouvelle-caledonie-20240320.json", read("nouvelle-caledonie-20240320.json"), options);
  ASSERT_TRUE(report.applied);
  auto first = index_of(db());
  ASSERT_EQ(first->size(), 90u);
  EXPECT_EQ(index_of(db()), first);  // nothing changed: the same index

  // A commit that does not touch places: the same index still.
  db().transaction([](passerelle::db::Connection& conn) { conn.exec("UPDATE places_version SET n = n WHERE id = 1 AND 0 = 1"); });
  db().transaction([](passerelle::db::Connection& conn) { conn.exec("CREATE TABLE IF NOT EXISTS t_search_probe (x INTEGER)"); });
  EXPECT_EQ(index_of(db()), first);

  // One more place (the Charente bus): a new index with it.
  import_file(db(), "bus-france-services-charente-20231003.json", read("bus-france-services-charente-20231003.json"), options);
  auto second = index_of(db());
  EXPECT_NE(second, first);
  EXPECT_EQ(second->size(), 102u);
  Query q;
  q.near = Point{45.65, 0.16};  // Angoulême
  q.per_page = 1;
  auto r = second->search(q);
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].entry->time_zone, "Europe/Paris");
  EXPECT_EQ(r.total, 102u);
}

}  // namespace

INSTANTIATE_BACKENDS(PlacesSearchIndexTest);
