#include "places/communes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace places = passerelle::places;
using places::Communes;

namespace {

const Communes& ref() { return Communes::embedded(); }

std::vector<std::string> insee_codes(const std::vector<const places::Commune*>& list) {
  std::vector<std::string> out;
  for (const auto* c : list) out.emplace_back(c->insee);
  return out;
}

double km_from(const places::Commune& c, double lat, double lon) {
  return c.centre ? places::haversine_km(c.centre->lat, c.centre->lon, lat, lon) : INFINITY;
}

}  // namespace

TEST(Communes, BesanconByCodeAndPostalCode) {
  const auto* c = ref().find_by_insee("25056");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->name, "Besançon");
  EXPECT_EQ(c->departement->code, "25");
  EXPECT_EQ(c->departement->name, "Doubs");
  EXPECT_EQ(c->departement->region, "27");
  EXPECT_EQ(c->departement->region_name, "Bourgogne-Franche-Comté");
  EXPECT_EQ(ref().region_name("27"), "Bourgogne-Franche-Comté");
  EXPECT_EQ(c->departement->zone, places::Zone::metro);
  EXPECT_EQ(c->time_zone, "Europe/Paris");
  EXPECT_EQ(c->centre_source, places::CentreSource::la_poste);
  EXPECT_LT(km_from(*c, 47.2378, 6.0241), 5);  // the town hall
  EXPECT_GT(c->population.value_or(0), 100000);
  EXPECT_NE(std::find(c->postal_codes.begin(), c->postal_codes.end(), "25000"), c->postal_codes.end());
  auto by_postal = ref().find_by_postal_code("25000");
  ASSERT_FALSE(by_postal.empty());
  EXPECT_EQ(by_postal.front()->insee, "25056");
  EXPECT_EQ(ref().find_by_insee("25999"), nullptr);
  EXPECT_EQ(ref().find_by_insee(""), nullptr);
}

TEST(Communes, PostalCodeSpanningTwoDepartements) {
  // 05110: communes of Hautes-Alpes and of Alpes-de-Haute-Provence, more of them in 05.
  auto list = ref().find_by_postal_code("05110");
  bool in_04 = false, in_05 = false;
  for (const auto* c : list) (c->departement->code == "04" ? in_04 : in_05) = true;
  EXPECT_TRUE(in_04 && in_05);
  EXPECT_EQ(ref().departements_of_postal_code("05110"), (std::vector<std::string_view>{"05", "04"}));
  EXPECT_EQ(ref().departements_of_postal_code("75010"), (std::vector<std::string_view>{"75"}));
}

TEST(Communes, PostalCodesNormalisedOrRejected) {
  EXPECT_EQ(insee_codes(ref().find_by_postal_code("75 010")), std::vector<std::string>{"75056"});
  auto bourg = ref().find_by_postal_code("1000");  // leading zero lost by a spreadsheet
  ASSERT_FALSE(bourg.empty());
  EXPECT_EQ(bourg.front()->insee, "01053");  // Bourg-en-Bresse
  for (auto bad : {"", "00000", "7501", "75O10", "123456", "75010 x"})
    EXPECT_TRUE(ref().find_by_postal_code(bad).empty()) << bad;
}

TEST(Communes, Corsica) {
  const auto* ajaccio = ref().find_by_insee("2A004");
  const auto* bastia = ref().find_by_insee("2B033");
  ASSERT_TRUE(ajaccio && bastia);
  EXPECT_EQ(ajaccio->name, "Ajaccio");
  EXPECT_EQ(ajaccio->departement->name, "Corse-du-Sud");
  EXPECT_EQ(bastia->departement->name, "Haute-Corse");
  EXPECT_EQ(bastia->departement->region_name, "Corse");
  EXPECT_EQ(ref().departements_of_postal_code("20000"), std::vector<std::string_view>{"2A"});
  EXPECT_EQ(ref().departements_of_postal_code("20200"), std::vector<std::string_view>{"2B"});
  ASSERT_NE(ref().find_departement("2a"), nullptr);
  EXPECT_EQ(ref().find_departement("2a")->code, "2A");
  EXPECT_EQ(ref().departement_population("2A"), 168306);  // as restitution's table says
}

