#include "restitution/reader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <unordered_map>

#include "platform/core/strings.hpp"
#include "text/parallel.hpp"

namespace passerelle::restitution {
namespace {

// One record as read, before the group and channel names become indexes (done in input order).
struct Raw {
  uint32_t line = 0;
  bool skip = false;
  std::vector<std::string> issues;  // kinds; when skip, the first one is the reason
  std::string id, text, group, date, zip, channel;
};

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

std::string_view trim(std::string_view s) {
  auto sp = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && sp(s.front())) s.remove_prefix(1);
  while (!s.empty() && sp(s.back())) s.remove_suffix(1);
  return s;
}

// Trims the text, also the no-break spaces people paste (U+00A0, U+202F).
void trim_text(std::string& t) {
  auto is_space_at_end = [&](size_t& len) {
    if (t.empty()) return false;
    char c = t.back();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { len = 1; return true; }
    if (t.size() >= 2 && t.compare(t.size() - 2, 2, "\xC2\xA0") == 0) { len = 2; return true; }
    if (t.size() >= 3 && t.compare(t.size() - 3, 3, "\xE2\x80\xAF") == 0) { len = 3; return true; }
    return false;
  };
  size_t len = 0;
  while (is_space_at_end(len)) t.resize(t.size() - len);
  size_t start = 0;
  while (start < t.size()) {
    if (t[start] == ' ' || t[start] == '\t' || t[start] == '\r' || t[start] == '\n') ++start;
    else if (t.compare(start, 2, "\xC2\xA0") == 0) start += 2;
    else if (t.compare(start, 3, "\xE2\x80\xAF") == 0) start += 3;
    else break;
  }
  t.erase(0, start);
}

// Checks and cleans the text of a record; sets skip with the reason when it cannot be used.
void check_text(Raw& r, const ReadOptions& options) {
  if (r.skip) return;
  if (r.text.size() > options.max_text_bytes) {
    r.skip = true;
    r.issues.insert(r.issues.begin(), "too_long");
    r.text.clear();
    return;
  }
  if (!str::valid_utf8(r.text) || !str::valid_utf8(r.id) || !str::valid_utf8(r.group) || !str::valid_utf8(r.zip) ||
      !str::valid_utf8(r.channel)) {
    r.skip = true;
    r.issues.insert(r.issues.begin(), "invalid_utf8");
    return;
  }
  if (strip_html(r.text)) r.issues.push_back("html_removed");
  trim_text(r.text);
  if (r.text.empty()) {
    r.skip = true;
    r.issues.insert(r.issues.begin(), "empty_text");
  }
}

// JSON: a field as text (numbers are written out, null and absent give nullopt).
std::optional<std::string> json_field(const nlohmann::json& object, const std::string& name) {
  if (name.empty()) return std::nullopt;
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  if (it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  if (it->is_boolean() || it->is_number_float()) return it->dump();
  return std::nullopt;  // arrays, objects
}

void parse_json_line(std::string_view line, Raw& r, const ReadOptions& options) {
  // Invalid UTF-8 would make nlohmann throw a parse error; report it as what it is.
  if (!str::valid_utf8(line)) {
    r.skip = true;
    r.issues.push_back("invalid_utf8");
    return;
  }
  nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
  if (object.is_discarded() || !object.is_object()) {
    r.skip = true;
    r.issues.push_back("invalid_json");
    return;
  }
  auto text = json_field(object, options.text_field);
  if (!text) {
    r.skip = true;
    r.issues.push_back("missing_text");
    return;
  }
  r.text = std::move(*text);
  if (auto id = json_field(object, options.id_field)) r.id = std::move(*id);
  if (auto v = json_field(object, options.group_field)) r.group = std::move(*v);
  if (auto v = json_field(object, options.date_field)) r.date = std::move(*v);
  if (auto v = json_field(object, options.zip_field)) r.zip = std::move(*v);
  if (auto v = json_field(object, options.channel_field)) r.channel = std::move(*v);
  check_text(r, options);
}

// CSV state kept across lines: a record may span several lines inside quotes.
struct CsvParser {
  char separator = ',';
  std::vector<std::string> fields;
  std::string field;
  bool in_quotes = false;
  bool after_quote = false;  // just closed a quoted field: only a separator or the end may follow
  bool field_was_quoted = false;
  bool bad_quote = false;
  uint32_t record_line = 0;
  size_t record_bytes = 0;

  bool pending() const { return in_quotes; }

  // Feeds one line (without its '\n'); returns true when a record is complete.
  bool feed(std::string_view line, uint32_t line_number) {
    if (!in_quotes) {
      fields.clear();
      field.clear();
      bad_quote = false;
      after_quote = false;
      field_was_quoted = false;
      record_line = line_number;
      record_bytes = 0;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    } else {
      field += '\n';
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    }
    record_bytes += line.size() + 1;
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            ++i;
          } else {
            in_quotes = false;
            after_quote = true;
          }
        } else {
          field += c;
        }
      } else if (c == separator) {
        fields.push_back(std::move(field));
        field.clear();
        after_quote = false;
        field_was_quoted = false;
      } else if (c == '"') {
        if (field.empty() && !field_was_quoted && !after_quote) {
          in_quotes = true;
          field_was_quoted = true;
        } else {
          bad_quote = true;  // a quote inside an unquoted field, or after a closing quote
          field += c;
        }
      } else {
        if (after_quote) bad_quote = true;  // "abc"def
        field += c;
      }
    }
    if (in_quotes) return false;
    fields.push_back(std::move(field));
    field.clear();
    return true;
  }
};

