#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/analyzer.hpp"
#include "text/minhash.hpp"
#include "text/parallel.hpp"

namespace t = passerelle::text;

namespace {

std::vector<uint64_t> word_hashes(const std::string& text) {
  t::Analyzer a;
  std::vector<t::Word> words;
  a.words(text, words);
  std::vector<uint64_t> out;
  for (const auto& w : words) out.push_back(t::hash64(w.folded));
  return out;
}

// A random "sentence" of `n` words from a vocabulary of 5,000 made-up words.
std::string random_text(t::Rng& rng, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += (i ? " " : "") + std::string("mot") + std::to_string(rng.below(5000));
  return s;
}

}  // namespace

TEST(MinHash, EstimatesJaccardOfShingleSets) {
  t::MinHashParams p;
  p.bands = 64;
  p.rows = 4;  // 256 values: a tight estimate
  t::MinHasher hasher(p);
  t::Rng rng(7);
  std::string a = random_text(rng, 200);
  std::string b = a.substr(0, a.size() / 2) + " " + random_text(rng, 100);
  std::vector<uint64_t> sa, sb;
  t::shingle_hashes(word_hashes(a), 2, sa);
  t::shingle_hashes(word_hashes(b), 2, sb);
  size_t common = 0;
  for (uint64_t x : sa) common += std::binary_search(sb.begin(), sb.end(), x);
  double exact = static_cast<double>(common) / static_cast<double>(sa.size() + sb.size() - common);
  std::vector<uint16_t> ga(p.signature_size()), gb(p.signature_size());
  hasher.signature(sa, ga.data());
  hasher.signature(sb, gb.data());
  EXPECT_NEAR(t::estimated_jaccard(ga.data(), gb.data(), p.signature_size()), exact, 0.08);
}

TEST(MinHash, LshFindsPlantedNearDuplicatesAndNothingElse) {
  t::MinHashParams p;  // the defaults the restitution uses: 20 bands of 3, threshold 0.6
  t::MinHasher hasher(p);
  t::Rng rng(3);
  std::vector<std::string> texts;
  std::vector<int> truth;
  for (int g = 0; g < 200; ++g) {
    std::string base = random_text(rng, 20 + rng.below(80));
    texts.push_back(base);
    truth.push_back(g);
    if (g % 2 == 0) {  // every other text gets 3 copies with one word changed and a case change
      for (int c = 0; c < 3; ++c) {
        std::string copy = base;
        size_t space = copy.find(' ', rng.below(copy.size() - 1));
        if (space != std::string::npos) copy.insert(space, " autre");
        copy[0] = static_cast<char>(std::toupper(copy[0]));
        texts.push_back(copy);
        truth.push_back(g);
      }
    }
  }
  std::vector<uint16_t> sigs(texts.size() * p.signature_size());
  std::vector<uint64_t> sh;
  for (size_t i = 0; i < texts.size(); ++i) {
    t::shingle_hashes(word_hashes(texts[i]), p.shingle_words, sh);
    hasher.signature(sh, sigs.data() + i * p.signature_size());
  }
  auto groups1 = t::near_duplicate_groups(sigs, texts.size(), {}, p, 1);
  auto groups2 = t::near_duplicate_groups(sigs, texts.size(), {}, p, 2);
  EXPECT_EQ(groups1, groups2);
  size_t true_pairs = 0, found_pairs = 0, good_pairs = 0;
  for (size_t i = 0; i < texts.size(); ++i)
    for (size_t j = i + 1; j < texts.size(); ++j) {
      bool same_truth = truth[i] == truth[j], same_found = groups1[i] == groups1[j];
      true_pairs += same_truth;
      found_pairs += same_found;
      good_pairs += same_truth && same_found;
    }
  ASSERT_GT(true_pairs, 0u);
  EXPECT_GE(static_cast<double>(good_pairs) / true_pairs, 0.95);   // recall
  EXPECT_GE(static_cast<double>(good_pairs) / found_pairs, 0.95);  // precision
}

TEST(MinHash, BlocksKeepGroupsApart) {
  t::MinHashParams p;
  t::MinHasher hasher(p);
  std::vector<uint64_t> sh;
  t::shingle_hashes(word_hashes("le même texte recopié mot pour mot dans deux questions différentes du débat"), 2, sh);
  std::vector<uint16_t> sigs(2 * p.signature_size());
  hasher.signature(sh, sigs.data());
  hasher.signature(sh, sigs.data() + p.signature_size());
  EXPECT_EQ(t::near_duplicate_groups(sigs, 2, {}, p, 1)[1], 0u);
  EXPECT_EQ(t::near_duplicate_groups(sigs, 2, {0, 1}, p, 1)[1], 1u);
}
