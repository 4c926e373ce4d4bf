#include "platform/db/sqlite.hpp"

#include <atomic>
#include <sqlite3.h>

#include "platform/core/strings.hpp"

#include <chrono>
#include <condition_variable>
#include <map>
#include <thread>
#include <mutex>
#include <unordered_map>

namespace passerelle::db {
namespace {

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, const OpenOptions& options, bool create) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "mémoire insuffisante";
      sqlite3_close(db_);
      throw DbError("impossible d'ouvrir la base SQLite « " + path + " » : " + msg);
    }
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    sqlite3_extended_result_codes(db_, 1);
    exec_script("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
  }
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Rows query(std::string_view sql, const Params& params) override {
    sqlite3_stmt* stmt = prepare(sql, params);
    Rows rows(static_cast<size_t>(sqlite3_column_count(stmt)));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      for (size_t c = 0; c < rows.columns(); ++c) {
        int col = static_cast<int>(c);
        if (sqlite3_column_type(stmt, col) == SQLITE_NULL) {
          rows.add_cell(std::nullopt);
        } else {
          const void* data = sqlite3_column_blob(stmt, col);
          int n = sqlite3_column_bytes(stmt, col);
          rows.add_cell(std::string(static_cast<const char*>(data), static_cast<size_t>(n)));
        }
      }
    }
    finish(stmt, rc, sql);
    return rows;
  }

  int64_t exec(std::string_view sql, const Params& params) override {
    // Transactions run on the writer: taking the write lock at BEGIN lets busy_timeout wait for
    // another process's writer, where a deferred BEGIN would fail at once on the lock upgrade.
    if (sql == "BEGIN") sql = "BEGIN IMMEDIATE";
    sqlite3_stmt* stmt = prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    finish(stmt, rc, sql);
    return sqlite3_changes(db_);
  }

  void exec_script(std::string_view sql) override {
    char* err = nullptr;
    std::string s(sql);
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "erreur inconnue";
      sqlite3_free(err);
      throw DbError("SQLite : " + msg);
    }
  }

  Dialect dialect() const override { return Dialect::sqlite; }

 private:
  // Prepared statements are cached per connection: the same few queries run on every request.
  sqlite3_stmt* prepare(std::string_view sql, const Params& params) {
    auto it = cache_.find(sql);  // string_view lookup: no copy of the SQL text per query
    sqlite3_stmt* stmt;
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
        throw DbError(std::string("SQLite : ") + sqlite3_errmsg(db_) + " dans « " + std::string(sql) + " »");
      cache_.emplace(std::string(sql), stmt);
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const Param& p = params[i];
      int idx = static_cast<int>(i + 1);
      switch (p.kind) {
        case Param::Kind::null: sqlite3_bind_null(stmt, idx); break;
        case Param::Kind::integer: sqlite3_bind_int64(stmt, idx, p.i); break;
        case Param::Kind::real: sqlite3_bind_double(stmt, idx, p.d); break;
        case Param::Kind::text: sqlite3_bind_text(stmt, idx, p.s.data(), static_cast<int>(p.s.size()), SQLITE_TRANSIENT); break;
        case Param::Kind::blob: sqlite3_bind_blob(stmt, idx, p.s.data(), static_cast<int>(p.s.size()), SQLITE_TRANSIENT); break;
      }
    }
    return stmt;
  }

  void finish(sqlite3_stmt* stmt, int rc, std::string_view sql) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc == SQLITE_DONE) return;
    std::string msg = std::string("SQLite : ") + sqlite3_errmsg(db_);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) throw ConstraintViolation(msg);
    throw DbError(msg + " dans « " + std::string(sql) + " »");
  }

  sqlite3* db_ = nullptr;
  str::Map<sqlite3_stmt*> cache_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, OpenOptions options) : path_(std::move(path)), options_(options) {
    writer_ = std::make_unique<SqliteConnection>(path_, options_, true);
    if (options_.synchronous_commit) writer_->exec_script("PRAGMA synchronous=FULL;");
    // Checkpoints (copying the WAL back into the database file, with an fsync) run on a thread of
    // their own: done by the writer, as SQLite does by default every 1,000 pages, they would stall
    // whichever write happened to cross the threshold.
    writer_->exec_script("PRAGMA wal_autocheckpoint=0;");
    checkpointer_ = std::thread([this] { checkpoint_loop(); });
  }
  ~SqliteDatabase() override {
    {
      std::lock_guard lock(checkpoint_mutex_);
      stopping_ = true;
    }
    checkpoint_wake_.notify_all();
    checkpointer_.join();
  }

  Lease read() override {
    std::unique_lock lock(mutex_);
    if (free_.empty() && readers_.size() < options_.pool_size) {
      readers_.push_back(std::make_unique<SqliteConnection>(path_, options_, false));
      free_.push_back(readers_.back().get());
    }
    if (free_.empty()) {
      ++waits_;
      available_.wait(lock, [&] { return !free_.empty(); });
    }
    Connection* c = free_.back();
    free_.pop_back();
    return Lease(this, c, false);
  }

  Lease write() override {
    std::unique_lock lock(mutex_);
    ++writers_wanted_;
    if (writer_busy_) {
      ++waits_;
      available_.wait(lock, [&] { return !writer_busy_; });
    }
    writer_busy_ = true;
    return Lease(this, writer_.get(), true);
  }

  void release(Connection* conn, bool writer) override {
    {
      std::unique_lock lock(mutex_);
      if (writer) {
        --writers_wanted_;
        // The last writer of a burst commits the batch for everyone (still owning the writer).
        if (batch_open_ && (writers_wanted_ == 0 || batch_size_ >= kBatchMax || std::chrono::steady_clock::now() - batch_started_ > kBatchAge)) {
          lock.unlock();
          commit_batch();
          lock.lock();
        }
        writer_busy_ = false;
      } else {
        free_.push_back(conn);
      }
    }
    available_.notify_all();
  }

  Dialect dialect() const override { return Dialect::sqlite; }

  // PRAGMA data_version on a connection of its own: it moves whenever another connection
  // commits a change, this process's writer or any other process's (a write that changes
  // nothing, like the scheduler's INSERT … DO NOTHING, leaves it alone).
  std::string change_marker() override {
    std::lock_guard lock(marker_mutex_);
    if (!marker_conn_) marker_conn_ = std::make_unique<SqliteConnection>(path_, options_, false);
    // data_version counts from the marker connection's opening: the pool's serial makes two
    // pools on one file (tests, a reopened database) never give the same marker for other data.
    return std::to_string(serial_) + "." + marker_conn_->query("PRAGMA data_version", {})[0].str(0);
  }

  PoolStats stats() const override {
    std::lock_guard lock(mutex_);
    return {readers_.size() + 1, readers_.size() - free_.size() + (writer_busy_ ? 1 : 0), options_.pool_size + 1, waits_};
  }

  std::string describe() const override { return "sqlite:" + path_; }

 protected:
  // Group commit (synchronous_commit): one fsync for all the transactions of a burst. Each
  // transaction is a savepoint of a batch transaction that the last writer of the burst commits;
  // the others wait for that commit before they answer, so nothing is acknowledged before it is
  // on disk. The batch state is touched only by the thread owning the writer.
  void begin(Connection& conn) override {
    if (!options_.synchronous_commit) return conn.exec("BEGIN"), void();
    if (!batch_open_) {
      conn.exec("BEGIN IMMEDIATE");
      batch_open_ = true;
      batch_started_ = std::chrono::steady_clock::now();
    }
    conn.exec("SAVEPOINT transaction_in_batch");
  }
  uint64_t commit(Connection& conn) override {
    if (!options_.synchronous_commit) return conn.exec("COMMIT"), 0;
    conn.exec("RELEASE transaction_in_batch");
    ++batch_size_;
    return batch_ticket_;
  }
  void rollback(Connection& conn) override {
    if (!options_.synchronous_commit) return conn.exec("ROLLBACK"), void();
    conn.exec("ROLLBACK TO transaction_in_batch");
    conn.exec("RELEASE transaction_in_batch");
  }
  void wait_durable(uint64_t ticket) override {
    if (!ticket) return;
    std::unique_lock lock(mutex_);
    committed_.wait(lock, [&] { return committed_ticket_ >= ticket; });
    if (auto it = failed_.find(ticket); it != failed_.end()) throw DbError("SQLite : validation groupée impossible : " + it->second);
  }

 private:
  static constexpr size_t kBatchMax = 256;
  static constexpr std::chrono::milliseconds kBatchAge{10};

  void checkpoint_loop() {
    std::unique_ptr<SqliteConnection> conn;
    std::unique_lock lock(checkpoint_mutex_);
    while (!checkpoint_wake_.wait_for(lock, std::chrono::milliseconds(250), [&] { return stopping_; })) {
      lock.unlock();
      try {
        if (!conn) conn = std::make_unique<SqliteConnection>(path_, options_, false);
        // PASSIVE: never waits for readers or the writer; what it cannot copy now waits for the next turn.
        conn->exec_script("PRAGMA wal_checkpoint(PASSIVE);");
      } catch (const std::exception&) {
        conn.reset();  // the file may be gone (a test's temporary database); try again later
      }
      lock.lock();
    }
    lock.unlock();
    if (conn) {
      try { conn->exec_script("PRAGMA wal_checkpoint(PASSIVE);"); } catch (const std::exception&) {}
    }
  }

  void commit_batch() {
    std::string failure;
    try {
      writer_->exec("COMMIT", {});
    } catch (const std::exception& e) {
      failure = e.what();
      try { writer_->exec("ROLLBACK", {}); } catch (...) {}
    }
    {
      std::lock_guard lock(mutex_);
      if (!failure.empty()) failed_[batch_ticket_] = failure;
      while (failed_.size() > 64) failed_.erase(failed_.begin());
      committed_ticket_ = batch_ticket_++;
      batch_open_ = false;
      batch_size_ = 0;
    }
    committed_.notify_all();
  }

  std::string path_;
  OpenOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::unique_ptr<SqliteConnection> writer_;
  bool writer_busy_ = false;
  size_t writers_wanted_ = 0;  // threads holding or waiting for the writer
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wake_;
  bool stopping_ = false;
  std::thread checkpointer_;
  std::mutex marker_mutex_;
  std::unique_ptr<SqliteConnection> marker_conn_;
  static inline std::atomic<uint64_t> next_serial_{1};
  const uint64_t serial_ = next_serial_++;
  // Group commit: the open batch, its number, the last committed one and the failed ones.
  bool batch_open_ = false;
  size_t batch_size_ = 0;
  std::chrono::steady_clock::time_point batch_started_;
  uint64_t batch_ticket_ = 1, committed_ticket_ = 0;
  std::map<uint64_t, std::string> failed_;
  std::condition_variable committed_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
  std::vector<Connection*> free_;
  uint64_t waits_ = 0;
};

