#include "consultations/model.hpp"

#include <algorithm>

#include "platform/security/crypto.hpp"
#include "text/analyzer.hpp"

namespace passerelle::consultations {

namespace {

template <class E, size_t N>
std::optional<E> parse(std::string_view s, const std::string_view (&names)[N]) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::string_view kPhaseKinds[] = {"information", "contribution", "vote", "restitution"};
constexpr std::string_view kActions[] = {"contribute", "argue", "vote", "comment"};
constexpr std::string_view kPhaseStates[] = {"a-venir", "ouverte", "fermee"};
constexpr std::string_view kVoteModes[] = {"opinion", "support"};
constexpr std::string_view kAudiences[] = {"anyone", "residents"};
constexpr std::string_view kResidencies[] = {"declared", "verified"};
constexpr std::string_view kProcessStatuses[] = {"draft", "published", "trashed"};
constexpr std::string_view kStatuses[] = {"published", "pending", "hidden", "withdrawn", "trashed"};
constexpr std::string_view kChannels[] = {"online", "mediator", "paper"};
constexpr std::string_view kAnswers[] = {"retenue", "ecartee", "etude"};
constexpr std::string_view kSides[] = {"for", "against"};
constexpr std::string_view kVoteValues[] = {"agree", "mixed", "disagree", "support", "useful"};
constexpr std::string_view kSourceCategories[] = {"etude", "article", "donnees", "texte-officiel", "autre"};

}  // namespace

std::string_view name(PhaseKind k) { return kPhaseKinds[static_cast<int>(k)]; }
std::optional<PhaseKind> parse_phase_kind(std::string_view s) { return parse<PhaseKind>(s, kPhaseKinds); }
std::string_view name(Action a) { return kActions[static_cast<int>(a)]; }
std::optional<Action> parse_action(std::string_view s) { return parse<Action>(s, kActions); }
std::string_view name(PhaseState s) { return kPhaseStates[static_cast<int>(s)]; }
std::string_view name(VoteMode m) { return kVoteModes[static_cast<int>(m)]; }
std::string_view name(Audience a) { return kAudiences[static_cast<int>(a)]; }
std::string_view name(Residency r) { return kResidencies[static_cast<int>(r)]; }
std::string_view name(ProcessStatus s) { return kProcessStatuses[static_cast<int>(s)]; }
std::string_view name(Status s) { return kStatuses[static_cast<int>(s)]; }
std::optional<Status> parse_status(std::string_view s) { return parse<Status>(s, kStatuses); }
std::string_view name(Channel c) { return kChannels[static_cast<int>(c)]; }
std::string_view name(Answer a) { return kAnswers[static_cast<int>(a)]; }
std::optional<Answer> parse_answer(std::string_view s) { return parse<Answer>(s, kAnswers); }
std::string_view name(Side s) { return kSides[static_cast<int>(s)]; }
std::optional<Side> parse_side(std::string_view s) { return parse<Side>(s, kSides); }
std::string_view name(VoteValue v) { return kVoteValues[static_cast<int>(v)]; }
std::optional<VoteValue> parse_vote_value(std::string_view s) { return parse<VoteValue>(s, kVoteValues); }
bool valid_source_category(std::string_view c) { return parse<int>(c, kSourceCategories).has_value(); }

bool valid_for(VoteMode mode, VoteValue v) {
  if (mode == VoteMode::support) return v == VoteValue::support;
  return v == VoteValue::agree || v == VoteValue::mixed || v == VoteValue::disagree;
}

PhaseState Phase::state(int64_t now) const {
  if (now < starts_at) return PhaseState::upcoming;
  if (now >= ends_at) return PhaseState::closed;
  return PhaseState::open;
}

bool Phase::allows_action(Action a) const { return std::find(allows.begin(), allows.end(), a) != allows.end(); }

std::vector<Action> default_allows(PhaseKind k) {
  switch (k) {
    case PhaseKind::contribution: return {Action::contribute, Action::argue, Action::comment};
    case PhaseKind::vote: return {Action::vote, Action::argue, Action::comment};
    default: return {};
  }
}

const Phase* Process::open_for(Action a, int64_t now) const {
  for (const auto& ph : phases)
    if (ph.state(now) == PhaseState::open && ph.allows_action(a)) return &ph;
  return nullptr;
}

const Phase* Process::current(int64_t now) const {
  for (const auto& ph : phases)
    if (ph.state(now) == PhaseState::open) return &ph;
  return nullptr;
}

std::optional<Error> closed_reason(const Process& p, Action a, int64_t now) {
  if (p.status != ProcessStatus::published) return Error::not_found("consultations.not_found");
  if (p.open_for(a, now)) return std::nullopt;
  std::string action(name(a));
  const Phase* next = nullptr;  // the next phase that will allow it
  for (const auto& ph : p.phases)
    if (ph.allows_action(a) && ph.state(now) == PhaseState::upcoming && (!next || ph.starts_at < next->starts_at)) next = &ph;
  if (next) return Error{ErrorKind::conflict, "consultations.closed.not_yet." + action, "", {{"date", std::to_string(next->starts_at)}}};
  if (!p.current(now)) return Error{ErrorKind::conflict, "consultations.closed.process", "", {}};
  return Error{ErrorKind::conflict, "consultations.closed.not_in_phase." + action, "", {}};
}

std::string normalise_newlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

size_t count_links(std::string_view text) {
  size_t n = 0;
  for (std::string_view scheme : {"http://", "https://", "www."})
    for (size_t at = text.find(scheme); at != std::string_view::npos; at = text.find(scheme, at + 1)) ++n;
  // "https://www." counted twice: once is enough.
  for (size_t at = text.find("://www."); at != std::string_view::npos; at = text.find("://www.", at + 1)) --n;
  return n;
}

std::string text_digest(std::string_view text) {
  std::string folded = text::fold(text), collapsed;
  bool space = false;
  for (char c : folded) {
    bool is_space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (is_space) {
      space = !collapsed.empty();
      continue;
    }
    if (space) collapsed += ' ';
    space = false;
    collapsed += c;
  }
  return security::token_digest(collapsed);
}

}  // namespace passerelle::consultations
