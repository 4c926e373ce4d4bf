#include "platform/http/message.hpp"

#include <gtest/gtest.h>

namespace http = passerelle::http;
using http::bhttp::field;
using http::bhttp::verb;

using Items = std::vector<std::pair<std::string, std::string>>;

TEST(Fields, ParsesInOrderAndDecodes) {
  auto f = http::Fields::parse("nom=Dupont&ville=Saint-%C3%89tienne&q=a+b%2Bc&vide=&seul");
  EXPECT_EQ(f.all(), (Items{{"nom", "Dupont"}, {"ville", "Saint-Étienne"}, {"q", "a b+c"}, {"vide", ""}, {"seul", ""}}));
  EXPECT_EQ(f.get("ville"), "Saint-Étienne");
  EXPECT_EQ(f.value("q"), "a b+c");
  EXPECT_TRUE(f.has("vide"));
  EXPECT_TRUE(f.has("seul"));
  EXPECT_FALSE(f.has("absent"));
  EXPECT_EQ(f.value("absent"), "");
  EXPECT_EQ(f.get("absent"), std::nullopt);
}

TEST(Fields, DecodesNamesTooAndKeepsEqualsInValues) {
  auto f = http::Fields::parse("a%5B%5D=1&a%5B%5D=2&expr=x%3Dy=z");
  EXPECT_EQ(f.all(), (Items{{"a[]", "1"}, {"a[]", "2"}, {"expr", "x=y=z"}}));
  EXPECT_EQ(f.get("a[]"), "1");  // the first of repeated fields
}

