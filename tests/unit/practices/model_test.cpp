#include "practices/model.hpp"

#include <gtest/gtest.h>

#include <set>

namespace passerelle::practices {
namespace {

using namespace std::string_literals;

Input valid_input() {
  Input in;
  in.title = "  Ateliers de découverte du quartier ";
  in.summary = "Des balades numériques pour découvrir les services du quartier.";
  in.body = "## Déroulé\n\n- accueil\n- balade\n\n[Site](https://example.fr)";
  in.communes = {"16015", " 2a004 "};
  in.themes = {"maitrise-des-outils-numeriques", "Aides aux démarches administratives"};
  in.publics = {"seniors-personnes-agees"};
  in.cost = "Gratuit pour les habitants";
  in.cost_amount = "1 200,5";
  in.partners = {"Médiathèque", " ", "Centre social"};
  in.contact = {"Camille Martin", "camille.martin@demo.passerelle.localhost", "+33 5 45 00 00 00"};
  in.links = {{"https://lesbases.anct.gouv.fr", "Les Bases"}};
  return in;
}

bool has_error(const Errors& errors, std::string_view field, std::string_view key) {
  for (const auto& e : errors)
    if (e.field == field && e.message_key == key) return true;
  return false;
}

TEST(PracticesTaxonomies, SizesAndUniqueSlugsMatchLesBases) {
  EXPECT_EQ(terms(Taxonomy::theme).size(), 29u);
  EXPECT_EQ(terms(Taxonomy::resource_type).size(), 9u);
  EXPECT_EQ(terms(Taxonomy::public_).size(), 10u);
  EXPECT_EQ(terms(Taxonomy::sector).size(), 4u);
  for (Taxonomy t : kTaxonomies) {
    std::set<std::string_view> slugs, labels;
    for (const auto& term : terms(t)) {
      EXPECT_TRUE(slugs.insert(term.slug).second) << term.slug;
      EXPECT_TRUE(labels.insert(term.label).second) << term.label;
    }
  }
  EXPECT_EQ(label_of(Taxonomy::public_, "allophones-refugies-demandeurs-d-asile"), "Allophones/réfugiés/demandeurs d'asile");
  EXPECT_EQ(slug_of_label(Taxonomy::theme, "Éducation aux médias"), "education-aux-medias");
  EXPECT_FALSE(valid_term(Taxonomy::sector, "maitrise-des-outils-numeriques"));
}

TEST(PracticesValidate, NormalisesAValidSheet) {
  Errors errors;
  auto c = validate(valid_input(), errors);
  ASSERT_TRUE(c) << (errors.empty() ? "" : errors[0].message_key);
  EXPECT_EQ(c->title, "Ateliers de découverte du quartier");
  EXPECT_EQ(c->communes, (std::vector<std::string>{"16015", "2A004"}));
  EXPECT_EQ(c->themes, (std::vector<std::string>{"maitrise-des-outils-numeriques", "aides-aux-demarches-administratives"}));
  EXPECT_EQ(c->cost_cents, 120050);
  EXPECT_EQ(c->partners, (std::vector<std::string>{"Médiathèque", "Centre social"}));
  EXPECT_EQ(c->licence, "etalab-2.0");
}

TEST(PracticesValidate, EachErrorNamesItsField) {
  Input in = valid_input();
  in.title = " ";
  in.summary.clear();
  in.communes = {"1601"};
  in.themes = {"cuisine"};
  in.cost_amount = "beaucoup";
  in.contact.email = "pas-une-adresse";
  in.contact.phone = "appelez-moi";
  in.links = {{"https://ok.example", "ok"}, {"javascript:alert(1)", "piège"}};
  in.licence = "cc-by-nc";
  Errors errors;
  EXPECT_FALSE(validate(in, errors));
  EXPECT_TRUE(has_error(errors, "title", "practices.title_required"));
  EXPECT_TRUE(has_error(errors, "summary", "practices.summary_required"));
  EXPECT_TRUE(has_error(errors, "communes", "practices.commune_invalid"));
  EXPECT_TRUE(has_error(errors, "themes", "practices.term_invalid"));
  EXPECT_TRUE(has_error(errors, "cost_amount", "practices.cost_amount_invalid"));
  EXPECT_TRUE(has_error(errors, "contact_email", "practices.contact_email_invalid"));
  EXPECT_TRUE(has_error(errors, "contact_phone", "practices.contact_phone_invalid"));
  EXPECT_TRUE(has_error(errors, "links[1].url", "practices.link_url_invalid"));
  EXPECT_FALSE(has_error(errors, "links[0].url", "practices.link_url_invalid"));
  EXPECT_TRUE(has_error(errors, "licence", "practices.licence_invalid"));
}

TEST(PracticesValidate, RefusesUnsafeMarkdown) {
  for (const char* body : {"Bonjour <script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[clic](javascript:alert(1))",
                           "[clic](jav&#x61;script:alert(1))", "![x](data:image/svg+xml;base64,AAAA)"}) {
    Input in = valid_input();
    in.body = body;
    Errors errors;
    EXPECT_FALSE(validate(in, errors)) << body;
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].field, "body") << body;
  }
  Input in = valid_input();
  in.body = "Écrire `<b>` dans du code est permis, et [un lien](mailto:contact@demo.passerelle.localhost) aussi.";
  Errors errors;
  EXPECT_TRUE(validate(in, errors));
}

