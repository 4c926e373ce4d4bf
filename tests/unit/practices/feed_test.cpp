// Open data feeds: JSON written then read back, CSV and Atom shapes, and every way a remote
// feed can be malformed, each with a precise error (no database here).
#include <expat.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "practices/federation.hpp"
#include "practices/feed_in.hpp"
#include "practices/feed_out.hpp"
#include "feed_test_server.hpp"

namespace practices = passerelle::practices;
namespace feed = passerelle::practices::feed;
using nlohmann::json;

namespace {

const feed::Instance kInstance{"Passerelle Finistère", "https://pratiques.finistere.example"};

practices::Practice sample(int64_t id, std::string title) {
  practices::Practice p;
  p.id = id;
  p.title = std::move(title);
  p.summary = "Des ateliers de découverte dans les quartiers; pour tous \"publics\".";
  p.body = "## Déroulé\n\nUn **atelier** par mois, [programme](https://exemple.fr/programme).\n";
  p.territory_id = 3;
  p.territory_slug = "quimper";
  p.territory_name = "Quimper Bretagne Occidentale";
  p.communes = {"29232", "29020"};
  p.themes = {std::string(practices::terms(practices::Taxonomy::theme).at(0).slug),
              std::string(practices::terms(practices::Taxonomy::theme).at(1).slug)};
  p.resource_types = {std::string(practices::terms(practices::Taxonomy::resource_type).at(0).slug)};
  p.publics = {std::string(practices::terms(practices::Taxonomy::public_).at(0).slug)};
  p.sectors = {std::string(practices::terms(practices::Taxonomy::sector).at(0).slug)};
  p.cost = "Gratuit pour les habitants";
  p.cost_cents = 120050;
  p.partners = {"=Centre social", "Médiathèque"};
  p.links = {{"https://exemple.fr/atelier", "Présentation"}};
  p.licence = "etalab-2.0";
  p.status = practices::Status::published;
  p.created_at = 1763800000;
  p.updated_at = 1763900000;
  p.published_at = 1763850000;
  return p;
}

std::string feed_with(const json& practices_array) {
  json doc = {{"format", "passerelle-pratiques"}, {"version", 1}, {"instance", {{"name", "A"}, {"url", "https://a.example"}}},
              {"generated_at", "2026-11-22T08:00:00Z"}, {"practices", practices_array}};
  return doc.dump();
}

json one_practice() { return json::parse(feed::to_json(kInstance, {sample(7, "Ateliers")}, 1763900000))["practices"][0]; }

std::string arg(const passerelle::Error& e, std::string_view name) {
  for (const auto& [k, v] : e.args)
    if (k == name) return v;
  return "<absent>";
}

}  // namespace

TEST(FeedOut, JsonRoundTripKeepsEveryField) {
  auto p = sample(7, "Ateliers de découverte");
  std::string text = feed::to_json(kInstance, {p, sample(8, "Cafés de la connaissance")}, 1763950000);
  auto doc = json::parse(text);
  EXPECT_EQ(doc["format"], "passerelle-pratiques");
  EXPECT_EQ(doc["count"], 2);
  EXPECT_EQ(doc["practices"][0]["url"], "https://pratiques.finistere.example/pratiques/7");
  EXPECT_EQ(doc["practices"][0]["themes"][0]["label"], std::string(practices::terms(practices::Taxonomy::theme).at(0).label));
  EXPECT_EQ(doc["practices"][0]["licence"]["slug"], "etalab-2.0");

  auto feedr = feed::parse_json(text);
  ASSERT_TRUE(feedr.ok()) << feedr.error().message_key << " " << feedr.error().field;
  EXPECT_EQ(feedr->instance_name, "Passerelle Finistère");
  EXPECT_EQ(feedr->generated_at, 1763950000);
  ASSERT_EQ(feedr->practices.size(), 2u);
  const auto& r = feedr->practices[0];
  EXPECT_EQ(r.id, "7");
  EXPECT_EQ(r.territory_name, p.territory_name);
  EXPECT_EQ(r.updated_at, p.updated_at);
  EXPECT_EQ(r.input.title, p.title);
  EXPECT_EQ(r.input.summary, p.summary);
  EXPECT_EQ(r.input.body, p.body);
  EXPECT_EQ(r.input.communes, p.communes);
  EXPECT_EQ(r.input.themes, p.themes);
  EXPECT_EQ(r.input.resource_types, p.resource_types);
  EXPECT_EQ(r.input.publics, p.publics);
  EXPECT_EQ(r.input.sectors, p.sectors);
  EXPECT_EQ(r.input.partners, p.partners);
  EXPECT_EQ(practices::parse_euros(r.input.cost_amount), p.cost_cents);
  ASSERT_EQ(r.input.links.size(), 1u);
  EXPECT_EQ(r.input.links[0].url, "https://exemple.fr/atelier");
  EXPECT_EQ(r.input.licence, "etalab-2.0");
}

