// Practice sheets in the database, the same code on SQLite and PostgreSQL: versions, publication,
// visibility, reuse, comments, collections, imports, and the search change log.
#include "practices/store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "platform/clock.hpp"
#include "practices/source.hpp"
#include "support/scratch_database.hpp"

namespace db = passerelle::db;
using namespace passerelle::practices;
using passerelle::ErrorKind;
using passerelle::Errors;
using passerelle::unix_now;
using passerelle::testing::BackendTest;
using namespace std::string_literals;

namespace {

class PracticesStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    territory_a = make_territory("a");
    territory_b = make_territory("b");
    territory_c = make_territory("c");
    editor = make_user("Agente du territoire A");
    author = make_user("Auteur");
    citizen = make_user("Citoyenne");
    editor_view.user_id = editor;
    editor_view.editor_territories = {territory_a};
    author_view.user_id = author;
    citizen_view.user_id = citizen;
  }
  int64_t make_territory(const std::string& prefix) {
    return db().write()->query("INSERT INTO territories (slug, name, kind, created_at) VALUES (?, ?, 'commune', ?) RETURNING id",
                               {unique("t" + prefix), "Territoire " + prefix, unix_now()})[0]
        .int64(0);
  }
  int64_t make_user(const std::string& name) {
    return db().write()->query("INSERT INTO users (email, display_name, profile_type, created_at) VALUES (?, ?, 'citoyen', ?) RETURNING id",
                               {unique("u") + "@demo.passerelle.localhost", name, unix_now()})[0]
        .int64(0);
  }
  int64_t count(const std::string& sql, const db::Params& params = {}) { return db().read()->query(sql, params)[0].int64(0); }
  int64_t changes(int64_t id) { return count("SELECT COUNT(*) FROM search_changes WHERE kind = 'practice' AND ref_id = ?", {id}); }

  static Input input(const std::string& title = "Cafés de la connaissance") {
    Input in;
    in.title = title;
    in.summary = "Des rencontres mensuelles autour d'un savoir partagé.";
    in.body = "## Principe\n\nUn habitant partage un savoir **numérique**.";
    in.communes = {"16015"};
    in.themes = {"citoyennete-et-engagement"};
    in.publics = {"tous-publics", "seniors-personnes-agees"};
    in.partners = {"Médiathèque", "Centre social"};
    in.contact = {"Camille", "camille@demo.passerelle.localhost", "05 45 00 00 00"};
    in.links = {{"https://exemple.fr/cafes", "Programme"}};
    return in;
  }
  Practice create_published(int64_t territory, const std::string& title = "Cafés de la connaissance") {
    Errors errors;
    auto p = create(db(), territory, input(title), editor, errors);
    EXPECT_TRUE(p);
    EXPECT_TRUE(publish(db(), p->id, editor));
    return *find(db(), p->id);
  }

  int64_t territory_a = 0, territory_b = 0, territory_c = 0, editor = 0, author = 0, citizen = 0;
  Viewer editor_view, author_view, citizen_view, anonymous;
};

TEST_P(PracticesStoreTest, CreateStoresEverythingAsADraftAndLogsTheChange) {
  Errors errors;
  auto p = create(db(), territory_a, input(), author, errors);
  ASSERT_TRUE(p) << p.error().message_key;
  EXPECT_EQ(p->status, Status::draft);
  EXPECT_EQ(p->version, 1);
  EXPECT_EQ(p->author_id, author);
  EXPECT_EQ(p->publics, (std::vector<std::string>{"tous-publics", "seniors-personnes-agees"}));
  EXPECT_EQ(p->partners, (std::vector<std::string>{"Médiathèque", "Centre social"}));
  ASSERT_EQ(p->links.size(), 1u);
  EXPECT_EQ(p->links[0].title, "Programme");
  EXPECT_EQ(p->contact.email, "camille@demo.passerelle.localhost");
  EXPECT_EQ(p->licence, "etalab-2.0");
  EXPECT_GE(changes(p->id), 1);
  EXPECT_EQ(versions(db(), p->id).size(), 1u);
}

