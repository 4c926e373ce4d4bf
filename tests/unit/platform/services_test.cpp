// Shared services over the database (sessions, rate limits, files, audit, settings, outbox),
// with the same code on SQLite and PostgreSQL.
#include "platform/services.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "platform/clock.hpp"
#include "platform/security/crypto.hpp"
#include "support/scratch_database.hpp"

namespace db = passerelle::db;
namespace sessions = passerelle::sessions;
namespace rate_limit = passerelle::rate_limit;
namespace files = passerelle::files;
namespace settings = passerelle::settings;
using passerelle::ErrorKind;
using passerelle::unix_now;
using passerelle::testing::BackendTest;
using namespace std::string_literals;

namespace {

class ServicesTest : public BackendTest {
 protected:
  int64_t make_user() {
    auto rows = db().write()->query(
        "INSERT INTO users (email, display_name, profile_type, created_at) VALUES (?, ?, 'citoyen', ?) RETURNING id",
        {unique("u") + "@exemple.fr", "Camille", unix_now()});
    return rows[0].int64(0);
  }
  int64_t count(const std::string& sql, const db::Params& params = {}) { return db().read()->query(sql, params)[0].int64(0); }
};

const std::string kPng = "\x89PNG\r\n\x1a\n"s + [] {
  std::string s;
  for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
  for (int i = 0; i < 8; ++i) s += "\0\xff"s;
  return s;
}();
const std::string kPngSha256 = "155280af769745d8ec2cdacff99e870dbf01a6234babe55b2b3d0cf7b2441c26";
const std::string kPdf = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n";
const std::string kPdfSha256 = "87fe797db713517346bdc5a03d93ed2250cfe868ae920e872ae2c159bfb347dc";

}  // namespace

// Settings ------------------------------------------------------------------------------------

TEST_P(ServicesTest, SettingsGetSetOverwrite) {
  auto key = unique("cle");
  auto w = db().write();
  EXPECT_EQ(settings::get(*w, key), std::nullopt);
  settings::set(*w, key, "un");
  EXPECT_EQ(settings::get(*w, key), "un");
  settings::set(*w, key, "deux « é »");
  EXPECT_EQ(settings::get(*w, key), "deux « é »");
}

TEST_P(ServicesTest, ServerSecretIsCreatedOnceAndShared) {
  std::string secret = settings::server_secret(db());
  EXPECT_EQ(secret.size(), 43u);
  EXPECT_EQ(settings::server_secret(db()), secret);
  auto other = scratch().open();  // another process on the same database
  EXPECT_EQ(settings::server_secret(*other), secret);
}

// Sessions ------------------------------------------------------------------------------------

TEST_P(ServicesTest, SessionCreateFindDestroy) {
  int64_t user = make_user();
  auto created = sessions::create(db(), user);
  EXPECT_EQ(created.token.size(), 43u);
  EXPECT_EQ(created.csrf.size(), 43u);
  EXPECT_NE(created.token, created.csrf);
  auto found = sessions::find(db(), created.token);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->user_id, user);
  EXPECT_EQ(found->csrf, created.csrf);
  // Another process finds it too: sessions live in the database.
  auto other = scratch().open();
  EXPECT_TRUE(sessions::find(*other, created.token).has_value());
  sessions::destroy(db(), created.token);
  EXPECT_FALSE(sessions::find(db(), created.token).has_value());
  EXPECT_FALSE(sessions::find(*other, created.token).has_value());
}

TEST_P(ServicesTest, SessionTokenIsStoredOnlyAsADigest) {
  int64_t user = make_user();
  auto created = sessions::create(db(), user);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE id_hash = ?", {created.token}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE id_hash = ?", {passerelle::security::token_digest(created.token)}), 1);
  auto row_rows = db().read()->query("SELECT created_at, expires_at FROM sessions WHERE user_id = ?", {user});  // a Row points into its Rows
  ASSERT_FALSE(row_rows.empty());
  auto row = row_rows[0];
  EXPECT_EQ(row.int64(1) - row.int64(0), sessions::kLifetimeSeconds);
  EXPECT_LE(std::abs(row.int64(0) - unix_now()), 5);
}

