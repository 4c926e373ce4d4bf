#pragma once
// Deterministic parallel loops: work is cut into fixed blocks whatever the number of threads,
// and any reduction is done block by block in block order, so floating-point results are
// identical with one thread or several.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace passerelle::text {

inline constexpr size_t parallel_block = 4096;

inline size_t block_count(size_t n, size_t block = parallel_block) { return (n + block - 1) / block; }

// Calls fn(block_index) for every block in [0, blocks), on up to `threads` threads.
template <class Fn>
void parallel_blocks(size_t blocks, unsigned threads, Fn&& fn) {
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<size_t>(blocks, 1))));
  if (threads == 1) {
    for (size_t b = 0; b < blocks; ++b) fn(b);
    return;
  }
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::atomic<bool> failed{false};
  auto work = [&] {
    try {
      for (size_t b = next++; b < blocks && !failed; b = next++) fn(b);
    } catch (...) {
      if (!failed.exchange(true)) error = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

// A small deterministic random generator (splitmix64): the same sequence on every platform,
// unlike the distributions of <random>.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  size_t below(size_t n) { return n ? static_cast<size_t>(next() % n) : 0; }

 private:
  uint64_t state_;
};

}  // namespace passerelle::text
