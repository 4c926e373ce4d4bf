#include "platform/web/config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace web = passerelle::web;
using passerelle::Error;

namespace {

class ConfigFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (std::filesystem::temp_directory_path() / "passerelle-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir = templ;
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string write(const std::string& text) {
    std::string path = dir + "/passerelle.conf";
    std::ofstream(path) << text;
    return path;
  }
  static std::string arg(const Error& e, std::string_view name) {
    for (const auto& [k, v] : e.args)
      if (k == name) return v;
    return "<absent>";
  }
  std::string dir;
};

// Sets an environment variable for the scope of one test.
struct ScopedEnv {
  ScopedEnv(const char* name, const char* value) : name(name) { setenv(name, value, 1); }
  ~ScopedEnv() { unsetenv(name); }
  const char* name;
};

}  // namespace

TEST_F(ConfigFile, ReadsKnownKeysCommentsAndBlankLines) {
  auto path = write(
      "# Passerelle\n"
      "\n"
      "db = postgresql://passerelle@db:5432/passerelle\n"
      "  listen =  0.0.0.0:8081  \n"
      "public_url = https://participer.exemple.fr\n"
      "secure_cookies = true\n"
      "trust_proxy = 1\n"
      "smtp_host = relais.exemple.fr\n"
      "smtp_port = 587\n"
      "smtp_from = ne-pas-repondre@exemple.fr\n"
      "instance_name = Passerelle de la Drôme = 26\n"
      "body_limit = 2097152\n"
      "header_limit = 32768\n"
      "max_connections = 100\n"
      "request_timeout_ms = 2500\n"
      "io_threads = 3\n"
      "\t# indented comment\r\n");
  web::Config c;
  auto s = web::load_file(c, path, true);
  ASSERT_TRUE(s.ok()) << s.error().message_key << " " << s.error().field;
  EXPECT_EQ(c.db_url, "postgresql://passerelle@db:5432/passerelle");
  EXPECT_EQ(c.server.host, "0.0.0.0");
  EXPECT_EQ(c.server.port, 8081);
  EXPECT_EQ(c.public_url, "https://participer.exemple.fr");
  EXPECT_TRUE(c.secure_cookies);
  EXPECT_TRUE(c.server.trust_proxy);
  EXPECT_EQ(c.smtp.host, "relais.exemple.fr");
  EXPECT_EQ(c.smtp.port, 587);
  EXPECT_EQ(c.smtp.from, "ne-pas-repondre@exemple.fr");
  EXPECT_EQ(c.instance_name, "Passerelle de la Drôme = 26");  // only the first '=' separates
  EXPECT_EQ(c.server.body_limit, 2097152u);
  EXPECT_EQ(c.server.header_limit, 32768u);
  EXPECT_EQ(c.server.max_connections, 100u);
  EXPECT_EQ(c.server.request_timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(c.server.io_threads, 3u);
}

TEST_F(ConfigFile, DefaultsStayWhenTheFileSaysNothing) {
  web::Config c;
  ASSERT_TRUE(web::load_file(c, write("# rien\n"), true).ok());
  web::Config d;
  EXPECT_EQ(c.db_url, d.db_url);
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_FALSE(c.secure_cookies);
}

TEST_F(ConfigFile, BooleansAreTrueOnlyForTrueOrOne) {
  web::Config c;
  c.secure_cookies = true;
  ASSERT_TRUE(web::load_file(c, write("secure_cookies = oui\ntrust_proxy = false\n"), true).ok());
  EXPECT_FALSE(c.secure_cookies);
  EXPECT_FALSE(c.server.trust_proxy);
}

TEST_F(ConfigFile, UnknownKeyIsRefusedWithItsLine) {
  web::Config c;
  auto s = web::load_file(c, write("db = sqlite:a.db\n\n# commentaire\nlisten_port = 80\n"), true);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message_key, "config.unknown_key");
  EXPECT_EQ(s.error().field, "listen_port");
  EXPECT_EQ(arg(s.error(), "line"), "4");
}

TEST_F(ConfigFile, LineWithoutEqualsIsRefusedWithItsLine) {
  web::Config c;
  auto s = web::load_file(c, write("db = sqlite:a.db\nn'importe quoi\n"), true);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message_key, "config.bad_line");
  EXPECT_EQ(arg(s.error(), "line"), "2");
}

