#pragma once
// Near-duplicate detection: MinHash signatures over word shingles and locality-sensitive hashing
// (banding), as in Broder (1997) and Leskovec, Rajaraman & Ullman, "Mining of Massive Datasets",
// ch. 3. No I/O; deterministic for a given seed.
//
// A signature has bands × rows values; two texts become candidates when all the rows of one
// band agree, which happens with probability 1 − (1 − J^rows)^bands for a Jaccard similarity J
// between their shingle sets. Candidates are then kept only if the share of equal values in
// the whole signature (an unbiased estimate of J) reaches the threshold.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace passerelle::text {

struct MinHashParams {
  unsigned shingle_words = 2;  // shingles are runs of this many consecutive words
  unsigned bands = 20;
  unsigned rows = 3;           // signature length = bands × rows
  double threshold = 0.6;      // estimated Jaccard similarity needed to join two texts
  uint64_t seed = 1;
  unsigned signature_size() const { return bands * rows; }
};

// Hashes of the word shingles of a text given as a sequence of word hashes (folded words,
// stop words included). A text shorter than one shingle gives one shingle of all its words.
void shingle_hashes(const std::vector<uint64_t>& word_hashes, unsigned shingle_words, std::vector<uint64_t>& out);

class MinHasher {
 public:
  explicit MinHasher(const MinHashParams& params);
  // Writes signature_size() values into `signature`. An empty set gives all values at max.
  // Each value keeps the 16 high bits of a 32-bit minimum (b-bit MinHash, Li & König 2010):
  // half the memory, and a chance agreement of 2^-16 that barely moves the estimate.
  void signature(const std::vector<uint64_t>& shingles, uint16_t* signature) const;
  const MinHashParams& params() const { return params_; }

 private:
  MinHashParams params_;
  std::vector<uint32_t> mul_, add_;  // one universal hash function per signature row
};

// Share of equal values between two signatures: the estimate of the Jaccard similarity.
double estimated_jaccard(const uint16_t* a, const uint16_t* b, unsigned size);

// Groups the items whose signatures (`count` × params.signature_size() values, contiguous) are
// near-duplicates, by LSH candidates verified against the threshold and merged transitively.
// `same_block(a, b)` may forbid pairs (e.g. items of different questions); items are only
// compared within the same block id. Returns, for each item, the smallest index of its group.
// `threads` ≥ 1; the result does not depend on it.
std::vector<uint32_t> near_duplicate_groups(const std::vector<uint16_t>& signatures, size_t count,
                                            const std::vector<uint32_t>& block_of, const MinHashParams& params,
                                            unsigned threads);

// 64-bit hash of bytes (FNV-1a followed by a strong finaliser), stable across platforms.
uint64_t hash64(std::string_view bytes, uint64_t seed = 0);
uint64_t mix64(uint64_t x);

}  // namespace passerelle::text
