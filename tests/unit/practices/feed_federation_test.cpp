// Subscriptions and pulls on both backends, against a real HTTP server on 127.0.0.1 serving what
// feed_out writes: creation with provenance, updates, local edits kept, withdrawals, and failed
// pulls (malformed feed, unreachable instance) that change nothing and say why.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "feed_test_server.hpp"
#include "practices/federation.hpp"
#include "practices/feed_out.hpp"
#include "practices/store.hpp"
#include "support/scratch_database.hpp"
#include "territories/store.hpp"

namespace practices = passerelle::practices;
namespace federation = passerelle::practices::federation;
namespace feed = passerelle::practices::feed;
using passerelle::testing::FeedServer;

namespace {

class Federation : public passerelle::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    passerelle::Errors errors;
    auto t = passerelle::territories::create(db(), {unique("terr"), "Territoire abonné", "commune", "29232", ""}, std::nullopt, errors);
    ASSERT_TRUE(t.ok());
    territory_ = t->id;
  }

  static practices::Practice remote(int64_t id, std::string title) {
    practices::Practice p;
    p.id = id;
    p.title = std::move(title);
    p.summary = "Un résumé de la fiche distante.";
    p.body = "Corps **Markdown**.";
    p.territory_name = "Territoire d'origine";
    p.territory_slug = "origine";
    p.communes = {"25056"};
    p.publics = {"tous-publics"};
    p.created_at = 1763800000;
    p.updated_at = 1763800000 + id;
    p.published_at = 1763800000;
    return p;
  }

  std::string snapshot() {
    auto conn = db().read();
    std::string out;
    for (auto r : conn->query("SELECT id, status, title, summary, locally_modified, version FROM practices ORDER BY id"))
      for (size_t c = 0; c < 6; ++c) out += r.str(c) + "|";
    return out;
  }

  int64_t territory_ = 0;
};

std::string feed_of(const std::vector<practices::Practice>& list) {
  return FeedServer::response(200, "application/json", feed::to_json({"Instance A", "https://a.example"}, list, 1763900000));
}

}  // namespace

TEST_P(Federation, SubscriptionUrlsAreChecked) {
  auto bad = federation::subscribe(db(), territory_, "ftp://a.example/donnees/pratiques.json", std::nullopt);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "url");
  EXPECT_EQ(bad.error().message_key, "federation.url_invalid");
  EXPECT_EQ(federation::subscribe(db(), territory_, "https://a.example/donnees/pratiques.atom", std::nullopt).error().message_key,
            "federation.url_not_json_export");
  EXPECT_EQ(federation::subscribe(db(), territory_, "  ", std::nullopt).error().message_key, "federation.url_missing");
  std::string host = unique("h");
  auto ok = federation::subscribe(db(), territory_, " https://" + host + ".example/donnees/pratiques.json ", std::nullopt);
  ASSERT_TRUE(ok.ok()) << ok.error().message_key;
  EXPECT_EQ(ok->origin, "https://" + host + ".example");
  EXPECT_EQ(ok->last_status, "jamais");
  auto twice = federation::subscribe(db(), territory_, "https://" + host + ".example/autre.json", std::nullopt);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().message_key, "federation.already_followed");
  EXPECT_EQ(federation::describe(twice.error()), "Cette instance est déjà suivie (par le territoire « Territoire abonné »).");
  ASSERT_TRUE(federation::unsubscribe(db(), ok->id, std::nullopt).ok());
  EXPECT_FALSE(federation::find(db(), ok->id).has_value());
}

