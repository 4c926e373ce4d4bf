// Consultations in the database, the same scenarios on SQLite and PostgreSQL: phases that
// follow the clock, participation rules, contributions held for review, votes (one per
// participant and target, changeable, limited supports, counters equal to the votes), mediated
// participation, arguments, comments, reports, moderation and answers.
#include "consultations/store.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "platform/clock.hpp"
#include "support/scratch_database.hpp"

namespace db = passerelle::db;
using namespace passerelle::consultations;
using passerelle::ErrorKind;
using passerelle::Errors;
using passerelle::unix_now;
using passerelle::testing::BackendTest;

namespace {

constexpr int64_t kDay = 86400;

class ConsultationsStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    territory = db().write()->query("INSERT INTO territories (slug, name, kind, created_at) VALUES (?, 'Doubs', 'departement', ?) RETURNING id",
                                    {unique("t"), unix_now()})[0]
                    .int64(0);
    agent = user("Agente");
    alice = user("Alice");
    bob = user("Bob");
  }
  int64_t user(const std::string& name) {
    return db().write()->query("INSERT INTO users (email, display_name, profile_type, created_at) VALUES (?, ?, 'citoyen', ?) RETURNING id",
                               {unique("u") + "@demo.passerelle.localhost", name, unix_now()})[0]
        .int64(0);
  }
  int64_t count(const std::string& sql, const db::Params& params = {}) { return db().read()->query(sql, params)[0].int64(0); }

  // Contribution phase open now, vote phase tomorrow (or both open when `all_open`).
  ProcessInput input(bool all_open = false) {
    ProcessInput in;
    in.title = "Schéma territorial des usages numériques";
    in.summary = "Comment mieux accompagner chacun dans ses démarches en ligne ?";
    in.sections = {"Accès aux droits", "Lieux de médiation"};
    int64_t now = unix_now();
    in.phases.push_back({"information", now - 10 * kDay, now - 5 * kDay, std::nullopt});
    in.phases.push_back({"contribution", now - 5 * kDay, now + 5 * kDay, std::nullopt});
    in.phases.push_back({"vote", all_open ? now - kDay : now + 5 * kDay, now + 10 * kDay, std::nullopt});
    return in;
  }
  Process process(ProcessInput in) {
    Errors errors;
    auto p = create_process(db(), territory, in, agent, errors);
    EXPECT_TRUE(p.ok()) << (errors.empty() ? "" : errors[0].message_key);
    EXPECT_TRUE(publish_process(db(), p->id, agent).ok());
    return *find_process(db(), p->id);
  }
  static Actor as(int64_t user_id) {
    Actor a;
    a.user_id = user_id;
    return a;
  }
  Contribution contribution(const Process& p, int64_t by, const std::string& title = "Des permanences en mairie") {
    auto c = contribute(db(), p.id, {title, "Une fois par semaine, un conseiller numérique à la mairie.", "Accès aux droits"}, as(by), unix_now());
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message_key);
    return *c;
  }

  int64_t territory = 0, agent = 0, alice = 0, bob = 0;
};

TEST_P(ConsultationsStoreTest, ProcessInputIsCheckedFieldByField) {
  ProcessInput in;
  in.phases.push_back({"débat", 10, 5, std::vector<std::string>{"voter"}});
  in.communes = {"123"};
  Errors errors;
  auto p = create_process(db(), territory, in, agent, errors);
  ASSERT_FALSE(p.ok());
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"title", "summary", "communes", "phases[0].kind", "phases[0].ends_at", "phases[0].allows"}));
  EXPECT_EQ(count("SELECT count(*) FROM processes WHERE territory_id = ?", {territory}), 0);
}