TEST_P(PracticesStoreTest, InvalidInputChangesNothing) {
  int64_t before = count("SELECT COUNT(*) FROM practices");
  Input bad = input();
  bad.contact.email = "pas une adresse";
  Errors errors;
  auto p = create(db(), territory_a, bad, author, errors);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().field, "contact_email");
  EXPECT_EQ(count("SELECT COUNT(*) FROM practices"), before);

  auto ok = create(db(), territory_a, input(), author, errors = {});
  ASSERT_TRUE(ok);
  int64_t logged = changes(ok->id);
  bad = input("Nouveau titre");
  bad.links = {{"javascript:alert(1)", "x"}};
  auto u = update(db(), ok->id, bad, author, errors);
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().field, "links[0].url");
  EXPECT_EQ(find(db(), ok->id)->title, "Cafés de la connaissance");
  EXPECT_EQ(versions(db(), ok->id).size(), 1u);
  EXPECT_EQ(changes(ok->id), logged);
}

TEST_P(PracticesStoreTest, EachSaveIsAVersionWithItsAuthorAndADiff) {
  Errors errors;
  auto p = create(db(), territory_a, input(), author, errors);
  ASSERT_TRUE(p);
  Input second = input();
  second.summary = "Des rencontres chaque mois.";
  auto u = update(db(), p->id, second, editor, errors);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->version, 2);
  EXPECT_EQ(u->summary, "Des rencontres chaque mois.");
  auto list = versions(db(), p->id);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].number, 2);
  EXPECT_EQ(list[0].author_id, editor);
  EXPECT_EQ(list[0].author_name, "Agente du territoire A");
  EXPECT_EQ(list[1].author_id, author);
  EXPECT_EQ(list[1].content.summary, "Des rencontres mensuelles autour d'un savoir partagé.");
  auto d = diff(db(), p->id, 1, 2);
  ASSERT_TRUE(d);
  std::vector<std::string> removed, added;
  for (const auto& l : *d) {
    if (l.op == DiffLine::Op::removed) removed.push_back(l.text);
    if (l.op == DiffLine::Op::added) added.push_back(l.text);
  }
  EXPECT_EQ(removed, (std::vector<std::string>{"Résumé : Des rencontres mensuelles autour d'un savoir partagé."}));
  EXPECT_EQ(added, (std::vector<std::string>{"Résumé : Des rencontres chaque mois."}));
  EXPECT_EQ(diff(db(), p->id, 1, 9).error().kind, ErrorKind::not_found);
}

TEST_P(PracticesStoreTest, DraftsAreSeenOnlyByEditorsAndAuthorUntilPublished) {
  Errors errors;
  auto p = create(db(), territory_a, input(), author, errors);
  ASSERT_TRUE(p);
  EXPECT_FALSE(get(db(), p->id, anonymous));
  EXPECT_FALSE(get(db(), p->id, citizen_view));
  Viewer editor_elsewhere{citizen, false, {territory_b}};
  EXPECT_FALSE(get(db(), p->id, editor_elsewhere));
  EXPECT_TRUE(get(db(), p->id, editor_view));
  EXPECT_TRUE(get(db(), p->id, author_view));
  EXPECT_TRUE(get(db(), p->id, Viewer{std::nullopt, true, {}}));  // platform administrator
  EXPECT_EQ(list_published(db(), {}).total, 0);
  EXPECT_EQ(list_any(db(), Filter{.territory_id = territory_a}).total, 1);

  ASSERT_TRUE(publish(db(), p->id, editor));
  auto seen = get(db(), p->id, anonymous);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->status, Status::published);
  EXPECT_TRUE(seen->published_at);
  EXPECT_EQ(list_published(db(), {}).total, 1);

  ASSERT_TRUE(unpublish(db(), p->id, editor));
  EXPECT_FALSE(get(db(), p->id, anonymous));
  ASSERT_TRUE(trash(db(), p->id, editor));
  EXPECT_EQ(list_any(db(), Filter{.territory_id = territory_a}).total, 0);  // the trash is not listed by default
  EXPECT_EQ(update(db(), p->id, input(), editor, errors).error().message_key, "practices.trashed");
  EXPECT_EQ(publish(db(), p->id, editor).error().kind, ErrorKind::conflict);
  ASSERT_TRUE(restore(db(), p->id, editor));
  EXPECT_EQ(find(db(), p->id)->status, Status::draft);
  EXPECT_EQ(publish(db(), 987654321, editor).error().kind, ErrorKind::not_found);
}

