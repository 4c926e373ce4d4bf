// http::parse_request and http::dispatch: the path every request takes before a handler.
#include <gtest/gtest.h>

#include <stdexcept>

#include "platform/http/server.hpp"

namespace http = passerelle::http;
using http::bhttp::verb;

namespace {

const http::ServerOptions kLimits;  // the server's defaults: 16 KiB of headers, 1 MiB of body

http::ParseOutcome parse(std::string_view bytes, http::BeastRequest& out) {
  return http::parse_request(bytes, out, kLimits.header_limit, kLimits.body_limit);
}

http::ParseOutcome parse(std::string_view bytes) {
  http::BeastRequest out;
  return parse(bytes, out);
}

}  // namespace

TEST(ParseRequest, CompleteGet) {
  http::BeastRequest req;
  auto o = parse("GET /recherche?q=caf%C3%A9 HTTP/1.1\r\nHost: exemple.fr\r\nAccept-Language: fr\r\n\r\n", req);
  ASSERT_TRUE(o.complete) << o.error;
  EXPECT_EQ(o.error_status, 0u);
  EXPECT_EQ(req.method(), verb::get);
  EXPECT_EQ(req.target(), "/recherche?q=caf%C3%A9");
  EXPECT_EQ(req[http::bhttp::field::host], "exemple.fr");
  EXPECT_EQ(req.version(), 11u);
  EXPECT_TRUE(req.keep_alive());
}

TEST(ParseRequest, PostWithContentLength) {
  http::BeastRequest req;
  auto o = parse("POST /connexion HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 "Content-Length: 11\r\n\r\nemail=a%40b", req);
  ASSERT_TRUE(o.complete) << o.error;
  EXPECT_EQ(req.method(), verb::post);
  EXPECT_EQ(req.body(), "email=a%40b");
}

TEST(ParseRequest, ChunkedBody) {
  http::BeastRequest req;
  auto o = parse("POST /api/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "5\r\nhello\r\n7;ext=1\r\n, monde\r\n0\r\n\r\n", req);
  ASSERT_TRUE(o.complete) << o.error;
  EXPECT_EQ(req.body(), "hello, monde");
}

TEST(ParseRequest, Http10) {
  http::BeastRequest req;
  auto o = parse("GET / HTTP/1.0\r\n\r\n", req);
  ASSERT_TRUE(o.complete) << o.error;
  EXPECT_EQ(req.version(), 10u);
  EXPECT_FALSE(req.keep_alive());
}

TEST(ParseRequest, PipelinedRequestsYieldTheFirst) {
  http::BeastRequest req;
  auto o = parse("GET /un HTTP/1.1\r\nHost: a\r\n\r\nGET /deux HTTP/1.1\r\nHost: a\r\n\r\n", req);
  ASSERT_TRUE(o.complete) << o.error;
  EXPECT_EQ(req.target(), "/un");
}

TEST(ParseRequest, IncompleteInputNeedsMore) {
  for (std::string_view partial : {std::string_view(""), std::string_view("G"), std::string_view("GET / HTTP/1.1"),
                                   std::string_view("GET / HTTP/1.1\r\nHost: a\r\n"),
                                   std::string_view("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"),
                                   std::string_view("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")}) {
    auto o = parse(partial);
    EXPECT_FALSE(o.complete) << partial;
    EXPECT_EQ(o.error_status, 0u) << partial << ": " << o.error;
  }
}

TEST(ParseRequest, HeadersOverTheLimitAre431) {
  std::string big = "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + std::string(kLimits.header_limit, 'x') + "\r\n\r\n";
  auto o = parse(big);
  EXPECT_FALSE(o.complete);
  EXPECT_EQ(o.error_status, 431u) << o.error;
  // Even before the end of the headers has arrived.
  EXPECT_EQ(parse(big.substr(0, kLimits.header_limit + 100)).error_status, 431u);
  // Many small fields add up.
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 2000; ++i) many += "X-F" + std::to_string(i) + ": 0123456789\r\n";
  EXPECT_EQ(parse(many + "\r\n").error_status, 431u);
}

TEST(ParseRequest, HeadersJustUnderTheLimitPass) {
  std::string ok = "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + std::string(kLimits.header_limit - 100, 'x') + "\r\n\r\n";
  auto o = parse(ok);
  EXPECT_TRUE(o.complete) << o.error_status << " " << o.error;
}

TEST(ParseRequest, BodiesOverTheLimitAre413) {
  auto declared = parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(kLimits.body_limit + 1) + "\r\n\r\n");
  EXPECT_EQ(declared.error_status, 413u) << declared.error;
  std::string chunked = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  char size[32];
  snprintf(size, sizeof size, "%zx\r\n", kLimits.body_limit + 1);
  auto o = parse(chunked + size + std::string(kLimits.body_limit + 1, 'a') + "\r\n0\r\n\r\n");
  EXPECT_EQ(o.error_status, 413u) << o.error;
  // A body of exactly the limit is fine.
  std::string exact(kLimits.body_limit, 'b');
  auto fine = parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(exact.size()) + "\r\n\r\n" + exact);
  EXPECT_TRUE(fine.complete) << fine.error;
}

