// The page cache: a page is served again only while the change marker has not moved.
#include "platform/web/page_cache.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace passerelle::web {
namespace {

http::Response page(std::string body) {
  http::Response r;
  r.body = std::move(body);
  return r;
}

TEST(PageCache, ServesAPageUntilTheMarkerMoves) {
  PageCache cache(1 << 20, std::chrono::seconds(60));
  EXPECT_FALSE(cache.find("fr /a", "1").has_value());
  cache.store("fr /a", "1", "1", page("A"));
  ASSERT_TRUE(cache.find("fr /a", "1").has_value());
  EXPECT_EQ(cache.find("fr /a", "1")->body, "A");
  EXPECT_FALSE(cache.find("en /a", "1").has_value());  // the key holds the language
  EXPECT_FALSE(cache.find("fr /a", "2").has_value());  // a commit since: stale
  cache.store("fr /b", "2", "2", page("B"));
  EXPECT_FALSE(cache.find("fr /a", "2").has_value());  // entries of the old marker are gone
  EXPECT_EQ(cache.find("fr /b", "2")->body, "B");
}

TEST(PageCache, KeepsNothingRenderedWhileTheMarkerMoved) {
  PageCache cache(1 << 20, std::chrono::seconds(60));
  cache.store("fr /a", "1", "2", page("A, peut-être à moitié ancienne"));
  EXPECT_FALSE(cache.find("fr /a", "1").has_value());
  EXPECT_FALSE(cache.find("fr /a", "2").has_value());
  cache.store("fr /a", "", "", page("A"));  // a backend without marker: never cached
  EXPECT_FALSE(cache.find("fr /a", "").has_value());
}

TEST(PageCache, StaysWithinItsMemoryAndAge) {
  PageCache cache(4000, std::chrono::seconds(60));
  cache.store("fr /grande", "1", "1", page(std::string(2000, 'x')));  // over a quarter: refused
  EXPECT_FALSE(cache.find("fr /grande", "1").has_value());
  for (int i = 0; i < 20; ++i) cache.store("fr /" + std::to_string(i), "1", "1", page(std::string(500, 'x')));
  EXPECT_LE(cache.bytes(), 4000u);
  EXPECT_TRUE(cache.find("fr /19", "1").has_value());

  PageCache brief(1 << 20, std::chrono::seconds(0));
  brief.store("fr /a", "1", "1", page("A"));
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_FALSE(brief.find("fr /a", "1").has_value());  // pages also follow the clock
}

TEST(PageCache, NeverKeepsAFileBody) {
  PageCache cache(1 << 20, std::chrono::seconds(60));
  http::Response r = page("");
  r.file = std::make_shared<http::FileBody>(-1, 10);
  cache.store("fr /export", "1", "1", r);
  EXPECT_FALSE(cache.find("fr /export", "1").has_value());
}

}  // namespace
}  // namespace passerelle::web