TEST_P(ConsultationsStoreTest, PhasesFollowTheClockAndSayWhyAnActionIsClosed) {
  Process p = process(input());
  int64_t now = unix_now();
  ASSERT_EQ(p.phases.size(), 3u);
  EXPECT_EQ(p.phases[0].state(now), PhaseState::closed);
  EXPECT_EQ(p.phases[1].state(now), PhaseState::open);
  EXPECT_EQ(p.phases[2].state(now), PhaseState::upcoming);
  EXPECT_FALSE(closed_reason(p, Action::contribute, now));
  auto vote_closed = closed_reason(p, Action::vote, now);
  ASSERT_TRUE(vote_closed);
  EXPECT_EQ(vote_closed->message_key, "consultations.closed.not_yet.vote");
  // After the last phase: the consultation is closed, for everything.
  auto after = closed_reason(p, Action::contribute, now + 20 * kDay);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->message_key, "consultations.closed.process");
  // And the server refuses it, changing nothing.
  auto c = contribution(p, alice);
  auto v = vote(db(), "contribution", c.id, VoteValue::agree, as(bob), now);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message_key, "consultations.closed.not_yet.vote");
  auto late = contribute(db(), p.id, {"Trop tard", "Texte", "Accès aux droits"}, as(bob), now + 20 * kDay);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().message_key, "consultations.closed.process");
  EXPECT_EQ(count("SELECT count(*) FROM votes WHERE process_id = ?", {p.id}), 0);
  EXPECT_EQ(count("SELECT count(*) FROM contributions WHERE process_id = ?", {p.id}), 1);
}

TEST_P(ConsultationsStoreTest, ContributionsAreCheckedAndNumberedAcrossThePlatform) {
  Process p = process(input());
  Process other = process(input());
  auto a = contribution(p, alice);
  auto b = contribution(other, bob);
  EXPECT_GT(b.id, a.id);  // one numbering for the platform (#2901)
  EXPECT_EQ(a.author_name, "Alice");
  EXPECT_EQ(a.status, Status::published);
  int64_t now = unix_now();
  auto unknown = contribute(db(), p.id, {"Titre", "Texte", "Culture"}, as(alice), now);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "section");
  EXPECT_EQ(unknown.error().message_key, "consultations.contribution.section_unknown");
  auto oversized = contribute(db(), p.id, {"Titre", std::string(kMaxBody + 1, 'a'), "Accès aux droits"}, as(alice), now);
  ASSERT_FALSE(oversized.ok());
  EXPECT_EQ(oversized.error().field, "body");
  Actor nobody;
  auto anonymous = contribute(db(), p.id, {"Titre", "Texte", "Accès aux droits"}, nobody, now);
  ASSERT_FALSE(anonymous.ok());
  EXPECT_EQ(anonymous.error().kind, ErrorKind::unauthorized);
  EXPECT_EQ(count("SELECT count(*) FROM contributions WHERE process_id IN (?, ?)", {p.id, other.id}), 2);
  EXPECT_EQ(count("SELECT count(*) FROM search_changes WHERE kind = 'contribution' AND ref_id IN (?, ?)", {a.id, b.id}), 2);
}

TEST_P(ConsultationsStoreTest, RepeatedTextsAndLinkHeavyPostsAreHeldForReview) {
  Process p = process(input());
  contribution(p, alice, "Même texte");
  auto again = contribute(db(), p.id, {"  MÊME   texte ", "Une fois par semaine, un conseiller numérique à la mairie.", "Accès aux droits"}, as(bob), unix_now());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, Status::pending);
  EXPECT_EQ(again->flagged, "repeated");
  auto links = contribute(db(), p.id, {"Liens", "http://a.example https://b.example www.c.example", "Accès aux droits"}, as(bob), unix_now());
  ASSERT_TRUE(links.ok());
  EXPECT_EQ(links->flagged, "links");
  auto queue = moderation_queue(db(), territory);
  EXPECT_EQ(queue.size(), 2u);
  // Held content is not listed publicly.
  EXPECT_EQ(list_contributions(db(), p.id, {}).total, 1);
}

