#pragma once
// Configuration: defaults, then a `key = value` file, then PASSERELLE_* environment variables,
// then command-line flags (each overrides the previous).
#include <optional>
#include <string>

#include "platform/http/server.hpp"
#include "platform/result.hpp"
#include "platform/services.hpp"

namespace passerelle::web {

struct Config {
  std::string db_url = "sqlite:var/passerelle.db";
  // SQLite: every acknowledged write also survives a power loss (fsync at each commit, batched
  // by group commit). Off, writes survive a crash of the process, not of the machine.
  bool synchronous_commit = false;
  // Pages for visitors without a session, kept until the next commit (src/platform/web/page_cache.hpp)
  // and at most page_cache_seconds; 0 MB turns the cache off.
  size_t page_cache_mb = 64;
  size_t page_cache_seconds = 10;
  http::ServerOptions server;
  std::string public_url;        // e.g. https://participer.example.fr (links in e-mails)
  bool secure_cookies = false;   // true behind TLS: cookies get the Secure attribute
  mail::SmtpConfig smtp;
  std::string instance_name = "Passerelle";
  std::string process_name;      // identifies this process in job leases
  std::string search_dir;        // search index directory; "" = the default (see src/cli/main.cpp)
  int64_t federation_interval_seconds = 3600;  // how often followed instances are pulled
};

// Reads `path` (missing file is an error only when `required`). Unknown keys are refused, with the line.
Status load_file(Config& config, const std::string& path, bool required);
Status load_env(Config& config);
// "127.0.0.1:8080" or "[::1]:8080".
Status parse_listen(Config& config, const std::string& listen);

}  // namespace passerelle::web