TEST_P(PracticesStoreTest, SearchSourceFindsOnlyPublishedSheets) {
  SearchSource source;
  Errors errors;
  auto p = create(db(), territory_a, input(), author, errors);
  ASSERT_TRUE(p);
  auto conn = db().read();
  EXPECT_FALSE(source.load(*conn, p->id));
  int64_t logged = changes(p->id);
  ASSERT_TRUE(publish(db(), p->id, editor));
  EXPECT_GT(changes(p->id), logged);
  auto doc = source.load(*conn, p->id);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->kind, "practice");
  EXPECT_EQ(doc->url, "/pratiques/" + std::to_string(p->id));
  EXPECT_EQ(doc->body.find("**"), std::string::npos);
  EXPECT_NE(doc->body.find("numérique"), std::string::npos);
  bool theme = false, departement = false;
  for (const auto& f : doc->facets) {
    theme |= f.field == "theme" && f.value == "Citoyenneté et engagement";
    departement |= f.field == "departement" && f.value == "16";
  }
  EXPECT_TRUE(theme);
  EXPECT_TRUE(departement);
  std::vector<int64_t> emitted;
  source.each_public(*conn, [&](passerelle::search::Document&& d) { emitted.push_back(d.id); });
  EXPECT_EQ(emitted, (std::vector<int64_t>{p->id}));
  logged = changes(p->id);
  ASSERT_TRUE(trash(db(), p->id, editor));
  EXPECT_GT(changes(p->id), logged);
  EXPECT_FALSE(source.load(*conn, p->id));
}

TEST_P(PracticesStoreTest, FiltersCombineTaxonomiesAndPaginate) {
  auto a = create_published(territory_a, "Ateliers");
  Input other = input("Permanences");
  other.themes = {"aides-aux-demarches-administratives"};
  other.sectors = {"acteurs-publics"};
  Errors errors;
  auto b = create(db(), territory_b, other, editor, errors);
  ASSERT_TRUE(b);
  ASSERT_TRUE(publish(db(), b->id, editor));
  Filter f;
  f.themes = {"citoyennete-et-engagement", "aides-aux-demarches-administratives"};
  EXPECT_EQ(list_published(db(), f).total, 2);
  f.sectors = {"acteurs-publics"};
  auto page = list_published(db(), f);
  ASSERT_EQ(page.total, 1);
  EXPECT_EQ(page.items[0].id, b->id);
  EXPECT_EQ(page.items[0].sectors, (std::vector<std::string>{"acteurs-publics"}));
  Filter by_territory{.territory_id = territory_a};
  EXPECT_EQ(list_published(db(), by_territory).items.at(0).id, a.id);
  Filter paged{.order = Filter::Order::title, .offset = 1, .limit = 1};
  auto second = list_published(db(), paged);
  EXPECT_EQ(second.total, 2);
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].title, "Permanences");
}

TEST_P(PracticesStoreTest, ReuseCopiesWithCreditAndCountsOncePerTerritory) {
  auto origin = create_published(territory_a);
  auto copy = reuse(db(), origin.id, territory_b, editor);
  ASSERT_TRUE(copy) << copy.error().message_key;
  EXPECT_EQ(copy->territory_id, territory_b);
  EXPECT_EQ(copy->status, Status::draft);
  EXPECT_EQ(copy->title, origin.title);
  EXPECT_EQ(copy->publics, origin.publics);
  ASSERT_TRUE(copy->provenance);
  EXPECT_EQ(copy->provenance->origin_practice_id, origin.id);
  EXPECT_EQ(copy->provenance->territory_name, "Territoire a");
  EXPECT_NE(copy->provenance->credit.find("Territoire a"), std::string::npos);
  EXPECT_FALSE(copy->provenance->locally_modified);
  EXPECT_EQ(find(db(), origin.id)->reuse_count, 1);

  auto again = reuse(db(), origin.id, territory_b, editor);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message_key, "practices.already_reused");
  EXPECT_EQ(find(db(), origin.id)->reuse_count, 1);
  EXPECT_EQ(reuse(db(), origin.id, territory_a, editor).error().message_key, "practices.reuse_own");

  auto published_copy = reuse(db(), origin.id, territory_c, editor, true);
  ASSERT_TRUE(published_copy);
  EXPECT_EQ(published_copy->status, Status::published);
  EXPECT_EQ(find(db(), origin.id)->reuse_count, 2);
  EXPECT_EQ(reuses(db(), origin.id).size(), 2u);

  Errors errors;
  auto edited = update(db(), copy->id, input("Nos cafés"), editor, errors);
  ASSERT_TRUE(edited);
  EXPECT_TRUE(edited->provenance->locally_modified);
}