char detect_separator(std::string_view header) {
  size_t commas = 0, semicolons = 0;
  bool quoted = false;
  for (char c : header) {
    if (c == '"') quoted = !quoted;
    else if (!quoted && c == ',') ++commas;
    else if (!quoted && c == ';') ++semicolons;
  }
  return semicolons > commas ? ';' : ',';
}

struct Builder {
  Corpus corpus;
  const ReadOptions& options;
  std::unordered_map<std::string, uint32_t> groups, channels;
  std::map<std::string, size_t> counts;

  explicit Builder(const ReadOptions& o) : options(o) {}

  void issue(uint32_t line, const std::string& kind, bool skipped) {
    size_t& n = counts[kind];
    if (n++ < options.max_listed_issues) corpus.issues.push_back({line, kind, skipped});
  }

  uint32_t intern(std::unordered_map<std::string, uint32_t>& map, std::vector<std::string>& names, std::string&& name) {
    if (name.empty()) return 0;
    auto it = map.find(name);
    if (it != map.end()) return it->second;
    uint32_t index = static_cast<uint32_t>(names.size());
    names.push_back(name);
    map.emplace(std::move(name), index);
    return index;
  }

  void add(Raw&& r) {
    ++corpus.records;
    if (r.skip) {
      issue(r.line, r.issues.empty() ? "invalid_record" : r.issues.front(), true);
      return;
    }
    for (const auto& kind : r.issues) issue(r.line, kind, false);
    Contribution c;
    c.line = r.line;
    c.text = std::move(r.text);
    std::string id(trim(r.id));
    if (id.empty()) {
      issue(r.line, "missing_id", false);
      id = "L" + std::to_string(r.line);
    }
    c.id = std::move(id);
    c.zip = std::string(trim(r.zip));
    if (!r.date.empty()) {
      c.date = parse_date(r.date);
      if (c.date == no_date) issue(r.line, "invalid_date", false);
    }
    std::string group(trim(r.group));
    if (!options.group_field.empty() && group.empty()) issue(r.line, "missing_group", false);
    c.group = intern(groups, corpus.groups, std::move(group));
    c.channel = intern(channels, corpus.channels, std::string(trim(r.channel)));
    corpus.items.push_back(std::move(c));
  }

  Result<Corpus> finish() {
    for (auto& [kind, n] : counts) corpus.issue_counts.emplace_back(kind, n);
    std::stable_sort(corpus.issues.begin(), corpus.issues.end(),
                     [](const InputIssue& a, const InputIssue& b) { return a.line < b.line; });
    if (corpus.items.empty())
      return Error::validation("input", "restitution.error_nothing_usable").with("records", std::to_string(corpus.records));
    return std::move(corpus);
  }
};