TEST(FeedOut, Iso8601BothWays) {
  EXPECT_EQ(feed::iso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(feed::iso8601(1763800000), "2025-11-22T08:26:40Z");
  EXPECT_EQ(feed::parse_iso8601("2025-11-22T08:26:40Z"), 1763800000);
  for (std::string_view bad : {"2025-11-22", "2025-02-30T00:00:00Z", "2025-11-22T25:00:00Z", "2025-11-22 08:26:40Z", "x025-11-22T08:26:40Z", ""})
    EXPECT_FALSE(feed::parse_iso8601(bad).has_value()) << bad;
}

TEST(FeedOut, CsvIsQuotedForFrenchSpreadsheets) {
  std::string csv = feed::to_csv(kInstance, {sample(7, "Ateliers; \"quartiers\"\nsuite")});
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  auto header_end = csv.find("\r\n");
  EXPECT_EQ(csv.substr(3, 25), "id;url;titre;resume;corps");
  std::string row = csv.substr(header_end + 2);
  EXPECT_EQ(row.rfind("7;https://pratiques.finistere.example/pratiques/7;\"Ateliers; \"\"quartiers\"\"\nsuite\";", 0), 0u) << row;
  EXPECT_NE(row.find(";29232|29020;"), std::string::npos);
  EXPECT_NE(row.find(";'=Centre social|Médiathèque;"), std::string::npos) << "formula neutralised";
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
}

namespace {
struct AtomCount {
  int entries = 0, tombstones = 0, categories = 0, depth = 0;
  std::string text;
};
}  // namespace

TEST(FeedOut, AtomIsWellFormedWithTombstones) {
  auto p = sample(7, std::string("Titre avec \x01 contrôle & <balise>"));
  p.body = "Un [programme](javascript:alert(1)) et <script>alert(1)</script>";  // as if stored before validation
  std::string atom = feed::to_atom(kInstance, {p}, {{9, 1763990000}}, 1764000000);
  XML_Parser parser = XML_ParserCreateNS("UTF-8", ' ');
  AtomCount count;
  XML_SetUserData(parser, &count);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char**) {
        auto* c = static_cast<AtomCount*>(data);
        std::string n = name;
        if (n == "http://www.w3.org/2005/Atom entry") ++c->entries;
        if (n == "http://purl.org/atompub/tombstones/1.0 deleted-entry") ++c->tombstones;
        if (n == "http://www.w3.org/2005/Atom category") ++c->categories;
      },
      [](void*, const XML_Char*) {});
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* s, int len) { static_cast<AtomCount*>(data)->text.append(s, len); });
  ASSERT_EQ(XML_Parse(parser, atom.data(), static_cast<int>(atom.size()), 1), XML_STATUS_OK)
      << XML_ErrorString(XML_GetErrorCode(parser)) << " line " << XML_GetCurrentLineNumber(parser) << "\n" << atom;
  XML_ParserFree(parser);
  EXPECT_EQ(count.entries, 1);
  EXPECT_EQ(count.tombstones, 1);
  EXPECT_EQ(count.categories, 2);
  EXPECT_NE(count.text.find("Titre avec  contrôle & <balise>"), std::string::npos);
  EXPECT_NE(count.text.find("<a href=\"\">programme</a>"), std::string::npos) << "the rendered Markdown is sanitised";
  EXPECT_EQ(count.text.find("javascript:"), std::string::npos);
  EXPECT_NE(atom.find("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://pratiques.finistere.example/donnees/pratiques.atom\"/>"),
            std::string::npos);
  EXPECT_NE(atom.find("ref=\"https://pratiques.finistere.example/pratiques/9\" when=\"2025-11-24T13:13:20Z\""), std::string::npos);
}

