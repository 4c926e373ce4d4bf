// Repair of opening hours written the French way, or nearly OSM. Small, documented rules
// (docs/opening-hours.md), applied on words, never a guess about what a place meant: a day whose
// times cannot be read as spans becomes `unknown` with the original text as its comment.
//
//   1. Spaces: no-break and thin spaces, tabs, line breaks, apostrophes are spaces; en and em
//      dashes and the minus sign are '-'; “ ” are '"'.
//   2. Times: "9h", "9 h 30", "09h00", "9:00", "08 :00" are 09:00…; "midi" is 12:00, "minuit"
//      24:00; a bare hour beside a dash ("9-12", "14h-17") is a full hour.
//   3. Days: OSM codes in any case ("MO", "mo"), French and English names ("lundi", "Lundis",
//      "lun", "Monday", "Mon"); "jours fériés", "férié" are PH. Words around them ("du", "le",
//      "les", "de", "des", "from", "on") are dropped; "au", "à", "a", "to", "jusqu" are '-';
//      "et", "and", "&", "/" between spans are ','. A ':' after a day is dropped.
//   4. "fermé", "closed" are off; "fermé le mercredi" is "We off".
//   5. Separators: a day written after times starts a new rule ("; "); juxtaposed days are a
//      list; separators left at the start or the end, or doubled, are dropped.
//   6. Times of a day that do not make spans: four times chained by dashes are two spans
//      (09:00-12:30-13:30-17:00); three (08:45-12:00-13:45) or a span that ends where it starts
//      (14:00-14:00) make that day `unknown "<the original times>"`.
//   7. No repair writes a rule without days after another rule (in OSM it replaces every day).
// Anything else (an unknown word, a stray symbol) is kept as it is, and then the text does not
// parse: repair gives nothing rather than a guess.
#include <algorithm>
#include <array>

#include "places/opening_hours.hpp"

namespace passerelle::places {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};

// Rule 1, on bytes: the multi-byte spaces, dashes and quotes real data carries.
std::string normalize(std::string_view s) {
  static const std::pair<std::string_view, char> table[] = {
      {"\xC2\xA0", ' '},     {"\xE2\x80\xAF", ' '}, {"\xE2\x80\x89", ' '}, {"\xE2\x80\x88", ' '}, {"\xE2\x80\x99", ' '},
      {"\xE2\x80\x90", '-'}, {"\xE2\x80\x91", '-'}, {"\xE2\x80\x93", '-'}, {"\xE2\x80\x94", '-'}, {"\xE2\x88\x92", '-'},
      {"\xE2\x80\x9C", '"'}, {"\xE2\x80\x9D", '"'}};
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    bool done = false;
    for (auto [from, to] : table)
      if (s.substr(i, from.size()) == from) {
        out += to, i += from.size(), done = true;
        break;
      }
    if (done) continue;
    char c = s[i++];
    out += c == '\t' || c == '\r' || c == '\n' || c == '\'' ? ' ' : c;
  }
  return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80; }

