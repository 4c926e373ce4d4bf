#pragma once
// "Vouliez-vous dire" : the words of the indexed documents (lower case, accents kept, as people
// should see them) with the number of documents holding each, and the closest ones to a word
// that found nothing. Closeness is the edit distance (a transposition counts one) between the
// accent-folded forms, so "numerrique" is one step from "numérique"; ties go to the word more
// documents use.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace passerelle::search::detail {

class Spelling {
 public:
  void add(const std::string& word, uint32_t documents = 1);
  void remove(const std::string& word);
  void clear();
  // Rebuilds the lookup by length after changes; call before suggest() (not thread-safe).
  void prepare();
  // The closest word within `max_distance` for which `acceptable` says yes, or "".
  std::string suggest(std::string_view word, unsigned max_distance, const std::function<bool(const std::string&)>& acceptable) const;

  const std::unordered_map<std::string, uint32_t>& counts() const { return counts_; }

 private:
  std::unordered_map<std::string, uint32_t> counts_;  // word → documents
  bool dirty_ = false;
  struct Entry {
    std::u32string folded;
    const std::string* word;
  };
  std::map<size_t, std::vector<Entry>> by_length_;  // folded length → words
};

// Edit distance with adjacent transpositions, or max + 1 as soon as it must exceed `max`.
unsigned bounded_distance(const std::u32string& a, const std::u32string& b, unsigned max);
std::u32string to_u32(std::string_view utf8);

}  // namespace passerelle::search::detail
