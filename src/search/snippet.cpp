#include "search/snippet.hpp"

#include <unordered_map>
#include <vector>

#include "platform/html/builder.hpp"

namespace passerelle::search {

namespace {
constexpr size_t kMaxText = 64 * 1024;  // long bodies: the beginning is enough for a snippet
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
}  // namespace

bool SnippetTerms::matches(text::Analyzer& analyzer, const text::Word& word) const {
  if (word.folded.empty()) return false;
  for (const auto& p : prefixes)
    if (word.folded.compare(0, p.size(), p) == 0) return true;
  if (word.stop || terms.empty()) return false;
  return terms.count(analyzer.stem(word.folded)) > 0;
}

std::string make_snippet(std::string_view text, const SnippetTerms& terms, text::Analyzer& analyzer, size_t window) {
  if (text.size() > kMaxText) {
    size_t cut = kMaxText;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    text = text.substr(0, cut);
  }
  std::vector<text::Word> words;
  analyzer.words(text, words);
  if (words.empty()) return html::escape(text.substr(0, std::min<size_t>(text.size(), 200)));
  std::vector<char> hit(words.size());
  for (size_t i = 0; i < words.size(); ++i) hit[i] = terms.matches(analyzer, words[i]);

  // The window with the most distinct matching stems, then the most matches, earliest first.
  size_t best = 0, best_score = 0;
  if (words.size() > window) {
    std::unordered_map<std::string_view, size_t> inside;  // matching words in the window
    size_t hits = 0;
    auto enter = [&](size_t i) { if (hit[i]) { ++hits; ++inside[words[i].folded]; } };
    auto leave = [&](size_t i) {
      if (!hit[i]) return;
      --hits;
      if (--inside[words[i].folded] == 0) inside.erase(words[i].folded);
    };
    for (size_t i = 0; i < window; ++i) enter(i);
    best_score = inside.size() * 1000 + hits;
    for (size_t start = 1; start + window <= words.size(); ++start) {
      leave(start - 1);
      enter(start + window - 1);
      size_t score = inside.size() * 1000 + hits;
      if (score > best_score) {
        best_score = score;
        best = start;
      }
    }
  }
  size_t last = std::min(words.size(), best + window) - 1;
  std::string out;
  size_t from = best == 0 ? 0 : words[best].begin;
  if (best > 0) out += kEllipsis;
  size_t at = from;
  for (size_t i = best; i <= last; ++i) {
    html::escape_into(out, text.substr(at, words[i].begin - at));
    std::string_view w = text.substr(words[i].begin, words[i].end - words[i].begin);
    if (hit[i]) {
      out += "<mark>";
      html::escape_into(out, w);
      out += "</mark>";
    } else {
      html::escape_into(out, w);
    }
    at = words[i].end;
  }
  if (last + 1 < words.size()) out += kEllipsis;
  else html::escape_into(out, text.substr(at));
  return out;
}

}  // namespace passerelle::search
