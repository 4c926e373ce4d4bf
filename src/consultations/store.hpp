#pragma once
// Consultations in the database (SQLite or PostgreSQL). Every rule of a phase is checked here,
// in the transaction that writes, so that pages and the API cannot differ: a refused action
// changes nothing. Counters are recounted from the votes in the same transaction (with the
// contribution's row locked on PostgreSQL), so they always match the votes.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "consultations/model.hpp"
#include "platform/db/database.hpp"

namespace passerelle::consultations {

// --- Who acts ---

// The person taking part: an account, or a person registered by a mediator (participant).
// A mediator or agent entering for someone is `entered_by`; paper contributions carry the
// reference printed on the form.
struct Actor {
  std::optional<int64_t> user_id;
  std::optional<int64_t> participant_id;
  std::optional<int64_t> entered_by;
  Channel channel = Channel::online;
  std::string paper_ref;
  bool consent = false;  // the person's consent, recorded by the mediator (required then)
  std::string voter_key() const;  // "u:12" or "p:5"
};

struct Participant {
  int64_t id = 0;
  int64_t territory_id = 0;
  std::string display_name, commune;
  bool residency_verified = false;
  int64_t consent_at = 0;
};
// A mediator registers a person once (consent required) and finds them again by name.
Result<Participant> register_participant(db::Database& db, int64_t territory_id, const std::string& display_name,
                                         const std::string& commune, bool consent, bool residency_verified, int64_t mediator);
std::vector<Participant> find_participants(db::Database& db, int64_t territory_id, const std::string& name_prefix);
std::optional<Participant> find_participant(db::Database& db, int64_t id);

// An account's residency in a territory: declared by the person, verified by a mediator/agent.
void declare_residency(db::Database& db, int64_t user_id, int64_t territory_id, const std::string& commune, std::optional<int> birth_year);
void verify_residency(db::Database& db, int64_t user_id, int64_t territory_id, int64_t verifier);

// --- Processes ---

struct PhaseInput {
  std::string kind;  // "contribution"…
  int64_t starts_at = 0, ends_at = 0;
  std::optional<std::vector<std::string>> allows;  // nothing = the kind's defaults
};
struct ProcessInput {
  std::string title, summary, body;
  std::vector<std::string> themes, sections, communes;
  std::string vote_mode = "opinion";  // or "support"
  int support_limit = 0;
  bool premoderation = false;
  std::string audience = "anyone";    // or "residents"
  int min_age = 0;
  std::string residency = "declared"; // or "verified"
  std::vector<PhaseInput> phases;
};
Result<Process> create_process(db::Database& db, int64_t territory_id, const ProcessInput& input, int64_t author, Errors& errors);
// Texts, rules and phases replaced by `input` (same checks as create_process); audit-logged.
Result<Process> update_process(db::Database& db, int64_t id, const ProcessInput& input, int64_t actor, Errors& errors);
passerelle::Status publish_process(db::Database& db, int64_t id, int64_t actor);
std::optional<Process> find_process(db::Database& db, int64_t id);
std::optional<Process> find_process(db::Connection& conn, int64_t id);
// Published processes of a territory (all territories when none), newest first.
std::vector<Process> list_processes(db::Database& db, std::optional<int64_t> territory_id);

// --- Contributions ---

struct ContributionInput {
  std::string title, body, section;
};
// Checks the phase, the participation rules, the sizes and the section; held for a moderator
// (status pending) under pre-moderation, or when the text repeats one of the process or is
// full of links. Returns the contribution as stored.
Result<Contribution> contribute(db::Database& db, int64_t process_id, const ContributionInput& input, const Actor& actor, int64_t now);
passerelle::Status withdraw(db::Database& db, int64_t contribution_id, int64_t user_id);
std::optional<Contribution> find_contribution(db::Database& db, int64_t id);
std::optional<Contribution> find_contribution(db::Connection& conn, int64_t id);

enum class Sort { recent, supported, debated, random };
std::optional<Sort> parse_sort(std::string_view s);  // "recentes", "soutenues", "debattues", "aleatoire"
std::string_view name(Sort s);
struct ListFilter {
  std::optional<std::string> section;
  std::optional<Answer> answer;
  std::vector<Status> statuses;  // empty = published
  Sort sort = Sort::recent;
  uint64_t seed = 0;             // random: stable for one visitor session
  size_t offset = 0;
  size_t limit = 20;             // at most 100
};
struct ContributionPage {
  std::vector<Contribution> items;
  int64_t total = 0;
};
ContributionPage list_contributions(db::Database& db, int64_t process_id, const ListFilter& filter);

// --- Votes ---

// One vote per participant and target, changeable while the phase is open: a second vote
// replaces the first. Supports count against the process's per-person limit.
struct VoteResult {
  Counts counts;   // of the contribution (or, for an argument, its contribution)
  int64_t useful = 0;  // the argument's "useful" count
};
Result<VoteResult> vote(db::Database& db, std::string_view target_kind, int64_t target_id, VoteValue value, const Actor& actor, int64_t now);
Result<VoteResult> unvote(db::Database& db, std::string_view target_kind, int64_t target_id, const Actor& actor, int64_t now);
// The voter's current vote on a target, if any.
std::optional<VoteValue> vote_of(db::Database& db, std::string_view target_kind, int64_t target_id, const std::string& voter);

// --- Amendments: a proposed new version of a contribution, with its own votes ---

struct Amendment {
  int64_t id = 0;
  int64_t contribution_id = 0;
  std::string title, body, author_name;
  Status status = Status::published;  // published, or hidden / trashed with moderation_reason
  std::string moderation_reason;
  int64_t agree = 0, mixed = 0, disagree = 0;
  int64_t created_at = 0;
};
// While contributing is open; the text must differ from the contribution's. Votes on an
// amendment (d'accord / mitigé / pas d'accord, whatever the process's mode) go through vote()
// with target "amendment", open while voting or arguing is.
Result<Amendment> amend(db::Database& db, int64_t contribution_id, const std::string& title, const std::string& body, const Actor& actor, int64_t now);
// Published and moderated ones (shown with their reason), in order.
std::vector<Amendment> amendments_of(db::Database& db, int64_t contribution_id);

// --- Arguments, sources, comments ---

Result<Argument> argue(db::Database& db, int64_t contribution_id, Side side, const std::string& body, const Actor& actor, int64_t now);
std::vector<Argument> arguments_of(db::Database& db, int64_t contribution_id, bool with_hidden = false);
Result<Source> add_source(db::Database& db, int64_t contribution_id, const std::string& title, const std::string& url,
                          const std::string& category, int64_t user_id, int64_t now);
std::vector<Source> sources_of(db::Database& db, int64_t contribution_id);
Result<Comment> comment(db::Database& db, int64_t contribution_id, std::optional<int64_t> parent_id, const std::string& body,
                        int64_t user_id, int64_t now);
std::vector<Comment> comments_of(db::Database& db, int64_t contribution_id);  // threads in reading order

// --- Moderation ---

struct Report {
  int64_t id = 0;
  std::string target_kind;
  int64_t target_id = 0;
  std::string reason, details;
  int64_t created_at = 0;
};
bool valid_report_reason(std::string_view r);  // spam, injurieux, hors-sujet, donnees-personnelles, autre
Result<Report> report(db::Database& db, std::string_view target_kind, int64_t target_id, const std::string& reason,
                      const std::string& details, std::optional<int64_t> reporter, int64_t now);

// The moderation queue of a territory: open reports and content held for review.
struct QueueItem {
  std::string target_kind;  // contribution, argument, comment
  int64_t target_id = 0;
  int64_t contribution_id = 0;
  std::string excerpt, why;  // the reasons reported, or the automatic flag
  Status status = Status::published;
  int64_t reports = 0;
  bool review_requested = false;
};
std::vector<QueueItem> moderation_queue(db::Database& db, int64_t territory_id);

enum class Moderation { publish, hide, trash };
std::optional<Moderation> parse_moderation(std::string_view s);  // "publier", "masquer", "supprimer"
// Hides or trashes with a reason shown in place of the content ("contenu modéré : …"), or
// publishes; resolves the reports; audit-logged. The author is notified by e-mail.
passerelle::Status moderate(db::Database& db, std::string_view target_kind, int64_t target_id, Moderation action, const std::string& reason,
                int64_t moderator);
// The author asks once for a second look at moderated content.
passerelle::Status request_review(db::Database& db, int64_t contribution_id, int64_t user_id);

// --- The territory's answer ---

passerelle::Status answer(db::Database& db, int64_t contribution_id, Answer kind, const std::string& text, int64_t by, int64_t now);

// The contribution a target (contribution, argument, comment, amendment) belongs to; nothing if unknown.
std::optional<int64_t> contribution_of_target(db::Database& db, std::string_view target_kind, int64_t target_id);
// The territory of a target (contribution, argument, comment), for rights; nothing if unknown.
std::optional<int64_t> territory_of(db::Database& db, std::string_view target_kind, int64_t target_id);

}  // namespace passerelle::consultations

