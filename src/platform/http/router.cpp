#include "platform/http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "platform/core/strings.hpp"

namespace passerelle::http {

void Router::add(Method method, std::string pattern, std::string name, Handler handler, bool slow) {
  Route r{method, pattern, std::move(name), slow, 0, std::move(handler), {}};
  for (auto s : str::split(std::string_view(pattern).substr(1), '/')) r.segments.emplace_back(s);
  routes_.push_back(std::move(r));
}

static bool match_segments(const Route& r, const std::vector<std::string_view>& parts,
                           std::vector<std::pair<std::string_view, std::string>>& params) {
  params.clear();
  for (size_t i = 0; i < r.segments.size(); ++i) {
    const std::string& seg = r.segments[i];
    bool is_param = seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
    if (is_param && seg[1] == '*') {
      std::string rest;
      for (size_t k = i; k < parts.size(); ++k) {
        if (k > i) rest += '/';
        rest += str::url_decode(parts[k], false);
      }
      params.emplace_back(std::string_view(seg).substr(2, seg.size() - 3), std::move(rest));
      return i < parts.size();
    }
    if (i >= parts.size()) return false;
    if (is_param) {
      if (parts[i].empty()) return false;
      params.emplace_back(std::string_view(seg).substr(1, seg.size() - 2), str::url_decode(parts[i], false));
    } else if (parts[i] != seg) {
      return false;
    }
  }
  return parts.size() == r.segments.size();
}

Match Router::match(Request& req) const {
  Match m;
  auto parts = str::split(req.path.substr(req.path.empty() ? 0 : 1), '/');
  std::vector<std::pair<std::string_view, std::string>> params;
  Method method = req.method() == Method::head ? Method::get : req.method();
  for (const auto& r : routes_) {
    if (!match_segments(r, parts, params)) continue;
    if (r.method == method) {
      m.route = &r;
      req.params = std::move(params);
      return m;
    }
    m.path_known = true;
    auto method_name = bhttp::to_string(r.method);
    std::string name(method_name.data(), method_name.size());
    if (m.allow.find(name) == std::string::npos) m.allow += (m.allow.empty() ? "" : ", ") + std::string(name);
  }
  return m;
}

void Router::set_body_limit(Method method, std::string_view pattern, size_t bytes) {
  bool found = false;
  for (auto& r : routes_)
    if (r.method == method && r.pattern == pattern) r.body_limit = bytes, found = true;
  largest_body_limit_ = std::max(largest_body_limit_, bytes);
  if (!found) throw std::logic_error("set_body_limit: no route " + std::string(pattern));
}

}  // namespace passerelle::http
