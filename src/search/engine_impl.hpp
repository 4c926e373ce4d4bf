#pragma once
// Inside the engine: an in-memory inverted index of our own (engine.cpp: writing and commits,
// engine_search.cpp: searching, engine_snapshot.cpp: saving and loading). Not for other modules.
//
// Why not Xapian: its writer indexed 1,600 documents per second here (positions, spelling and
// stored text in B-trees); the platform needs 20,000. The index lives in memory (posting lists
// compressed per term, one CRoaring bitmap per facet value, a bit per live document), the texts
// and the term sequences for phrases in an append-only file (doc_store.hpp), and the whole
// state is saved to a snapshot (atomic rename) at the first commit, then at most every 30 s and
// at close. After a crash the Service replays the change log from the cursor kept in the
// snapshot's metadata: the index is derived data, the database is the record.
//
// Replacing or removing a document marks its docid dead; its postings stay until a compaction
// drops them (when dead docids pass a third of the live ones). Docids only grow.
//
// Concurrency: one writer at a time (`writer_mutex_`); put() analyses outside any lock, then
// registers new terms (`vocab_mutex_`) and appends the stored record. commit() applies the queue
// holding `state_mutex_` exclusively; searches hold it shared, so a search sees one committed
// revision, whole.
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <roaring/roaring.hh>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "search/doc_store.hpp"
#include "search/engine.hpp"
#include "search/postings.hpp"
#include "search/spelling.hpp"
#include "text/analyzer.hpp"

namespace passerelle::search::detail {

using Bitmap = Roaring;

constexpr size_t kPrefixExpansions = 100;
constexpr double kBm25K1 = 1.0, kBm25B = 0.5;  // Xapian's defaults, which the relevance set was judged with

// One analyzer per thread: libstemmer keeps state.
text::Analyzer& thread_analyzer();

// A document analysed, ready for the writer (analysis runs on other threads): its distinct
// terms, in the order of their first occurrence, with what the writer needs of each.
struct Prepared {
  std::string kind;
  int64_t id = 0, date = 0;
  std::string head;                  // the stored record's head (doc_store.hpp)
  std::vector<std::string> terms;    // distinct
  std::vector<uint32_t> weights;     // per term: occurrences weighted (title 6, summary 3, body 1)
  // Per term: its first surface form fit for spelling, or "" (a view into the Document, which
  // outlives the Prepared: both live within one put() or put_many()).
  std::vector<std::string_view> surfaces;
  uint32_t length = 0;               // sum of the weights
  std::vector<std::pair<std::string, std::string>> facets;  // (field, value), distinct
  std::vector<uint32_t> batch_terms;  // per term: its index in the Batch (terms and surfaces then emptied)
};
Prepared prepare(const Document& doc, text::Analyzer& analyzer);

// Documents analysed together, their terms gathered once for the whole batch: the writer looks
// up each distinct term of the batch once, not once per document.
struct Batch {
  std::vector<Prepared> docs;
  std::vector<std::string> terms;    // distinct over the batch
  std::vector<SurfaceForms> forms;   // per batch term
};
Batch make_batch(const Document* begin, const Document* end, text::Analyzer& analyzer);

struct FacetValue {
  std::string field, value;
  Bitmap docs;  // live documents having it
};

class MemoryEngine final : public Engine {
 public:
  MemoryEngine(std::string dir, bool temporary);
  ~MemoryEngine() override;

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
  struct Slot {  // one docid
    RecordRef record;
    uint32_t length = 0;  // weighted number of terms, for BM25
    int64_t date = 0;
  };
  struct Change {  // one document's queued change
    std::string kind;
    int64_t id = 0;
    bool removed = false;
    RecordRef record;
    uint32_t length = 0;
    int64_t date = 0;
    std::vector<std::pair<uint32_t, uint32_t>> freqs;  // (term id, weighted frequency), by term id
    std::vector<uint32_t> facet_ids;
  };

  void queue(Batch&& batch);                                    // under writer_mutex_
  uint32_t term_id(const std::string& term);                    // under writer_mutex_
  uint32_t facet_id(const std::string& field, const std::string& value);  // under writer_mutex_
  void apply(Change& c);                                        // under both locks
  void forget(uint32_t docid);                                  // under both locks
  void compact();                                               // under both locks
  void reset_state();                                           // under both locks
  bool is_live(uint32_t docid) const { return docid < live_.size() * 64 && (live_[docid / 64] >> (docid % 64) & 1); }
  std::optional<uint32_t> docid_of(const std::string& kind, int64_t id) const;
  StoredDoc stored(uint32_t docid, bool with_sequence, bool with_texts = true) const;
  // The committed term id of `term`, if any document ever had it.
  std::optional<uint32_t> committed_term(const std::string& term) const;
  bool has_live_posting(uint32_t term) const;
  void update_spelling();  // under both locks
  std::vector<std::string> expand_prefix(const std::string& prefix) const;

  // engine_snapshot.cpp
  void maybe_snapshot(bool force);  // under writer_mutex_, state shared
  void save_snapshot();
  bool load_snapshot();
  void open_docs(uint64_t generation);

  std::string dir_;
  bool temporary_;
  int lock_fd_ = -1;

  mutable std::mutex writer_mutex_;
  std::vector<Change> pending_;
  std::unordered_map<std::string, size_t> pending_index_;  // "kind\x1Fid" → index in pending_
  std::map<std::string, std::string> metadata_;
  std::chrono::steady_clock::time_point last_snapshot_;
  bool snapshot_exists_ = false;
  uint64_t changes_since_snapshot_ = 0;
  DocStore docs_file_;
  // Surface forms per term (for the spelling words), counted at put(), applied at commit.
  std::vector<SurfaceForms> forms_;
  std::vector<uint32_t> touched_;
  std::vector<bool> is_touched_;
  uint64_t docs_generation_ = 1;

  // New terms and facet values get an id at put(); searches see them once a commit has added
  // their posting list / bitmap (ids below terms_.size() / facets_.size()).
  mutable std::mutex vocab_mutex_;
  std::unordered_map<std::string, uint32_t> term_ids_;
  std::vector<std::string> term_names_;
  std::unordered_map<std::string, uint32_t> facet_ids_;  // "field\x1Fvalue" → id
  std::vector<std::pair<std::string, std::string>> facet_names_;

  // The committed revision, under state_mutex_. glibc's rwlock prefers readers: a commit waiting
  // for it takes `state_gate_`, which stops new searches until the commit is done.
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
  std::vector<PostingList> terms_;                                 // by term id
  std::vector<std::pair<std::string, uint32_t>> sorted_terms_;     // for prefixes
  std::vector<FacetValue> facets_;                                 // by facet id
  std::vector<Slot> slots_;                                        // by docid
  std::vector<uint64_t> live_;                                     // bit per docid
  Bitmap all_;                                                     // live docids
  std::unordered_map<std::string, std::unordered_map<int64_t, uint32_t>> ids_;  // kind → id → docid
  uint64_t live_length_ = 0;                                       // sum of live documents' lengths
  uint64_t dead_ = 0;                                              // dead docids still in postings
  Spelling spelling_;
};

}  // namespace passerelle::search::detail
