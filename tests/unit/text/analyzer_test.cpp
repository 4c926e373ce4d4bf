#include "text/analyzer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace text = passerelle::text;

namespace {

std::vector<std::string> folded_words(std::string_view input) {
  text::Analyzer analyzer;
  std::vector<text::Word> words;
  analyzer.words(input, words);
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(w.folded);
  return out;
}

std::vector<std::string> terms(std::string_view input) {
  text::Analyzer analyzer;
  std::vector<std::string> out;
  for (const auto& t : analyzer.tokens(input)) out.push_back(t.term);
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST(TextFold, LowerCaseAccentsAndLigatures) {
  EXPECT_EQ(text::fold("Œuvre financée à l'École, cœur, Ærø, Straße"), "oeuvre financee a l'ecole, coeur, aero, strasse");
  EXPECT_EQ(text::fold("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ àâäçéèêëîïôöùûüÿ"), "aaaceeeeiioouuuy aaaceeeeiioouuuy");
  EXPECT_EQ(text::fold("Łódź, Đakovo, ıi, ŀl"), "lodz, dakovo, ii, ll");
}

TEST(TextFold, CompatibilityFormsAndApostrophes) {
  EXPECT_EQ(text::fold("ﬁnancement ＡＢＣ１２"), "financement abc12");
  EXPECT_EQ(text::fold("l’État d‘abord qʼil l´eau"), "l'etat d'abord q'il l'eau");
  EXPECT_EQ(text::fold("a\u00A0b"), "a b");  // no-break space
  EXPECT_EQ(text::fold("e\u0301te\u0301"), "ete");  // decomposed accents
  EXPECT_EQ(text::fold("Ελλάδα Москва 東京"), "ελλαδα москва 東京");
}

TEST(TextFold, InvalidUtf8IsDroppedAndEmptyStaysEmpty) {
  EXPECT_EQ(text::fold(""), "");
  EXPECT_EQ(text::fold("caf\xC3"), "caf");                      // truncated sequence
  EXPECT_EQ(text::fold("a\xFF\xFE" "b"), "ab");                  // bytes never valid
  EXPECT_EQ(text::fold("x\xC0\xAFy"), "xy");                     // overlong '/'
  EXPECT_EQ(text::fold("x\xED\xA0\x80y"), "xy");                 // surrogate
  EXPECT_EQ(text::fold("\xF4\x90\x80\x80z"), "z");               // beyond U+10FFFF
}

TEST(TextLower, KeepsAccents) {
  EXPECT_EQ(text::lower("Numérique ÉCOLE Œuvre"), "numérique école œuvre");
  EXPECT_EQ(text::lower("bad\xFF"), "bad");
}

TEST(TextWords, OffsetsPositionsAndStopWords) {
  text::Analyzer analyzer;
  std::string input = "L’inclusion numérique, c’est l'affaire de tous.";
  std::vector<text::Word> words;
  analyzer.words(input, words);
  ASSERT_EQ(words.size(), 6u);
  Strings expected = {"inclusion", "numerique", "est", "affaire", "de", "tous"};
  Strings surfaces = {"inclusion", "numérique", "est", "affaire", "de", "tous"};
  for (size_t k = 0; k < words.size(); ++k) {
    EXPECT_EQ(words[k].folded, expected[k]);
    EXPECT_EQ(input.substr(words[k].begin, words[k].end - words[k].begin), surfaces[k]);
    EXPECT_EQ(words[k].position, k);
  }
  EXPECT_EQ(words[0].begin, 4u);  // after "L’" (L + 3 bytes)
  EXPECT_FALSE(words[0].stop);
  EXPECT_TRUE(words[2].stop);
  EXPECT_TRUE(words[4].stop);
  EXPECT_FALSE(words[5].stop);
}

TEST(TextWords, Elisions) {
  EXPECT_EQ(folded_words("l'inclusion d’abord qu'on n'oublie jusqu'à lorsqu'elle puisqu’il quoiqu'il m'a t'es s'il j'ai"),
            (Strings{"inclusion", "abord", "on", "oublie", "a", "elle", "il", "il", "a", "es", "il", "ai"}));
  EXPECT_EQ(folded_words("L’État, aujourd'hui, presqu'île"), (Strings{"etat", "aujourdhui", "ile"}));
  // Not an elision: the apostrophe separates (but "n'" before "roll" is one).
  EXPECT_EQ(folded_words("quelqu'un rock'n'roll"), (Strings{"quelqu", "un", "rock", "roll"}));
  // An apostrophe not followed by a letter leaves the word as it is.
  EXPECT_EQ(folded_words("l' avenir"), (Strings{"l", "avenir"}));
}

TEST(TextWords, HyphensNumbersAndAcronyms) {
  EXPECT_EQ(folded_words("peut-être Saint-Denis Île-de-France"),
            (Strings{"peut", "etre", "saint", "denis", "ile", "de", "france"}));
  EXPECT_EQ(folded_words("En 2026, 3,5 % et 1 000 € ; la 4ème"),
            (Strings{"en", "2026", "3", "5", "et", "1", "000", "la", "4eme"}));
  EXPECT_EQ(folded_words("Le C.N.F.S. et la CNFS, S.A.S et M. Dupont"),
            (Strings{"le", "cnfs", "et", "la", "cnfs", "sas", "et", "m", "dupont"}));
}

TEST(TextWords, AcronymOffsetsEndAfterTheLastLetter) {
  text::Analyzer analyzer;
  std::vector<text::Word> words;
  analyzer.words("Un C.N.F.S. ici", words);
  ASSERT_EQ(words.size(), 3u);
  EXPECT_EQ(words[1].begin, 3u);
  EXPECT_EQ(words[1].end, 10u);  // "C.N.F.S" without the final dot
  EXPECT_EQ(words[2].position, 2u);
}

TEST(TextWords, InvalidUtf8AndEmpty) {
  EXPECT_TRUE(folded_words("").empty());
  EXPECT_TRUE(folded_words(" ,;!? -- «»").empty());
  EXPECT_EQ(folded_words("caf\xC3 a\xFF\xFE" "b x\xC0\xAFy"), (Strings{"caf", "ab", "xy"}));
  text::Analyzer analyzer;
  std::vector<text::Word> words;
  analyzer.words("a\xFF" "b", words);
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0].begin, 0u);
  EXPECT_EQ(words[0].end, 3u);
}

