// Following contributions, on SQLite and PostgreSQL: the author follows from the start, every
// event notifies each follower but the one who acted (in the event's transaction), unfollowing
// stops them, and the digest gathers N events into ONE mail per account and period, in the
// account's language, sent once however often the job runs. The suite's database is shared:
// every count is scoped to this test's accounts.
#include "consultations/follow.hpp"

#include <gtest/gtest.h>

#include <map>

#include "consultations/store.hpp"
#include "platform/clock.hpp"
#include "support/scratch_database.hpp"

namespace db = passerelle::db;
using namespace passerelle::consultations;
using passerelle::Errors;
using passerelle::unix_now;
using passerelle::testing::BackendTest;

namespace {

constexpr int64_t kDay = 86400;
// Europe/Paris wall clock (CET in January).
constexpr int64_t kTuesday0900 = 1894089600;  // 2030-01-08 09:00
constexpr int64_t kTuesday0630 = 1894080600;  // 2030-01-08 06:30
constexpr int64_t kTuesday1800 = 1894122000;  // 2030-01-08 18:00
constexpr int64_t kWednesday0900 = 1894176000;
constexpr int64_t kMonday0900 = 1894608000;   // 2030-01-14

class FollowTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    territory = db().write()->query("INSERT INTO territories (slug, name, kind, created_at) VALUES (?, 'Doubs', 'departement', ?) RETURNING id",
                                    {unique("t"), unix_now()})[0]
                    .int64(0);
    agent = user("Agente");
    alice = user("Alice");
    bob = user("Bob");
    carol = user("Carole");
    Errors errors;
    ProcessInput in;
    in.title = "Schéma territorial des usages numériques";
    in.summary = "Comment mieux accompagner chacun dans ses démarches en ligne ?";
    int64_t now = unix_now();
    in.phases.push_back({"contribution", now - 5 * kDay, now + 5 * kDay, std::nullopt});
    auto p = create_process(db(), territory, in, agent, errors);
    EXPECT_TRUE(p.ok());
    EXPECT_TRUE(publish_process(db(), p->id, agent).ok());
    process = p->id;
  }
  int64_t user(const std::string& name, const char* locale = "fr") {
    std::string email = unique("u") + "@demo.passerelle.localhost";
    int64_t id = db().write()->query("INSERT INTO users (email, display_name, profile_type, locale, created_at) VALUES (?, ?, 'citoyen', ?, ?) RETURNING id",
                                     {email, name, locale, unix_now()})[0]
                     .int64(0);
    emails[id] = email;
    return id;
  }
  int64_t count(const std::string& sql, const db::Params& params = {}) { return db().read()->query(sql, params)[0].int64(0); }
  int64_t notifications(int64_t user_id) { return count("SELECT count(*) FROM notifications WHERE user_id = ?", {user_id}); }
  int64_t mails(int64_t user_id) { return count("SELECT count(*) FROM outbox WHERE recipient = ?", {emails[user_id]}); }
  static Actor as(int64_t user_id) {
    Actor a;
    a.user_id = user_id;
    return a;
  }
  Contribution contribution(int64_t by, const std::string& title = "Des permanences en mairie") {
    auto c = contribute(db(), process, {title, "Une fois par semaine, un conseiller numérique à la mairie.", ""}, as(by), unix_now());
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message_key);
    return *c;
  }
  void argue_as(int64_t by, int64_t contribution_id, const std::string& text) {
    auto a = argue(db(), contribution_id, Side::for_, text, as(by), unix_now());
    ASSERT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message_key);
  }

  int64_t territory = 0, agent = 0, alice = 0, bob = 0, carol = 0, process = 0;
  std::map<int64_t, std::string> emails;
};

