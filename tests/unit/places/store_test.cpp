// Places in the database, on SQLite and PostgreSQL: a new record makes a place, the same source
// record again updates it, the same place from another source joins it and keeps both sources,
// and the merged values follow the newest date_maj. The suite shares one database per backend:
// every test uses its own source names and coordinates.
#include "places/store.hpp"

#include <gtest/gtest.h>

#include "places/merge.hpp"
#include "support/scratch_database.hpp"

using namespace passerelle::places;
using passerelle::testing::BackendTest;

namespace {

class PlacesStoreTest : public BackendTest {
 protected:
  Source source(const std::string& name, const std::string& id, const std::string& date, double lat, double lon) {
    Source s{name, id, date, "test.csv", {}};
    Record& r = s.record;
    r[Field::id] = id;
    r[Field::pivot] = std::string(kPlaceholderPivot);
    r[Field::nom] = "Médiathèque " + name;
    r[Field::commune] = "Besançon";
    r[Field::code_postal] = "25000";
    r[Field::adresse] = "12 avenue de la Gare";
    r[Field::latitude] = format_coordinate(lat);
    r[Field::longitude] = format_coordinate(lon);
    r[Field::date_maj] = date;
    r[Field::source] = name;
    return s;
  }
  Saved save_one(const Source& s) {
    return db().transaction([&](passerelle::db::Connection& conn) { return save(conn, s, 1700000000); });
  }
};

TEST_P(PlacesStoreTest, NewRecordMakesAPlaceWithItsSource) {
  auto name = unique("src");
  auto saved = save_one(source(name, "a1", "2023-05-01", 47.2380, 6.0240));
  EXPECT_EQ(saved.kind, SaveKind::created);
  auto p = find(db(), saved.place_id);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->fields[Field::nom], "Médiathèque " + name);
  EXPECT_EQ(p->fields[Field::latitude], "47.238");
  EXPECT_EQ(p->fields[Field::longitude], "6.024");
  ASSERT_EQ(p->sources.size(), 1u);
  EXPECT_EQ(p->sources[0].source_id, "a1");
  EXPECT_EQ(p->sources[0].record[Field::adresse], "12 avenue de la Gare");
}

TEST_P(PlacesStoreTest, SameSourceRecordAgainUpdatesIt) {
  auto name = unique("src");
  auto first = save_one(source(name, "b1", "2023-05-01", 47.2390, 6.0250));
  auto again = source(name, "b1", "2024-01-10", 47.2390, 6.0250);
  again.record[Field::telephone] = "+33381000000";
  auto second = save_one(again);
  EXPECT_EQ(second.kind, SaveKind::updated);
  EXPECT_EQ(second.place_id, first.place_id);
  auto p = find(db(), first.place_id);
  EXPECT_EQ(p->sources.size(), 1u);
  EXPECT_EQ(p->fields[Field::telephone], "+33381000000");
  EXPECT_EQ(p->fields[Field::date_maj], "2024-01-10");
}

TEST_P(PlacesStoreTest, SamePlaceFromAnotherSourceKeepsBothAndNewestWins) {
  auto a = unique("a"), b = unique("b");
  auto older = source(a, "c1", "2022-01-01", 47.2400, 6.0260);
  older.record[Field::nom] = "Espace numérique " + a;  // same name in both
  older.record[Field::horaires] = "Mo-Fr 09:00-12:00";
  older.record[Field::courriels] = "vieux@exemple.fr";
  auto newer = source(b, "c1", "2023-06-01", 47.2401, 6.0261);  // about 14 m away
  newer.record[Field::nom] = "ESPACE NUMERIQUE " + a;
  newer.record[Field::horaires] = "Mo-Fr 09:00-17:00";
  auto first = save_one(older);
  auto second = save_one(newer);
  EXPECT_EQ(second.kind, SaveKind::merged);
  EXPECT_EQ(second.place_id, first.place_id);
  auto p = find(db(), first.place_id);
  ASSERT_EQ(p->sources.size(), 2u);
  EXPECT_EQ(p->fields[Field::horaires], "Mo-Fr 09:00-17:00");  // newest date_maj
  EXPECT_EQ(p->fields[Field::courriels], "vieux@exemple.fr");  // only the older source has one
  EXPECT_EQ(p->fields[Field::latitude], "47.2401");
  EXPECT_EQ(p->fields[Field::id], "c1");  // the place keeps its first identifier
}

TEST_P(PlacesStoreTest, PlaceholderPivotAndFarAwayPlacesStayApart) {
  auto a = unique("a"), b = unique("b");
  auto one = source(a, "d1", "2023-01-01", 47.3000, 6.1000);
  auto two = source(b, "d2", "2023-01-01", 47.3100, 6.1000);  // 1.1 km away, other name
  two.record[Field::adresse] = "3 rue Battant";
  auto s1 = save_one(one), s2 = save_one(two);
  EXPECT_EQ(s2.kind, SaveKind::created);
  EXPECT_NE(s1.place_id, s2.place_id);
  // The same source id in another source gets another identifier.
  auto p2 = find(db(), s2.place_id);
  EXPECT_EQ(p2->fields[Field::id], "d2");
}

TEST_P(PlacesStoreTest, IdentifiersStayUniqueAcrossSources) {
  auto a = unique("a"), b = unique("b");
  auto x = source(a, "0", "2023-01-01", 47.4000, 6.2000);
  auto y = source(b, "0", "2023-01-01", 47.5000, 6.3000);
  y.record[Field::nom] = "Autre lieu";
  auto sx = save_one(x), sy = save_one(y);
  auto px = find(db(), sx.place_id), py = find(db(), sy.place_id);
  EXPECT_NE(px->fields[Field::id], py->fields[Field::id]);
}

TEST_P(PlacesStoreTest, RecordJsonRoundTrip) {
  Record r;
  r[Field::nom] = "Lieu « test »";
  r[Field::services] = "Aide aux démarches administratives|Compréhension du monde numérique";
  EXPECT_EQ(record_from_json(record_to_json(r)).values, r.values);
}

INSTANTIATE_BACKENDS(PlacesStoreTest);

}  // namespace