// Splits the chunks into lines, numbered from 1, and hands them out in batches.
class LineReader {
 public:
  explicit LineReader(const ChunkSource& source) : source_(source) {}
  // Next line (without '\n'); false at the end. The view lives until the next call.
  bool next(std::string_view& line) {
    if (replay_) {
      replay_ = false;
      ++number_;
      line = saved_;
      return true;
    }
    for (;;) {
      size_t nl = buffer_.find('\n', pos_);
      if (nl != std::string::npos) {
        line = std::string_view(buffer_).substr(pos_, nl - pos_);
        pos_ = nl + 1;
        ++number_;
        return true;
      }
      if (done_) {
        if (pos_ < buffer_.size()) {
          line = std::string_view(buffer_).substr(pos_);
          pos_ = buffer_.size();
          ++number_;
          return true;
        }
        return false;
      }
      buffer_.erase(0, pos_);
      pos_ = 0;
      std::string_view chunk = source_();
      if (chunk.empty()) done_ = true;
      else {
        buffer_.append(chunk);
        consumed_ += chunk.size();
      }
      if (first_ && buffer_.size() >= 3) {
        if (buffer_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;  // byte-order mark
        first_ = false;
      }
    }
  }
  // Gives the last line back: the next call returns it again.
  void unread(std::string_view line) {
    saved_.assign(line);
    replay_ = true;
    --number_;
  }
  uint32_t number() const { return static_cast<uint32_t>(std::min<size_t>(number_, UINT32_MAX)); }
  size_t consumed() const { return consumed_; }

 private:
  const ChunkSource& source_;
  std::string buffer_, saved_;
  bool replay_ = false;
  size_t pos_ = 0, number_ = 0, consumed_ = 0;
  bool done_ = false, first_ = true;
};

constexpr size_t batch_size = 16384;

Result<Corpus> read_jsonl(LineReader& lines, const ReadOptions& options, const std::function<void(size_t)>& progress) {
  Builder builder(options);
  std::vector<std::pair<std::string, uint32_t>> batch;
  auto flush = [&] {
    std::vector<Raw> raws(batch.size());
    text::parallel_blocks(text::block_count(batch.size(), 1024), options.threads, [&](size_t b) {
      size_t end = std::min(batch.size(), (b + 1) * 1024);
      for (size_t i = b * 1024; i < end; ++i) {
        raws[i].line = batch[i].second;
        parse_json_line(batch[i].first, raws[i], options);
      }
    });
    for (auto& r : raws) builder.add(std::move(r));
    batch.clear();
    if (progress) progress(lines.consumed());
  };
  std::string_view line;
  while (lines.next(line)) {
    if (blank(line)) continue;
    batch.emplace_back(std::string(line), lines.number());
    if (batch.size() == batch_size) flush();
  }
  flush();
  builder.corpus.format = "jsonl";
  return builder.finish();
}

Result<Corpus> read_csv(LineReader& lines, std::string_view header_line, const ReadOptions& options,
                        const std::function<void(size_t)>& progress) {
  Builder builder(options);
  CsvParser csv;
  csv.separator = detect_separator(header_line);
  if (!csv.feed(header_line, 1) || csv.bad_quote)
    return Error::validation("input", "restitution.error_csv_header");
  std::vector<std::string> header = csv.fields;
  auto column = [&](const std::string& name) -> int {
    if (name.empty()) return -1;
    for (size_t i = 0; i < header.size(); ++i)
      if (trim(header[i]) == name) return static_cast<int>(i);
    return -2;
  };
  int text_col = column(options.text_field);
  if (text_col < 0)
    return Error::validation("input", "restitution.error_csv_no_text_column").with("field", options.text_field);
  int id_col = column(options.id_field), group_col = column(options.group_field), date_col = column(options.date_field),
      zip_col = column(options.zip_field), channel_col = column(options.channel_field);
  for (auto [col, name] : {std::pair{group_col, &options.group_field}, std::pair{date_col, &options.date_field},
                           std::pair{zip_col, &options.zip_field}, std::pair{channel_col, &options.channel_field}})
    if (col == -2) return Error::validation("input", "restitution.error_csv_no_column").with("field", *name);

  std::vector<Raw> batch;
  auto flush = [&] {
    text::parallel_blocks(text::block_count(batch.size(), 1024), options.threads, [&](size_t b) {
      size_t end = std::min(batch.size(), (b + 1) * 1024);
      for (size_t i = b * 1024; i < end; ++i) check_text(batch[i], options);
    });
    for (auto& r : batch) builder.add(std::move(r));
    batch.clear();
    if (progress) progress(lines.consumed());
  };
  auto get = [&](int col) -> std::string {
    return col >= 0 && static_cast<size_t>(col) < csv.fields.size() ? std::move(csv.fields[col]) : std::string();
  };
  std::string_view line;
  size_t limit = options.max_text_bytes * 4 + 65536;
  while (lines.next(line)) {
    if (!csv.pending() && blank(line)) continue;
    if (!csv.feed(line, lines.number())) {
      // An open quote that goes on for longer than any acceptable record: the file is broken.
      if (csv.record_bytes > limit)
        return Error::validation("input", "restitution.error_csv_open_quote").with("line", std::to_string(csv.record_line));
      continue;
    }
    Raw r;
    r.line = csv.record_line;
    if (csv.bad_quote) {
      r.skip = true;
      r.issues.push_back("bad_quote");
    } else if (csv.fields.size() != header.size()) {
      r.skip = true;
      r.issues.push_back("field_count");
    } else {
      r.text = get(text_col);
      r.id = get(id_col);
      r.group = get(group_col);
      r.date = get(date_col);
      r.zip = get(zip_col);
      r.channel = get(channel_col);
    }
    batch.push_back(std::move(r));
    if (batch.size() == batch_size) flush();
  }
  if (csv.pending())
    return Error::validation("input", "restitution.error_csv_open_quote").with("line", std::to_string(csv.record_line));
  flush();
  builder.corpus.format = csv.separator == ';' ? "csv;" : "csv,";
  return builder.finish();
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {  // H. Hinnant's algorithm
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

int64_t parse_date(std::string_view s) {
  s = trim(s);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  size_t rest = 0;
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-' && digits(s, 0, 4, y) && digits(s, 5, 2, mo) && digits(s, 8, 2, d)) {
    rest = 10;
  } else if (s.size() >= 10 && s[2] == '/' && s[5] == '/' && digits(s, 0, 2, d) && digits(s, 3, 2, mo) && digits(s, 6, 4, y)) {
    rest = 10;
  } else if (!s.empty() && s.size() <= 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (s.size() < 9) return no_date;  // "2019" or a postal code is not a timestamp
    return std::stoll(std::string(s));
  } else {
    return no_date;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1900 || y > 2200) return no_date;
  int64_t offset = 0;
  if (rest < s.size() && (s[rest] == ' ' || s[rest] == 'T')) {
    if (!digits(s, rest + 1, 2, h) || s.size() < rest + 6 || s[rest + 3] != ':' || !digits(s, rest + 4, 2, mi)) return no_date;
    size_t p = rest + 6;
    if (p < s.size() && s[p] == ':') {
      if (!digits(s, p + 1, 2, se)) return no_date;
      p += 3;
      while (p < s.size() && (s[p] == '.' || (s[p] >= '0' && s[p] <= '9'))) ++p;  // fractions
    }
    if (p < s.size()) {
      if (s[p] == 'Z') ++p;
      else if (s[p] == '+' || s[p] == '-') {
        int oh = 0, om = 0;
        if (!digits(s, p + 1, 2, oh)) return no_date;
        size_t q = p + 3;
        if (q < s.size() && s[q] == ':') ++q;
        if (q < s.size() && !digits(s, q, 2, om)) return no_date;
        offset = (s[p] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
        p = q + (q < s.size() ? 2 : 0);
      }
    }
    if (p != s.size() || h > 23 || mi > 59 || se > 60) return no_date;
  } else if (rest != s.size()) {
    return no_date;
  }
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + se - offset;
}

bool strip_html(std::string& text) {
  // Only text that looks like markup is touched: "<" followed by a letter, '/' or '!'.
  bool markup = false;
  for (size_t i = 0; i + 1 < text.size(); ++i)
    if (text[i] == '<') {
      char n = text[i + 1];
      if ((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || n == '/' || n == '!') {
        markup = true;
        break;
      }
    }
  bool entities = text.find('&') != std::string::npos && markup;
  if (!markup) return false;
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '<' && i + 1 < text.size()) {
      char n = text[i + 1];
      if ((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || n == '/' || n == '!') {
        size_t close = text.find('>', i);
        if (close == std::string::npos) { out.append(text, i, std::string::npos); break; }
        // Block elements and <br> become a space so that words do not stick together.
        out += ' ';
        i = close + 1;
        continue;
      }
    }
    if (c == '&' && entities) {
      size_t semi = text.find(';', i);
      if (semi != std::string::npos && semi - i <= 10) {
        std::string_view name(text.data() + i + 1, semi - i - 1);
        static const std::pair<std::string_view, std::string_view> named[] = {
            {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "},
            {"eacute", "é"}, {"egrave", "è"}, {"agrave", "à"}, {"ccedil", "ç"}, {"ecirc", "ê"}, {"rsquo", "’"}};
        bool done = false;
        for (auto [n, v] : named)
          if (name == n) { out += v; done = true; break; }
        if (!done && name.size() >= 2 && name[0] == '#') {
          uint32_t cp = 0;
          bool hex = name[1] == 'x' || name[1] == 'X';
          bool ok = true;
          for (size_t k = hex ? 2 : 1; k < name.size() && ok; ++k) {
            char d = name[k];
            int v = d >= '0' && d <= '9' ? d - '0' : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10 : hex && d >= 'A' && d <= 'F' ? d - 'A' + 10 : -1;
            if (v < 0 || cp > 0x10FFFF) ok = false;
            else cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
          }
          if (ok && cp > 0 && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF)) {
            if (cp < 0x80) out += static_cast<char>(cp);
            else if (cp < 0x800) { out += static_cast<char>(0xC0 | (cp >> 6)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
            else if (cp < 0x10000) { out += static_cast<char>(0xE0 | (cp >> 12)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
            else { out += static_cast<char>(0xF0 | (cp >> 18)); out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
            done = true;
          }
        }
        if (done) { i = semi + 1; continue; }
      }
    }
    out += c;
    ++i;
  }
  // Collapse the runs of spaces left by removed tags.
  std::string collapsed;
  collapsed.reserve(out.size());
  for (char c : out) {
    if (c == ' ' && !collapsed.empty() && collapsed.back() == ' ') continue;
    collapsed += c;
  }
  text = std::move(collapsed);
  return true;
}

Result<Corpus> read_contributions(const ChunkSource& source, const ReadOptions& options,
                                  const std::function<void(size_t)>& progress) {
  LineReader lines(source);
  std::string_view first;
  // The format is told by the first non-blank line: '{' starts JSON Lines, anything else is a
  // CSV header.
  while (lines.next(first)) {
    if (blank(first)) continue;
    std::string_view t = trim(first);
    if (t.front() == '{') {
      lines.unread(first);
      return read_jsonl(lines, options, progress);
    }
    return read_csv(lines, first, options, progress);
  }
  return Error::validation("input", "restitution.error_empty_input");
}

Result<Corpus> read_contributions(std::string_view bytes, const ReadOptions& options) {
  bool given = false;
  ChunkSource source = [&]() -> std::string_view {
    if (given) return {};
    given = true;
    return bytes;
  };
  return read_contributions(source, options);
}

Result<Corpus> read_file(const std::string& path, const ReadOptions& options,
                         const std::function<void(size_t, size_t)>& progress) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Error::validation("input", "restitution.error_open").with("file", path);
  std::fseek(f, 0, SEEK_END);
  long size = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  size_t total = size > 0 ? static_cast<size_t>(size) : 0;
  std::string chunk(1 << 20, '\0');
  bool error = false;
  ChunkSource source = [&]() -> std::string_view {
    size_t n = std::fread(chunk.data(), 1, chunk.size(), f);
    if (n == 0 && std::ferror(f)) error = true;
    return std::string_view(chunk.data(), n);
  };
  auto result = read_contributions(source, options, [&](size_t bytes) {
    if (progress) progress(bytes, total);
  });
  std::fclose(f);
  if (error) return Error::validation("input", "restitution.error_read").with("file", path);
  return result;
}

}  // namespace passerelle::restitution
