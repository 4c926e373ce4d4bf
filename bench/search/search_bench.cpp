// The search benchmark: indexes a JSON Lines corpus (bench_search_generate) into the Passerelle
// engine and into SQLite FTS5, runs the same fixed query set on both and prints a Markdown table.
//
//   bench_search --docs var/bench/docs-100000.jsonl --work var/bench/run-100000 [--queries 240] [--seed 7]
//
// Engine: Engine::open(dir), put_many by batches of 10,000, one commit at the end; indexing time
// includes the commit. FTS5: fts5(title, summary, body, tokenize='unicode61 remove_diacritics 2')
// plus a facet(doc, field, value) table with a covering index, one transaction, then FTS5
// 'optimize' (included in its time). Top-10 is "ORDER BY rank" (bm25) with the title and a
// snippet, like the engine's hits; with facets, FTS5 also runs count(*) and a GROUP BY on the
// facet rows of the matching documents (the engine returns total and counts in the same call).
// Each query set is run once to warm up, then measured. FTS5 has no stemming: it matches fewer
// documents for the same words (the table shows the mean number of matches of each).
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "search/engine.hpp"
#include "text/analyzer.hpp"

namespace fs = std::filesystem;
namespace search = passerelle::search;
namespace text = passerelle::text;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

const std::vector<std::string> kFacetFields = {"theme", "resource_type", "public", "departement"};

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// CPU time of the whole process (all threads): the machine may be shared, wall time then lies.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one;
}

struct Rng {  // splitmix64, same as the generator
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return n ? static_cast<size_t>(next() % n) : 0; }
};

std::vector<search::Document> load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<search::Document> docs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json j = json::parse(line);
    search::Document d;
    d.kind = j.at("kind").get<std::string>();
    d.id = j.at("id").get<int64_t>();
    d.territory = j.value("territory", "");
    d.title = j.value("title", "");
    d.summary = j.value("summary", "");
    d.body = j.value("body", "");
    d.date = j.value("date", int64_t{0});
    d.url = "/bench/" + std::to_string(d.id);
    for (const auto& [field, values] : j.at("facets").items())
      for (const auto& v : values) d.facets.push_back({field, v.get<std::string>()});
    docs.push_back(std::move(d));
  }
  return docs;
}

struct QuerySpec {
  std::vector<std::string> words;  // lower-case surface forms, letters only
  std::string text() const {
    std::string s;
    for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
    return s;
  }
  std::string fts() const {
    std::string s;
    for (const auto& w : words) s += (s.empty() ? "\"" : " \"") + w + "\"";
    return s;
  }
};

// Content words a user could type: letters only, three or more, not stop words.
std::vector<std::string> eligible_words(const std::string& body, text::Analyzer& analyzer) {
  std::vector<text::Word> words;
  analyzer.words(body, words);
  std::vector<std::string> out;
  for (const auto& w : words) {
    if (w.stop || w.folded.size() < 3) continue;
    std::string_view surface(body.data() + w.begin, w.end - w.begin);
    if (!std::all_of(w.folded.begin(), w.folded.end(), [](char c) { return c >= 'a' && c <= 'z'; })) continue;
    if (surface.find_first_of(".'") != std::string_view::npos) continue;
    out.push_back(text::lower(surface));
  }
  return out;
}