TEST_P(PracticesStoreTest, ReuseIsTransactional) {
  auto origin = create_published(territory_a);
  int64_t practices_before = count("SELECT COUNT(*) FROM practices");
  // A reuse row written behind the store's back makes the insert fail after the copy was made:
  // the copy must not survive and the counter must not move.
  db().write()->exec("INSERT INTO practice_reuses (practice_id, territory_id, created_at) VALUES (?, ?, ?)", {origin.id, territory_b, unix_now()});
  EXPECT_EQ(reuse(db(), origin.id, territory_b, editor).error().message_key, "practices.already_reused");
  db().write()->exec("DELETE FROM practice_reuses WHERE practice_id = ?", {origin.id});
  // A trigger makes the reuse row fail after the copy was inserted.
  if (postgres())
    db().write()->exec_script(
        "CREATE FUNCTION practice_reuses_trap() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'piege'; END $$ LANGUAGE plpgsql;"
        "CREATE TRIGGER practice_reuses_trap BEFORE INSERT ON practice_reuses FOR EACH ROW EXECUTE FUNCTION practice_reuses_trap();");
  else
    db().write()->exec("CREATE TRIGGER practice_reuses_trap BEFORE INSERT ON practice_reuses BEGIN SELECT RAISE(ABORT, 'piege'); END");
  bool failed = false;
  try {
    failed = !reuse(db(), origin.id, territory_b, editor);
  } catch (const db::DbError&) {
    failed = true;
  }
  EXPECT_TRUE(failed);
  EXPECT_EQ(count("SELECT COUNT(*) FROM practices"), practices_before);
  EXPECT_EQ(find(db(), origin.id)->reuse_count, 0);
  if (postgres()) {
    db().write()->exec("DROP TRIGGER practice_reuses_trap ON practice_reuses");
    db().write()->exec("DROP FUNCTION practice_reuses_trap()");
  } else {
    db().write()->exec("DROP TRIGGER practice_reuses_trap");
  }
}

