#pragma once
// The stored side of the index: what a hit shows (kind, id, title, url, snippet text) and what
// phrases and proximity need (the document's terms in order), one record per version of a
// document, appended to a file and read back with pread. Kept on disk, not in memory: with two
// million contributions the texts would weigh more than the whole rest of the process.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "search/engine.hpp"

namespace passerelle::search::detail {

struct StoredDoc {
  std::string kind, territory, title, url, summary, body;
  int64_t id = 0, date = 0;
  std::vector<uint32_t> facet_ids;                       // values in the engine's facet table
  std::vector<std::pair<uint32_t, uint32_t>> sequence;   // (term id, position), by position
};

// A record is a head and a tail. The head (texts, and the sequence as indexes into the
// document's own list of distinct terms) needs no shared state, so it is encoded on the analysis
// threads; the tail (the distinct terms' ids in the index, the facet value ids) by the writer.
std::string encode_head(const Document& doc, const std::vector<std::pair<uint32_t, uint32_t>>& local_sequence);
std::string encode_tail(const std::vector<uint32_t>& term_ids, const std::vector<uint32_t>& facet_ids);
// false when `bytes` is not a record (head + tail). The sequence comes out with index term ids.
// Without texts: the strings are skipped (phrases and proximity need only the sequence).
bool decode(const std::string& bytes, StoredDoc& doc, bool with_sequence = true, bool with_texts = true);

struct RecordRef {
  uint64_t offset = 0;
  uint32_t length = 0;
};

class DocStore {
 public:
  DocStore() = default;
  DocStore(const DocStore&) = delete;
  DocStore& operator=(const DocStore&) = delete;
  ~DocStore();

  // Opens (creating) `path` for appending. Throws std::runtime_error when it cannot.
  void open(const std::string& path);
  void close();
  const std::string& path() const { return path_; }
  // Buffered: a record can be read once flush() has run. One writer at a time.
  RecordRef append(std::string_view head, std::string_view tail);
  void flush();
  std::string read(RecordRef ref) const;  // thread-safe; throws on an I/O error
  void sync();                            // flush + fdatasync: before a snapshot names the file
  uint64_t size() const { return end_; }

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t end_ = 0;      // including the buffer
  uint64_t written_ = 0;  // on the file
  std::string buffer_;
};

}  // namespace passerelle::search::detail
