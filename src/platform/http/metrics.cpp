#include "platform/http/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace passerelle::http {

Metrics::Metrics(std::vector<std::string> route_names) {
  // Routes sharing a name (the GET and the POST of one page) share one series: Prometheus
  // refuses the same labels twice in a scrape.
  route_names.push_back("inconnue");
  for (auto& name : route_names) {
    auto it = std::find(names_.begin(), names_.end(), name);
    slots_.push_back(static_cast<size_t>(it - names_.begin()));
    if (it == names_.end()) names_.push_back(std::move(name));
  }
  routes_ = std::make_unique<RouteCounters[]>(names_.size());
}

void Metrics::record(size_t route_index, unsigned status, double seconds) {
  size_t s = kStatuses.size() - 1;
  for (size_t i = 0; i + 1 < kStatuses.size(); ++i)
    if (kStatuses[i] == status) { s = i; break; }
  routes_[slots_[route_index]].by_status[s].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  buckets_[b].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string Metrics::render(const std::function<void(std::string&)>& extra) const {
  std::string out;
  out += "# HELP passerelle_http_requests_total HTTP requests by route and status.\n# TYPE passerelle_http_requests_total counter\n";
  for (size_t r = 0; r < names_.size(); ++r)
    for (size_t s = 0; s < kStatuses.size(); ++s) {
      uint64_t v = routes_[r].by_status[s].load(std::memory_order_relaxed);
      if (v == 0) continue;
      std::string status = kStatuses[s] ? std::to_string(kStatuses[s]) : "autre";
      out += fmt::format("passerelle_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", names_[r], status, v);
    }
  out += "# HELP passerelle_http_request_duration_seconds Time from a complete request to its response.\n"
         "# TYPE passerelle_http_request_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t b = 0; b < kBuckets.size(); ++b) {
    cumulative += buckets_[b].load(std::memory_order_relaxed);
    out += fmt::format("passerelle_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[b], cumulative);
  }
  cumulative += buckets_[kBuckets.size()].load(std::memory_order_relaxed);
  out += fmt::format("passerelle_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  out += fmt::format("passerelle_http_request_duration_seconds_sum {}\n", sum_micros_.load() / 1e6);
  out += fmt::format("passerelle_http_request_duration_seconds_count {}\n", count_.load());
  out += "# HELP passerelle_http_connections_open Open client connections.\n# TYPE passerelle_http_connections_open gauge\n";
  out += fmt::format("passerelle_http_connections_open {}\n", open_connections.load());
  out += "# TYPE passerelle_http_connections_rejected_total counter\n";
  out += fmt::format("passerelle_http_connections_rejected_total {}\n", rejected_connections.load());
  out += "# TYPE passerelle_worker_queue_depth gauge\n";
  out += fmt::format("passerelle_worker_queue_depth {}\n", worker_queue.load());
  if (extra) extra(out);
  return out;
}

}  // namespace passerelle::http
