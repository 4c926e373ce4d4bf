#pragma once
// Consultations: a territory's participatory processes, their dated phases and what each phase
// allows, contributions (numbered across the platform: #2901), arguments for and against,
// sources, comments and votes. The domain follows Cap Collectif's public model (opinion,
// argument, source, one vote table) and Decidim's per-phase settings. No I/O here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/result.hpp"

namespace passerelle::consultations {

// --- Phases ---

enum class PhaseKind { information, contribution, vote, restitution };
enum class Action { contribute, argue, vote, comment };
enum class PhaseState { upcoming, open, closed };  // à venir, ouverte, fermée

std::string_view name(PhaseKind k);  // "information", "contribution", "vote", "restitution"
std::optional<PhaseKind> parse_phase_kind(std::string_view s);
std::string_view name(Action a);     // "contribute", "argue", "vote", "comment"
std::optional<Action> parse_action(std::string_view s);
std::string_view name(PhaseState s); // "a-venir", "ouverte", "fermee"

struct Phase {
  int64_t id = 0;
  PhaseKind kind = PhaseKind::information;
  int64_t starts_at = 0;  // Unix seconds, inclusive
  int64_t ends_at = 0;    // exclusive
  std::vector<Action> allows;
  PhaseState state(int64_t now) const;
  bool allows_action(Action a) const;
};
// The actions a phase allows unless told otherwise: contribution → contribute, argue, comment;
// vote → vote, argue, comment; information and restitution → nothing.
std::vector<Action> default_allows(PhaseKind k);

// --- Processes ---

enum class VoteMode { opinion, support };  // d'accord / mitigé / pas d'accord, or supports
enum class Audience { anyone, residents };
enum class Residency { declared, verified };
enum class ProcessStatus { draft, published, trashed };
std::string_view name(VoteMode m);
std::string_view name(Audience a);
std::string_view name(Residency r);
std::string_view name(ProcessStatus s);  // "draft", "published", "trashed"

struct Rules {
  Audience audience = Audience::anyone;
  int min_age = 0;                         // 0 = no minimum
  Residency residency = Residency::declared;
};

struct Process {
  int64_t id = 0;
  int64_t territory_id = 0;
  std::string territory_slug, territory_name;
  ProcessStatus status = ProcessStatus::draft;
  std::string title, summary, body;  // body: Markdown, rendered sanitised
  std::vector<std::string> themes;   // Les Bases theme slugs
  std::vector<std::string> sections; // contributions choose one when there are any
  VoteMode vote_mode = VoteMode::opinion;
  int support_limit = 0;             // supports per participant in the process, 0 = no limit
  bool premoderation = false;
  Rules rules;
  std::vector<std::string> communes; // INSEE codes whose residents may take part (residents rule)
  std::vector<Phase> phases;         // by start
  int64_t created_at = 0, updated_at = 0;

  // The phase open at `now` that allows `a`, if any.
  const Phase* open_for(Action a, int64_t now) const;
  // The phase open at `now` (the first when several overlap), if any.
  const Phase* current(int64_t now) const;
};

// Why `a` is refused at `now`, as a message key ("consultations.closed.process" = "La
// consultation est fermée", ".not_yet", ".not_in_phase"), or nothing when it is allowed.
std::optional<Error> closed_reason(const Process& p, Action a, int64_t now);

// --- Contributions and what hangs on them ---

enum class Status { published, pending, hidden, withdrawn, trashed };
enum class Channel { online, mediator, paper };
enum class Answer { retenue, ecartee, etude };
enum class Side { for_, against };
enum class VoteValue { agree, mixed, disagree, support, useful };
std::string_view name(Status s);     // "published", "pending", "hidden", "withdrawn", "trashed"
std::optional<Status> parse_status(std::string_view s);
std::string_view name(Channel c);    // "online", "mediator", "paper"
std::string_view name(Answer a);     // "retenue", "ecartee", "etude"
std::optional<Answer> parse_answer(std::string_view s);
std::string_view name(Side s);       // "for", "against"
std::optional<Side> parse_side(std::string_view s);
std::string_view name(VoteValue v);  // "agree", "mixed", "disagree", "support", "useful"
std::optional<VoteValue> parse_vote_value(std::string_view s);
bool valid_for(VoteMode mode, VoteValue v);  // opinion: agree/mixed/disagree; support: support

struct Counts {
  int64_t agree = 0, mixed = 0, disagree = 0, support = 0;
  int64_t arguments_for = 0, arguments_against = 0, comments = 0;
};

struct Contribution {
  int64_t id = 0;  // the platform-wide number: "#2901"
  int64_t process_id = 0;
  int64_t territory_id = 0;
  std::string section, title, body;
  std::optional<int64_t> user_id, participant_id, entered_by;
  std::string author_name;  // public display name (account display name or the participant's)
  Channel channel = Channel::online;
  std::string paper_ref;
  Status status = Status::published;
  std::string moderation_reason, flagged;
  bool review_requested = false;
  std::optional<Answer> answer;
  std::string answer_text;
  std::optional<int64_t> answered_at;
  Counts counts;
  int64_t created_at = 0, updated_at = 0;
};

struct Argument {
  int64_t id = 0;
  int64_t contribution_id = 0;
  Side side = Side::for_;
  std::string body, author_name, moderation_reason;
  std::optional<int64_t> user_id, participant_id, entered_by;
  Status status = Status::published;
  int64_t useful = 0;
  int64_t created_at = 0;
};

struct Source {
  int64_t id = 0;
  int64_t contribution_id = 0;
  std::string title, url, category;  // category: etude, article, donnees, texte-officiel, autre
  int64_t created_at = 0;
};
bool valid_source_category(std::string_view c);

struct Comment {
  int64_t id = 0;
  int64_t contribution_id = 0;
  std::optional<int64_t> parent_id;
  int depth = 0;
  std::string body, author_name, moderation_reason;
  std::optional<int64_t> user_id;
  Status status = Status::published;
  int64_t created_at = 0;
};

// --- Limits (explicit, checked before anything is written) ---

inline constexpr size_t kMaxTitle = 200;
inline constexpr size_t kMaxBody = 10000;       // a contribution
inline constexpr size_t kMaxArgument = 2000;
inline constexpr size_t kMaxComment = 2000;
inline constexpr int kMaxCommentDepth = 3;      // a reply to a reply to a reply, no deeper
inline constexpr size_t kMaxSections = 30;
inline constexpr size_t kMaxReason = 500;
inline constexpr size_t kLinkHeavy = 3;         // this many links or more: held for review

// Line breaks as "\n" (browsers send "\r\n"): texts then compare and diff line by line.
std::string normalise_newlines(std::string_view text);

// Automatic checks that hold a contribution for a moderator ("" when none applies).
size_t count_links(std::string_view text);
// Lower case, accents folded, spaces collapsed, then a digest: repeated texts compare equal.
std::string text_digest(std::string_view text);

}  // namespace passerelle::consultations
