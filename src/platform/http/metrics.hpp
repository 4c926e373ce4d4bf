#pragma once
// Prometheus counters kept as relaxed atomics in fixed arrays: no lock on the request path.
#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace passerelle::http {

class Metrics {
 public:
  static constexpr std::array<unsigned, 24> kStatuses = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405,
                                                         408, 409, 413, 415, 422, 429, 431, 500, 502, 503, 504, 0};
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};

  explicit Metrics(std::vector<std::string> route_names);
  // route_index == route count means "no route matched".
  void record(size_t route_index, unsigned status, double seconds);
  std::atomic<int64_t> open_connections{0};
  std::atomic<int64_t> rejected_connections{0};
  std::atomic<int64_t> worker_queue{0};
  // Renders the text exposition format; `extra` appends gauges owned by others (database pool).
  std::string render(const std::function<void(std::string&)>& extra) const;

 private:
  struct RouteCounters {
    std::array<std::atomic<uint64_t>, kStatuses.size()> by_status{};
  };
  std::vector<std::string> names_;  // distinct route names, then "inconnue"
  std::vector<size_t> slots_;       // route index -> index in names_ and routes_
  std::unique_ptr<RouteCounters[]> routes_;
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_micros_{0};
};

}  // namespace passerelle::http