TEST_P(ConsultationsStoreTest, OneVotePerParticipantAndTargetChangeableWithCountersMatching) {
  Process p = process(input(true));
  auto c = contribution(p, alice);
  int64_t now = unix_now();
  ASSERT_TRUE(vote(db(), "contribution", c.id, VoteValue::agree, as(bob), now).ok());
  ASSERT_TRUE(vote(db(), "contribution", c.id, VoteValue::agree, as(alice), now).ok());
  auto changed = vote(db(), "contribution", c.id, VoteValue::disagree, as(bob), now);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->counts.agree, 1);
  EXPECT_EQ(changed->counts.disagree, 1);
  EXPECT_EQ(count("SELECT count(*) FROM votes WHERE target_id = ?", {c.id}), 2);
  auto wrong = vote(db(), "contribution", c.id, VoteValue::support, as(bob), now);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message_key, "consultations.vote.value_invalid");
  auto removed = unvote(db(), "contribution", c.id, as(bob), now);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->counts.disagree, 0);
  auto stored = find_contribution(db(), c.id);
  EXPECT_EQ(stored->counts.agree, count("SELECT count(*) FROM votes WHERE target_id = ? AND value = 'agree'", {c.id}));
}

TEST_P(ConsultationsStoreTest, SupportsAreLimitedPerPerson) {
  ProcessInput in = input(true);
  in.vote_mode = "support";
  in.support_limit = 2;
  Process p = process(in);
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(contribution(p, alice, "Idée " + std::to_string(i)).id);
  int64_t now = unix_now();
  ASSERT_TRUE(vote(db(), "contribution", ids[0], VoteValue::support, as(bob), now).ok());
  ASSERT_TRUE(vote(db(), "contribution", ids[1], VoteValue::support, as(bob), now).ok());
  auto third = vote(db(), "contribution", ids[2], VoteValue::support, as(bob), now);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().message_key, "consultations.vote.limit_reached");
  ASSERT_TRUE(vote(db(), "contribution", ids[1], VoteValue::support, as(bob), now).ok());  // again on the same: not one more
  ASSERT_TRUE(unvote(db(), "contribution", ids[0], as(bob), now).ok());
  EXPECT_TRUE(vote(db(), "contribution", ids[2], VoteValue::support, as(bob), now).ok());
  EXPECT_EQ(count("SELECT count(*) FROM votes WHERE voter = ?", {"u:" + std::to_string(bob)}), 2);
}

// Two votes by one person sent at the same moment: one vote, counters right.
TEST_P(ConsultationsStoreTest, SimultaneousVotesByOnePersonLeaveOneVote) {
  Process p = process(input(true));
  auto c = contribution(p, alice);
  auto other = db::open(scratch().url());
  for (int round = 0; round < 10; ++round) {
    std::thread t1([&] { EXPECT_TRUE(vote(db(), "contribution", c.id, VoteValue::agree, as(bob), unix_now()).ok()); });
    std::thread t2([&] { EXPECT_TRUE(vote(*other, "contribution", c.id, VoteValue::disagree, as(bob), unix_now()).ok()); });
    t1.join();
    t2.join();
    EXPECT_EQ(count("SELECT count(*) FROM votes WHERE target_id = ?", {c.id}), 1);
    auto stored = find_contribution(db(), c.id);
    EXPECT_EQ(stored->counts.agree + stored->counts.disagree, 1);
  }
}

