// Contributions, their lists, and votes (one per participant and target, counters kept in step).
#include <sodium.h>

#include <algorithm>
#include <unordered_map>

#include "consultations/follow.hpp"
#include "consultations/store_shared.hpp"
#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/db/keyset.hpp"
#include "search/service.hpp"

namespace passerelle::consultations {

using namespace detail;

namespace {

constexpr std::string_view kSortNames[] = {"recentes", "soutenues", "debattues", "aleatoire"};

Counts counts_of(db::Connection& conn, int64_t contribution_id) {
  auto r_rows = conn.query("SELECT agree_count, mixed_count, disagree_count, support_count, for_count, against_count, comment_count "
                      "FROM contributions WHERE id = ?",
                      {contribution_id});
  auto r = r_rows[0];
  return {r.int64(0), r.int64(1), r.int64(2), r.int64(3), r.int64(4), r.int64(5), r.int64(6)};
}

// Counters move with each vote in the vote's own transaction (the writer, or the row lock on
// PostgreSQL): exact without recounting, so a vote costs the same on a contribution with five
// votes as on one with fifty thousand. A counter column is named after the value it counts.
void move_counter(db::Connection& conn, std::string_view target_kind, int64_t target_id, std::optional<std::string> from, std::optional<std::string> to) {
  if (from == to) return;
  std::string_view table = target_kind == "argument" ? "arguments" : target_kind == "amendment" ? "amendments" : "contributions";
  std::string set;
  if (from) set = *from + "_count = " + *from + "_count - 1";
  if (to) set += (set.empty() ? "" : ", ") + *to + "_count = " + *to + "_count + 1";
  conn.exec("UPDATE " + std::string(table) + " SET " + set + " WHERE id = ?", {target_id});
}

std::optional<std::string> current_vote(db::Connection& conn, std::string_view target_kind, int64_t target_id, const std::string& voter) {
  auto rows = conn.query("SELECT value FROM votes WHERE target_kind = ? AND target_id = ? AND voter = ?", {target_kind, target_id, voter});
  if (rows.empty()) return std::nullopt;
  return rows[0].str(0);
}

int64_t useful_count(db::Connection& conn, int64_t argument_id) {
  return conn.query("SELECT useful_count FROM arguments WHERE id = ?", {argument_id})[0].int64(0);
}

// What a vote on `target` needs: the contribution it hangs on (locked), its process, and the
// phase rule. On an argument, "useful" votes are open while arguing or voting is.
struct VoteTarget {
  int64_t contribution_id = 0;
  Process process;
};
Result<VoteTarget> vote_target(db::Connection& conn, std::string_view kind, int64_t id, int64_t now) {
  int64_t contribution_id = id;
  if (kind == "argument" || kind == "amendment") {
    auto a_rows = conn.query(std::string("SELECT contribution_id, status FROM ") + (kind == "argument" ? "arguments" : "amendments") + " WHERE id = ?", {id});
    auto a = a_rows.first();
    if (!a || a->text(1) != "published")
      return Error::not_found(kind == "argument" ? "consultations.argument.not_found" : "consultations.amendment.not_found");
    contribution_id = a->int64(0);
  } else if (kind != "contribution") {
    return Error::validation("target", "consultations.vote.target_invalid");
  }
  auto p = process_of_published(conn, contribution_id);
  if (!p) return p.error();
  Action action = Action::vote;
  if (kind != "contribution" && !p->open_for(Action::vote, now) && p->open_for(Action::argue, now)) action = Action::argue;
  if (auto closed = closed_reason(*p, action, now)) return *closed;
  return VoteTarget{contribution_id, std::move(*p)};
}

}  // namespace

std::optional<Sort> parse_sort(std::string_view s) {
  for (size_t i = 0; i < std::size(kSortNames); ++i)
    if (kSortNames[i] == s) return static_cast<Sort>(i);
  return std::nullopt;
}
std::string_view name(Sort s) { return kSortNames[static_cast<int>(s)]; }

Result<Contribution> contribute(db::Database& db, int64_t process_id, const ContributionInput& in, const Actor& actor, int64_t now) {
  std::string title(str::trim(in.title)), body(str::trim(normalise_newlines(in.body))), section(str::trim(in.section));
  if (auto e = actor_error(actor)) return *e;
  if (title.empty()) return Error::validation("title", "consultations.contribution.title_required");
  if (title.size() > kMaxTitle) return Error::validation("title", "consultations.contribution.title_too_long").with("max", std::to_string(kMaxTitle));
  if (body.empty()) return Error::validation("body", "consultations.contribution.body_required");
  if (body.size() > kMaxBody) return Error::validation("body", "consultations.contribution.body_too_long").with("max", std::to_string(kMaxBody));
  return db.transaction([&](db::Connection& conn) -> Result<Contribution> {
    auto p = find_process(conn, process_id);
    if (!p) return Error::not_found("consultations.not_found");
    if (auto closed = closed_reason(*p, Action::contribute, now)) return *closed;
    if (auto e = participation_error(conn, *p, actor, now)) return *e;
    if (p->sections.empty() ? !section.empty() : std::find(p->sections.begin(), p->sections.end(), section) == p->sections.end())
      return Error::validation("section", section.empty() ? "consultations.contribution.section_required" : "consultations.contribution.section_unknown")
          .with("value", section);
    std::string digest = text_digest(title + "\n" + body);
    std::string flagged;
    if (!conn.query("SELECT 1 FROM contributions WHERE process_id = ? AND text_digest = ? AND status <> 'trashed' LIMIT 1", {process_id, digest}).empty())
      flagged = "repeated";
    else if (count_links(body) >= kLinkHeavy)
      flagged = "links";
    bool held = p->premoderation || !flagged.empty();
    int64_t id = conn.query("INSERT INTO contributions (process_id, section, title, body, user_id, participant_id, channel, paper_ref, entered_by, "
                            "consent_at, status, flagged, text_digest, shuffle, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            {process_id, section, title, body, actor.participant_id ? db::Param() : db::Param(actor.user_id), actor.participant_id,
                             name(actor.channel), actor.paper_ref, actor.entered_by, actor.entered_by ? db::Param(now) : db::Param(),
                             held ? "pending" : "published", flagged, digest, static_cast<int64_t>(randombytes_random() & 0x7fffffffu), now, now})[0]
                     .int64(0);
    search::record_change(conn, "contribution", id);
    return *find_contribution(conn, id);
  });
}