// 1/3 one-word queries (half among the 100 most frequent words, half among ranks 100–5,000),
// 1/3 two consecutive content words, 1/3 three, from documents drawn with the seed.
std::vector<QuerySpec> make_queries(const std::vector<search::Document>& docs, size_t count, uint64_t seed) {
  text::Analyzer analyzer;
  std::unordered_map<std::string, uint64_t> frequency;
  size_t sample = std::min<size_t>(docs.size(), 20000);
  for (size_t k = 0; k < sample; ++k)
    for (auto& w : eligible_words(docs[k].body, analyzer)) ++frequency[w];
  std::vector<std::pair<std::string, uint64_t>> ranked(frequency.begin(), frequency.end());
  std::sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  Rng rng{seed};
  std::vector<QuerySpec> queries;
  size_t per_kind = count / 3;
  for (size_t k = 0; k < per_kind && !ranked.empty(); ++k) {
    size_t rank = k % 2 == 0 ? rng.below(std::min<size_t>(100, ranked.size()))
                              : std::min(ranked.size() - 1, 100 + rng.below(4900));
    queries.push_back({{ranked[rank].first}});
  }
  for (size_t length : {2, 3}) {
    for (size_t made = 0, tries = 0; made < per_kind && tries < per_kind * 100; ++tries) {
      const auto& doc = docs[rng.below(docs.size())];
      auto words = eligible_words(doc.body, analyzer);
      if (words.size() < length) continue;
      size_t at = rng.below(words.size() - length + 1);
      queries.push_back({std::vector<std::string>(words.begin() + at, words.begin() + at + length)});
      ++made;
    }
  }
  return queries;
}

struct Stats {
  double p50 = 0, p99 = 0, mean = 0, max = 0;  // milliseconds
  double mean_matches = 0;
};

Stats summarise(std::vector<double> ms, double matches) {
  Stats s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  auto rank = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<size_t>(std::ceil(q * ms.size())) - 1)]; };
  s.p50 = rank(0.50);
  s.p99 = rank(0.99);
  for (double v : ms) s.mean += v;
  s.mean /= ms.size();
  s.max = ms.back();
  s.mean_matches = matches / ms.size();
  return s;
}

uint64_t dir_size(const fs::path& p) {
  uint64_t total = 0;
  if (fs::is_regular_file(p)) return fs::file_size(p);
  if (!fs::exists(p)) return 0;
  for (const auto& e : fs::recursive_directory_iterator(p))
    if (e.is_regular_file()) total += e.file_size();
  return total;
}

long peak_rss_mb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  return 0;
}

// ---- Engine ----

struct EngineRun {
  double index_seconds = 0, index_cpu = 0;
  uint64_t bytes = 0;
  Stats plain, faceted;
  std::map<size_t, Stats> plain_by_length;
};

EngineRun run_engine(const std::vector<search::Document>& docs, const std::vector<QuerySpec>& queries, const fs::path& dir) {
  EngineRun run;
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto engine = search::Engine::open(dir.string());
  auto t = Clock::now();
  double cpu = cpu_seconds();
  constexpr size_t batch = 10000;
  std::vector<search::Document> chunk;
  for (size_t k = 0; k < docs.size(); k += batch) {
    chunk.assign(docs.begin() + k, docs.begin() + std::min(docs.size(), k + batch));
    engine->put_many(chunk);
  }
  engine->commit();
  run.index_seconds = seconds_since(t);
  run.index_cpu = cpu_seconds() - cpu;
  run.bytes = dir_size(dir);
  if (engine->size() != docs.size())
    std::cerr << "warning: the engine holds " << engine->size() << " documents, " << docs.size() << " were given\n";
  std::cerr << "engine: indexed " << docs.size() << " documents in " << run.index_seconds << " s\n";

  auto measure = [&](bool facets, std::map<size_t, Stats>* by_length) {
    std::vector<double> all;
    std::map<size_t, std::vector<double>> lengths;
    std::map<size_t, double> length_matches;
    double matches = 0;
    for (int pass = 0; pass < 2; ++pass) {
      all.clear();
      lengths.clear();
      length_matches.clear();
      matches = 0;
      for (const auto& q : queries) {
        search::Query query;
        query.text = q.text();
        query.limit = 10;
        if (facets) query.facet_fields = kFacetFields;
        auto t0 = Clock::now();
        auto results = engine->search(query);
        double ms = seconds_since(t0) * 1000;
        all.push_back(ms);
        lengths[q.words.size()].push_back(ms);
        length_matches[q.words.size()] += results.total;
        matches += results.total;
      }
    }
    if (by_length)
      for (auto& [n, v] : lengths) (*by_length)[n] = summarise(v, length_matches[n]);
    return summarise(all, matches);
  };
  run.plain = measure(false, &run.plain_by_length);
  run.faceted = measure(true, nullptr);
  return run;
}

