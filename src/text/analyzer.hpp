#pragma once
// The French analyzer shared by search and restitution: Unicode normalisation, case and accent
// folding, elisions (l' d' qu' j' n' s' c' m' t' jusqu' lorsqu' puisqu'), tokenisation that keeps
// numbers and acronyms, French stop words and Snowball French stemming (libstemmer).
//
// Words are folded BEFORE stemming: people type "numerique" as often as "numérique", and both
// must give the same term. No I/O here. An Analyzer is cheap to create but not thread-safe
// (libstemmer keeps state): use one per thread.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::text {

// A word as it appears in the text, with its place, for snippets and display.
struct Word {
  uint32_t begin = 0;     // byte offsets in the analysed text
  uint32_t end = 0;
  uint32_t position = 0;  // rank among the words of the text, stop words included (for phrases)
  std::string folded;     // lower case, accents removed, elision dropped: "numerique"
  bool stop = false;      // a French stop word ("le", "de", "et"…)
};

// A searchable term: the stem of a folded word that is not a stop word.
struct Token {
  std::string term;       // "numer" for numérique, numériques, Numerique
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t position = 0;
};

class Analyzer {
 public:
  Analyzer();
  ~Analyzer();
  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;

  // Every word of `text`, stop words included. Appends to `out`.
  void words(std::string_view text, std::vector<Word>& out) const;
  // The searchable terms of `text` (stop words left out). Appends to `out`.
  void tokens(std::string_view text, std::vector<Token>& out);
  std::vector<Token> tokens(std::string_view text);
  // The term of one query word, "" when it is a stop word or has no letter/digit.
  std::string term(std::string_view word);
  // Stem of an already folded word.
  std::string stem(std::string_view folded);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Lower case, accents and ligatures folded (é→e, œ→oe, ß→ss), NFKC compatibility forms
// (ﬁ→fi, full-width digits), typographic apostrophes unified. Usable on any UTF-8; invalid
// bytes are dropped.
std::string fold(std::string_view text);
bool is_stopword(std::string_view folded);
// Lower case only, accents kept ("Numérique" → "numérique"): the surface forms DisplayForms keeps.
// Invalid bytes are dropped.
std::string lower(std::string_view text);

// Remembers, for each term, the surface forms seen and returns the most frequent one, so that
// a stem ("numer") can be displayed as a real word ("numérique").
class DisplayForms {
 public:
  void add(std::string_view term, std::string_view surface);
  std::string best(std::string_view term) const;  // the term itself if never seen

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace passerelle::text
