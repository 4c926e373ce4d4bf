#include "platform/web/config.hpp"

#include <cstdlib>
#include <fstream>

#include "platform/core/strings.hpp"
#include "platform/web/page_extras.hpp"

namespace passerelle::web {

static Status apply(Config& c, std::string_view key, std::string_view value) {
  auto as_size = [&](size_t& out) -> Status {
    auto v = str::to_int(value);
    if (!v || *v <= 0) return Error::validation(std::string(key), "config.not_a_number");
    out = static_cast<size_t>(*v);
    return Ok{};
  };
  if (key == "db") c.db_url = value;
  else if (key == "listen") return parse_listen(c, std::string(value));
  else if (key == "public_url") c.public_url = value;
  else if (key == "synchronous_commit") c.synchronous_commit = value == "true" || value == "1";
  else if (key == "page_cache_mb") {
    auto v = str::to_int(value);
    if (!v || *v < 0) return Error::validation(std::string(key), "config.not_a_number");
    c.page_cache_mb = static_cast<size_t>(*v);
  }
  else if (key == "page_cache_seconds") return as_size(c.page_cache_seconds);
  else if (key == "secure_cookies") c.secure_cookies = value == "true" || value == "1";
  else if (key == "trust_proxy") c.server.trust_proxy = value == "true" || value == "1";
  else if (key == "smtp_host") c.smtp.host = value;
  else if (key == "smtp_port") {
    size_t p;
    if (auto s = as_size(p); !s) return s;
    // Refused rather than truncated into another port.
    if (p > 65535) return Error::validation(std::string(key), "config.not_a_number");
    c.smtp.port = static_cast<unsigned short>(p);
  }
  else if (key == "smtp_from") c.smtp.from = value;
  else if (key == "smtp_interval") {
    size_t seconds;
    if (auto s = as_size(seconds); !s) return s;
    if (seconds == 0) return Error::validation(std::string(key), "config.not_a_number");
    c.smtp.interval_seconds = static_cast<int64_t>(seconds);
  }
  else if (key == "federation_interval") {
    size_t seconds;
    if (auto s = as_size(seconds); !s) return s;
    c.federation_interval_seconds = static_cast<int64_t>(seconds);
  }
  else if (key == "instance_name") c.instance_name = value;
  else if (key == "search_dir") c.search_dir = value;
  else if (key == "map_tiles_url") mutable_map_tiles().url = value;
  else if (key == "map_tiles_attribution") mutable_map_tiles().attribution = value;
  else if (key == "body_limit") return as_size(c.server.body_limit);
  else if (key == "header_limit") return as_size(c.server.header_limit);
  else if (key == "max_connections") return as_size(c.server.max_connections);
  else if (key == "request_timeout_ms") { size_t ms; if (auto s = as_size(ms); !s) return s; c.server.request_timeout = std::chrono::milliseconds(ms); }
  else if (key == "io_threads") { size_t n; if (auto s = as_size(n); !s) return s; c.server.io_threads = static_cast<unsigned>(n); }
  else return Error::validation(std::string(key), "config.unknown_key");
  return Ok{};
}

Status load_file(Config& config, const std::string& path, bool required) {
  std::ifstream in(path);
  if (!in) return required ? Status(Error::validation(path, "config.file_missing")) : Status(Ok{});
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    auto t = str::trim(line);
    if (t.empty() || t[0] == '#') continue;
    auto eq = t.find('=');
    if (eq == std::string_view::npos)
      return Error{ErrorKind::validation, "config.bad_line", path, {{"line", std::to_string(number)}}};
    auto s = apply(config, str::trim(t.substr(0, eq)), str::trim(t.substr(eq + 1)));
    if (!s) {
      Error e = s.error();
      e.args.emplace_back("line", std::to_string(number));
      return e;
    }
  }
  return Ok{};
}

Status load_env(Config& config) {
  static const char* keys[] = {"db", "synchronous_commit", "page_cache_mb", "page_cache_seconds", "listen", "public_url", "secure_cookies", "trust_proxy", "smtp_host", "smtp_port",
                               "smtp_from", "smtp_interval", "federation_interval", "instance_name", "body_limit", "header_limit", "max_connections", "request_timeout_ms", "io_threads", "search_dir",
                               "map_tiles_url", "map_tiles_attribution"};
  for (const char* key : keys) {
    std::string name = "PASSERELLE_" + std::string(key);
    for (auto& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (const char* v = std::getenv(name.c_str()))
      if (auto s = apply(config, key, v); !s) return s;
  }
  return Ok{};
}

Status parse_listen(Config& config, const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return Error::validation("listen", "config.bad_listen");
  std::string host = listen.substr(0, colon);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto port = str::to_int(std::string_view(listen).substr(colon + 1));
  if (!port || *port < 0 || *port > 65535 || host.empty()) return Error::validation("listen", "config.bad_listen");
  config.server.host = host;
  config.server.port = static_cast<unsigned short>(*port);
  return Ok{};
}

}  // namespace passerelle::web
