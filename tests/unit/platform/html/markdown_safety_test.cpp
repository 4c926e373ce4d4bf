// Known XSS payloads through the Markdown renderer: none may leave a script, an event handler or
// a dangerous href/src in the HTML. The checker (tests/fuzz/markdown_invariants.hpp) is shared
// with the fuzz target.
#include <gtest/gtest.h>

#include <algorithm>

#include "../../../fuzz/markdown_invariants.hpp"
#include "platform/core/strings.hpp"
#include "platform/html/markdown.hpp"

namespace html = passerelle::html;
namespace inv = passerelle::markdown_invariants;

namespace {
std::string md(std::string_view text) { return html::render_markdown(text).html; }

const char* const kPayloads[] = {
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" onerror=\"alert(1)\">texte",
    "<svg/onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\">",
    "<a href=\"javascript:alert(1)\">clic</a>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
    "<!--><script>alert(1)</script>-->",
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](jav&#x61;script:alert(1))",
    "[clic](jav&#97;script:alert(1))",
    "[clic](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[clic](&#x6A;avascript&colon;alert(1))",
    "[clic](java&#9;script:alert(1))",
    "[clic](java&#10;script:alert(1))",
    "[clic](&#1;javascript:alert(1))",
    "[clic](&#32;javascript:alert(1))",
    "[clic](<javascript:alert(1)>)",
    "[clic]( javascript:alert(1) )",
    "[clic](vbscript:msgbox(1))",
    "[clic](VBScript:msgbox(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[clic](DATA:text/html,<script>alert(1)</script>)",
    "[clic](file:///etc/passwd)",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![img](data:image/png;base64,iVBORw0KGgo=)",
    "![img](x \"titre\" onerror=\"alert(1))",
    "![x\" onerror=\"alert(1)](https://exemple.fr/a.png)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,xss>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "[ref]\n\n[ref]: jav&#x61;script:alert(1) \"titre\"",
    "[a](https://a.fr/\"onmouseover=\"alert(1))",
    "[a](https://a.fr/ \"t\\\" onmouseover=\\\"alert(1)\")",
    "```\" onmouseover=\"alert(1)\n<script>code</script>\n```",
    "``` <script>\nx\n```",
    "`<script>alert(1)</script>`",
    "> <script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>",
    "*<b onmouseover=alert(1)>gras</b>*",
    "<a href=\"https://a.fr\" onclick=\"alert(1)\">lien</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\\<script>alert(1)\\</script>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<xss onafterscriptexecute=alert(1)><script>1</script>",
};
}  // namespace

TEST(MarkdownSafety, KnownPayloadsLeaveNoScriptHandlerOrDangerousUrl) {
  for (const char* payload : kPayloads) {
    std::string out = md(payload);
    EXPECT_EQ(inv::html_problem(out), "") << payload << "\n→ " << out;
    std::string low = passerelle::str::lower_ascii(out);
    EXPECT_EQ(low.find("<script"), std::string::npos) << payload << "\n→ " << out;
  }
}

TEST(MarkdownSafety, NoEventHandlerAttributeInAnyTag) {
  // Independent of the checker: scan every tag for an attribute starting with "on".
  for (const char* payload : kPayloads) {
    std::string out = passerelle::str::lower_ascii(md(payload));
    for (size_t lt = out.find('<'); lt != std::string::npos; lt = out.find('<', lt + 1)) {
      std::string tag = out.substr(lt, out.find('>', lt) - lt);
      for (size_t sp = tag.find(' '); sp != std::string::npos; sp = tag.find(' ', sp + 1)) {
        // Inside a quoted value a space is text (title="a onclick=x" is harmless); count quotes.
        size_t quotes = std::count(tag.begin(), tag.begin() + static_cast<long>(sp), '"');
        if (quotes % 2 == 0) EXPECT_NE(tag.compare(sp + 1, 2, "on"), 0) << payload << "\n→ " << out;
      }
    }
  }
}

TEST(MarkdownSafety, DangerousLinksAreEmptiedButTheirTextStays) {
  EXPECT_EQ(md("[clic](jav&#x61;script:alert(1))"), "<p><a href=\"\">clic</a></p>\n");
  EXPECT_EQ(md("[clic](java&#9;script:alert(1))"), "<p><a href=\"\">clic</a></p>\n");
  EXPECT_EQ(md("![photo](data:image/png;base64,AAAA)"), "<p><img src=\"\" alt=\"photo\" /></p>\n");
}

TEST(MarkdownSafety, OrdinaryLinksStay) {
  EXPECT_EQ(md("[a](https://exemple.fr/x?y=1)"), "<p><a href=\"https://exemple.fr/x?y=1\">a</a></p>\n");
  EXPECT_EQ(md("[a](HTTP://exemple.fr)"), "<p><a href=\"HTTP://exemple.fr\">a</a></p>\n");
  EXPECT_EQ(md("[a](/pratiques/12)"), "<p><a href=\"/pratiques/12\">a</a></p>\n");
  EXPECT_EQ(md("[a](#section)"), "<p><a href=\"#section\">a</a></p>\n");
  EXPECT_EQ(md("[a](mailto:contact@mairie.fr)"), "<p><a href=\"mailto:contact@mairie.fr\">a</a></p>\n");
  EXPECT_EQ(md("[a](tel:+33123456789)"), "<p><a href=\"tel:+33123456789\">a</a></p>\n");
  EXPECT_EQ(md("[a](page?x=a:b)"), "<p><a href=\"page?x=a:b\">a</a></p>\n");
}

TEST(MarkdownSafety, SafeUrlReadsSchemesAsBrowsersDo) {
  EXPECT_FALSE(html::is_safe_url("javascript:x"));
  EXPECT_FALSE(html::is_safe_url("  JaVaScRiPt:x"));
  EXPECT_FALSE(html::is_safe_url("\x01\x02javascript:x"));
  EXPECT_FALSE(html::is_safe_url("java\tscr\nipt:x"));
  EXPECT_FALSE(html::is_safe_url("data:image/png;base64,AAAA"));
  EXPECT_FALSE(html::is_safe_url("vbscript:x"));
  EXPECT_FALSE(html::is_safe_url("file:///etc/passwd"));
  EXPECT_FALSE(html::is_safe_url("unknown:x"));
  EXPECT_TRUE(html::is_safe_url("https://a.fr/b:c"));
  EXPECT_TRUE(html::is_safe_url("//a.fr/x"));
  EXPECT_TRUE(html::is_safe_url("dossier/page"));
  EXPECT_TRUE(html::is_safe_url("?q=a:b"));
  EXPECT_TRUE(html::is_safe_url(""));
}

TEST(MarkdownSafety, CheckerCatchesWhatItMust) {
  // The checker itself must fail on unsafe HTML, or the tests above prove nothing.
  EXPECT_NE(inv::html_problem("<p><script>x</script></p>"), "");
  EXPECT_NE(inv::html_problem("<img src=\"x\" onerror=\"alert(1)\" />"), "");
  EXPECT_NE(inv::html_problem("<a href=\"jav&#x61;script:alert(1)\">x</a>"), "");
  EXPECT_NE(inv::html_problem("<a href=\" &#10;data:text/html,x\">x</a>"), "");
  EXPECT_NE(inv::html_problem("<iframe src=\"https://a.fr\"></iframe>"), "");
  EXPECT_EQ(inv::html_problem("<p><a href=\"https://a.fr/?a=1&amp;b=2\" title=\"t\">x</a></p>\n"), "");
}
