#pragma once
// Where each process keeps its index (used by `serve` and `reindex`).
#include <string>

#include "platform/web/config.hpp"
#include "search/engine.hpp"

namespace passerelle::search {

// config.search_dir when set; else beside an SQLite file ("var/passerelle.db.index"); else, for
// PostgreSQL, var/index/<host>-<port> (several processes on one host must not share a directory:
// each process locks its own); "" (a temporary directory) when the port is 0 (ephemeral:
// a directory per run would pile up; the index is rebuilt at start anyway).
std::string index_dir(const web::Config& config, unsigned short port);

}  // namespace passerelle::search