TEST_P(ConsultationsStoreTest, MediatorsEnterForPeopleWithoutAccountsWithConsent) {
  ProcessInput in = input(true);
  in.audience = "residents";
  in.communes = {"25056"};
  Process p = process(in);
  auto refused = register_participant(db(), territory, "Mme Martin", "25056", false, false, agent);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "consent");
  auto person = register_participant(db(), territory, "Mme Martin", "25056", true, false, agent);
  ASSERT_TRUE(person.ok());
  EXPECT_EQ(find_participants(db(), territory, "mme").size(), 1u);  // found again next time
  Actor mediated;
  mediated.participant_id = person->id;
  mediated.entered_by = agent;
  mediated.channel = Channel::mediator;
  auto no_consent = contribute(db(), p.id, {"Titre", "Texte", "Accès aux droits"}, mediated, unix_now());
  ASSERT_FALSE(no_consent.ok());
  EXPECT_EQ(no_consent.error().message_key, "consultations.mediator.consent_required");
  mediated.consent = true;
  auto c = contribute(db(), p.id, {"Un bus numérique", "Qui passe dans les villages.", "Lieux de médiation"}, mediated, unix_now());
  ASSERT_TRUE(c.ok()) << c.error().message_key;
  EXPECT_EQ(c->channel, Channel::mediator);
  EXPECT_EQ(c->author_name, "Mme Martin");
  EXPECT_EQ(c->entered_by, agent);
  // The person votes once, whoever enters it; each vote records who entered it.
  ASSERT_TRUE(vote(db(), "contribution", c->id, VoteValue::agree, mediated, unix_now()).ok());
  ASSERT_TRUE(vote(db(), "contribution", c->id, VoteValue::mixed, mediated, unix_now()).ok());
  EXPECT_EQ(count("SELECT count(*) FROM votes WHERE voter = ? AND entered_by = ?", {"p:" + std::to_string(person->id), agent}), 1);
  // Paper: the reference of the printed form is required.
  Actor paper = mediated;
  paper.channel = Channel::paper;
  auto no_ref = contribute(db(), p.id, {"Papier", "Texte", "Accès aux droits"}, paper, unix_now());
  ASSERT_FALSE(no_ref.ok());
  EXPECT_EQ(no_ref.error().field, "paper_ref");
  // Residents only: an account without a declared residency is refused, with a clear reason.
  auto outsider = contribute(db(), p.id, {"Titre", "Texte", "Accès aux droits"}, as(bob), unix_now());
  ASSERT_FALSE(outsider.ok());
  EXPECT_EQ(outsider.error().message_key, "consultations.rules.residents_only");
  declare_residency(db(), bob, territory, "25056", 1990);
  EXPECT_TRUE(contribute(db(), p.id, {"Titre", "Texte", "Accès aux droits"}, as(bob), unix_now()).ok());
}

TEST_P(ConsultationsStoreTest, ArgumentsCommentsAndTheirLimits) {
  Process p = process(input());
  auto c = contribution(p, alice);
  int64_t now = unix_now();
  ASSERT_TRUE(argue(db(), c.id, Side::for_, "Moins de déplacements.", as(bob), now).ok());
  ASSERT_TRUE(argue(db(), c.id, Side::against, "Coûteux pour une petite commune.", as(alice), now).ok());
  auto stored = find_contribution(db(), c.id);
  EXPECT_EQ(stored->counts.arguments_for, 1);
  EXPECT_EQ(stored->counts.arguments_against, 1);
  EXPECT_EQ(arguments_of(db(), c.id).size(), 2u);
  auto root = comment(db(), c.id, std::nullopt, "Bonne idée", bob, now);
  ASSERT_TRUE(root.ok());
  int64_t parent = root->id;
  for (int depth = 1; depth <= kMaxCommentDepth; ++depth) {
    auto reply = comment(db(), c.id, parent, "Réponse", alice, now);
    ASSERT_TRUE(reply.ok()) << depth;
    parent = reply->id;
  }
  auto too_deep = comment(db(), c.id, parent, "Encore", bob, now);
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ(too_deep.error().message_key, "consultations.comment.too_deep");
  EXPECT_EQ(comments_of(db(), c.id).size(), 1u + kMaxCommentDepth);
  auto source = add_source(db(), c.id, "Baromètre du numérique", "javascript:alert(1)", "etude", bob, now);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().field, "source_url");
  EXPECT_TRUE(add_source(db(), c.id, "Baromètre du numérique", "https://www.arcep.fr/", "etude", bob, now).ok());
}

