#pragma once
// Distinctive terms of clusters: a term scores p_c · ln(p_c / p), where p_c is the share of the
// cluster's documents that use it and p the share of all documents (its contribution to the
// Kullback-Leibler divergence of the cluster from the whole). Frequent in the cluster AND rarer
// elsewhere ranks first; a term used everywhere scores about 0.
#include <cstdint>
#include <vector>

#include "text/tfidf.hpp"

namespace passerelle::text {

struct ScoredTerm {
  uint32_t column = 0;
  double score = 0;
  uint32_t documents = 0;  // documents of the cluster that use it
};

// For each cluster of `labels` (one per row of m), up to `top` columns, best first. A term must
// be used by at least `min_documents` documents of the cluster. A cluster of every row ranks its
// terms by the share of its documents that use them.
std::vector<std::vector<ScoredTerm>> distinctive_terms(const SparseMatrix& m, const std::vector<uint32_t>& labels,
                                                       unsigned k, size_t top, uint32_t min_documents = 2);

}  // namespace passerelle::text
