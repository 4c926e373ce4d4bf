#include <gtest/gtest.h>

#include "restitution/engine.hpp"
#include "restitution/model.hpp"
#include "text/keywords.hpp"
#include "text/tfidf.hpp"

namespace t = passerelle::text;
namespace r = passerelle::restitution;

TEST(Keywords, DistinctiveTermsBeatCommonOnes) {
  // Term 0 is everywhere; 1 is in cluster 0 only; 2 in cluster 1 only.
  t::TermCounts tc;
  std::vector<uint32_t> labels;
  for (int i = 0; i < 10; ++i) {
    std::vector<uint32_t> terms = {0, static_cast<uint32_t>(i < 5 ? 1 : 2)};
    std::vector<uint16_t> counts = {1, 1};
    tc.add(terms, counts);
    labels.push_back(i < 5 ? 0 : 1);
  }
  auto model = t::fit_tfidf(tc, {}, {1, 1.0, 100});
  std::vector<uint32_t> rows(10);
  for (uint32_t i = 0; i < 10; ++i) rows[i] = i;
  auto m = t::tfidf_vectors(tc, rows, model);
  auto terms = t::distinctive_terms(m, labels, 2, 5, 2);
  ASSERT_EQ(terms.size(), 2u);
  ASSERT_FALSE(terms[0].empty());
  EXPECT_EQ(model.terms[terms[0][0].column], 1u);
  EXPECT_EQ(model.terms[terms[1][0].column], 2u);
  for (const auto& s : terms[0]) EXPECT_NE(model.terms[s.column], 0u);  // scores 0: left out
}

TEST(Keywords, ASingleClusterRanksItsTermsByUse) {
  // One cluster of every row (a small group has one theme): no contrast, so the terms used by
  // most of its documents come first, rather than none at all.
  t::TermCounts tc;
  for (int i = 0; i < 6; ++i) {
    std::vector<uint32_t> terms = {0, static_cast<uint32_t>(i < 4 ? 1 : 2)};
    std::vector<uint16_t> counts = {1, 1};
    tc.add(terms, counts);
  }
  auto model = t::fit_tfidf(tc, {}, {1, 1.0, 100});
  std::vector<uint32_t> rows(6), labels(6, 0);
  for (uint32_t i = 0; i < 6; ++i) rows[i] = i;
  auto terms = t::distinctive_terms(t::tfidf_vectors(tc, rows, model), labels, 1, 5, 2);
  ASSERT_EQ(terms.size(), 1u);
  ASSERT_EQ(terms[0].size(), 3u);
  EXPECT_EQ(model.terms[terms[0][0].column], 0u);  // in 6 of 6
  EXPECT_EQ(model.terms[terms[0][1].column], 1u);  // in 4
  EXPECT_EQ(model.terms[terms[0][2].column], 2u);  // in 2
}

TEST(Keywords, ThemeLabelsAreRealWordsNotStems) {
  // Two clear themes; labels must show "numérique"/"écoles", never the stems "numer"/"ecol".
  r::Corpus corpus;
  const char* a[] = {"Le numérique à l'école doit être enseigné avec des ordinateurs numériques",
                     "Former les enseignants au numérique et équiper chaque école",
                     "Des tablettes numériques pour les écoles rurales et le numérique partout"};
  const char* b[] = {"Les retraites des agriculteurs sont trop basses pour vivre dignement",
                     "Augmenter les petites retraites et la retraite agricole",
                     "La retraite minimum doit permettre de vivre, pensions de retraite indexées"};
  for (int i = 0; i < 40; ++i) {
    r::Contribution c;
    c.id = std::to_string(i);
    c.text = i % 2 ? a[i % 3] : b[i % 3];
    c.text += " " + std::to_string(i);
    corpus.items.push_back(c);
  }
  r::Parameters p;
  p.themes = 2;
  p.campaign_min_words = 1000;  // no campaigns: every text is its own unit
  auto result = r::run(corpus, p);
  ASSERT_EQ(result.themes.size(), 2u);
  std::string labels = result.themes[0].label + " | " + result.themes[1].label;
  EXPECT_NE(labels.find("numérique"), std::string::npos) << labels;
  EXPECT_NE(labels.find("retraite"), std::string::npos) << labels;
  EXPECT_EQ(labels.find("numer,"), std::string::npos) << labels;
}
