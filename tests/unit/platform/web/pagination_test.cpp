#include "platform/web/pagination.hpp"

#include <gtest/gtest.h>

using passerelle::web::page_numbers;
using V = std::vector<size_t>;

TEST(PageNumbers, FirstLastAndThreeAroundTheCurrentPage) {
  EXPECT_EQ(page_numbers(1, 1), V({1}));
  EXPECT_EQ(page_numbers(1, 3), V({1, 2, 3}));
  EXPECT_EQ(page_numbers(1, 100000), V({1, 2, 3, 4, 100000}));
  EXPECT_EQ(page_numbers(50, 100000), V({1, 47, 48, 49, 50, 51, 52, 53, 100000}));
  EXPECT_EQ(page_numbers(100000, 100000), V({1, 99997, 99998, 99999, 100000}));
  EXPECT_EQ(page_numbers(4, 6), V({1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(page_numbers(9, 5), V({1, 5}));  // beyond the last page: the bounds still
  EXPECT_TRUE(page_numbers(1, 0).empty());
}
