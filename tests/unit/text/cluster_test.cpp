#include <gtest/gtest.h>

#include <set>

#include "text/cluster.hpp"
#include "text/parallel.hpp"
#include "text/tfidf.hpp"

namespace t = passerelle::text;

namespace {

// `groups` topics of 12 terms each; every document uses 8 terms of its topic and 2 common ones.
t::TermCounts topics(size_t docs, unsigned groups, uint64_t seed, std::vector<uint32_t>& truth) {
  t::TermCounts tc;
  t::Rng rng(seed);
  for (size_t d = 0; d < docs; ++d) {
    unsigned g = static_cast<unsigned>(d % groups);
    truth.push_back(g);
    std::set<uint32_t> terms;
    while (terms.size() < 8) terms.insert(1000 + g * 12 + static_cast<uint32_t>(rng.below(12)));
    terms.insert(static_cast<uint32_t>(rng.below(20)));
    terms.insert(static_cast<uint32_t>(rng.below(20)));
    std::vector<uint32_t> v(terms.begin(), terms.end());
    std::vector<uint16_t> c(v.size(), 1);
    tc.add(v, c);
  }
  return tc;
}

t::SparseMatrix vectors(const t::TermCounts& tc) {
  auto model = t::fit_tfidf(tc, {}, {});
  std::vector<uint32_t> rows(tc.size());
  for (uint32_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return t::tfidf_vectors(tc, rows, model);
}

}  // namespace

TEST(Cluster, KMeansIsDeterministicAndThreadIndependent) {
  std::vector<uint32_t> truth;
  auto m = vectors(topics(9000, 5, 1, truth));  // more than two parallel blocks
  t::KMeansParams p{5, 25, 42, 1};
  auto one = t::spherical_kmeans(m, {}, p);
  auto again = t::spherical_kmeans(m, {}, p);
  p.threads = 2;
  auto two = t::spherical_kmeans(m, {}, p);
  EXPECT_EQ(one.labels, again.labels);
  EXPECT_EQ(one.labels, two.labels);
  EXPECT_EQ(one.centroids, two.centroids);  // bit for bit
  p.seed = 43;
  auto other = t::spherical_kmeans(m, {}, p);
  EXPECT_EQ(other.k, 5u);
}

TEST(Cluster, KMeansRecoversClearTopics) {
  std::vector<uint32_t> truth;
  auto m = vectors(topics(1000, 4, 2, truth));
  auto km = t::spherical_kmeans(m, {}, {4, 25, 1, 1});
  // Every cluster is pure: all its documents share the true topic.
  std::vector<std::set<uint32_t>> topics_of(4);
  for (size_t i = 0; i < truth.size(); ++i) topics_of[km.labels[i]].insert(truth[i]);
  for (const auto& s : topics_of) EXPECT_EQ(s.size(), 1u);
}

TEST(Cluster, SilhouettePicksTheNumberOfTopics) {
  for (unsigned groups : {3u, 6u}) {
    std::vector<uint32_t> truth;
    auto m = vectors(topics(1200, groups, 5, truth));
    std::vector<uint32_t> all(m.rows()), sample;
    for (uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    for (uint32_t i = 0; i < all.size(); i += 7) sample.push_back(i);  // 7: every topic sampled
    auto choice = t::choose_k(m, all, sample, 2, 9, {0, 25, 1, 1});
    std::string scores;
    for (auto [k, sil] : choice.silhouettes) scores += std::to_string(k) + ":" + std::to_string(sil) + " ";
    EXPECT_EQ(choice.k, groups) << scores;
    EXPECT_EQ(choice.silhouettes.size(), 8u);
  }
}

TEST(Cluster, SilhouetteOfPerfectAndRandomLabels) {
  // Two tight pairs far apart: silhouette near 1; swapped labels: negative.
  std::vector<float> d = {0, 0.1f, 1, 1, 0.1f, 0, 1, 1, 1, 1, 0, 0.1f, 1, 1, 0.1f, 0};
  EXPECT_GT(t::mean_silhouette(d, {0, 0, 1, 1}, 2), 0.85);
  EXPECT_LT(t::mean_silhouette(d, {0, 1, 0, 1}, 2), 0.0);
}
