#pragma once
// Inside the index of places (search.cpp, search_clusters.cpp): not for other modules.
#include <limits>
#include <map>
#include <roaring/roaring.hh>
#include <unordered_map>

#include "places/search.hpp"

namespace passerelle::places {

inline constexpr int kMaxPrecomputedZoom = 12;

using UnitVector = std::array<double, 3>;
UnitVector unit_vector(const Point& p);

struct Index::Impl {
  // One bitmap of entry positions per value of each list (canonical values), per term.
  std::array<std::map<std::string, Roaring, std::less<>>, kListFilterCount> by_value;
  std::unordered_map<std::string, Roaring> by_term;
  Roaring positioned;  // entries with a position (their own or their commune's centre)
  std::vector<uint32_t> by_name;  // entries in name order (folded)
  std::vector<UnitVector> unit;   // position of each entry on the unit sphere (distances as chords)
  // Grid of kCellDegrees cells: entries of each occupied cell, and the range of occupied cells.
  std::unordered_map<uint64_t, std::vector<uint32_t>> grid;
  int64_t min_i = std::numeric_limits<int64_t>::max(), max_i = std::numeric_limits<int64_t>::min();
  int64_t min_j = std::numeric_limits<int64_t>::max(), max_j = std::numeric_limits<int64_t>::min();
  std::array<std::vector<Cluster>, kMaxPrecomputedZoom + 1> clusters;  // every place, per zoom
};

uint64_t grid_key(int64_t i, int64_t j);
// The entries a query's lists and words keep; nullopt = all. `nothing`: none can match.
std::optional<Roaring> allowed_of(const Index::Impl& impl, const Query& q, bool& nothing);
void build_clusters(const Index& index, Index::Impl& impl);

// "Open at the query's time?", converting the instant once per time zone.
class OpenCheck {
 public:
  explicit OpenCheck(const Query& q);
  bool active() const { return active_; }
  bool open(const Entry& e);

 private:
  const Query& q_;
  bool active_;
  std::vector<std::pair<std::string, std::optional<LocalMinutes>>> zones_;
};

}  // namespace passerelle::places
