#include "text/cluster.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "text/parallel.hpp"

namespace passerelle::text {
namespace {

// cos(row, centroid c) for every c, written into `out` (k values).
inline void dots(const SparseMatrix& m, size_t row, const float* centroids, unsigned k, float* out) {
  std::fill(out, out + k, 0.0f);
  for (size_t i = m.offsets[row]; i < m.offsets[row + 1]; ++i) {
    const float* c = centroids + static_cast<size_t>(m.columns[i]) * k;
    float v = m.values[i];
    for (unsigned j = 0; j < k; ++j) out[j] += v * c[j];
  }
}

inline float row_dot(const SparseMatrix& m, size_t a, const std::vector<float>& dense_b) {
  float s = 0;
  for (size_t i = m.offsets[a]; i < m.offsets[a + 1]; ++i) s += m.values[i] * dense_b[m.columns[i]];
  return s;
}

inline bool empty_row(const SparseMatrix& m, size_t r) { return m.offsets[r] == m.offsets[r + 1]; }

void set_centroid_from_row(const SparseMatrix& m, size_t row, unsigned k, unsigned c, std::vector<float>& centroids) {
  for (uint32_t t = 0; t < m.dims; ++t) centroids[static_cast<size_t>(t) * k + c] = 0;
  for (size_t i = m.offsets[row]; i < m.offsets[row + 1]; ++i) centroids[static_cast<size_t>(m.columns[i]) * k + c] = m.values[i];
}

}  // namespace

KMeans spherical_kmeans(const SparseMatrix& m, const std::vector<uint32_t>& training_in, const KMeansParams& params) {
  std::vector<uint32_t> training = training_in;
  if (training.empty())
    for (uint32_t r = 0; r < m.rows(); ++r) training.push_back(r);
  std::vector<uint32_t> usable;
  for (uint32_t r : training)
    if (!empty_row(m, r)) usable.push_back(r);
  KMeans model;
  model.dims = m.dims;
  unsigned k = std::max(1u, std::min<unsigned>(params.k, static_cast<unsigned>(std::max<size_t>(usable.size(), 1))));
  model.k = k;
  model.centroids.assign(static_cast<size_t>(m.dims) * k, 0.0f);
  model.labels.assign(training.size(), 0);
  if (usable.empty() || m.dims == 0) return model;

  // k-means++ seeding with distance 1 − cos.
  Rng rng(params.seed * 0x2545F4914F6CDD1DULL + k);
  std::vector<double> best_sim(usable.size(), -1.0);
  std::vector<float> dense(m.dims, 0.0f);
  size_t first = rng.below(usable.size());
  std::vector<size_t> chosen{first};
  for (unsigned c = 0; c < k; ++c) {
    size_t pick = chosen.back();
    set_centroid_from_row(m, usable[pick], k, c, model.centroids);
    std::fill(dense.begin(), dense.end(), 0.0f);
    for (size_t i = m.offsets[usable[pick]]; i < m.offsets[usable[pick] + 1]; ++i) dense[m.columns[i]] = m.values[i];
    double total = 0;
    for (size_t u = 0; u < usable.size(); ++u) {
      best_sim[u] = std::max(best_sim[u], static_cast<double>(row_dot(m, usable[u], dense)));
      double d = std::max(0.0, 1.0 - best_sim[u]);
      total += d * d;
    }
    if (c + 1 == k) break;
    size_t next = 0;
    if (total <= 0) {
      next = rng.below(usable.size());
    } else {
      double target = rng.uniform() * total, acc = 0;
      for (size_t u = 0; u < usable.size(); ++u) {
        double d = std::max(0.0, 1.0 - best_sim[u]);
        acc += d * d;
        if (acc >= target) {
          next = u;
          break;
        }
      }
    }
    chosen.push_back(next);
  }

  // Lloyd iterations on the usable rows; partial sums per fixed block, reduced in block order.
  std::vector<uint32_t> labels(usable.size(), UINT32_MAX);
  std::vector<float> sims(usable.size(), 0.0f);
  size_t blocks = block_count(usable.size());
  size_t width = static_cast<size_t>(m.dims) * k;
  for (unsigned it = 0; it < params.iterations; ++it) {
    std::vector<size_t> changes(blocks, 0);
    parallel_blocks(blocks, params.threads, [&](size_t b) {
      std::vector<float> out(k);
      size_t end = std::min(usable.size(), (b + 1) * parallel_block);
      for (size_t u = b * parallel_block; u < end; ++u) {
        dots(m, usable[u], model.centroids.data(), k, out.data());
        uint32_t best = 0;
        for (unsigned c = 1; c < k; ++c)
          if (out[c] > out[best]) best = c;
        if (labels[u] != best) ++changes[b];
        labels[u] = best;
        sims[u] = out[best];
      }
    });
    model.iterations = it + 1;
    size_t changed = 0;
    for (size_t c : changes) changed += c;
    // Converged when fewer than one row in a thousand moves (the last moves change nothing a
    // reader would see, and cost full passes).
    if (it > 0 && changed * 1000 <= usable.size()) break;
    std::vector<double> sums(width, 0.0);
    std::vector<size_t> sizes(k, 0);
    {
      // Blocks of the update are summed one after the other (memory: one partial at a time).
      // With one block, the partial is the sum itself (no dims × k copy per iteration).
      std::vector<double> partial;
      for (size_t b = 0; b < blocks; ++b) {
        std::vector<double>& target = blocks == 1 ? sums : partial;
        if (blocks > 1) partial.assign(width, 0.0);
        size_t end = std::min(usable.size(), (b + 1) * parallel_block);
        for (size_t u = b * parallel_block; u < end; ++u) {
          unsigned c = labels[u];
          ++sizes[c];
          for (size_t i = m.offsets[usable[u]]; i < m.offsets[usable[u] + 1]; ++i)
            target[static_cast<size_t>(m.columns[i]) * k + c] += m.values[i];
        }
        if (blocks > 1)
          for (size_t i = 0; i < width; ++i) sums[i] += partial[i];
      }
    }
    // An empty cluster takes the row farthest from its centroid (deterministic: first such row).
    std::vector<char> taken(usable.size(), 0);
    for (unsigned c = 0; c < k; ++c) {
      if (sizes[c] > 0) continue;
      size_t worst = SIZE_MAX;
      for (size_t u = 0; u < usable.size(); ++u)
        if (!taken[u] && sizes[labels[u]] > 1 && (worst == SIZE_MAX || sims[u] < sims[worst])) worst = u;
      if (worst == SIZE_MAX) continue;
      taken[worst] = 1;
      --sizes[labels[worst]];
      for (size_t i = m.offsets[usable[worst]]; i < m.offsets[usable[worst] + 1]; ++i) {
        sums[static_cast<size_t>(m.columns[i]) * k + labels[worst]] -= m.values[i];
        sums[static_cast<size_t>(m.columns[i]) * k + c] += m.values[i];
      }
      labels[worst] = c;
      sizes[c] = 1;
    }
    std::vector<double> norms(k, 0.0);
    for (size_t t = 0; t < m.dims; ++t)
      for (unsigned c = 0; c < k; ++c) norms[c] += sums[t * k + c] * sums[t * k + c];
    for (unsigned c = 0; c < k; ++c) norms[c] = norms[c] > 0 ? 1.0 / std::sqrt(norms[c]) : 0.0;
    for (size_t t = 0; t < m.dims; ++t)
      for (unsigned c = 0; c < k; ++c) model.centroids[t * k + c] = static_cast<float>(sums[t * k + c] * norms[c]);
  }
  // Final labels of every training row (empty rows: cluster 0).
  std::vector<float> out(k);
  double cohesion = 0;
  for (size_t i = 0; i < training.size(); ++i) {
    if (empty_row(m, training[i])) continue;
    dots(m, training[i], model.centroids.data(), k, out.data());
    uint32_t best = 0;
    for (unsigned c = 1; c < k; ++c)
      if (out[c] > out[best]) best = c;
    model.labels[i] = best;
    cohesion += out[best];
  }
  model.cohesion = cohesion / static_cast<double>(usable.size());
  return model;
}

void assign_nearest(const SparseMatrix& m, const KMeans& model, unsigned threads, std::vector<uint32_t>& labels,
                    std::vector<float>& cosines) {
  labels.assign(m.rows(), 0);
  cosines.assign(m.rows(), 0.0f);
  if (model.k == 0 || model.centroids.empty()) return;
  parallel_blocks(block_count(m.rows()), threads, [&](size_t b) {
    std::vector<float> out(model.k);
    size_t end = std::min(m.rows(), (b + 1) * parallel_block);
    for (size_t r = b * parallel_block; r < end; ++r) {
      if (empty_row(m, r)) continue;
      dots(m, r, model.centroids.data(), model.k, out.data());
      uint32_t best = 0;
      for (unsigned c = 1; c < model.k; ++c)
        if (out[c] > out[best]) best = c;
      labels[r] = best;
      cosines[r] = out[best];
    }
  });
}

std::vector<float> cosine_distances(const SparseMatrix& m, const std::vector<uint32_t>& sample) {
  size_t n = sample.size();
  std::vector<float> d(n * n, 0.0f);
  std::vector<float> dense(m.dims, 0.0f);
  for (size_t i = 0; i < n; ++i) {
    for (size_t p = m.offsets[sample[i]]; p < m.offsets[sample[i] + 1]; ++p) dense[m.columns[p]] = m.values[p];
    for (size_t j = i + 1; j < n; ++j) {
      float v = std::clamp(1.0f - row_dot(m, sample[j], dense), 0.0f, 2.0f);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
    for (size_t p = m.offsets[sample[i]]; p < m.offsets[sample[i] + 1]; ++p) dense[m.columns[p]] = 0.0f;
  }
  return d;
}

double mean_silhouette(const std::vector<float>& distances, const std::vector<uint32_t>& labels, unsigned k) {
  size_t n = labels.size();
  if (n < 2 || k < 2) return 0.0;
  std::vector<size_t> sizes(k, 0);
  for (uint32_t l : labels) ++sizes[l];
  double total = 0;
  std::vector<double> sum(k);
  for (size_t i = 0; i < n; ++i) {
    std::fill(sum.begin(), sum.end(), 0.0);
    for (size_t j = 0; j < n; ++j)
      if (j != i) sum[labels[j]] += distances[i * n + j];
    uint32_t own = labels[i];
    if (sizes[own] <= 1) continue;  // s = 0 for a singleton
    double a = sum[own] / static_cast<double>(sizes[own] - 1);
    double b = std::numeric_limits<double>::infinity();
    for (unsigned c = 0; c < k; ++c)
      if (c != own && sizes[c] > 0) b = std::min(b, sum[c] / static_cast<double>(sizes[c]));
    if (!std::isfinite(b)) continue;
    double denom = std::max(a, b);
    if (denom > 0) total += (b - a) / denom;
  }
  return total / static_cast<double>(n);
}

KChoice choose_k(const SparseMatrix& m, const std::vector<uint32_t>& training, const std::vector<uint32_t>& sample,
                 unsigned k_min, unsigned k_max, const KMeansParams& params) {
  KChoice choice;
  k_min = std::max(2u, k_min);
  if (sample.size() < 3 || k_max < k_min) {
    choice.k = std::max(1u, std::min(k_min, static_cast<unsigned>(sample.size())));
    return choice;
  }
  std::vector<float> distances = cosine_distances(m, sample);
  SparseMatrix sample_rows;  // the sample as its own matrix, to label it with assign_nearest
  sample_rows.dims = m.dims;
  for (uint32_t r : sample) {
    for (size_t i = m.offsets[r]; i < m.offsets[r + 1]; ++i) {
      sample_rows.columns.push_back(m.columns[i]);
      sample_rows.values.push_back(m.values[i]);
    }
    sample_rows.offsets.push_back(sample_rows.columns.size());
  }
  double best = -2;
  for (unsigned k = k_min; k <= k_max; ++k) {
    KMeansParams p = params;
    p.k = k;
    KMeans model = spherical_kmeans(m, training, p);
    if (model.k < k) break;  // fewer distinct rows than k
    std::vector<uint32_t> labels;
    std::vector<float> cosines;
    assign_nearest(sample_rows, model, params.threads, labels, cosines);
    double s = mean_silhouette(distances, labels, k);
    choice.silhouettes.emplace_back(k, s);
    if (s > best + 1e-12) {
      best = s;
      choice.k = k;
    }
  }
  if (choice.silhouettes.empty()) choice.k = 1;
  return choice;
}

}  // namespace passerelle::text
