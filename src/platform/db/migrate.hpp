#pragma once
#include <string>
#include <vector>

#include "platform/db/database.hpp"
#include "platform/result.hpp"

namespace passerelle::db {

struct Migration {
  int version;
  std::string name;
  std::string_view sql;
};

// Migrations embedded in the binary for the database's dialect, in version order.
std::vector<Migration> embedded_migrations(Dialect dialect);

int binary_schema_version();
// 0 for an empty database.
int database_schema_version(Database& db);

struct MigrateReport {
  int from = 0;
  int to = 0;
  std::vector<std::string> applied;
};

// Applies the missing migrations, each in its own transaction. A database newer than the
// binary is refused (an older binary must not write into a schema it does not know).
Result<MigrateReport> migrate(Database& db);

// For serve: ok only when the database is exactly at the binary's version.
Status check_schema(Database& db);

}  // namespace passerelle::db
