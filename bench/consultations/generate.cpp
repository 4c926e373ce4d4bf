// Seeds one consultation at the scale of the Grand Débat for the consultations benchmark:
//
//   bench_consultations_generate --db var/bench/consultations.db --corpus var/bench/docs-100000-seed42.jsonl
//       --contributions 2000000 --votes 10000000 --arguments 1000000 --tokens tokens.txt
//
// Schema: the product's own migrations (db::migrate), so the benchmark reads the tables it ships.
// Texts: windows of 12–120 words cut from the search benchmark's corpus (a bigram chain trained on
// the real Grand Débat answers, bench/search/generate.cpp), titles from the first 6–12 words.
// Volumes and shapes, each drawn from the seed:
// - contributions: created over 60 days in id order, in one of 8 sections; 97% published, 1% each
//   pending, hidden and withdrawn (ids ending in 97, 98, 99); 0.5% carry an official answer;
// - votes: 10,000,000 split over contributions by a power law (Pareto, α = 1.2): most have a few,
//   some thousands; 55% d'accord, 20% mitigé, 25% pas d'accord, each by a distinct voter of
//   100,000 accounts (a contribution never gets two votes from one voter);
// - arguments: 1,000,000, one contribution in two getting a few, 60% for, with useful votes counted;
// - the first contribution is a "showcase" with 50 arguments and 200 comments threaded 3 deep;
// - counters on contributions are computed from the rows they count, as the product keeps them.
// `--tokens FILE` writes API tokens of 64 voters ("token user_id" per line) for the vote benchmark.
// The search index is not touched: `passerelle reindex` builds it from the tables afterwards.
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "accounts/store.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrate.hpp"

using namespace passerelle;

namespace {

struct Options {
  std::string db, corpus, tokens;
  int64_t contributions = 2000000, votes = 10000000, arguments = 1000000, users = 100000;
  uint64_t seed = 42;
};

void check(int rc, sqlite3* h, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::cerr << what << ": " << sqlite3_errmsg(h) << "\n";
    std::exit(1);
  }
}

struct Stmt {
  sqlite3* h;
  sqlite3_stmt* s = nullptr;
  Stmt(sqlite3* db, const char* sql) : h(db) { check(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), db, sql); }
  ~Stmt() { sqlite3_finalize(s); }
  Stmt& i(int col, int64_t v) { sqlite3_bind_int64(s, col, v); return *this; }
  Stmt& t(int col, const std::string& v) { sqlite3_bind_text(s, col, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); return *this; }
  Stmt& null(int col) { sqlite3_bind_null(s, col); return *this; }
  void run() {
    check(sqlite3_step(s), h, "step");
    sqlite3_reset(s);
  }
};

void exec(sqlite3* h, const char* sql) { check(sqlite3_exec(h, sql, nullptr, nullptr, nullptr), h, sql); }

// Words of the corpus, document after document: texts are windows into this stream.
std::vector<std::string> load_words(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "corpus introuvable : " << path << "\n";
    std::exit(1);
  }
  std::vector<std::string> words;
  std::string line;
  while (std::getline(in, line) && words.size() < 30000000) {
    auto doc = nlohmann::json::parse(line);
    std::string body = doc.value("body", "");
    size_t i = 0;
    while (i < body.size()) {
      size_t j = body.find(' ', i);
      if (j == std::string::npos) j = body.size();
      if (j > i) words.emplace_back(body.substr(i, j - i));
      i = j + 1;
    }
  }
  return words;
}