TEST_F(ConfigFile, BadValuesAreRefusedWithTheirLine) {
  struct Case {
    const char* text;
    const char* key;
    const char* field;
    const char* line;
  };
  for (const Case& k : {Case{"body_limit = beaucoup\n", "config.not_a_number", "body_limit", "1"},
                        Case{"\nheader_limit = 0\n", "config.not_a_number", "header_limit", "2"},
                        Case{"\n\nmax_connections = -5\n", "config.not_a_number", "max_connections", "3"},
                        Case{"request_timeout_ms = 1.5\n", "config.not_a_number", "request_timeout_ms", "1"},
                        Case{"io_threads =\n", "config.not_a_number", "io_threads", "1"},
                        Case{"smtp_port = 70000\n", "config.not_a_number", "smtp_port", "1"},
                        Case{"smtp_port = 0\n", "config.not_a_number", "smtp_port", "1"},
                        Case{"# a\nlisten = 8080\n", "config.bad_listen", "listen", "2"}}) {
    web::Config c;
    auto s = web::load_file(c, write(k.text), true);
    ASSERT_FALSE(s.ok()) << k.text;
    EXPECT_EQ(s.error().message_key, k.key) << k.text;
    EXPECT_EQ(s.error().field, k.field) << k.text;
    EXPECT_EQ(arg(s.error(), "line"), k.line) << k.text;
  }
}

TEST_F(ConfigFile, MissingFile) {
  web::Config c;
  auto optional = web::load_file(c, dir + "/absent.conf", false);
  EXPECT_TRUE(optional.ok());
  auto required = web::load_file(c, dir + "/absent.conf", true);
  ASSERT_FALSE(required.ok());
  EXPECT_EQ(required.error().message_key, "config.file_missing");
  EXPECT_EQ(required.error().field, dir + "/absent.conf");
}

TEST(Listen, ParsesHostAndPort) {
  web::Config c;
  ASSERT_TRUE(web::parse_listen(c, "127.0.0.1:8080").ok());
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  ASSERT_TRUE(web::parse_listen(c, "[::1]:9000").ok());
  EXPECT_EQ(c.server.host, "::1");
  EXPECT_EQ(c.server.port, 9000);
  ASSERT_TRUE(web::parse_listen(c, "0.0.0.0:0").ok());  // 0: any free port
  EXPECT_EQ(c.server.port, 0);
  ASSERT_TRUE(web::parse_listen(c, "localhost:65535").ok());
  EXPECT_EQ(c.server.host, "localhost");
  EXPECT_EQ(c.server.port, 65535);
}

TEST(Listen, RefusesMalformedAddressesAndKeepsTheOldValue) {
  for (const char* bad : {"8080", "127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:80a",
                          "[::1]", "[]:80", ""}) {
    web::Config c;
    auto s = web::parse_listen(c, bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().message_key, "config.bad_listen") << bad;
    EXPECT_EQ(s.error().field, "listen");
    EXPECT_EQ(c.server.host, "127.0.0.1") << bad;
    EXPECT_EQ(c.server.port, 8080) << bad;
  }
}

TEST(Env, OverridesFromPasserelleVariables) {
  ScopedEnv db("PASSERELLE_DB", "sqlite:/srv/passerelle.db");
  ScopedEnv listen("PASSERELLE_LISTEN", "[::]:9090");
  ScopedEnv secure("PASSERELLE_SECURE_COOKIES", "true");
  ScopedEnv limit("PASSERELLE_BODY_LIMIT", "4096");
  ScopedEnv name("PASSERELLE_INSTANCE_NAME", "Passerelle Réunion");
  web::Config c;
  auto s = web::load_env(c);
  ASSERT_TRUE(s.ok()) << s.error().message_key;
  EXPECT_EQ(c.db_url, "sqlite:/srv/passerelle.db");
  EXPECT_EQ(c.server.host, "::");
  EXPECT_EQ(c.server.port, 9090);
  EXPECT_TRUE(c.secure_cookies);
  EXPECT_EQ(c.server.body_limit, 4096u);
  EXPECT_EQ(c.instance_name, "Passerelle Réunion");
}

TEST(Env, NothingSetChangesNothing) {
  web::Config c;
  ASSERT_TRUE(web::load_env(c).ok());
  EXPECT_EQ(c.db_url, web::Config{}.db_url);
}

TEST(Env, BadValueIsRefusedWithTheKey) {
  ScopedEnv port("PASSERELLE_SMTP_PORT", "vingt-cinq");
  web::Config c;
  auto s = web::load_env(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message_key, "config.not_a_number");
  EXPECT_EQ(s.error().field, "smtp_port");
}

TEST_F(ConfigFile, EnvironmentComesAfterTheFile) {
  ScopedEnv listen("PASSERELLE_LISTEN", "127.0.0.1:7000");
  web::Config c;
  ASSERT_TRUE(web::load_file(c, write("listen = 127.0.0.1:6000\ninstance_name = Fichier\n"), true).ok());
  ASSERT_TRUE(web::load_env(c).ok());
  EXPECT_EQ(c.server.port, 7000);
  EXPECT_EQ(c.instance_name, "Fichier");
}
