// The index of places and the search over it (search.hpp). Clusters are in search_clusters.cpp,
// parameters (origins, times, values) in search_params.cpp.
#include "places/search.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <unordered_map>

#include "places/search_impl.hpp"
#include "text/analyzer.hpp"

namespace passerelle::places {

namespace {

constexpr double kCellDegrees = 0.1;   // grid cells: about 11 km × 7.5 km in metropolitan France
constexpr size_t kBruteForceBelow = 2048;  // fewer candidates than this: distance to each
constexpr int kMaxRings = 120;         // further than this, the rest is a scan of the candidates
constexpr size_t kMaxNeed = 10000;     // page × per_page is capped (deep pages of a distance sort)

text::Analyzer& analyzer() {
  thread_local text::Analyzer a;
  return a;
}

int64_t cell_of(double degrees) { return static_cast<int64_t>(std::floor(degrees / kCellDegrees)); }

constexpr double kEarthRadiusKm = 6371.0088;  // as haversine_km

double chord2(const UnitVector& a, const UnitVector& b) {
  double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
  return dx * dx + dy * dy + dz * dz;
}
double chord2_to_km(double c2) { return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(c2) / 2)); }

}  // namespace

bool Query::has_filters() const {
  if (!q.empty()) return true;
  for (const auto& l : lists)
    if (!l.empty()) return true;
  return false;
}

UnitVector unit_vector(const Point& p) {
  double lat = p.lat * M_PI / 180.0, lon = p.lon * M_PI / 180.0;
  return {std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon), std::sin(lat)};
}

uint64_t grid_key(int64_t i, int64_t j) { return (static_cast<uint64_t>(i + (1 << 20)) << 32) | static_cast<uint64_t>(j + (1 << 20)); }

