#pragma once
// The search service of the platform: the Engine kept up to date from the database of record.
// Stores write a row in `search_changes` in the same transaction as the content they change
// (record_change); every process applies the change log to its own index, so several processes
// on one PostgreSQL all find each other's content. `passerelle reindex` rebuilds from scratch.
#include <atomic>
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
  // Runs sync() every `interval_ms` on a thread of its own until stop().
  void start(int interval_ms = 200);
  void stop();

  Results search(const Query& query) const;
  Engine& engine() { return *engine_; }

 private:
  db::Database& db_;
  std::unique_ptr<Engine> engine_;
  std::vector<std::unique_ptr<Source>> sources_;
  std::mutex sync_mutex_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
};

}  // namespace passerelle::search
