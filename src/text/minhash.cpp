#include "text/minhash.hpp"

#include <algorithm>
#include <numeric>
#include <thread>

namespace passerelle::text {

uint64_t mix64(uint64_t x) {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

uint64_t hash64(std::string_view bytes, uint64_t seed) {
  uint64_t h = 0xcbf29ce484222325ULL ^ mix64(seed);
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return mix64(h);
}

void shingle_hashes(const std::vector<uint64_t>& words, unsigned shingle_words, std::vector<uint64_t>& out) {
  out.clear();
  if (words.empty()) return;
  size_t w = std::max(1u, shingle_words);
  if (words.size() <= w) {
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (uint64_t word : words) h = mix64(h ^ word) + 0x632be59bd9b4e019ULL;
    out.push_back(h);
    return;
  }
  for (size_t i = 0; i + w <= words.size(); ++i) {
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (size_t k = 0; k < w; ++k) h = mix64(h ^ words[i + k]) + 0x632be59bd9b4e019ULL;
    out.push_back(h);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

MinHasher::MinHasher(const MinHashParams& params) : params_(params) {
  unsigned n = params.signature_size();
  mul_.resize(n);
  add_.resize(n);
  uint64_t state = params.seed;
  for (unsigned i = 0; i < n; ++i) {
    state += 0x9e3779b97f4a7c15ULL;
    mul_[i] = static_cast<uint32_t>(mix64(state)) | 1u;  // odd multipliers
    state += 0x9e3779b97f4a7c15ULL;
    add_[i] = static_cast<uint32_t>(mix64(state));
  }
}

void MinHasher::signature(const std::vector<uint64_t>& shingles, uint16_t* out) const {
  unsigned n = params_.signature_size();
  uint32_t sig[256];
  if (n > 256) n = 256;
  std::fill(sig, sig + n, UINT32_MAX);
  const uint32_t* mul = mul_.data();
  const uint32_t* add = add_.data();
  for (uint64_t s : shingles) {
    // The shingle hash is already well mixed; fold it to 32 bits, then one multiply-add per row
    // (a loop the compiler vectorises). The high bits of a*x+b mod 2^32 are what the minimum sees.
    uint32_t x = static_cast<uint32_t>(s ^ (s >> 32));
    for (unsigned i = 0; i < n; ++i) {
      uint32_t v = mul[i] * x + add[i];
      v ^= v >> 15;  // spreads the high bits to the low ones (a*x+b has weak low bits)
      sig[i] = std::min(sig[i], v);
    }
  }
  for (unsigned i = 0; i < n; ++i) out[i] = static_cast<uint16_t>(sig[i] >> 16);
}

double estimated_jaccard(const uint16_t* a, const uint16_t* b, unsigned size) {
  unsigned same = 0;
  for (unsigned i = 0; i < size; ++i) same += a[i] == b[i];
  return size ? static_cast<double>(same) / size : 0.0;
}

namespace {

struct UnionFind {
  std::vector<uint32_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  uint32_t find(uint32_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }
  void unite(uint32_t a, uint32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (a < b) parent[b] = a;  // the smallest index is the root: the result is canonical
    else parent[a] = b;
  }
};

struct BandEntry {
  uint64_t key;
  uint32_t item;
  bool operator<(const BandEntry& o) const { return key != o.key ? key < o.key : item < o.item; }
};

}  // namespace

std::vector<uint32_t> near_duplicate_groups(const std::vector<uint16_t>& signatures, size_t count,
                                            const std::vector<uint32_t>& block_of, const MinHashParams& params,
                                            unsigned threads) {
  unsigned size = params.signature_size();
  threads = std::max(1u, threads);
  // Each band gives verified pairs independently; the partition into connected components does
  // not depend on the order in which pairs are merged, so bands can run on any thread.
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> pairs(params.bands);
  auto run_band = [&](unsigned band) {
    std::vector<BandEntry> entries(count);
    for (size_t i = 0; i < count; ++i) {
      const uint16_t* sig = signatures.data() + i * size + band * params.rows;
      uint64_t h = mix64(0x51ed270b27a3f1c5ULL + band) ^ mix64(block_of.empty() ? 0 : block_of[i] + 1);
      for (unsigned r = 0; r < params.rows; ++r) h = mix64(h ^ sig[r]) + r;
      entries[i] = {h, static_cast<uint32_t>(i)};
    }
    std::sort(entries.begin(), entries.end());
    auto& out = pairs[band];
    auto similar = [&](uint32_t a, uint32_t b) {
      if (!block_of.empty() && block_of[a] != block_of[b]) return false;
      return estimated_jaccard(signatures.data() + size_t(a) * size, signatures.data() + size_t(b) * size, size) >=
             params.threshold;
    };
    for (size_t start = 0; start < entries.size();) {
      size_t end = start + 1;
      while (end < entries.size() && entries[end].key == entries[start].key) ++end;
      // Each member is checked against the first and the previous one: linear in the bucket,
      // enough to connect a group whose members all resemble each other.
      for (size_t j = start + 1; j < end; ++j) {
        if (similar(entries[start].item, entries[j].item)) out.emplace_back(entries[start].item, entries[j].item);
        else if (j - 1 > start && similar(entries[j - 1].item, entries[j].item))
          out.emplace_back(entries[j - 1].item, entries[j].item);
      }
      start = end;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (unsigned band = t; band < params.bands; band += threads) run_band(band);
    });
  for (auto& th : pool) th.join();
  UnionFind uf(count);
  for (const auto& band : pairs)
    for (auto [a, b] : band) uf.unite(a, b);
  std::vector<uint32_t> group(count);
  for (size_t i = 0; i < count; ++i) group[i] = uf.find(static_cast<uint32_t>(i));
  return group;
}

}  // namespace passerelle::text
