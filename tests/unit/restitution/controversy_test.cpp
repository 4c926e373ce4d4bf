// The division score of the controversy map and the ranking per theme.
#include "restitution/controversy.hpp"

#include <gtest/gtest.h>

using namespace passerelle::restitution;

TEST(DivisionScore, ZeroWhenEveryoneGoesTheSameWay) {
  EXPECT_EQ(division_score({}), 0.0);
  EXPECT_EQ(division_score({.agree = 40}), 0.0);
  EXPECT_EQ(division_score({.disagree = 12, .arguments_against = 3}), 0.0);
  EXPECT_EQ(division_score({.mixed = 30}), 0.0);  // ambivalence is not division
  EXPECT_EQ(division_score({.support = 500}), 0.0);  // supports have no opposite
}

TEST(DivisionScore, EvenSplitsByManyPeopleDivideMost) {
  // (2·min(a, d) + 2·min(for, against)) / (a + m + d + for + against + 2)
  EXPECT_DOUBLE_EQ(division_score({.agree = 1, .disagree = 1}), 2.0 / 4.0);
  EXPECT_DOUBLE_EQ(division_score({.agree = 50, .disagree = 50}), 100.0 / 102.0);
  EXPECT_DOUBLE_EQ(division_score({.agree = 6, .disagree = 4}), 8.0 / 12.0);
  EXPECT_DOUBLE_EQ(division_score({.agree = 3, .mixed = 4, .disagree = 3, .arguments_for = 2, .arguments_against = 1}), 8.0 / 15.0);
  EXPECT_LT(division_score({.agree = 1, .disagree = 1}), division_score({.agree = 50, .disagree = 50}));
  EXPECT_LT(division_score({.agree = 9, .disagree = 1}), division_score({.agree = 6, .disagree = 4}));
  // Mixed votes dilute the division; arguments can divide where votes do not (support mode).
  EXPECT_LT(division_score({.agree = 5, .mixed = 10, .disagree = 5}), division_score({.agree = 5, .disagree = 5}));
  EXPECT_GT(division_score({.support = 20, .arguments_for = 3, .arguments_against = 3}), 0.0);
  for (int a = 0; a < 30; ++a)
    for (int d = 0; d < 30; ++d) {
      double s = division_score({.agree = a, .disagree = d, .arguments_for = d, .arguments_against = a});
      EXPECT_GE(s, 0.0);
      EXPECT_LT(s, 1.0);
    }
}

TEST(RankControversies, KeepsTheMostDividingPerThemeWithStableTies) {
  std::vector<Candidate> c = {
      {10, 0, {.agree = 5, .disagree = 5}},
      {11, 0, {.agree = 10}},                  // does not divide: never listed
      {12, 0, {.agree = 2, .disagree = 2}},
      {13, 0, {.agree = 5, .disagree = 5}},    // same score and engagement as #10: the smaller number first
      {14, 1, {.arguments_for = 1, .arguments_against = 1}},
      {15, 0, {.agree = 50, .disagree = 49}},
  };
  auto r = rank_controversies(c, 3);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].contribution, 15);
  EXPECT_EQ(r[1].contribution, 10);
  EXPECT_EQ(r[2].contribution, 13);
  EXPECT_EQ(r[3].contribution, 14);
  EXPECT_EQ(r[3].theme, 1u);
  EXPECT_DOUBLE_EQ(r[0].score, division_score(c[5].balance));
  EXPECT_TRUE(rank_controversies({{1, 0, {.agree = 3}}}, 5).empty());
}