std::shared_ptr<const Index> Index::build(const std::vector<PlaceRow>& rows, const Communes& communes) {
  auto index = std::shared_ptr<Index>(new Index());
  auto impl = std::make_shared<Impl>();
  index->entries_.reserve(rows.size());
  auto& an = analyzer();
  std::vector<text::Token> tokens;
  for (const auto& row : rows) {
    const Record& f = row.fields;
    Entry e;
    e.id = row.id;
    e.ident = f[Field::id];
    e.nom = f[Field::nom];
    e.commune = f[Field::commune];
    e.code_postal = f[Field::code_postal];
    e.code_insee = f[Field::code_insee];
    e.adresse = f[Field::adresse];
    e.complement_adresse = f[Field::complement_adresse];
    e.telephone = f[Field::telephone];
    e.courriels = f[Field::courriels];
    e.site_web = f[Field::site_web];
    e.horaires = f[Field::horaires];
    e.presentation_resume = f[Field::presentation_resume];
    e.modalites_acces = f[Field::modalites_acces];
    e.prise_rdv = f[Field::prise_rdv];
    for (size_t l = 0; l < kListFilterCount; ++l) e.lists[l] = f[field_of(static_cast<ListFilter>(l))];
    // The commune gives the time zone (and the position when the place has none): its INSEE
    // code, else its postal code's most populous commune. Real files carry wrong INSEE codes
    // (Mont-Dore, New Caledonia, as 63236, a commune of Puy-de-Dôme): with coordinates, of the
    // two the commune nearest to the place wins.
    auto lat = f.latitude(), lon = f.longitude();
    const Commune* commune = e.code_insee.empty() ? nullptr : communes.find_by_insee(e.code_insee);
    const Commune* by_postal = nullptr;
    if (!e.code_postal.empty())
      if (auto found = communes.find_by_postal_code(e.code_postal); !found.empty()) by_postal = found.front();
    if (!commune) commune = by_postal;
    else if (by_postal && by_postal != commune && lat && lon && commune->centre && by_postal->centre &&
             haversine_km(*lat, *lon, by_postal->centre->lat, by_postal->centre->lon) < haversine_km(*lat, *lon, commune->centre->lat, commune->centre->lon))
      commune = by_postal;
    if (commune && !commune->time_zone.empty()) e.time_zone = std::string(commune->time_zone);
    if (lat && lon) {
      e.has_position = true;
      e.position = {*lat, *lon};
    } else if (commune && commune->centre) {
      e.has_position = true;
      e.at_commune_centre = true;
      e.position = *commune->centre;
    }
    if (!e.horaires.empty()) {
      auto parsed = parse_or_repair(e.horaires);
      if (parsed) e.hours = std::move(parsed->hours);
    }
    index->entries_.push_back(std::move(e));

    // Terms of the name, the presentation and the commune.
    uint32_t at = static_cast<uint32_t>(index->entries_.size() - 1);
    tokens.clear();
    for (Field field : {Field::nom, Field::presentation_resume, Field::presentation_detail, Field::commune})
      an.tokens(f[field], tokens);
    for (const auto& t : tokens) impl->by_term[t.term].add(at);
  }

  // Values of the lists.
  for (size_t l = 0; l < kListFilterCount; ++l) {
    auto filter = static_cast<ListFilter>(l);
    for (uint32_t i = 0; i < index->entries_.size(); ++i)
      for (const auto& value : split_list(index->entries_[i].lists[l]))
        if (auto canonical = canonical_value(filter, value)) impl->by_value[l][*canonical].add(i);
  }

  // Name order, grid, positioned places.
  impl->unit.resize(index->entries_.size());
  std::vector<std::pair<std::string, uint32_t>> keys;
  keys.reserve(index->entries_.size());
  for (uint32_t i = 0; i < index->entries_.size(); ++i) {
    const Entry& e = index->entries_[i];
    keys.emplace_back(text::fold(e.nom), i);
    if (!e.has_position) continue;
    impl->positioned.add(i);
    impl->unit[i] = unit_vector(e.position);
    int64_t ci = cell_of(e.position.lat), cj = cell_of(e.position.lon);
    impl->grid[grid_key(ci, cj)].push_back(i);
    impl->min_i = std::min(impl->min_i, ci), impl->max_i = std::max(impl->max_i, ci);
    impl->min_j = std::min(impl->min_j, cj), impl->max_j = std::max(impl->max_j, cj);
  }
  impl->positioned.runOptimize();
  std::sort(keys.begin(), keys.end());
  for (const auto& k : keys) impl->by_name.push_back(k.second);
  for (auto& [term, bitmap] : impl->by_term) bitmap.runOptimize();
  for (auto& values : impl->by_value)
    for (auto& [value, bitmap] : values) bitmap.runOptimize();
  index->impl_ = impl;
  build_clusters(*index, *impl);
  index->self_ = index;
  return index;
}

std::shared_ptr<const Index> Index::load(db::Connection& conn, const Communes& communes) {
  std::string columns;
  for (size_t f = 0; f < kFieldCount; ++f) columns += std::string(f == 0 ? "ident" : kFieldNames[f]) + ", ";
  std::vector<PlaceRow> rows;
  int64_t after = 0;
  for (;;) {  // in batches: the rows of 100,000 places at once would be a few hundred MB
    auto batch = conn.query("SELECT " + columns + "id FROM places WHERE id > ? ORDER BY id LIMIT 5000", {after});
    if (batch.empty()) break;
    for (auto row : batch) {
      PlaceRow p;
      for (size_t f = 0; f < kFieldCount; ++f) p.fields.values[f] = row.str(f);
      p.id = after = row.int64(kFieldCount);
      rows.push_back(std::move(p));
    }
  }
  return build(rows, communes);
}

