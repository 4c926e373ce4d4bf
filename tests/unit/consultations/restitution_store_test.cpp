// The restitution inside the platform, on SQLite and PostgreSQL: only published contributions
// are analysed or quoted (the others are only counted, in the method), the result is stored with
// its parameters and seed and replaced atomically, requests are computed by the job, a quote
// that stops being published asks for a new computation, and the controversy map shows the
// contributions that divide with their strongest arguments and who brought them.
#include "consultations/restitution_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "consultations/restitution_source.hpp"
#include "consultations/store.hpp"
#include "platform/clock.hpp"
#include "support/scratch_database.hpp"

namespace db = passerelle::db;
using namespace passerelle::consultations;
using passerelle::Errors;
using passerelle::unix_now;
using passerelle::i18n::Locale;
using passerelle::testing::BackendTest;

namespace {

constexpr int64_t kDay = 86400;

class RestitutionStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    territory = db().write()->query("INSERT INTO territories (slug, name, kind, created_at) VALUES (?, 'Doubs', 'departement', ?) RETURNING id",
                                    {unique("t"), unix_now()})[0]
                    .int64(0);
    agent = user("Agente", "citoyen");
    alice = user("Alice", "citoyen");
    assoc = user("Les Amis du Numérique", "association");
  }
  int64_t user(const std::string& name, const std::string& profile) {
    auto rows = db().write()->query("INSERT INTO users (email, display_name, profile_type, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                                    {unique("u") + "@demo.passerelle.localhost", name, profile, unix_now()});
    return rows[0].int64(0);
  }
  int64_t count(const std::string& sql, const db::Params& params = {}) {
    auto rows = db().read()->query(sql, params);
    return rows[0].int64(0);
  }
  Process process() {
    ProcessInput in;
    in.title = "Schéma des usages numériques";
    in.summary = "Comment accompagner chacun ?";
    int64_t now = unix_now();
    in.phases.push_back({"contribution", now - 5 * kDay, now + 5 * kDay, std::nullopt});
    Errors errors;
    auto p = create_process(db(), territory, in, agent, errors);
    EXPECT_TRUE(p.ok());
    EXPECT_TRUE(publish_process(db(), p->id, agent).ok());
    return *find_process(db(), p->id);
  }
  static Actor as(int64_t user_id) {
    Actor a;
    a.user_id = user_id;
    return a;
  }
  int64_t contribution(const Process& p, const std::string& title, const std::string& body) {
    auto c = contribute(db(), p.id, {title, body, ""}, as(alice), unix_now());
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message_key);
    return c->id;
  }
  void set_status(int64_t id, const std::string& status) { db().write()->exec("UPDATE contributions SET status = ? WHERE id = ?", {status, id}); }
  std::string report(int64_t process_id) {
    auto s = find_restitution(db(), process_id, Locale::fr);
    return s ? s->report : "";
  }

  int64_t territory = 0, agent = 0, alice = 0, assoc = 0;
};

const char* const kTexts[] = {
    "Des permanences numériques en mairie chaque semaine pour les démarches",
    "Former les agents d'accueil aux démarches en ligne des habitants",
    "Ouvrir les médiathèques le soir pour les ateliers numériques du quartier",
    "Prêter des ordinateurs reconditionnés aux familles qui n'en ont pas",
    "Un accueil physique doit rester possible pour toutes les démarches",
    "Des ateliers pour les seniors sur les courriels et les visioconférences",
};

