#include "platform/web/app.hpp"

#include <gtest/gtest.h>

namespace passerelle::web {

TEST(IsLocalPath, AcceptsPathsOfThisSite) {
  EXPECT_TRUE(is_local_path("/"));
  EXPECT_TRUE(is_local_path("/compte"));
  EXPECT_TRUE(is_local_path("/t/besancon/?x=1"));
}

TEST(IsLocalPath, RefusesWhatABrowserReadsAsAnotherSite) {
  EXPECT_FALSE(is_local_path(""));
  EXPECT_FALSE(is_local_path("//evil.example/"));
  EXPECT_FALSE(is_local_path("/\\evil.example"));
  EXPECT_FALSE(is_local_path("https://evil.example/"));
  EXPECT_FALSE(is_local_path("compte"));
}

}  // namespace passerelle::web
