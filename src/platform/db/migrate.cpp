#include "platform/db/migrate.hpp"

#include <algorithm>

#include "platform/core/resources.hpp"
#include "platform/core/strings.hpp"

namespace passerelle::db {

std::vector<Migration> embedded_migrations(Dialect dialect) {
  std::string prefix = dialect == Dialect::sqlite ? "migrations/sqlite/" : "migrations/postgres/";
  std::vector<Migration> list;
  for (const auto& r : resources::all()) {
    if (r.path.rfind(prefix, 0) != 0) continue;
    std::string name(r.path.substr(prefix.size()));
    auto version = str::to_int(name.substr(0, name.find('_')));
    if (!version) continue;
    list.push_back({static_cast<int>(*version), name, r.bytes});
  }
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  return list;
}

int binary_schema_version() {
  auto list = embedded_migrations(Dialect::sqlite);
  return list.empty() ? 0 : list.back().version;
}

static void ensure_table(Connection& conn) {
  conn.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
}

int database_schema_version(Database& db) {
  auto conn = db.write();
  ensure_table(*conn);
  auto rows = conn->query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return static_cast<int>(rows[0].int64(0));
}

static Error too_new(int db_version, int bin_version) {
  return Error{ErrorKind::conflict, "db.too_new", "", {{"db", std::to_string(db_version)}, {"binary", std::to_string(bin_version)}}};
}

Result<MigrateReport> migrate(Database& db) {
  MigrateReport report;
  report.from = database_schema_version(db);
  int bin = binary_schema_version();
  if (report.from > bin) return too_new(report.from, bin);
  for (const auto& m : embedded_migrations(db.dialect())) {
    if (m.version <= report.from) continue;
    db.transaction([&](Connection& conn) {
      conn.exec_script(m.sql);
      conn.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                {m.version, m.name, static_cast<int64_t>(time(nullptr))});
    });
    report.applied.push_back(m.name);
  }
  report.to = database_schema_version(db);
  return report;
}

Status check_schema(Database& db) {
  int have = database_schema_version(db), want = binary_schema_version();
  if (have > want) return too_new(have, want);
  if (have < want)
    return Error{ErrorKind::conflict, "db.too_old", "", {{"db", std::to_string(have)}, {"binary", std::to_string(want)}}};
  return Ok{};
}

}  // namespace passerelle::db