// Lower case without the French accents, for matching words.
std::string fold(std::string_view w) {
  static const std::pair<std::string_view, char> accents[] = {
      {"\xC3\xA9", 'e'}, {"\xC3\xA8", 'e'}, {"\xC3\xAA", 'e'}, {"\xC3\xAB", 'e'}, {"\xC3\x89", 'e'}, {"\xC3\x88", 'e'},
      {"\xC3\xA0", 'a'}, {"\xC3\xA2", 'a'}, {"\xC3\x80", 'a'}, {"\xC3\xAE", 'i'}, {"\xC3\xAF", 'i'}, {"\xC3\xB4", 'o'},
      {"\xC3\xB9", 'u'}, {"\xC3\xBB", 'u'}, {"\xC3\xA7", 'c'}};
  std::string out;
  for (size_t i = 0; i < w.size();) {
    bool done = false;
    for (auto [from, to] : accents)
      if (w.substr(i, from.size()) == from) {
        out += to, i += from.size(), done = true;
        break;
      }
    if (done) continue;
    char c = w[i++];
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

int day_of_word(const std::string& w) {
  static const std::array<std::vector<std::string_view>, 7> names = {{
      {"mo", "lundi", "lun", "monday", "mon"},
      {"tu", "mardi", "tuesday", "tue", "tues"},  // not "mar": March
      {"we", "mercredi", "mer", "wednesday", "wed"},
      {"th", "jeudi", "jeu", "thursday", "thu"},
      {"fr", "vendredi", "ven", "friday", "fri"},
      {"sa", "samedi", "sam", "saturday", "sat"},
      {"su", "dimanche", "dim", "sunday", "sun"},
  }};
  for (int d = 0; d < 7; ++d)
    for (auto n : names[d])
      if (w == n || (w.size() > 4 && w.back() == 's' && std::string_view(w).substr(0, w.size() - 1) == n)) return d;
  return -1;
}

struct Item {
  enum Kind { day, ph, time, num, dash, comma, semi, off, colon, raw, comment, group } kind = raw;
  int value = 0;      // day 0..6, minutes, number
  std::string text;   // raw, comment, group: the text to write
  size_t begin = 0, end = 0;  // bytes of the normalized input
  bool space = false;         // a space before it in the input
};

// Rules 2 to 4: words and symbols into items.
std::vector<Item> items_of(const std::string& s) {
  std::vector<Item> out;
  size_t i = 0;
  auto skip_spaces = [&](size_t at) {
    while (at < s.size() && s[at] == ' ') ++at;
    return at;
  };
  auto number_at = [&](size_t at, size_t& len) {
    len = 0;
    int v = 0;
    while (at + len < s.size() && is_digit(s[at + len]) && len < 4) v = v * 10 + (s[at + len++] - '0');
    return v;
  };
  while (i < s.size()) {
    size_t start = i;
    bool space = false;
    while (i < s.size() && s[i] == ' ') ++i, space = true;
    if (i >= s.size()) break;
    start = i;
    Item it;
    it.space = space && !out.empty();
    it.begin = start;
    char c = s[i];
    if (is_digit(c)) {
      size_t len;
      int h = number_at(i, len);
      i += len;
      while (i < s.size() && is_digit(s[i])) ++i;  // absurdly long numbers stay raw below
      it.kind = Item::num, it.value = h, it.text = s.substr(start, i - start);
      size_t j = skip_spaces(i), mlen = 0;
      if (i - start <= 2 && j < s.size() && s[j] == ':' && j + 1 < s.size() && is_digit(s[j + 1])) {
        int m = number_at(j + 1, mlen);
        if (mlen == 2) it.kind = Item::time, it.value = h * 60 + m, i = j + 1 + mlen;
      } else if (i - start <= 2 && j < s.size() && (s[j] == 'h' || s[j] == 'H') && (j + 1 >= s.size() || !is_letter(s[j + 1]))) {
        it.kind = Item::time, it.value = h * 60, i = j + 1;
        size_t k = skip_spaces(i);
        if (k < s.size() && is_digit(s[k])) {
          int m = number_at(k, mlen);
          if (mlen == 2 && (k + 2 >= s.size() || !is_digit(s[k + 2]))) it.value += m, i = k + 2;
        }
      }
      if (it.kind == Item::time && (it.value % 60 > 59 || it.value > 48 * 60)) it.kind = Item::raw;
    } else if (is_letter(c)) {
      while (i < s.size() && is_letter(s[i])) ++i;
      std::string word(s.substr(start, i - start)), w = fold(word);
      it.text = word;
      if (int d = day_of_word(w); d >= 0) it.kind = Item::day, it.value = d;
      else if (w == "ph" || w == "ferie" || w == "feries") it.kind = Item::ph;
      else if (w == "jour" || w == "jours" || w == "du" || w == "le" || w == "les" || w == "de" || w == "des" || w == "d" ||
               w == "l" || w == "from" || w == "on") {
        continue;  // "jours fériés" keeps "fériés"
      } else if (w == "au" || w == "a" || w == "to" || w == "jusqu") it.kind = Item::dash;
      else if (w == "et" || w == "and") it.kind = Item::comma;
      else if (w == "ferme" || w == "fermee" || w == "fermes" || w == "closed" || w == "off") it.kind = Item::off;
      else if (w == "midi") it.kind = Item::time, it.value = 12 * 60;
      else if (w == "minuit") it.kind = Item::time, it.value = 24 * 60;
    } else if (c == '"') {
      size_t close = s.find('"', i + 1);
      i = close == std::string::npos ? s.size() : close + 1;
      it.kind = Item::comment, it.text = s.substr(start, i - start);
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '7' && !out.empty() && out.back().text == "24" && !space) {
      out.back().kind = Item::raw, out.back().text = "24/7", out.back().end = i += 2;
      continue;
    } else {
      ++i;
      it.text = std::string(1, c);
      if (c == '-') it.kind = Item::dash;
      else if (c == ',' || c == '&') it.kind = Item::comma;
      else if (c == ';') it.kind = Item::semi;
      else if (c == ':') it.kind = Item::colon;
      else if (c == '/' && !out.empty() && out.back().kind == Item::time) it.kind = Item::comma;  // 09:00-12:00/14:00-17:00
      else if (c == '|' && i < s.size() && s[i] == '|') ++i, it.text = "||";
    }
    it.end = i;
    out.push_back(std::move(it));
  }
  return out;
}

bool is_rule_end(Item::Kind k) { return k == Item::group || k == Item::off || k == Item::comment; }

// Rule 2 (bare hours beside a dash) and rule 6 (times into a group per day).
std::vector<Item> group_times(std::vector<Item> in, const std::string& s) {
  // Numbers after "week", a month or '[' are not hours; a day, a time or ';' ends that context.
  bool raw_numbers = false;
  for (size_t k = 0; k < in.size(); ++k) {
    auto& it = in[k];
    if (it.kind == Item::raw && !it.text.empty() && is_letter(it.text[0])) raw_numbers = true;
    if (it.kind == Item::raw && it.text == "[") raw_numbers = true;
    if (it.kind == Item::day || it.kind == Item::semi || it.kind == Item::time) raw_numbers = false;
    if (it.kind != Item::num) continue;
    auto near_time = [&](size_t b) { return in[b].kind == Item::time || (in[b].kind == Item::num && in[b].value <= 48); };
    bool beside = (k + 2 < in.size() && in[k + 1].kind == Item::dash && near_time(k + 2)) ||
                  (k >= 2 && in[k - 1].kind == Item::dash && near_time(k - 2));
    if (!raw_numbers && beside && it.value <= 48 && it.text.size() <= 2) it.kind = Item::time, it.value *= 60;
    else it.kind = Item::raw;
  }
  std::vector<Item> out;
  for (size_t k = 0; k < in.size();) {
    if (in[k].kind != Item::time) {
      out.push_back(std::move(in[k++]));
      continue;
    }
    // Pieces: times chained by dashes; pieces are separated by ',' or simply follow each other.
    std::vector<std::vector<int>> pieces{{in[k].value}};
    size_t begin = in[k].begin, end = in[k].end, next = k + 1;
    while (next < in.size()) {
      if (in[next].kind == Item::dash && next + 1 < in.size() && in[next + 1].kind == Item::time) {
        pieces.back().push_back(in[next + 1].value), end = in[next + 1].end, next += 2;
      } else if (in[next].kind == Item::comma && next + 1 < in.size() && in[next + 1].kind == Item::time) {
        pieces.push_back({in[next + 1].value}), end = in[next + 1].end, next += 2;
      } else if (in[next].kind == Item::time) {
        pieces.push_back({in[next].value}), end = in[next].end, next += 1;
      } else {
        break;
      }
    }
    std::vector<std::vector<int>> spans;
    bool readable = true;
    for (auto& p : pieces) {
      if (p.size() == 4) spans.push_back({p[0], p[1]}), spans.push_back({p[2], p[3]});
      else if (p.size() <= 2) spans.push_back(p);
      else readable = false;
    }
    for (const auto& sp : spans)
      if (sp.size() == 2 && sp[0] == sp[1]) readable = false;
    auto clock = [](int m) {
      return std::string{static_cast<char>('0' + m / 600), static_cast<char>('0' + m / 60 % 10), ':',
                         static_cast<char>('0' + m % 60 / 10), static_cast<char>('0' + m % 10)};
    };
    Item g;
    g.kind = Item::group, g.begin = begin, g.end = end, g.space = in[k].space;
    if (readable) {
      for (const auto& sp : spans) {
        if (!g.text.empty()) g.text += ",";
        g.text += clock(sp[0]) + (sp.size() == 2 ? "-" + clock(sp[1]) : "");
      }
      if (next < in.size() && in[next].kind == Item::raw && in[next].text == "+" && !in[next].space) g.text += "+", ++next;
    } else {
      g.text = "unknown \"" + s.substr(begin, end - begin) + "\"";
    }
    out.push_back(std::move(g));
    k = next;
  }
  return out;
}

// Rule 4: "fermé le mercredi" → the days first, then off.
void move_off_after_days(std::vector<Item>& items) {
  for (size_t k = 0; k + 1 < items.size(); ++k) {
    if (items[k].kind != Item::off || (items[k + 1].kind != Item::day && items[k + 1].kind != Item::ph)) continue;
    size_t e = k + 1;
    while (e + 1 < items.size() && (items[e + 1].kind == Item::day || items[e + 1].kind == Item::ph ||
                                    ((items[e + 1].kind == Item::dash || items[e + 1].kind == Item::comma) && e + 2 < items.size() &&
                                     (items[e + 2].kind == Item::day || items[e + 2].kind == Item::ph))))
      ++e;
    Item off = std::move(items[k]);
    items.erase(items.begin() + static_cast<long>(k));
    items.insert(items.begin() + static_cast<long>(e), std::move(off));
    k = e;
  }
}

// Rule 5: writes the items as OSM, choosing the separators from their neighbours.
std::string write(const std::vector<Item>& items) {
  std::string out;
  const Item* prev = nullptr;
  bool pending_dash = false, pending_comma = false, pending_semi = false;
  for (const auto& it : items) {
    if (it.kind == Item::dash) { pending_dash = true; continue; }
    if (it.kind == Item::comma) { pending_comma = true; continue; }
    if (it.kind == Item::semi) { pending_semi = true; continue; }
    if (it.kind == Item::colon) {
      if (prev && (prev->kind == Item::day || prev->kind == Item::ph)) continue;  // "Lundi : 9h-12h"
    }
    bool selector = it.kind == Item::day || it.kind == Item::ph;
    std::string sep;
    if (prev) {
      bool prev_selector = prev->kind == Item::day || prev->kind == Item::ph;
      if (pending_semi) sep = "; ";
      else if (selector && prev_selector) sep = pending_dash && it.kind == Item::day && prev->kind == Item::day ? "-" : ",";
      else if (pending_comma && is_rule_end(prev->kind) && (selector || it.kind == Item::group)) sep = ", ";
      else if (selector && is_rule_end(prev->kind)) sep = "; ";
      else if (it.kind == Item::group && is_rule_end(prev->kind)) sep = "; ";
      else if (pending_dash && prev->kind == Item::raw && (it.kind == Item::raw || it.kind == Item::colon)) sep = "-";
      else if (pending_comma && prev->kind == Item::raw && it.kind == Item::raw) sep = ",";
      else if (it.kind == Item::colon || (it.kind == Item::raw && !it.space)) sep = "";
      else if (pending_dash || pending_comma) sep = it.kind == Item::raw ? std::string(pending_dash ? "-" : ",") : " ";
      else sep = " ";
    }
    out += sep;
    if (it.kind == Item::day) out += kDays[it.value];
    else if (it.kind == Item::ph) out += "PH";
    else if (it.kind == Item::off) out += "off";
    else out += it.text;
    prev = &it;
    pending_dash = pending_comma = pending_semi = false;
  }
  return out;
}

}  // namespace

std::optional<std::string> repair_opening_hours(std::string_view text) {
  std::string s = normalize(text);
  auto items = group_times(items_of(s), s);
  move_off_after_days(items);
  std::string out = write(items);
  if (out.empty() || out == text) return std::nullopt;
  auto parsed = parse_opening_hours(out);
  if (!parsed) return std::nullopt;
  // Rule 7: in OSM a later rule without days replaces every day ("Mo 14-17;9-12,14-17" would
  // open the weekend): a French text rarely means that, so no repair says it.
  for (size_t k = 1; k < parsed->rules.size(); ++k) {
    const Rule& r = parsed->rules[k];
    if (r.separator == Separator::normal && !r.always && r.weekdays.empty() && !r.public_holiday && !r.school_holiday &&
        r.years.empty() && r.monthdays.empty() && r.weeks.empty())
      return std::nullopt;
  }
  return out;
}

}  // namespace passerelle::places
