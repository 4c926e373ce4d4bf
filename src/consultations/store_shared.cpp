#include "consultations/store_shared.hpp"

#include <algorithm>
#include <ctime>

#include "platform/core/strings.hpp"

namespace passerelle::consultations::detail {

std::vector<std::string> split_nonempty(std::string_view s, char sep) {
  std::vector<std::string> out;
  for (auto part : str::split(s, sep))
    if (auto t = str::trim(part); !t.empty()) out.emplace_back(t);
  return out;
}

std::string join(const std::vector<std::string>& values, char sep) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += sep;
    out += v;
  }
  return out;
}

const char* const kContributionSelect =
    "SELECT c.id, c.process_id, p.territory_id, c.section, c.title, c.body, c.user_id, c.participant_id, c.entered_by, "
    "COALESCE(u.display_name, pa.display_name, ''), c.channel, c.paper_ref, c.status, c.moderation_reason, c.flagged, "
    "c.review_requested, c.answer_kind, c.answer_text, c.answered_at, c.agree_count, c.mixed_count, c.disagree_count, "
    "c.support_count, c.for_count, c.against_count, c.comment_count, c.created_at, c.updated_at "
    "FROM contributions c JOIN processes p ON p.id = c.process_id LEFT JOIN users u ON u.id = c.user_id "
    "LEFT JOIN participants pa ON pa.id = c.participant_id ";

Contribution contribution_from_row(const db::Row& r) {
  Contribution c;
  c.id = r.int64(0);
  c.process_id = r.int64(1);
  c.territory_id = r.int64(2);
  c.section = r.str(3);
  c.title = r.str(4);
  c.body = r.str(5);
  c.user_id = r.opt_int(6);
  c.participant_id = r.opt_int(7);
  c.entered_by = r.opt_int(8);
  c.author_name = r.str(9);
  c.channel = r.text(10) == "mediator" ? Channel::mediator : r.text(10) == "paper" ? Channel::paper : Channel::online;
  c.paper_ref = r.str(11);
  c.status = parse_status(r.text(12)).value_or(Status::hidden);
  c.moderation_reason = r.str(13);
  c.flagged = r.str(14);
  c.review_requested = r.int64(15) != 0;
  if (!r.null(16)) c.answer = parse_answer(r.text(16));
  c.answer_text = r.str(17);
  c.answered_at = r.opt_int(18);
  c.counts = {r.int64(19), r.int64(20), r.int64(21), r.int64(22), r.int64(23), r.int64(24), r.int64(25)};
  c.created_at = r.int64(26);
  c.updated_at = r.int64(27);
  return c;
}

bool lock_contribution(db::Connection& conn, int64_t id) {
  std::string sql = "SELECT id FROM contributions WHERE id = ?";
  if (conn.dialect() == db::Dialect::postgres) sql += " FOR UPDATE";
  return !conn.query(sql, {id}).empty();
}

Result<Process> process_of_published(db::Connection& conn, int64_t contribution_id) {
  std::string sql = "SELECT process_id, status FROM contributions WHERE id = ?";
  if (conn.dialect() == db::Dialect::postgres) sql += " FOR UPDATE";
  auto r_rows = conn.query(sql, {contribution_id});
  auto r = r_rows.first();
  if (!r || r->text(1) != "published") return Error::not_found("consultations.contribution.not_found");
  auto p = find_process(conn, r->int64(0));
  if (!p) return Error::not_found("consultations.not_found");
  return std::move(*p);
}

std::optional<Error> actor_error(const Actor& actor) {
  if (!actor.user_id && !actor.participant_id) return Error{ErrorKind::unauthorized, "consultations.sign_in_required", "", {}};
  if (actor.entered_by && !actor.consent) return Error::validation("consent", "consultations.mediator.consent_required");
  if (actor.channel == Channel::paper && str::trim(actor.paper_ref).empty()) return Error::validation("paper_ref", "consultations.paper.ref_required");
  if (actor.paper_ref.size() > 100) return Error::validation("paper_ref", "consultations.paper.ref_too_long");
  return std::nullopt;
}

std::optional<Error> participation_error(db::Connection& conn, const Process& p, const Actor& actor, int64_t now) {
  const Rules& rules = p.rules;
  if (rules.audience == Audience::anyone && rules.min_age == 0) return std::nullopt;
  std::string commune;
  bool verified = false;
  std::optional<int64_t> birth_year;
  if (actor.participant_id) {
    auto r_rows = conn.query("SELECT commune, residency_verified, territory_id FROM participants WHERE id = ?", {*actor.participant_id});
    auto r = r_rows.first();
    if (!r || r->int64(2) != p.territory_id) return Error::forbidden("consultations.rules.participant_elsewhere");
    commune = r->str(0);
    verified = r->int64(1) != 0;
    // No birth year for them: the mediator who registers a person attests the age rule shown on the form.
  } else {
    auto r_rows = conn.query("SELECT commune, verified_at, birth_year FROM residencies WHERE user_id = ? AND territory_id = ?", {*actor.user_id, p.territory_id});
    auto r = r_rows.first();
    if (r) {
      commune = r->str(0);
      verified = !r->null(1);
      birth_year = r->opt_int(2);
    }
    if (rules.min_age > 0) {
      std::time_t t = static_cast<std::time_t>(now);
      std::tm tm{};
      gmtime_r(&t, &tm);
      int year = tm.tm_year + 1900;
      if (!birth_year || year - *birth_year < rules.min_age)
        return Error{ErrorKind::forbidden, "consultations.rules.min_age", "", {{"age", std::to_string(rules.min_age)}}};
    }
  }
  if (rules.audience == Audience::residents) {
    bool resident = !commune.empty() && (p.communes.empty() || std::find(p.communes.begin(), p.communes.end(), commune) != p.communes.end());
    if (!resident) return Error::forbidden("consultations.rules.residents_only");
    if (rules.residency == Residency::verified && !verified) return Error::forbidden("consultations.rules.residency_unverified");
  }
  return std::nullopt;
}

}  // namespace passerelle::consultations::detail
