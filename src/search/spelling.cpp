#include "search/spelling.hpp"

#include <algorithm>
#include <tuple>

#include "text/analyzer.hpp"

namespace passerelle::search::detail {

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

unsigned bounded_distance(const std::u32string& a, const std::u32string& b, unsigned max) {
  size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > max) return max + 1;
  std::vector<unsigned> before(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<unsigned>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<unsigned>(i);
    unsigned row_min = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max) return max + 1;
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], max + 1);
}

void Spelling::add(const std::string& word, uint32_t documents) {
  uint32_t& count = counts_[word];
  if (count == 0) dirty_ = true;
  count += documents;
}

void Spelling::remove(const std::string& word) {
  auto it = counts_.find(word);
  if (it == counts_.end()) return;
  if (--it->second == 0) {
    counts_.erase(it);
    dirty_ = true;
  }
}

void Spelling::clear() {
  counts_.clear();
  by_length_.clear();
  dirty_ = false;
}

void Spelling::prepare() {
  if (!dirty_) return;
  by_length_.clear();
  for (const auto& [word, count] : counts_) {
    auto folded = to_u32(text::fold(word));
    by_length_[folded.size()].push_back({std::move(folded), &word});
  }
  dirty_ = false;
}

std::string Spelling::suggest(std::string_view word, unsigned max_distance, const std::function<bool(const std::string&)>& acceptable) const {
  auto wanted = to_u32(text::fold(word));
  std::vector<std::tuple<unsigned, uint32_t, const std::string*>> found;  // distance, -count, word
  size_t shortest = wanted.size() > max_distance ? wanted.size() - max_distance : 0;
  for (auto it = by_length_.lower_bound(shortest); it != by_length_.end() && it->first <= wanted.size() + max_distance; ++it)
    for (const auto& e : it->second) {
      unsigned d = bounded_distance(wanted, e.folded, max_distance);
      if (d == 0 || d > max_distance) continue;
      found.emplace_back(d, UINT32_MAX - counts_.at(*e.word), e.word);
    }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a), *std::get<2>(a)) < std::tie(std::get<0>(b), std::get<1>(b), *std::get<2>(b));
  });
  for (size_t i = 0; i < found.size() && i < 20; ++i)
    if (acceptable(*std::get<2>(found[i]))) return *std::get<2>(found[i]);
  return "";
}

}  // namespace passerelle::search::detail