TEST_P(ServicesTest, UnknownOrMalformedTokensFindNothing) {
  EXPECT_FALSE(sessions::find(db(), "").has_value());
  EXPECT_FALSE(sessions::find(db(), passerelle::security::random_token()).has_value());
  EXPECT_FALSE(sessions::find(db(), std::string(129, 'a')).has_value());
  EXPECT_FALSE(sessions::find(db(), "' OR 1=1 --").has_value());
}

TEST_P(ServicesTest, ExpiredSessionsAreIgnoredThenPurged) {
  int64_t user = make_user();
  auto live = sessions::create(db(), user);
  auto old = sessions::create(db(), user);
  db().write()->exec("UPDATE sessions SET expires_at = ? WHERE id_hash = ?", {unix_now() - 1, passerelle::security::token_digest(old.token)});
  EXPECT_FALSE(sessions::find(db(), old.token).has_value());
  EXPECT_TRUE(sessions::find(db(), live.token).has_value());
  EXPECT_GE(sessions::purge_expired(db()), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE user_id = ?", {user}), 1);
  EXPECT_TRUE(sessions::find(db(), live.token).has_value());
}

TEST_P(ServicesTest, DeletedAccountsHaveNoSession) {
  int64_t user = make_user();
  auto s = sessions::create(db(), user);
  db().write()->exec("UPDATE users SET deleted_at = ? WHERE id = ?", {unix_now(), user});
  EXPECT_FALSE(sessions::find(db(), s.token).has_value());
}

TEST_P(ServicesTest, DestroyAllForOneUser) {
  int64_t a = make_user(), b = make_user();
  auto a1 = sessions::create(db(), a), a2 = sessions::create(db(), a), b1 = sessions::create(db(), b);
  sessions::destroy_all_for_user(*db().write(), a);
  EXPECT_FALSE(sessions::find(db(), a1.token).has_value());
  EXPECT_FALSE(sessions::find(db(), a2.token).has_value());
  EXPECT_TRUE(sessions::find(db(), b1.token).has_value());
}

TEST_P(ServicesTest, SessionForAMissingUserIsRefused) {
  EXPECT_THROW(sessions::create(db(), 987654321), db::ConstraintViolation);
}

// Rate limits ---------------------------------------------------------------------------------

TEST_P(ServicesTest, RateLimitCountsThenRefuses) {
  std::string name = unique("connexion");
  rate_limit::Rule rule{name, 3, 86400};
  for (int i = 1; i <= 3; ++i) EXPECT_TRUE(rate_limit::hit(db(), rule, "10.0.0.1").ok()) << "hit " << i;
  for (int i = 4; i <= 5; ++i) {
    auto s = rate_limit::hit(db(), rule, "10.0.0.1");
    ASSERT_FALSE(s.ok()) << "hit " << i;
    EXPECT_EQ(s.error().kind, ErrorKind::rate_limited);
    EXPECT_EQ(s.error().message_key, "error.rate_limited");
    ASSERT_EQ(s.error().args.size(), 1u);
    EXPECT_EQ(s.error().args[0].first, "seconds");
    auto seconds = std::stoll(s.error().args[0].second);
    EXPECT_GT(seconds, 0);
    EXPECT_LE(seconds, 86400);
  }
  EXPECT_EQ(count("SELECT count FROM rate_limits WHERE bucket = ?", {name + ":10.0.0.1"}), 5);
}

TEST_P(ServicesTest, RateLimitBucketsAreSeparateByKeyAndRule) {
  std::string name = unique("inscription"), other_name = name + "-bis";
  rate_limit::Rule rule{name, 1, 86400}, other_rule{other_name, 1, 86400};
  EXPECT_TRUE(rate_limit::hit(db(), rule, "a@b.fr").ok());
  EXPECT_FALSE(rate_limit::hit(db(), rule, "a@b.fr").ok());
  EXPECT_TRUE(rate_limit::hit(db(), rule, "c@d.fr").ok());
  EXPECT_TRUE(rate_limit::hit(db(), other_rule, "a@b.fr").ok());
}

TEST_P(ServicesTest, RateLimitIsSharedBetweenProcesses) {
  std::string name = unique("partage");
  rate_limit::Rule rule{name, 2, 86400};
  auto other = scratch().open();
  EXPECT_TRUE(rate_limit::hit(db(), rule, "ip").ok());
  EXPECT_TRUE(rate_limit::hit(*other, rule, "ip").ok());
  EXPECT_FALSE(rate_limit::hit(db(), rule, "ip").ok());
  EXPECT_FALSE(rate_limit::hit(*other, rule, "ip").ok());
}

TEST_P(ServicesTest, RateLimitCountsConcurrentHitsExactly) {
  std::string name = unique("rafale");
  rate_limit::Rule rule{name, 10, 86400};
  auto other = scratch().open();
  std::atomic<int> allowed{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      db::Database& pool = t % 2 ? *other : db();
      for (int i = 0; i < 5; ++i) (rate_limit::hit(pool, rule, "ip").ok() ? allowed : refused)++;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed.load(), 10);
  EXPECT_EQ(refused.load(), 10);
}

TEST_P(ServicesTest, RateLimitPurgeKeepsTheCurrentWindows) {
  std::string name = unique("purge");
  rate_limit::Rule rule{name, 5, 60};
  ASSERT_TRUE(rate_limit::hit(db(), rule, "ip").ok());
  std::string old_bucket = std::string(rule.name) + ":ancien";
  db().write()->exec("INSERT INTO rate_limits (bucket, window_start, count) VALUES (?, ?, 7)", {old_bucket, unix_now() - 3 * 24 * 3600});
  EXPECT_GE(rate_limit::purge_old(db()), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM rate_limits WHERE bucket = ?", {old_bucket}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM rate_limits WHERE bucket = ?", {std::string(rule.name) + ":ip"}), 1);
}

