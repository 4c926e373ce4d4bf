#include "text/keywords.hpp"

#include <algorithm>
#include <cmath>

namespace passerelle::text {

std::vector<std::vector<ScoredTerm>> distinctive_terms(const SparseMatrix& m, const std::vector<uint32_t>& labels,
                                                       unsigned k, size_t top, uint32_t min_documents) {
  std::vector<std::vector<ScoredTerm>> result(k);
  if (k == 0 || m.dims == 0) return result;
  std::vector<uint32_t> df(m.dims, 0), df_cluster(static_cast<size_t>(m.dims) * k, 0);
  std::vector<size_t> sizes(k, 0);
  for (size_t r = 0; r < m.rows(); ++r) {
    uint32_t c = labels[r];
    ++sizes[c];
    for (size_t i = m.offsets[r]; i < m.offsets[r + 1]; ++i) {
      ++df[m.columns[i]];
      ++df_cluster[static_cast<size_t>(m.columns[i]) * k + c];
    }
  }
  double n = static_cast<double>(m.rows());
  for (unsigned c = 0; c < k; ++c) {
    if (sizes[c] == 0) continue;
    std::vector<ScoredTerm> scored;
    for (uint32_t t = 0; t < m.dims; ++t) {
      uint32_t in = df_cluster[static_cast<size_t>(t) * k + c];
      if (in < min_documents) continue;
      double pc = in / static_cast<double>(sizes[c]), p = df[t] / n;
      // A cluster of every row (a group with one theme) has nothing to stand out from: its
      // terms rank by how many of its documents use them, else it would have no label at all.
      double s = sizes[c] == m.rows() ? pc : pc * std::log(pc / p);
      if (s > 0) scored.push_back({t, s, in});
    }
    std::sort(scored.begin(), scored.end(), [](const ScoredTerm& a, const ScoredTerm& b) {
      return a.score != b.score ? a.score > b.score : a.column < b.column;
    });
    if (scored.size() > top) scored.resize(top);
    result[c] = std::move(scored);
  }
  return result;
}

}  // namespace passerelle::text