// What a query keeps, before distances: nullopt = every place.
std::optional<Roaring> allowed_of(const Index::Impl& impl, const Query& q, bool& nothing) {
  nothing = false;
  std::optional<Roaring> allowed;
  auto narrow = [&](const Roaring& set) {
    if (allowed) *allowed &= set;
    else allowed = set;
  };
  for (size_t l = 0; l < kListFilterCount; ++l) {
    if (q.lists[l].empty()) continue;
    Roaring any;
    for (const auto& value : q.lists[l]) {
      auto it = impl.by_value[l].find(value);
      if (it != impl.by_value[l].end()) any |= it->second;
    }
    narrow(any);
  }
  if (!q.q.empty()) {
    auto terms = analyzer().tokens(q.q);
    for (const auto& t : terms) {
      auto it = impl.by_term.find(t.term);
      if (it == impl.by_term.end()) {
        nothing = true;
        return Roaring();
      }
      narrow(it->second);
    }
  }
  if (allowed && allowed->isEmpty()) nothing = true;
  return allowed;
}

OpenCheck::OpenCheck(const Query& q) : q_(q), active_(q.open_now || q.open_at || q.open_at_local) {}

bool OpenCheck::open(const Entry& e) {
  if (!e.hours) return false;
  if (q_.open_at_local) return is_open(*e.hours, *q_.open_at_local);
  for (const auto& [zone, local] : zones_)
    if (zone == e.time_zone) return local && is_open(*e.hours, *local);
  auto local = to_local(q_.open_at.value_or(q_.now), e.time_zone);
  zones_.emplace_back(e.time_zone, local ? std::optional<LocalMinutes>(*local) : std::nullopt);
  return local && is_open(*e.hours, *local);
}

namespace {

struct Candidate {
  double distance;
  uint32_t index;
  bool operator<(const Candidate& o) const { return distance != o.distance ? distance < o.distance : index < o.index; }
};

// The lowest distance, in km, from the point to any cell of ring r around its own cell.
double ring_bound(double lat, int r) {
  if (r <= 1) return 0;
  double farthest = std::min(89.9, std::abs(lat) + (r + 1) * kCellDegrees);
  double km_per_degree = 111.19 * std::cos(farthest * M_PI / 180.0);
  return 0.99 * (r - 1) * kCellDegrees * km_per_degree;
}

}  // namespace