// Files ---------------------------------------------------------------------------------------

TEST(SniffType, RecognisesContentNotNames) {
  EXPECT_EQ(files::sniff_type(kPng), "image/png");
  EXPECT_EQ(files::sniff_type("\xff\xd8\xff\xe0\x00\x10JFIF"s), "image/jpeg");
  EXPECT_EQ(files::sniff_type("GIF87a...."), "image/gif");
  EXPECT_EQ(files::sniff_type("GIF89a...."), "image/gif");
  EXPECT_EQ(files::sniff_type("RIFF\x24\x00\x00\x00WEBPVP8 "s), "image/webp");
  EXPECT_EQ(files::sniff_type(kPdf), "application/pdf");
}

TEST(SniffType, RefusesEverythingElse) {
  for (std::string b : {""s, "\x89PNG"s, "\xff\xd8"s, "GIF88a"s, "RIFF\x24\x00\x00\x00WAVEfmt "s, "RIFF\x24\x00\x00\x00WEBP"s,
                        "<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"s, "<!DOCTYPE html><html>"s, "%PDF"s,
                        "PK\x03\x04"s, "MZ\x90\x00"s, "texte brut"s, " %PDF-1.4"s})
    EXPECT_EQ(files::sniff_type(b), std::nullopt) << ::testing::PrintToString(b);
}

TEST_P(ServicesTest, FileStoreAndLoadKeepEveryByte) {
  int64_t user = make_user();
  auto stored = files::store(db(), "photo.jpg", kPng, user);  // the name lies; the content decides
  ASSERT_TRUE(stored.ok()) << stored.error().message_key;
  EXPECT_GT(stored->id, 0);
  EXPECT_EQ(stored->sha256, kPngSha256);
  auto loaded = files::load(db(), stored->id);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->name, "photo.jpg");
  EXPECT_EQ(loaded->content_type, "image/png");
  EXPECT_EQ(loaded->bytes, kPng);
  EXPECT_EQ(loaded->sha256, kPngSha256);
  auto row_rows = db().read()->query("SELECT size, uploaded_by FROM files WHERE id = ?", {stored->id});  // a Row points into its Rows
  ASSERT_FALSE(row_rows.empty());
  auto row = row_rows[0];
  EXPECT_EQ(row.int64(0), static_cast<int64_t>(kPng.size()));
  EXPECT_EQ(row.opt_int(1), user);
}

