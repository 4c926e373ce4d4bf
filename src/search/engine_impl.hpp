#pragma once
// Inside the engine (engine.cpp: writing, engine_search.cpp: searching). Not for other modules.
//
// Concurrency. Xapian objects are not thread-safe, even for reading, so:
//  - one Xapian::WritableDatabase, used only under `writer_mutex_` (put, remove, commit…);
//  - searches borrow a Xapian::Database of their own from a small pool (one per concurrent
//    search), opened on the same directory: they see the last COMMITTED revision;
//  - the in-memory bitmaps (facets, all documents, dates, cached term postings) describe that
//    same committed revision: put/remove only queue changes, which commit() applies while holding
//    `state_mutex_` exclusively, right after the Xapian commit, and then bumps `generation_`.
//    Searches hold `state_mutex_` shared for their whole duration and reopen their reader when
//    its generation is behind, so a search never mixes two revisions (and a reader never meets
//    a revision Glass has recycled: commits wait for running searches).
#include <xapian.h>

#include <atomic>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <roaring/roaring.hh>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "search/engine.hpp"
#include "text/analyzer.hpp"

namespace passerelle::search::detail {

constexpr Xapian::valueno kDateSlot = 0;
constexpr size_t kPrefixExpansions = 100;
constexpr Xapian::doccount kCacheMinFrequency = 2000;  // smaller postings are cheap to read again
constexpr size_t kCacheEntries = 256;
constexpr size_t kPendingTermTracking = 5000;  // beyond that many queued documents, commit drops the cache

std::string id_term(std::string_view kind, int64_t id);
// Boolean term of a facet value (kind and territory are facets "kind" and "territory").
std::string facet_term(std::string_view field, std::string_view value);
// field and value back from a facet term; false for other terms.
bool split_facet_term(std::string_view term, std::string& field, std::string& value);
// Lower case keeping accents (spelling suggestions are shown as words).
std::string lower(std::string_view word);

// A document analysed, ready for the writer (analysis may run on other threads).
struct Prepared {
  Xapian::Document xdoc;
  std::string id_term;
  std::vector<std::string> facet_terms;  // sorted, distinct
  std::vector<std::string> terms;        // sorted, distinct content terms
  std::vector<std::string> spellings;    // distinct lower-case words
  int64_t date = 0;
};
Prepared prepare(const Document& doc, text::Analyzer& analyzer);
// The distinct lower-case words of a document's stored data (to undo its spelling entries).
std::vector<std::string> spelling_words_of_data(const std::string& data, text::Analyzer& analyzer);

struct StoredDoc {
  std::string kind, title, url, territory, summary, body;
  int64_t id = 0, date = 0;
};
StoredDoc parse_data(const std::string& data);

// One analyzer per thread: libstemmer keeps state.
text::Analyzer& thread_analyzer();

using Bitmap = Roaring;

class XapianEngine final : public Engine {
 public:
  XapianEngine(std::string dir, bool temporary);
  ~XapianEngine() override;

  void put(const Document& doc) override;
  void put_many(const std::vector<Document>& docs) override;
  void remove(const std::string& kind, int64_t id) override;
  void clear() override;
  void commit() override;
  Results search(const Query& query) const override;
  uint64_t size() const override;
  std::vector<std::string> facet_fields() const override;
  std::string metadata(const std::string& key) const override;
  void set_metadata(const std::string& key, const std::string& value) override;

 private:
  struct Change {
    Xapian::docid docid = 0;
    std::vector<std::string> old_facets, new_facets;
    std::vector<std::string> new_terms;  // empty when removed or when tracking was dropped
    bool removed = false;
    int64_t date = 0;
  };
  struct Reader {
    Xapian::Database db;
    uint64_t generation = 0;
  };
  class ReaderLease;

  void apply(Prepared&& p);                      // under writer_mutex_
  void forget_old(Xapian::docid docid, Change& change);  // under writer_mutex_
  void load_state();                             // rebuilds the bitmaps from the committed index
  void apply_changes();                          // under both locks, after a Xapian commit

  std::unique_ptr<Reader> acquire_reader() const;
  void release_reader(std::unique_ptr<Reader> r) const;
  // Docids containing `term`, from the cache or the reader's posting list.
  std::shared_ptr<const Bitmap> term_bitmap(Xapian::Database& db, const std::string& term) const;
  std::vector<std::string> expand_prefix(Xapian::Database& db, const std::string& prefix) const;

  std::string dir_;
  bool temporary_;

  mutable std::mutex writer_mutex_;
  mutable Xapian::WritableDatabase writer_;  // mutable: get_metadata is not const in Xapian
  std::vector<Change> pending_;
  bool pending_untracked_ = false;

  // glibc's rwlock prefers readers: with searches arriving back to back a commit would wait
  // forever. A writer takes `state_gate_` while it waits for `state_mutex_`, which stops new
  // searches at the gate until the commit is done.
  mutable std::mutex state_gate_;
  mutable std::shared_mutex state_mutex_;
  std::shared_lock<std::shared_mutex> read_state() const {
    std::lock_guard gate(state_gate_);
    return std::shared_lock(state_mutex_);
  }
  std::unique_lock<std::shared_mutex> write_state() {
    std::lock_guard gate(state_gate_);
    return std::unique_lock(state_mutex_);
  }
  std::atomic<uint64_t> generation_{1};
  Bitmap all_;
  std::map<std::string, std::map<std::string, Bitmap>> facets_;  // field → value → docids
  std::vector<int64_t> dates_;                                   // by docid

  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<Reader>> pool_;

  mutable std::mutex cache_mutex_;
  struct CacheEntry {
    std::shared_ptr<Bitmap> bits;
    std::list<std::string>::iterator lru;
  };
  mutable std::unordered_map<std::string, CacheEntry> cache_;
  mutable std::list<std::string> lru_;  // most recent first
};

}  // namespace passerelle::search::detail
