#include "demo/consultations.hpp"

#include <nlohmann/json.hpp>

#include "accounts/store.hpp"
#include "consultations/restitution_store.hpp"
#include "consultations/store.hpp"
#include "platform/clock.hpp"
#include "platform/core/resources.hpp"
#include "platform/core/strings.hpp"
#include "territories/store.hpp"

namespace passerelle::demo {

namespace {

constexpr int64_t kDay = 86400;
constexpr const char* kTitle = "Schéma territorial des usages numériques";
const std::vector<std::string> kSections = {"Services publics et démarches en ligne", "Démocratie et participation", "Fiscalité et dépenses publiques"};

// The section of a Grand Débat answer, from its question.
std::string section_of(const std::string& question) {
  std::string q = str::lower_ascii(question);
  if (q.find("impôt") != std::string::npos || q.find("dépense") != std::string::npos || q.find("fiscal") != std::string::npos ||
      q.find("politique") != std::string::npos)
    return kSections[2];
  if (q.find("service") != std::string::npos || q.find("administration") != std::string::npos) return kSections[0];
  return kSections[1];
}

int64_t user(db::Database& db, const std::string& email, const std::string& name) {
  if (auto id = accounts::find_user_id(db, email)) return *id;
  // Demo citizens sign in with the demo password too (printed by `passerelle demo`).
  auto id = accounts::create_confirmed(db, email, name, "demo-passerelle-2026", false);
  return id ? *id : 0;
}

}  // namespace

void seed_consultations(db::Database& db) {
  auto t = territories::find(db, "besancon");
  if (!t) return;
  {
    auto conn = db.read();
    if (!conn->query("SELECT 1 FROM processes WHERE territory_id = ? AND title = ?", {t->id, kTitle}).empty()) return;
  }
  auto admin = accounts::find_user_id(db, "admin@demo.passerelle.localhost");
  if (!admin) return;
  (void)accounts::grant_role(db, *admin, t->id, web::Role::administrateur, std::nullopt);
  int64_t mediator = user(db, "mediatrice@demo.passerelle.localhost", "Médiatrice numérique (démo)");
  (void)accounts::grant_role(db, mediator, t->id, web::Role::mediateur, std::nullopt);
  std::vector<int64_t> citizens = {user(db, "camille@demo.passerelle.localhost", "Camille"), user(db, "yanis@demo.passerelle.localhost", "Yanis"),
                                   user(db, "lucie@demo.passerelle.localhost", "Lucie")};

  int64_t now = unix_now();
  consultations::ProcessInput in;
  in.title = kTitle;
  in.summary = "Comment la ville et ses partenaires accompagnent-ils chacun dans sa vie numérique : démarches en ligne, lieux de médiation, participation ?";
  in.body =
      "La ville de Besançon prépare son **schéma territorial des usages numériques**. Donnez votre avis, argumentez, votez : "
      "la synthèse sera publiée à la fin de la consultation.\n\n"
      "Sans ordinateur ou sans compte, les médiatrices et médiateurs numériques des maisons de quartier peuvent participer avec vous, "
      "ou vous pouvez remplir un formulaire papier.\n\n"
      "*Les contributions de démonstration sont des réponses réelles au Grand Débat National de 2019 "
      "(données ouvertes, Licence Ouverte 2.0), sans le nom de leurs auteurs.*";
  in.themes = {"citoyennete-et-engagement", "acces-aux-droits"};
  in.sections = kSections;
  in.phases = {{"information", now - 30 * kDay, now - 14 * kDay, std::nullopt},
               {"contribution", now - 14 * kDay, now + 46 * kDay, std::nullopt},
               {"vote", now - 7 * kDay, now + 60 * kDay, std::nullopt},
               {"restitution", now + 60 * kDay, now + 90 * kDay, std::nullopt}};
  Errors errors;
  auto p = consultations::create_process(db, t->id, in, *admin, errors);
  if (!p || !consultations::publish_process(db, p->id, *admin)) return;

  auto paper_person = consultations::register_participant(db, t->id, "Mme Girardot", "25056", true, true, mediator);
  auto helped_person = consultations::register_participant(db, t->id, "Habitant de Planoise", "25056", true, false, mediator);
  std::vector<int64_t> ids;
  auto data = resources::find("data/consultations/grand-debat-numerique.jsonl");
  size_t n = 0;
  for (auto line : str::split(data.value_or(""), '\n')) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) continue;
    consultations::Actor actor;
    if (n % 7 == 3 && paper_person) {
      actor.participant_id = paper_person->id, actor.entered_by = mediator, actor.consent = true, actor.channel = consultations::Channel::paper;
      actor.paper_ref = "P" + std::to_string(p->id) + "-" + std::to_string(100 + n);
    } else if (n % 7 == 5 && helped_person) {
      actor.participant_id = helped_person->id, actor.entered_by = mediator, actor.consent = true, actor.channel = consultations::Channel::mediator;
    } else {
      actor.user_id = citizens[n % citizens.size()];
    }
    std::string title = j.value("title", "");
    if (title.size() > consultations::kMaxTitle) title.resize(consultations::kMaxTitle);
    auto c = consultations::contribute(db, p->id, {title, j.value("text", ""), section_of(j.value("question", ""))}, actor, now - (14 - static_cast<int64_t>(n % 14)) * kDay);
    if (c) ids.push_back(c->id);
    ++n;
  }
  if (ids.size() < 4) return;
  auto as = [](int64_t id) {
    consultations::Actor a;
    a.user_id = id;
    return a;
  };
  using consultations::VoteValue;
  for (size_t i = 0; i < ids.size(); ++i)
    for (size_t k = 0; k < citizens.size(); ++k)
      if ((i + k) % 3 != 0) (void)consultations::vote(db, "contribution", ids[i], (i + k) % 4 == 0 ? VoteValue::disagree : (i + k) % 5 == 0 ? VoteValue::mixed : VoteValue::agree, as(citizens[k]), now);
  (void)consultations::argue(db, ids[2], consultations::Side::for_, "Un portail unique éviterait de chercher à qui s'adresser pour chaque démarche.", as(citizens[0]), now);
  (void)consultations::argue(db, ids[2], consultations::Side::against, "Un portail ne remplace pas un accueil physique pour les personnes éloignées du numérique.", as(citizens[1]), now);
  (void)consultations::argue(db, ids[0], consultations::Side::for_, "Les budgets participatifs fonctionnent déjà dans plusieurs quartiers.", as(citizens[2]), now);
  auto first = consultations::comment(db, ids[2], std::nullopt, "Et pour les démarches de la CAF, qui accompagne ?", citizens[2], now);
  if (first) (void)consultations::comment(db, ids[2], first->id, "Les France Services du territoire, sur rendez-vous.", mediator, now);
  (void)consultations::add_source(db, ids[2], "Baromètre du numérique 2024", "https://www.arcep.fr/cartes-et-donnees/nos-publications-chiffrees/barometre-du-numerique.html", "etude", citizens[0], now);
  (void)consultations::answer(db, ids[0], consultations::Answer::retenue, "La ville retient l'idée : un budget participatif numérique sera proposé en 2027.", *admin, now);
  (void)consultations::answer(db, ids[2], consultations::Answer::etude, "Le service des usages numériques étudie un portail commun avec la communauté urbaine.", *admin, now);
  // The demo's restitution, computed now (a few milliseconds for these contributions), so that
  // /consultations/{id}/restitution and /controverses have something to show.
  (void)consultations::compute_restitution(db, p->id, now);
}

}  // namespace passerelle::demo