TEST_P(ServicesTest, FileWithoutUploaderAndTwiceTheSameContent) {
  auto a = files::store(db(), "compte-rendu.pdf", kPdf, std::nullopt);
  auto b = files::store(db(), "copie.pdf", kPdf, std::nullopt);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->id, b->id);
  EXPECT_EQ(a->sha256, kPdfSha256);
  EXPECT_EQ(b->sha256, kPdfSha256);
  EXPECT_EQ(files::load(db(), b->id)->content_type, "application/pdf");
}

TEST_P(ServicesTest, FileRefusals) {
  auto empty = files::store(db(), "vide.png", "", std::nullopt);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message_key, "files.empty");
  EXPECT_EQ(empty.error().field, "fichier");
  std::string huge = kPng + std::string(files::kMaxBytes, 'x');
  auto big = files::store(db(), "grand.png", huge, std::nullopt);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().message_key, "files.too_large");
  auto html = files::store(db(), "image.png", "<html><script>alert(1)</script></html>", std::nullopt);
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.error().message_key, "files.type_refused");
  EXPECT_EQ(html.error().kind, ErrorKind::validation);
}

TEST_P(ServicesTest, FileAtTheSizeLimitIsAccepted) {
  std::string exact = kPng + std::string(files::kMaxBytes - kPng.size(), '\0');
  auto stored = files::store(db(), "limite.png", exact, std::nullopt);
  ASSERT_TRUE(stored.ok()) << stored.error().message_key;
  EXPECT_EQ(files::load(db(), stored->id)->bytes.size(), files::kMaxBytes);
}

TEST_P(ServicesTest, UnknownFileIsNotFound) { EXPECT_FALSE(files::load(db(), 987654321).has_value()); }

// Audit and outbox ----------------------------------------------------------------------------

TEST_P(ServicesTest, AuditRecordsWhoDidWhatWhere) {
  int64_t user = make_user();
  std::string action = unique("territory.create");
  passerelle::audit::record(*db().write(), user, 42, action, "lyon", "détails « ok »");
  passerelle::audit::record(*db().write(), std::nullopt, std::nullopt, action, "systeme");
  auto rows = db().read()->query(
      "SELECT actor_user_id, territory_id, target, details, at FROM audit_log WHERE action = ? ORDER BY id", {action});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].opt_int(0), user);
  EXPECT_EQ(rows[0].opt_int(1), 42);
  EXPECT_EQ(rows[0].str(2), "lyon");
  EXPECT_EQ(rows[0].str(3), "détails « ok »");
  EXPECT_LE(std::abs(rows[0].int64(4) - unix_now()), 5);
  EXPECT_TRUE(rows[1].null(0));
  EXPECT_TRUE(rows[1].null(1));
  EXPECT_EQ(rows[1].str(3), "");
}

TEST_P(ServicesTest, AuditIsPartOfTheCallersTransaction) {
  std::string action = unique("annule");
  EXPECT_THROW(db().transaction([&](db::Connection& c) {
    passerelle::audit::record(c, std::nullopt, std::nullopt, action, "x");
    throw std::runtime_error("abandon");
  }),
               std::runtime_error);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = ?", {action}), 0);
}

TEST_P(ServicesTest, MailGoesToTheOutbox) {
  std::string to = unique("dest") + "@exemple.fr";
  passerelle::mail::enqueue(*db().write(), to, "Confirmez votre adresse", "Bonjour,\n.\nLigne avec un point.");
  auto rows = db().read()->query("SELECT subject, body, sent_at, attempts FROM outbox WHERE recipient = ?", {to});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].str(0), "Confirmez votre adresse");
  EXPECT_EQ(rows[0].str(1), "Bonjour,\n.\nLigne avec un point.");
  EXPECT_TRUE(rows[0].null(2));
  EXPECT_EQ(rows[0].int64(3), 0);
  // Without an SMTP relay nothing is sent and nothing is marked.
  EXPECT_EQ(passerelle::mail::send_pending(db(), {}), 0);
  EXPECT_TRUE(db().read()->query("SELECT sent_at FROM outbox WHERE recipient = ?", {to})[0].null(0));
}

INSTANTIATE_BACKENDS(ServicesTest);
