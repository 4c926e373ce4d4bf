// Keyset anchors give exactly the pages OFFSET gives, on both backends, before and after writes.
#include "platform/db/keyset.hpp"

#include <gtest/gtest.h>

#include <random>

#include "support/scratch_database.hpp"

namespace db = passerelle::db;
using passerelle::testing::BackendTest;

namespace {

class KeysetTest : public BackendTest {
 protected:
  std::string table_;

  void SetUp() override {
    BackendTest::SetUp();
    table_ = unique("k");
    for (char& c : table_)
      if (c == '-') c = '_';
    std::mt19937 rng(7);
    db().transaction([&](db::Connection& c) {
      c.exec("CREATE TABLE " + table_ + " (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, score INTEGER NOT NULL)");
      c.exec("CREATE INDEX " + table_ + "_score ON " + table_ + " (grp, (score * 2), id)");
      // 1,234 rows in group 1 with many ties (scores 0..49), a few in group 2.
      for (int i = 1; i <= 1300; ++i)
        c.exec("INSERT INTO " + table_ + " (id, grp, score) VALUES (?, ?, ?)", {i, i <= 1234 ? 1 : 2, static_cast<int>(rng() % 50)});
    });
  }

  std::vector<db::KeysetSegment> walk(bool descending, bool split) {
    std::string from = "FROM " + table_ + " t WHERE t.grp = ?";
    if (!split) return {{from, {1}, {"(t.score * 2)", "t.id"}, descending}};
    // Two segments, as the random order walks: from a point of the key to the end, then the rest.
    if (!descending)
      return {{from, {1}, {"(t.score * 2)", "t.id"}, false, 40, std::nullopt}, {from, {1}, {"(t.score * 2)", "t.id"}, false, std::nullopt, 40}};
    // Descending: scores from 19 down first (key ≤ 38), then those above.
    return {{from, {1}, {"(t.score * 2)", "t.id"}, true, 38, std::nullopt}, {from, {1}, {"(t.score * 2)", "t.id"}, true, std::nullopt, 38}};
  }

  // What OFFSET gives for the same walk.
  std::vector<int64_t> expected(bool descending, bool split, int64_t offset, int64_t limit) {
    std::string dir = descending ? " DESC" : " ASC";
    // Split: ascending, scores from 20 on, then below; descending, scores up to 19, then above.
    std::string first_part = descending ? "t.score <= 19" : "t.score >= 20";
    std::string order = " ORDER BY " + std::string(split ? "CASE WHEN " + first_part + " THEN 0 ELSE 1 END, " : "") + "(t.score * 2)" + dir + ", t.id" + dir;
    std::vector<int64_t> ids;
    for (auto r : db().read()->query("SELECT t.id FROM " + table_ + " t WHERE t.grp = ?" + order + " LIMIT ? OFFSET ?", {1, limit, offset}))
      ids.push_back(r.int64(0));
    return ids;
  }

  void expect_every_page(const std::string& when) {
    for (bool descending : {true, false})
      for (bool split : {false, true})
        for (int64_t offset : {0, 1, 99, 100, 101, 250, 777, 1199, 1200, 1215, 1230, 1234, 5000}) {
          auto conn = db().read();
          EXPECT_EQ(db::keyset_page(db(), *conn, walk(descending, split), offset, 20), expected(descending, split, offset, 20))
              << when << ", descending " << descending << ", split " << split << ", offset " << offset;
        }
  }
};

TEST_P(KeysetTest, PagesAreThoseOfOffsetAtAnyDepthAndAcrossSegments) {
  expect_every_page("first reading");
  expect_every_page("second reading, from the anchors");
}

TEST_P(KeysetTest, AWriteDropsTheAnchors) {
  expect_every_page("before the writes");
  db().transaction([&](db::Connection& c) {
    c.exec("UPDATE " + table_ + " SET score = 49 - score WHERE id % 3 = 0");
    c.exec("DELETE FROM " + table_ + " WHERE id % 17 = 0");
  });
  expect_every_page("after the writes");
}

TEST_P(KeysetTest, AnEmptyWalkHasNoPage) {
  auto conn = db().read();
  std::vector<db::KeysetSegment> none{{"FROM " + table_ + " t WHERE t.grp = ?", {3}, {"(t.score * 2)", "t.id"}, true}};
  EXPECT_TRUE(db::keyset_page(db(), *conn, none, 500, 20).empty());
  EXPECT_TRUE(db::keyset_page(db(), *conn, none, 0, 20).empty());
}

INSTANTIATE_BACKENDS(KeysetTest);

}  // namespace
