#include "search/setup.hpp"

namespace passerelle::search {

std::string index_dir(const web::Config& config, unsigned short port) {
  if (!config.search_dir.empty()) return config.search_dir;
  const std::string& url = config.db_url;
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.empty() || path == ":memory:") return "";
    return path + ".index";
  }
  if (port == 0) return "";
  std::string host = config.server.host;
  for (auto& c : host)
    if (c == ':' || c == '/' || c == '[' || c == ']') c = '_';
  return "var/index/" + host + "-" + std::to_string(port);
}

}  // namespace passerelle::search
