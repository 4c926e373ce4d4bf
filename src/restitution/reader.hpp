#pragma once
// Readers of contributions: JSON Lines (one object per line) or CSV (RFC 4180, separator ',' or
// ';' detected on the header line, fields quoted with '"', doubled quotes inside, line breaks
// inside quoted fields). UTF-8, an optional byte-order mark is ignored.
//
// Bad records are skipped and reported with their line (Corpus::issues): invalid JSON, missing
// or empty text, invalid UTF-8, text longer than max_text_bytes, wrong number of CSV fields, a
// quote inside an unquoted CSV field. HTML in a text is removed (tags dropped, entities decoded)
// and reported as a warning; so are a missing id (the line number stands for it) and an
// unreadable date. A file that cannot be read at all (no header, unknown text column, a quote
// left open until the end, nothing usable) is refused with an Error.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "platform/result.hpp"
#include "restitution/model.hpp"

namespace passerelle::restitution {

struct ReadOptions {
  std::string text_field = "text";
  std::string id_field = "id";
  std::string group_field;    // optional
  std::string date_field;     // optional
  std::string zip_field;      // optional
  std::string channel_field;  // optional
  size_t max_text_bytes = 100000;
  unsigned threads = 1;
  size_t max_listed_issues = 1000;  // per kind; all are counted
};

// Supplies the input piece by piece; an empty view means the end.
using ChunkSource = std::function<std::string_view()>;

Result<Corpus> read_contributions(const ChunkSource& source, const ReadOptions& options,
                                  const std::function<void(size_t bytes)>& progress = {});
Result<Corpus> read_contributions(std::string_view bytes, const ReadOptions& options);
// Reads a file (Error "restitution.error_open" when it cannot be opened).
Result<Corpus> read_file(const std::string& path, const ReadOptions& options,
                         const std::function<void(size_t bytes, size_t total)>& progress = {});

// Parses "2019-01-23", "2019-01-23 18:47:43", "2019-01-23T18:47:43Z" (or ±hh:mm), "23/01/2019"
// and Unix seconds; no_date when unreadable.
int64_t parse_date(std::string_view text);
// Removes HTML tags and decodes entities; returns true when something was removed.
bool strip_html(std::string& text);

}  // namespace passerelle::restitution
