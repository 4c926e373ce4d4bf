#include "search/postings.hpp"

#include <gtest/gtest.h>

#include <random>

#include "search/spelling.hpp"

namespace passerelle::search::detail {
namespace {

TEST(PostingList, CursorFindsEveryPostingAndSkipsBlocks) {
  PostingList list;
  std::vector<std::pair<uint32_t, uint32_t>> expected;
  std::mt19937 rng(3);
  uint32_t docid = 0;
  for (int i = 0; i < 5000; ++i) {
    docid += 1 + rng() % (i % 700 == 0 ? 100000 : 20);  // sometimes a big jump, a varint of 3 bytes
    uint32_t freq = 1 + rng() % 300;
    list.append(docid, freq);
    expected.emplace_back(docid, freq);
  }
  EXPECT_EQ(list.size(), 5000u);
  std::vector<std::pair<uint32_t, uint32_t>> seen;
  list.each([&](uint32_t d, uint32_t f) { seen.emplace_back(d, f); });
  EXPECT_EQ(seen, expected);
  // Seeking every third posting's docid, then targets between postings.
  PostingList::Cursor cursor(list);
  uint32_t d = 0, f = 0;
  for (size_t i = 0; i < expected.size(); i += 3) {
    ASSERT_TRUE(cursor.seek(expected[i].first, d, f));
    EXPECT_EQ(d, expected[i].first);
    EXPECT_EQ(f, expected[i].second);
  }
  PostingList::Cursor between(list);
  for (size_t i = 1; i < expected.size(); i += 97) {
    if (expected[i].first == expected[i - 1].first + 1) continue;
    ASSERT_TRUE(between.seek(expected[i - 1].first + 1, d, f));
    EXPECT_EQ(d, expected[i].first);
  }
  EXPECT_FALSE(between.seek(docid + 1, d, f));
}

TEST(PostingList, SaveLoadAndRefuseDamage) {
  PostingList list;
  for (uint32_t d = 1; d < 1000; d += 7) list.append(d, d % 5 + 1);
  std::string bytes;
  list.save(bytes);
  PostingList back;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  ASSERT_TRUE(back.load(p, p + bytes.size()));
  EXPECT_EQ(back.size(), list.size());
  EXPECT_EQ(back.last_docid(), list.last_docid());
  // Cut short, or a count that does not match the postings: refused.
  p = reinterpret_cast<const uint8_t*>(bytes.data());
  EXPECT_FALSE(back.load(p, p + bytes.size() - 1));
  std::string wrong = bytes;
  wrong[0] = static_cast<char>(wrong[0] + 1);
  p = reinterpret_cast<const uint8_t*>(wrong.data());
  EXPECT_FALSE(back.load(p, p + wrong.size()));
}

TEST(PostingList, FilteredDropsDeadDocuments) {
  PostingList list;
  for (uint32_t d = 1; d <= 300; ++d) list.append(d, 1);
  auto even = list.filtered([](uint32_t d) { return d % 2 == 0; });
  EXPECT_EQ(even.size(), 150u);
  uint32_t count = 0;
  even.each([&](uint32_t d, uint32_t) {
    EXPECT_EQ(d % 2, 0u);
    ++count;
  });
  EXPECT_EQ(count, 150u);
}

TEST(Spelling, DistanceCountsTranspositionsOnceAndStopsEarly) {
  auto u = [](const char* s) { return to_u32(s); };
  EXPECT_EQ(bounded_distance(u("numerique"), u("numerique"), 2), 0u);
  EXPECT_EQ(bounded_distance(u("numerrique"), u("numerique"), 2), 1u);
  EXPECT_EQ(bounded_distance(u("nuemrique"), u("numerique"), 2), 1u);  // transposition
  EXPECT_EQ(bounded_distance(u("numrq"), u("numerique"), 2), 3u);      // over the bound: max + 1
  EXPECT_EQ(bounded_distance(u("é"), u("e"), 2), 1u);                   // code points, not bytes
}

TEST(Spelling, NearFindsFoldedNeighboursAndForgets) {
  Spelling s;
  s.set(0, "numérique");
  s.set(1, "médiation");
  s.set(2, "musique");
  auto near = s.near("numerrique", 2);
  ASSERT_EQ(near.size(), 1u);
  EXPECT_EQ(near[0].second, 0u);
  s.set(0, "");
  EXPECT_TRUE(s.near("numerrique", 2).empty());
  s.set(0, "numériques");  // another length: another bucket
  EXPECT_EQ(s.near("numerique", 2).size(), 1u);
}

TEST(SurfaceForms, TheMostFrequentFormWins) {
  SurfaceForms f;
  f.add("Numérique");
  f.add("numérique");
  f.add("numérique");
  f.add("numériques");
  EXPECT_EQ(f.best(), "numérique");
  for (int i = 0; i < 5; ++i) f.add(std::to_string(i));  // full: rare forms give way
  EXPECT_LE(f.forms.size(), SurfaceForms::kKept);
  EXPECT_EQ(f.best(), "numérique");
}

}  // namespace
}  // namespace passerelle::search::detail