TEST(PracticesValidate, RefusesInvalidUtf8AndOverlongText) {
  Input in = valid_input();
  in.title = "Titre \xff\xfe";
  Errors errors;
  EXPECT_FALSE(validate(in, errors));
  EXPECT_TRUE(has_error(errors, "title", "practices.title_too_long"));
  in = valid_input();
  in.summary = std::string(kMaxSummary + 1, 'a');
  errors.clear();
  EXPECT_FALSE(validate(in, errors));
  EXPECT_TRUE(has_error(errors, "summary", "practices.summary_too_long"));
}

TEST(PracticesParse, Euros) {
  EXPECT_EQ(parse_euros("1 200,50 €"), 120050);
  EXPECT_EQ(parse_euros("1200.5"), 120050);
  EXPECT_EQ(parse_euros("0"), 0);
  EXPECT_EQ(parse_euros("12,345"), std::nullopt);
  EXPECT_EQ(parse_euros("1,2,3"), std::nullopt);
  EXPECT_EQ(parse_euros("-5"), std::nullopt);
  EXPECT_EQ(parse_euros(""), std::nullopt);
  EXPECT_EQ(format_euros(120050), "1\u202f200,50\u00a0€");
  EXPECT_EQ(format_euros(500), "5\u00a0€");
}