namespace passerelle::consultations {

// --- After the answer: retained contributions followed to the end ---

enum class FollowupStatus { to_start, ongoing, done, abandoned };  // à lancer, en cours, réalisée, abandonnée
std::string_view name(FollowupStatus s);                             // "a-lancer", "en-cours", "realisee", "abandonnee"
std::optional<FollowupStatus> parse_followup_status(std::string_view s);

struct Milestone {
  int64_t id = 0;
  std::string title;
  int64_t due_at = 0;
  std::optional<int64_t> done_at;
};
struct Followup {
  int64_t contribution_id = 0;
  std::string title;  // of the contribution
  FollowupStatus status = FollowupStatus::to_start;
  std::string service;
  std::optional<int64_t> budget_cents;
  int progress = 0;   // percent
  int64_t updated_at = 0;
  std::vector<Milestone> milestones;  // by due date
};
// Only a contribution the territory retained can be followed. Audit-logged.
passerelle::Status set_followup(db::Database& db, int64_t contribution_id, FollowupStatus status, const std::string& service,
                                std::optional<int64_t> budget_cents, int progress, int64_t by);
Result<Milestone> add_milestone(db::Database& db, int64_t contribution_id, const std::string& title, int64_t due_at, int64_t by);
passerelle::Status complete_milestone(db::Database& db, int64_t milestone_id, int64_t by, int64_t now);
std::optional<Followup> followup_of(db::Database& db, int64_t contribution_id);
// Every retained contribution of a process with its follow-up (a default one when none is set yet).
std::vector<Followup> followups(db::Database& db, int64_t process_id);

}  // namespace passerelle::consultations