TEST(TextWords, DecomposedAccentsAndOtherScripts) {
  EXPECT_EQ(folded_words("e\u0301te\u0301 Москва ﬁn"), (Strings{"ete", "москва", "fin"}));
}

TEST(TextTokens, InflectionsAndSpellingsMeet) {
  EXPECT_EQ(terms("numérique numériques Numerique NUMÉRIQUES"), (Strings{"numer", "numer", "numer", "numer"}));
  EXPECT_EQ(terms("activité activite activités"), (Strings{"activit", "activit", "activit"}));
  EXPECT_EQ(terms("formatrice formateur formatrices formateurs"),
            (Strings{"formateur", "formateur", "formateur", "formateur"}));
  EXPECT_EQ(terms("médiatrice médiateur actrice acteur"), (Strings{"mediateur", "mediateur", "acteur", "acteur"}));
  EXPECT_EQ(terms("accompagné accompagnée accompagnés accompagnées accompagner accompagnement"),
            (Strings{"accompagn", "accompagn", "accompagn", "accompagn", "accompagn", "accompagn"}));
  EXPECT_EQ(terms("éducatif éducative éducation"), (Strings{"educ", "educ", "educ"}));
  // Words that only look like a feminine agent noun keep their own stem.
  EXPECT_EQ(terms("matrice cicatrice"), (Strings{"matric", "cicatric"}));
}

TEST(TextTokens, StopWordsAreLeftOutButCountInPositions) {
  text::Analyzer analyzer;
  auto tokens = analyzer.tokens("La médiation numérique et l'inclusion dans les territoires");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].term, "mediat");
  EXPECT_EQ(tokens[0].position, 1u);
  EXPECT_EQ(tokens[1].term, "numer");
  EXPECT_EQ(tokens[1].position, 2u);
  EXPECT_EQ(tokens[2].term, "inclus");
  EXPECT_EQ(tokens[2].position, 4u);
  EXPECT_EQ(tokens[3].term, "territoir");
  EXPECT_EQ(tokens[3].position, 7u);
  EXPECT_TRUE(analyzer.tokens("le la les de des et à où").empty());
  EXPECT_TRUE(analyzer.tokens("").empty());
}

TEST(TextTokens, AppendsToTheGivenVector) {
  text::Analyzer analyzer;
  std::vector<text::Token> out;
  analyzer.tokens("atelier", out);
  analyzer.tokens("ateliers numériques", out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].term, out[1].term);
  EXPECT_EQ(out[1].position, 0u);  // positions restart with each text
}

TEST(TextTokens, TermOfAQueryWord) {
  text::Analyzer analyzer;
  EXPECT_EQ(analyzer.term("Numériques"), "numer");
  EXPECT_EQ(analyzer.term("l’inclusion"), "inclus");
  EXPECT_EQ(analyzer.term("les"), "");
  EXPECT_EQ(analyzer.term("—"), "");
  EXPECT_EQ(analyzer.term(""), "");
  EXPECT_EQ(analyzer.stem("numeriques"), "numer");
  // The memoised stem is the same as the first one.
  EXPECT_EQ(analyzer.term("NUMÉRIQUES"), "numer");
}

TEST(TextTokens, LongWordsAreKeptWhole) {
  std::string word(100, 'a');
  EXPECT_EQ(terms(word), Strings{word});
}

TEST(TextStopWords, FoldedFrenchList) {
  for (const char* w : {"le", "la", "les", "de", "des", "et", "a", "ou", "ete", "meme", "cette", "dont"})
    EXPECT_TRUE(text::is_stopword(w)) << w;
  for (const char* w : {"numerique", "inclusion", "", "etre", "l'", "Le"}) EXPECT_FALSE(text::is_stopword(w)) << w;
}

TEST(TextDisplayForms, MostFrequentLowerCasedSurface) {
  text::DisplayForms forms;
  EXPECT_EQ(forms.best("numer"), "numer");
  forms.add("numer", "Numériques");
  forms.add("numer", "numérique");
  forms.add("numer", "NUMÉRIQUE");
  forms.add("inclus", "inclusion");
  EXPECT_EQ(forms.best("numer"), "numérique");
  EXPECT_EQ(forms.best("inclus"), "inclusion");
  EXPECT_EQ(forms.best("absent"), "absent");
  text::DisplayForms shared = forms;  // copies share the counts
  shared.add("inclus", "inclusive");
  shared.add("inclus", "inclusive");
  EXPECT_EQ(forms.best("inclus"), "inclusive");
}

TEST(TextAnalyzer, IsMovable) {
  text::Analyzer first;
  text::Analyzer second = std::move(first);
  EXPECT_EQ(second.term("ateliers"), "ateli");
}
