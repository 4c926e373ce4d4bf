// The French analyzer: one pass over the UTF-8 text that folds each character and cuts words,
// then stop words and Snowball French stemming (memoised, because Snowball is the slow part).
//
// Tokenisation choices:
// - a word is a run of letters and digits (combining marks continue it): "4ème" → "4eme";
// - everything else separates words, hyphens included: "peut-être" → "peut", "etre";
// - numbers are kept, but "3,5", "3.5" and "1 000" give separate words ("3", "5"), the way a
//   reader types them in a search box is too varied to join them reliably;
// - acronyms with dots are joined: "C.N.F.S." → "cnfs" (the word ends after the last letter);
// - elisions are dropped, with ' ’ ʼ ‘ or ´: "l'inclusion" → "inclusion" (the elided article
//   is not a word and has no position); "aujourd'hui" stays one word "aujourdhui";
// - invalid UTF-8 bytes are skipped as if absent.
#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "text/analyzer.hpp"
#include "text/fold.hpp"
#include "text/stem_cache.hpp"

namespace passerelle::text {
namespace {

using detail::CharClass;
using detail::CharInfo;

struct AsciiTable {
  std::array<char, 128> fold{};
  std::array<CharClass, 128> cls{};
};

constexpr AsciiTable make_ascii_table() {
  AsciiTable t{};
  for (int c = 0; c < 128; ++c) {
    t.fold[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) t.cls[c] = CharClass::letter;
    else if (c >= '0' && c <= '9') t.cls[c] = CharClass::digit;
    else if (c == '\'') t.cls[c] = CharClass::apostrophe;
    else if (c == '.') t.cls[c] = CharClass::dot;
    else t.cls[c] = CharClass::other;
  }
  return t;
}

constexpr AsciiTable ascii = make_ascii_table();

// Reads the character at text[i]. Invalid bytes read as an empty mark: they continue a word
// and fold to nothing.
inline CharInfo read_char(std::string_view text, size_t i, size_t& len, std::string& scratch) {
  auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) {
    len = 1;
    return {&ascii.fold[c], 1, ascii.cls[c]};
  }
  uint32_t cp = detail::decode_utf8(text, i, len);
  if (cp == detail::invalid_code_point) return {"", 0, CharClass::mark};
  return detail::char_info(cp, scratch);
}

inline bool in_word(CharClass c) {
  return c == CharClass::letter || c == CharClass::digit || c == CharClass::mark;
}

bool is_elision(std::string_view folded) {
  switch (folded.size()) {
    case 1: return std::string_view("ldjnscmt").find(folded[0]) != std::string_view::npos;
    case 2: return folded == "qu";
    case 5: return folded == "jusqu";
    case 6: return folded == "lorsqu" || folded == "puisqu" || folded == "quoiqu" || folded == "presqu";
    default: return false;
  }
}

// "C.N.F.S." at text[i]: single letters each followed by a dot (the last dot optional), at
// least two of them. Appends the letters to `folded` and sets `end` after the last letter.
bool read_acronym(std::string_view text, size_t i, std::string& folded, size_t& end, std::string& scratch) {
  size_t letters = 0, j = i, len = 0;
  while (j < text.size()) {
    CharInfo info = read_char(text, j, len, scratch);
    if (info.cls != CharClass::letter) break;
    size_t next = j + len;
    if (next < text.size() && text[next] == '.') {
      folded.append(info.fold, info.fold_len);
      ++letters;
      end = next;
      j = next + 1;
      continue;
    }
    size_t after_len = 0;
    bool last = next >= text.size() || !in_word(read_char(text, next, after_len, scratch).cls);
    if (letters >= 1 && last) {
      folded.append(info.fold, info.fold_len);
      ++letters;
      end = next;
    }
    break;
  }
  if (letters >= 2) return true;
  folded.clear();
  return false;
}

// "hui" (any case) at text[k], as a whole word: the end of "aujourd'hui".
bool starts_with_hui(std::string_view text, size_t k) {
  if (text.size() - k < 3) return false;
  for (size_t n = 0; n < 3; ++n) {
    auto c = static_cast<unsigned char>(text[k + n]);
    if (c >= 0x80 || ascii.fold[c] != "hui"[n]) return false;
  }
  if (k + 3 == text.size()) return true;
  auto after = static_cast<unsigned char>(text[k + 3]);
  return after < 0x80 && !in_word(ascii.cls[after]);
}

// Calls emit(begin, end, position, folded) for every word of `text`.
template <class Emit>
void scan(std::string_view text, std::string& folded, std::string& scratch, Emit&& emit) {
  if (text.size() > std::numeric_limits<uint32_t>::max()) text = text.substr(0, std::numeric_limits<uint32_t>::max());
  uint32_t position = 0;
  size_t i = 0, len = 0;
  while (i < text.size()) {
    CharInfo info = read_char(text, i, len, scratch);
    if (info.cls != CharClass::letter && info.cls != CharClass::digit) {
      i += len;
      continue;
    }
    size_t begin = i, end = i;
    folded.clear();
    if (info.cls == CharClass::letter && read_acronym(text, i, folded, end, scratch)) {
      emit(begin, end, position++, std::string_view(folded));
      i = end;
      continue;
    }
    bool restart = false;
    size_t j = i;
    while (j < text.size()) {
      info = read_char(text, j, len, scratch);
      if (in_word(info.cls)) {
        folded.append(info.fold, info.fold_len);
        j += len;
        continue;
      }
      if (info.cls == CharClass::apostrophe && j + len < text.size()) {
        size_t k = j + len, next_len = 0;
        if (read_char(text, k, next_len, scratch).cls == CharClass::letter) {
          if (is_elision(folded)) {  // "l'inclusion": the word starts again after the apostrophe
            restart = true;
            i = k;
            break;
          }
          if (folded == "aujourd" && starts_with_hui(text, k)) {
            j = k;
            continue;
          }
        }
      }
      break;
    }
    if (restart) continue;
    if (!folded.empty()) emit(begin, j, position++, std::string_view(folded));
    i = j;
  }
}

// Snowball French expects accents; on folded words a few frequent endings need help so that
// the forms a reader expects together still meet: feminine agent nouns ("formatrice" →
// "formateur", as Snowball leaves "-atrice" unless long) and feminine past participles
// ("accompagnée(s)" → "accompagne", like "accompagné").
void normalise_ending(std::string& w) {
  auto ends = [&](std::string_view suffix) { return w.size() >= suffix.size() && std::string_view(w).substr(w.size() - suffix.size()) == suffix; };
  if (ends("trice") || ends("trices")) {
    size_t stem_len = w.size() - (ends("trices") ? 6 : 5);
    std::string_view prefix = std::string_view(w).substr(0, stem_len);
    if (stem_len >= 2 && prefix != "cica" && prefix != "ma") w.replace(stem_len, std::string::npos, "teur");
    return;
  }
  if (w.size() >= 4 && ends("ees")) w.resize(w.size() - 2);
  else if (w.size() >= 4 && ends("ee")) w.resize(w.size() - 1);
}

struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

constexpr size_t stem_cache_limit = 131'072;  // words; ~10 MB at most, emptied when full
constexpr size_t longest_stemmed_word = 64;   // longer "words" (URLs, garbage) are kept as they are

}  // namespace

