#include "platform/html/builder.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace html = passerelle::html;

TEST(Escape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(html::escape("<a href=\"x\">Tom & Jerry's</a>"), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(html::escape("déjà vu"), "déjà vu");
  EXPECT_EQ(html::escape(""), "");
  std::string out = "prefix:";
  html::escape_into(out, "<>");
  EXPECT_EQ(out, "prefix:&lt;&gt;");
}

TEST(Builder, ElementsTextAndAttributesAreEscaped) {
  html::Builder b;
  b.el("p", {{"class", "note \"x\""}, {"title", "a<b"}}, "1 < 2 & 3 > 2");
  EXPECT_EQ(b.take(), "<p class=\"note &quot;x&quot;\" title=\"a&lt;b\">1 &lt; 2 &amp; 3 &gt; 2</p>");
}

TEST(Builder, AbsentAttributesAreDropped) {
  html::Builder b;
  b.void_el("input", {{"type", "checkbox"}, {"checked", "", false}, {"required", "", true}});
  EXPECT_EQ(b.take(), "<input type=\"checkbox\" required=\"\">");
}

TEST(Builder, OpenCloseNestAndTrackDepth) {
  html::Builder b;
  b.open("ul", {{"id", "l"}});
  EXPECT_EQ(b.depth(), 1u);
  b.open("li").text("un & deux").close();
  b.el("li", "trois");
  b.close();
  EXPECT_EQ(b.depth(), 0u);
  EXPECT_EQ(b.take(), "<ul id=\"l\"><li>un &amp; deux</li><li>trois</li></ul>");
}

TEST(Builder, ScopeClosesAtTheEndOfTheBlock) {
  html::Builder b;
  {
    auto main = b.scope("main");
    auto section = b.scope("section", {{"aria-labelledby", "t"}});
    b.el("h2", {{"id", "t"}}, "Titre");
    EXPECT_EQ(b.depth(), 2u);
  }
  EXPECT_EQ(b.depth(), 0u);
  EXPECT_EQ(b.take(), "<main><section aria-labelledby=\"t\"><h2 id=\"t\">Titre</h2></section></main>");
}

TEST(Builder, TrustedHtmlIsNotEscaped) {
  html::Builder b;
  b.open("div").trusted(html::TrustedHtml{"<em>ok</em>"}).text("<em>").close();
  EXPECT_EQ(b.take(), "<div><em>ok</em>&lt;em&gt;</div>");
}

TEST(Builder, CloseWithoutOpenIsALogicError) {
  html::Builder b;
  EXPECT_THROW(b.close(), std::logic_error);
}
