#pragma once
// The memo of an Analyzer: folded word → (stem, is it a stop word). One open-addressing table
// over a byte arena, so a word already seen costs one hash and one comparison, and no
// allocation. Bounded: when `max_entries` is reached the memo starts again empty.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::text::detail {

inline uint64_t hash_bytes(std::string_view s) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  const char* p = s.data();
  size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  }
  uint64_t w = 0;
  std::memcpy(&w, p, n);
  h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 29;
  return h;
}

class StemCache {
 public:
  struct Entry {
    std::string_view stem;  // valid until the next insert
    bool stop = false;
  };

  explicit StemCache(size_t max_entries) : max_entries_(max_entries) { slots_.resize(4096); }

  // Returns true and fills `entry` when `word` is known.
  bool find(std::string_view word, uint64_t hash, Entry& entry) const {
    for (size_t k = hash & (slots_.size() - 1);; k = (k + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[k];
      if (!s.used) return false;
      if (s.hash == hash && s.key_len == word.size() && std::memcmp(arena_.data() + s.key_off, word.data(), word.size()) == 0) {
        entry = {std::string_view(arena_.data() + s.stem_off, s.stem_len), s.stop};
        return true;
      }
    }
  }

  Entry insert(std::string_view word, uint64_t hash, std::string_view stem, bool stop) {
    if (count_ >= max_entries_) clear();
    if ((count_ + 1) * 2 > slots_.size()) grow();
    Slot slot{hash, static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(arena_.size() + word.size()),
              static_cast<uint16_t>(word.size()), static_cast<uint16_t>(stem.size()), true, stop};
    arena_.append(word);
    arena_.append(stem);
    place(slot);
    ++count_;
    return {std::string_view(arena_.data() + slot.stem_off, slot.stem_len), stop};
  }

  size_t size() const { return count_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t key_off = 0, stem_off = 0;
    uint16_t key_len = 0, stem_len = 0;
    bool used = false, stop = false;
  };

  void place(const Slot& slot) {
    size_t k = slot.hash & (slots_.size() - 1);
    while (slots_[k].used) k = (k + 1) & (slots_.size() - 1);
    slots_[k] = slot;
  }

  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old)
      if (s.used) place(s);
  }

  void clear() {
    std::fill(slots_.begin(), slots_.end(), Slot{});
    arena_.clear();
    count_ = 0;
  }

  size_t max_entries_;
  size_t count_ = 0;
  std::vector<Slot> slots_;  // a power of two, at most half full
  std::string arena_;        // keys and stems, one after the other
};

}  // namespace passerelle::text::detail
