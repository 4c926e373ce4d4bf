#include <gtest/gtest.h>

#include "restitution/reader.hpp"

namespace r = passerelle::restitution;

namespace {

r::ReadOptions options() {
  r::ReadOptions o;
  o.group_field = "question";
  o.date_field = "date";
  o.zip_field = "zip";
  return o;
}

// The (line, kind) of every issue.
std::vector<std::pair<uint32_t, std::string>> issues(const r::Corpus& c) {
  std::vector<std::pair<uint32_t, std::string>> out;
  for (const auto& i : c.issues) out.emplace_back(i.line, i.kind);
  return out;
}

using Issues = std::vector<std::pair<uint32_t, std::string>>;

}  // namespace

TEST(Reader, JsonLinesWithEachBadInputAndItsLine) {
  std::string big(200, 'x');
  std::string input =
      "{\"id\":\"a\",\"text\":\"Une vraie réponse\",\"question\":\"Q1\",\"date\":\"2019-01-23 18:47:43\",\"zip\":\"16000\"}\n"  // 1
      "{\"id\":\"b\",\"text\":\"   \"}\n"                                     // 2 blank text
      "\n"                                                                     // 3 blank line: ignored
      "{\"id\":\"c\",\"text\":\"caf\xC3\"}\n"                                  // 4 invalid UTF-8
      "{\"id\":\"d\",\"text\":\"" + big + "\"}\n"                              // 5 too long
      "{\"id\":\"e\",\"text\":\"<p>Du <b>HTML</b> &amp; du texte</p>\"}\n"  // 6 HTML removed, kept
      "{\"id\":\"f\"}\n"                                                       // 7 no text
      "{\"id\":\"g\",\"text\":\"ok\",\n"                                       // 8 broken JSON
      "{\"text\":\"sans identifiant\",\"date\":\"hier\"}\n"                   // 9 kept, id from line, bad date
      "[1,2]\n";                                                               // 10 not an object
  r::ReadOptions o = options();
  o.max_text_bytes = 100;
  auto c = r::read_contributions(input, o);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->format, "jsonl");
  EXPECT_EQ(c->records, 9u);
  ASSERT_EQ(c->items.size(), 3u);
  EXPECT_EQ(c->items[0].id, "a");
  EXPECT_EQ(c->items[0].zip, "16000");
  EXPECT_EQ(c->items[0].date, 1548269263);
  EXPECT_EQ(c->groups[c->items[0].group], "Q1");
  EXPECT_EQ(c->items[1].text, "Du HTML & du texte");
  EXPECT_EQ(c->items[2].id, "L9");
  EXPECT_EQ(c->items[2].line, 9u);
  EXPECT_EQ(issues(*c), (Issues{{2, "empty_text"}, {4, "invalid_utf8"}, {5, "too_long"}, {6, "html_removed"},
                                {6, "missing_group"}, {7, "missing_text"}, {8, "invalid_json"}, {9, "missing_id"},
                                {9, "invalid_date"}, {9, "missing_group"}, {10, "invalid_json"}}));
}

TEST(Reader, CsvSemicolonQuotingAndMultilineRecords) {
  std::string input =
      "\xEF\xBB\xBFid;text;question;zip\r\n"
      "1;\"Un texte; avec un point-virgule\";Q;20000\r\n"
      "2;\"Sur deux\nlignes, et des \"\"guillemets\"\"\";Q;97139\r\n"
      "3;trop;de;champs;ici\r\n"      // line 5
      "4;un \"guillemet\" mal placé;Q;1\r\n"  // line 6
      "5;;Q;75010\r\n"                // line 7: empty text
      "6;La dernière;Q;05110";        // line 8, no final newline
  r::ReadOptions o = options();
  o.date_field.clear();
  auto c = r::read_contributions(input, o);
  ASSERT_TRUE(c) << c.error().message_key;
  EXPECT_EQ(c->format, "csv;");
  ASSERT_EQ(c->items.size(), 3u);
  EXPECT_EQ(c->items[0].text, "Un texte; avec un point-virgule");
  EXPECT_EQ(c->items[1].text, "Sur deux\nlignes, et des \"guillemets\"");
  EXPECT_EQ(c->items[1].line, 3u);
  EXPECT_EQ(c->items[2].line, 8u);
  EXPECT_EQ(c->items[2].zip, "05110");
  EXPECT_EQ(issues(*c), (Issues{{5, "field_count"}, {6, "bad_quote"}, {7, "empty_text"}}));
}

TEST(Reader, CsvCommaDetected) {
  auto c = r::read_contributions("text,id\n\"a, b\",x\n", r::ReadOptions{});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->format, "csv,");
  EXPECT_EQ(c->items.at(0).text, "a, b");
  EXPECT_EQ(c->items.at(0).id, "x");
}

TEST(Reader, RefusesWhatCannotBeRead) {
  auto open_quote = r::read_contributions("id,text\n1,ok\n2,\"jamais fermé\n3,suite\n", r::ReadOptions{});
  ASSERT_FALSE(open_quote);
  EXPECT_EQ(open_quote.error().message_key, "restitution.error_csv_open_quote");
  EXPECT_EQ(open_quote.error().args.at(0).second, "3");

  auto no_column = r::read_contributions("id,body\n1,ok\n", r::ReadOptions{});
  ASSERT_FALSE(no_column);
  EXPECT_EQ(no_column.error().message_key, "restitution.error_csv_no_text_column");

  auto empty = r::read_contributions("  \n\n", r::ReadOptions{});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message_key, "restitution.error_empty_input");

  auto nothing = r::read_contributions("{\"text\":\"\"}\n{\"x\":1}\n", r::ReadOptions{});
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().message_key, "restitution.error_nothing_usable");

  auto missing_file = r::read_file("/nonexistent/contributions.jsonl", r::ReadOptions{});
  ASSERT_FALSE(missing_file);
  EXPECT_EQ(missing_file.error().message_key, "restitution.error_open");
}

TEST(Reader, SameResultWithOneOrTwoThreads) {
  std::string input;
  for (int i = 0; i < 40000; ++i)
    input += "{\"id\":\"" + std::to_string(i) + "\",\"text\":\"texte " + std::to_string(i % 97) + "\",\"question\":\"Q" +
             std::to_string(i % 3) + "\"}\n";
  r::ReadOptions o = options();
  auto one = r::read_contributions(input, o);
  o.threads = 2;
  auto two = r::read_contributions(input, o);
  ASSERT_TRUE(one && two);
  ASSERT_EQ(one->items.size(), two->items.size());
  EXPECT_EQ(one->groups, two->groups);
  for (size_t i = 0; i < one->items.size(); ++i) ASSERT_EQ(one->items[i].text, two->items[i].text);
}

TEST(Reader, Dates) {
  EXPECT_EQ(r::parse_date("2019-01-23"), 1548201600);
  EXPECT_EQ(r::parse_date("2019-01-23T18:47:43Z"), 1548269263);
  EXPECT_EQ(r::parse_date("2019-01-23T19:47:43+01:00"), 1548269263);
  EXPECT_EQ(r::parse_date("23/01/2019"), 1548201600);
  EXPECT_EQ(r::parse_date("1548269263"), 1548269263);
  EXPECT_EQ(r::parse_date("2019"), r::no_date);
  EXPECT_EQ(r::parse_date("2019-13-01"), r::no_date);
  EXPECT_EQ(r::parse_date("demain"), r::no_date);
}