TEST(PracticesParse, UrlsPhonesLists) {
  EXPECT_TRUE(valid_http_url("https://www.grandangouleme.fr/numerique"));
  EXPECT_TRUE(valid_http_url("HTTP://exemple.fr"));
  EXPECT_FALSE(valid_http_url("ftp://exemple.fr"));
  EXPECT_FALSE(valid_http_url("https://"));
  EXPECT_FALSE(valid_http_url("https://exemple.fr/a b"));
  EXPECT_FALSE(valid_http_url("javascript:alert(1)"));
  EXPECT_TRUE(valid_phone("05 45 38 60 60"));
  EXPECT_TRUE(valid_phone("+687 27 31 15"));
  EXPECT_FALSE(valid_phone("12"));
  EXPECT_FALSE(valid_phone("05 45 abc"));
  EXPECT_EQ(split_list("a, b;c\r\n\n d "), (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(PracticesText, MarkdownToText) {
  EXPECT_EQ(markdown_to_text("# Titre\n\nUn *paragraphe* avec [lien](https://x.fr).\n\n- un\n- deux"), "Titre\nUn paragraphe avec lien.\nun\ndeux");
}

TEST(PracticesVersions, JsonRoundTrip) {
  Errors errors;
  auto c = validate(valid_input(), errors);
  ASSERT_TRUE(c);
  auto back = content_from_json(to_json(*c));
  ASSERT_TRUE(back);
  EXPECT_EQ(to_json(*back), to_json(*c));
  EXPECT_EQ(back->contact.phone, "+33 5 45 00 00 00");
  EXPECT_FALSE(content_from_json("[1,2]"));
}

TEST(PracticesDiff, KeepsAddsAndRemovesLinesInOrder) {
  auto d = diff_lines("a\nb\nc\nd\n", "a\nc\nx\nd\ny\n");
  std::vector<std::pair<DiffLine::Op, std::string>> got;
  for (const auto& l : d) got.emplace_back(l.op, l.text);
  using O = DiffLine::Op;
  std::vector<std::pair<DiffLine::Op, std::string>> want = {{O::kept, "a"}, {O::removed, "b"}, {O::kept, "c"}, {O::added, "x"}, {O::kept, "d"}, {O::added, "y"}};
  EXPECT_EQ(got, want);
}

TEST(PracticesDiff, EdgeCases) {
  EXPECT_TRUE(diff_lines("", "").empty());
  auto all_added = diff_lines("", "un\ndeux");
  ASSERT_EQ(all_added.size(), 2u);
  EXPECT_EQ(all_added[0].op, DiffLine::Op::added);
  auto same = diff_lines("x\ny", "x\ny");
  for (const auto& l : same) EXPECT_EQ(l.op, DiffLine::Op::kept);
  // The LCS is found, not just a common head and tail: "b c" survive a change on both ends.
  auto d = diff_lines("a\nb\nc\nd", "z\nb\nc\nw");
  int kept = 0;
  for (const auto& l : d) kept += l.op == DiffLine::Op::kept;
  EXPECT_EQ(kept, 2);
}

TEST(PracticesDiff, VersionTextShowsChangedField) {
  Errors errors;
  auto a = validate(valid_input(), errors);
  Input changed = valid_input();
  changed.summary = "Nouveau résumé.";
  auto b = validate(changed, errors);
  ASSERT_TRUE(a && b);
  int removed = 0, added = 0;
  for (const auto& l : diff_lines(to_text(*a), to_text(*b))) {
    if (l.op == DiffLine::Op::removed) {
      ++removed;
      EXPECT_NE(l.text.find("Résumé : Des balades"), std::string::npos);
    }
    if (l.op == DiffLine::Op::added) {
      ++added;
      EXPECT_EQ(l.text, "Résumé : Nouveau résumé.");
    }
  }
  EXPECT_EQ(removed, 1);
  EXPECT_EQ(added, 1);
}

// --- Files ---

std::string jpeg_with_exif() {
  std::string j = "\xff\xd8";
  std::string exif = "Exif\0\0GPS-48.8566-2.3522"s;
  j += "\xff\xe1";
  j += static_cast<char>(0);
  j += static_cast<char>(exif.size() + 2);
  j += exif;
  std::string app0 = "JFIF\0\x01\x01"s;
  j += "\xff\xe0";
  j += static_cast<char>(0);
  j += static_cast<char>(app0.size() + 2);
  j += app0;
  j += "\xff\xda";
  j += "\x00\x08scan-data\xff\xd9"s;
  return j;
}

TEST(PracticesFiles, TypeFromContentAndLimits) {
  auto jpeg = check_file(jpeg_with_exif());
  ASSERT_TRUE(jpeg);
  EXPECT_EQ(jpeg->content_type, "image/jpeg");
  EXPECT_EQ(jpeg->kind, AttachmentKind::image);
  EXPECT_EQ(check_file("%PDF-1.7\n...")->kind, AttachmentKind::pdf);
  // A script named .png is refused: the name is never looked at, only the bytes.
  EXPECT_EQ(check_file("<script>alert(1)</script>").error().message_key, "practices.file_type_refused");
  EXPECT_EQ(check_file("GIF89a....").error().message_key, "practices.file_type_refused");
  EXPECT_EQ(check_file("").error().message_key, "practices.file_empty");
  std::string big_png = "\x89PNG\r\n\x1a\n" + std::string(kMaxImageBytes, 'x');
  EXPECT_EQ(check_file(big_png).error().message_key, "practices.image_too_large");
  std::string pdf_10mb = "%PDF-" + std::string(10 * 1024 * 1024, 'x');
  EXPECT_TRUE(check_file(pdf_10mb));
  std::string big_pdf = "%PDF-" + std::string(kMaxPdfBytes, 'x');
  EXPECT_EQ(check_file(big_pdf).error().message_key, "practices.pdf_too_large");
}

}  // namespace
}  // namespace passerelle::practices