TEST(FeedIn, SyntaxErrorsGiveLineAndColumn) {
  auto r = feed::parse_json("{\n  \"format\": \"passerelle-pratiques\",\n  \"version\": 1,,\n}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message_key, "federation.feed_syntax");
  EXPECT_EQ(arg(r.error(), "line"), "3");
  EXPECT_EQ(arg(r.error(), "column"), "16");
  EXPECT_EQ(passerelle::practices::federation::describe(r.error()), "Le flux n'est pas du JSON valide (ligne 3, colonne 16).");
}

TEST(FeedIn, EnvelopeProblemsAreNamed) {
  struct Case {
    std::string text, key, field;
  } cases[] = {
      {"", "federation.feed_empty", ""},
      {"[1, 2]", "federation.feed_not_object", ""},
      {"<html>oups</html>", "federation.feed_syntax", ""},
      {"5e4299999999999999999999999999999", "federation.feed_number_out_of_range", ""},  // found by feed_fuzz
      {R"({"format": "autre", "version": 1})", "federation.feed_wrong_format", "format"},
      {R"({"format": "passerelle-pratiques", "version": 2})", "federation.feed_version", "version"},
      {R"({"format": "passerelle-pratiques", "version": 1, "instance": {"name": "A", "url": "ftp://a"}})", "federation.feed_no_instance",
       "instance.url"},
      {R"({"format": "passerelle-pratiques", "version": 1, "instance": {"name": "A", "url": "https://a"}, "generated_at": "hier"})",
       "federation.feed_bad_generated_at", "generated_at"},
      {R"({"format": "passerelle-pratiques", "version": 1, "instance": {"name": "A", "url": "https://a"}, "generated_at": "2026-11-22T08:00:00Z", "practices": {}})",
       "federation.feed_no_practices", "practices"},
  };
  for (const auto& c : cases) {
    auto r = feed::parse_json(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().message_key, c.key) << c.text;
    EXPECT_EQ(r.error().field, c.field) << c.text;
  }
}

TEST(FeedIn, EntryProblemsNameThePracticeAndTheField) {
  auto check = [](json entry, std::string key, std::string field) {
    auto r = feed::parse_json(feed_with(json::array({one_practice(), entry})));
    ASSERT_FALSE(r.ok()) << entry.dump();
    EXPECT_EQ(r.error().message_key, key) << entry.dump();
    EXPECT_EQ(r.error().field, field) << entry.dump();
    EXPECT_EQ(arg(r.error(), "number"), "2");
  };
  json e = one_practice();
  e["id"] = "8";
  auto without = [&](const char* f) { json x = e; x.erase(f); return x; };
  auto with = [&](const char* f, json v) { json x = e; x[f] = v; return x; };
  check(without("title"), "federation.feed_missing", "practices[1].title");
  check(with("title", 12), "federation.feed_type", "practices[1].title");
  check(with("themes", "numerique"), "federation.feed_type", "practices[1].themes");
  check(with("themes", json::array({json::object({{"label", "x"}})})), "federation.feed_missing", "practices[1].themes[0].slug");
  check(with("url", "javascript:alert(1)"), "federation.feed_bad_url", "practices[1].url");
  check(with("updated_at", "22/11/2026"), "federation.feed_bad_date", "practices[1].updated_at");
  check(with("id", std::string(101, 'x')), "federation.feed_too_long", "practices[1].id");
  check(with("territory", "Quimper"), "federation.feed_type", "practices[1].territory");
  check(with("cost_cents", -5), "federation.feed_type", "practices[1].cost_cents");
  check(with("links", json::array({json::object({{"title", "x"}})})), "federation.feed_missing", "practices[1].links[0].url");
  check(with("id", "7"), "federation.feed_duplicate_id", "practices[1].id");
}

TEST(FeedIn, ContentIsValidatedLikeALocalSheet) {
  json e = one_practice();
  e["themes"] = json::array({json::object({{"slug", "pas-un-theme"}})});
  auto r = feed::parse_json(feed_with(json::array({e})));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message_key, "federation.feed_invalid_practice");
  EXPECT_EQ(arg(r.error(), "id"), "7");
  EXPECT_NE(arg(r.error(), "reason_key"), "<absent>");
  std::string text = passerelle::practices::federation::describe(r.error());
  EXPECT_NE(text.find("Fiche n° 1 (identifiant « 7 »)"), std::string::npos) << text;
  EXPECT_EQ(text.find("{reason}"), std::string::npos) << text;

  json empty_title = one_practice();
  empty_title["title"] = "";
  EXPECT_EQ(feed::parse_json(feed_with(json::array({empty_title}))).error().message_key, "federation.feed_invalid_practice");
}

