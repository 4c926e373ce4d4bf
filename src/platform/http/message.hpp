#pragma once
// Small Request and Response types that handlers work with; Beast stays inside the server.
#include <boost/beast/http.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace passerelle::http {

namespace bhttp = boost::beast::http;
using Method = bhttp::verb;
using BeastRequest = bhttp::request<bhttp::string_body>;

// Decoded application/x-www-form-urlencoded or query-string fields, in order.
class Fields {
 public:
  static Fields parse(std::string_view encoded);
  std::optional<std::string_view> get(std::string_view name) const;
  std::string value(std::string_view name) const { return std::string(get(name).value_or("")); }
  bool has(std::string_view name) const { return get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& all() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Request {
  explicit Request(BeastRequest& raw) : raw(raw) {}

  BeastRequest& raw;
  std::string_view path;   // raw path, without the query string
  std::string_view query;  // raw query string, without '?'
  std::string remote_ip;
  bool secure = false;     // true behind TLS (X-Forwarded-Proto from a trusted proxy)
  std::string_view route_name = "inconnue";
  std::vector<std::pair<std::string_view, std::string>> params;  // from the route pattern

  Method method() const { return raw.method(); }
  std::string_view header(bhttp::field f) const;
  std::string_view header(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  std::string param(std::string_view name) const;
  const Fields& query_fields() const;
  // Form fields of a urlencoded body (empty for other content types).
  const Fields& form() const;
  std::string_view body() const { return raw.body(); }

 private:
  mutable std::optional<Fields> query_cache_, form_cache_;
};

// A body sent from an open file as it goes out, in chunks (downloads of any size in constant
// memory). The file is closed once sent; an unlinked temporary file then disappears.
struct FileBody {
  int fd = -1;
  uint64_t size = 0;
  FileBody(int fd, uint64_t size) : fd(fd), size(size) {}
  FileBody(const FileBody&) = delete;
  FileBody& operator=(const FileBody&) = delete;
  ~FileBody();
};

struct Response {
  unsigned status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<FileBody> file;  // when set, sent instead of `body`

  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  static Response redirect(std::string location, unsigned status = 303) {
    Response r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.header("Location", std::move(location));
    return r;
  }
  static Response json(std::string body, unsigned status = 200) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(body);
    return r;
  }
  static Response text(std::string body, unsigned status = 200) {
    Response r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(body);
    return r;
  }
};

}  // namespace passerelle::http