Results Index::search(const Query& q) const {
  const Impl& impl = *impl_;
  Results out;
  out.index = self();
  size_t per_page = std::max<size_t>(q.per_page, 1);
  size_t need = std::min(kMaxNeed, std::max<size_t>(q.page, 1) * per_page);
  size_t offset = (std::max<size_t>(q.page, 1) - 1) * per_page;
  bool nothing = false;
  auto allowed = allowed_of(impl, q, nothing);
  if (nothing) return out;
  OpenCheck open(q);
  auto keep = [&](uint32_t i) { return (!allowed || allowed->contains(i)) && (!open.active() || open.open(entries_[i])); };
  auto hit = [&](uint32_t i, std::optional<double> d) {
    Hit h{&entries_[i], d, open.active() ? true : false};
    if (!open.active()) h.open = entries_[i].hours && OpenCheck(Query{.now = q.now}).open(entries_[i]);
    out.hits.push_back(h);
  };

  if (!q.near) {  // by name
    uint64_t count = 0;
    for (uint32_t i : impl.by_name) {
      if (!keep(i)) continue;
      if (count >= offset && out.hits.size() < per_page) hit(i, std::nullopt);
      ++count;
    }
    out.total = count;
    return out;
  }

  // Candidates are ranked by the squared chord between unit vectors (monotonic in the
  // great-circle distance, three multiplications); the page's hits get their haversine distance.
  const Point p = *q.near;
  const UnitVector u = unit_vector(p);
  std::optional<double> radius_chord2;
  if (q.radius_km) {
    double c = 2 * std::sin(std::min(*q.radius_km, kEarthRadiusKm * M_PI) / (2 * kEarthRadiusKm));
    radius_chord2 = c * c;
  }
  std::vector<Candidate> heap;  // max-heap of the `need` nearest (distance = squared chord)
  uint64_t within = 0;
  // `known`: i is a candidate already (the lists and words passed), only the hours are left.
  auto consider = [&](uint32_t i, bool known = false) {
    if (known ? (open.active() && !open.open(entries_[i])) : !keep(i)) return;
    double c2 = chord2(u, impl.unit[i]);
    if (radius_chord2 && c2 > *radius_chord2 * (1 - 1e-9)) {  // near the edge, as the scan decides
      if (c2 > *radius_chord2 * (1 + 1e-9) || haversine_km(p.lat, p.lon, entries_[i].position.lat, entries_[i].position.lon) > *q.radius_km) return;
    }
    ++within;
    Candidate c{c2, i};
    if (heap.size() < need) {
      heap.push_back(c);
      std::push_heap(heap.begin(), heap.end());
    } else if (c < heap.front()) {
      std::pop_heap(heap.begin(), heap.end());
      heap.back() = c;
      std::push_heap(heap.begin(), heap.end());
    }
  };
  Roaring candidates = allowed ? (*allowed & impl.positioned) : impl.positioned;
  const uint64_t count = candidates.cardinality();
  auto every_candidate = [&] {
    heap.clear();
    within = 0;
    for (uint32_t i : candidates) consider(i, true);
  };
  bool exhaustive = false;  // every candidate was considered (so `within` is the total)
  if (count < kBruteForceBelow || impl.grid.empty()) {
    every_candidate();
    exhaustive = true;
  } else {
    // Rings of cells around the point. The walk gives up for a look at every candidate once it
    // has examined as many places and cells as there are candidates (filters that match far
    // away only, empty sea around the point) or gone past kMaxRings: never much more than twice
    // a scan of the candidates, usually a few hundred places.
    int64_t i0 = cell_of(p.lat), j0 = cell_of(p.lon);
    int64_t rmax = std::max({std::abs(i0 - impl.min_i), std::abs(i0 - impl.max_i), std::abs(j0 - impl.min_j), std::abs(j0 - impl.max_j)});
    uint64_t examined = 0;
    bool walked_all = true, gave_up = false;
    for (int64_t r = 0; r <= rmax; ++r) {
      double bound = ring_bound(p.lat, static_cast<int>(r));
      if (q.radius_km && bound > *q.radius_km) break;
      if (!q.radius_km && heap.size() == need && bound > chord2_to_km(heap.front().distance)) {
        walked_all = false;
        break;
      }
      if (r > kMaxRings || examined > count) {
        gave_up = true;
        break;
      }
      auto cell = [&](int64_t i, int64_t j) {
        ++examined;  // a look-up costs about what a place does
        auto it = impl.grid.find(grid_key(i, j));
        if (it == impl.grid.end()) return;
        examined += it->second.size();
        for (uint32_t idx : it->second) consider(idx);
      };
      if (r == 0) {
        cell(i0, j0);
        continue;
      }
      for (int64_t j = j0 - r; j <= j0 + r; ++j) cell(i0 - r, j), cell(i0 + r, j);
      for (int64_t i = i0 - r + 1; i <= i0 + r - 1; ++i) cell(i, j0 - r), cell(i, j0 + r);
    }
    if (gave_up) every_candidate();
    exhaustive = gave_up || walked_all || q.radius_km.has_value();
  }
  if (exhaustive) out.total = within;
  else if (!open.active()) out.total = count;
  else {  // open filter without a radius: count every open candidate
    uint64_t n = 0;
    for (uint32_t i : candidates) n += open.open(entries_[i]) ? 1 : 0;
    out.total = n;
  }
  std::sort_heap(heap.begin(), heap.end());
  for (size_t k = offset; k < heap.size() && out.hits.size() < per_page; ++k) {
    const Entry& e = entries_[heap[k].index];
    hit(heap[k].index, haversine_km(p.lat, p.lon, e.position.lat, e.position.lon));
  }
  return out;
}