TEST(FeedIn, LimitsAreEnforcedBeforeAnythingElse) {
  std::string ok = feed_with(json::array({one_practice()}));
  feed::Limits small;
  small.max_bytes = ok.size() - 1;
  EXPECT_EQ(feed::parse_json(ok, small).error().message_key, "federation.feed_too_large");
  json many = json::array();
  for (int i = 0; i < 3; ++i) {
    json e = one_practice();
    e["id"] = std::to_string(i);
    many.push_back(e);
  }
  feed::Limits two;
  two.max_entries = 2;
  auto r = feed::parse_json(feed_with(many), two);
  EXPECT_EQ(r.error().message_key, "federation.feed_too_many");
  EXPECT_EQ(arg(r.error(), "count"), "3");
  EXPECT_TRUE(feed::parse_json(feed_with(many)).ok());
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto d = feed::parse_json(deep);
  EXPECT_EQ(d.error().message_key, "federation.feed_too_deep");
  EXPECT_EQ(feed::parse_json("{\"format\": \"\xff\"}").error().message_key, "federation.feed_syntax") << "invalid UTF-8";
}

TEST(FeedIn, OriginOfAcceptsOnlyPlainHttpUrls) {
  EXPECT_EQ(feed::origin_of("https://Autre.Example:8443/donnees/pratiques.json"), "https://autre.example:8443");
  EXPECT_EQ(feed::origin_of("http://127.0.0.1:4000/x.json?y=1"), "http://127.0.0.1:4000");
  for (std::string_view bad : {"ftp://a/x.json", "file:///etc/passwd", "https://user:pw@a/x.json", "https:///x", "https://a b/x",
                               "javascript:alert(1)", "//a/x.json", "https://a\\@b/x"})
    EXPECT_FALSE(feed::origin_of(bad).has_value()) << bad;
}

TEST(FeedFetch, ClearErrorsForEveryFailure) {
  using passerelle::testing::FeedServer;
  std::string good = feed_with(json::array({one_practice()}));
  FeedServer server([&](const std::string& path) {
    if (path == "/ok.json") return FeedServer::response(200, "application/json; charset=utf-8", good);
    if (path == "/page.json") return FeedServer::response(200, "text/html", "<html></html>");
    if (path == "/gros.json") return FeedServer::response(200, "application/json", std::string(2000, ' '));
    if (path == "/boucle.json") return std::string("HTTP/1.1 302 Found\r\nLocation: /boucle.json\r\nContent-Length: 0\r\n\r\n");
    if (path == "/ftp.json") return std::string("HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/x\r\nContent-Length: 0\r\n\r\n");
    return FeedServer::response(404, "text/plain", "absent");
  });
  auto ok = feed::fetch(server.url("/ok.json"));
  ASSERT_TRUE(ok.ok()) << ok.error().message_key;
  EXPECT_EQ(*ok, good);
  EXPECT_EQ(feed::fetch(server.url("/absent.json")).error().message_key, "federation.http_status");
  EXPECT_EQ(arg(feed::fetch(server.url("/absent.json")).error(), "status"), "404");
  EXPECT_EQ(feed::fetch(server.url("/page.json")).error().message_key, "federation.content_type");
  feed::FetchOptions small;
  small.max_bytes = 1000;
  EXPECT_EQ(feed::fetch(server.url("/gros.json"), small).error().message_key, "federation.feed_too_large");
  EXPECT_EQ(feed::fetch(server.url("/boucle.json")).error().message_key, "federation.too_many_redirects");
  EXPECT_EQ(feed::fetch(server.url("/ftp.json")).error().message_key, "federation.url_invalid");
  EXPECT_EQ(feed::fetch("ftp://127.0.0.1/x.json").error().message_key, "federation.url_invalid");
  // A port nobody listens on.
  std::string closed;
  { FeedServer gone([](const std::string&) { return std::string(); }); closed = gone.url("/x.json"); }
  auto refused = feed::fetch(closed);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message_key, "federation.unreachable");
  EXPECT_EQ(refused.error().field, "url");
}