passerelle::Status withdraw(db::Database& db, int64_t contribution_id, int64_t user_id) {
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    if (conn.exec("UPDATE contributions SET status = 'withdrawn', updated_at = ? WHERE id = ? AND user_id = ? AND status IN ('published', 'pending')",
                  {unix_now(), contribution_id, user_id}) == 0)
      return Error::not_found("consultations.contribution.not_found");
    search::record_change(conn, "contribution", contribution_id);
    return Ok{};
  });
}

std::optional<Contribution> find_contribution(db::Connection& conn, int64_t id) {
  auto r_rows = conn.query(std::string(kContributionSelect) + "WHERE c.id = ?", {id});
  auto r = r_rows.first();
  if (!r) return std::nullopt;
  return contribution_from_row(*r);
}

std::optional<Contribution> find_contribution(db::Database& db, int64_t id) {
  auto conn = db.read();
  return find_contribution(*conn, id);
}

namespace {
// The walk of a list: the ids of a page are read from the index that matches the order (an
// index-only scan from the nearest keyset anchor, platform/db/keyset.hpp), and only those rows
// are read. Keys are written exactly as the indexed expressions of migration 0006.
std::vector<db::KeysetSegment> walk_of(const ListFilter& f, const std::string& where, const db::Params& params) {
  const std::string from = "FROM contributions c WHERE " + where;
  switch (f.sort) {
    case Sort::recent: return {{from, params, {"c.created_at", "c.id"}, true}};
    case Sort::supported: return {{from, params, {"(c.support_count + c.agree_count)", "c.id"}, true}};
    case Sort::debated: return {{from, params, {"(c.comment_count + c.for_count + c.against_count)", "c.id"}, true}};
    case Sort::random: break;
  }
  // The visitor's seed is a point in the permutation drawn by `shuffle`: the walk goes from
  // there to the end, then from the start; each part is one index range scan.
  // Mixed first (splitmix64), so that close seeds start far apart.
  uint64_t z = f.seed + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  int64_t start = static_cast<int64_t>((z ^ (z >> 31)) % 2147483648u);
  return {{from, params, {"c.shuffle", "c.id"}, false, start, std::nullopt},
          {from, params, {"c.shuffle", "c.id"}, false, std::nullopt, start}};
}
}  // namespace

