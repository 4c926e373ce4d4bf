#include "demo/seed.hpp"

#include "accounts/store.hpp"
#include "demo/consultations.hpp"
#include "demo/places.hpp"
#include "demo/practices.hpp"
#include "territories/store.hpp"

namespace passerelle::demo {

namespace {
struct DemoTerritory {
  const char* slug;
  const char* name;
  const char* kind;
  const char* insee;
  const char* summary;
};

// INSEE codes from decoupage-administratif 6.0.0 (COG 2026).
const DemoTerritory kTerritories[] = {
    {"grand-angouleme", "Grand Angoulême", "intercommunalite",
     "16015 16374 16113 16358 16291 16154 16166 16078 16287 16061 16138 16199 16341 16271 16236 16244 16232 16146 16187 16418 "
     "16120 16026 16119 16348 16019 16370 16385 16101 16415 16388 16368 16055 16168 16422 16210 16382 16263 16420",
     "L'agglomération du **Grand Angoulême** (38 communes) anime un programme d'inclusion numérique avec ses "
     "conseillers numériques, ses France Services et ses tiers-lieux."},
    {"besancon", "Besançon", "commune", "25056",
     "La ville de **Besançon** consulte ses habitantes et habitants sur la place du numérique dans les services publics."},
    {"noumea", "Nouméa", "commune", "98818",
     "**Nouméa** (Nouvelle-Calédonie) recense ses lieux de médiation numérique et forme ses agents."},
    {"saint-denis-reunion", "Saint-Denis (La Réunion)", "commune", "97411",
     "**Saint-Denis** de La Réunion organise des ateliers de découverte du numérique dans ses quartiers."},
};
}  // namespace

SeedReport seed(db::Database& db) {
  SeedReport report;
  for (const auto& d : kTerritories) {
    if (territories::find(db, d.slug)) continue;
    Errors errors;
    auto t = territories::create(db, {d.slug, d.name, d.kind, d.insee, d.summary}, std::nullopt, errors);
    if (t) ++report.territories_added;
  }
  report.admin_email = "admin@demo.passerelle.localhost";
  report.admin_password = "demo-passerelle-2026";
  if (!accounts::find_user_id(db, report.admin_email)) {
    auto id = accounts::create_confirmed(db, report.admin_email, "Administratrice de démonstration", report.admin_password, true);
    if (id) {
      report.admin_created = true;
      if (auto t = territories::find(db, "grand-angouleme")) (void)accounts::grant_role(db, *id, t->id, web::Role::administrateur, std::nullopt);
    }
  }
  seed_practices(db);
  seed_consultations(db);
  seed_places(db);
  return report;
}

}  // namespace passerelle::demo