TEST_P(ConsultationsStoreTest, ModerationHidesWithAReasonAuditsAndAllowsOneReview) {
  Process p = process(input());
  auto c = contribution(p, alice);
  ASSERT_TRUE(report(db(), "contribution", c.id, "injurieux", "", bob, unix_now()).ok());
  EXPECT_FALSE(report(db(), "contribution", c.id, "pas-bien", "", bob, unix_now()).ok());
  ASSERT_EQ(moderation_queue(db(), territory).size(), 1u);
  auto no_reason = moderate(db(), "contribution", c.id, Moderation::hide, " ", agent);
  ASSERT_FALSE(no_reason.ok());
  ASSERT_TRUE(moderate(db(), "contribution", c.id, Moderation::hide, "Propos injurieux", agent).ok());
  auto hidden = find_contribution(db(), c.id);
  EXPECT_EQ(hidden->status, Status::hidden);
  EXPECT_EQ(hidden->moderation_reason, "Propos injurieux");
  EXPECT_TRUE(moderation_queue(db(), territory).empty());
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'consultations.moderate.hidden' AND target = ?", {"contribution:" + std::to_string(c.id)}), 1);
  EXPECT_EQ(count("SELECT count(*) FROM outbox WHERE body LIKE ?", {"%(#" + std::to_string(c.id) + ")%"}), 1);  // the author is told why
  EXPECT_FALSE(request_review(db(), c.id, bob).ok());  // only the author
  ASSERT_TRUE(request_review(db(), c.id, alice).ok());
  auto twice = request_review(db(), c.id, alice);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().message_key, "consultations.review.already_asked");
  ASSERT_EQ(moderation_queue(db(), territory).size(), 1u);
  ASSERT_TRUE(moderate(db(), "contribution", c.id, Moderation::publish, "", agent).ok());
  EXPECT_FALSE(request_review(db(), c.id, alice).ok());
}

TEST_P(ConsultationsStoreTest, ListsSortFilterAndPage) {
  Process p = process(input(true));
  std::vector<int64_t> ids;
  for (int i = 0; i < 25; ++i) ids.push_back(contribution(p, alice, "Idée " + std::to_string(i)).id);
  ASSERT_TRUE(vote(db(), "contribution", ids[3], VoteValue::agree, as(bob), unix_now()).ok());
  ASSERT_TRUE(argue(db(), ids[7], Side::for_, "Oui", as(bob), unix_now()).ok());
  ListFilter f;
  auto recent = list_contributions(db(), p.id, f);
  EXPECT_EQ(recent.total, 25);
  EXPECT_EQ(recent.items.size(), 20u);
  EXPECT_EQ(recent.items[0].id, ids[24]);
  f.sort = Sort::supported;
  EXPECT_EQ(list_contributions(db(), p.id, f).items[0].id, ids[3]);
  f.sort = Sort::debated;
  EXPECT_EQ(list_contributions(db(), p.id, f).items[0].id, ids[7]);
  f.sort = Sort::random;
  f.seed = 12345;
  auto a = list_contributions(db(), p.id, f), b = list_contributions(db(), p.id, f);
  ASSERT_EQ(a.items.size(), b.items.size());
  for (size_t i = 0; i < a.items.size(); ++i) EXPECT_EQ(a.items[i].id, b.items[i].id);  // stable per seed
  f.seed = 999;
  auto c = list_contributions(db(), p.id, f);
  bool differs = false;
  for (size_t i = 0; i < a.items.size(); ++i) differs = differs || a.items[i].id != c.items[i].id;
  EXPECT_TRUE(differs);
  f.sort = Sort::recent;
  f.offset = 20;
  EXPECT_EQ(list_contributions(db(), p.id, f).items.size(), 5u);
  ASSERT_TRUE(answer(db(), ids[3], Answer::retenue, "Nous l'inscrivons au budget 2027.", agent, unix_now()).ok());
  ListFilter answered;
  answered.answer = Answer::retenue;
  auto retained = list_contributions(db(), p.id, answered);
  ASSERT_EQ(retained.total, 1);
  EXPECT_EQ(retained.items[0].answer_text, "Nous l'inscrivons au budget 2027.");
}