std::string window(const std::vector<std::string>& words, std::mt19937_64& rng, int min_words, int max_words) {
  int n = std::uniform_int_distribution<int>(min_words, max_words)(rng);
  size_t start = std::uniform_int_distribution<size_t>(0, words.size() - n - 1)(rng);
  std::string out;
  for (int k = 0; k < n; ++k) {
    if (k) out += ' ';
    out += words[start + k];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int a = 1; a + 1 < argc; a += 2) {
    std::string k = argv[a], v = argv[a + 1];
    if (k == "--db") o.db = v;
    else if (k == "--corpus") o.corpus = v;
    else if (k == "--tokens") o.tokens = v;
    else if (k == "--contributions") o.contributions = std::stoll(v);
    else if (k == "--votes") o.votes = std::stoll(v);
    else if (k == "--arguments") o.arguments = std::stoll(v);
    else if (k == "--seed") o.seed = std::stoull(v);
    else {
      std::cerr << "option inconnue : " << k << "\n";
      return 2;
    }
  }
  if (o.db.empty() || o.corpus.empty()) {
    std::cerr << "usage: bench_consultations_generate --db FILE --corpus FILE [--contributions N --votes N --arguments N --seed S --tokens FILE]\n";
    return 2;
  }
  std::mt19937_64 rng(o.seed);
  auto words = load_words(o.corpus);
  std::cerr << words.size() << " mots de corpus\n";
  const int64_t now = std::time(nullptr), day = 86400;

  // Schema, territory, process and the voters' tokens through the product's own code.
  {
    auto db = db::open("sqlite:" + o.db);
    if (auto m = db::migrate(*db); !m) {
      std::cerr << "migration : " << m.error().message_key << "\n";
      return 1;
    }
  }
  sqlite3* h = nullptr;
  check(sqlite3_open(o.db.c_str(), &h), h, "open");
  exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-2000000; PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY;");
  exec(h, "BEGIN");
  exec(h, "INSERT INTO territories (slug, name, kind, insee_codes, summary, created_at) VALUES "
          "('grand-debat', 'Débat national du numérique', 'autre', '', 'Territoire du banc d''essai des consultations', strftime('%s','now'))");
  int64_t territory = sqlite3_last_insert_rowid(h);
  const std::vector<std::string> sections = {"Accès aux droits", "Accompagnement", "Éducation", "Emploi", "Santé", "Services publics", "Territoires", "Autre"};
  std::string section_lines;
  for (const auto& s : sections) section_lines += (section_lines.empty() ? "" : "\n") + s;
  {
    Stmt p(h, "INSERT INTO processes (territory_id, status, title, summary, body, sections, vote_mode, created_at, updated_at) "
              "VALUES (?, 'published', 'Grand débat du numérique', 'Deux millions de contributions sur les usages numériques.', "
              "'Une consultation **à l''échelle nationale** pour le banc d''essai.', ?, 'opinion', ?, ?)");
    p.i(1, territory).t(2, section_lines).i(3, now - 90 * day).i(4, now - 90 * day).run();
  }
  int64_t process = sqlite3_last_insert_rowid(h);
  {
    Stmt ph(h, "INSERT INTO process_phases (process_id, kind, starts_at, ends_at, allows, position) VALUES (?, ?, ?, ?, ?, ?)");
    ph.i(1, process).t(2, "information").i(3, now - 90 * day).i(4, now - 60 * day).t(5, "comment").i(6, 1).run();
    ph.i(1, process).t(2, "contribution").i(3, now - 60 * day).i(4, now + 365 * day).t(5, "contribute argue vote comment").i(6, 2).run();
    ph.i(1, process).t(2, "restitution").i(3, now + 365 * day).i(4, now + 400 * day).t(5, "").i(6, 3).run();
  }
  {
    Stmt u(h, "INSERT INTO users (email, display_name, profile_type, created_at) VALUES (?, ?, ?, ?)");
    for (int64_t k = 1; k <= o.users; ++k)
      u.t(1, "participant" + std::to_string(k) + "@banc.passerelle.localhost").t(2, "Participant " + std::to_string(k))
          .t(3, k % 50 == 0 ? "association" : "citoyen").i(4, now - 90 * day).run();
  }
  int64_t first_user = sqlite3_last_insert_rowid(h) - o.users + 1;

  // Per-contribution counters first, from the rows about to be written.
  std::vector<int32_t> vote_n(o.contributions, 0), for_n(o.contributions, 0), against_n(o.contributions, 0), comment_n(o.contributions, 0);
  {
    std::uniform_real_distribution<double> u01(0, 1);
    std::vector<double> w(o.contributions);
    double total = 0;
    for (auto& x : w) total += x = std::pow(1 - u01(rng), -1 / 1.2) - 0.999;
    int64_t placed = 0;
    for (int64_t c = 0; c < o.contributions; ++c) {
      vote_n[c] = static_cast<int32_t>(std::min<double>(o.users, std::floor(w[c] / total * o.votes)));
      placed += vote_n[c];
    }
    for (int64_t c = 0; placed < o.votes; c = (c + 7919) % o.contributions)
      if (vote_n[c] < o.users) ++vote_n[c], ++placed;
  }
  std::vector<int64_t> argument_target(o.arguments);
  std::vector<char> argument_side(o.arguments);
  for (int64_t a = 0; a < o.arguments; ++a) {
    int64_t c = a < 50 ? 0 : std::uniform_int_distribution<int64_t>(1, o.contributions / 2)(rng) * 2 - 1;
    argument_target[a] = c;
    argument_side[a] = a < 50 ? (a % 2 ? 'a' : 'f') : (rng() % 10 < 6 ? 'f' : 'a');
    (argument_side[a] == 'f' ? for_n : against_n)[c]++;
  }
  comment_n[0] = 200;

  std::vector<std::string> statuses(o.contributions, "published");
  {
    Stmt c(h, "INSERT INTO contributions (id, process_id, section, title, body, user_id, channel, status, answer_kind, answer_text, answered_at, "
              "agree_count, mixed_count, disagree_count, for_count, against_count, comment_count, text_digest, shuffle, created_at, updated_at) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)");
    for (int64_t k = 0; k < o.contributions; ++k) {
      // The status follows the id (97% published: ids ending in 97, 98, 99 are not) so that the
      // vote benchmark can aim at published contributions only.
      int roll = static_cast<int>(rng() % 100), by_id = static_cast<int>((k + 1) % 100);
      statuses[k] = by_id < 97 ? "published" : by_id == 97 ? "pending" : by_id == 98 ? "hidden" : "withdrawn";
      std::string body = window(words, rng, 12, 120), title = window(words, rng, 6, 12);
      int64_t created = now - 60 * day + (60 * day * k) / o.contributions;
      int64_t agree = vote_n[k] * 55 / 100, mixed = vote_n[k] * 20 / 100;
      c.i(1, k + 1).i(2, process).t(3, sections[rng() % sections.size()]).t(4, title).t(5, body).i(6, first_user + static_cast<int64_t>(rng() % o.users));
      c.t(7, roll % 10 == 3 ? "mediator" : roll % 25 == 4 ? "paper" : "online").t(8, statuses[k]);
      if (rng() % 200 == 0) c.t(9, "etude").t(10, "La proposition est étudiée par le service concerné.").i(11, now - day);
      else c.null(9).t(10, "").null(11);
      c.i(12, agree).i(13, mixed).i(14, vote_n[k] - agree - mixed).i(15, for_n[k]).i(16, against_n[k]).i(17, comment_n[k]);
      c.i(18, static_cast<int64_t>(rng() & 0x7fffffff)).i(19, created).i(20, created).run();
      if (k % 200000 == 0) std::cerr << "contributions : " << k << "\n";
    }
  }
  {
    // Votes in target order (the UNIQUE index grows at its end); voters of one target are distinct:
    // a stride coprime with the number of voters walks them without repeats.
    Stmt v(h, "INSERT INTO votes (process_id, target_kind, target_id, voter, value, created_at, updated_at) VALUES (?, 'contribution', ?, ?, ?, ?, ?)");
    int64_t written = 0;
    for (int64_t k = 0; k < o.contributions; ++k) {
      int64_t agree = vote_n[k] * 55 / 100, mixed = vote_n[k] * 20 / 100;
      int64_t base = static_cast<int64_t>(rng() % o.users);
      for (int64_t j = 0; j < vote_n[k]; ++j) {
        int64_t voter = first_user + (base + j * 7919) % o.users;
        const char* value = j < agree ? "agree" : j < agree + mixed ? "mixed" : "disagree";
        v.i(1, process).i(2, k + 1).t(3, "u:" + std::to_string(voter)).t(4, value).i(5, now - day).i(6, now - day).run();
        if (++written % 1000000 == 0) std::cerr << "votes : " << written << "\n";
      }
    }
  }
  {
    Stmt a(h, "INSERT INTO arguments (contribution_id, side, body, user_id, useful_count, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    for (int64_t k = 0; k < o.arguments; ++k)
      a.i(1, argument_target[k] + 1).t(2, argument_side[k] == 'f' ? "for" : "against").t(3, window(words, rng, 8, 60))
          .i(4, first_user + static_cast<int64_t>(rng() % o.users)).i(5, 0).i(6, now - 30 * day + k).run();
    // Useful votes on the showcase's arguments, so that its page shows real counters.
    Stmt v(h, "INSERT INTO votes (process_id, target_kind, target_id, voter, value, created_at, updated_at) VALUES (?, 'argument', ?, ?, 'useful', ?, ?)");
    for (int64_t arg = 1; arg <= 50; ++arg)
      for (int64_t j = 0; j < arg; ++j) v.i(1, process).i(2, arg).t(3, "u:" + std::to_string(first_user + j)).i(4, now).i(5, now).run();
    exec(h, "UPDATE arguments SET useful_count = (SELECT count(*) FROM votes WHERE target_kind = 'argument' AND target_id = arguments.id) WHERE contribution_id = 1");
  }
  {
    Stmt cm(h, "INSERT INTO contribution_comments (contribution_id, parent_id, depth, body, user_id, created_at) VALUES (1, ?, ?, ?, ?, ?)");
    std::vector<int64_t> ids;
    for (int k = 0; k < 200; ++k) {
      int depth = k < 60 ? 0 : k < 140 ? 1 : 2;
      // A reply answers a comment of the level above.
      int64_t parent = depth == 0 ? 0 : ids[depth == 1 ? rng() % 60 : 60 + rng() % 80];
      if (parent) cm.i(1, parent);
      else cm.null(1);
      cm.i(2, depth).t(3, window(words, rng, 8, 50)).i(4, first_user + static_cast<int64_t>(rng() % o.users)).i(5, now - 20 * day + k * 60).run();
      ids.push_back(sqlite3_last_insert_rowid(h));
    }
  }
  // Migration 0006's tallies were filled by its triggers as rows went in.
  exec(h, "COMMIT");
  exec(h, "ANALYZE");
  sqlite3_close(h);

  if (!o.tokens.empty()) {
    auto db = db::open("sqlite:" + o.db);
    std::ofstream out(o.tokens);
    for (int64_t k = 0; k < 64; ++k) out << accounts::create_api_token(*db, first_user + k, "banc d'essai") << " " << first_user + k << "\n";
  }
  std::cout << "process " << process << " contributions " << o.contributions << " votes " << o.votes << " arguments " << o.arguments << "\n";
  return 0;
}
