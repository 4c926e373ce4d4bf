#pragma once
// Where each process keeps its index, and opening it (used by `serve` and `reindex`).
#include <memory>
#include <stdexcept>
#include <string>

#include "platform/web/config.hpp"
#include "search/engine.hpp"

namespace passerelle::search {

// config.search_dir when set; else beside an SQLite file ("var/passerelle.db.index"); else, for
// PostgreSQL, var/index/<host>-<port> (several processes on one host must not share a directory:
// Xapian locks it for the writer); "" (a temporary directory) when the port is 0 (ephemeral:
// a directory per run would pile up; the index is rebuilt at start anyway).
std::string index_dir(const web::Config& config, unsigned short port);

struct IndexLocked : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Engine::open, with the lock taken by another process reported as IndexLocked.
std::unique_ptr<Engine> open_engine(const std::string& dir);

}  // namespace passerelle::search