std::vector<std::string> Index::typologies() const {
  std::vector<std::string> out;
  for (const auto& [value, bitmap] : impl_->by_value[static_cast<size_t>(ListFilter::typologie)]) out.push_back(value);
  return out;
}

Results Index::scan(const Query& q) const {
  // Every place examined in turn: the filters' bitmaps (as search() uses them), the hours, and the
  // distance to each, then a partial sort. No grid.
  Results out;
  out.index = self();
  size_t per_page = std::max<size_t>(q.per_page, 1);
  size_t offset = (std::max<size_t>(q.page, 1) - 1) * per_page;
  bool nothing = false;
  auto allowed = allowed_of(*impl_, q, nothing);
  if (nothing) return out;
  OpenCheck open(q);
  std::vector<Candidate> matches;
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (q.near && !e.has_position) continue;
    if (allowed && !allowed->contains(i)) continue;
    double d = q.near ? haversine_km(q.near->lat, q.near->lon, e.position.lat, e.position.lon) : 0;
    if (q.radius_km && d > *q.radius_km) continue;
    if (open.active() && !open.open(e)) continue;
    matches.push_back({d, i});
  }
  out.total = matches.size();
  if (q.near) {
    size_t need = std::min(matches.size(), offset + per_page);
    std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(need), matches.end());
    matches.resize(need);
  } else {
    std::vector<uint32_t> rank(entries_.size());
    for (uint32_t k = 0; k < impl_->by_name.size(); ++k) rank[impl_->by_name[k]] = k;
    std::sort(matches.begin(), matches.end(), [&](const Candidate& a, const Candidate& b) { return rank[a.index] < rank[b.index]; });
  }
  for (size_t k = offset; k < matches.size() && out.hits.size() < per_page; ++k) {
    const Entry& e = entries_[matches[k].index];
    Hit h{&e, q.near ? std::optional<double>(matches[k].distance) : std::nullopt, false};
    h.open = open.active() || (e.hours && OpenCheck(Query{.now = q.now}).open(e));
    out.hits.push_back(h);
  }
  return out;
}

// The index of each database, rebuilt when places changed ----------------------------------------

namespace {
struct Holder {
  std::mutex m, building;
  std::string marker;
  std::optional<int64_t> version;
  std::shared_ptr<const Index> index;
};

std::shared_ptr<Holder> holder_of(db::Database& db) {
  static std::mutex registry_mutex;
  static std::unordered_map<db::Database*, std::shared_ptr<Holder>> registry;
  std::lock_guard lock(registry_mutex);
  auto& h = registry[&db];
  if (!h) h = std::make_shared<Holder>();
  return h;
}
}  // namespace

std::shared_ptr<const Index> index_of(db::Database& db) {
  auto holder = holder_of(db);
  std::string marker = db.change_marker();
  {
    std::lock_guard lock(holder->m);
    if (holder->index && !marker.empty() && marker == holder->marker) return holder->index;
  }
  auto read_version = [&] {
    auto conn = db.read();
    auto rows = conn->query("SELECT n FROM places_version WHERE id = 1");
    return rows.empty() ? int64_t{0} : rows[0].int64(0);
  };
  int64_t version = read_version();
  std::shared_ptr<const Index> previous;
  {
    std::lock_guard lock(holder->m);
    if (holder->index && holder->version == version) {
      holder->marker = marker;
      return holder->index;
    }
    previous = holder->index;
  }
  std::unique_lock building(holder->building, std::try_to_lock);
  if (!building.owns_lock()) {
    if (previous) return previous;  // another thread is rebuilding: the previous index meanwhile
    building.lock();
    std::lock_guard lock(holder->m);
    if (holder->index && holder->version == version) return holder->index;
  }
  std::shared_ptr<const Index> fresh;
  {
    auto conn = db.read();
    fresh = Index::load(*conn, Communes::embedded());
  }
  std::lock_guard lock(holder->m);
  holder->index = fresh;
  holder->version = version;
  holder->marker = marker;
  return fresh;
}

}  // namespace passerelle::places