TEST_P(RestitutionStoreTest, OnlyPublishedContributionsAreAnalysedTheOthersOnlyCounted) {
  Process p = process();
  std::vector<int64_t> ids;
  for (const char* t : kTexts) ids.push_back(contribution(p, "Proposition", t));
  int64_t hidden = contribution(p, "Masquée", "Texte masqué par la modération zébulon");
  int64_t pending = contribution(p, "En attente", "Texte en attente de modération ornithorynque");
  int64_t trashed = contribution(p, "Supprimée", "Texte supprimé par la modération quetzalcoatl");
  int64_t trashed2 = contribution(p, "Supprimée aussi", "Autre texte supprimé par la modération axolotl");
  set_status(hidden, "hidden");
  set_status(pending, "pending");
  set_status(trashed, "trashed");
  set_status(trashed2, "trashed");

  auto corpus = restitution_corpus(db(), p.id);
  ASSERT_TRUE(corpus.ok());
  ASSERT_EQ(corpus->items.size(), ids.size());
  for (const auto& c : corpus->items) EXPECT_EQ(c.text.find("modération"), std::string::npos) << c.text;
  using Counted = std::vector<std::pair<std::string, size_t>>;
  EXPECT_EQ(corpus->excluded, (Counted{{"pending", 1}, {"hidden", 1}, {"trashed", 2}}));

  ASSERT_TRUE(compute_restitution(db(), p.id, unix_now()).ok());
  auto stored = find_restitution(db(), p.id, Locale::fr);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->state, RestitutionState::done);
  EXPECT_TRUE(stored->showable());
  EXPECT_EQ(stored->contributions, static_cast<int64_t>(ids.size()));
  EXPECT_EQ(stored->seed, 1u);
  EXPECT_NE(stored->parameters.find("\"campaign_min_words\":10"), std::string::npos) << stored->parameters;
  for (const std::string& word : std::vector<std::string>{"zébulon", "ornithorynque", "quetzalcoatl", "axolotl", "#" + std::to_string(hidden) + "<"}) {
    EXPECT_EQ(stored->report.find(word), std::string::npos) << word;
    EXPECT_EQ(restitution_json(db(), p.id).find(word), std::string::npos) << word;
  }
  // Counted in the method section only.
  EXPECT_NE(stored->report.find("Contributions non analysées ni citées (seulement comptées)"), std::string::npos);
  EXPECT_NE(stored->report.find("Masquées par la modération"), std::string::npos);
  auto json = nlohmann::json::parse(restitution_json(db(), p.id));
  EXPECT_EQ(json["input"]["excluded"], (nlohmann::json{{"pending", 1}, {"hidden", 1}, {"trashed", 2}}));
  EXPECT_EQ(json["input"]["contributions"], ids.size());
  EXPECT_NE(find_restitution(db(), p.id, Locale::en)->report.find("Hidden by moderation"), std::string::npos);
}

TEST_P(RestitutionStoreTest, RequestsAreComputedByTheJobAndAStaleQuoteAsksAgain) {
  Process p = process();
  std::vector<int64_t> ids;
  for (const char* t : kTexts) ids.push_back(contribution(p, "Proposition", t));
  EXPECT_FALSE(find_restitution(db(), p.id, Locale::fr));
  EXPECT_EQ(run_restitution_jobs(db(), unix_now()), 0);  // nothing asked, no restitution phase
  request_restitution(db(), p.id, agent, unix_now());
  auto asked = find_restitution(db(), p.id, Locale::fr);
  ASSERT_TRUE(asked);
  EXPECT_TRUE(asked->computing());
  EXPECT_FALSE(asked->showable());
  EXPECT_EQ(run_restitution_jobs(db(), unix_now()), 1);
  auto done = find_restitution(db(), p.id, Locale::fr);
  ASSERT_TRUE(done && done->showable());
  EXPECT_EQ(run_restitution_jobs(db(), unix_now()), 0);
  // A quoted contribution is hidden: the result is stale (not shown) and the job computes again.
  int64_t quoted = count("SELECT min(contribution_id) FROM restitution_quotes WHERE process_id = ?", {p.id});
  ASSERT_GT(quoted, 0);
  set_status(quoted, "hidden");
  EXPECT_TRUE(find_restitution(db(), p.id, Locale::fr)->stale);
  EXPECT_FALSE(find_restitution(db(), p.id, Locale::fr)->showable());
  EXPECT_EQ(run_restitution_jobs(db(), unix_now()), 1);
  auto again = find_restitution(db(), p.id, Locale::fr);
  ASSERT_TRUE(again && again->showable());
  EXPECT_EQ(again->contributions, static_cast<int64_t>(ids.size() - 1));
  EXPECT_EQ(count("SELECT count(*) FROM restitution_quotes WHERE process_id = ? AND contribution_id = ?", {p.id, quoted}), 0);
}

