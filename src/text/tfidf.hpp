#pragma once
// TF-IDF vectors for clustering: sublinear term frequency (1 + ln tf) times smoothed inverse
// document frequency ln((1 + n) / (1 + df)) + 1, rows normalised to unit length (cosine geometry).
// Terms used by fewer than min_df documents or by more than max_df of them are left out, and at
// most max_terms terms (the most frequent) are kept.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace passerelle::text {

// Rows of (column, weight) pairs, rows stored one after the other.
struct SparseMatrix {
  std::vector<size_t> offsets{0};  // row r is [offsets[r], offsets[r + 1])
  std::vector<uint32_t> columns;
  std::vector<float> values;
  uint32_t dims = 0;
  size_t rows() const { return offsets.size() - 1; }
};

// Documents as sorted (term id, count) lists.
struct TermCounts {
  std::vector<size_t> offsets{0};
  std::vector<uint32_t> terms;
  std::vector<uint16_t> counts;
  size_t size() const { return offsets.size() - 1; }
  void add(std::span<const uint32_t> sorted_terms, std::span<const uint16_t> term_counts);
};

struct TfidfParams {
  size_t min_df = 2;
  double max_df = 0.5;
  size_t max_terms = 20000;
};

struct TfidfModel {
  std::vector<uint32_t> terms;  // column → term id of the input
  std::vector<uint32_t> df;     // per column
  std::vector<float> idf;       // per column
  size_t documents = 0;
};

// Fits on the documents `rows` of `docs` (all when empty).
TfidfModel fit_tfidf(const TermCounts& docs, const std::vector<uint32_t>& rows, const TfidfParams& params);
// The vectors of `rows`, in that order; a document with no kept term gives an empty row.
SparseMatrix tfidf_vectors(const TermCounts& docs, const std::vector<uint32_t>& rows, const TfidfModel& model);

}  // namespace passerelle::text