TEST(Communes, SaintDenisDeLaReunion) {
  const auto* c = ref().find_by_insee("97411");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->name, "Saint-Denis");
  EXPECT_EQ(c->time_zone, "Indian/Reunion");
  EXPECT_EQ(c->departement->code, "974");
  EXPECT_EQ(c->departement->name, "La Réunion");
  EXPECT_EQ(c->departement->zone, places::Zone::drom);
  EXPECT_LT(km_from(*c, -20.8789, 55.4481), 10);  // La Poste gives the centroid, up the slopes
  EXPECT_EQ(insee_codes(ref().find_by_name("Saint-Denis", {.departement = "974"})), std::vector<std::string>{"97411"});
  EXPECT_EQ(insee_codes(ref().find_by_name("saint denis", {.postal_code = "93200"})), std::vector<std::string>{"93066"});
  auto all = ref().find_by_name("St Denis");
  ASSERT_GT(all.size(), 2u);
  EXPECT_EQ(all.front()->insee, "97411");  // the most populous Saint-Denis
}

TEST(Communes, OverseasCollectivites) {
  const auto* noumea = ref().find_by_insee("98818");
  ASSERT_NE(noumea, nullptr);
  EXPECT_EQ(noumea->name, "Nouméa");
  EXPECT_EQ(noumea->departement->name, "Nouvelle-Calédonie");
  EXPECT_EQ(noumea->departement->zone, places::Zone::com);
  EXPECT_EQ(noumea->time_zone, "Pacific/Noumea");
  EXPECT_EQ(noumea->centre_source, places::CentreSource::lieux);  // La Poste has no point there
  EXPECT_LT(km_from(*noumea, -22.2758, 166.4580), 5);
  EXPECT_EQ(insee_codes(ref().find_by_postal_code("98800")), std::vector<std::string>{"98818"});
  EXPECT_EQ(insee_codes(ref().find_by_name("Noumea")), std::vector<std::string>{"98818"});
  const auto* belep = ref().find_by_insee("98801");
  ASSERT_NE(belep, nullptr);
  EXPECT_FALSE(belep->centre);  // a documented gap
  EXPECT_EQ(ref().find_by_insee("98735")->time_zone, "Pacific/Tahiti");     // Papeete
  EXPECT_EQ(ref().find_by_insee("98731")->time_zone, "Pacific/Marquesas");  // Nuku-Hiva
  EXPECT_EQ(ref().find_by_insee("97502")->time_zone, "America/Miquelon");   // Saint-Pierre
  EXPECT_EQ(ref().find_by_insee("97701")->time_zone, "America/St_Barthelemy");
  EXPECT_EQ(ref().find_by_insee("97801")->time_zone, "America/Marigot");
  EXPECT_EQ(ref().find_by_insee("98613")->time_zone, "Pacific/Wallis");     // Uvea
}

TEST(Communes, NameLookupFoldsAccentsCaseAndSaint) {
  for (auto name : {"Besançon", "besancon", "BESANCON", " Besançon "})
    EXPECT_EQ(insee_codes(ref().find_by_name(name)), std::vector<std::string>{"25056"}) << name;
  for (auto name : {"Saint-Étienne", "St Etienne", "st-etienne", "SAINT ETIENNE", "St. Étienne"}) {
    auto found = ref().find_by_name(name, {.departement = "42"});
    EXPECT_EQ(insee_codes(found), std::vector<std::string>{"42218"}) << name;
  }
  EXPECT_EQ(insee_codes(ref().find_by_name("Pointe-à-Pitre")), std::vector<std::string>{"97120"});
  EXPECT_EQ(insee_codes(ref().find_by_name("pointe a pitre")), std::vector<std::string>{"97120"});
  EXPECT_EQ(insee_codes(ref().find_by_name("L'Haÿ-les-Roses")), std::vector<std::string>{"94038"});
  EXPECT_EQ(insee_codes(ref().find_by_name("lhay les roses")), std::vector<std::string>{"94038"});
  EXPECT_EQ(insee_codes(ref().find_by_name("Havre")), std::vector<std::string>{"76351"});  // Le Havre
  EXPECT_EQ(places::name_key("Saint-Étienne-du-Rouvray"), "stetiennedurouvray");
  EXPECT_TRUE(ref().find_by_name("Besançon", {.departement = "39"}).empty());
  EXPECT_TRUE(ref().find_by_name("Besançon", {.postal_code = "pas un code"}).empty());
  EXPECT_TRUE(ref().find_by_name("Atlantide").empty());
  EXPECT_TRUE(ref().find_by_name("").empty());
  EXPECT_TRUE(ref().find_by_name(" - ' ").empty());
}

