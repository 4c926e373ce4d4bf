#pragma once
// What people type in the search box, taken apart: words, "phrases entre guillemets" and
// prefixes ending with `*`. Terms come from the French analyzer, so the query and the index agree
// on folding and stemming. Our own parser: Xapian's QueryParser would use its own stemmer.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/analyzer.hpp"

namespace passerelle::search {

struct QueryPart {
  enum class Kind { word, phrase, prefix } kind = Kind::word;
  std::vector<std::string> terms;     // word: one term; phrase: its terms in order; prefix: empty
  std::vector<uint32_t> positions;    // phrase: position of each term (stop words counted)
  std::string prefix;                 // prefix: the folded beginning typed ("numeri")
  size_t begin = 0, end = 0;          // where the part is in the query text (for suggestions)
  std::string surface;                // the word as typed (word parts)
};

// Splits `text` into parts. Stop words and punctuation alone give no part. An unclosed quote
// runs to the end of the text.
std::vector<QueryPart> parse_query_text(std::string_view text, text::Analyzer& analyzer);

}  // namespace passerelle::search
