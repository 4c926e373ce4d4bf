#include "search/query_text.hpp"

namespace passerelle::search {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// One unquoted chunk (between spaces): may hold several analyzer words ("l'école", "e-mail").
void add_words(std::string_view text, size_t base, text::Analyzer& analyzer, std::vector<QueryPart>& out) {
  bool prefix = !text.empty() && text.back() == '*';
  std::string_view body = prefix ? text.substr(0, text.size() - 1) : text;
  std::vector<text::Word> words;
  analyzer.words(body, words);
  for (size_t i = 0; i < words.size(); ++i) {
    const auto& w = words[i];
    bool last = i + 1 == words.size();
    if (prefix && last) {
      // A prefix keeps even stop-word-looking beginnings ("de*" for "démocratie").
      if (w.folded.empty()) continue;
      QueryPart p{QueryPart::Kind::prefix};
      p.prefix = w.folded;
      p.begin = base + w.begin;
      p.end = base + text.size();
      p.surface = std::string(text.substr(w.begin));
      out.push_back(std::move(p));
      continue;
    }
    if (w.stop) continue;
    std::string term = analyzer.stem(w.folded);
    if (term.empty()) continue;
    QueryPart p{QueryPart::Kind::word, {std::move(term)}};
    p.begin = base + w.begin;
    p.end = base + w.end;
    p.surface = std::string(body.substr(w.begin, w.end - w.begin));
    out.push_back(std::move(p));
  }
}

void add_phrase(std::string_view text, size_t base, text::Analyzer& analyzer, std::vector<QueryPart>& out) {
  auto tokens = analyzer.tokens(text);
  if (tokens.empty()) return;
  if (tokens.size() == 1) {
    QueryPart p{QueryPart::Kind::word, {tokens[0].term}};
    p.begin = base + tokens[0].begin;
    p.end = base + tokens[0].end;
    p.surface = std::string(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin));
    out.push_back(std::move(p));
    return;
  }
  QueryPart p{QueryPart::Kind::phrase};
  for (auto& t : tokens) {
    p.terms.push_back(std::move(t.term));
    p.positions.push_back(t.position);
  }
  p.begin = base;
  p.end = base + text.size();
  out.push_back(std::move(p));
}

}  // namespace

std::vector<QueryPart> parse_query_text(std::string_view text, text::Analyzer& analyzer) {
  std::vector<QueryPart> out;
  size_t i = 0;
  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
      continue;
    }
    // Straight and French quotes open a phrase: "…", « … », “…”.
    auto opens = [&](size_t at, std::string_view& close) -> size_t {
      if (text[at] == '"') { close = "\""; return 1; }
      if (text.substr(at, 2) == "\xC2\xAB") { close = "\xC2\xBB"; return 2; }          // « »
      if (text.substr(at, 3) == "\xE2\x80\x9C") { close = "\xE2\x80\x9D"; return 3; }  // “ ”
      return 0;
    };
    std::string_view close;
    if (size_t n = opens(i, close)) {
      size_t start = i + n;
      size_t stop = text.find(close, start);
      if (stop == std::string_view::npos) stop = text.size();
      add_phrase(text.substr(start, stop - start), start, analyzer, out);
      i = stop == text.size() ? stop : stop + close.size();
      continue;
    }
    size_t stop = i;
    while (stop < text.size() && !is_space(text[stop]) && text[stop] != '"') ++stop;
    add_words(text.substr(i, stop - i), i, analyzer, out);
    i = stop;
  }
  return out;
}

}  // namespace passerelle::search