TEST(Communes, WholeReference) {
  size_t metro = 0, drom = 0, com = 0, without_centre = 0;
  for (const auto& c : ref().all()) {
    ASSERT_NE(c.departement, nullptr);
    EXPECT_FALSE(c.time_zone.empty());
    ++(c.departement->zone == places::Zone::metro ? metro : c.departement->zone == places::Zone::drom ? drom : com);
    if (!c.centre) {
      ++without_centre;
      continue;
    }
    EXPECT_TRUE(places::in_france(c.centre->lat, c.centre->lon)) << c.insee << " " << c.name;
  }
  EXPECT_EQ(metro, 34746u);
  EXPECT_EQ(drom, 129u);
  EXPECT_EQ(com, 94u);
  EXPECT_EQ(without_centre, 70u);  // see data/places/README.md
  EXPECT_EQ(ref().departements().size(), 109u);
}

TEST(Communes, ArrondissementsAndDelegatedCommunesGiveTheirCommune) {
  // Real data still uses them (27 France Services records did): the commune they are part of.
  for (auto [code, commune] : std::initializer_list<std::pair<const char*, const char*>>{
           {"75112", "75056"}, {"13202", "13055"}, {"69381", "69123"}, {"49069", "49126"}, {"01120", "01262"}}) {
    const places::Commune* c = ref().find_by_insee(code);
    ASSERT_NE(c, nullptr) << code;
    EXPECT_EQ(c->insee, commune) << code;
  }
  EXPECT_EQ(ref().find_by_insee("75056")->name, "Paris");
  EXPECT_EQ(ref().find_by_insee("75121"), nullptr);  // Paris has 20 arrondissements
  EXPECT_EQ(ref().find_by_insee("99999"), nullptr);
}

TEST(Communes, MalformedFilesAreErrors) {
  std::string_view deps = "code;nom;region;nom_region;zone\n25;Doubs;27;Bourgogne-Franche-Comté;metro\n";
  std::string header = "code_insee;nom;departement;region;codes_postaux;population;latitude;longitude;fuseau_horaire;source_centre\n";
  std::string good = header + "25056;Besançon;25;27;25000;120000;47.2;6.0;Europe/Paris;p\n";
  EXPECT_TRUE(Communes::parse(good, deps).ok());
  for (std::string bad : {
           std::string("nope\n"),
           header + "25056;Besançon;39;27;25000;1;47.2;6.0;Europe/Paris;p\n",     // unknown département
           header + "25056;\"Besançon\";25;27;25000;1;47.2;6.0;Europe/Paris;p\n", // quoted
           header + "25056;Besançon;25;27;2500;1;47.2;6.0;Europe/Paris;p\n",      // postal code
           header + "25056;Besançon;25;27;25000;1;47,2;6.0;Europe/Paris;p\n",     // decimal comma
           header + "25056;Besançon;25;27;25000;1;;;Europe/Paris;p\n",            // source without centre
           header + "25056;Besançon;25;27;25000;1;47.2;6.0;Europe/Paris\n",       // a cell missing
           header + "25056;Besançon;25;27;25000;1;47.2;6.0;Europe/Paris;p;x\n",   // one too many
           good + "25000;Avant;25;27;25000;1;47.2;6.0;Europe/Paris;p\n",          // not sorted
       }) {
    auto r = Communes::parse(bad, deps);
    EXPECT_FALSE(r.ok()) << bad;
  }
  std::string attached = "code_insee;nom;commune;type\n";
  EXPECT_TRUE(Communes::parse(good, deps, attached + "25999;Ancienne;25056;commune-deleguee\n").ok());
  for (std::string bad : {attached + "25999;Ancienne;25057;commune-deleguee\n",    // unknown commune
                          attached + "25056;Besançon;25056;commune-deleguee\n",    // a current code
                          attached + "25999;A;25056;commune-deleguee\n25998;B;25056;commune-deleguee\n"}) {  // not sorted
    auto r = Communes::parse(good, deps, bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "communes-rattachees.csv");
  }
}

