#pragma once
// "Vouliez-vous dire" : one word per term of the index, the surface form the documents use most
// for it (lower case, accents kept, as people should see it: "numérique" for the term "numer"),
// and the terms closest to a word that found nothing. Closeness is the edit distance (a
// transposition counts one) between accent-folded forms, so "numerrique" is one step from
// "numérique". The engine then keeps only terms that a live document holds, so a word of a
// removed or hidden document is never proposed.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::search::detail {

// The surface forms seen for one term, the few most frequent with their counts.
struct SurfaceForms {
  static constexpr size_t kKept = 4;
  static constexpr uint32_t kSettled = 1024;  // seen that often, the usual form is known
  std::vector<std::pair<std::string, uint32_t>> forms;  // raw surface (elision removed), count
  uint32_t total = 0;
  void add(std::string_view surface, uint32_t times = 1);
  void merge(const SurfaceForms& other);  // nothing once settled
  bool settled() const { return total >= kSettled; }
  const std::string& best() const;  // "" when none
};

class Spelling {
 public:
  // The word shown for `term` ("" forgets it).
  void set(uint32_t term, const std::string& word);
  const std::string& word(uint32_t term) const;
  void clear();
  // Terms whose word is within `max_distance` of `word` (distance > 0), with the distance.
  std::vector<std::pair<unsigned, uint32_t>> near(std::string_view word, unsigned max_distance) const;

 private:
  std::vector<std::string> words_;       // by term
  std::vector<std::u32string> folded_;   // by term
  std::vector<uint32_t> slot_;           // by term: index in its length bucket
  std::map<size_t, std::vector<uint32_t>> by_length_;  // folded length → terms
};

// Edit distance with adjacent transpositions, or max + 1 as soon as it must exceed `max`.
unsigned bounded_distance(const std::u32string& a, const std::u32string& b, unsigned max);
std::u32string to_u32(std::string_view utf8);

}  // namespace passerelle::search::detail
