#include "consultations/restitution_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "consultations/restitution_source.hpp"
#include "consultations/store.hpp"
#include "platform/html/builder.hpp"
#include "platform/i18n/format.hpp"
#include "platform/log.hpp"
#include "places/communes.hpp"
#include "restitution/controversy.hpp"
#include "restitution/engine.hpp"
#include "restitution/report.hpp"
#include "restitution/writer.hpp"

namespace passerelle::consultations {

namespace {

constexpr int64_t kRunLeaseSeconds = 3600;  // a run whose process died is taken over after this
constexpr size_t kShownCampaigns = 30;      // as many as the report lists
// A restitution the job may take: requested, or running under a lease that expired (one `?`: now).
constexpr std::string_view kClaimable = "(state = 'requested' OR (state = 'running' AND lease_until < ?))";

std::optional<RestitutionState> parse_state(std::string_view s) {
  if (s == "requested") return RestitutionState::requested;
  if (s == "running") return RestitutionState::running;
  if (s == "done") return RestitutionState::done;
  if (s == "failed") return RestitutionState::failed;
  return std::nullopt;
}

std::string tr(i18n::Locale l, std::string_view key, i18n::Args args = {}) { return i18n::Catalog::instance().tr(l, key, args); }

// Takes the oldest request (or a run whose lease expired): one process computes it.
std::optional<int64_t> claim(db::Database& db, int64_t now) {
  auto conn = db.write();
  auto rows = conn->query(std::string("SELECT process_id FROM restitutions WHERE ") + std::string(kClaimable) +
                              " ORDER BY requested_at, process_id LIMIT 1",
                          {now});
  if (rows.empty()) return std::nullopt;
  int64_t id = rows[0].int64(0);
  int64_t claimed = conn->exec("UPDATE restitutions SET state = 'running', started_at = ?, lease_until = ?, started_requests = requests, "
                               "progress_stage = 'lecture', progress_percent = 0 WHERE process_id = ? AND " + std::string(kClaimable),
                               {now, now + kRunLeaseSeconds, id, now});
  if (claimed != 1) return std::nullopt;
  return id;
}

void fail(db::Database& db, int64_t process_id, const std::string& key) {
  db.write()->exec("UPDATE restitutions SET state = CASE WHEN requests > started_requests THEN 'requested' ELSE 'failed' END, error = ?, "
                   "lease_until = NULL, progress_stage = '', progress_percent = 0 WHERE process_id = ?",
                   {key, process_id});
}

// Where a run is, for the page: written at each new stage and at most every two seconds. Each
// write renews the lease, so a long run is not taken over while it is still going.
class ProgressRecord {
 public:
  ProgressRecord(db::Database& db, int64_t process_id, int64_t now) : db_(db), process_id_(process_id), now_(now) {}
  void operator()(std::string_view stage, size_t done, size_t total) {
    auto at = std::chrono::steady_clock::now();
    int percent = total ? static_cast<int>(100 * std::min(done, total) / total) : 100;
    if (stage == stage_ && at - written_ < std::chrono::seconds(2)) return;
    stage_ = std::string(stage), written_ = at;
    int64_t elapsed = std::chrono::duration_cast<std::chrono::seconds>(at - started_).count();
    db_.write()->exec("UPDATE restitutions SET progress_stage = ?, progress_percent = ?, lease_until = ? WHERE process_id = ? AND state = 'running'",
                      {stage_, int64_t{percent}, now_ + elapsed + kRunLeaseSeconds, process_id_});
  }

