#pragma once
// Result snippets: the window of about 30 words holding the most query terms, HTML-escaped, with
// the matching words in <mark> and "…" where the text was cut. Built from the analyzer's word
// offsets, so "numériques" is marked for a search on "numérique".
#include <string>
#include <string_view>
#include <unordered_set>

#include "text/analyzer.hpp"

namespace passerelle::search {

struct SnippetTerms {
  std::unordered_set<std::string> terms;     // stems to mark
  std::vector<std::string> prefixes;         // folded prefixes to mark (query words ending in *)
  bool matches(text::Analyzer& analyzer, const text::Word& word) const;
};

std::string make_snippet(std::string_view text, const SnippetTerms& terms, text::Analyzer& analyzer, size_t window = 30);

}  // namespace passerelle::search
