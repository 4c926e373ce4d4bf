#pragma once
#include <memory>
#include <string>

#include "platform/db/database.hpp"

namespace passerelle::db {

// SQLite in WAL mode: one writer connection (SQLite allows one writer at a time anyway, so
// writers queue here instead of spinning on SQLITE_BUSY) and a pool of readers.
std::unique_ptr<Database> open_sqlite(const std::string& path, const OpenOptions& options);

// Online backup of a live database into `out_path` (sqlite3_backup API, no lock held for long).
void sqlite_backup(const std::string& db_path, const std::string& out_path);
// Replaces the content of `db_path` with the backup at `backup_path`.
void sqlite_restore(const std::string& db_path, const std::string& backup_path);

}  // namespace passerelle::db
