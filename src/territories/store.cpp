#include "territories/store.hpp"

#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/services.hpp"

namespace passerelle::territories {

namespace {
constexpr const char* kColumns = "SELECT id, slug, name, kind, insee_codes, summary, created_at FROM territories ";

Territory from_row(const db::Row& r) {
  Territory t{r.int64(0), r.str(1), r.str(2), r.str(3), {}, r.str(5), r.int64(6)};
  auto codes = str::split(r.text(4), ' ');
  t.insee_codes.reserve(codes.size());  // an intercommunalité has dozens of communes
  for (auto c : codes)
    if (!c.empty()) t.insee_codes.emplace_back(c);
  return t;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}
}  // namespace

std::vector<Territory> list(db::Database& db) {
  auto conn = db.read();
  std::vector<Territory> out;
  for (auto r : conn->query(std::string(kColumns) + "ORDER BY name")) out.push_back(from_row(r));
  return out;
}

std::optional<Territory> find(db::Database& db, std::string_view slug) {
  auto conn = db.read();
  static const std::string sql = std::string(kColumns) + "WHERE slug = ?";  // built once, not per page view
  auto rows = conn->query(sql, {slug});
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<Territory> create(db::Database& db, const NewTerritory& t, std::optional<int64_t> actor, Errors& errors) {
  auto codes = validate(t, errors);
  if (!codes) return codes.error();
  try {
    return db.transaction([&](db::Connection& conn) {
      auto rows = conn.query("INSERT INTO territories (slug, name, kind, insee_codes, summary, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                             {t.slug, str::trim(t.name), t.kind, join(*codes), t.summary, unix_now()});
      int64_t id = rows[0].int64(0);
      audit::record(conn, actor, id, "territory.create", t.slug);
      return Result<Territory>(Territory{id, t.slug, std::string(str::trim(t.name)), t.kind, *codes, t.summary, unix_now()});
    });
  } catch (const db::ConstraintViolation&) {
    Error e = Error::conflict("slug", "territory.slug_taken");
    errors.push_back(e);
    return e;
  }
}

Status update_summary(db::Database& db, const Territory& t, std::string_view name, std::string_view summary, int64_t actor) {
  if (str::trim(name).empty()) return Error::validation("name", "territory.name_required");
  db.transaction([&](db::Connection& conn) {
    conn.exec("UPDATE territories SET name = ?, summary = ? WHERE id = ?", {str::trim(name), summary, t.id});
    audit::record(conn, actor, t.id, "territory.update", t.slug);
  });
  return Ok{};
}

std::optional<std::string> legal_page(db::Database& db, int64_t territory_id, std::string_view page) {
  auto conn = db.read();
  auto rows = conn->query("SELECT body FROM territory_pages WHERE territory_id = ? AND page = ?", {territory_id, page});
  if (rows.empty()) return std::nullopt;
  return rows[0].str(0);
}

void save_legal_page(db::Database& db, int64_t territory_id, std::string_view page, std::string_view body, int64_t actor) {
  db.transaction([&](db::Connection& conn) {
    conn.exec(
        "INSERT INTO territory_pages (territory_id, page, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (territory_id, page) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        {territory_id, page, body, unix_now(), actor});
    audit::record(conn, actor, territory_id, "territory.page_edit", page);
  });
}

std::optional<std::string> platform_legal_page(db::Database& db, std::string_view page) {
  auto conn = db.read();
  auto rows = conn->query("SELECT value FROM settings WHERE key = ?", {"page." + std::string(page)});
  if (rows.empty()) return std::nullopt;
  return rows[0].str(0);
}

void save_platform_legal_page(db::Database& db, std::string_view page, std::string_view body, int64_t actor) {
  db.transaction([&](db::Connection& conn) {
    conn.exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
              {"page." + std::string(page), body});
    audit::record(conn, actor, std::nullopt, "platform.page_edit", page);
  });
}

}  // namespace passerelle::territories
