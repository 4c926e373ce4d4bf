#include "search/engine.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

namespace passerelle::search {
namespace {

Document doc(int64_t id, std::string title, std::string summary = "", std::string body = "", std::string kind = "practice",
             std::string territory = "", std::vector<Facet> facets = {}, int64_t date = 0) {
  Document d;
  d.kind = std::move(kind);
  d.id = id;
  d.title = std::move(title);
  d.summary = std::move(summary);
  d.body = std::move(body);
  d.territory = std::move(territory);
  d.url = "/d/" + std::to_string(id);
  d.facets = std::move(facets);
  d.date = date ? date : 1700000000 + id;
  return d;
}

Query text_query(std::string text) {
  Query q;
  q.text = std::move(text);
  return q;
}

std::vector<int64_t> ids(const Results& r) {
  std::vector<int64_t> out;
  for (const auto& h : r.hits) out.push_back(h.id);
  return out;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { engine = Engine::open(""); }
  std::unique_ptr<Engine> engine;
};

TEST_F(EngineTest, TitleMatchRanksBeforeBodyMatch) {
  engine->put(doc(1, "Atelier de cuisine", "", "Nous parlons aussi de médiation numérique dans ce long texte sur la cuisine."));
  engine->put(doc(2, "Médiation numérique en bibliothèque", "", "Un atelier chaque semaine."));
  engine->put(doc(3, "Jardin partagé", "", "Rien à voir."));
  engine->commit();
  auto r = engine->search(text_query("médiation"));
  EXPECT_EQ(r.total, 2u);
  EXPECT_EQ(ids(r), (std::vector<int64_t>{2, 1}));
  // Accents and plural folded: the same term.
  EXPECT_EQ(engine->search(text_query("mediations")).total, 2u);
}

TEST_F(EngineTest, WordsAreAndedAndPhrasesNeedTheOrder) {
  engine->put(doc(1, "La ville numérique", "", ""));
  engine->put(doc(2, "Le numérique dans la ville", "", ""));
  engine->put(doc(3, "La ville verte", "", ""));
  engine->commit();
  auto both = engine->search(text_query("ville numérique"));
  EXPECT_EQ(both.total, 2u);
  auto phrase = engine->search(text_query("\"ville numérique\""));
  EXPECT_EQ(phrase.total, 1u);
  EXPECT_EQ(ids(phrase), std::vector<int64_t>{1});
  auto french_quotes = engine->search(text_query("« ville numérique »"));
  EXPECT_EQ(ids(french_quotes), std::vector<int64_t>{1});
}

TEST_F(EngineTest, PrefixExpandsOverTheIndex) {
  engine->put(doc(1, "Numérisation des archives"));
  engine->put(doc(2, "Inclusion numérique"));
  engine->put(doc(3, "Nutrition et santé"));
  engine->commit();
  auto r = engine->search(text_query("numéri*"));
  auto hit_ids = ids(r);
  std::set<int64_t> got(hit_ids.begin(), hit_ids.end());
  EXPECT_EQ(r.total, 2u);
  EXPECT_EQ(got, (std::set<int64_t>{1, 2}));
  EXPECT_EQ(engine->search(text_query("nu*")).total, 3u);
  EXPECT_EQ(engine->search(text_query("zzz*")).total, 0u);
}

TEST_F(EngineTest, FiltersAreOrWithinAFieldAndAndAcrossFields) {
  engine->put(doc(1, "Atelier", "", "", "practice", "besancon", {{"theme", "Accès aux droits"}}));
  engine->put(doc(2, "Atelier", "", "", "practice", "dole", {{"theme", "Accès aux droits"}}));
  engine->put(doc(3, "Atelier", "", "", "practice", "dole", {{"theme", "Parentalité"}}));
  engine->put(doc(4, "Atelier", "", "", "place", "dole", {{"theme", "Parentalité"}}));
  engine->commit();
  Query q = text_query("atelier");
  q.filters = {{"territory", "dole"}, {"theme", "Parentalité"}, {"theme", "Accès aux droits"}};
  q.kinds = {"practice"};
  q.facet_fields = {"theme", "territory", "kind"};
  auto r = engine->search(q);
  EXPECT_EQ(r.total, 2u);
  auto hit_ids = ids(r);
  std::set<int64_t> got(hit_ids.begin(), hit_ids.end());
  EXPECT_EQ(got, (std::set<int64_t>{2, 3}));
  // A field's own filter does not narrow its counts (the other values stay choosable).
  ASSERT_EQ(r.facets["territory"].size(), 2u);
  EXPECT_EQ(r.facets["territory"][0].value, "dole");
  EXPECT_EQ(r.facets["territory"][0].count, 2u);
  EXPECT_EQ(r.facets["territory"][1].count, 1u);
  ASSERT_EQ(r.facets["kind"].size(), 2u);
  EXPECT_EQ(r.facets["kind"][0].value, "practice");
  EXPECT_EQ(r.facets["kind"][0].count, 2u);
  EXPECT_EQ(r.facets["kind"][1].count, 1u);
  // Unknown filter value: nothing.
  q.filters = {{"territory", "nulle-part"}};
  EXPECT_EQ(engine->search(q).total, 0u);
}

// Random documents, random queries: totals and facet counts equal a brute-force count.
TEST_F(EngineTest, ExactCountsEqualBruteForce) {
  std::mt19937 rng(42);
  const std::vector<std::string> words = {"atelier", "jardin", "numérique", "école", "santé", "vélo", "musique", "emploi"};
  const std::vector<std::string> themes = {"A", "B", "C", "D"}, territories = {"t1", "t2", "t3"}, kinds = {"practice", "place"};
  struct Truth {
    std::set<std::string> words;
    std::set<std::string> themes;
    std::string territory, kind;
  };
  std::map<int64_t, Truth> truth;
  for (int64_t id = 1; id <= 400; ++id) {
    Truth t;
    std::string title;
    for (int i = 0; i < 3; ++i) {
      const auto& w = words[rng() % words.size()];
      t.words.insert(w);
      title += w + " ";
    }
    std::vector<Facet> facets;
    for (int i = 0; i < 2; ++i) {
      const auto& th = themes[rng() % themes.size()];
      t.themes.insert(th);
      facets.push_back({"theme", th});
    }
    t.territory = territories[rng() % territories.size()];
    t.kind = kinds[rng() % kinds.size()];
    engine->put(doc(id, title, "", "", t.kind, t.territory, facets));
    truth[id] = t;
    if (id % 7 == 0) engine->commit();
  }
  // Some removed, some replaced.
  for (int64_t id = 1; id <= 400; id += 13) {
    engine->remove("practice", id);
    engine->remove("place", id);
    truth.erase(id);
  }
  engine->commit();
  EXPECT_EQ(engine->size(), truth.size());
  for (int round = 0; round < 60; ++round) {
    std::string w = words[rng() % words.size()];
    std::string theme = themes[rng() % themes.size()], terr = territories[rng() % territories.size()];
    bool use_theme = rng() % 2, use_terr = rng() % 2, empty_text = rng() % 4 == 0;
    Query q;
    q.text = empty_text ? "" : w;
    if (use_theme) q.filters.push_back({"theme", theme});
    if (use_terr) q.filters.push_back({"territory", terr});
    q.facet_fields = {"theme", "territory", "kind"};
    auto r = engine->search(q);
    auto match = [&](const Truth& t, const std::string& skip) {
      if (!empty_text && !t.words.count(w)) return false;
      if (use_theme && skip != "theme" && !t.themes.count(theme)) return false;
      if (use_terr && skip != "territory" && t.territory != terr) return false;
      return true;
    };
    uint64_t total = 0;
    std::map<std::string, std::map<std::string, uint64_t>> counts;
    for (const auto& [id, t] : truth) {
      if (match(t, "")) ++total;
      if (match(t, "theme"))
        for (const auto& th : t.themes) ++counts["theme"][th];
      if (match(t, "territory")) ++counts["territory"][t.territory];
      if (match(t, "")) ++counts["kind"][t.kind];
    }
    ASSERT_EQ(r.total, total) << "round " << round << " q=" << q.text;
    for (const auto& field : q.facet_fields) {
      std::map<std::string, uint64_t> got;
      for (const auto& fc : r.facets[field]) got[fc.value] = fc.count;
      EXPECT_EQ(got, counts[field]) << "field " << field << " round " << round;
    }
    // Every hit matches.
    for (const auto& h : r.hits) EXPECT_TRUE(truth.count(h.id) && match(truth[h.id], ""));
  }
}

TEST_F(EngineTest, PutReplacesAndRemoveForgets) {
  engine->put(doc(1, "Café réparation", "", "", "practice", "besancon", {{"theme", "Réemploi"}}));
  engine->commit();
  engine->put(doc(1, "Atelier vélo", "", "", "practice", "dole", {{"theme", "Mobilité"}}));
  engine->commit();
  EXPECT_EQ(engine->size(), 1u);
  EXPECT_EQ(engine->search(text_query("café")).total, 0u);
  Query q = text_query("vélo");
  q.facet_fields = {"theme", "territory"};
  auto r = engine->search(q);
  ASSERT_EQ(r.total, 1u);
  EXPECT_EQ(r.hits[0].title, "Atelier vélo");
  EXPECT_EQ(r.hits[0].territory, "dole");
  ASSERT_EQ(r.facets["theme"].size(), 1u);
  EXPECT_EQ(r.facets["theme"][0].value, "Mobilité");
  // Same id, other kind: another document.
  engine->put(doc(1, "Atelier vélo", "", "", "place"));
  engine->remove("practice", 1);
  engine->commit();
  EXPECT_EQ(engine->size(), 1u);
  EXPECT_EQ(engine->search(text_query("vélo")).hits.at(0).kind, "place");
  engine->remove("place", 1);
  engine->remove("place", 999);  // unknown: nothing happens
  engine->commit();
  EXPECT_EQ(engine->size(), 0u);
  EXPECT_EQ(engine->search(text_query("")).total, 0u);
}

TEST_F(EngineTest, ChangesAreSeenAfterCommitOnly) {
  engine->put(doc(1, "Permanence numérique"));
  EXPECT_EQ(engine->search(text_query("permanence")).total, 0u);
  engine->commit();
  EXPECT_EQ(engine->search(text_query("permanence")).total, 1u);
}

TEST_F(EngineTest, EmptyTextListsEverythingNewestFirst) {
  engine->put(doc(1, "Un", "", "", "practice", "", {}, 100));
  engine->put(doc(2, "Deux", "", "", "practice", "", {}, 300));
  engine->put(doc(3, "Trois", "", "", "practice", "", {}, 200));
  engine->commit();
  auto r = engine->search(text_query(""));
  EXPECT_EQ(r.total, 3u);
  EXPECT_EQ(ids(r), (std::vector<int64_t>{2, 3, 1}));
  Query page = text_query("");
  page.offset = 1;
  page.limit = 1;
  EXPECT_EQ(ids(engine->search(page)), std::vector<int64_t>{3});
  // Only stop words: everything too.
  EXPECT_EQ(engine->search(text_query("le la de")).total, 3u);
}

TEST_F(EngineTest, SuggestionOnlyFromIndexedDocuments) {
  engine->put(doc(1, "Médiation numérique", "", "Accompagnement des démarches administratives"));
  engine->put(doc(2, "Secret", "", "Le mot confidentialissime n'est que dans ce document"));
  engine->commit();
  auto r = engine->search(text_query("numerrique"));
  EXPECT_EQ(r.total, 0u);
  ASSERT_TRUE(r.suggestion.has_value());
  EXPECT_EQ(*r.suggestion, "numérique");
  auto two = engine->search(text_query("accompagnment demarches"));
  ASSERT_TRUE(two.suggestion.has_value());
  EXPECT_EQ(*two.suggestion, "accompagnement demarches");
  EXPECT_TRUE(engine->search(text_query("confidentialisime")).suggestion.has_value());
  engine->remove("practice", 2);
  engine->commit();
  EXPECT_FALSE(engine->search(text_query("confidentialisime")).suggestion.has_value());
  // Replaced: the old words go too.
  engine->put(doc(1, "Jardinage", "", ""));
  engine->commit();
  EXPECT_FALSE(engine->search(text_query("numerrique")).suggestion.has_value());
  EXPECT_FALSE(engine->search(text_query("jardinage")).suggestion.has_value());  // found: no suggestion
}

TEST_F(EngineTest, SnippetsAreEscapedAndMarked) {
  engine->put(doc(1, "Titre", "", "Avant <script>alert(1)</script> & les ateliers numériques du mardi, puis la suite."));
  std::string long_body;
  for (int i = 0; i < 100; ++i) long_body += "remplissage" + std::to_string(i) + " ";
  long_body += "le mot cherché est vélo ici ";
  for (int i = 0; i < 100; ++i) long_body += "fin" + std::to_string(i) + " ";
  engine->put(doc(2, "Long", "", long_body));
  engine->commit();
  auto r = engine->search(text_query("numérique"));
  ASSERT_EQ(r.hits.size(), 1u);
  const auto& s = r.hits[0].snippet_html;
  EXPECT_EQ(s.find("<script>"), std::string::npos) << s;
  EXPECT_NE(s.find("&lt;script&gt;"), std::string::npos) << s;
  EXPECT_NE(s.find("&amp;"), std::string::npos) << s;
  EXPECT_NE(s.find("<mark>numériques</mark>"), std::string::npos) << s;
  auto l = engine->search(text_query("vélo"));
  ASSERT_EQ(l.hits.size(), 1u);
  const auto& ls = l.hits[0].snippet_html;
  EXPECT_NE(ls.find("<mark>vélo</mark>"), std::string::npos) << ls;
  EXPECT_EQ(ls.rfind("…", 0), 0u) << ls;          // cut at the start
  EXPECT_NE(ls.find("…", ls.size() - 4), std::string::npos) << ls;  // and at the end
  EXPECT_EQ(ls.find("remplissage0 "), std::string::npos);
}

TEST_F(EngineTest, MetadataAndReopenKeepState) {
  auto dir = std::filesystem::temp_directory_path() / ("passerelle-engine-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto e = Engine::open(dir.string());
    e->put(doc(1, "Atelier", "", "", "practice", "dole", {{"theme", "Mobilité"}}));
    e->put(doc(2, "Atelier", "", "", "practice", "dole", {{"theme", "Santé"}}));
    e->set_metadata("cle", "valeur");
    e->commit();
    EXPECT_THROW(Engine::open(dir.string()), IndexLocked);
  }
  {
    auto e = Engine::open(dir.string());
    EXPECT_EQ(e->size(), 2u);
    EXPECT_EQ(e->metadata("cle"), "valeur");
    Query q = text_query("atelier");
    q.facet_fields = {"theme"};
    q.filters = {{"theme", "Santé"}};
    auto r = e->search(q);
    EXPECT_EQ(r.total, 1u);
    EXPECT_EQ(r.facets["theme"].size(), 2u);
    e->clear();
    EXPECT_EQ(e->size(), 0u);
    EXPECT_EQ(e->metadata("cle"), "");
  }
  std::filesystem::remove_all(dir);
}

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("passerelle-engine-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

// Everything a search returns, to compare two engines.
std::string fingerprint(Engine& e, const std::string& text) {
  Query q = text_query(text);
  q.limit = 50;
  q.facet_fields = {"theme", "territory"};
  auto r = e.search(q);
  std::string out = std::to_string(r.total) + "|";
  for (const auto& h : r.hits) out += h.kind + ":" + std::to_string(h.id) + ":" + h.title + ":" + h.snippet_html + ";";
  for (const auto& [field, counts] : r.facets)
    for (const auto& c : counts) out += field + "=" + c.value + ":" + std::to_string(c.count) + ",";
  if (r.suggestion) out += "?" + *r.suggestion;
  return out;
}

// Replacements, removals and a compaction (dead docids over a third of the live ones), then a
// reopen from the snapshot: the same answers as before closing.
TEST_F(EngineTest, SnapshotKeepsReplacementsRemovalsAndCompaction) {
  auto dir = fresh_dir("snapshot");
  const std::vector<std::string> queries = {"atelier", "jardin partagé", "\"jardin partagé\"", "numéri*", "vélo quartier", "jardn", ""};
  std::vector<std::string> before;
  {
    auto e = Engine::open(dir.string());
    for (int64_t id = 1; id <= 3000; ++id)
      e->put(doc(id, id % 3 ? "Atelier jardin partagé" : "Vélo dans le quartier", "", "numérique " + std::to_string(id), "practice",
                 id % 2 ? "dole" : "besancon", {{"theme", id % 5 ? "Nature" : "Mobilité"}}));
    e->commit();
    for (int64_t id = 1; id <= 2500; ++id) {
      if (id % 2) e->remove("practice", id);
      else e->put(doc(id, "Jardin remplacé", "", "partagé numérisation", "practice", "dole", {{"theme", "Nature"}}));
    }
    e->commit();
    EXPECT_EQ(e->size(), 3000u - 1250u);
    EXPECT_EQ(e->search(text_query("vélo")).total, 167u);  // multiples of 3 above 2500, the others removed or replaced
    for (const auto& q : queries) before.push_back(fingerprint(*e, q));
  }
  auto e = Engine::open(dir.string());
  EXPECT_EQ(e->size(), 3000u - 1250u);
  for (size_t i = 0; i < queries.size(); ++i) EXPECT_EQ(fingerprint(*e, queries[i]), before[i]) << queries[i];
  // And it goes on from there.
  e->put(doc(9999, "Vélo partagé", "", ""));
  e->commit();
  EXPECT_EQ(e->search(text_query("vélo partagé")).total, 1u);
  e.reset();
  std::filesystem::remove_all(dir);
}

TEST_F(EngineTest, DamagedSnapshotStartsEmpty) {
  auto dir = fresh_dir("damaged");
  {
    auto e = Engine::open(dir.string());
    e->put(doc(1, "Atelier"));
    e->set_metadata("cle", "valeur");
    e->commit();
  }
  auto snapshot = dir / "index.snapshot";
  ASSERT_TRUE(std::filesystem::exists(snapshot));
  {
    std::fstream f(snapshot, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(20);
    f.put('\x7f');
  }
  auto e = Engine::open(dir.string());
  EXPECT_EQ(e->size(), 0u);            // the Service sees no format metadata and rebuilds
  EXPECT_EQ(e->metadata("cle"), "");
  e->put(doc(2, "Jardin"));
  e->commit();
  EXPECT_EQ(e->search(text_query("jardin")).total, 1u);
  e.reset();
  std::filesystem::remove_all(dir);
}

TEST_F(EngineTest, PhrasesStayInsideOneField) {
  engine->put(doc(1, "Atelier ville", "numérique et le reste"));
  engine->put(doc(2, "Atelier", "la ville numérique"));
  engine->commit();
  EXPECT_EQ(ids(engine->search(text_query("\"ville numérique\""))), std::vector<int64_t>{2});
  EXPECT_EQ(engine->search(text_query("ville numérique")).total, 2u);
}

// Enough postings for the two-thread scan: the same totals, counts and order as one thread
// would give (checked against what the documents say).
TEST_F(EngineTest, LongScansSplitInTwoGiveExactResults) {
  std::vector<Document> docs;
  for (int64_t id = 1; id <= 30000; ++id) {
    std::string body = "atelier";
    for (int64_t k = 0; k < id % 7; ++k) body += " atelier";  // frequencies 1 to 7
    if (id % 3 == 0) body += " jardin";
    docs.push_back(doc(id, "Fiche " + std::to_string(id), "", body, "practice", "", {{"theme", id % 2 ? "A" : "B"}}, 1700000000 + (id * 7919) % 30000));
  }
  engine->put_many(docs);
  engine->commit();
  Query q = text_query("atelier");
  q.limit = 20;
  q.facet_fields = {"theme"};
  auto r = engine->search(q);
  EXPECT_EQ(r.total, 30000u);
  ASSERT_EQ(r.hits.size(), 20u);
  for (size_t i = 1; i < r.hits.size(); ++i) EXPECT_GE(r.hits[i - 1].score, r.hits[i].score);
  EXPECT_EQ(r.hits[0].id % 7, 6);  // the most frequent first
  ASSERT_EQ(r.facets["theme"].size(), 2u);
  EXPECT_EQ(r.facets["theme"][0].count, 15000u);
  auto both = engine->search(text_query("atelier jardin"));
  EXPECT_EQ(both.total, 10000u);
  q.filters = {{"theme", "A"}};
  q.sort = Query::Sort::date;
  auto dated = engine->search(q);
  EXPECT_EQ(dated.total, 15000u);
  // Newest first: the dates are a permutation, so the page is the 20 largest odd-id dates.
  std::vector<int64_t> dates;
  for (const auto& d : docs)
    if (d.id % 2) dates.push_back(d.date);
  std::sort(dates.rbegin(), dates.rend());
  ASSERT_EQ(dated.hits.size(), 20u);
  for (size_t i = 0; i < 20; ++i) EXPECT_EQ(dated.hits[i].date, dates[i]);
}

TEST_F(EngineTest, ConcurrentSearchesDuringWrites) {
  for (int64_t id = 1; id <= 200; ++id) engine->put(doc(id, "atelier commun", "", "", "practice", "", {{"theme", "A"}}));
  engine->commit();
  std::atomic<bool> done{false};
  std::atomic<int> errors{0}, searches{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&] {
      while (!done) {
        Query q = text_query("atelier");
        q.facet_fields = {"theme"};
        auto r = engine->search(q);
        // Each commit adds 10 documents: a consistent view has a multiple of 10, and its facet
        // count equals its total.
        if (r.total % 10 != 0 || r.facets["theme"].empty() || r.facets["theme"][0].count != r.total) ++errors;
        ++searches;
      }
    });
  for (int64_t batch = 0; batch < 30; ++batch) {
    for (int64_t i = 0; i < 10; ++i) engine->put(doc(1000 + batch * 10 + i, "atelier nouveau", "", "", "practice", "", {{"theme", "A"}}));
    engine->commit();
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GT(searches.load(), 0);
  EXPECT_EQ(engine->search(text_query("atelier")).total, 500u);
}

}  // namespace
}  // namespace passerelle::search
