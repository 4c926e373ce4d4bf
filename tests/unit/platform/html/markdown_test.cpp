#include "platform/html/markdown.hpp"

#include <gtest/gtest.h>

#include "platform/core/strings.hpp"

namespace html = passerelle::html;

namespace {
std::string md(std::string_view text) { return html::render_markdown(text).html; }
}  // namespace

TEST(Markdown, RendersCommonMark) {
  EXPECT_EQ(md("# Titre\n\nUn *paragraphe* avec **gras**."),
            "<h1>Titre</h1>\n<p>Un <em>paragraphe</em> avec <strong>gras</strong>.</p>\n");
  EXPECT_EQ(md("- un\n- deux\n"), "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n");
  EXPECT_EQ(md("[site](https://example.fr/a?b=1&c=2)"), "<p><a href=\"https://example.fr/a?b=1&amp;c=2\">site</a></p>\n");
  EXPECT_EQ(md(""), "");
}

TEST(Markdown, EscapesTextSpecialCharacters) {
  EXPECT_EQ(md("1 < 2 & 3 > 2"), "<p>1 &lt; 2 &amp; 3 &gt; 2</p>\n");
}

TEST(Markdown, SmartPunctuation) {
  EXPECT_EQ(md("\"guillemets\" -- tiret..."), "<p>\u201cguillemets\u201d \u2013 tiret\u2026</p>\n");
}

TEST(Markdown, RawHtmlIsDropped) {
  std::string out = md("Avant <script>alert(1)</script> après\n\n<div onclick=\"x()\">bloc</div>\n");
  EXPECT_EQ(out.find("<script"), std::string::npos) << out;
  EXPECT_EQ(out.find("<div"), std::string::npos) << out;
  EXPECT_EQ(out.find("onclick"), std::string::npos) << out;
  EXPECT_NE(out.find("Avant"), std::string::npos);
  EXPECT_NE(out.find("après"), std::string::npos);
}

TEST(Markdown, DangerousLinksAreNeutralised) {
  for (std::string_view bad : {"[x](javascript:alert(1))", "[x](JavaScript:alert(1))", "[x](vbscript:msgbox)",
                               "[x](data:text/html;base64,PHNjcmlwdD4=)", "![i](javascript:alert(1))",
                               "<javascript:alert(1)>", "[x](  javascript:alert(1) )"}) {
    std::string out = passerelle::str::lower_ascii(md(bad));
    for (std::string_view attr : {"=\"javascript:", "=\"vbscript:", "=\"data:text"})
      EXPECT_EQ(out.find(attr), std::string::npos) << bad << " → " << out;
    EXPECT_TRUE(out.find("href=\"\"") != std::string::npos || out.find("src=\"\"") != std::string::npos) << bad << " → " << out;
  }
  // data: URLs are refused even for images (see markdown_safety_test.cpp).
  EXPECT_EQ(md("![i](data:image/png;base64,AAAA)").find("src=\"data:"), std::string::npos);
}

TEST(Markdown, AttributeInjectionThroughLinksIsEscaped) {
  std::string out = md("[x](https://a.fr/\"onmouseover=\"alert(1))");
  EXPECT_EQ(out.find("\"onmouseover"), std::string::npos) << out;
}

TEST(Markdown, InvalidUtf8DoesNotCrash) {
  std::string out = md("caf\xc3 \xff\xfe fin");
  EXPECT_NE(out.find("fin"), std::string::npos);
}