TEST_P(FollowTest, TheAuthorFollowsAndEachEventNotifiesEveryFollowerButTheActor) {
  auto c = contribution(alice);
  EXPECT_TRUE(follows(db(), alice, c.id));  // the trigger of migration 0007
  ASSERT_TRUE(follow(db(), bob, c.id, unix_now()).ok());
  ASSERT_TRUE(follow(db(), carol, c.id, unix_now()).ok());
  ASSERT_TRUE(follow(db(), carol, c.id, unix_now()).ok());  // twice is once

  argue_as(bob, c.id, "Les permanences rapprochent le service des habitants.");
  EXPECT_EQ(notifications(bob), 0);
  EXPECT_EQ(notifications(alice), 1);
  EXPECT_EQ(notifications(carol), 1);
  auto page = notifications_of(db(), alice, 0, 20);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].kind, NotificationKind::argument);
  EXPECT_EQ(page.items[0].actor_name, "Bob");
  EXPECT_EQ(page.items[0].contribution_title, "Des permanences en mairie");
  EXPECT_EQ(page.items[0].excerpt, "Les permanences rapprochent le service des habitants.");

  ASSERT_TRUE(comment(db(), c.id, std::nullopt, "Et le samedi matin ?", alice, unix_now()).ok());
  ASSERT_TRUE(amend(db(), c.id, "Des permanences en mairie et en médiathèque", "Deux lieux, une fois par semaine.", as(carol), unix_now()).ok());
  ASSERT_TRUE(answer(db(), c.id, Answer::retenue, "Retenue pour 2027.", agent, unix_now()).ok());
  ASSERT_TRUE(add_milestone(db(), c.id, "Première permanence", unix_now() + 30 * kDay, agent).ok());
  EXPECT_EQ(notifications(alice), 4);  // argument, amendment, answer, milestone: not her own comment
  EXPECT_EQ(notifications(bob), 4);    // comment, amendment, answer, milestone
  EXPECT_EQ(notifications(carol), 4);  // argument, comment, answer, milestone
  EXPECT_EQ(notifications(agent), 0);  // does not follow
  ASSERT_TRUE(moderate(db(), "contribution", c.id, Moderation::hide, "Données personnelles", agent).ok());
  EXPECT_EQ(count("SELECT count(*) FROM notifications WHERE contribution_id = ? AND kind = 'status'", {c.id}), 3);
}

TEST_P(FollowTest, UnfollowingStopsNotificationsAndHeldContentNotifiesNoOne) {
  auto c = contribution(alice);
  ASSERT_TRUE(follow(db(), bob, c.id, unix_now()).ok());
  ASSERT_TRUE(unfollow(db(), bob, c.id).ok());
  EXPECT_FALSE(follows(db(), bob, c.id));
  argue_as(carol, c.id, "Un argument de Carole.");
  EXPECT_EQ(notifications(bob), 0);
  EXPECT_EQ(notifications(alice), 1);
  // Three links: held for a moderator, so not news yet.
  argue_as(carol, c.id, "Voir https://a.example https://b.example https://c.example");
  EXPECT_EQ(notifications(alice), 1);
  // A refused event (empty text) writes nothing, notification included.
  EXPECT_FALSE(argue(db(), c.id, Side::for_, "  ", as(carol), unix_now()).ok());
  EXPECT_EQ(notifications(alice), 1);
  EXPECT_EQ(followed_by(db(), alice).size(), 1u);
  EXPECT_TRUE(followed_by(db(), bob).empty());
  EXPECT_FALSE(follow(db(), bob, 999999999, unix_now()).ok());
}

TEST_P(FollowTest, ReadOneOrAllAndUnreadFirst) {
  auto c = contribution(alice);
  for (int i = 0; i < 3; ++i) argue_as(bob, c.id, "Argument " + std::to_string(i));
  EXPECT_EQ(unread_count(db(), alice), 3);
  auto page = notifications_of(db(), alice, 0, 20);
  ASSERT_EQ(page.items.size(), 3u);
  int64_t oldest = page.items.back().id;
  EXPECT_EQ(mark_read(db(), bob, oldest, unix_now()), 0);  // not his
  EXPECT_EQ(mark_read(db(), alice, oldest, unix_now()), 1);
  EXPECT_EQ(unread_count(db(), alice), 2);
  page = notifications_of(db(), alice, 0, 20);
  EXPECT_EQ(page.unread, 2);
  EXPECT_FALSE(page.items[0].read_at);
  EXPECT_TRUE(page.items[2].read_at);  // read ones after the unread
  EXPECT_EQ(notifications_of(db(), alice, 2, 2).items.size(), 1u);
  mark_read_on(db(), alice, c.id, unix_now());  // visiting the contribution
  EXPECT_EQ(unread_count(db(), alice), 0);
  argue_as(bob, c.id, "Encore un");
  EXPECT_EQ(mark_all_read(db(), alice, unix_now()), 1);
  EXPECT_EQ(unread_count(db(), alice), 0);
}