TEST(Fields, IgnoresEmptyPieces) {
  EXPECT_TRUE(http::Fields::parse("").all().empty());
  EXPECT_TRUE(http::Fields::parse("&&&").all().empty());
  EXPECT_EQ(http::Fields::parse("&a=1&&b=2&").all(), (Items{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(http::Fields::parse("=x").all(), (Items{{"", "x"}}));
}

TEST(Fields, KeepsBinaryBytesAsDecoded) {
  auto f = http::Fields::parse("b=%00%FF%");
  ASSERT_EQ(f.all().size(), 1u);
  EXPECT_EQ(f.value("b"), std::string("\0\xff%", 3));
}

namespace {
http::BeastRequest make(verb method, std::string target, std::initializer_list<std::pair<std::string, std::string>> headers = {},
                        std::string body = {}) {
  http::BeastRequest raw{method, target, 11};
  for (const auto& [k, v] : headers) raw.insert(k, v);
  raw.body() = std::move(body);
  return raw;
}
}  // namespace

TEST(Request, Headers) {
  auto raw = make(verb::get, "/", {{"Accept-Language", "fr-FR"}, {"X-Custom", "valeur"}});
  http::Request req(raw);
  EXPECT_EQ(req.header(field::accept_language), "fr-FR");
  EXPECT_EQ(req.header("accept-language"), "fr-FR");
  EXPECT_EQ(req.header("x-custom"), "valeur");
  EXPECT_EQ(req.header("absent"), "");
  EXPECT_EQ(req.header(field::authorization), "");
  EXPECT_EQ(req.method(), verb::get);
}

TEST(Cookies, FindsTheNamedCookie) {
  auto raw = make(verb::get, "/", {{"Cookie", "passerelle_session=abc; theme=sombre;lang=fr ;  vide=; x=a=b"}});
  http::Request req(raw);
  EXPECT_EQ(req.cookie("passerelle_session"), "abc");
  EXPECT_EQ(req.cookie("theme"), "sombre");
  EXPECT_EQ(req.cookie("lang"), "fr");
  EXPECT_EQ(req.cookie("vide"), "");
  EXPECT_EQ(req.cookie("x"), "a=b");
  EXPECT_EQ(req.cookie("absent"), std::nullopt);
}

TEST(Cookies, NamesMatchExactly) {
  auto raw = make(verb::get, "/", {{"Cookie", "xsession=1; session_old=2; Session=3"}});
  http::Request req(raw);
  EXPECT_EQ(req.cookie("session"), std::nullopt);
  EXPECT_EQ(req.cookie("Session"), "3");
  EXPECT_EQ(req.cookie("xsession"), "1");
}

TEST(Cookies, NoCookieHeader) {
  auto raw = make(verb::get, "/");
  http::Request req(raw);
  EXPECT_EQ(req.cookie("a"), std::nullopt);
}

TEST(Cookies, MalformedPiecesAreSkipped) {
  auto raw = make(verb::get, "/", {{"Cookie", ";;novalue; =orphan; a=1"}});
  http::Request req(raw);
  EXPECT_EQ(req.cookie("novalue"), std::nullopt);
  EXPECT_EQ(req.cookie(""), "orphan");
  EXPECT_EQ(req.cookie("a"), "1");
}

TEST(Cookies, EveryCookieHeaderIsRead) {
  // Proxies may split cookies over several header lines, not always next to each other
  // (Beast keeps lines of one name together, which the lookup relies on).
  auto raw = make(verb::get, "/", {{"Cookie", "a=1"}, {"Accept", "text/html"}, {"Cookie", "b=2"}, {"cookie", "c=3"}});
  http::Request req(raw);
  EXPECT_EQ(req.cookie("a"), "1");
  EXPECT_EQ(req.cookie("b"), "2");
  EXPECT_EQ(req.cookie("c"), "3");
}

TEST(Request, QueryFieldsComeFromTheQueryString) {
  auto raw = make(verb::get, "/recherche?q=caf%C3%A9&page=2");
  http::Request req(raw);
  req.path = "/recherche";
  req.query = "q=caf%C3%A9&page=2";
  EXPECT_EQ(req.query_fields().value("q"), "café");
  EXPECT_EQ(req.query_fields().value("page"), "2");
  EXPECT_TRUE(req.form().all().empty());
}

TEST(Request, FormReadsUrlencodedBodies) {
  auto raw = make(verb::post, "/connexion", {{"Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"}},
                  "email=a%40b.fr&mot_de_passe=%C3%A9t%C3%A9+2026&_csrf=tok");
  http::Request req(raw);
  EXPECT_EQ(req.form().value("email"), "a@b.fr");
  EXPECT_EQ(req.form().value("mot_de_passe"), "été 2026");
  EXPECT_EQ(req.form().value("_csrf"), "tok");
  EXPECT_EQ(req.body(), raw.body());
}

TEST(Request, FormIgnoresOtherContentTypes) {
  for (const char* type : {"application/json", "multipart/form-data; boundary=x", "text/plain", ""}) {
    auto raw = make(verb::post, "/", {{"Content-Type", type}}, "a=1&b=2");
    http::Request req(raw);
    EXPECT_TRUE(req.form().all().empty()) << type;
  }
}

TEST(Request, ParamsFromTheRoute) {
  auto raw = make(verb::get, "/t/lyon/");
  http::Request req(raw);
  req.params = {{"slug", "lyon"}, {"page", "charte"}};
  EXPECT_EQ(req.param("slug"), "lyon");
  EXPECT_EQ(req.param("page"), "charte");
  EXPECT_EQ(req.param("absent"), "");
}

TEST(Response, Helpers) {
  auto r = http::Response::redirect("/ailleurs");
  EXPECT_EQ(r.status, 303u);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Location", "/ailleurs"}));
  EXPECT_EQ(http::Response::redirect("/x", 302).status, 302u);
  auto j = http::Response::json("{}", 201);
  EXPECT_EQ(j.status, 201u);
  EXPECT_EQ(j.content_type, "application/json");
  auto t = http::Response::text("ok");
  EXPECT_EQ(t.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(http::Response{}.content_type, "text/html; charset=utf-8");
}
