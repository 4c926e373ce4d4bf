#pragma once
// The search service of the platform: the Engine kept up to date from the database of record.
// Stores write a row in `search_changes` in the same transaction as the content they change
// (record_change); every process applies the change log to its own index, so several processes
// on one PostgreSQL all find each other's content. `passerelle reindex` rebuilds from scratch.
//
// Adding a kind of content (e.g. practices):
//  1. write a Source (kind(), load(), each_public()) in the module, e.g.
//     `std::unique_ptr<search::Source> practices::search_source();`
//  2. call `search::record_change(conn, "practice", id)` in every transaction that creates,
//     changes, publishes, hides or deletes one (or use triggers, as migrations 0002 do for
//     territories);
//  3. add it in `register_search_sources` (src/cli/main.cpp), which `serve` and `reindex` call.
//
// PostgreSQL hands out change ids at INSERT time, so a transaction holding a smaller id may
// commit after a larger one is visible. sync() keeps the ids it skipped ("gaps") and looks for
// them again at every pass for kGapWaitSeconds (30 s) before giving up on them (a rolled-back
// transaction leaves a gap forever). Rows older than a day are pruned by sync() once an hour
// (the newest row is always kept, so an index that missed pruned rows is detected and rebuilt).
#include <atomic>
#include <condition_variable>
#include <map>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "platform/db/database.hpp"
#include "search/engine.hpp"

namespace passerelle::search {

// One per kind of content (practices, places, contributions…), written by its module.
class Source {
 public:
  virtual ~Source() = default;
  virtual std::string kind() const = 0;
  // The document for `id`, or nothing when it must not be found (draft, hidden, deleted).
  virtual std::optional<Document> load(db::Connection& conn, int64_t id) = 0;
  // Every public document, for a rebuild.
  virtual void each_public(db::Connection& conn, const std::function<void(Document&&)>& emit) = 0;
};

// In the transaction that changes content of `kind`/`id`: notes that its document must be redone.
void record_change(db::Connection& conn, std::string_view kind, int64_t id);

class Service {
 public:
  Service(db::Database& db, std::unique_ptr<Engine> engine);
  ~Service();
  void add_source(std::unique_ptr<Source> source);

  // Rebuilds the whole index from the sources. Returns the number of documents.
  size_t reindex();
  // Applies the changes recorded since the last call. Returns how many were applied.
  size_t sync();
  // At start-up: rebuilds when the index was never built, has another format, missed pruned
  // change rows or comes from another database; otherwise syncs. Returns true if it rebuilt.
  bool bring_up_to_date();
  bool needs_rebuild();
  // Runs sync() every `interval_ms` on a thread of its own until stop().
  void start(int interval_ms = 200);
  void stop();

  Results search(const Query& query) const;
  // Moves each time changes reach the index: the page cache adds it to the database's marker,
  // since a page showing search results can change after the commit that caused it.
  uint64_t generation() const { return generation_.load(); }
  Engine& engine() { return *engine_; }
  const std::vector<std::unique_ptr<Source>>& sources() const { return sources_; }

  static constexpr int64_t kGapWaitSeconds = 30;
  static constexpr int64_t kKeepChangesSeconds = 24 * 3600;

 private:
  size_t sync_locked();
  void load_state();
  void save_state();
  void apply(db::Connection& conn, const std::vector<std::pair<std::string, int64_t>>& changes);
  Source* source(std::string_view kind);
  void prune();

  db::Database& db_;
  std::unique_ptr<Engine> engine_;
  std::vector<std::unique_ptr<Source>> sources_;
  std::mutex sync_mutex_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  // Applied up to cursor_, except the ids of gaps_ (id → when first missed, Unix seconds).
  bool loaded_ = false;
  int64_t cursor_ = 0;
  std::map<int64_t, int64_t> gaps_;
  int64_t last_prune_ = 0;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace passerelle::search
