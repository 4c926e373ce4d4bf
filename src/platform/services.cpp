#include "platform/services.hpp"

#include <sodium.h>

#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/security/crypto.hpp"

namespace passerelle {

namespace settings {
std::optional<std::string> get(db::Connection& conn, std::string_view key) {
  auto rows = conn.query("SELECT value FROM settings WHERE key = ?", {key});
  if (rows.empty()) return std::nullopt;
  return rows[0].str(0);
}

void set(db::Connection& conn, std::string_view key, std::string_view value) {
  conn.exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", {key, value});
}

std::string server_secret(db::Database& db) {
  {
    auto conn = db.read();
    if (auto v = get(*conn, "server_secret")) return *v;
  }
  auto conn = db.write();
  // ON CONFLICT DO NOTHING: two processes starting together agree on the first secret written.
  conn->exec("INSERT INTO settings (key, value) VALUES ('server_secret', ?) ON CONFLICT (key) DO NOTHING", {security::random_token()});
  return *get(*conn, "server_secret");
}
}  // namespace settings

namespace sessions {
Created create(db::Database& db, int64_t user_id) {
  Created c{security::random_token(), security::random_token()};
  int64_t now = unix_now();
  auto conn = db.write();
  conn->exec("INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
             {security::token_digest(c.token), user_id, c.csrf, now, now + kLifetimeSeconds});
  return c;
}

std::optional<Session> find(db::Database& db, std::string_view token) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  auto conn = db.read();
  auto rows = conn->query(
      "SELECT s.user_id, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id "
      "WHERE s.id_hash = ? AND s.expires_at > ? AND u.deleted_at IS NULL",
      {security::token_digest(token), unix_now()});
  if (rows.empty()) return std::nullopt;
  return Session{rows[0].int64(0), rows[0].str(1)};
}

void destroy(db::Database& db, std::string_view token) {
  auto conn = db.write();
  conn->exec("DELETE FROM sessions WHERE id_hash = ?", {security::token_digest(token)});
}

void destroy_all_for_user(db::Connection& conn, int64_t user_id) { conn.exec("DELETE FROM sessions WHERE user_id = ?", {user_id}); }

int64_t purge_expired(db::Database& db) {
  auto conn = db.write();
  return conn->exec("DELETE FROM sessions WHERE expires_at <= ?", {unix_now()});
}
}  // namespace sessions

namespace rate_limit {
Status hit(db::Database& db, const Rule& rule, std::string_view key) {
  int64_t now = unix_now();
  int64_t window = now - now % rule.window_seconds;
  std::string bucket = std::string(rule.name) + ":" + std::string(key);
  auto conn = db.write();
  auto rows = conn->query(
      "INSERT INTO rate_limits (bucket, window_start, count) VALUES (?, ?, 1) "
      "ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count",
      {bucket, window});
  if (rows[0].int64(0) > rule.limit)
    return Error{ErrorKind::rate_limited, "error.rate_limited", "", {{"seconds", std::to_string(window + rule.window_seconds - now)}}};
  return Ok{};
}

int64_t purge_old(db::Database& db) {
  auto conn = db.write();
  return conn->exec("DELETE FROM rate_limits WHERE window_start < ?", {unix_now() - 24 * 3600});
}
}  // namespace rate_limit

namespace audit {
void record(db::Connection& conn, std::optional<int64_t> actor, std::optional<int64_t> territory, std::string_view action,
            std::string_view target, std::string_view details) {
  conn.exec("INSERT INTO audit_log (at, actor_user_id, territory_id, action, target, details) VALUES (?, ?, ?, ?, ?, ?)",
            {unix_now(), actor, territory, action, target, details});
}
}  // namespace audit

namespace mail {
void enqueue(db::Connection& conn, std::string_view to, std::string_view subject, std::string_view body) {
  conn.exec("INSERT INTO outbox (created_at, recipient, subject, body) VALUES (?, ?, ?, ?)", {unix_now(), to, subject, body});
}
}  // namespace mail

namespace files {
std::optional<std::string> sniff_type(std::string_view b) {
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts("\xff\xd8\xff")) return "image/jpeg";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (b.size() > 12 && starts("RIFF") && b.substr(8, 4) == "WEBP") return "image/webp";
  if (starts("%PDF-")) return "application/pdf";
  return std::nullopt;
}

Result<Stored> store(db::Database& db, std::string_view name, std::string_view bytes, std::optional<int64_t> user) {
  if (bytes.empty()) return Error::validation("fichier", "files.empty");
  if (bytes.size() > kMaxBytes) return Error::validation("fichier", "files.too_large");
  auto type = sniff_type(bytes);
  if (!type) return Error::validation("fichier", "files.type_refused");
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string sha = str::hex(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
  auto conn = db.write();
  auto rows = conn->query(
      "INSERT INTO files (sha256, name, content_type, size, bytes, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {sha, name, *type, static_cast<int64_t>(bytes.size()), db::Blob{std::string(bytes)}, user, unix_now()});
  return Stored{rows[0].int64(0), sha};
}

std::optional<File> load(db::Database& db, int64_t id) {
  auto conn = db.read();
  auto rows = conn->query("SELECT name, content_type, bytes, sha256 FROM files WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return File{rows[0].str(0), rows[0].str(1), rows[0].str(2), rows[0].str(3)};
}
}  // namespace files

}  // namespace passerelle
