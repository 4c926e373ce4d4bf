#include "text/tfidf.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace passerelle::text {

void TermCounts::add(std::span<const uint32_t> sorted_terms, std::span<const uint16_t> term_counts) {
  terms.insert(terms.end(), sorted_terms.begin(), sorted_terms.end());
  counts.insert(counts.end(), term_counts.begin(), term_counts.end());
  offsets.push_back(terms.size());
}

TfidfModel fit_tfidf(const TermCounts& docs, const std::vector<uint32_t>& rows, const TfidfParams& params) {
  std::unordered_map<uint32_t, uint32_t> df;
  auto count_doc = [&](size_t d) {
    for (size_t i = docs.offsets[d]; i < docs.offsets[d + 1]; ++i) ++df[docs.terms[i]];
  };
  size_t n = rows.empty() ? docs.size() : rows.size();
  if (rows.empty())
    for (size_t d = 0; d < docs.size(); ++d) count_doc(d);
  else
    for (uint32_t d : rows) count_doc(d);
  std::vector<std::pair<uint32_t, uint32_t>> kept;  // (df, term)
  double max_df = params.max_df * static_cast<double>(n);
  for (auto [term, count] : df)
    if (count >= params.min_df && (n < 10 || count <= max_df)) kept.emplace_back(count, term);
  // Most frequent first, ties by term id: the same vocabulary whatever the hash map's order.
  std::sort(kept.begin(), kept.end(), [](auto a, auto b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  if (kept.size() > params.max_terms) kept.resize(params.max_terms);
  std::sort(kept.begin(), kept.end(), [](auto a, auto b) { return a.second < b.second; });  // columns in term order
  TfidfModel model;
  model.documents = n;
  for (auto [count, term] : kept) {
    model.terms.push_back(term);
    model.df.push_back(count);
    model.idf.push_back(static_cast<float>(std::log((1.0 + n) / (1.0 + count)) + 1.0));
  }
  return model;
}

SparseMatrix tfidf_vectors(const TermCounts& docs, const std::vector<uint32_t>& rows, const TfidfModel& model) {
  SparseMatrix m;
  m.dims = static_cast<uint32_t>(model.terms.size());
  std::unordered_map<uint32_t, uint32_t> column;
  column.reserve(model.terms.size() * 2);
  for (uint32_t c = 0; c < model.terms.size(); ++c) column.emplace(model.terms[c], c);
  m.offsets.reserve(rows.size() + 1);
  for (uint32_t d : rows) {
    size_t start = m.columns.size();
    double norm = 0;
    for (size_t i = docs.offsets[d]; i < docs.offsets[d + 1]; ++i) {
      auto it = column.find(docs.terms[i]);
      if (it == column.end()) continue;
      float w = static_cast<float>((1.0 + std::log(static_cast<double>(docs.counts[i]))) * model.idf[it->second]);
      m.columns.push_back(it->second);
      m.values.push_back(w);
      norm += static_cast<double>(w) * w;
    }
    if (norm > 0) {
      float inv = static_cast<float>(1.0 / std::sqrt(norm));
      for (size_t i = start; i < m.values.size(); ++i) m.values[i] *= inv;
    }
    m.offsets.push_back(m.columns.size());
  }
  return m;
}

}  // namespace passerelle::text
