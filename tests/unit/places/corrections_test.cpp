// Corrections of a place: each proposed value checked against the Table Schema constraints of its
// field and the import's own checks (nothing kept on error); on SQLite and PostgreSQL, a pending
// correction changes nothing, an accepted one becomes the source "correction" of the place (the
// merge rules still decide, every source stays) and its history, with audit log entries.
#include "places/corrections.hpp"

#include <gtest/gtest.h>

#include "accounts/store.hpp"
#include "places/store.hpp"
#include "support/scratch_database.hpp"

using namespace passerelle;
using namespace passerelle::places;
using passerelle::testing::BackendTest;

namespace {

Place sample_place() {
  Place p;
  p.id = 1;
  Record& r = p.fields;
  r[Field::id] = "lieu-1";
  r[Field::pivot] = std::string(kPlaceholderPivot);
  r[Field::nom] = "Médiathèque d'essai";
  r[Field::commune] = "Besançon";
  r[Field::code_postal] = "25000";
  r[Field::code_insee] = "25056";
  r[Field::adresse] = "1 rue Battant";
  r[Field::latitude] = "47.2378";
  r[Field::longitude] = "6.0241";
  r[Field::date_maj] = "2023-01-01";
  r[Field::services] = "Aide aux démarches administratives";
  return p;
}

Proposal proposal(std::initializer_list<std::pair<const char*, const char*>> values, const char* comment = "Vu sur place") {
  Proposal p;
  for (auto [k, v] : values) p.values[k] = v;
  p.comment = comment;
  return p;
}

const Error* error_on(const Errors& errors, std::string_view field) {
  for (const auto& e : errors)
    if (e.field == field) return &e;
  return nullptr;
}

TEST(PlacesCorrectionCheck, KeepsOnlyTheChangedFields) {
  Errors errors;
  auto changes = check_proposal(sample_place(), proposal({{"nom", "Médiathèque d'essai"}, {"telephone", "+33381000000"}, {"commune", "  Besançon "}}), errors);
  ASSERT_TRUE(errors.empty());
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].field, Field::telephone);
  EXPECT_EQ(changes[0].before, "");
  EXPECT_EQ(changes[0].after, "+33381000000");
}

TEST(PlacesCorrectionCheck, EachValueAgainstItsSchemaConstraints) {
  Errors errors;
  auto changes = check_proposal(sample_place(),
                                proposal({{"code_postal", "2500"}, {"services", "Aide aux démarches administratives|Cuisine"},
                                          {"telephone", "0381000000"}, {"presentation_resume", std::string(300, 'a').c_str()}, {"nom", "Nouveau nom"}}),
                                errors);
  EXPECT_TRUE(changes.empty());  // nothing kept when one value is wrong
  ASSERT_TRUE(error_on(errors, "code_postal"));
  EXPECT_EQ(error_on(errors, "code_postal")->message_key, "places.reason.pattern");
  EXPECT_EQ(error_on(errors, "code_postal")->args.at(0).second, "^\\d{5}$");
  ASSERT_TRUE(error_on(errors, "services"));
  EXPECT_EQ(error_on(errors, "services")->message_key, "places.reason.pattern");
  ASSERT_TRUE(error_on(errors, "telephone"));
  ASSERT_TRUE(error_on(errors, "presentation_resume"));
  EXPECT_EQ(error_on(errors, "presentation_resume")->message_key, "places.reason.max_length");
  EXPECT_FALSE(error_on(errors, "nom"));
}

TEST(PlacesCorrectionCheck, TheImportChecksToo) {
  Errors errors;
  (void)check_proposal(sample_place(), proposal({{"code_insee", "25999"}, {"horaires", "Mo 25:00-26:00 lundi"}}), errors);
  ASSERT_TRUE(error_on(errors, "code_insee"));
  EXPECT_EQ(error_on(errors, "code_insee")->message_key, "places.reason.unknown_commune");
  ASSERT_TRUE(error_on(errors, "horaires"));
  EXPECT_EQ(error_on(errors, "horaires")->message_key.rfind("places.hours.error.", 0), 0u);

  errors.clear();
  auto repaired = check_proposal(sample_place(), proposal({{"horaires", "du lundi au vendredi de 9h à 12h"}}), errors);
  ASSERT_TRUE(errors.empty()) << errors[0].message_key;
  ASSERT_EQ(repaired.size(), 1u);
  EXPECT_EQ(repaired[0].after, "Mo-Fr 09:00-12:00");
}

TEST(PlacesCorrectionCheck, CoordinatesGoTogetherAndStayInFrance) {
  Errors errors;
  auto changes = check_proposal(sample_place(), proposal({{"latitude", "47.25"}}), errors);
  ASSERT_TRUE(errors.empty());
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].field, Field::longitude);
  EXPECT_EQ(changes[1].after, "6.0241");

  errors.clear();
  (void)check_proposal(sample_place(), proposal({{"latitude", "52.52"}, {"longitude", "13.40"}}), errors);  // Berlin
  ASSERT_TRUE(error_on(errors, "latitude"));
  EXPECT_EQ(error_on(errors, "latitude")->message_key, "places.reason.outside_france");
}

