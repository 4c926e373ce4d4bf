#pragma once
// Throw-away databases for the tests that run on both backends with the same code.
//   sqlite   → a fresh file in a temporary directory, removed at the end;
//   postgres → `CREATE DATABASE t_<random>` on the server that PASSERELLE_TEST_PG_URL points to
//              (scripts/test.sh sets it), dropped at the end.
// Without PASSERELLE_TEST_PG_URL the PostgreSQL cases fail: they are never skipped quietly.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "platform/db/database.hpp"

namespace passerelle::testing {

inline constexpr const char* kPgUrlVariable = "PASSERELLE_TEST_PG_URL";

class ScratchDatabase {
 public:
  // Throws std::runtime_error with a readable message when the backend cannot be prepared.
  explicit ScratchDatabase(const std::string& backend);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& backend() const { return backend_; }
  // A new pool on the scratch database (two calls = two "processes" on one database).
  std::unique_ptr<db::Database> open(const db::OpenOptions& options = {}) const { return db::open(url_, options); }

 private:
  std::string backend_, url_, admin_url_, pg_name_, dir_;
};

// Same URL with another database name: postgresql://u@h:p/postgres → postgresql://u@h:p/<name>.
std::string with_database_name(const std::string& url, const std::string& name);
// Runs the embedded migrations; fails the test on error.
void migrate_or_fail(db::Database& db);

// Value-parameterised fixture over {"sqlite", "postgres"}: one scratch database per backend
// and per test suite (created at the first test, dropped after the last), migrated, and a
// fresh pool on it for every test.
class BackendTest : public ::testing::TestWithParam<std::string> {
 public:
  static void TearDownTestSuite();

 protected:
  void SetUp() override;
  void TearDown() override { db_.reset(); }
  db::Database& db() { return *db_; }
  const ScratchDatabase& scratch() { return *suite_databases()[GetParam()]; }
  bool postgres() const { return GetParam() == "postgres"; }
  // Unique per process and call: keys, names and buckets that tests of one suite never share.
  static std::string unique(std::string_view prefix);

  std::unique_ptr<db::Database> db_;

 private:
  static std::map<std::string, std::unique_ptr<ScratchDatabase>>& suite_databases();
};

std::string backend_name(const ::testing::TestParamInfo<std::string>& info);

}  // namespace passerelle::testing

// INSTANTIATE_BACKENDS(Fixture) runs every TEST_P of Fixture on SQLite and on PostgreSQL.
#define INSTANTIATE_BACKENDS(Fixture) \
  INSTANTIATE_TEST_SUITE_P(Backends, Fixture, ::testing::Values(std::string("sqlite"), std::string("postgres")), \
                           ::passerelle::testing::backend_name)
