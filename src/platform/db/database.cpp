#include "platform/db/database.hpp"

#include <cstdlib>

#include "platform/db/postgres.hpp"
#include "platform/db/sqlite.hpp"

namespace passerelle::db {

bool Row::null(size_t col) const { return !rows_->cell(index_, col).has_value(); }

std::string_view Row::text(size_t col) const {
  const auto& c = rows_->cell(index_, col);
  return c ? std::string_view(*c) : std::string_view();
}

int64_t Row::int64(size_t col) const {
  const auto& c = rows_->cell(index_, col);
  return c ? std::strtoll(c->c_str(), nullptr, 10) : 0;
}

double Row::real(size_t col) const {
  const auto& c = rows_->cell(index_, col);
  return c ? std::strtod(c->c_str(), nullptr) : 0.0;
}

std::optional<std::string> Row::opt_str(size_t col) const { return rows_->cell(index_, col); }

std::optional<int64_t> Row::opt_int(size_t col) const {
  if (null(col)) return std::nullopt;
  return int64(col);
}

Lease::~Lease() {
  if (conn_) db_->release(conn_, writer_);
}

std::unique_ptr<Database> open(const std::string& url, const OpenOptions& options) {
  if (url.rfind("sqlite:", 0) == 0) return open_sqlite(url.substr(7), options);
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return open_postgres(url, options);
  throw DbError("adresse de base de données non reconnue : « " + url +
                " » (attendu sqlite:chemin/fichier.db ou postgresql://utilisateur@hôte:port/base)");
}

std::string to_postgres_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool in_string = false;
  for (char c : sql) {
    if (c == '\'') in_string = !in_string;
    if (c == '?' && !in_string) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace passerelle::db