 private:
  db::Database& db_;
  int64_t process_id_, now_;
  std::string stage_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now(), written_{};
};

struct Participation {
  std::string commune;  // INSEE code, "" when not known
  size_t count = 0;
};

// Where the people who contributed live: the commune of a person registered by a mediator, or
// the residency an account declared in the territory.
std::vector<Participation> participation_by_commune(db::Database& db, int64_t process_id) {
  auto conn = db.read();
  auto rows = conn->query(
      "SELECT COALESCE(NULLIF(pa.commune, ''), NULLIF(re.commune, ''), '') AS commune, count(*) FROM contributions c "
      "JOIN processes p ON p.id = c.process_id LEFT JOIN participants pa ON pa.id = c.participant_id "
      "LEFT JOIN residencies re ON re.user_id = c.user_id AND re.territory_id = p.territory_id "
      "WHERE c.process_id = ? AND c.status = 'published' GROUP BY COALESCE(NULLIF(pa.commune, ''), NULLIF(re.commune, ''), '')",
      {process_id});
  std::vector<Participation> out;
  for (auto r : rows) out.push_back({r.str(0), static_cast<size_t>(r.int64(1))});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.commune.empty() != b.commune.empty()) return b.commune.empty();
    return a.count != b.count ? a.count > b.count : a.commune < b.commune;
  });
  return out;
}

std::string decimal(i18n::Locale l, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  if (l == i18n::Locale::fr) std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

void commune_table(html::Builder& b, i18n::Locale l, const std::vector<Participation>& rows, size_t total) {
  if (rows.empty()) return;
  const auto& communes = places::Communes::embedded();
  auto table = b.scope("table");
  b.el("caption", tr(l, "restitution_pages.communes_caption"));
  {
    auto thead = b.scope("thead");
    auto tr_ = b.scope("tr");
    b.el("th", {{"scope", "col"}}, tr(l, "restitution_pages.col_commune"));
    b.el("th", {{"scope", "col"}, {"class", "n"}}, tr(l, "restitution.col_count"));
    b.el("th", {{"scope", "col"}, {"class", "n"}}, tr(l, "restitution.col_share"));
    b.el("th", {{"scope", "col"}, {"class", "n"}}, tr(l, "restitution.col_population"));
    b.el("th", {{"scope", "col"}, {"class", "n"}}, tr(l, "restitution.col_per_10000"));
  }
  auto tbody = b.scope("tbody");
  for (const auto& p : rows) {
    auto tr_ = b.scope("tr");
    const places::Commune* c = p.commune.empty() ? nullptr : communes.find_by_insee(p.commune);
    std::string name = p.commune.empty() ? tr(l, "restitution_pages.commune_unknown") : c ? std::string(c->name) + " (" + p.commune + ")" : p.commune;
    b.el("th", {{"scope", "row"}}, name);
    b.el("td", {{"class", "n"}}, i18n::format_integer(l, static_cast<int64_t>(p.count)));
    b.el("td", {{"class", "n"}}, decimal(l, total ? 100.0 * static_cast<double>(p.count) / static_cast<double>(total) : 0) + (l == i18n::Locale::fr ? "\u202f%" : "%"));
    bool known = c && c->population && *c->population > 0;
    b.el("td", {{"class", "n"}}, known ? i18n::format_integer(l, *c->population) : "—");
    b.el("td", {{"class", "n"}}, known ? decimal(l, restitution::per_10000(p.count, *c->population)) : "—");
  }
  b.el("p", {}, tr(l, "restitution_pages.communes_note"));
}

// "12 d'accord, 3 mitigés, 5 pas d'accord · 4 arguments pour, 2 contre"
std::string balance_line(i18n::Locale l, VoteMode mode, const restitution::Balance& c) {
  auto n = [&](int64_t v) { return i18n::format_integer(l, v); };
  std::string line = mode == VoteMode::support
                         ? tr(l, "consultations_pages.counts.supports", {{"count", n(c.support)}})
                         : tr(l, "consultations_pages.counts.opinions", {{"agree", n(c.agree)}, {"mixed", n(c.mixed)}, {"disagree", n(c.disagree)}});
  return line + " · " + tr(l, "restitution_pages.arguments", {{"for", n(c.arguments_for)}, {"against", n(c.arguments_against)}});
}

int64_t number_of(const restitution::Contribution& c) { return std::stoll(c.id.substr(1)); }  // "#2901"

}  // namespace