TEST(PlacesCorrectionCheck, CommentRequiredNoEmptyingNoEmptyProposal) {
  Errors errors;
  (void)check_proposal(sample_place(), proposal({{"nom", ""}}, "  "), errors);
  ASSERT_TRUE(error_on(errors, "nom"));
  EXPECT_EQ(error_on(errors, "nom")->message_key, "places_pages.correction.empty_value");
  ASSERT_TRUE(error_on(errors, "commentaire"));
  errors.clear();
  (void)check_proposal(sample_place(), proposal({{"nom", "Médiathèque d'essai"}}), errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message_key, "places_pages.correction.no_change");
  errors.clear();
  (void)check_proposal(sample_place(), proposal({{"id", "autre"}, {"date_maj", "2030-01-01"}}), errors);
  ASSERT_EQ(errors.size(), 1u);  // id and date_maj are not correctable: nothing changed
  EXPECT_EQ(errors[0].message_key, "places_pages.correction.no_change");
}

class PlacesCorrectionsTest : public BackendTest {
 protected:
  int64_t place() {
    Source s{unique("src"), "c1", "2023-05-01", "test.csv", sample_place().fields};
    s.record[Field::source] = s.name;
    s.record[Field::adresse] = unique("rue");  // one place per test: no merge with another test's
    s.record[Field::latitude] = s.record[Field::longitude] = "";
    return db().transaction([&](db::Connection& conn) { return save(conn, s, 1700000000).place_id; });
  }
  int64_t moderator() {
    auto id = accounts::create_confirmed(db(), unique("moderatrice") + "@example.org", "Modératrice", "une phrase de passe assez longue", true);
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : 0;
  }
  int64_t count(const std::string& sql) {
    auto conn = db().read();
    auto rows = conn->query(sql);
    return rows[0].int64(0);
  }
};

TEST_P(PlacesCorrectionsTest, BadProposalSavesNothing) {
  int64_t id = place();
  int64_t before = count("SELECT COUNT(*) FROM place_corrections");
  Errors errors;
  auto r = propose(db(), id, proposal({{"code_postal", "2500"}}), errors, 1700000100);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "code_postal");
  EXPECT_EQ(count("SELECT COUNT(*) FROM place_corrections"), before);
}

TEST_P(PlacesCorrectionsTest, AcceptedCorrectionIsASourceAndHistory) {
  int64_t id = place();
  Errors errors;
  auto c = propose(db(), id, proposal({{"telephone", "+33381000000"}, {"nom", "Médiathèque Battant"}}), errors, 1700000100);
  ASSERT_TRUE(c.ok()) << (errors.empty() ? "" : errors[0].message_key);
  // Pending: the place is unchanged and has no history.
  EXPECT_EQ(find(db(), id)->fields[Field::nom], "Médiathèque d'essai");
  EXPECT_TRUE(history(db(), id).empty());
  ASSERT_EQ(pending_corrections(db()).back().id, *c);

  int64_t mod = moderator();
  ASSERT_TRUE(decide(db(), *c, true, "Vérifié par téléphone", mod, std::nullopt, 1700000200).ok());
  auto p = find(db(), id);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->fields[Field::nom], "Médiathèque Battant");
  EXPECT_EQ(p->fields[Field::telephone], "+33381000000");
  EXPECT_EQ(p->fields[Field::commune], "Besançon");  // from the first source: nothing is lost
  ASSERT_EQ(p->sources.size(), 2u);
  EXPECT_EQ(p->sources[1].name, kCorrectionSource);
  EXPECT_EQ(p->sources[1].source_id, std::to_string(*c));
  EXPECT_EQ(p->sources[1].record[Field::nom], "Médiathèque Battant");
  EXPECT_EQ(p->sources[1].date_maj, p->fields[Field::date_maj]);

  auto h = history(db(), id);
  ASSERT_EQ(h.size(), 1u);
  ASSERT_EQ(h[0].changes.size(), 2u);
  EXPECT_EQ(h[0].changes[0].field, Field::nom);
  EXPECT_EQ(h[0].changes[0].before, "Médiathèque d'essai");
  EXPECT_EQ(h[0].changes[0].after, "Médiathèque Battant");
  EXPECT_EQ(h[0].decision_reason, "Vérifié par téléphone");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'places.correction.accepted' AND target = 'place_correction:" + std::to_string(*c) + "'"), 1);

  // Decided once only.
  auto again = decide(db(), *c, false, "", mod, std::nullopt, 1700000300);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(find(db(), id)->fields[Field::nom], "Médiathèque Battant");
}

TEST_P(PlacesCorrectionsTest, RejectedCorrectionChangesNothing) {
  int64_t id = place();
  Errors errors;
  auto c = propose(db(), id, proposal({{"nom", "Nom farfelu"}}), errors, 1700000100);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(decide(db(), *c, false, "Pas de source", moderator(), std::nullopt, 1700000200).ok());
  auto p = find(db(), id);
  EXPECT_EQ(p->fields[Field::nom], "Médiathèque d'essai");
  EXPECT_EQ(p->sources.size(), 1u);
  EXPECT_TRUE(history(db(), id).empty());
  EXPECT_EQ(find_correction(db(), *c)->status, CorrectionStatus::rejected);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'places.correction.rejected' AND target = 'place_correction:" + std::to_string(*c) + "'"), 1);
}

INSTANTIATE_BACKENDS(PlacesCorrectionsTest);

}  // namespace
