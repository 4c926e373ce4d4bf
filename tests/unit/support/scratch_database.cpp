#include "support/scratch_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "platform/db/migrate.hpp"

namespace passerelle::testing {

namespace {
std::string random_suffix() {
  std::random_device rd;
  std::string out;
  static const char* digits = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) out += digits[rd() % 16];
  return out;
}
}  // namespace

std::string with_database_name(const std::string& url, const std::string& name) {
  auto scheme = url.find("://");
  size_t host_start = scheme == std::string::npos ? 0 : scheme + 3;
  auto query = url.find('?', host_start);
  std::string base = url.substr(0, query), rest = query == std::string::npos ? "" : url.substr(query);
  auto slash = base.find('/', host_start);
  if (slash != std::string::npos) base.resize(slash);
  return base + "/" + name + rest;
}

ScratchDatabase::ScratchDatabase(const std::string& backend) : backend_(backend) {
  if (backend == "sqlite") {
    std::string templ = (std::filesystem::temp_directory_path() / "passerelle-test-XXXXXX").string();
    if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp a échoué pour la base SQLite de test");
    dir_ = templ;
    url_ = "sqlite:" + dir_ + "/test.db";
    return;
  }
  if (backend != "postgres") throw std::runtime_error("moteur inconnu : " + backend);
  const char* admin = std::getenv(kPgUrlVariable);
  if (!admin || !*admin)
    throw std::runtime_error(std::string(kPgUrlVariable) +
                             " n'est pas défini : les tests PostgreSQL ont besoin d'un serveur "
                             "(scripts/test.sh le démarre ; à la main : export " + kPgUrlVariable +
                             "=$(scripts/pg.sh start))");
  admin_url_ = admin;
  pg_name_ = "t_" + random_suffix();
  {
    auto server = db::open(admin_url_, {.pool_size = 1});
    server->write()->exec("CREATE DATABASE " + pg_name_);
  }
  url_ = with_database_name(admin_url_, pg_name_);
}

ScratchDatabase::~ScratchDatabase() {
  try {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!pg_name_.empty()) {
      auto server = db::open(admin_url_, {.pool_size = 1});
      server->write()->exec("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << "nettoyage de la base de test : " << e.what();
  }
}

void migrate_or_fail(db::Database& db) {
  auto report = db::migrate(db);
  ASSERT_TRUE(report.ok()) << "migration refusée : " << report.error().message_key;
}

std::map<std::string, std::unique_ptr<ScratchDatabase>>& BackendTest::suite_databases() {
  static std::map<std::string, std::unique_ptr<ScratchDatabase>> databases;
  return databases;
}

void BackendTest::SetUp() {
  auto& slot = suite_databases()[GetParam()];
  if (!slot) {
    try {
      slot = std::make_unique<ScratchDatabase>(GetParam());
    } catch (const std::exception& e) {
      GTEST_FAIL() << e.what();
    }
    db_ = slot->open();
    migrate_or_fail(*db_);
    return;
  }
  db_ = slot->open();
}

void BackendTest::TearDownTestSuite() { suite_databases().clear(); }

std::string BackendTest::unique(std::string_view prefix) {
  static std::atomic<int> counter{0};
  return std::string(prefix) + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace passerelle::testing