std::optional<StoredRestitution> find_restitution(db::Database& db, int64_t process_id, i18n::Locale locale) {
  auto conn = db.read();
  auto rows = conn->query(std::string("SELECT state, requested_at, computed_at, seed, parameters, contributions, seconds, error, ") +
                              (locale == i18n::Locale::en ? "report_en" : "report_fr") + ", progress_stage, progress_percent FROM restitutions WHERE process_id = ?",
                          {process_id});
  if (rows.empty()) return std::nullopt;
  auto r = rows[0];
  StoredRestitution s;
  s.state = parse_state(r.text(0)).value_or(RestitutionState::failed);
  s.requested_at = r.int64(1);
  s.computed_at = r.opt_int(2);
  s.seed = static_cast<uint64_t>(r.int64(3));
  s.parameters = r.str(4);
  s.contributions = r.int64(5);
  s.seconds = r.real(6);
  s.error = r.str(7);
  s.report = r.str(8);
  s.progress_stage = r.str(9);
  s.progress_percent = static_cast<int>(r.int64(10));
  auto stale = conn->query("SELECT 1 FROM restitution_quotes q JOIN contributions c ON c.id = q.contribution_id "
                           "WHERE q.process_id = ? AND c.status <> 'published' LIMIT 1",
                           {process_id});
  s.stale = !stale.empty();
  return s;
}

std::string restitution_json(db::Database& db, int64_t process_id) {
  auto rows = db.read()->query("SELECT result_json FROM restitutions WHERE process_id = ? AND computed_at IS NOT NULL", {process_id});
  return rows.empty() ? "" : rows[0].str(0);
}

void request_restitution(db::Database& db, int64_t process_id, std::optional<int64_t> by, int64_t now) {
  db::Param who = by ? db::Param(*by) : db::Param();
  db.write()->exec(
      "INSERT INTO restitutions (process_id, state, requested_at, requested_by, requests) VALUES (?, 'requested', ?, ?, 1) "
      "ON CONFLICT (process_id) DO UPDATE SET requests = restitutions.requests + 1, requested_at = excluded.requested_at, "
      "requested_by = excluded.requested_by, state = CASE WHEN restitutions.state = 'running' THEN 'running' ELSE 'requested' END",
      {process_id, now, who});
}