TEST_P(Federation, PullsImportUpdateKeepLocalEditsAndWithdraw) {
  std::vector<practices::Practice> origin = {remote(1, "Ateliers de quartier"), remote(2, "Cafés de la connaissance")};
  FeedServer server([&](const std::string&) { return feed_of(origin); });
  auto sub = federation::subscribe(db(), territory_, server.url("/donnees/pratiques.json"), std::nullopt);
  ASSERT_TRUE(sub.ok());

  auto first = federation::pull(db(), *sub);
  ASSERT_TRUE(first.ok) << first.message;
  EXPECT_EQ(first.counts.created, 2);
  auto copy = practices::find_imported(db(), sub->origin, "1");
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(copy->status, practices::Status::published);
  EXPECT_EQ(copy->territory_id, territory_);
  ASSERT_TRUE(copy->provenance.has_value());
  EXPECT_EQ(copy->provenance->territory_name, "Territoire d'origine");
  EXPECT_NE(copy->provenance->credit.find("https://a.example/pratiques/1"), std::string::npos) << copy->provenance->credit;
  EXPECT_EQ(federation::find(db(), sub->id)->last_status, "ok");

  // Nothing new: nothing written.
  std::string before = snapshot();
  auto again = federation::pull(db(), *sub);
  EXPECT_EQ(again.counts.unchanged, 2);
  EXPECT_EQ(snapshot(), before);

  // An edit at the origin is applied.
  origin[0].title = "Ateliers de quartier, saison 2";
  auto edited = federation::pull(db(), *sub);
  EXPECT_EQ(edited.counts.updated, 1);
  EXPECT_EQ(practices::find_imported(db(), sub->origin, "1")->title, "Ateliers de quartier, saison 2");

  // A local edit is never overwritten.
  passerelle::Errors errors;
  auto input = practices::Input::from(*practices::find_imported(db(), sub->origin, "1"));
  input.title = "Notre version locale";
  auto user = [&] {
    auto conn = db().write();
    return conn->query("INSERT INTO users (email, display_name, profile_type, created_at) VALUES (?, 'Agente', 'citoyen', 0) RETURNING id",
                       {unique("u") + "@exemple.fr"})[0].int64(0);
  }();
  ASSERT_TRUE(practices::update(db(), copy->id, input, user, errors).ok());
  origin[0].title = "Ateliers de quartier, saison 3";
  auto kept = federation::pull(db(), *sub);
  EXPECT_EQ(kept.counts.kept_local, 1);
  EXPECT_EQ(practices::find_imported(db(), sub->origin, "1")->title, "Notre version locale");

  // Gone from the origin: withdrawn here; the locally edited one stays.
  origin = {};
  auto gone = federation::pull(db(), *sub);
  ASSERT_TRUE(gone.ok) << gone.message;
  EXPECT_EQ(gone.counts.withdrawn, 1);
  EXPECT_EQ(gone.counts.kept_local, 1);
  EXPECT_EQ(practices::find_imported(db(), sub->origin, "2")->status, practices::Status::unpublished);
  EXPECT_EQ(practices::find_imported(db(), sub->origin, "1")->status, practices::Status::published);
  EXPECT_NE(gone.message.find("1 retirée(s)"), std::string::npos) << gone.message;

  auto log = federation::history(db(), sub->id);
  ASSERT_EQ(log.size(), 5u);  // five pulls, newest first
  EXPECT_TRUE(log[0].ok);
}

TEST_P(Federation, FailedPullsChangeNothingAndSayWhy) {
  std::vector<practices::Practice> origin = {remote(1, "Ateliers de quartier")};
  std::string answer = feed_of(origin);
  FeedServer server([&](const std::string&) { return answer; });
  auto sub = federation::subscribe(db(), territory_, server.url("/donnees/pratiques.json"), std::nullopt);
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(federation::pull(db(), *sub).ok);
  std::string before = snapshot();

  // A second sheet is fine but the third is not: the whole feed is refused, the first one too.
  origin[0].title = "Titre changé";
  auto doc = nlohmann::json::parse(feed::to_json({"Instance A", "https://a.example"}, {origin[0], remote(2, "Deux"), remote(3, "Trois")}, 0));
  doc["practices"][2].erase("summary");
  answer = FeedServer::response(200, "application/json", doc.dump());
  auto malformed = federation::pull(db(), *sub);
  EXPECT_FALSE(malformed.ok);
  EXPECT_EQ(malformed.message, "practices[2].summary (fiche n° 3, identifiant « 3 ») : champ obligatoire absent.");
  EXPECT_EQ(snapshot(), before);

  answer = FeedServer::response(500, "text/html", "panne");
  EXPECT_EQ(federation::pull(db(), *sub).message, "L'instance a répondu avec le code HTTP 500 au lieu de 200.");
  EXPECT_EQ(snapshot(), before);

  std::string closed;
  { FeedServer gone([](const std::string&) { return std::string(); }); closed = gone.url("/donnees/pratiques.json"); }
  auto unreachable = federation::subscribe(db(), territory_, closed, std::nullopt);
  ASSERT_TRUE(unreachable.ok());
  auto rec = federation::pull(db(), *unreachable);
  EXPECT_FALSE(rec.ok);
  EXPECT_EQ(rec.message, "Instance injoignable : la connexion a été refusée ou le serveur ne répond pas.");
  auto stored = federation::find(db(), unreachable->id);
  EXPECT_EQ(stored->last_status, "erreur");
  EXPECT_EQ(stored->last_message, rec.message);
  EXPECT_TRUE(stored->last_pull_at.has_value());
  EXPECT_EQ(snapshot(), before);
}

INSTANTIATE_BACKENDS(Federation);
