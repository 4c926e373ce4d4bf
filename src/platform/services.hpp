#pragma once
// Small shared services over the database. Everything that two Passerelle processes must agree
// on (sessions, rate-limit counters, the server secret, mail, files, job leases) lives in the
// database, never in process memory.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/db/database.hpp"
#include "platform/result.hpp"

namespace passerelle {

namespace settings {
std::optional<std::string> get(db::Connection& conn, std::string_view key);
void set(db::Connection& conn, std::string_view key, std::string_view value);
// Random secret created on first use; keys the CSRF tokens of every process.
std::string server_secret(db::Database& db);
}  // namespace settings

namespace sessions {
constexpr int64_t kLifetimeSeconds = 14 * 24 * 3600;
struct Created {
  std::string token;  // goes into the cookie; only its digest is stored
  std::string csrf;
};
struct Session {
  int64_t user_id = 0;
  std::string csrf;
};
Created create(db::Database& db, int64_t user_id);
std::optional<Session> find(db::Database& db, std::string_view token);
void destroy(db::Database& db, std::string_view token);
void destroy_all_for_user(db::Connection& conn, int64_t user_id);
int64_t purge_expired(db::Database& db);
}  // namespace sessions

namespace rate_limit {
struct Rule {
  std::string_view name;
  int64_t limit;
  int64_t window_seconds;
};
// Counts one hit for `key` under `rule`; refuses once the limit is reached in the window.
// Counters are in the database so that every process behind a load balancer shares them.
Status hit(db::Database& db, const Rule& rule, std::string_view key);
int64_t purge_old(db::Database& db);
}  // namespace rate_limit

namespace audit {
void record(db::Connection& conn, std::optional<int64_t> actor, std::optional<int64_t> territory, std::string_view action,
            std::string_view target, std::string_view details = "");
}

namespace mail {
// Every message lands in the outbox (readable by administrators); the mail job sends pending
// ones through SMTP when it is configured.
void enqueue(db::Connection& conn, std::string_view to, std::string_view subject, std::string_view body);
struct SmtpConfig {
  std::string host;
  unsigned short port = 25;
  std::string from = "passerelle@localhost";
  int64_t interval_seconds = 30;  // how often the outbox is flushed
};
// Sends up to `batch` pending messages; returns how many were sent.
int send_pending(db::Database& db, const SmtpConfig& smtp, int batch = 50);
}  // namespace mail

namespace files {
struct Stored {
  int64_t id;
  std::string sha256;
};
struct File {
  std::string name;
  std::string content_type;
  std::string bytes;
  std::string sha256;
};
constexpr size_t kMaxBytes = 10 * 1024 * 1024;
// Detects the type from the content (magic bytes), never from the name or the client's claim.
std::optional<std::string> sniff_type(std::string_view bytes);
Result<Stored> store(db::Database& db, std::string_view name, std::string_view bytes, std::optional<int64_t> user);
std::optional<File> load(db::Database& db, int64_t id);
}  // namespace files

}  // namespace passerelle