TEST_P(ConsultationsStoreTest, ArgumentsAreVotableAsUsefulOncePerPerson) {
  Process p = process(input(true));
  auto c = contribution(p, alice);
  int64_t now = unix_now();
  auto a = argue(db(), c.id, Side::against, "Trop cher.", as(bob), now);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(vote(db(), "argument", a->id, VoteValue::useful, as(alice), now).ok());
  auto again = vote(db(), "argument", a->id, VoteValue::useful, as(alice), now);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->useful, 1);
  EXPECT_FALSE(vote(db(), "argument", a->id, VoteValue::agree, as(bob), now).ok());
  EXPECT_EQ(arguments_of(db(), c.id)[0].useful, 1);
  EXPECT_EQ(contribution_of_target(db(), "argument", a->id), c.id);
  EXPECT_FALSE(contribution_of_target(db(), "vote", a->id));
}

TEST_P(ConsultationsStoreTest, AmendmentsHaveTheirOwnVotes) {
  Process p = process(input(true));
  auto c = contribution(p, alice);
  int64_t now = unix_now();
  auto same = amend(db(), c.id, c.title, c.body, as(bob), now);
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.error().message_key, "consultations.amendment.unchanged");
  auto a = amend(db(), c.id, c.title, c.body + "\nEt le samedi matin.", as(bob), now);
  ASSERT_TRUE(a.ok()) << a.error().message_key;
  ASSERT_TRUE(vote(db(), "amendment", a->id, VoteValue::agree, as(alice), now).ok());
  ASSERT_TRUE(vote(db(), "amendment", a->id, VoteValue::mixed, as(alice), now).ok());  // changed, still one
  EXPECT_FALSE(vote(db(), "amendment", a->id, VoteValue::support, as(bob), now).ok());
  auto list = amendments_of(db(), c.id);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].agree, 0);
  EXPECT_EQ(list[0].mixed, 1);
  EXPECT_EQ(find_contribution(db(), c.id)->counts.agree, 0);  // the contribution's own votes are apart
  auto late = amend(db(), c.id, c.title, "Autre", as(bob), now + 20 * kDay);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().message_key, "consultations.closed.process");
}

TEST_P(ConsultationsStoreTest, AProcessIsEditedWithItsPhasesAndWhatEachAllows) {
  Process p = process(input());
  auto c = contribution(p, alice);
  ProcessInput in = input();
  in.title = "Schéma des usages numériques, version 2";
  in.phases[1].allows = std::vector<std::string>{"contribute"};  // contributing only: no more arguments
  Errors errors;
  auto edited = update_process(db(), p.id, in, agent, errors);
  ASSERT_TRUE(edited.ok()) << (errors.empty() ? edited.error().message_key : errors[0].message_key);
  EXPECT_EQ(edited->title, "Schéma des usages numériques, version 2");
  EXPECT_EQ(edited->phases.size(), 3u);
  auto refused = argue(db(), c.id, Side::for_, "Oui", as(bob), unix_now());
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(contribute(db(), p.id, {"Encore une idée", "Un texte.", "Accès aux droits"}, as(bob), unix_now()).ok());
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'consultations.process.update' AND target = ?", {"process:" + std::to_string(p.id)}), 1);
  ProcessInput bad = in;
  bad.phases[0].ends_at = bad.phases[0].starts_at;
  Errors bad_errors;
  EXPECT_FALSE(update_process(db(), p.id, bad, agent, bad_errors).ok());
  EXPECT_EQ(find_process(db(), p.id)->title, "Schéma des usages numériques, version 2");  // nothing written
}

