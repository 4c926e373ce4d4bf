#include "demo/practices.hpp"

#include <map>

#include "accounts/store.hpp"
#include "platform/services.hpp"
#include "practices/store.hpp"
#include "territories/store.hpp"

namespace passerelle::demo {

namespace {

using practices::Input;

struct DemoSheet {
  const char* key;        // for reuse, comments and collections below
  const char* territory;  // slug
  bool publish;
  Input input;
  // Second version (summary and body edited), when the sheet shows a history.
  const char* revised_summary = nullptr;
  const char* revised_body_addition = nullptr;
};

// Phone numbers are in the ranges ARCEP keeps for fiction (05 36 49…, 03 53 01…); e-mails are
// on the demo domain. Links point to real public sites.
std::vector<DemoSheet> sheets() {
  std::vector<DemoSheet> s;
  s.push_back({"ateliers-quartier", "grand-angouleme", true,
               {"Ateliers de découverte du quartier",
                "Des balades accompagnées, tablette en main, pour découvrir les services publics, associatifs et commerçants du "
                "quartier et apprendre à les retrouver en ligne.",
                "## Le principe\n\n"
                "Un conseiller numérique et un habitant relais emmènent un groupe de six à huit personnes dans le quartier. À chaque "
                "étape (mairie annexe, France Services, médiathèque, pharmacie, arrêt de bus), le groupe découvre le lieu **et** son "
                "équivalent en ligne : prise de rendez-vous, horaires, suivi de dossier.\n\n"
                "## Déroulé d'une séance (2 h 30)\n\n"
                "1. Accueil et café au centre social, prêt des tablettes.\n"
                "2. Balade de 1 h 30 avec quatre arrêts.\n"
                "3. Retour au centre social : chacun refait seul une démarche vue pendant la balade.\n\n"
                "## Ce qui a marché\n\n"
                "- Les habitants relais, qui connaissent tout le monde.\n"
                "- Les petits groupes : personne n'est laissé en arrière.\n"
                "- Un livret papier remis à la fin, avec les adresses des sites.\n\n"
                "## Points de vigilance\n\n"
                "Prévoir un plan B en cas de pluie (le même parcours en visite virtuelle) et des tablettes chargées la veille.",
                {"16015", "16374", "16113"},
                {"maitrise-des-outils-numeriques", "aides-aux-demarches-administratives", "citoyennete-et-engagement"},
                {"methodologie", "ressource-pedagogique"},
                {"seniors-personnes-agees", "personnes-tres-eloignees-du-numerique", "adultes"},
                {"aidants-et-mediateurs-numeriques", "acteurs-publics"},
                "Gratuit pour les participants ; environ 2 heures de préparation par parcours",
                "",
                {"Centres sociaux du Grand Angoulême", "Réseau des conseillers numériques France Services", "Médiathèques de GrandAngoulême"},
                {"Service inclusion numérique", "inclusion.numerique@demo.passerelle.localhost", "05 36 49 12 34"},
                {{"https://lesbases.anct.gouv.fr", "Les Bases du numérique d'intérêt général"},
                 {"https://www.grandangouleme.fr", "Site de GrandAngoulême"}},
                ""},
               "Des balades accompagnées, tablette en main, pour découvrir les services du quartier et apprendre à les retrouver en "
               "ligne ; douze parcours animés depuis le printemps.",
               "\n\n## Bilan après un an\n\nDouze parcours, 84 participants, dont la moitié sont revenus aux ateliers collectifs de la "
               "médiathèque."});
  s.push_back({"tiers-lieux", "grand-angouleme", true,
               {"Un réseau de tiers-lieux numériques à l'échelle de l'agglomération",
                "Huit tiers-lieux (fablab, espace de coworking, café associatif, médiathèques) partagent un agenda, une charte "
                "d'accueil et un parc de matériel reconditionné.",
                "## Pourquoi un réseau\n\n"
                "Chaque tiers-lieu avait son public et ses horaires ; les habitants ne savaient pas où aller. Le réseau publie un agenda "
                "commun et oriente chacun vers le lieu le plus proche ou le plus adapté.\n\n"
                "## Ce que partagent les lieux\n\n"
                "- une **charte d'accueil** (gratuité des ateliers de base, accessibilité, neutralité) ;\n"
                "- un agenda en ligne, alimenté par chaque lieu ;\n"
                "- un parc d'ordinateurs reconditionnés prêtés entre lieux ;\n"
                "- une réunion mensuelle des animateurs.\n\n"
                "## Gouvernance\n\n"
                "Une convention annuelle entre l'agglomération et les structures, avec un petit financement par lieu et par atelier.",
                {"16015", "16358", "16287"},
                {"communs-numeriques", "gouvernances-partagees", "materiel-reconditionne", "territoires-connectes-et-durables"},
                {"methodologie", "annuaire"},
                {"tous-publics"},
                {"acteurs-prives-et-associatifs", "acteurs-publics"},
                "Subvention de fonctionnement par lieu, selon le nombre d'ateliers",
                "24000",
                {"Fablab du Grand Angoulême", "Associations d'éducation populaire", "Médiathèques de GrandAngoulême"},
                {"Coordination du réseau", "tiers-lieux@demo.passerelle.localhost", ""},
                {{"https://www.grandangouleme.fr", "GrandAngoulême"}, {"https://francetierslieux.fr", "France Tiers-Lieux"}},
                ""}});
  s.push_back({"permanences-rurales", "grand-angouleme", true,
               {"Permanences numériques virtuelles en zone rurale",
                "Dans les mairies des petites communes, un poste équipé d'une caméra met l'habitant en relation vidéo avec un "
                "conseiller numérique, sur rendez-vous, pour l'aider dans ses démarches.",
                "## Le besoin\n\n"
                "Les conseillers numériques ne peuvent pas tenir une permanence dans chaque commune rurale. Les habitants, souvent "
                "âgés et sans voiture, renonçaient à leurs démarches.\n\n"
                "## Le dispositif\n\n"
                "- un ordinateur, une caméra et un scanner dans la mairie ;\n"
                "- la secrétaire de mairie accueille et lance la visioconférence ;\n"
                "- le conseiller numérique guide l'habitant à distance, en partage d'écran ;\n"
                "- les documents sont numérisés sur place, jamais envoyés par messagerie personnelle.\n\n"
                "## Résultats\n\n"
                "Six communes équipées, deux demi-journées par semaine, des délais de rendez-vous passés de trois semaines à quelques "
                "jours.",
                {"16291", "16154", "16166", "16078"},
                {"aides-aux-demarches-administratives", "mobilites", "territoires-connectes-et-durables"},
                {"methodologie", "outils-numeriques"},
                {"seniors-personnes-agees", "personnes-tres-eloignees-du-numerique"},
                {"acteurs-publics", "aidants-et-mediateurs-numeriques"},
                "Équipement d'environ 1 500 € par mairie ; temps de conseiller numérique mutualisé",
                "1500",
                {"Mairies des communes rurales de l'agglomération", "France Services"},
                {"Pôle proximité", "proximite@demo.passerelle.localhost", "05 36 49 56 78"},
                {{"https://www.france-services.gouv.fr", "France Services"}},
                ""}});
  s.push_back({"cafes-connaissance", "besancon", true,
               {"Les cafés de la connaissance",
                "Une fois par mois, dans un café du quartier, un habitant ou un agent partage en une heure un savoir numérique "
                "concret : sécuriser son téléphone, trier ses photos, repérer une arnaque.",
                "## Le format\n\n"
                "Une heure, un café offert, un sujet, pas de diaporama. L'intervenant est un habitant, un agent de la ville ou un "
                "bénévole d'association. Les questions viennent de la salle.\n\n"
                "## Sujets les plus demandés\n\n"
                "- reconnaître un message frauduleux ;\n"
                "- gérer ses mots de passe ;\n"
                "- libérer de la place sur son téléphone ;\n"
                "- comprendre ce que deviennent ses données.\n\n"
                "## Organisation\n\n"
                "La ville tient le calendrier et la communication ; les cafés prêtent la salle en matinée, quand elle est calme.",
                {"25056"},
                {"risques-cyber-et-protection", "usages-responsables-du-numerique", "citoyennete-et-engagement"},
                {"methodologie"},
                {"tous-publics", "adultes", "seniors-personnes-agees"},
                {"acteurs-publics", "acteurs-prives-et-associatifs"},
                "Quelques cafés offerts et l'impression des affiches",
                "",
                {"Cafés et bars de quartier partenaires", "Maisons de quartier de Besançon"},
                {"Mission citoyenneté numérique", "cafes.connaissance@demo.passerelle.localhost", "03 53 01 22 33"},
                {{"https://www.besancon.fr", "Ville de Besançon"}, {"https://www.cybermalveillance.gouv.fr", "Cybermalveillance.gouv.fr"}},
                ""},
               "Une fois par mois, dans un café du quartier, un habitant ou un agent partage en une heure un savoir numérique "
               "concret ; vingt rendez-vous depuis le lancement.",
               "\n\n## Après deux saisons\n\nLes participants proposent désormais eux-mêmes des sujets, et trois d'entre eux sont "
               "devenus intervenants."});
  s.push_back({"formation-elus", "besancon", true,
               {"Formation des élus au numérique",
                "Un parcours de quatre demi-journées pour que les élus comprennent les enjeux du numérique local : inclusion, "
                "données publiques, sobriété, cybersécurité, et sachent les porter en conseil.",
                "## Les quatre modules\n\n"
                "1. **Inclusion numérique** : qui est éloigné du numérique dans la commune, et pourquoi.\n"
                "2. **Données et transparence** : ouvrir les données, protéger les données personnelles.\n"
                "3. **Sobriété et achats** : matériel reconditionné, durée de vie, clauses dans les marchés.\n"
                "4. **Cybersécurité** : les bons réflexes de l'élu et de la mairie.\n\n"
                "## Méthode\n\n"
                "Des cas tirés de la commune, des échanges entre élus de communes voisines, un mémo d'une page par module.",
                {"25056"},
                {"gouvernances-partagees", "donnees", "sobriete-numerique", "risques-cyber-et-protection"},
                {"ressource-pedagogique", "boite-a-outils"},
                {"adultes"},
                {"acteurs-publics"},
                "Intervenants internes ; environ 800 € de frais par session",
                "800",
                {"Centre de gestion de la fonction publique territoriale", "Association des maires du Doubs"},
                {"Direction du numérique", "formation.elus@demo.passerelle.localhost", "03 53 01 44 55"},
                {{"https://www.cnfpt.fr", "CNFPT"}},
                "cc-by-sa-4.0"}});
  s.push_back({"hashtag-veille", "besancon", true,
               {"#VeilleNumInterco : un hashtag de veille partagé entre communes",
                "Les agents de plusieurs communes signalent sous un même mot-dièse les ressources utiles qu'ils trouvent ; une "
                "synthèse mensuelle est publiée pour tous.",
                "## Comment ça marche\n\n"
                "Chaque agent qui trouve une ressource utile (guide, appel à projets, outil libre) la partage sur le réseau "
                "social professionnel de son choix avec le mot-dièse **#VeilleNumInterco**. Une fois par mois, une commune (à tour de "
                "rôle) rédige la synthèse et la publie.\n\n"
                "## Pourquoi ça tient\n\n"
                "- aucun outil nouveau à installer ;\n"
                "- la synthèse tourne entre les communes : la charge est partagée ;\n"
                "- les ressources sont classées selon les thématiques de Les Bases.",
                {"25056"},
                {"reseaux-sociaux-et-communication", "communs-numeriques", "gouvernances-partagees"},
                {"article", "methodologie"},
                {"tous-publics"},
                {"acteurs-publics", "autres-professionnels"},
                "Aucun coût, environ une demi-journée par mois pour la commune qui rédige la synthèse",
                "0",
                {"Communes du Grand Besançon volontaires"},
                {"Cellule veille", "veille@demo.passerelle.localhost", ""},
                {{"https://lesbases.anct.gouv.fr", "Les Bases du numérique d'intérêt général"}},
                ""}});
  s.push_back({"accueil-agents", "noumea", true,
               {"Former les agents d'accueil à l'accompagnement numérique",
                "Les agents d'accueil de la mairie et des mairies annexes suivent une formation courte pour aider les usagers dans "
                "leurs démarches en ligne, sans faire à leur place.",
                "## Objectif\n\n"
                "Que chaque guichet puisse répondre aux questions simples (créer un compte, retrouver un mot de passe, joindre un "
                "document) et orienter vers un médiateur pour le reste.\n\n"
                "## Contenu\n\n"
                "- la posture : faire *avec* l'usager, jamais à sa place ;\n"
                "- les démarches les plus fréquentes à Nouméa ;\n"
                "- les lieux de médiation numérique où orienter ;\n"
                "- la protection des données de l'usager au guichet.",
                {"98818"},
                {"aides-aux-demarches-administratives", "maitrise-des-outils-numeriques"},
                {"ressource-pedagogique"},
                {"adultes", "personnes-tres-eloignees-du-numerique"},
                {"acteurs-publics", "aidants-et-mediateurs-numeriques"},
                "Formation interne, 2 jours par agent",
                "",
                {"Service des ressources humaines de la ville", "Lieux de médiation numérique de Nouméa"},
                {"Direction de la modernisation", "modernisation@demo.passerelle.localhost", ""},
                {{"https://www.noumea.nc", "Ville de Nouméa"}},
                ""}});
  s.push_back({"ateliers-chaudron", "saint-denis-reunion", true,
               {"Ateliers de découverte du numérique dans les quartiers du Chaudron et du Moufia",
                "Des ateliers en pied d'immeuble, en créole et en français, pour découvrir le smartphone et les services en ligne "
                "utiles au quotidien.",
                "## Aller vers les habitants\n\n"
                "Les ateliers ont lieu au pied des immeubles, sous un barnum, le mercredi après-midi et le samedi matin. Les "
                "animateurs parlent créole et français.\n\n"
                "## Programme type\n\n"
                "- prendre en main son smartphone ;\n"
                "- installer et utiliser les applications utiles (transports, santé, CAF) ;\n"
                "- envoyer un document photographié ;\n"
                "- repérer les arnaques par SMS.\n\n"
                "Les enfants viennent souvent avec leurs parents : un coin jeux et lecture est prévu.",
                {"97411"},
                {"maitrise-des-outils-numeriques", "aides-aux-demarches-administratives", "parentalite"},
                {"methodologie"},
                {"tous-publics", "parents", "personnes-tres-eloignees-du-numerique"},
                {"aidants-et-mediateurs-numeriques", "acteurs-prives-et-associatifs"},
                "Animation par deux médiateurs ; matériel prêté par la ville",
                "",
                {"Bailleurs sociaux", "Associations de quartier", "Conseillers numériques de la ville"},
                {"Maison du numérique", "maison.numerique@demo.passerelle.localhost", ""},
                {{"https://www.saintdenis.re", "Ville de Saint-Denis"}},
                ""}});
  // Never published: must not appear on any public page, API or search result.
  s.push_back({"brouillon-permanences", "saint-denis-reunion", false,
               {"Permanences numériques virtuelles dans les Hauts (brouillon)",
                "Projet en cours d'écriture : des permanences en visioconférence depuis les mairies annexes des Hauts de Saint-Denis.",
                "## À compléter\n\nCalendrier, équipement des mairies annexes, partenaires.",
                {"97411"},
                {"aides-aux-demarches-administratives"},
                {"methodologie"},
                {"seniors-personnes-agees"},
                {"acteurs-publics"},
                "",
                "",
                {},
                {"Maison du numérique", "maison.numerique@demo.passerelle.localhost", ""},
                {},
                ""}});
  return s;
}

struct DemoCollection {
  const char* territory;
  const char* name;
  const char* description;
  std::vector<const char*> keys;
};

const DemoCollection kCollections[] = {
    {"grand-angouleme", "Aller vers les habitants", "Les pratiques qui vont chercher les habitants là où ils sont.",
     {"ateliers-quartier", "permanences-rurales", "ateliers-chaudron"}},
    {"besancon", "Culture numérique pour tous", "Partager des savoirs numériques simples, entre habitants, agents et élus.",
     {"cafes-connaissance", "formation-elus", "hashtag-veille"}},
    {"noumea", "Accueil et accompagnement", "Pour former les équipes d'accueil et d'accompagnement.", {"accueil-agents", "formation-elus"}},
    {"saint-denis-reunion", "Quartiers et tiers-lieux", "Inspirations pour les quartiers prioritaires.", {"ateliers-chaudron", "tiers-lieux", "ateliers-quartier"}},
};

constexpr const char* kSeededSetting = "demo.practices_seeded";

}  // namespace

PracticesReport seed_practices(db::Database& db) {
  PracticesReport report;
  {
    auto conn = db.read();
    if (settings::get(*conn, kSeededSetting)) return report;
  }
  auto admin = accounts::find_user_id(db, "admin@demo.passerelle.localhost");
  if (!admin) return report;
  std::map<std::string, int64_t> territory_ids;
  for (const char* slug : {"grand-angouleme", "besancon", "noumea", "saint-denis-reunion"}) {
    auto t = territories::find(db, slug);
    if (!t) return report;  // the territories come first
    territory_ids[slug] = t->id;
  }
  // A demo inhabitant who comments (same demo password as the administrator).
  std::string commenter_email = "camille.habitante@demo.passerelle.localhost";
  auto commenter = accounts::find_user_id(db, commenter_email);
  if (!commenter) {
    auto id = accounts::create_confirmed(db, commenter_email, "Camille, habitante", "demo-passerelle-2026", false);
    if (id) commenter = *id;
  }

  std::map<std::string, int64_t> ids;
  for (const auto& sheet : sheets()) {
    Errors errors;
    auto p = practices::create(db, territory_ids.at(sheet.territory), sheet.input, *admin, errors);
    if (!p) throw std::runtime_error(std::string("fiche de démonstration invalide : ") + sheet.key + " (" + p.error().field + ")");
    ids[sheet.key] = p->id;
    ++report.practices_added;
    if (sheet.revised_summary) {
      Input revised = sheet.input;
      revised.summary = sheet.revised_summary;
      revised.body += sheet.revised_body_addition;
      (void)practices::update(db, p->id, revised, *admin, errors);
    }
    if (sheet.publish) (void)practices::publish(db, p->id, *admin);
  }

  // Nouméa was inspired by Besançon's training of elected officials, and adapted it.
  if (auto copy = practices::reuse(db, ids.at("formation-elus"), territory_ids.at("noumea"), *admin)) {
    Input adapted = Input::from(*copy);
    adapted.title = "Formation des élus au numérique, adaptée à Nouméa";
    adapted.communes = {"98818"};
    adapted.body += "\n\n## Adaptation locale\n\nUn cinquième module sur la couverture réseau et les usages dans les îles et en "
                    "brousse, avec des élus des communes voisines.";
    adapted.contact = {"Direction de la modernisation", "modernisation@demo.passerelle.localhost", ""};
    Errors errors;
    (void)practices::update(db, copy->id, adapted, *admin, errors);
    (void)practices::publish(db, copy->id, *admin);
    ids["formation-elus-noumea"] = copy->id;
    ++report.practices_added;
  }

  if (commenter) {
    (void)practices::add_comment(db, ids.at("cafes-connaissance"), *commenter,
                                 "Nous avons lancé la même chose à la médiathèque avec un thème par mois : le sujet « arnaques par SMS » "
                                 "a fait salle comble.");
    (void)practices::add_comment(db, ids.at("ateliers-quartier"), *commenter,
                                 "Le livret papier remis à la fin est une très bonne idée, ma mère s'en sert encore.");
  }

  for (const auto& c : kCollections) {
    auto made = practices::create_collection(db, territory_ids.at(c.territory), c.name, c.description, *admin);
    if (!made) continue;
    ++report.collections_added;
    for (const char* key : c.keys) (void)practices::add_to_collection(db, made->id, ids.at(key), *admin);
  }

  auto conn = db.write();
  settings::set(*conn, kSeededSetting, "1");
  return report;
}

}  // namespace passerelle::demo
