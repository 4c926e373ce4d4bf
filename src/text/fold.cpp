// Case and accent folding. The common characters (ASCII, Latin-1, Latin Extended-A: every
// French letter) are looked up in a table computed once at start-up; ICU normalisation is
// only called for the rarer ones (ﬁ, full-width forms, Greek, Cyrillic, combining marks…).
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <cstring>
#include <unordered_map>

#include "text/analyzer.hpp"
#include "text/fold.hpp"

namespace passerelle::text {
namespace detail {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {

bool is_apostrophe(uint32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == 0x02BC || cp == 0x2018 || cp == 0x00B4;
}

CharClass classify(uint32_t cp) {
  if (is_apostrophe(cp)) return CharClass::apostrophe;
  if (cp == '.') return CharClass::dot;
  if (cp < 0x80) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return CharClass::letter;
    if (cp >= '0' && cp <= '9') return CharClass::digit;
    return CharClass::other;
  }
  auto type = u_charType(static_cast<UChar32>(cp));
  if (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK)
    return CharClass::mark;
  if (u_isdigit(static_cast<UChar32>(cp))) return CharClass::digit;
  if (u_isalpha(static_cast<UChar32>(cp))) return CharClass::letter;
  return CharClass::other;
}

// NFKC casefold, then canonical decomposition without the combining marks.
void icu_fold(uint32_t cp, std::string& out) {
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  static const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  out.clear();
  if (!nfkc_cf || !nfd) {  // ICU data missing: keep the character as it is
    append_utf8(out, cp);
    return;
  }
  status = U_ZERO_ERROR;
  icu::UnicodeString folded = nfkc_cf->normalize(icu::UnicodeString(static_cast<UChar32>(cp)), status);
  if (U_FAILURE(status)) return;
  icu::UnicodeString decomposed = nfd->normalize(folded, status);
  if (U_FAILURE(status)) return;
  for (int32_t k = 0; k < decomposed.length();) {
    UChar32 c = decomposed.char32At(k);
    k += U16_LENGTH(c);
    auto type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) continue;
    if (is_apostrophe(static_cast<uint32_t>(c))) c = '\'';
    append_utf8(out, static_cast<uint32_t>(c));
  }
}

constexpr uint32_t table_size = 0x180;

struct Entry {
  char fold[8] = {};
  uint8_t len = 0;
  CharClass cls = CharClass::other;
};

// Letters that have no decomposition in Unicode but an obvious ASCII spelling.
const char* manual_fold(uint32_t cp) {
  switch (cp) {
    case 0xC6: case 0xE6: return "ae";    // Æ æ
    case 0x152: case 0x153: return "oe";  // Œ œ
    case 0xDF: return "ss";               // ß
    case 0xD8: case 0xF8: return "o";     // Ø ø
    case 0xD0: case 0xF0: return "d";     // Ð ð
    case 0x110: case 0x111: return "d";   // Đ đ
    case 0xDE: case 0xFE: return "th";    // Þ þ
    case 0x126: case 0x127: return "h";   // Ħ ħ
    case 0x131: return "i";               // ı
    case 0x13F: case 0x140: return "l";   // Ŀ ŀ
    case 0x141: case 0x142: return "l";   // Ł ł
    case 0x138: return "k";               // ĸ
    case 0x149: return "n";               // ŉ
    case 0x166: case 0x167: return "t";   // Ŧ ŧ
    case 0xA0: return " ";                // no-break space
    case 0xB4: return "'";                // ´ used as an apostrophe
    default: return nullptr;
  }
}

const std::array<Entry, table_size>& table() {
  static const std::array<Entry, table_size> built = [] {
    std::array<Entry, table_size> t{};
    std::string scratch;
    for (uint32_t cp = 0; cp < table_size; ++cp) {
      Entry& e = t[cp];
      e.cls = classify(cp);
      if (cp < 0x80) {
        scratch.assign(1, static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
      } else if (const char* manual = manual_fold(cp)) {
        scratch = manual;
      } else if (cp < 0xA0) {  // C1 controls: kept as they are
        scratch.clear();
        append_utf8(scratch, cp);
      } else {
        icu_fold(cp, scratch);
      }
      if (scratch.size() >= sizeof(e.fold)) scratch.resize(0);  // never happens in this range
      std::memcpy(e.fold, scratch.data(), scratch.size());
      e.len = static_cast<uint8_t>(scratch.size());
    }
    return t;
  }();
  return built;
}

// Rare characters: memoised per thread, so a Greek or Cyrillic text does not call ICU for
// every letter. Bounded: cleared when full.
struct RareEntry {
  std::string fold;
  CharClass cls;
};

}  // namespace

CharInfo char_info(uint32_t cp, std::string& scratch) {
  if (cp < table_size) {
    const Entry& e = table()[cp];
    return {e.fold, e.len, e.cls};
  }
  thread_local std::unordered_map<uint32_t, RareEntry> rare;
  auto it = rare.find(cp);
  if (it == rare.end()) {
    if (rare.size() > 4096) rare.clear();
    RareEntry entry;
    entry.cls = classify(cp);
    icu_fold(cp, entry.fold);
    it = rare.emplace(cp, std::move(entry)).first;
  }
  scratch = it->second.fold;
  return {scratch.data(), static_cast<uint8_t>(std::min<size_t>(scratch.size(), 255)), it->second.cls};
}

}  // namespace detail

std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::string scratch;
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {  // ASCII fast path
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      ++i;
      continue;
    }
    size_t len = 1;
    uint32_t cp = detail::decode_utf8(text, i, len);
    i += len;
    if (cp == detail::invalid_code_point) continue;  // invalid bytes are dropped
    auto info = detail::char_info(cp, scratch);
    if (info.cls == detail::CharClass::apostrophe) {
      out.push_back('\'');
      continue;
    }
    out.append(info.fold, info.fold_len);
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      ++i;
      continue;
    }
    size_t len = 1;
    uint32_t cp = detail::decode_utf8(text, i, len);
    i += len;
    if (cp == detail::invalid_code_point) continue;
    detail::append_utf8(out, static_cast<uint32_t>(u_tolower(static_cast<UChar32>(cp))));
  }
  return out;
}

}  // namespace passerelle::text