// ---- SQLite FTS5 ----

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const char* sql) { check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql); }

struct Statement {
  sqlite3_stmt* stmt = nullptr;
  Statement(sqlite3* db, const char* sql) { check(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), db, sql); }
  ~Statement() { sqlite3_finalize(stmt); }
};

struct FtsRun {
  double index_seconds = 0, index_cpu = 0;
  uint64_t bytes = 0;
  Stats plain, faceted;
  std::map<size_t, Stats> plain_by_length;
};

FtsRun run_fts(const std::vector<search::Document>& docs, const std::vector<QuerySpec>& queries, const fs::path& file) {
  FtsRun run;
  fs::remove(file);
  sqlite3* db = nullptr;
  check(sqlite3_open(file.c_str(), &db), db, "open");
  exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");
  exec(db, "CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, tokenize='unicode61 remove_diacritics 2');"
           "CREATE TABLE facet(doc INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);");
  auto t = Clock::now();
  double cpu = cpu_seconds();
  {
    exec(db, "BEGIN");
    Statement doc(db, "INSERT INTO fts(rowid, title, summary, body) VALUES (?, ?, ?, ?)");
    Statement facet(db, "INSERT INTO facet(doc, field, value) VALUES (?, ?, ?)");
    for (const auto& d : docs) {
      sqlite3_bind_int64(doc.stmt, 1, d.id);
      sqlite3_bind_text(doc.stmt, 2, d.title.data(), static_cast<int>(d.title.size()), SQLITE_STATIC);
      sqlite3_bind_text(doc.stmt, 3, d.summary.data(), static_cast<int>(d.summary.size()), SQLITE_STATIC);
      sqlite3_bind_text(doc.stmt, 4, d.body.data(), static_cast<int>(d.body.size()), SQLITE_STATIC);
      check(sqlite3_step(doc.stmt), db, "insert fts");
      sqlite3_reset(doc.stmt);
      for (const auto& f : d.facets) {
        sqlite3_bind_int64(facet.stmt, 1, d.id);
        sqlite3_bind_text(facet.stmt, 2, f.field.data(), static_cast<int>(f.field.size()), SQLITE_STATIC);
        sqlite3_bind_text(facet.stmt, 3, f.value.data(), static_cast<int>(f.value.size()), SQLITE_STATIC);
        check(sqlite3_step(facet.stmt), db, "insert facet");
        sqlite3_reset(facet.stmt);
      }
    }
    exec(db, "CREATE INDEX facet_doc ON facet(doc, field, value)");
    exec(db, "COMMIT");
    exec(db, "INSERT INTO fts(fts) VALUES ('optimize')");
  }
  run.index_seconds = seconds_since(t);
  run.index_cpu = cpu_seconds() - cpu;
  run.bytes = dir_size(file);
  std::cerr << "fts5: indexed " << docs.size() << " documents in " << run.index_seconds << " s\n";

  Statement top(db, "SELECT rowid, title, snippet(fts, 2, '<mark>', '</mark>', '…', 16) FROM fts WHERE fts MATCH ? "
                    "ORDER BY rank LIMIT 10");
  Statement total(db, "SELECT count(*) FROM fts WHERE fts MATCH ?");
  Statement counts(db, "SELECT f.field, f.value, count(*) FROM fts JOIN facet f ON f.doc = fts.rowid "
                       "WHERE fts MATCH ? AND f.field IN ('theme', 'resource_type', 'public', 'departement') "
                       "GROUP BY f.field, f.value");
  auto measure = [&](bool facets, std::map<size_t, Stats>* by_length) {
    std::vector<double> all;
    std::map<size_t, std::vector<double>> lengths;
    std::map<size_t, double> length_matches;
    double matches = 0;
    for (int pass = 0; pass < 2; ++pass) {
      all.clear();
      lengths.clear();
      length_matches.clear();
      matches = 0;
      for (const auto& q : queries) {
        std::string match = q.fts();
        auto t0 = Clock::now();
        size_t rows = 0;
        sqlite3_bind_text(top.stmt, 1, match.data(), static_cast<int>(match.size()), SQLITE_STATIC);
        while (sqlite3_step(top.stmt) == SQLITE_ROW) {
          (void)sqlite3_column_text(top.stmt, 1);
          (void)sqlite3_column_text(top.stmt, 2);
          ++rows;
        }
        sqlite3_reset(top.stmt);
        int64_t n = 0;
        if (facets) {
          sqlite3_bind_text(total.stmt, 1, match.data(), static_cast<int>(match.size()), SQLITE_STATIC);
          if (sqlite3_step(total.stmt) == SQLITE_ROW) n = sqlite3_column_int64(total.stmt, 0);
          sqlite3_reset(total.stmt);
          sqlite3_bind_text(counts.stmt, 1, match.data(), static_cast<int>(match.size()), SQLITE_STATIC);
          while (sqlite3_step(counts.stmt) == SQLITE_ROW) (void)sqlite3_column_text(counts.stmt, 1);
          sqlite3_reset(counts.stmt);
        }
        double ms = seconds_since(t0) * 1000;
        if (!facets) {  // the matches, counted outside the timing
          sqlite3_bind_text(total.stmt, 1, match.data(), static_cast<int>(match.size()), SQLITE_STATIC);
          if (sqlite3_step(total.stmt) == SQLITE_ROW) n = sqlite3_column_int64(total.stmt, 0);
          sqlite3_reset(total.stmt);
        }
        all.push_back(ms);
        lengths[q.words.size()].push_back(ms);
        length_matches[q.words.size()] += static_cast<double>(n);
        matches += static_cast<double>(n);
      }
    }
    if (by_length)
      for (auto& [n, v] : lengths) (*by_length)[n] = summarise(v, length_matches[n]);
    return summarise(all, matches);
  };
  run.plain = measure(false, &run.plain_by_length);
  run.faceted = measure(true, nullptr);
  sqlite3_close(db);
  return run;
}

