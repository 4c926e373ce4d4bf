// libFuzzer target for the French analyzer: folding, tokenisation and stemming must accept any
// bytes, give valid UTF-8, and words/tokens must point inside the text, in order.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/strings.hpp"
#include "text/analyzer.hpp"

namespace text = passerelle::text;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static text::Analyzer analyzer;  // one per process, as one per thread in the server

  if (!passerelle::str::valid_utf8(text::fold(bytes))) __builtin_trap();
  if (!passerelle::str::valid_utf8(text::lower(bytes))) __builtin_trap();

  std::vector<text::Word> words;
  analyzer.words(bytes, words);
  uint32_t previous_end = 0;
  for (size_t k = 0; k < words.size(); ++k) {
    const auto& w = words[k];
    if (w.position != k || w.begin >= w.end || w.end > size || w.begin < previous_end) __builtin_trap();
    if (w.folded.empty() || !passerelle::str::valid_utf8(w.folded)) __builtin_trap();
    if (w.stop != text::is_stopword(w.folded)) __builtin_trap();
    previous_end = w.end;
  }

  // Tokens are exactly the words that are not stop words, at the same places.
  std::vector<text::Token> tokens;
  analyzer.tokens(bytes, tokens);
  size_t t = 0;
  for (const auto& w : words) {
    if (w.stop) continue;
    if (t >= tokens.size()) __builtin_trap();
    const auto& token = tokens[t++];
    if (token.begin != w.begin || token.end != w.end || token.position != w.position) __builtin_trap();
    if (token.term.empty() || token.term != analyzer.stem(w.folded)) __builtin_trap();
  }
  if (t != tokens.size()) __builtin_trap();

  // A query word gives the term its first token gives.
  std::string term = analyzer.term(bytes.substr(0, 64));
  (void)term;

  text::DisplayForms forms;
  for (const auto& token : tokens) forms.add(token.term, bytes.substr(token.begin, token.end - token.begin));
  for (const auto& token : tokens)
    if (!passerelle::str::valid_utf8(forms.best(token.term))) __builtin_trap();
  return 0;
}