TEST_P(ConsultationsStoreTest, AmendmentsAreReportedAndModeratedLikeTheRest) {
  Process p = process(input(true));
  auto c = contribution(p, alice);
  int64_t now = unix_now();
  auto a = amend(db(), c.id, c.title, c.body + "\nVenez tous à ma boutique !", as(bob), now);
  ASSERT_TRUE(a.ok()) << a.error().message_key;
  ASSERT_TRUE(vote(db(), "amendment", a->id, VoteValue::agree, as(alice), now).ok());
  auto reported = report(db(), "amendment", a->id, "spam", "", alice, now);
  ASSERT_TRUE(reported.ok()) << reported.error().message_key;
  bool queued = false;
  for (const auto& item : moderation_queue(db(), territory))
    queued = queued || (item.target_kind == "amendment" && item.target_id == a->id && item.contribution_id == c.id);
  EXPECT_TRUE(queued);
  ASSERT_TRUE(moderate(db(), "amendment", a->id, Moderation::hide, "Publicité", agent).ok());
  auto list = amendments_of(db(), c.id);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].status, Status::hidden);
  EXPECT_EQ(list[0].moderation_reason, "Publicité");
  EXPECT_FALSE(vote(db(), "amendment", a->id, VoteValue::mixed, as(alice), now).ok());  // hidden: no more votes
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'consultations.moderate.hidden' AND target = ?", {"amendment:" + std::to_string(a->id)}), 1);
}

TEST_P(ConsultationsStoreTest, OnlyRetainedContributionsAreFollowedToTheEnd) {
  Process p = process(input());
  auto retained = contribution(p, alice, "Retenue");
  auto other = contribution(p, bob, "Pas retenue");
  ASSERT_TRUE(answer(db(), retained.id, Answer::retenue, "Oui", agent, unix_now()).ok());
  auto refused = set_followup(db(), other.id, FollowupStatus::ongoing, "", std::nullopt, 10, agent);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message_key, "consultations.followup.not_retained");
  EXPECT_FALSE(set_followup(db(), retained.id, FollowupStatus::ongoing, "", std::nullopt, 120, agent).ok());
  ASSERT_TRUE(set_followup(db(), retained.id, FollowupStatus::ongoing, "Direction du numérique", 1250000, 40, agent).ok());
  auto m = add_milestone(db(), retained.id, "Marché public", unix_now() + 30 * kDay, agent);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(complete_milestone(db(), m->id, agent, unix_now()).ok());
  auto list = followups(db(), p.id);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].service, "Direction du numérique");
  EXPECT_EQ(list[0].budget_cents, 1250000);
  EXPECT_EQ(list[0].progress, 40);
  ASSERT_EQ(list[0].milestones.size(), 1u);
  EXPECT_TRUE(list[0].milestones[0].done_at.has_value());
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE target = ?", {"contribution:" + std::to_string(retained.id)}), 3);  // answer, follow-up, milestone
}

INSTANTIATE_BACKENDS(ConsultationsStoreTest);

}  // namespace

#include "platform/i18n/format.hpp"

namespace {
TEST(FormDates, ParsedInParisTimeAndRefusedWhenNotADate) {
  using passerelle::i18n::parse_date;
  // 1 December 2026, 00:00 in Paris (UTC+1) is 23:00 UTC the day before.
  EXPECT_EQ(parse_date("2026-12-01"), 1796079600);
  // Summer time: 1 July 2026, 00:00 in Paris (UTC+2).
  EXPECT_EQ(parse_date("2026-07-01"), 1782856800);
  EXPECT_EQ(parse_date("2026-12-01", "Pacific/Noumea"), 1796043600);  // UTC+11
  EXPECT_FALSE(parse_date("2026-02-31"));
  EXPECT_FALSE(parse_date("01/12/2026"));
  EXPECT_FALSE(parse_date(""));
  EXPECT_EQ(passerelle::i18n::iso_date(1796079600), "2026-12-01");
}
}  // namespace