passerelle::Status compute_restitution(db::Database& db, int64_t process_id, int64_t now) {
  auto process = find_process(db, process_id);
  if (!process) return Error::not_found("consultations.not_found");
  // Called directly (the demo), the row is made and marked running here.
  db.write()->exec(
      "INSERT INTO restitutions (process_id, state, requested_at, requests, started_requests, started_at, lease_until) "
      "VALUES (?, 'running', ?, 1, 1, ?, ?) ON CONFLICT (process_id) DO NOTHING",
      {process_id, now, now, now + kRunLeaseSeconds});
  auto started = std::chrono::steady_clock::now();
  auto corpus = restitution_corpus(db, process_id);
  if (!corpus) {
    fail(db, process_id, corpus.error().message_key);
    return corpus.error();
  }
  restitution::Parameters params;
  params.seed = 1;
  params.threads = std::clamp(std::thread::hardware_concurrency(), 1u, 2u);
  restitution::Masks masks{tr(i18n::Locale::fr, "restitution.mask_email"), tr(i18n::Locale::fr, "restitution.mask_phone")};
  ProgressRecord progress(db, process_id, now);
  restitution::Restitution result =
      restitution::run(*corpus, params, masks, [&](std::string_view stage, size_t done, size_t total) { progress(stage, done, total); });

  // Votes and arguments of every analysed contribution (the restitution phase allows neither
  // votes nor arguments, so they are final when it opens).
  std::unordered_map<int64_t, restitution::Balance> balances;
  {
    auto conn = db.read();
    int64_t after = 0;
    for (;;) {
      auto rows = conn->query("SELECT id, agree_count, mixed_count, disagree_count, support_count, for_count, against_count FROM contributions "
                              "WHERE process_id = ? AND status = 'published' AND id > ? ORDER BY id LIMIT 5000",
                              {process_id, after});
      if (rows.empty()) break;
      for (auto r : rows) {
        after = r.int64(0);
        balances[after] = {r.int64(1), r.int64(2), r.int64(3), r.int64(4), r.int64(5), r.int64(6)};
      }
    }
  }
  auto balance_of = [&](uint32_t index) {
    auto it = balances.find(number_of(corpus->items[index]));
    return it == balances.end() ? restitution::Balance{} : it->second;
  };

  std::vector<int64_t> quoted;
  for (const auto& th : result.themes)
    for (const auto& q : th.quotes) quoted.push_back(number_of(corpus->items[q.contribution]));
  for (size_t i = 0; i < result.campaigns.size() && i < kShownCampaigns; ++i)
    quoted.push_back(number_of(corpus->items[result.campaigns[i].representative]));
  std::sort(quoted.begin(), quoted.end());
  quoted.erase(std::unique(quoted.begin(), quoted.end()), quoted.end());

  std::vector<restitution::Candidate> candidates;
  candidates.reserve(corpus->items.size());
  for (uint32_t i = 0; i < corpus->items.size(); ++i)
    if (result.assignments[i].theme != restitution::none)
      candidates.push_back({number_of(corpus->items[i]), result.assignments[i].theme, balance_of(i)});
  auto ranked = restitution::rank_controversies(candidates, kControversiesPerTheme);

  auto communes = participation_by_commune(db, process_id);
  auto fragment = [&](i18n::Locale l) {
    restitution::ReportOptions options;
    options.quote_note = [&, l](uint32_t index) { return balance_line(l, process->vote_mode, balance_of(index)); };
    options.after_volumes = [&, l](html::Builder& b) { commune_table(b, l, communes, result.contributions); };
    return restitution::render_report_fragment(result, *corpus, l, options);
  };
  std::string report_fr = fragment(i18n::Locale::fr), report_en = fragment(i18n::Locale::en);
  std::string json = restitution::to_json(result, *corpus, process->title);
  std::string parameters = nlohmann::json::parse(json)["parameters"].dump();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // The new result replaces the old one at once: readers see either, never a mix.
  db.transaction([&](db::Connection& conn) {
    conn.exec("UPDATE restitutions SET state = CASE WHEN requests > started_requests THEN 'requested' ELSE 'done' END, lease_until = NULL, "
              "progress_stage = '', progress_percent = 0, error = '', computed_at = ?, seed = ?, parameters = ?, contributions = ?, seconds = ?, result_json = ?, report_fr = ?, "
              "report_en = ? WHERE process_id = ?",
              {now, static_cast<int64_t>(params.seed), parameters, static_cast<int64_t>(result.contributions), seconds, json, report_fr,
               report_en, process_id});
    conn.exec("DELETE FROM restitution_quotes WHERE process_id = ?", {process_id});
    for (int64_t id : quoted) conn.exec("INSERT INTO restitution_quotes (process_id, contribution_id) VALUES (?, ?)", {process_id, id});
    conn.exec("DELETE FROM restitution_controversies WHERE process_id = ?", {process_id});
    uint32_t theme = restitution::none;
    int64_t position = 0;
    for (const auto& c : ranked) {
      position = c.theme == theme ? position + 1 : 0;
      theme = c.theme;
      const auto& th = result.themes[c.theme];
      std::string group;
      for (const auto& g : result.groups)
        if (g.group == th.group) group = g.name;
      conn.exec("INSERT INTO restitution_controversies (process_id, theme, theme_label, group_name, position, contribution_id, score) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                {process_id, static_cast<int64_t>(th.id), th.label, group, position, c.contribution, c.score});
    }
  });
  log::info("restitution_computed", {{"process", std::to_string(process_id)}, {"contributions", std::to_string(result.contributions)},
                                     {"seconds", std::to_string(seconds)}});
  return Ok{};
}

namespace {
// Processes whose restitution phase is open with nothing computed since it opened, and results
// quoting a contribution no longer published. Read only.
std::vector<int64_t> processes_needing_restitution(db::Connection& conn, int64_t now) {
  std::vector<int64_t> ids;
  // A restitution phase open now, and nothing computed (or tried) since it opened.
  auto due = conn.query(
      "SELECT DISTINCT p.id FROM processes p JOIN process_phases ph ON ph.process_id = p.id "
      "LEFT JOIN restitutions r ON r.process_id = p.id WHERE p.status = 'published' AND ph.kind = 'restitution' "
      "AND ph.starts_at <= ? AND ph.ends_at > ? AND (r.process_id IS NULL OR (r.state IN ('done', 'failed') "
      "AND COALESCE(r.started_at, 0) < ph.starts_at))",
      {now, now});
  // A shown result quoting a contribution that has since been hidden, trashed or withdrawn.
  auto stale = conn.query(
      "SELECT DISTINCT q.process_id FROM restitution_quotes q JOIN contributions c ON c.id = q.contribution_id "
      "JOIN restitutions r ON r.process_id = q.process_id WHERE c.status <> 'published' AND r.state IN ('done', 'failed')");
  for (auto r : due) ids.push_back(r.int64(0));
  for (auto r : stale) ids.push_back(r.int64(0));
  return ids;
}
}  // namespace

bool restitution_work_pending(db::Database& db, int64_t now) {
  auto conn = db.read();
  if (!conn->query("SELECT 1 FROM restitutions WHERE " + std::string(kClaimable) + " LIMIT 1", {now}).empty())
    return true;
  return !processes_needing_restitution(*conn, now).empty();
}

int run_restitution_jobs(db::Database& db, int64_t now) {
  std::vector<int64_t> ids;
  {
    auto conn = db.read();
    ids = processes_needing_restitution(*conn, now);
  }
  for (int64_t id : ids) request_restitution(db, id, std::nullopt, now);
  int done = 0;
  while (auto id = claim(db, now)) {
    try {
      (void)compute_restitution(db, *id, now);
    } catch (const std::exception& e) {
      log::error("restitution_failed", {{"process", std::to_string(*id)}, {"error", e.what()}});
      fail(db, *id, "restitution_pages.failed");
    }
    ++done;
  }
  return done;
}

namespace {

std::vector<ControversyArgument> strongest(db::Connection& conn, int64_t contribution, std::string_view side) {
  std::vector<ControversyArgument> out;
  auto rows = conn.query(
      std::string("SELECT a.id, a.body, COALESCE(u.display_name, pa.display_name, ''), a.entered_by, COALESCE(u.profile_type, ''), a.useful_count "
                  "FROM arguments a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN participants pa ON pa.id = a.participant_id "
      "WHERE a.contribution_id = ? AND a.side = ? AND a.status = 'published' ORDER BY a.useful_count DESC, a.id LIMIT ") +
          std::to_string(kStrongestArguments),
      {contribution, std::string(side)});
  for (auto r : rows) {
    ControversyArgument a;
    a.id = r.int64(0);
    a.body = r.str(1);
    a.author_name = r.str(2);
    // Entered by a mediator for someone: that is how the person took part.
    a.author_kind = r.opt_int(3) ? "mediateur" : r.str(4).empty() ? "citoyen" : r.str(4);
    a.useful = r.int64(5);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

std::vector<ControversyTheme> controversies(db::Database& db, int64_t process_id) {
  auto conn = db.read();
  auto rows = conn->query("SELECT theme, theme_label, group_name, contribution_id, score FROM restitution_controversies "
                          "WHERE process_id = ? ORDER BY theme, position",
                          {process_id});
  std::vector<ControversyTheme> out;
  for (auto r : rows) {
    auto theme = static_cast<uint32_t>(r.int64(0));
    if (out.empty() || out.back().theme != theme) out.push_back({theme, r.str(1), r.str(2), {}});
    auto c = find_contribution(*conn, r.int64(3));
    if (!c || c->status != Status::published) continue;  // moderated since: never shown
    ControversyEntry e;
    e.contribution = std::move(*c);
    e.score = r.real(4);
    e.for_ = strongest(*conn, e.contribution.id, "for");
    e.against = strongest(*conn, e.contribution.id, "against");
    out.back().entries.push_back(std::move(e));
  }
  std::erase_if(out, [](const ControversyTheme& t) { return t.entries.empty(); });
  return out;
}

}  // namespace passerelle::consultations
