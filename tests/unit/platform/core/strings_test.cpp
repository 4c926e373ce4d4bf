#include "platform/core/strings.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace str = passerelle::str;
using namespace std::string_literals;

TEST(Split, KeepsEmptyPieces) {
  EXPECT_EQ(str::split("a,b,,c", ','), (std::vector<std::string_view>{"a", "b", "", "c"}));
  EXPECT_EQ(str::split("", ','), (std::vector<std::string_view>{""}));
  EXPECT_EQ(str::split(",", ','), (std::vector<std::string_view>{"", ""}));
  EXPECT_EQ(str::split("abc", ','), (std::vector<std::string_view>{"abc"}));
}

TEST(Trim, RemovesAsciiWhitespaceOnly) {
  EXPECT_EQ(str::trim("  \t a b \r\n"), "a b");
  EXPECT_EQ(str::trim(" \t\r\n"), "");
  EXPECT_EQ(str::trim(""), "");
  // A no-break space is content, not layout.
  EXPECT_EQ(str::trim("\u00a0x\u00a0"), "\u00a0x\u00a0");
}

TEST(Case, LowerAndCompareAsciiOnly) {
  EXPECT_EQ(str::lower_ascii("Hello-WORLD 42"), "hello-world 42");
  EXPECT_EQ(str::lower_ascii("École"), "École");  // UTF-8 bytes are left alone
  EXPECT_TRUE(str::iequals("Content-Type", "content-type"));
  EXPECT_FALSE(str::iequals("Content-Type", "content-typ"));
  EXPECT_FALSE(str::iequals("a", "b"));
  EXPECT_TRUE(str::iequals("", ""));
}

TEST(ToInt, AcceptsOnlyWholeDecimalNumbers) {
  EXPECT_EQ(str::to_int("0"), 0);
  EXPECT_EQ(str::to_int("42"), 42);
  EXPECT_EQ(str::to_int("-17"), -17);
  EXPECT_EQ(str::to_int("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(str::to_int("-9223372036854775808"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(str::to_int("9223372036854775808"), std::nullopt);  // overflow
  EXPECT_EQ(str::to_int(""), std::nullopt);
  EXPECT_EQ(str::to_int("12a"), std::nullopt);
  EXPECT_EQ(str::to_int(" 12"), std::nullopt);
  EXPECT_EQ(str::to_int("+12"), std::nullopt);
  EXPECT_EQ(str::to_int("1.5"), std::nullopt);
}

TEST(UrlDecode, DecodesPercentAndPlus) {
  EXPECT_EQ(str::url_decode("a+b%20c"), "a b c");
  EXPECT_EQ(str::url_decode("a+b", false), "a+b");
  EXPECT_EQ(str::url_decode("%C3%A9t%c3%a9"), "été");
  EXPECT_EQ(str::url_decode("%41"), "A");
  EXPECT_EQ(str::url_decode("x%41"), "xA");
  EXPECT_EQ(str::url_decode("%00"), "\0"s);
}

TEST(UrlDecode, LeavesMalformedEscapesAsTheyAre) {
  EXPECT_EQ(str::url_decode("%"), "%");
  EXPECT_EQ(str::url_decode("%4"), "%4");
  EXPECT_EQ(str::url_decode("a%4"), "a%4");
  EXPECT_EQ(str::url_decode("%zz"), "%zz");
  EXPECT_EQ(str::url_decode("100%"), "100%");
  EXPECT_EQ(str::url_decode("%%41"), "%A");
}

TEST(UrlEncode, EncodesEverythingButUnreserved) {
  EXPECT_EQ(str::url_encode("abc-_.~XYZ09"), "abc-_.~XYZ09");
  EXPECT_EQ(str::url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(str::url_decode(str::url_encode(all)), all);
}

TEST(ValidUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(str::valid_utf8(""));
  EXPECT_TRUE(str::valid_utf8("plain ascii"));
  EXPECT_TRUE(str::valid_utf8("Île-de-France, Œuvre, «guillemets»"));
  EXPECT_TRUE(str::valid_utf8("\u202f"));        // 3 bytes
  EXPECT_TRUE(str::valid_utf8("😀"));            // 4 bytes
  EXPECT_TRUE(str::valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  EXPECT_TRUE(str::valid_utf8("é"));             // 2 bytes at the very end
}

TEST(ValidUtf8, RefusesMalformedText) {
  EXPECT_FALSE(str::valid_utf8("\xc3"));              // truncated
  EXPECT_FALSE(str::valid_utf8("abc\xe2\x82"));       // truncated at the end
  EXPECT_FALSE(str::valid_utf8("\x80"));              // lone continuation byte
  EXPECT_FALSE(str::valid_utf8("\xc0\xaf"));          // overlong "/"
  EXPECT_FALSE(str::valid_utf8("\xe0\x80\xaf"));      // overlong, 3 bytes
  EXPECT_FALSE(str::valid_utf8("\xf0\x80\x80\xaf"));  // overlong, 4 bytes
  EXPECT_FALSE(str::valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(str::valid_utf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(str::valid_utf8("\xff"));
  EXPECT_FALSE(str::valid_utf8("\xc3\x28"));          // bad continuation
  EXPECT_FALSE(str::valid_utf8("\xe2\x82\x28"));
}

TEST(Hex, LowercaseTwoDigitsPerByte) {
  EXPECT_EQ(str::hex(""), "");
  EXPECT_EQ(str::hex("\x00\x0f\xff"s), "000fff");
  EXPECT_EQ(str::hex("AZ"), "415a");
}

TEST(JsonEscape, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(str::json_escape("a\"b\\c"), "a\\\"b\\\\c");
  EXPECT_EQ(str::json_escape("l1\nl2\r\t"), "l1\\nl2\\r\\t");
  EXPECT_EQ(str::json_escape("\x01\x1f"), "\\u0001\\u001f");
  EXPECT_EQ(str::json_escape("\0"s), "\\u0000");
  EXPECT_EQ(str::json_escape("école </script>"), "école </script>");
}