TEST_P(PracticesStoreTest, ConcurrentReusesCountOnce) {
  auto origin = create_published(territory_a);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      try {
        auto pool = scratch().open();
        if (reuse(*pool, origin.id, territory_b, editor)) ++ok;
      } catch (const db::DbError&) {  // SQLite may refuse a second writer outright (busy): a failure, not a double count
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_LE(ok.load(), 1);
  if (ok.load() == 0) {
    ASSERT_TRUE(reuse(db(), origin.id, territory_b, editor));
  }
  EXPECT_EQ(find(db(), origin.id)->reuse_count, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM practices WHERE origin_practice_id = ?", {origin.id}), 1);
}

TEST_P(PracticesStoreTest, CommentsOnPublishedSheetsCanBeHidden) {
  Errors errors;
  auto draft = create(db(), territory_a, input(), author, errors);
  ASSERT_TRUE(draft);
  EXPECT_EQ(add_comment(db(), draft->id, citizen, "Bravo").error().kind, ErrorKind::not_found);
  auto p = create_published(territory_a);
  EXPECT_EQ(add_comment(db(), p.id, citizen, "   ").error().field, "comment");
  auto c = add_comment(db(), p.id, citizen, "  Nous l'avons testé à Nouméa.  ");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->body, "Nous l'avons testé à Nouméa.");
  EXPECT_EQ(c->author_name, "Citoyenne");
  ASSERT_TRUE(add_comment(db(), p.id, author, "Merci !"));
  EXPECT_EQ(comments(db(), p.id, false).size(), 2u);
  ASSERT_TRUE(hide_comment(db(), c->id, editor));
  auto visible = comments(db(), p.id, false);
  ASSERT_EQ(visible.size(), 1u);
  EXPECT_EQ(visible[0].body, "Merci !");
  EXPECT_EQ(comments(db(), p.id, true).size(), 2u);
  EXPECT_EQ(find_comment(db(), c->id)->status, CommentStatus::hidden);
  ASSERT_TRUE(show_comment(db(), c->id, editor));
  EXPECT_EQ(comments(db(), p.id, false).size(), 2u);
  EXPECT_EQ(hide_comment(db(), 987654321, editor).error().kind, ErrorKind::not_found);
}

TEST_P(PracticesStoreTest, CollectionsKeepTheirOrder) {
  auto one = create_published(territory_a, "Un");
  auto two = create_published(territory_b, "Deux");
  auto three = create_published(territory_a, "Trois");
  Errors errors;
  auto draft = create(db(), territory_a, input("Brouillon"), author, errors);
  EXPECT_EQ(create_collection(db(), territory_a, "  ", "", editor).error().field, "name");
  auto c = create_collection(db(), territory_a, "Inclusion numérique", "Nos fiches préférées", editor);
  ASSERT_TRUE(c);
  EXPECT_EQ(create_collection(db(), territory_a, "Inclusion numérique", "", editor).error().kind, ErrorKind::conflict);
  ASSERT_TRUE(create_collection(db(), territory_b, "Inclusion numérique", "", editor));  // another territory may
  ASSERT_TRUE(add_to_collection(db(), c->id, one.id, editor));
  ASSERT_TRUE(add_to_collection(db(), c->id, two.id, editor));  // a sheet of another territory
  ASSERT_TRUE(add_to_collection(db(), c->id, three.id, editor));
  EXPECT_EQ(add_to_collection(db(), c->id, two.id, editor).error().kind, ErrorKind::conflict);
  EXPECT_EQ(add_to_collection(db(), c->id, draft->id, editor).error().kind, ErrorKind::not_found);
  EXPECT_EQ(find_collection(db(), c->id)->practice_ids, (std::vector<int64_t>{one.id, two.id, three.id}));
  ASSERT_TRUE(move_in_collection(db(), c->id, three.id, -1, editor));
  EXPECT_EQ(find_collection(db(), c->id)->practice_ids, (std::vector<int64_t>{one.id, three.id, two.id}));
  ASSERT_TRUE(move_in_collection(db(), c->id, one.id, -1, editor));  // already first: nothing moves
  EXPECT_EQ(find_collection(db(), c->id)->practice_ids, (std::vector<int64_t>{one.id, three.id, two.id}));
  ASSERT_TRUE(remove_from_collection(db(), c->id, three.id, editor));
  EXPECT_EQ(find_collection(db(), c->id)->practice_ids, (std::vector<int64_t>{one.id, two.id}));
  ASSERT_TRUE(update_collection(db(), c->id, "Fiches phares", "", editor));
  auto list = collections(db(), territory_a);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].name, "Fiches phares");
  ASSERT_TRUE(delete_collection(db(), c->id, editor));
  EXPECT_FALSE(find_collection(db(), c->id));
  EXPECT_EQ(count("SELECT COUNT(*) FROM practice_collection_items WHERE collection_id = ?", {c->id}), 0);
}