TEST(ParseRequest, MalformedRequestsAre400) {
  for (std::string_view bad : {
           std::string_view("GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
           std::string_view("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
           std::string_view("GET / HTTP/9.9\r\n\r\n"),
           std::string_view("GET / FTP/1.1\r\n\r\n"),
           std::string_view("GET  / HTTP/1.1\r\n\r\n"),
           std::string_view("G(T / HTTP/1.1\r\n\r\n"),
           std::string_view("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n"),
           std::string_view("GET / HTTP/1.1\r\n: novalue\r\n\r\n"),
           std::string_view("\r\n\r\n"),
           std::string_view("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
       }) {
    auto o = parse(bad);
    EXPECT_FALSE(o.complete) << bad;
    EXPECT_EQ(o.error_status, 400u) << bad << " → " << o.error;
    EXPECT_FALSE(o.error.empty());
  }
}

// dispatch ------------------------------------------------------------------------------------

namespace {

class DispatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(verb::get, "/", "accueil", [](http::Request&) { return http::Response::text("accueil"); });
    router.add(verb::get, "/t/{slug}/", "territoire", [](http::Request& r) { return http::Response::text("t:" + r.param("slug")); });
    router.add(verb::post, "/formulaire", "formulaire",
               [](http::Request& r) { return http::Response::text("nom=" + r.form().value("nom") + ";q=" + r.query_fields().value("q")); });
    router.add(verb::get, "/panne", "panne", [](http::Request&) -> http::Response { throw std::runtime_error("boum"); });
    errors.render = [this](http::Request& r, unsigned status) {
      rendered.push_back(status);
      return http::Response::text("erreur " + std::to_string(status) + " " + std::string(r.path), status);
    };
  }

  http::Response run(std::string_view bytes, size_t* route_index = nullptr) {
    raw = {};
    auto o = parse(bytes, raw);
    EXPECT_TRUE(o.complete) << o.error;
    req.emplace(raw);
    size_t index = 0;
    auto res = http::dispatch(router, *req, errors, &index);
    if (route_index) *route_index = index;
    return res;
  }

  http::Router router;
  http::ErrorPages errors;
  std::vector<unsigned> rendered;
  http::BeastRequest raw;
  std::optional<http::Request> req;
};

}  // namespace

TEST_F(DispatchTest, RoutesToTheHandler) {
  size_t index = 99;
  auto res = run("GET /t/lyon/?onglet=agenda HTTP/1.1\r\nHost: a\r\n\r\n", &index);
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.body, "t:lyon");
  EXPECT_EQ(index, 1u);
  EXPECT_EQ(req->path, "/t/lyon/");
  EXPECT_EQ(req->query, "onglet=agenda");
  EXPECT_EQ(req->route_name, "territoire");
  EXPECT_TRUE(rendered.empty());
}

TEST_F(DispatchTest, FormAndQueryReachTheHandler) {
  std::string body = "nom=Andr%C3%A9+D.";
  auto res = run("POST /formulaire?q=%C3%A9t%C3%A9 HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 "Content-Length: " + std::to_string(body.size()) + "\r\nCookie: s=1\r\n\r\n" + body);
  EXPECT_EQ(res.body, "nom=André D.;q=été");
}

TEST_F(DispatchTest, UnknownPathIs404AndWrongMethod405) {
  size_t index = 0;
  EXPECT_EQ(run("GET /nulle-part HTTP/1.1\r\n\r\n", &index).status, 404u);
  EXPECT_EQ(index, router.routes().size());  // counted as "no route"
  EXPECT_EQ(run("DELETE /t/lyon/ HTTP/1.1\r\n\r\n").status, 405u);
  EXPECT_EQ(run("BREW /t/lyon/ HTTP/1.1\r\n\r\n").status, 405u);  // unknown methods parse, then 405
  EXPECT_EQ(rendered, (std::vector<unsigned>{404, 405, 405}));
}

TEST_F(DispatchTest, TargetsThatAreNotPathsAre400) {
  EXPECT_EQ(run("OPTIONS * HTTP/1.1\r\n\r\n").status, 400u);
  EXPECT_EQ(run("GET http://exemple.fr/ HTTP/1.1\r\n\r\n").status, 400u);
  EXPECT_EQ(run("GET ?q=1 HTTP/1.1\r\n\r\n").status, 400u);
  EXPECT_EQ(rendered, (std::vector<unsigned>{400, 400, 400}));
}

TEST_F(DispatchTest, HandlerExceptionIs500) {
  size_t index = 0;
  auto res = run("GET /panne HTTP/1.1\r\n\r\n", &index);
  EXPECT_EQ(res.status, 500u);
  EXPECT_EQ(index, 3u);
  EXPECT_EQ(rendered, (std::vector<unsigned>{500}));
}

TEST_F(DispatchTest, HeadUsesGetRoutes) {
  auto res = run("HEAD / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.body, "accueil");  // the server drops the body when writing a HEAD answer
}
