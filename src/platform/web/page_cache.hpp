#pragma once
// Rendered pages for visitors without a session, kept until the next commit anywhere: every entry
// carries the database's change marker read before the page was rendered, and a marker that has
// moved since (a write by this process or another) makes every entry stale. So a reader always
// sees their own writes and everybody else's, and a busy site pays for a page once per write
// instead of once per visitor. Pages that personalise themselves (a CSRF token, a cookie, a
// session) are never stored; see App::page.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "platform/http/message.hpp"

namespace passerelle::web {

class PageCache {
 public:
  // Pages also follow the clock (a phase opens at its date): none is served older than max_age.
  PageCache(size_t max_bytes, std::chrono::seconds max_age) : max_bytes_(max_bytes), max_age_(max_age) {}
  std::optional<http::Response> find(const std::string& key, const std::string& marker);
  // `before` and `after`: the markers read before and after rendering; kept only if they are the
  // same. Beyond max_bytes everything goes.
  void store(const std::string& key, const std::string& before, const std::string& after, const http::Response& response);
  size_t bytes() const;

 private:
  void clear_for(const std::string& marker);
  mutable std::mutex mutex_;
  struct Entry {
    http::Response response;
    std::chrono::steady_clock::time_point stored;
  };
  std::unordered_map<std::string, Entry> entries_;
  std::string marker_;
  size_t bytes_ = 0;
  const size_t max_bytes_;
  const std::chrono::seconds max_age_;
};

}  // namespace passerelle::web