// The page says where a run is: the job records each stage of the engine as it reaches it
// (logged here by a trigger), and a finished run leaves no progress behind.
TEST_P(RestitutionStoreTest, ARunRecordsItsStagesThenClearsThem) {
  // The log, written by a trigger on every progress record. The trigger also lets the claim's
  // lease lapse at once, so only the records' own renewal keeps it in the future.
  {
    auto conn = db().write();
    conn->exec("CREATE TABLE progress_log (n INTEGER, stage TEXT, percent INTEGER, lease BIGINT)");
    if (postgres()) {
      conn->exec("CREATE FUNCTION log_progress() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                 "INSERT INTO progress_log VALUES ((SELECT count(*) FROM progress_log), NEW.progress_stage, NEW.progress_percent, NEW.lease_until); "
                 "UPDATE restitutions SET lease_until = 1 WHERE process_id = NEW.process_id AND NEW.progress_stage = 'lecture'; "
                 "RETURN NEW; END $$");
      conn->exec("CREATE TRIGGER progress_logged AFTER UPDATE OF progress_stage, progress_percent ON restitutions FOR EACH ROW EXECUTE FUNCTION log_progress()");
    } else {
      conn->exec("CREATE TRIGGER progress_logged AFTER UPDATE OF progress_stage, progress_percent ON restitutions BEGIN "
                 "INSERT INTO progress_log VALUES ((SELECT count(*) FROM progress_log), NEW.progress_stage, NEW.progress_percent, NEW.lease_until); "
                 "UPDATE restitutions SET lease_until = 1 WHERE process_id = NEW.process_id AND NEW.progress_stage = 'lecture'; END");
    }
  }
  Process p = process();
  for (const char* t : kTexts) contribution(p, "Proposition", t);
  request_restitution(db(), p.id, agent, unix_now());
  ASSERT_EQ(run_restitution_jobs(db(), unix_now()), 1);
  std::vector<std::string> stages;
  auto rows = db().read()->query("SELECT stage, percent, lease FROM progress_log ORDER BY n");
  for (auto r : rows) {
    std::string stage = r.str(0);
    if (stages.empty() || stages.back() != stage) stages.push_back(stage);
    EXPECT_GE(r.int64(1), 0);
    EXPECT_LE(r.int64(1), 100);
    if (!stage.empty()) EXPECT_GT(r.int64(2), unix_now());  // each record renews the lease
  }
  EXPECT_EQ(stages, (std::vector<std::string>{"lecture", "analyse", "doublons", "themes", "synthese", ""}));
  auto done = find_restitution(db(), p.id, Locale::fr);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, RestitutionState::done);
  EXPECT_EQ(done->progress_stage, "");
}

TEST_P(RestitutionStoreTest, AnOpenRestitutionPhaseAsksForItsRestitution) {
  ProcessInput in;
  in.title = "Budget participatif";
  in.summary = "Vos idées";
  int64_t now = unix_now();
  in.phases.push_back({"contribution", now - 5 * kDay, now + 5 * kDay, std::nullopt});
  in.phases.push_back({"restitution", now + 5 * kDay, now + 9 * kDay, std::nullopt});
  Errors errors;
  auto p = create_process(db(), territory, in, agent, errors);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(publish_process(db(), p->id, agent).ok());
  for (const char* t : kTexts) contribution(*p, "Idée", t);
  EXPECT_EQ(run_restitution_jobs(db(), now), 0);
  EXPECT_EQ(run_restitution_jobs(db(), now + 6 * kDay), 1);  // the phase opened
  EXPECT_TRUE(find_restitution(db(), p->id, Locale::fr)->showable());
  EXPECT_EQ(run_restitution_jobs(db(), now + 7 * kDay), 0);  // once per phase
}

