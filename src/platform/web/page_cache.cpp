#include "platform/web/page_cache.hpp"

namespace passerelle::web {

namespace {
size_t weight(const std::string& key, const http::Response& r) {
  size_t n = key.size() + r.body.size() + r.content_type.size() + 64;
  for (const auto& [name, value] : r.headers) n += name.size() + value.size() + 32;
  return n;
}
}  // namespace

void PageCache::clear_for(const std::string& marker) {
  entries_.clear();
  bytes_ = 0;
  marker_ = marker;
}

std::optional<http::Response> PageCache::find(const std::string& key, const std::string& marker) {
  std::lock_guard lock(mutex_);
  if (marker.empty() || marker != marker_) return std::nullopt;
  auto it = entries_.find(key);
  if (it == entries_.end() || std::chrono::steady_clock::now() - it->second.stored > max_age_) return std::nullopt;
  return it->second.response;
}

void PageCache::store(const std::string& key, const std::string& before, const std::string& after, const http::Response& response) {
  // Rendered while a commit moved the marker: it may mix old and new data, so it is not kept.
  if (before.empty() || before != after || response.file) return;
  size_t w = weight(key, response);
  if (w > max_bytes_ / 4) return;  // one page never takes the cache over
  std::lock_guard lock(mutex_);
  if (after != marker_) clear_for(after);  // every entry of another marker is stale, or soon will be
  if (bytes_ + w > max_bytes_) clear_for(after);
  auto [it, inserted] = entries_.insert_or_assign(key, Entry{response, std::chrono::steady_clock::now()});
  if (inserted) bytes_ += w;
}

size_t PageCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace passerelle::web