std::string fmt(double v, int decimals = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string ratio(double fts, double engine) { return engine > 0 ? fmt(fts / engine, 1) + "×" : "–"; }

}  // namespace

int main(int argc, char** argv) {
  std::string docs_path, work = "var/bench/run";
  size_t query_count = 240;
  uint64_t seed = 7;
  bool engine_on = true, fts_on = true;
  for (int k = 1; k < argc; ++k) {
    std::string a = argv[k];
    auto value = [&]() -> std::string {
      if (k + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++k];
    };
    if (a == "--docs") docs_path = value();
    else if (a == "--work") work = value();
    else if (a == "--queries") query_count = std::stoull(value());
    else if (a == "--seed") seed = std::stoull(value());
    else if (a == "--no-engine") engine_on = false;
    else if (a == "--no-fts") fts_on = false;
    else {
      std::cerr << "usage: bench_search --docs FILE.jsonl [--work DIR] [--queries N] [--seed S] [--no-engine] [--no-fts]\n";
      return 2;
    }
  }
  if (docs_path.empty()) {
    std::cerr << "bench_search: --docs is required\n";
    return 2;
  }
  std::string load_before = load_average();
  auto t = Clock::now();
  auto docs = load(docs_path);
  std::cerr << "loaded " << docs.size() << " documents in " << seconds_since(t) << " s\n";
  auto queries = make_queries(docs, query_count, seed);
  std::cerr << queries.size() << " queries, e.g. \"" << queries.front().text() << "\", \"" << queries[queries.size() / 2].text()
            << "\", \"" << queries.back().text() << "\"\n";
  fs::create_directories(work);

  EngineRun engine;
  FtsRun fts;
  if (engine_on) engine = run_engine(docs, queries, fs::path(work) / "engine");
  long engine_rss = peak_rss_mb();
  if (fts_on) fts = run_fts(docs, queries, fs::path(work) / "fts5.sqlite");

  double n = static_cast<double>(docs.size());
  auto rate = [&](double s) { return s > 0 ? n / s : 0.0; };
  auto verdict = [](bool ok) { return ok ? "yes" : "**no**"; };
  std::cout << "\n### Search benchmark: " << docs.size() << " documents, " << queries.size() << " queries (top 10)\n\n"
            << "| measure | Passerelle engine | SQLite FTS5 | FTS5 / engine | target | met |\n"
            << "|---|---:|---:|---:|---|---|\n"
            << "| indexing (documents/s) | " << fmt(rate(engine.index_seconds), 0) << " | " << fmt(rate(fts.index_seconds), 0)
            << " | " << ratio(rate(fts.index_seconds), rate(engine.index_seconds)) << " | ≥ 20,000 | "
            << verdict(rate(engine.index_seconds) >= 20000) << " |\n"
            << "| indexing, documents per CPU-second | " << fmt(rate(engine.index_cpu), 0) << " | " << fmt(rate(fts.index_cpu), 0)
            << " | " << ratio(rate(fts.index_cpu), rate(engine.index_cpu)) << " | ≥ 10,000 per core | "
            << verdict(rate(engine.index_cpu) >= 10000) << " |\n"
            << "| index size (MB) | " << fmt(engine.bytes / 1e6, 0) << " | " << fmt(fts.bytes / 1e6, 0) << " | "
            << ratio(fts.bytes, engine.bytes) << " | | |\n"
            << "| top 10, p50 (ms) | " << fmt(engine.plain.p50) << " | " << fmt(fts.plain.p50) << " | "
            << ratio(fts.plain.p50, engine.plain.p50) << " | | |\n"
            << "| top 10, p99 (ms) | " << fmt(engine.plain.p99) << " | " << fmt(fts.plain.p99) << " | "
            << ratio(fts.plain.p99, engine.plain.p99) << " | < 10 | " << verdict(engine.plain.p99 < 10) << " |\n"
            << "| top 10, mean / max (ms) | " << fmt(engine.plain.mean) << " / " << fmt(engine.plain.max) << " | "
            << fmt(fts.plain.mean) << " / " << fmt(fts.plain.max) << " | | | |\n"
            << "| top 10 + 4 facet counts, p50 (ms) | " << fmt(engine.faceted.p50) << " | " << fmt(fts.faceted.p50) << " | "
            << ratio(fts.faceted.p50, engine.faceted.p50) << " | | |\n"
            << "| top 10 + 4 facet counts, p99 (ms) | " << fmt(engine.faceted.p99) << " | " << fmt(fts.faceted.p99) << " | "
            << ratio(fts.faceted.p99, engine.faceted.p99) << " | < 50 | " << verdict(engine.faceted.p99 < 50) << " |\n"
            << "| top 10 + 4 facet counts, mean / max (ms) | " << fmt(engine.faceted.mean) << " / " << fmt(engine.faceted.max)
            << " | " << fmt(fts.faceted.mean) << " / " << fmt(fts.faceted.max) << " | | | |\n"
            << "| mean matching documents per query | " << fmt(engine.plain.mean_matches, 0) << " | "
            << fmt(fts.plain.mean_matches, 0) << " | | (engine stems, FTS5 does not) | |\n"
            << "| peak RSS after engine run (MB) | " << engine_rss << " | | | corpus in memory included | |\n\n"
            << "| words per query | queries | engine p50 / p99 (ms) | FTS5 p50 / p99 (ms) | engine / FTS5 mean matches |\n"
            << "|---:|---:|---:|---:|---:|\n";
  for (size_t len : {1, 2, 3}) {
    size_t count = std::count_if(queries.begin(), queries.end(), [&](auto& q) { return q.words.size() == len; });
    auto& e = engine.plain_by_length[len];
    auto& f = fts.plain_by_length[len];
    std::cout << "| " << len << " | " << count << " | " << fmt(e.p50) << " / " << fmt(e.p99) << " | " << fmt(f.p50) << " / "
              << fmt(f.p99) << " | " << fmt(e.mean_matches, 0) << " / " << fmt(f.mean_matches, 0) << " |\n";
  }
  std::cout << "\nLoad average (1 min) of the machine before / after the run: " << load_before << " / " << load_average()
            << " (" << std::thread::hardware_concurrency() << " CPUs); the engine measured first, then FTS5.\n" << std::flush;
  return 0;
}
