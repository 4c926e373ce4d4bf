#include "platform/db/postgres.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <condition_variable>
#include <cstring>
#include <mutex>

namespace passerelle::db {
namespace {

constexpr Oid kByteaOid = 17;

std::string decode_bytea_hex(const char* text) {
  // Text output of bytea is "\x" followed by hex digits.
  if (std::strncmp(text, "\\x", 2) != 0) return text;
  std::string out;
  for (const char* p = text + 2; p[0] && p[1]; p += 2) {
    auto v = [](char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; };
    out.push_back(static_cast<char>(v(p[0]) * 16 + v(p[1])));
  }
  return out;
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw DbError("connexion PostgreSQL impossible : " + msg);
    }
    PQclear(PQexec(conn_, "SET client_min_messages = warning"));
  }
  ~PgConnection() override { PQfinish(conn_); }

  Rows query(std::string_view sql, const Params& params) override {
    PGresult* res = run(sql, params);
    int nrows = PQntuples(res), ncols = PQnfields(res);
    Rows rows(static_cast<size_t>(ncols));
    for (int r = 0; r < nrows; ++r)
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res, r, c)) rows.add_cell(std::nullopt);
        else if (PQftype(res, c) == kByteaOid) rows.add_cell(decode_bytea_hex(PQgetvalue(res, r, c)));
        else rows.add_cell(std::string(PQgetvalue(res, r, c), static_cast<size_t>(PQgetlength(res, r, c))));
      }
    PQclear(res);
    return rows;
  }

  int64_t exec(std::string_view sql, const Params& params) override {
    PGresult* res = run(sql, params);
    const char* n = PQcmdTuples(res);
    int64_t changed = (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
    PQclear(res);
    return changed;
  }

  void exec_script(std::string_view sql) override {
    PGresult* res = PQexec(conn_, std::string(sql).c_str());
    check(res, sql);
    PQclear(res);
  }

  Dialect dialect() const override { return Dialect::postgres; }

  bool healthy() {
    if (PQstatus(conn_) == CONNECTION_OK) return true;
    PQreset(conn_);
    return PQstatus(conn_) == CONNECTION_OK;
  }

 private:
  PGresult* run(std::string_view sql, const Params& params) {
    std::string text = to_postgres_placeholders(sql);
    std::vector<std::string> values(params.size());
    std::vector<const char*> ptrs(params.size());
    std::vector<int> lengths(params.size()), formats(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      const Param& p = params[i];
      switch (p.kind) {
        case Param::Kind::null: ptrs[i] = nullptr; continue;
        case Param::Kind::integer: values[i] = std::to_string(p.i); break;
        case Param::Kind::real: {
          // Shortest text that reads back as the same double (std::to_string keeps 6 decimals).
          char buf[32];
          values[i].assign(buf, std::to_chars(buf, buf + sizeof buf, p.d).ptr);
          break;
        }
        case Param::Kind::text: values[i] = p.s; break;
        case Param::Kind::blob: values[i] = p.s; formats[i] = 1; break;
      }
      ptrs[i] = values[i].c_str();
      lengths[i] = static_cast<int>(values[i].size());
    }
    PGresult* res = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr, ptrs.data(), lengths.data(),
                                 formats.data(), 0);
    check(res, sql);
    return res;
  }

  void check(PGresult* res, std::string_view sql) {
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
    std::string msg = std::string("PostgreSQL : ") + PQresultErrorMessage(res);
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    bool constraint = state && std::strncmp(state, "23", 2) == 0;
    PQclear(res);
    if (constraint) throw ConstraintViolation(msg);
    throw DbError(msg + " dans « " + std::string(sql) + " »");
  }

  PGconn* conn_;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, OpenOptions options) : url_(std::move(url)), options_(options) {
    // Connect once now so that a wrong URL fails at start-up with a clear message.
    conns_.push_back(std::make_unique<PgConnection>(url_));
    free_.push_back(conns_.back().get());
  }

  Lease read() override { return acquire(); }
  Lease write() override { return acquire(); }

  void release(Connection* conn, bool) override {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(static_cast<PgConnection*>(conn));
    }
    available_.notify_one();
  }

  Dialect dialect() const override { return Dialect::postgres; }

  // The cluster's WAL position: every commit, of any process, writes WAL and moves it (so do a
  // few maintenance writes: a needless miss, never a stale hit).
  std::string change_marker() override {
    auto conn = acquire();
    return conn->query("SELECT pg_current_wal_lsn()::text")[0].str(0);
  }

  PoolStats stats() const override {
    std::lock_guard lock(mutex_);
    return {conns_.size(), conns_.size() - free_.size(), options_.pool_size, waits_};
  }

  std::string describe() const override {
    // Never print a password that the URL may carry.
    auto at = url_.find('@');
    auto scheme = url_.find("://");
    if (at == std::string::npos || scheme == std::string::npos) return url_;
    auto colon = url_.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) return url_.substr(0, colon) + ":***" + url_.substr(at);
    return url_;
  }

 private:
  Lease acquire() {
    std::unique_lock lock(mutex_);
    if (free_.empty() && conns_.size() < options_.pool_size) {
      lock.unlock();
      auto conn = std::make_unique<PgConnection>(url_);
      lock.lock();
      conns_.push_back(std::move(conn));
      free_.push_back(conns_.back().get());
    }
    if (free_.empty()) {
      ++waits_;
      available_.wait(lock, [&] { return !free_.empty(); });
    }
    PgConnection* c = free_.back();
    free_.pop_back();
    lock.unlock();
    if (!c->healthy()) {
      release(c, false);
      throw DbError("connexion PostgreSQL perdue et non rétablie");
    }
    return Lease(this, c, false);
  }

  std::string url_;
  OpenOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<PgConnection>> conns_;
  std::vector<PgConnection*> free_;
  uint64_t waits_ = 0;
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, const OpenOptions& options) {
  return std::make_unique<PgDatabase>(url, options);
}

}  // namespace passerelle::db
