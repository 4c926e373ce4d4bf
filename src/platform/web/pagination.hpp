#pragma once
// Which page numbers a pagination bar links to: the first, the last, and three on each side of
// the current page. Computed from those bounds, not by walking every page (a list of 2,000,000
// contributions has 100,000 of them).
#include <algorithm>
#include <cstddef>
#include <vector>

namespace passerelle::web {

inline std::vector<size_t> page_numbers(size_t page, size_t pages) {
  std::vector<size_t> shown;
  if (pages == 0) return shown;
  shown.push_back(1);
  for (size_t n = std::max<size_t>(2, page > 3 ? page - 3 : 1); n <= std::min(pages, page + 3); ++n) shown.push_back(n);
  if (shown.back() != pages) shown.push_back(pages);
  return shown;
}

}  // namespace passerelle::web
