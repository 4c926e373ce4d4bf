#include "platform/http/router.hpp"

#include <gtest/gtest.h>

namespace http = passerelle::http;
using http::bhttp::verb;

namespace {

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ok = [](http::Request&) { return http::Response::text("ok"); };
    router.add(verb::get, "/", "accueil", ok);
    router.add(verb::get, "/t/{slug}/", "territoire", ok);
    router.add(verb::post, "/t/{slug}/", "territoire_modifier", ok);
    router.add(verb::get, "/t/{slug}/pages/{page}", "page_legale", ok);
    router.add(verb::get, "/static/{*path}", "statique", ok);
    router.add(verb::get, "/api/territoires", "api_liste", ok);
    router.add(verb::delete_, "/api/jetons/{id}", "jeton_supprimer", ok);
  }

  // Matches `target` (a path) and returns the route name, or "" with `known` set as the router says.
  std::string match(verb method, std::string path, bool* known = nullptr) {
    raw = http::BeastRequest{method, path, 11};
    req.emplace(raw);
    req->path = path_storage = std::move(path);
    auto m = router.match(*req);
    if (known) *known = m.path_known;
    return m.route ? m.route->name : "";
  }
  std::string param(std::string_view name) { return req->param(name); }

  http::Router router;
  http::BeastRequest raw;
  std::optional<http::Request> req;
  std::string path_storage;
};

}  // namespace

TEST_F(RouterTest, StaticRoutes) {
  EXPECT_EQ(match(verb::get, "/"), "accueil");
  EXPECT_EQ(match(verb::get, "/api/territoires"), "api_liste");
  EXPECT_EQ(match(verb::get, "/api/territoires/"), "");  // the trailing slash is significant
  EXPECT_EQ(match(verb::get, "/api"), "");
}

TEST_F(RouterTest, SegmentParameters) {
  EXPECT_EQ(match(verb::get, "/t/lyon/"), "territoire");
  EXPECT_EQ(param("slug"), "lyon");
  EXPECT_EQ(match(verb::get, "/t/lyon/pages/charte"), "page_legale");
  EXPECT_EQ(param("slug"), "lyon");
  EXPECT_EQ(param("page"), "charte");
  EXPECT_EQ(match(verb::get, "/t//"), "");  // an empty segment never binds a parameter
  EXPECT_EQ(match(verb::get, "/t/lyon"), "");
  EXPECT_EQ(match(verb::get, "/t/lyon/pages/charte/plus"), "");
}

TEST_F(RouterTest, ParametersArePercentDecodedButPlusStays) {
  EXPECT_EQ(match(verb::get, "/t/saint-%C3%A9tienne/pages/a+b%20c"), "page_legale");
  EXPECT_EQ(param("slug"), "saint-étienne");
  EXPECT_EQ(param("page"), "a+b c");
  // An encoded slash stays inside its segment.
  EXPECT_EQ(match(verb::get, "/t/a%2Fb/"), "territoire");
  EXPECT_EQ(param("slug"), "a/b");
}

TEST_F(RouterTest, WildcardTakesTheRest) {
  EXPECT_EQ(match(verb::get, "/static/css/site.css"), "statique");
  EXPECT_EQ(param("path"), "css/site.css");
  EXPECT_EQ(match(verb::get, "/static/logo.svg"), "statique");
  EXPECT_EQ(param("path"), "logo.svg");
  EXPECT_EQ(match(verb::get, "/static/a%20b/c"), "statique");
  EXPECT_EQ(param("path"), "a b/c");
  EXPECT_EQ(match(verb::get, "/static"), "");
}

TEST_F(RouterTest, MethodMismatchIsReportedForA405) {
  bool known = false;
  EXPECT_EQ(match(verb::put, "/t/lyon/", &known), "");
  EXPECT_TRUE(known);
  EXPECT_EQ(match(verb::post, "/api/territoires", &known), "");
  EXPECT_TRUE(known);
  EXPECT_EQ(match(verb::post, "/nulle-part", &known), "");
  EXPECT_FALSE(known);
  EXPECT_EQ(match(verb::post, "/t/lyon/", &known), "territoire_modifier");
  EXPECT_EQ(match(verb::delete_, "/api/jetons/12", &known), "jeton_supprimer");
  EXPECT_EQ(param("id"), "12");
}

TEST_F(RouterTest, HeadIsServedByGetRoutes) {
  EXPECT_EQ(match(verb::head, "/t/lyon/"), "territoire");
  EXPECT_EQ(match(verb::head, "/"), "accueil");
}

TEST_F(RouterTest, FirstMatchingRouteWins) {
  router.add(verb::get, "/t/{slug}/", "doublon", [](http::Request&) { return http::Response{}; });
  EXPECT_EQ(match(verb::get, "/t/x/"), "territoire");
}

TEST_F(RouterTest, IndexOfAndRoutes) {
  ASSERT_EQ(router.routes().size(), 7u);
  EXPECT_EQ(router.index_of(&router.routes()[3]), 3u);
  EXPECT_EQ(router.routes()[1].segments, (std::vector<std::string>{"t", "{slug}", ""}));
}

TEST_F(RouterTest, ParamsAreClearedBetweenCandidates) {
  // "/t/{slug}/pages/{page}" fails after binding slug; the matching route must not inherit it.
  router.add(verb::get, "/t/{autre}/pages", "pages", [](http::Request&) { return http::Response{}; });
  EXPECT_EQ(match(verb::get, "/t/x/pages"), "pages");
  ASSERT_EQ(req->params.size(), 1u);
  EXPECT_EQ(param("autre"), "x");
  EXPECT_EQ(param("slug"), "");
}
