#include <gtest/gtest.h>

#include <set>

#include "restitution/engine.hpp"
#include "restitution/report.hpp"
#include "restitution/writer.hpp"

namespace r = passerelle::restitution;

namespace {

const char* bases[] = {
    "Il faut baisser la TVA sur les produits de première nécessité et augmenter les petites retraites des agriculteurs",
    "Les services publics disparaissent des campagnes, il faut rouvrir des bureaux de poste et des maternités",
    "Le train doit redevenir moins cher que la voiture pour aller travailler chaque jour en ville",
    "Les élus doivent rendre des comptes aux citoyens, avec un référendum d'initiative citoyenne",
};

r::Corpus corpus_with_campaign() {
  r::Corpus c;
  auto add = [&](std::string text, int64_t date) {
    r::Contribution x;
    x.id = "c" + std::to_string(c.items.size());
    x.text = std::move(text);
    x.date = date;
    x.zip = "16000";
    x.line = static_cast<uint32_t>(c.items.size() + 1);
    c.items.push_back(x);
  };
  // 60 different texts: 14 words drawn from the four topics' vocabularies.
  uint64_t state = 12345;
  for (int i = 0; i < 60; ++i) {
    std::string base = bases[i % 4], text;
    std::vector<std::string> words;
    for (size_t s = 0, e; s < base.size(); s = e + 1) {
      e = base.find(' ', s);
      if (e == std::string::npos) e = base.size();
      words.push_back(base.substr(s, e - s));
    }
    for (int w = 0; w < 14; ++w) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      text += (w ? " " : "") + words[(state >> 33) % words.size()];
    }
    add(text, 1548201600 + i * 86400);
  }
  // A campaign: one text sent 5 times with small edits.
  std::string campaign = "Nous demandons la suppression immédiate de la taxe sur les carburants pour les habitants des zones rurales sans transports";
  add(campaign, 1548201600);
  add(campaign, 1548288000);
  add("nous demandons la suppression immédiate de la taxe sur les carburants pour les habitants des zones rurales sans transports !", 1548374400);
  add("Nous demandons la suppression immédiate de la taxe sur les carburants pour les habitants des zones rurales sans bus", 1548460800);
  add("NOUS DEMANDONS la suppression immédiate de la taxe sur les carburants pour les habitants des zones rurales sans transports", 1548547200);
  // Short identical answers: not a campaign.
  for (int i = 0; i < 5; ++i) add("Santé, éducation", 1548201600);
  return c;
}

}  // namespace

TEST(Engine, CampaignsAndShortAnswers) {
  auto corpus = corpus_with_campaign();
  r::Parameters p;
  auto res = r::run(corpus, p);
  ASSERT_EQ(res.campaigns.size(), 1u);
  EXPECT_EQ(res.campaigns[0].size, 5u);
  EXPECT_EQ(res.campaigns[0].exact_copies, 4u);  // case and punctuation do not count
  EXPECT_EQ(res.campaigns[0].first, 1548201600);
  EXPECT_EQ(res.campaigns[0].last, 1548547200);
  EXPECT_EQ(res.campaign_contributions, 5u);
  EXPECT_EQ(res.short_texts, 5u);
  EXPECT_EQ(res.units, 60u + 1u + 5u);  // the campaign once, the short answers each
  for (size_t i = 65; i < 70; ++i) EXPECT_EQ(res.assignments[i].campaign, r::none);
  // Every contribution has a theme; the campaign's members share one.
  for (const auto& a : res.assignments) EXPECT_NE(a.theme, r::none);
  EXPECT_EQ(res.assignments[60].theme, res.assignments[63].theme);
  size_t total = 0;
  for (const auto& t : res.themes) total += t.contributions;
  EXPECT_EQ(total, corpus.items.size());
  EXPECT_EQ(res.departements.at(0).key, "16");
}

TEST(Engine, QuotesNeverTwoFromOneCampaignAndMasked) {
  auto corpus = corpus_with_campaign();
  corpus.items[0].text += " écrivez-moi à jean.dupont@example.org ou au 06 12 34 56 78";
  r::Parameters p;
  p.themes = 2;
  auto res = r::run(corpus, p, {"[courriel masqué]", "[numéro masqué]"});
  for (const auto& t : res.themes) {
    std::set<uint32_t> campaigns;
    for (const auto& q : t.quotes) {
      uint32_t camp = res.assignments[q.contribution].campaign;
      if (camp != r::none) {
        EXPECT_TRUE(campaigns.insert(camp).second);
      }
      EXPECT_EQ(q.text.find("@example.org"), std::string::npos);
      EXPECT_EQ(q.text.find("06 12"), std::string::npos);
    }
  }
}

TEST(Engine, MasksEmailsAndPhones) {
  r::Masks m{"[courriel]", "[tel]"};
  EXPECT_EQ(r::mask_personal_data("écrire à a.b@c.fr ou 01.23.45.67.89", m), "écrire à [courriel] ou [tel]");
  EXPECT_EQ(r::mask_personal_data("+33 6 12 34 56 78, merci", m), "[tel], merci");
  EXPECT_EQ(r::mask_personal_data("en 2019, 1 000 personnes, code 16000", m), "en 2019, 1 000 personnes, code 16000");
}

TEST(Engine, ByteIdenticalOutputsWithOneOrTwoThreads) {
  auto corpus = corpus_with_campaign();
  for (int copy = 0; copy < 3; ++copy)  // enough for several parallel blocks
    for (size_t i = 0, n = corpus.items.size(); i < n && corpus.items.size() < 9000; ++i) {
      auto c = corpus.items[i];
      c.text += " variante " + std::to_string(corpus.items.size());
      corpus.items.push_back(c);
    }
  r::Parameters p;
  p.threads = 1;
  auto one = r::run(corpus, p);
  p.threads = 2;
  auto two = r::run(corpus, p);
  EXPECT_EQ(r::to_json(one, corpus, "x"), r::to_json(two, corpus, "x"));
  EXPECT_EQ(r::to_csv(one, corpus), r::to_csv(two, corpus));
  EXPECT_EQ(r::render_report(one, corpus, "x", passerelle::i18n::Locale::fr),
            r::render_report(two, corpus, "x", passerelle::i18n::Locale::fr));
}

TEST(Writer, CsvQuoting) {
  EXPECT_EQ(r::csv_field("simple"), "simple");
  EXPECT_EQ(r::csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
}

TEST(Writer, ParticipationPer10000Inhabitants) {
  EXPECT_DOUBLE_EQ(passerelle::restitution::per_10000(17, 168306), 1.01);
  EXPECT_DOUBLE_EQ(passerelle::restitution::per_10000(0, 1000), 0.0);
  EXPECT_DOUBLE_EQ(passerelle::restitution::per_10000(5, 0), 0.0);  // unknown population: no rate
}
