#pragma once
#include <memory>
#include <string>

#include "platform/db/database.hpp"

namespace passerelle::db {

// PostgreSQL through libpq with a pool of connections; several Passerelle processes may share
// one server, so nothing here keeps state that another process would need.
std::unique_ptr<Database> open_postgres(const std::string& url, const OpenOptions& options);

}  // namespace passerelle::db
