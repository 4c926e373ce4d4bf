#include "search/spelling.hpp"

#include <algorithm>

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

void SurfaceForms::add(std::string_view surface, uint32_t times) {
  total += times;
  for (auto& [form, count] : forms)
    if (form == surface) {
      count += times;
      return;
    }
  if (forms.size() < kKept) forms.emplace_back(surface, times);
  else {
    // Full: the rarest form gives way, so a form that becomes frequent late still gets in.
    auto rarest = std::min_element(forms.begin(), forms.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    if (rarest->second <= times) *rarest = {std::string(surface), times};
    else rarest->second -= times;
  }
}

void SurfaceForms::merge(const SurfaceForms& other) {
  if (settled()) return;
  for (const auto& [form, count] : other.forms) add(form, count);
}

const std::string& SurfaceForms::best() const {
  static const std::string none;
  const std::pair<std::string, uint32_t>* top = nullptr;
  for (const auto& f : forms)
    if (!top || f.second > top->second || (f.second == top->second && f.first < top->first)) top = &f;
  return top ? top->first : none;
}

void Spelling::set(uint32_t term, const std::string& word) {
  if (term >= words_.size()) {
    words_.resize(term + 1);
    folded_.resize(term + 1);
    slot_.resize(term + 1, UINT32_MAX);
  }
  if (words_[term] == word) return;
  if (slot_[term] != UINT32_MAX) {  // out of its old bucket (swap with the last)
    auto& bucket = by_length_[folded_[term].size()];
    uint32_t moved = bucket.back();
    bucket[slot_[term]] = moved;
    slot_[moved] = slot_[term];
    bucket.pop_back();
    slot_[term] = UINT32_MAX;
  }
  words_[term] = word;
  folded_[term] = to_u32(text::fold(word));
  if (word.empty()) return;
  auto& bucket = by_length_[folded_[term].size()];
  slot_[term] = static_cast<uint32_t>(bucket.size());
  bucket.push_back(term);
}

const std::string& Spelling::word(uint32_t term) const {
  static const std::string none;
  return term < words_.size() ? words_[term] : none;
}

void Spelling::clear() { *this = Spelling(); }

std::vector<std::pair<unsigned, uint32_t>> Spelling::near(std::string_view word, unsigned max_distance) const {
  auto wanted = to_u32(text::fold(word));
  std::vector<std::pair<unsigned, uint32_t>> found;
  size_t shortest = wanted.size() > max_distance ? wanted.size() - max_distance : 0;
  for (auto it = by_length_.lower_bound(shortest); it != by_length_.end() && it->first <= wanted.size() + max_distance; ++it)
    for (uint32_t term : it->second) {
      unsigned d = bounded_distance(wanted, folded_[term], max_distance);
      if (d > 0 && d <= max_distance) found.emplace_back(d, term);
    }
  return found;
}

}  // namespace passerelle::search::detail
