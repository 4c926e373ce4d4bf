#pragma once
// One thin database interface over SQLite and PostgreSQL. SQL is written once, portably, with
// `?` placeholders (rewritten to $n for PostgreSQL). Times are Unix seconds in BIGINT columns.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <string_view>
#include <vector>

namespace passerelle::db {

enum class Dialect { sqlite, postgres };

struct Blob {
  std::string bytes;
};

// A bound parameter. Constructors cover the types stores use, so `{id, name}` just works.
struct Param {
  enum class Kind { null, integer, real, text, blob } kind = Kind::null;
  int64_t i = 0;
  double d = 0;
  std::string s;

  Param() = default;
  Param(std::nullptr_t) {}
  Param(int v) : kind(Kind::integer), i(v) {}
  Param(long v) : kind(Kind::integer), i(v) {}
  Param(long long v) : kind(Kind::integer), i(v) {}
  Param(unsigned v) : kind(Kind::integer), i(v) {}
  Param(bool v) : kind(Kind::integer), i(v ? 1 : 0) {}
  Param(double v) : kind(Kind::real), d(v) {}
  Param(std::string v) : kind(Kind::text), s(std::move(v)) {}
  Param(std::string_view v) : kind(Kind::text), s(v) {}
  Param(const char* v) : kind(Kind::text), s(v) {}
  Param(Blob v) : kind(Kind::blob), s(std::move(v.bytes)) {}
  template <class T>
  Param(const std::optional<T>& v) : Param(v ? Param(*v) : Param()) {}
};
using Params = std::vector<Param>;

class Rows;

// One row of a result; columns by index, in the order of the SELECT.
class Row {
 public:
  Row(const Rows& rows, size_t index) : rows_(&rows), index_(index) {}
  bool null(size_t col) const;
  std::string_view text(size_t col) const;  // "" for NULL
  std::string str(size_t col) const { return std::string(text(col)); }
  int64_t int64(size_t col) const;          // 0 for NULL
  double real(size_t col) const;
  std::optional<std::string> opt_str(size_t col) const;
  std::optional<int64_t> opt_int(size_t col) const;

 private:
  const Rows* rows_;
  size_t index_;
};

class Rows {
 public:
  explicit Rows(size_t columns = 0) : columns_(columns) {}
  size_t size() const { return columns_ ? cells_.size() / columns_ : 0; }
  bool empty() const { return size() == 0; }
  size_t columns() const { return columns_; }
  Row operator[](size_t i) const { return Row(*this, i); }
  std::optional<Row> first() const { return empty() ? std::nullopt : std::optional<Row>(Row(*this, 0)); }
  void add_cell(std::optional<std::string> v) { cells_.push_back(std::move(v)); }
  const std::optional<std::string>& cell(size_t row, size_t col) const { return cells_[row * columns_ + col]; }

  struct iterator {
    const Rows* rows;
    size_t i;
    Row operator*() const { return Row(*rows, i); }
    iterator& operator++() { ++i; return *this; }
    bool operator!=(const iterator& o) const { return i != o.i; }
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }

 private:
  size_t columns_;
  std::vector<std::optional<std::string>> cells_;
};

// Failures that cannot go on (connection lost, syntax error) are exceptions...
struct DbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// ...except constraint violations, which stores turn into conflict values.
struct ConstraintViolation : DbError {
  using DbError::DbError;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
  // Returns the number of rows changed.
  virtual int64_t exec(std::string_view sql, const Params& params = {}) = 0;
  // Runs several statements without parameters (migrations).
  virtual void exec_script(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;
};

struct PoolStats {
  size_t open = 0;
  size_t in_use = 0;
  size_t max = 0;
  uint64_t waits = 0;  // acquisitions that had to wait for a free connection
};

class Database;

// A connection borrowed from the pool, returned when it goes out of scope.
class Lease {
 public:
  Lease(Database* db, Connection* conn, bool writer) : db_(db), conn_(conn), writer_(writer) {}
  Lease(Lease&& o) noexcept : db_(o.db_), conn_(o.conn_), writer_(o.writer_) { o.conn_ = nullptr; }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();
  Connection* operator->() const { return conn_; }
  Connection& operator*() const { return *conn_; }

 private:
  Database* db_;
  Connection* conn_;
  bool writer_;
};

class Database {
 public:
  virtual ~Database() = default;
  // A connection for reading; concurrent readers are fine on both backends.
  virtual Lease read() = 0;
  // The connection for writing: SQLite has one writer, PostgreSQL any pooled connection.
  virtual Lease write() = 0;
  virtual Dialect dialect() const = 0;
  virtual PoolStats stats() const = 0;
  virtual std::string describe() const = 0;  // "sqlite:path" or the PostgreSQL URL without password
  // A value that changes whenever a commit may have changed the data, from this process or any
  // other (response caches compare it); "" when the backend cannot tell.
  virtual std::string change_marker() = 0;
  virtual void release(Connection* conn, bool writer) = 0;

  // Runs `fn` in a transaction on the writer; commits when it returns, rolls back on exception.
  // It returns once the transaction is as durable as the backend promises: with SQLite's group
  // commit, after the connection is given back and the batch holding it is on disk.
  template <class Fn>
  auto transaction(Fn&& fn) {
    using R = decltype(fn(std::declval<Connection&>()));
    uint64_t ticket = 0;
    std::optional<std::conditional_t<std::is_void_v<R>, bool, R>> result;
    {
      Lease conn = write();
      begin(*conn);
      try {
        if constexpr (std::is_void_v<R>) fn(*conn), result = true;
        else result.emplace(fn(*conn));
        ticket = commit(*conn);
      } catch (...) {
        try { rollback(*conn); } catch (...) {}
        throw;
      }
    }
    wait_durable(ticket);
    if constexpr (!std::is_void_v<R>) return std::move(*result);
  }

 protected:
  // How a transaction begins and ends; SQLite's group commit turns them into savepoints of a
  // shared transaction. commit() returns a ticket for wait_durable (0: durable already).
  virtual void begin(Connection& conn) { conn.exec("BEGIN"); }
  virtual uint64_t commit(Connection& conn) { conn.exec("COMMIT"); return 0; }
  virtual void rollback(Connection& conn) { conn.exec("ROLLBACK"); }
  // Blocks until the batch of `ticket` is committed; throws DbError if that commit failed.
  virtual void wait_durable(uint64_t ticket) {}
};

struct OpenOptions {
  size_t pool_size = 8;
  int busy_timeout_ms = 5000;
  // SQLite: fsync at commit (synchronous=FULL) with group commit; see SqliteDatabase.
  bool synchronous_commit = false;
};

// `sqlite:path/to/file.db` or `postgresql://user@host:port/dbname`.
std::unique_ptr<Database> open(const std::string& url, const OpenOptions& options = {});

// Rewrites `?` placeholders to `$1, $2…` outside string literals.
std::string to_postgres_placeholders(std::string_view sql);

}  // namespace passerelle::db
