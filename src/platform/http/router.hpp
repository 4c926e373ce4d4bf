#pragma once
// Routes are method + pattern: "/t/{slug}/" binds a segment, "/static/{*path}" binds the rest.
#include <functional>
#include <string>
#include <vector>

#include "platform/http/message.hpp"

namespace passerelle::http {

using Handler = std::function<Response(Request&)>;

struct Route {
  Method method;
  std::string pattern;
  std::string name;  // label in metrics and logs
  bool slow = false; // runs on the bounded worker pool (password hashing, exports, backups)
  size_t body_limit = 0;  // 0: the server's limit; uploads get a larger one of their own
  Handler handler;
  std::vector<std::string> segments;
};

struct Match {
  const Route* route = nullptr;
  bool path_known = false;  // some route has this path with another method (405 rather than 404)
  std::string allow;        // those methods, for the Allow header of a 405
};

class Router {
 public:
  void add(Method method, std::string pattern, std::string name, Handler handler, bool slow = false);
  // Fills req.params on success.
  Match match(Request& req) const;
  const std::vector<Route>& routes() const { return routes_; }
  // Lets the routes of `method` + `pattern` (already added) take bodies up to `bytes`.
  void set_body_limit(Method method, std::string_view pattern, size_t bytes);
  size_t largest_body_limit() const { return largest_body_limit_; }
  size_t index_of(const Route* r) const { return static_cast<size_t>(r - routes_.data()); }

 private:
  std::vector<Route> routes_;
  size_t largest_body_limit_ = 0;
};

}  // namespace passerelle::http