void copy_database(sqlite3* from, sqlite3* to) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (!backup) throw DbError(std::string("sauvegarde SQLite impossible : ") + sqlite3_errmsg(to));
  int rc;
  // Copy in steps so that writers of a live database are not blocked for the whole copy.
  while ((rc = sqlite3_backup_step(backup, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(5);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) throw DbError(std::string("sauvegarde SQLite interrompue : ") + sqlite3_errstr(rc));
}

struct Handle {
  sqlite3* db = nullptr;
  Handle(const std::string& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK)
      throw DbError("impossible d'ouvrir « " + path + " » : " + (db ? sqlite3_errmsg(db) : "mémoire insuffisante"));
  }
  ~Handle() { sqlite3_close_v2(db); }
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, const OpenOptions& options) {
  // SQLite's memory statistics (unused here) take a process-wide mutex on every sqlite3_malloc,
  // which the event loops then contend for. Only possible before SQLite initialises; later it is
  // refused (SQLITE_MISUSE) and nothing changes.
  static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)memstatus_off;
  return std::make_unique<SqliteDatabase>(path, options);
}

void sqlite_backup(const std::string& db_path, const std::string& out_path) {
  Handle from(db_path, SQLITE_OPEN_READONLY);
  Handle to(out_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  copy_database(from.db, to.db);
}

void sqlite_restore(const std::string& db_path, const std::string& backup_path) {
  Handle from(backup_path, SQLITE_OPEN_READONLY);
  {
    // Refuse a file that is not a SQLite database before touching the target.
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(from.db, "SELECT count(*) FROM sqlite_master", -1, &stmt, nullptr) != SQLITE_OK ||
        sqlite3_step(stmt) != SQLITE_ROW) {
      sqlite3_finalize(stmt);
      throw DbError("« " + backup_path + " » n'est pas une sauvegarde SQLite lisible");
    }
    sqlite3_finalize(stmt);
  }
  Handle to(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  copy_database(from.db, to.db);
}

}  // namespace passerelle::db
