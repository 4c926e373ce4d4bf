// Search relevance on a hand-judged set of queries: the demo practice sheets, alone and then
// drowned among real Grand Débat contributions (tests/data, Licence Ouverte). For each query
// the judged best sheet must come first and every other judged-relevant sheet must be in the
// top 5; the unpublished draft must never appear. Mean reciprocal rank is printed for the record.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "demo/practices.hpp"
#include "demo/seed.hpp"
#include "platform/db/migrate.hpp"
#include "practices/source.hpp"
#include "search/service.hpp"
#include "search/sources.hpp"

namespace passerelle::search {
namespace {

struct Judgement {
  std::string query;
  std::string best;                 // title of the sheet that must rank first
  std::vector<std::string> also;    // titles that must be in the top 5
};

// Judged by reading every demo sheet (src/demo/practices.cpp), with the words people type:
// no accents, plurals, feminine forms, elisions.
const std::vector<Judgement>& judgements() {
  static const std::vector<Judgement> j = {
      {"cafés de la connaissance", "Les cafés de la connaissance", {}},
      {"cafe connaissance", "Les cafés de la connaissance", {}},
      {"formation des élus", "Formation des élus au numérique", {"Formation des élus au numérique, adaptée à Nouméa"}},
      {"formation elues", "Formation des élus au numérique", {"Formation des élus au numérique, adaptée à Nouméa"}},
      {"permanences virtuelles", "Permanences numériques virtuelles en zone rurale", {}},
      {"permanence rurale", "Permanences numériques virtuelles en zone rurale", {}},
      {"tiers-lieux", "Un réseau de tiers-lieux numériques à l'échelle de l'agglomération", {}},
      {"réseau tiers lieux", "Un réseau de tiers-lieux numériques à l'échelle de l'agglomération", {}},
      {"hashtag veille", "#VeilleNumInterco : un hashtag de veille partagé entre communes", {}},
      {"agents d'accueil", "Former les agents d'accueil à l'accompagnement numérique", {}},
      {"Chaudron", "Ateliers de découverte du numérique dans les quartiers du Chaudron et du Moufia", {}},
      {"ateliers découverte quartier", "Ateliers de découverte du quartier",
       {"Ateliers de découverte du numérique dans les quartiers du Chaudron et du Moufia"}},
  };
  return j;
}

const std::string kDraftTitle = "Permanences numériques virtuelles dans les Hauts (brouillon)";

// Real contributions as competing documents: long texts that share many everyday words
// ("formation", "quartier", "numérique", "élus") with the sheets.
class GrandDebatSource final : public Source {
 public:
  std::string kind() const override { return "contribution"; }
  std::optional<Document> load(db::Connection&, int64_t) override { return std::nullopt; }
  void each_public(db::Connection&, const std::function<void(Document&&)>& emit) override {
    std::ifstream in(std::string(PASSERELLE_SOURCE_DIR) + "/tests/data/restitution-grand-debat.jsonl");
    std::string line;
    int64_t id = 0;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line);
      Document d;
      d.kind = "contribution";
      d.id = ++id;
      d.title = j.value("question", "");
      d.body = j.value("text", "");
      d.url = "/contributions/" + std::to_string(id);
      emit(std::move(d));
    }
  }
};

class Relevance : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("passerelle-relevance-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    db_ = db::open("sqlite:" + (dir_ / "demo.db").string());
    ASSERT_TRUE(db::migrate(*db_).ok());
    demo::seed(*db_);
    demo::seed_practices(*db_);
    service_ = std::make_unique<Service>(*db_, Engine::open(""));
    service_->add_source(territory_source());
    practices::register_search(*service_);
    if (GetParam()) service_->add_source(std::make_unique<GrandDebatSource>());
    service_->reindex();
  }
  void TearDown() override {
    service_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<Service> service_;
};

TEST_P(Relevance, JudgedSheetsComeFirst) {
  double reciprocal_ranks = 0;
  for (const auto& j : judgements()) {
    Query q;
    q.text = j.query;
    q.limit = 10;
    auto r = service_->search(q);
    std::vector<std::string> titles;
    for (const auto& h : r.hits) titles.push_back(h.title);
    auto rank_of = [&](const std::string& title) {
      auto it = std::find(titles.begin(), titles.end(), title);
      return it == titles.end() ? 0 : static_cast<int>(it - titles.begin()) + 1;
    };
    int best = rank_of(j.best);
    reciprocal_ranks += best ? 1.0 / best : 0.0;
    EXPECT_EQ(best, 1) << "« " << j.query << " » : " << ::testing::PrintToString(titles);
    for (const auto& t : j.also) {
      int rank = rank_of(t);
      EXPECT_TRUE(rank >= 1 && rank <= 5) << "« " << j.query << " » : « " << t << " » au rang " << rank;
    }
    EXPECT_EQ(rank_of(kDraftTitle), 0) << "the draft must never be found: « " << j.query << " »";
  }
  double mrr = reciprocal_ranks / static_cast<double>(judgements().size());
  std::cout << (GetParam() ? "demo + Grand Débat" : "demo only") << ": mean reciprocal rank " << mrr << " over "
            << judgements().size() << " judged queries\n";
  EXPECT_GE(mrr, 0.99);
}

INSTANTIATE_TEST_SUITE_P(Corpora, Relevance, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? std::string("WithGrandDebat") : std::string("DemoOnly"); });

}  // namespace
}  // namespace passerelle::search