TEST_P(RestitutionStoreTest, ControversiesShowWhatDividesWithTheStrongestArgumentsAndWhoBroughtThem) {
  Process p = process();
  std::vector<int64_t> ids;
  for (const char* t : kTexts) ids.push_back(contribution(p, "Proposition", t));
  int64_t mediator = user("Médiatrice", "citoyen");
  auto person = register_participant(db(), territory, "Habitant de Planoise", "25056", true, false, mediator);
  ASSERT_TRUE(person.ok());
  Actor mediated;
  mediated.participant_id = person->id, mediated.entered_by = mediator, mediated.consent = true, mediated.channel = Channel::mediator;
  int64_t now = unix_now();
  ASSERT_TRUE(argue(db(), ids[4], Side::for_, "L'accueil physique rassure ceux qui n'ont pas d'ordinateur.", mediated, now).ok());
  auto strong = argue(db(), ids[4], Side::against, "Un accueil partout coûte trop cher aux petites communes.", as(assoc), now);
  ASSERT_TRUE(strong.ok());
  auto weak = argue(db(), ids[4], Side::against, "Argument faible.", as(alice), now);
  ASSERT_TRUE(weak.ok());
  auto hidden = argue(db(), ids[4], Side::against, "Argument masqué ornithorynque.", as(alice), now);
  ASSERT_TRUE(hidden.ok());
  db().write()->exec("UPDATE arguments SET status = 'hidden' WHERE id = ?", {hidden->id});
  db().write()->exec("UPDATE arguments SET useful_count = 7 WHERE id = ?", {strong->id});
  db().write()->exec("UPDATE contributions SET agree_count = 9, disagree_count = 8, mixed_count = 1, for_count = 1, against_count = 2 WHERE id = ?", {ids[4]});
  db().write()->exec("UPDATE contributions SET agree_count = 20 WHERE id = ?", {ids[0]});  // unanimous: not a controversy
  db().write()->exec("UPDATE contributions SET agree_count = 2, disagree_count = 1 WHERE id = ?", {ids[1]});
  ASSERT_TRUE(compute_restitution(db(), p.id, now).ok());
  auto themes = controversies(db(), p.id);
  ASSERT_FALSE(themes.empty());
  std::vector<int64_t> listed;
  for (const auto& t : themes)
    for (const auto& e : t.entries) listed.push_back(e.contribution.id);
  ASSERT_FALSE(listed.empty());
  EXPECT_EQ(listed[0], ids[4]);
  EXPECT_EQ(std::find(listed.begin(), listed.end(), ids[0]), listed.end());
  const auto& top = themes[0].entries[0];
  EXPECT_DOUBLE_EQ(top.score, (2.0 * 8 + 2.0 * 1) / (9 + 1 + 8 + 1 + 2 + 2));
  ASSERT_EQ(top.for_.size(), 1u);
  EXPECT_EQ(top.for_[0].author_kind, "mediateur");
  EXPECT_EQ(top.for_[0].author_name, "Habitant de Planoise");
  ASSERT_EQ(top.against.size(), 2u);  // the hidden one is never shown
  EXPECT_EQ(top.against[0].author_kind, "association");
  EXPECT_EQ(top.against[0].useful, 7);
  for (const auto& a : top.against) EXPECT_EQ(a.body.find("ornithorynque"), std::string::npos);
  // Hidden after the computation: left out of the map at once.
  set_status(ids[4], "hidden");
  for (const auto& t : controversies(db(), p.id))
    for (const auto& e : t.entries) EXPECT_NE(e.contribution.id, ids[4]);
}

}  // namespace

INSTANTIATE_BACKENDS(RestitutionStoreTest);