ContributionPage list_contributions(db::Database& db, int64_t process_id, const ListFilter& f) {
  std::string where = "c.process_id = ?", tally_where = "process_id = ?";
  db::Params params{process_id};
  std::vector<Status> statuses = f.statuses.empty() ? std::vector<Status>{Status::published} : f.statuses;
  where += " AND c.status IN (", tally_where += " AND status IN (";
  for (size_t i = 0; i < statuses.size(); ++i) {
    where += i ? ", ?" : "?", tally_where += i ? ", ?" : "?";
    params.emplace_back(name(statuses[i]));
  }
  where += ")", tally_where += ")";
  if (f.section) where += " AND c.section = ?", tally_where += " AND section = ?", params.emplace_back(*f.section);
  if (f.answer) where += " AND c.answer_kind = ?", tally_where += " AND answer_kind = ?", params.emplace_back(name(*f.answer));
  const int64_t limit = static_cast<int64_t>(std::min<size_t>(f.limit, 100)), offset = static_cast<int64_t>(f.offset);
  auto conn = db.read();
  ContributionPage page;
  page.total = conn->query("SELECT COALESCE(sum(n), 0) FROM contribution_tallies WHERE " + tally_where, params)[0].int64(0);
  std::vector<int64_t> ids = db::keyset_page(db, *conn, walk_of(f, where, params), offset, limit);
  if (ids.empty()) return page;
  std::string in = "WHERE c.id IN (";
  db::Params id_params;
  for (size_t i = 0; i < ids.size(); ++i) in += i ? ", ?" : "?", id_params.emplace_back(ids[i]);
  std::unordered_map<int64_t, Contribution> by_id;
  for (auto r : conn->query(std::string(kContributionSelect) + in + ")", id_params)) {
    Contribution c = contribution_from_row(r);
    by_id.emplace(c.id, std::move(c));
  }
  for (int64_t id : ids)
    if (auto it = by_id.find(id); it != by_id.end()) page.items.push_back(std::move(it->second));
  return page;
}

Result<VoteResult> vote(db::Database& db, std::string_view target_kind, int64_t target_id, VoteValue value, const Actor& actor, int64_t now) {
  if (auto e = actor_error(actor)) return *e;
  return db.transaction([&](db::Connection& conn) -> Result<VoteResult> {
    auto target = vote_target(conn, target_kind, target_id, now);
    if (!target) return target.error();
    const Process& p = target->process;
    bool on_argument = target_kind == "argument", on_amendment = target_kind == "amendment";
    bool valid = on_argument ? value == VoteValue::useful : on_amendment ? valid_for(VoteMode::opinion, value) : valid_for(p.vote_mode, value);
    if (!valid)
      return Error::validation("value", "consultations.vote.value_invalid").with("value", std::string(name(value)));
    if (auto e = participation_error(conn, p, actor, now)) return *e;
    std::string voter = actor.voter_key();
    if (value == VoteValue::support && p.support_limit > 0) {
      // One voter's supports are counted under a lock of their own (PostgreSQL), so that two
      // supports sent at once cannot both pass the limit.
      if (conn.dialect() == db::Dialect::postgres) conn.query("SELECT pg_advisory_xact_lock(hashtext(?))", {voter});
      int64_t used = conn.query("SELECT count(*) FROM votes WHERE process_id = ? AND voter = ? AND value = 'support' AND NOT (target_kind = 'contribution' AND target_id = ?)",
                                {p.id, voter, target_id})[0]
                         .int64(0);
      if (used >= p.support_limit)
        return Error{ErrorKind::conflict, "consultations.vote.limit_reached", "value", {{"limit", std::to_string(p.support_limit)}}};
    }
    auto previous = current_vote(conn, target_kind, target_id, voter);
    conn.exec("INSERT INTO votes (process_id, target_kind, target_id, voter, value, entered_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (target_kind, target_id, voter) DO UPDATE SET value = excluded.value, entered_by = excluded.entered_by, updated_at = excluded.updated_at",
              {p.id, target_kind, target_id, voter, name(value), actor.entered_by, now, now});
    move_counter(conn, target_kind, target_id, previous, std::string(name(value)));
    VoteResult out;
    if (on_argument) out.useful = useful_count(conn, target_id);
    out.counts = counts_of(conn, target->contribution_id);
    return out;
  });
}