struct Analyzer::Impl {
  sb_stemmer* stemmer = nullptr;
  detail::StemCache memo{stem_cache_limit};
  std::string folded, scratch;

  Impl() : stemmer(sb_stemmer_new("french", "UTF_8")) {
    if (!stemmer) throw std::runtime_error("libstemmer: the French stemmer is not available");
  }
  ~Impl() { sb_stemmer_delete(stemmer); }

  // The stem of a folded word and whether it is a stop word; the view is valid until the next call.
  detail::StemCache::Entry lookup(std::string_view word) {
    if (word.size() > longest_stemmed_word) return {word, false};
    uint64_t hash = detail::hash_bytes(word);
    detail::StemCache::Entry entry;
    if (memo.find(word, hash, entry)) return entry;
    scratch.assign(word);
    normalise_ending(scratch);
    const sb_symbol* out = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(scratch.data()),
                                           static_cast<int>(scratch.size()));
    std::string_view stem = out ? std::string_view(reinterpret_cast<const char*>(out), sb_stemmer_length(stemmer))
                                : std::string_view(scratch);
    return memo.insert(word, hash, stem, is_stopword(word));
  }
};

Analyzer::Analyzer() : impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

void Analyzer::words(std::string_view text, std::vector<Word>& out) const {
  std::string folded, scratch;
  scan(text, folded, scratch, [&](size_t begin, size_t end, uint32_t position, std::string_view word) {
    out.push_back(Word{static_cast<uint32_t>(begin), static_cast<uint32_t>(end), position, std::string(word),
                       is_stopword(word)});
  });
}

void Analyzer::tokens(std::string_view text, std::vector<Token>& out) {
  Impl& impl = *impl_;
  scan(text, impl.folded, impl.scratch, [&](size_t begin, size_t end, uint32_t position, std::string_view word) {
    auto entry = impl.lookup(word);
    if (entry.stop) return;
    out.push_back(Token{std::string(entry.stem), static_cast<uint32_t>(begin), static_cast<uint32_t>(end), position});
  });
}

std::vector<Token> Analyzer::tokens(std::string_view text) {
  std::vector<Token> out;
  tokens(text, out);
  return out;
}

std::string Analyzer::term(std::string_view word) {
  std::vector<Token> found;
  tokens(word, found);
  return found.empty() ? std::string() : std::move(found.front().term);
}

std::string Analyzer::stem(std::string_view folded) { return std::string(impl_->lookup(folded).stem); }

// DisplayForms: a mutex makes concurrent add/best safe, but the counts are meant to be built by
// one indexing thread. At most `forms_per_term` different surfaces are kept for each term.
struct DisplayForms::Impl {
  static constexpr size_t forms_per_term = 16;
  mutable std::mutex mutex;
  std::unordered_map<std::string, std::unordered_map<std::string, uint64_t>, TransparentHash, std::equal_to<>> forms;
};

void DisplayForms::add(std::string_view term, std::string_view surface) {
  if (term.empty() || surface.empty()) return;
  if (!impl_) impl_ = std::make_shared<Impl>();
  std::string lowered = lower(surface);
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->forms.find(term);
  if (it == impl_->forms.end()) it = impl_->forms.emplace(std::string(term), std::unordered_map<std::string, uint64_t>{}).first;
  auto& counts = it->second;
  if (auto found = counts.find(lowered); found != counts.end()) ++found->second;
  else if (counts.size() < Impl::forms_per_term) counts.emplace(std::move(lowered), 1);
}

std::string DisplayForms::best(std::string_view term) const {
  if (!impl_) return std::string(term);
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->forms.find(term);
  if (it == impl_->forms.end() || it->second.empty()) return std::string(term);
  const std::string* best = nullptr;
  uint64_t best_count = 0;
  for (const auto& [form, count] : it->second)  // most frequent; ties: the smallest in byte order
    if (count > best_count || (count == best_count && form < *best)) {
      best = &form;
      best_count = count;
    }
  return *best;
}

}  // namespace passerelle::text
