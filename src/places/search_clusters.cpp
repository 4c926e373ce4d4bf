// Server-side clusters for the map: places grouped in cells of 64 pixels of the Web Mercator
// grid of each zoom level, at the mean position of their places.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "places/search_impl.hpp"

namespace passerelle::places {

namespace {

constexpr double kCellPixels = 64;

struct Acc {
  double lat = 0, lon = 0;
  uint32_t count = 0;
  uint32_t first = 0;
};

uint64_t mercator_cell(const Point& p, int zoom) {
  double world = 256.0 * std::ldexp(1.0, zoom);
  double lat = std::clamp(p.lat, -85.0511, 85.0511) * M_PI / 180.0;
  double x = (p.lon + 180.0) / 360.0 * world;
  double y = (1.0 - std::log(std::tan(lat) + 1.0 / std::cos(lat)) / M_PI) / 2.0 * world;
  auto cx = static_cast<uint64_t>(std::max(0.0, x / kCellPixels));
  auto cy = static_cast<uint64_t>(std::max(0.0, y / kCellPixels));
  return (cx << 32) | cy;
}

template <class Each>
std::vector<Cluster> gather(const std::vector<Entry>& entries, int zoom, Each&& each) {
  std::unordered_map<uint64_t, Acc> cells;
  std::vector<uint64_t> order;  // first-seen order, so that the output is stable
  each([&](uint32_t i) {
    const Entry& e = entries[i];
    if (!e.has_position) return;
    uint64_t key = mercator_cell(e.position, zoom);
    auto [it, fresh] = cells.try_emplace(key);
    if (fresh) it->second.first = i, order.push_back(key);
    it->second.lat += e.position.lat;
    it->second.lon += e.position.lon;
    ++it->second.count;
  });
  std::vector<Cluster> out;
  out.reserve(order.size());
  for (uint64_t key : order) {
    const Acc& a = cells[key];
    out.push_back({{a.lat / a.count, a.lon / a.count}, a.count, a.count == 1 ? &entries[a.first] : nullptr});
  }
  return out;
}

}  // namespace

void build_clusters(const Index& index, Index::Impl& impl) {
  const auto& entries = index.entries();
  for (int z = 0; z <= kMaxPrecomputedZoom; ++z)
    impl.clusters[static_cast<size_t>(z)] = gather(entries, z, [&](auto&& fn) {
      for (uint32_t i = 0; i < entries.size(); ++i) fn(i);
    });
}

std::vector<Cluster> Index::clusters(int zoom, const BBox& bbox, const Query* filter) const {
  zoom = std::clamp(zoom, 0, 22);
  std::vector<Cluster> out;
  if (!filter || (!filter->has_filters() && !filter->open_now && !filter->open_at && !filter->open_at_local)) {
    if (zoom <= kMaxPrecomputedZoom) {
      for (const auto& c : impl_->clusters[static_cast<size_t>(zoom)])
        if (bbox.contains(c.centre)) out.push_back(c);
      return out;
    }
    // Deeper: only the places in the box.
    auto all = gather(entries_, zoom, [&](auto&& fn) {
      for (uint32_t i = 0; i < entries_.size(); ++i)
        if (entries_[i].has_position && bbox.contains(entries_[i].position)) fn(i);
    });
    return all;
  }
  bool nothing = false;
  auto allowed = allowed_of(*impl_, *filter, nothing);
  if (nothing) return out;
  OpenCheck open(*filter);
  auto matching = gather(entries_, zoom, [&](auto&& fn) {
    auto visit = [&](uint32_t i) {
      const Entry& e = entries_[i];
      if (e.has_position && bbox.contains(e.position) && (!open.active() || open.open(e))) fn(i);
    };
    if (allowed) {
      for (uint32_t i : *allowed) visit(i);
    } else {
      for (uint32_t i = 0; i < entries_.size(); ++i) visit(i);
    }
  });
  return matching;
}

}  // namespace passerelle::places