TEST(CommunesGeo, InFrance) {
  struct Place { const char* name; double lat, lon; };
  for (auto p : std::initializer_list<Place>{
           {"Paris", 48.8566, 2.3522}, {"Ajaccio", 41.9192, 8.7386}, {"Bastia", 42.6977, 9.4509},
           {"Pointe-à-Pitre", 16.2411, -61.5331}, {"Fort-de-France", 14.6161, -61.0588},
           {"Cayenne", 4.9224, -52.3135}, {"Saint-Denis (La Réunion)", -20.8789, 55.4481},
           {"Mamoudzou", -12.7806, 45.2279}, {"Nouméa", -22.2758, 166.4580}, {"Papeete", -17.5516, -149.5585},
           {"Taiohae (Nuku-Hiva)", -8.9108, -140.0997}, {"Saint-Pierre", 46.7811, -56.1764},
           {"Gustavia", 17.8962, -62.8498}, {"Marigot", 18.0677, -63.0825}, {"Mata-Utu", -13.2825, -176.1736},
           {"Port-aux-Français", -49.3497, 70.2194}, {"Lille", 50.6292, 3.0573}, {"Strasbourg", 48.5734, 7.7521},
           {"Hendaye", 43.3590, -1.7660}, {"Menton", 43.7747, 7.4975}, {"Ouessant", 48.4590, -5.0860},
       })
    EXPECT_TRUE(places::in_france(p.lat, p.lon)) << p.name;
  for (auto p : std::initializer_list<Place>{
           {"Brussels", 50.8503, 4.3517}, {"Madrid", 40.4168, -3.7038}, {"0,0", 0, 0},
           {"Geneva", 46.2044, 6.1432}, {"Basel", 47.5596, 7.5886}, {"Luxembourg", 49.6116, 6.1319},
           {"Saarbrücken", 49.2402, 6.9969}, {"Kehl", 48.5725, 7.8150}, {"Turin", 45.0703, 7.6869},
           {"Barcelona", 41.3874, 2.1686}, {"Andorra la Vella", 42.5063, 1.5218}, {"San Sebastián", 43.3183, -1.9812},
           {"St Helier (Jersey)", 49.1858, -2.1100}, {"Dover", 51.1279, 1.3134}, {"Sardinia", 41.2400, 9.1900},
           {"Dominica", 15.4150, -61.3710}, {"Paramaribo", 5.8520, -55.2038}, {"Port Louis", -20.1609, 57.5012},
           {"Moroni", -11.7172, 43.2473}, {"Port Vila", -17.7334, 168.3273}, {"Philipsburg", 18.0260, -63.0458},
       })
    EXPECT_FALSE(places::in_france(p.lat, p.lon)) << p.name;
  EXPECT_FALSE(places::in_france(NAN, 2.35));
  EXPECT_FALSE(places::in_france(48.85, 200));
}

TEST(CommunesGeo, Haversine) {
  EXPECT_NEAR(places::haversine_km(48.8566, 2.3522, 43.2965, 5.3698), 661, 2);  // Paris–Marseille
  EXPECT_NEAR(places::haversine_km(47.2378, 6.0241, 47.2378, 6.0241), 0, 1e-9);
  EXPECT_NEAR(places::haversine_km(0, 0, 0, 180), 20015.1, 0.5);  // half the circumference
}