Result<VoteResult> unvote(db::Database& db, std::string_view target_kind, int64_t target_id, const Actor& actor, int64_t now) {
  if (auto e = actor_error(actor)) return *e;
  return db.transaction([&](db::Connection& conn) -> Result<VoteResult> {
    auto target = vote_target(conn, target_kind, target_id, now);
    if (!target) return target.error();
    std::string voter = actor.voter_key();
    auto previous = current_vote(conn, target_kind, target_id, voter);
    conn.exec("DELETE FROM votes WHERE target_kind = ? AND target_id = ? AND voter = ?", {target_kind, target_id, voter});
    move_counter(conn, target_kind, target_id, previous, std::nullopt);
    VoteResult out;
    if (target_kind == "argument") out.useful = useful_count(conn, target_id);
    out.counts = counts_of(conn, target->contribution_id);
    return out;
  });
}

Result<Amendment> amend(db::Database& db, int64_t contribution_id, const std::string& title_in, const std::string& body_in, const Actor& actor, int64_t now) {
  std::string title(str::trim(title_in)), body(str::trim(normalise_newlines(body_in)));
  if (auto e = actor_error(actor)) return *e;
  if (title.empty()) return Error::validation("amendment_title", "consultations.contribution.title_required");
  if (title.size() > kMaxTitle) return Error::validation("amendment_title", "consultations.contribution.title_too_long").with("max", std::to_string(kMaxTitle));
  if (body.empty()) return Error::validation("amendment_body", "consultations.contribution.body_required");
  if (body.size() > kMaxBody) return Error::validation("amendment_body", "consultations.contribution.body_too_long").with("max", std::to_string(kMaxBody));
  return db.transaction([&](db::Connection& conn) -> Result<Amendment> {
    if (!lock_contribution(conn, contribution_id)) return Error::not_found("consultations.contribution.not_found");
    auto c = find_contribution(conn, contribution_id);
    if (!c || c->status != Status::published) return Error::not_found("consultations.contribution.not_found");
    auto p = find_process(conn, c->process_id);
    if (!p) return Error::not_found("consultations.not_found");
    if (auto closed = closed_reason(*p, Action::contribute, now)) return *closed;
    if (auto e = participation_error(conn, *p, actor, now)) return *e;
    if (title == c->title && body == c->body) return Error::validation("amendment_body", "consultations.amendment.unchanged");
    bool held = p->premoderation || count_links(body) >= kLinkHeavy;
    int64_t id = conn.query("INSERT INTO amendments (contribution_id, title, body, user_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                            {contribution_id, title, body, actor.participant_id ? db::Param() : db::Param(actor.user_id), held ? "pending" : "published", now})[0]
                     .int64(0);
    if (!held) notify(conn, contribution_id, NotificationKind::amendment, actor.user_id, title, now);
    Amendment a;
    a.id = id;
    a.contribution_id = contribution_id;
    a.title = title;
    a.body = body;
    a.status = held ? Status::pending : Status::published;
    a.created_at = now;
    return a;
  });
}

std::vector<Amendment> amendments_of(db::Database& db, int64_t contribution_id) {
  auto conn = db.read();
  std::vector<Amendment> out;
  for (auto r : conn->query("SELECT a.id, a.contribution_id, a.title, a.body, COALESCE(u.display_name, ''), a.status, a.agree_count, a.mixed_count, "
                            "a.disagree_count, a.created_at, a.moderation_reason FROM amendments a LEFT JOIN users u ON u.id = a.user_id "
                            "WHERE a.contribution_id = ? AND a.status IN ('published', 'hidden', 'trashed') ORDER BY a.id",
                            {contribution_id})) {
    Amendment a;
    a.id = r.int64(0);
    a.contribution_id = r.int64(1);
    a.title = r.str(2);
    a.body = r.str(3);
    a.author_name = r.str(4);
    a.status = parse_status(r.text(5)).value_or(Status::hidden);
    a.agree = r.int64(6);
    a.mixed = r.int64(7);
    a.disagree = r.int64(8);
    a.created_at = r.int64(9);
    a.moderation_reason = r.str(10);
    out.push_back(std::move(a));
  }
  return out;
}

std::optional<VoteValue> vote_of(db::Database& db, std::string_view target_kind, int64_t target_id, const std::string& voter) {
  auto conn = db.read();
  auto r_rows = conn->query("SELECT value FROM votes WHERE target_kind = ? AND target_id = ? AND voter = ?", {target_kind, target_id, voter});
  auto r = r_rows.first();
  if (!r) return std::nullopt;
  return parse_vote_value(r->text(0));
}

}  // namespace passerelle::consultations
