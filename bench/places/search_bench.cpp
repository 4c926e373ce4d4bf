// The search of places among 100,000 (generated from the real ones, jittered): the 10 nearest to
// a point with two filters, by the index (grid walk over the filters' bitmaps) and, in the same
// run on the same data and points, by a full scan; then the clusters of all of France at country
// zoom (time and GeoJSON bytes, as /api/v1/places/clusters sends them). Prints Markdown.
//
//   bench_places_search [--places N] [--queries Q] [--rounds R] FILE.json…   (v0-json files)
#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "places/import.hpp"
#include "places/search.hpp"
#include "places/search_api.hpp"
#include "places/store.hpp"

namespace places = passerelle::places;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}
double median(std::vector<double> v) { return quantile(std::move(v), 0.5); }

}  // namespace

int main(int argc, char** argv) {
  size_t n = 100000, queries = 1000, rounds = 5;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--places" && i + 1 < argc) n = std::stoul(argv[++i]);
    else if (a == "--queries" && i + 1 < argc) queries = std::stoul(argv[++i]);
    else if (a == "--rounds" && i + 1 < argc) rounds = std::stoul(argv[++i]);
    else files.push_back(a);
  }
  std::vector<places::PlaceRow> real;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    std::vector<places::CheckedRow> valid;
    places::check_file(f, s.str(), places::Format::v0_json, valid, "2024-01-01");
    for (auto& r : valid)
      if (r.source.record.latitude() && r.source.record.longitude()) real.push_back({0, r.source.record});
  }
  if (real.empty()) {
    std::cerr << "aucun lieu lu\n";
    return 1;
  }
  std::mt19937 rng(20261201);
  std::uniform_real_distribution<double> jitter(-0.05, 0.05);  // about ±5 km
  std::vector<places::PlaceRow> rows;
  rows.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    places::PlaceRow p = real[i % real.size()];
    p.id = static_cast<int64_t>(i + 1);
    p.fields[places::Field::id] = "bench-" + std::to_string(i + 1);
    p.fields[places::Field::latitude] = places::format_coordinate(*p.fields.latitude() + jitter(rng));
    p.fields[places::Field::longitude] = places::format_coordinate(*p.fields.longitude() + jitter(rng));
    rows.push_back(std::move(p));
  }
  auto t0 = Clock::now();
  auto index = places::Index::build(rows, places::Communes::embedded());
  double build_ms = ms_since(t0);

  // Two filters: a service and a way of being helped.
  places::Query base;
  base.list(places::ListFilter::services) = {"Aide aux démarches administratives"};
  base.list(places::ListFilter::modalites) = {"Accompagnement individuel"};
  base.per_page = 10;
  uint64_t matching = index->search(base).total;

  // Query points: real places of metropolitan France, jittered by up to 20 km.
  std::vector<places::Point> points;
  std::uniform_real_distribution<double> far(-0.2, 0.2);
  std::uniform_int_distribution<size_t> pick(0, real.size() - 1);
  while (points.size() < queries) {
    const auto& r = real[pick(rng)];
    double lat = *r.fields.latitude(), lon = *r.fields.longitude();
    if (lat < 41 || lat > 51.5 || lon < -5.5 || lon > 10) continue;
    points.push_back({lat + far(rng), lon + far(rng)});
  }

  std::vector<double> index_p50, index_p99, scan_p50, scan_p99;
  size_t mismatches = 0;
  for (size_t round = 0; round < rounds; ++round) {
    std::vector<double> fast, slow;
    for (const auto& p : points) {
      places::Query q = base;
      q.near = p;
      auto a = Clock::now();
      auto r1 = index->search(q);
      fast.push_back(ms_since(a));
      auto b = Clock::now();
      auto r2 = index->scan(q);
      slow.push_back(ms_since(b));
      if (r1.total != r2.total || r1.hits.size() != r2.hits.size()) ++mismatches;
      else
        for (size_t i = 0; i < r1.hits.size(); ++i)
          if (std::abs(*r1.hits[i].distance_km - *r2.hits[i].distance_km) > 1e-9) ++mismatches;
    }
    index_p50.push_back(quantile(fast, 0.5)), index_p99.push_back(quantile(fast, 0.99));
    scan_p50.push_back(quantile(slow, 0.5)), scan_p99.push_back(quantile(slow, 0.99));
  }

  // Clusters of metropolitan France and overseas at country zoom (5), as the API sends them.
  places::BBox france{-5.5, 41, 10, 51.5};
  std::vector<double> cluster_ms;
  size_t bytes = 0, features = 0;
  for (size_t round = 0; round < std::max<size_t>(rounds, 5) * 4; ++round) {
    auto a = Clock::now();
    auto clusters = index->clusters(5, france);
    std::string body = places::clusters_geojson(clusters, 5);
    cluster_ms.push_back(ms_since(a));
    bytes = body.size(), features = clusters.size();
  }
  std::vector<double> whole_ms;
  size_t whole_bytes = 0;
  for (size_t round = 0; round < 10; ++round) {
    auto a = Clock::now();
    std::string body = places::clusters_geojson(index->clusters(5, places::BBox{}), 5);
    whole_ms.push_back(ms_since(a));
    whole_bytes = body.size();
  }

  std::cout << "| mesure | valeur |\n|---|---|\n";
  std::cout << "| lieux (générés de " << real.size() << " lieux réels, ±0,05°) | " << index->size() << " |\n";
  std::cout << "| construction de l'index | " << build_ms << " ms |\n";
  std::cout << "| lieux qui passent les deux filtres | " << matching << " |\n";
  std::cout << "| requêtes par série × séries | " << queries << " × " << rounds << " |\n";
  std::cout << "| index : p50 / p99 (médianes des séries) | " << median(index_p50) << " ms / " << median(index_p99) << " ms |\n";
  std::cout << "| parcours complet : p50 / p99 (médianes des séries) | " << median(scan_p50) << " ms / " << median(scan_p99) << " ms |\n";
  std::cout << "| réponses différentes entre index et parcours | " << mismatches << " |\n";
  std::cout << "| groupes de la France métropolitaine, zoom 5 : temps médian (calcul + GeoJSON) | " << median(cluster_ms) << " ms |\n";
  std::cout << "| idem : groupes, octets | " << features << ", " << bytes << " o |\n";
  std::cout << "| toute la Terre (outre-mer compris), zoom 5 : temps médian, octets | " << median(whole_ms) << " ms, " << whole_bytes << " o |\n";
  return mismatches == 0 ? 0 : 2;
}
