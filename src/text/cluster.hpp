#pragma once
// Spherical k-means (Dhillon & Modha, 2001) on unit-length sparse vectors: each document goes to
// the centroid of highest cosine, centroids are the normalised means. Seeding by k-means++
// (Arthur & Vassilvitskii, 2007) with cosine distance. The number of clusters can be chosen by
// the mean silhouette (Rousseeuw, 1987) of a sample, with cosine distance. Deterministic for a
// seed, and identical with any number of threads (see parallel.hpp).
#include <cstdint>
#include <vector>

#include "text/tfidf.hpp"

namespace passerelle::text {

struct KMeansParams {
  unsigned k = 8;
  unsigned iterations = 25;
  uint64_t seed = 1;
  unsigned threads = 1;
};

struct KMeans {
  unsigned k = 0;
  uint32_t dims = 0;
  std::vector<float> centroids;  // dims × k, column c of term t at [t * k + c] (fast sparse dot)
  std::vector<uint32_t> labels;  // of the training rows, in their order
  unsigned iterations = 0;       // iterations run
  double cohesion = 0;           // mean cosine of the training rows to their centroid
};

// Trains on the rows `training` of m (all rows when empty). k is lowered to the number of
// distinct non-empty rows when there are fewer.
KMeans spherical_kmeans(const SparseMatrix& m, const std::vector<uint32_t>& training, const KMeansParams& params);

// Nearest centroid of every row of m, and its cosine. Empty rows go to cluster 0 with cosine 0.
void assign_nearest(const SparseMatrix& m, const KMeans& model, unsigned threads, std::vector<uint32_t>& labels,
                    std::vector<float>& cosines);

// Cosine distances (1 − cos) between the rows `sample` of m: sample.size()² values.
std::vector<float> cosine_distances(const SparseMatrix& m, const std::vector<uint32_t>& sample);
// Mean silhouette of the labelled sample given its distance matrix; 0 for a single cluster.
double mean_silhouette(const std::vector<float>& distances, const std::vector<uint32_t>& labels, unsigned k);

struct KChoice {
  unsigned k = 1;
  std::vector<std::pair<unsigned, double>> silhouettes;  // every k tried, with its score
};

// Tries every k in [k_min, k_max]: trains on `training`, labels `sample`, keeps the k with the
// highest mean silhouette (ties: the smaller k).
KChoice choose_k(const SparseMatrix& m, const std::vector<uint32_t>& training, const std::vector<uint32_t>& sample,
                 unsigned k_min, unsigned k_max, const KMeansParams& params);

}  // namespace passerelle::text