TEST_P(PracticesStoreTest, AttachmentsAreCheckedStrippedAndLimited) {
  auto p = create_published(territory_a);
  std::string exif = "Exif\0\0GPS-45.2-5.7"s;
  std::string jpeg = "\xff\xd8\xff\xe1"s + static_cast<char>(0) + static_cast<char>(exif.size() + 2) + exif + "\xff\xda\x00\x04ok\xff\xd9"s;
  EXPECT_EQ(add_attachment(db(), p.id, {"photo.jpg", jpeg, "", ""}, editor).error().field, "alt");
  EXPECT_EQ(add_attachment(db(), p.id, {"virus.pdf", "MZ\x90\x00"s, "", ""}, editor).error().message_key, "practices.file_type_refused");
  auto image = add_attachment(db(), p.id, {"photo.jpg", jpeg, "Un atelier au centre social", "Atelier de mars"}, editor);
  ASSERT_TRUE(image) << image.error().message_key;
  EXPECT_EQ(image->content_type, "image/jpeg");
  auto stored = db().read()->query("SELECT bytes, content_type FROM files WHERE id = ?", {image->file_id});
  EXPECT_EQ(stored[0].str(0).find("GPS"), std::string::npos);
  EXPECT_EQ(stored[0].str(1), "image/jpeg");
  std::string pdf = "%PDF-1.7\n" + std::string(12 * 1024 * 1024, 'x');  // above the generic 10 Mo limit, below 20 Mo
  auto doc = add_attachment(db(), p.id, {"guide.pdf", pdf, "", ""}, editor);
  ASSERT_TRUE(doc) << doc.error().message_key;
  EXPECT_EQ(doc->kind, AttachmentKind::pdf);
  ASSERT_TRUE(move_attachment(db(), p.id, doc->id, -1, editor));
  auto list = attachments(db(), p.id);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, doc->id);
  for (int i = 2; i < 10; ++i) ASSERT_TRUE(add_attachment(db(), p.id, {"p.pdf", "%PDF-1.4 " + std::to_string(i), "", ""}, editor));
  EXPECT_EQ(add_attachment(db(), p.id, {"p.pdf", "%PDF-1.4 x", "", ""}, editor).error().message_key, "practices.too_many_attachments");
  ASSERT_TRUE(remove_attachment(db(), p.id, image->id, editor));
  EXPECT_EQ(attachments(db(), p.id).size(), 9u);
  EXPECT_EQ(find(db(), p.id)->attachments.size(), 9u);
}

TEST_P(PracticesStoreTest, ImportsNeverOverwriteALocalEdit) {
  Imported imp;
  imp.instance_url = "https://autre.passerelle.example";
  imp.origin_id = "42";
  imp.territory_name = "Saint-Denis (La Réunion)";
  imp.input = input("Tiers-lieux en réseau");
  imp.origin_updated_at = 100;
  Errors errors;
  EXPECT_EQ(import_practice(db(), territory_a, imp, errors).value(), ImportOutcome::created);
  auto local = find_imported(db(), imp.instance_url, "42");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->status, Status::published);
  EXPECT_TRUE(local->provenance->imported());
  EXPECT_EQ(import_practice(db(), territory_a, imp, errors).value(), ImportOutcome::unchanged);
  imp.input.summary = "Résumé mis à jour à l'origine.";
  EXPECT_EQ(import_practice(db(), territory_a, imp, errors).value(), ImportOutcome::updated);
  EXPECT_EQ(find(db(), local->id)->summary, "Résumé mis à jour à l'origine.");
  EXPECT_EQ(find(db(), local->id)->version, 2);
  imp.published = false;
  EXPECT_EQ(import_practice(db(), territory_a, imp, errors).value(), ImportOutcome::withdrawn);
  EXPECT_EQ(find(db(), local->id)->status, Status::unpublished);
  imp.published = true;
  EXPECT_EQ(import_practice(db(), territory_a, imp, errors).value(), ImportOutcome::updated);
  EXPECT_EQ(find(db(), local->id)->status, Status::published);

  ASSERT_TRUE(update(db(), local->id, input("Notre version"), editor, errors));
  imp.input.summary = "Encore une autre version.";
  EXPECT_EQ(import_practice(db(), territory_a, imp, errors).value(), ImportOutcome::kept_local_edit);
  EXPECT_EQ(find(db(), local->id)->title, "Notre version");

  Imported bad = imp;
  bad.origin_id = "43";
  bad.input.communes = {"ABCDE"};
  int64_t before = count("SELECT COUNT(*) FROM practices");
  EXPECT_FALSE(import_practice(db(), territory_a, bad, errors));
  EXPECT_EQ(count("SELECT COUNT(*) FROM practices"), before);
}

INSTANTIATE_BACKENDS(PracticesStoreTest);

}  // namespace
