// Schema migrations on both backends, each test on an empty database of its own.
#include "platform/db/migrate.hpp"

#include <gtest/gtest.h>

#include "support/scratch_database.hpp"

namespace db = passerelle::db;
using passerelle::ErrorKind;
using passerelle::testing::ScratchDatabase;

namespace {

class MigrateTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    try {
      scratch = std::make_unique<ScratchDatabase>(GetParam());
    } catch (const std::exception& e) {
      GTEST_FAIL() << e.what();
    }
    database = scratch->open();
  }
  void TearDown() override {
    database.reset();
    scratch.reset();
  }
  db::Dialect dialect() const { return GetParam() == "postgres" ? db::Dialect::postgres : db::Dialect::sqlite; }
  int64_t count(const std::string& sql) { return database->read()->query(sql)[0].int64(0); }

  std::unique_ptr<ScratchDatabase> scratch;
  std::unique_ptr<db::Database> database;
};

}  // namespace

TEST(EmbeddedMigrations, BothDialectsHaveTheSameVersions) {
  auto sqlite = db::embedded_migrations(db::Dialect::sqlite), pg = db::embedded_migrations(db::Dialect::postgres);
  ASSERT_FALSE(sqlite.empty());
  ASSERT_EQ(sqlite.size(), pg.size());
  for (size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, pg[i].version);
    EXPECT_EQ(sqlite[i].name, pg[i].name);
    EXPECT_FALSE(sqlite[i].sql.empty());
    if (i > 0) {
      EXPECT_LT(sqlite[i - 1].version, sqlite[i].version);
    }
  }
  EXPECT_EQ(sqlite.front().version, 1);
  EXPECT_EQ(db::binary_schema_version(), sqlite.back().version);
}

TEST_P(MigrateTest, EmptyDatabaseIsVersionZero) {
  EXPECT_EQ(db::database_schema_version(*database), 0);
  auto s = db::check_schema(*database);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message_key, "db.too_old");
}

TEST_P(MigrateTest, AppliesEveryMigration) {
  auto report = db::migrate(*database);
  ASSERT_TRUE(report.ok()) << report.error().message_key;
  EXPECT_EQ(report->from, 0);
  EXPECT_EQ(report->to, db::binary_schema_version());
  EXPECT_EQ(report->applied.size(), db::embedded_migrations(dialect()).size());
  EXPECT_EQ(report->applied.front(), db::embedded_migrations(dialect()).front().name);
  EXPECT_EQ(db::database_schema_version(*database), db::binary_schema_version());
  EXPECT_TRUE(db::check_schema(*database).ok());
  // The schema is there and usable.
  for (const char* t : {"settings", "territories", "territory_pages", "users", "memberships", "sessions", "one_time_tokens", "api_tokens",
                        "rate_limits", "audit_log", "outbox", "files", "jobs", "job_runs"})
    EXPECT_EQ(count(std::string("SELECT COUNT(*) FROM ") + t), 0) << t;
  EXPECT_EQ(count("SELECT COUNT(*) FROM schema_migrations"), static_cast<int64_t>(report->applied.size()));
  auto row_rows = database->read()->query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");  // a Row points into its Rows
  ASSERT_FALSE(row_rows.empty());
  auto row = row_rows[0];
  EXPECT_EQ(row.int64(0), 1);
  EXPECT_GT(row.int64(2), 1700000000);
}

TEST_P(MigrateTest, RerunIsANoOp) {
  ASSERT_TRUE(db::migrate(*database).ok());
  database->write()->exec("INSERT INTO settings (key, value) VALUES ('garde', 'intacte')");
  auto again = db::migrate(*database);
  ASSERT_TRUE(again.ok()) << again.error().message_key;
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->from, db::binary_schema_version());
  EXPECT_EQ(again->to, db::binary_schema_version());
  EXPECT_EQ(count("SELECT COUNT(*) FROM schema_migrations"), static_cast<int64_t>(db::embedded_migrations(dialect()).size()));
  EXPECT_EQ(database->read()->query("SELECT value FROM settings WHERE key = 'garde'")[0].str(0), "intacte");
}

TEST_P(MigrateTest, SecondProcessSeesTheMigratedSchema) {
  ASSERT_TRUE(db::migrate(*database).ok());
  auto other = scratch->open();
  EXPECT_TRUE(db::check_schema(*other).ok());
  auto again = db::migrate(*other);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->applied.empty());
}

TEST_P(MigrateTest, NewerSchemaIsRefused) {
  ASSERT_TRUE(db::migrate(*database).ok());
  int newer = db::binary_schema_version() + 1;
  database->write()->exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                          {newer, "9999_futur.sql", 1795348800});
  auto report = db::migrate(*database);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::conflict);
  EXPECT_EQ(report.error().message_key, "db.too_new");
  EXPECT_EQ(report.error().args, (std::vector<std::pair<std::string, std::string>>{
                                     {"db", std::to_string(newer)}, {"binary", std::to_string(db::binary_schema_version())}}));
  auto check = db::check_schema(*database);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.error().message_key, "db.too_new");
  // Nothing was touched.
  EXPECT_EQ(count("SELECT COUNT(*) FROM schema_migrations"), static_cast<int64_t>(db::embedded_migrations(dialect()).size()) + 1);
}

TEST_P(MigrateTest, FailedMigrationLeavesNoTrace) {
  // The last table the first migration creates already exists: the tables created before it
  // must go with the failed migration.
  database->write()->exec("CREATE TABLE job_runs (id INTEGER PRIMARY KEY)");
  EXPECT_THROW((void)db::migrate(*database), db::DbError);
  EXPECT_EQ(db::database_schema_version(*database), 0);
  auto tables = database->read()->query(GetParam() == "postgres"
                                            ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'territories'"
                                            : "SELECT COUNT(*) FROM sqlite_master WHERE name = 'territories'");
  EXPECT_EQ(tables[0].int64(0), 0);
}

INSTANTIATE_BACKENDS(MigrateTest);
