#pragma once
// Internals of the analyzer shared by fold.cpp and analyzer.cpp: UTF-8 decoding and the
// per-character folding table. Not part of the public API (see analyzer.hpp).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace passerelle::text::detail {

// What a character is for the tokeniser.
enum class CharClass : uint8_t {
  other = 0,   // separator: space, punctuation, symbol, hyphen
  letter,      // starts or continues a word
  digit,       // starts or continues a word
  mark,        // combining mark: continues a word, never starts one
  apostrophe,  // ' ’ ʼ ‘ ´ : elisions ("l'inclusion")
  dot,         // '.' : acronyms ("C.N.F.S.")
};

struct CharInfo {
  const char* fold = "";  // folded UTF-8 (lower case, no accent); may be empty (marks)
  uint8_t fold_len = 0;
  CharClass cls = CharClass::other;
};

inline constexpr uint32_t invalid_code_point = 0xFFFFFFFF;

// Decodes the code point at text[i]; sets `len` (≥ 1). Returns invalid_code_point for an
// invalid sequence (overlong, surrogate, out of range, truncated), with len = 1.
inline uint32_t decode_utf8(std::string_view text, size_t i, size_t& len) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  unsigned char c = b(0);
  len = 1;
  if (c < 0x80) return c;
  size_t left = text.size() - i;
  if (c >= 0xC2 && c <= 0xDF) {
    if (left < 2 || (b(1) & 0xC0) != 0x80) return invalid_code_point;
    len = 2;
    return ((c & 0x1Fu) << 6) | (b(1) & 0x3Fu);
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || (b(1) & 0xC0) != 0x80 || (b(2) & 0xC0) != 0x80) return invalid_code_point;
    uint32_t cp = ((c & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return invalid_code_point;
    len = 3;
    return cp;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || (b(1) & 0xC0) != 0x80 || (b(2) & 0xC0) != 0x80 || (b(3) & 0xC0) != 0x80)
      return invalid_code_point;
    uint32_t cp = ((c & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu);
    if (cp < 0x10000 || cp > 0x10FFFF) return invalid_code_point;
    len = 4;
    return cp;
  }
  return invalid_code_point;
}

void append_utf8(std::string& out, uint32_t cp);

// The folded form and class of a code point. Characters below U+0180 (ASCII, Latin-1,
// Latin Extended-A) come from a table built once; rarer ones go through ICU (NFKC casefold,
// then NFD with the marks dropped), in which case the folded text is written into `scratch`.
CharInfo char_info(uint32_t cp, std::string& scratch);

}  // namespace passerelle::text::detail