TEST_P(FollowTest, TheDigestGathersEveryEventIntoOneMailOnceADay) {
  auto c = contribution(alice);
  auto other = contribution(alice, "Un atelier par quartier");
  for (int i = 0; i < 4; ++i) argue_as(bob, c.id, "Argument numéro " + std::to_string(i));
  ASSERT_TRUE(comment(db(), other.id, std::nullopt, "Bonne idée", carol, unix_now()).ok());
  ASSERT_EQ(notifications(alice), 5);

  send_digests(db(), kTuesday0630, "https://participer.example.fr");  // before 7:00
  EXPECT_EQ(mails(alice), 0);
  send_digests(db(), kTuesday0900, "https://participer.example.fr/");
  ASSERT_EQ(mails(alice), 1);  // five events, two contributions: one mail
  auto rows = db().read()->query("SELECT subject, body FROM outbox WHERE recipient = ?", {emails[alice]});
  std::string subject = rows[0].str(0), body = rows[0].str(1);
  EXPECT_EQ(subject, "5 nouveautés sur les contributions que vous suivez");
  EXPECT_NE(body.find("Bonjour Alice,"), std::string::npos);
  for (int i = 0; i < 4; ++i) EXPECT_NE(body.find("« Argument numéro " + std::to_string(i) + " »"), std::string::npos) << body;
  EXPECT_NE(body.find("Nouveau commentaire de Carole"), std::string::npos);
  EXPECT_NE(body.find("https://participer.example.fr/contributions/" + std::to_string(c.id) + "#arguments"), std::string::npos) << body;
  EXPECT_NE(body.find("https://participer.example.fr/notifications"), std::string::npos);
  EXPECT_LT(body.find("#" + std::to_string(c.id) + " Des permanences"), body.find("#" + std::to_string(other.id) + " Un atelier"));
  EXPECT_EQ(count("SELECT count(*) FROM notifications WHERE user_id = ? AND digested_at IS NULL", {alice}), 0);
  EXPECT_EQ(unread_count(db(), alice), 5);  // still unread in the interface

  // The job again, the same day, with or without something new: no second mail.
  send_digests(db(), kTuesday0900, "");
  argue_as(bob, c.id, "Un de plus");
  send_digests(db(), kTuesday1800, "");
  EXPECT_EQ(mails(alice), 1);
  // The next day: the one new event, alone.
  send_digests(db(), kWednesday0900, "");
  EXPECT_EQ(mails(alice), 2);
  send_digests(db(), kWednesday0900, "");
  EXPECT_EQ(mails(alice), 2);
  auto second = db().read()->query("SELECT subject FROM outbox WHERE recipient = ? ORDER BY id DESC", {emails[alice]});
  EXPECT_EQ(second[0].str(0), "Une nouveauté sur une contribution que vous suivez");
  // Bob (commented nothing on `other`) got the digest of what others did, never his own.
  EXPECT_EQ(mails(bob), 0);
  EXPECT_EQ(mails(carol), 0);
}

TEST_P(FollowTest, WeeklyOnMondaysNoneNeverReadOnesLeftOutEnglishByLocale) {
  int64_t weekly = user("Wendy", "en"), never = user("Nina"), reader = user("Rémi");
  auto c = contribution(alice);
  for (int64_t u : {weekly, never, reader}) ASSERT_TRUE(follow(db(), u, c.id, unix_now()).ok());
  set_digest_frequency(db(), weekly, DigestFrequency::weekly, unix_now());
  set_digest_frequency(db(), never, DigestFrequency::none, unix_now());
  EXPECT_EQ(digest_frequency(db(), weekly), DigestFrequency::weekly);
  EXPECT_EQ(digest_frequency(db(), reader), DigestFrequency::daily);
  argue_as(bob, c.id, "Un argument");
  argue_as(carol, c.id, "Un autre");
  mark_all_read(db(), reader, unix_now());  // read in the interface: nothing new to mail

  send_digests(db(), kTuesday0900, "");
  EXPECT_EQ(mails(weekly), 0);
  EXPECT_EQ(mails(never), 0);
  EXPECT_EQ(mails(reader), 0);
  EXPECT_EQ(notifications_of(db(), never, 0, 20).items.size(), 2u);  // listed, never mailed
  send_digests(db(), kMonday0900, "");
  ASSERT_EQ(mails(weekly), 1);
  auto rows = db().read()->query("SELECT subject, body FROM outbox WHERE recipient = ?", {emails[weekly]});
  EXPECT_EQ(rows[0].str(0), "2 updates on the contributions you follow");
  EXPECT_NE(rows[0].str(1).find("Here is what is new this week"), std::string::npos);
  EXPECT_EQ(mails(never), 0);
  EXPECT_EQ(mails(reader), 0);
}

INSTANTIATE_BACKENDS(FollowTest);

}  // namespace
