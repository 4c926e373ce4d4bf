#include "practices/store.hpp"

#include "platform/media.hpp"

#include <sodium.h>

#include <algorithm>
#include <map>

#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/services.hpp"
#include "search/service.hpp"

namespace passerelle::practices {

namespace {

std::string_view db_status(Status s) {
  switch (s) {
    case Status::draft: return "draft";
    case Status::published: return "published";
    case Status::unpublished: return "unpublished";
    case Status::trashed: return "trashed";
  }
  return "draft";
}
Status status_of_db(std::string_view s) {
  if (s == "published") return Status::published;
  if (s == "unpublished") return Status::unpublished;
  if (s == "trashed") return Status::trashed;
  return Status::draft;
}

std::string placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::vector<std::string> split_nonempty(std::string_view s, char sep) {
  std::vector<std::string> out;
  for (auto part : str::split(s, sep))
    if (!part.empty()) out.emplace_back(part);
  return out;
}

std::string target(int64_t id) { return "practice:" + std::to_string(id); }

constexpr const char* kSelect =
    "SELECT p.id, p.territory_id, t.slug, t.name, p.status, p.title, p.summary, p.body, p.communes, p.cost, p.cost_cents, "
    "p.partners, p.contact_name, p.contact_email, p.contact_phone, p.licence, p.version, p.reuse_count, p.author_id, "
    "p.created_at, p.updated_at, p.published_at, p.origin_practice_id, p.origin_instance, p.origin_id, p.origin_territory, "
    "p.credit, p.locally_modified, p.origin_updated_at FROM practices p JOIN territories t ON t.id = p.territory_id ";

Practice from_row(const db::Row& r) {
  Practice p;
  p.id = r.int64(0);
  p.territory_id = r.int64(1);
  p.territory_slug = r.str(2);
  p.territory_name = r.str(3);
  p.status = status_of_db(r.text(4));
  p.title = r.str(5);
  p.summary = r.str(6);
  p.body = r.str(7);
  p.communes = split_nonempty(r.text(8), ' ');
  p.cost = r.str(9);
  p.cost_cents = r.opt_int(10);
  p.partners = split_nonempty(r.text(11), '\n');
  p.contact = {r.str(12), r.str(13), r.str(14)};
  p.licence = r.str(15);
  p.version = static_cast<int>(r.int64(16));
  p.reuse_count = r.int64(17);
  p.author_id = r.opt_int(18);
  p.created_at = r.int64(19);
  p.updated_at = r.int64(20);
  p.published_at = r.opt_int(21);
  auto origin_practice = r.opt_int(22);
  auto instance = r.opt_str(23);
  std::string credit = r.str(26);
  if (origin_practice || instance || !credit.empty()) {
    Provenance prov;
    prov.origin_practice_id = origin_practice;
    prov.instance_url = instance.value_or("");
    prov.origin_id = r.str(24);
    prov.territory_name = r.str(25);
    prov.credit = credit;
    prov.locally_modified = r.int64(27) != 0;
    prov.origin_updated_at = r.int64(28);
    p.provenance = prov;
  }
  return p;
}

std::optional<Taxonomy> taxonomy_of_facet(std::string_view facet) {
  for (Taxonomy t : kTaxonomies)
    if (taxonomy_facet(t) == facet) return t;
  return std::nullopt;
}

// Terms and links of several sheets in two queries (lists would otherwise cost 2 per sheet).
void load_terms_and_links(db::Connection& conn, std::vector<Practice>& items) {
  if (items.empty()) return;
  std::map<int64_t, Practice*> by_id;
  db::Params ids;
  for (auto& p : items) {
    by_id[p.id] = &p;
    ids.emplace_back(p.id);
  }
  std::string in = "(" + placeholders(ids.size()) + ")";
  for (auto r : conn.query("SELECT practice_id, taxonomy, slug FROM practice_terms WHERE practice_id IN " + in + " ORDER BY practice_id, taxonomy, position", ids))
    if (auto t = taxonomy_of_facet(r.text(1))) by_id[r.int64(0)]->slugs(*t).push_back(r.str(2));
  for (auto r : conn.query("SELECT practice_id, url, title FROM practice_links WHERE practice_id IN " + in + " ORDER BY practice_id, position", ids))
    by_id[r.int64(0)]->links.push_back({r.str(1), r.str(2)});
}

std::vector<Attachment> load_attachments(db::Connection& conn, int64_t practice_id) {
  std::vector<Attachment> out;
  for (auto r : conn.query("SELECT id, file_id, kind, name, content_type, size, alt, caption, position FROM practice_attachments "
                           "WHERE practice_id = ? ORDER BY position, id",
                           {practice_id}))
    out.push_back({r.int64(0), r.int64(1), r.text(2) == "pdf" ? AttachmentKind::pdf : AttachmentKind::image, r.str(3), r.str(4), r.int64(5),
                   r.str(6), r.str(7), static_cast<int>(r.int64(8))});
  return out;
}

std::optional<Practice> find_on(db::Connection& conn, int64_t id) {
  static const std::string sql = std::string(kSelect) + "WHERE p.id = ?";
  auto rows = conn.query(sql, {id});
  if (rows.empty()) return std::nullopt;
  std::vector<Practice> one{from_row(rows[0])};
  load_terms_and_links(conn, one);
  one[0].attachments = load_attachments(conn, id);
  return std::move(one[0]);
}

// Writes the content columns, terms and links of sheet `id`.
void write_content(db::Connection& conn, int64_t id, const Content& c, int64_t now) {
  conn.exec(
      "UPDATE practices SET title = ?, summary = ?, body = ?, communes = ?, cost = ?, cost_cents = ?, partners = ?, contact_name = ?, "
      "contact_email = ?, contact_phone = ?, licence = ?, updated_at = ? WHERE id = ?",
      {c.title, c.summary, c.body, join(c.communes, " "), c.cost, c.cost_cents, join(c.partners, "\n"), c.contact.name, c.contact.email,
       c.contact.phone, c.licence, now, id});
  conn.exec("DELETE FROM practice_terms WHERE practice_id = ?", {id});
  for (Taxonomy t : kTaxonomies) {
    const auto& slugs = c.slugs(t);
    for (size_t i = 0; i < slugs.size(); ++i)
      conn.exec("INSERT INTO practice_terms (practice_id, taxonomy, slug, position) VALUES (?, ?, ?, ?)",
                {id, taxonomy_facet(t), slugs[i], static_cast<int64_t>(i)});
  }
  conn.exec("DELETE FROM practice_links WHERE practice_id = ?", {id});
  for (size_t i = 0; i < c.links.size(); ++i)
    conn.exec("INSERT INTO practice_links (practice_id, position, url, title) VALUES (?, ?, ?, ?)",
              {id, static_cast<int64_t>(i), c.links[i].url, c.links[i].title});
}

void write_version(db::Connection& conn, int64_t id, int number, std::optional<int64_t> author, const Content& c, int64_t now) {
  conn.exec("INSERT INTO practice_versions (practice_id, number, author_id, created_at, content) VALUES (?, ?, ?, ?, ?)",
            {id, number, author, now, to_json(c)});
}

// Inserts a new sheet with its content and first version; returns its id.
int64_t insert_practice(db::Connection& conn, int64_t territory_id, Status status, const Content& c, std::optional<int64_t> author,
                        const std::optional<Provenance>& prov, int64_t now) {
  std::optional<int64_t> published_at;
  if (status == Status::published) published_at = now;
  std::optional<std::string> instance, origin_id;
  if (prov && prov->imported()) instance = prov->instance_url, origin_id = prov->origin_id;
  auto rows = conn.query(
      "INSERT INTO practices (territory_id, status, title, summary, author_id, created_at, updated_at, published_at, origin_practice_id, "
      "origin_instance, origin_id, origin_territory, credit, origin_updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {territory_id, db_status(status), c.title, c.summary, author, now, now, published_at, prov ? prov->origin_practice_id : std::nullopt,
       instance, origin_id, prov ? prov->territory_name : "", prov ? prov->credit : "", prov ? prov->origin_updated_at : 0});
  int64_t id = rows[0].int64(0);
  write_content(conn, id, c, now);
  write_version(conn, id, 1, author, c, now);
  search::record_change(conn, "practice", id);
  return id;
}

bool territory_exists(db::Connection& conn, int64_t territory_id) {
  return !conn.query("SELECT 1 FROM territories WHERE id = ?", {territory_id}).empty();
}

// Changes the status of a sheet; `allowed` lists the statuses it may come from.
passerelle::Status change_status(db::Database& db, int64_t id, Status to, std::initializer_list<Status> allowed, int64_t actor, std::string_view action) {
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    auto rows = conn.query("SELECT status, territory_id FROM practices WHERE id = ?", {id});
    if (rows.empty()) return Error::not_found("practices.not_found");
    Status from = status_of_db(rows[0].text(0));
    if (from == to) return Ok{};
    if (std::find(allowed.begin(), allowed.end(), from) == allowed.end()) return Error::conflict("status", "practices.status_conflict");
    int64_t now = unix_now();
    // A person deciding about an imported or reused copy makes it local: imports leave it alone.
    conn.exec(
        "UPDATE practices SET status = ?, updated_at = ?, locally_modified = CASE WHEN origin_instance IS NOT NULL THEN 1 ELSE locally_modified END "
        "WHERE id = ?",
        {db_status(to), now, id});
    if (to == Status::published) conn.exec("UPDATE practices SET published_at = COALESCE(published_at, ?) WHERE id = ?", {now, id});
    search::record_change(conn, "practice", id);
    audit::record(conn, actor, rows[0].int64(1), action, target(id));
    return Ok{};
  });
}

}  // namespace

// --- Who is looking ---

bool Viewer::edits(int64_t territory_id) const {
  return platform_admin || std::find(editor_territories.begin(), editor_territories.end(), territory_id) != editor_territories.end();
}

Viewer viewer_of(const std::optional<web::Account>& account) {
  Viewer v;
  if (!account) return v;
  v.user_id = account->id;
  v.platform_admin = account->platform_admin;
  for (const auto& m : account->memberships)
    if (m.role == web::Role::administrateur || m.role == web::Role::agent) v.editor_territories.push_back(m.territory_id);
  return v;
}

bool can_edit(const Viewer& viewer, const Practice& p) {
  return viewer.edits(p.territory_id) || (viewer.user_id && p.author_id && *viewer.user_id == *p.author_id);
}

bool can_view(const Viewer& viewer, const Practice& p) { return p.status == Status::published || can_edit(viewer, p); }

bool can_moderate(const Viewer& viewer, int64_t territory_id) { return viewer.edits(territory_id); }

// --- Sheets ---

Result<Practice> create(db::Database& db, int64_t territory_id, const Input& input, int64_t author, Errors& errors) {
  auto content = validate(input, errors);
  if (!content) return content.error();
  auto id = db.transaction([&](db::Connection& conn) -> Result<int64_t> {
    if (!territory_exists(conn, territory_id)) return Error::not_found("practices.territory_not_found");
    int64_t id = insert_practice(conn, territory_id, Status::draft, *content, author, std::nullopt, unix_now());
    audit::record(conn, author, territory_id, "practice.create", target(id));
    return id;
  });
  if (!id) return id.error();
  return *find(db, *id);
}

Result<Practice> update(db::Database& db, int64_t id, const Input& input, int64_t author, Errors& errors) {
  auto content = validate(input, errors);
  if (!content) return content.error();
  auto done = db.transaction([&](db::Connection& conn) -> passerelle::Status {
    auto rows = conn.query(
        "UPDATE practices SET version = version + 1, locally_modified = CASE WHEN origin_practice_id IS NOT NULL OR origin_instance IS NOT NULL "
        "THEN 1 ELSE locally_modified END WHERE id = ? AND status <> 'trashed' RETURNING version, territory_id",
        {id});
    if (rows.empty()) {
      bool exists = !conn.query("SELECT 1 FROM practices WHERE id = ?", {id}).empty();
      return exists ? Error::conflict("status", "practices.trashed") : Error::not_found("practices.not_found");
    }
    int64_t now = unix_now();
    write_content(conn, id, *content, now);
    write_version(conn, id, static_cast<int>(rows[0].int64(0)), author, *content, now);
    search::record_change(conn, "practice", id);
    audit::record(conn, author, rows[0].int64(1), "practice.update", target(id));
    return Ok{};
  });
  if (!done) return done.error();
  return *find(db, id);
}

passerelle::Status publish(db::Database& db, int64_t id, int64_t actor) {
  return change_status(db, id, Status::published, {Status::draft, Status::unpublished}, actor, "practice.publish");
}
passerelle::Status unpublish(db::Database& db, int64_t id, int64_t actor) {
  return change_status(db, id, Status::unpublished, {Status::published}, actor, "practice.unpublish");
}
passerelle::Status trash(db::Database& db, int64_t id, int64_t actor) {
  return change_status(db, id, Status::trashed, {Status::draft, Status::published, Status::unpublished}, actor, "practice.trash");
}
passerelle::Status restore(db::Database& db, int64_t id, int64_t actor) {
  return change_status(db, id, Status::draft, {Status::trashed}, actor, "practice.restore");
}

std::optional<Practice> find(db::Database& db, int64_t id) {
  auto conn = db.read();
  return find_on(*conn, id);
}

std::optional<Practice> find(db::Connection& conn, int64_t id) { return find_on(conn, id); }

void each_published(db::Connection& conn, const std::function<void(const Practice&)>& fn) {
  static const std::string sql = std::string(kSelect) + "WHERE p.status = 'published' AND p.id > ? ORDER BY p.id LIMIT 500";
  for (int64_t after = 0;;) {
    std::vector<Practice> batch;
    for (auto r : conn.query(sql, {after})) batch.push_back(from_row(r));
    if (batch.empty()) return;
    load_terms_and_links(conn, batch);
    for (const auto& p : batch) fn(p);
    after = batch.back().id;
  }
}

Result<Practice> get(db::Database& db, int64_t id, const Viewer& viewer) {
  auto p = find(db, id);
  if (!p || !can_view(viewer, *p)) return Error::not_found("practices.not_found");
  return std::move(*p);
}

std::vector<std::string>& Filter::slugs(Taxonomy t) {
  switch (t) {
    case Taxonomy::theme: return themes;
    case Taxonomy::resource_type: return resource_types;
    case Taxonomy::public_: return publics;
    case Taxonomy::sector: return sectors;
  }
  return themes;
}
const std::vector<std::string>& Filter::slugs(Taxonomy t) const { return const_cast<Filter&>(*this).slugs(t); }

Page list_any(db::Database& db, const Filter& filter) {
  std::string where = "WHERE 1 = 1";
  db::Params params;
  if (filter.statuses.empty()) {
    where += " AND p.status <> 'trashed'";
  } else {
    db::Params statuses;
    for (Status s : filter.statuses) statuses.emplace_back(db_status(s));
    where += " AND p.status IN (" + placeholders(statuses.size()) + ")";
    params.insert(params.end(), statuses.begin(), statuses.end());
  }
  if (filter.territory_id) {
    where += " AND p.territory_id = ?";
    params.emplace_back(*filter.territory_id);
  }
  if (filter.updated_since) {
    where += " AND p.updated_at >= ?";
    params.emplace_back(*filter.updated_since);
  }
  for (Taxonomy t : kTaxonomies) {
    const auto& slugs = filter.slugs(t);
    if (slugs.empty()) continue;
    where += " AND p.id IN (SELECT practice_id FROM practice_terms WHERE taxonomy = ? AND slug IN (" + placeholders(slugs.size()) + "))";
    params.emplace_back(taxonomy_facet(t));
    for (const auto& s : slugs) params.emplace_back(s);
  }
  const char* order = filter.order == Filter::Order::title        ? " ORDER BY p.title, p.id"
                      : filter.order == Filter::Order::updated_asc ? " ORDER BY p.updated_at, p.id"
                                                                   : " ORDER BY p.updated_at DESC, p.id DESC";
  auto conn = db.read();
  Page page;
  page.total = conn->query("SELECT COUNT(*) FROM practices p " + where, params)[0].int64(0);
  db::Params paged = params;
  paged.emplace_back(static_cast<int64_t>(std::clamp<size_t>(filter.limit, 1, 200)));
  paged.emplace_back(static_cast<int64_t>(filter.offset));
  for (auto r : conn->query(std::string(kSelect) + where + order + " LIMIT ? OFFSET ?", paged)) page.items.push_back(from_row(r));
  load_terms_and_links(*conn, page.items);
  return page;
}

Page list_published(db::Database& db, Filter filter) {
  filter.statuses = {Status::published};
  return list_any(db, filter);
}

// --- Versions ---

std::vector<Version> versions(db::Database& db, int64_t practice_id) {
  auto conn = db.read();
  std::vector<Version> out;
  for (auto r : conn->query("SELECT v.number, v.author_id, COALESCE(u.display_name, ''), v.created_at, v.content FROM practice_versions v "
                            "LEFT JOIN users u ON u.id = v.author_id WHERE v.practice_id = ? ORDER BY v.number DESC",
                            {practice_id}))
    out.push_back({static_cast<int>(r.int64(0)), r.opt_int(1), r.str(2), r.int64(3), content_from_json(r.text(4)).value_or(Content{})});
  return out;
}

std::optional<Version> version(db::Database& db, int64_t practice_id, int number) {
  auto conn = db.read();
  auto rows = conn->query("SELECT v.number, v.author_id, COALESCE(u.display_name, ''), v.created_at, v.content FROM practice_versions v "
                          "LEFT JOIN users u ON u.id = v.author_id WHERE v.practice_id = ? AND v.number = ?",
                          {practice_id, number});
  if (rows.empty()) return std::nullopt;
  auto r = rows[0];
  return Version{static_cast<int>(r.int64(0)), r.opt_int(1), r.str(2), r.int64(3), content_from_json(r.text(4)).value_or(Content{})};
}

Result<std::vector<DiffLine>> diff(db::Database& db, int64_t practice_id, int from, int to) {
  auto a = version(db, practice_id, from), b = version(db, practice_id, to);
  if (!a || !b) return Error::not_found("practices.version_not_found");
  return diff_lines(to_text(a->content), to_text(b->content));
}

// --- Reuse ---

Result<Practice> reuse(db::Database& db, int64_t origin_id, int64_t target_territory_id, int64_t actor, bool publish_now) {
  Result<int64_t> copy = Error::not_found("practices.not_found");
  try {
    copy = db.transaction([&](db::Connection& conn) -> Result<int64_t> {
      auto origin = find_on(conn, origin_id);
      if (!origin || origin->status != Status::published) return Error::not_found("practices.not_found");
      if (origin->territory_id == target_territory_id) return Error::conflict("territory", "practices.reuse_own");
      if (!territory_exists(conn, target_territory_id)) return Error::not_found("practices.territory_not_found");
      if (!conn.query("SELECT 1 FROM practice_reuses WHERE practice_id = ? AND territory_id = ?", {origin_id, target_territory_id}).empty())
        return Error::conflict("territory", "practices.already_reused");
      int64_t now = unix_now();
      Provenance prov;
      prov.origin_practice_id = origin_id;
      prov.territory_name = origin->territory_name;
      prov.credit = "Inspirée de la fiche « " + origin->title + " » de " + origin->territory_name;
      int64_t id = insert_practice(conn, target_territory_id, publish_now ? Status::published : Status::draft, *origin, actor, prov, now);
      for (const auto& a : origin->attachments)  // the same stored files, listed again for the copy
        conn.exec("INSERT INTO practice_attachments (practice_id, file_id, kind, name, content_type, size, alt, caption, position, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {id, a.file_id, attachment_kind_name(a.kind), a.name, a.content_type, a.size, a.alt, a.caption, a.position, now});
      conn.exec("INSERT INTO practice_reuses (practice_id, territory_id, copy_id, user_id, created_at) VALUES (?, ?, ?, ?, ?)",
                {origin_id, target_territory_id, id, actor, now});
      conn.exec("UPDATE practices SET reuse_count = reuse_count + 1 WHERE id = ?", {origin_id});
      search::record_change(conn, "practice", origin_id);
      audit::record(conn, actor, target_territory_id, "practice.reuse", target(origin_id), target(id));
      return id;
    });
  } catch (const db::ConstraintViolation&) {  // another request reused it into that territory at the same moment
    return Error::conflict("territory", "practices.already_reused");
  }
  if (!copy) return copy.error();
  return *find(db, *copy);
}

std::vector<Reuse> reuses(db::Database& db, int64_t origin_id) {
  auto conn = db.read();
  std::vector<Reuse> out;
  for (auto r : conn->query("SELECT r.territory_id, t.slug, t.name, COALESCE(r.copy_id, 0), r.created_at FROM practice_reuses r "
                            "JOIN territories t ON t.id = r.territory_id WHERE r.practice_id = ? ORDER BY r.created_at, r.id",
                            {origin_id}))
    out.push_back({r.int64(0), r.str(1), r.str(2), r.int64(3), r.int64(4)});
  return out;
}

// --- Attachments ---

Result<Attachment> add_attachment(db::Database& db, int64_t practice_id, const Upload& upload, int64_t actor) {
  auto checked = check_file(upload.bytes);
  if (!checked) return checked.error();
  std::string alt(str::trim(upload.alt)), caption(str::trim(upload.caption));
  if (checked->kind == AttachmentKind::image && alt.empty()) return Error::validation("alt", "practices.alt_required");
  if (alt.size() > 500 || !str::valid_utf8(alt)) return Error::validation("alt", "practices.alt_too_long");
  if (caption.size() > 500 || !str::valid_utf8(caption)) return Error::validation("caption", "practices.caption_too_long");
  std::string bytes = upload.bytes;
  if (checked->kind == AttachmentKind::image) {
    auto stripped = media::strip_metadata(upload.bytes);
    if (!stripped) return Error::validation("fichier", "practices.image_unreadable");
    bytes = std::move(stripped.value());
  }
  std::string name(str::trim(upload.name));
  if (!str::valid_utf8(name) || name.size() > 200) name = checked->kind == AttachmentKind::image ? "image" : "document.pdf";
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string sha = str::hex(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
  return db.transaction([&](db::Connection& conn) -> Result<Attachment> {
    auto p = conn.query("SELECT territory_id FROM practices WHERE id = ? AND status <> 'trashed'", {practice_id});
    if (p.empty()) return Error::not_found("practices.not_found");
    auto counts = conn.query("SELECT COUNT(*), COALESCE(MAX(position), -1) FROM practice_attachments WHERE practice_id = ?", {practice_id});
    if (static_cast<size_t>(counts[0].int64(0)) >= kMaxAttachments) return Error::validation("fichier", "practices.too_many_attachments");
    int64_t now = unix_now();
    int64_t size = static_cast<int64_t>(bytes.size());
    // Straight into the platform's files table: its generic store caps files at 10 Mo, PDFs here go to 20.
    int64_t file_id = conn.query("INSERT INTO files (sha256, name, content_type, size, bytes, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                 {sha, name, checked->content_type, size, db::Blob{bytes}, actor, now})[0]
                          .int64(0);
    int position = static_cast<int>(counts[0].int64(1)) + 1;
    int64_t id = conn.query("INSERT INTO practice_attachments (practice_id, file_id, kind, name, content_type, size, alt, caption, position, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            {practice_id, file_id, attachment_kind_name(checked->kind), name, checked->content_type, size, alt, caption, position, now})[0]
                     .int64(0);
    conn.exec("UPDATE practices SET updated_at = ? WHERE id = ?", {now, practice_id});
    search::record_change(conn, "practice", practice_id);
    audit::record(conn, actor, p[0].int64(0), "practice.attach", target(practice_id), name);
    return Attachment{id, file_id, checked->kind, name, checked->content_type, size, alt, caption, position};
  });
}

passerelle::Status remove_attachment(db::Database& db, int64_t practice_id, int64_t attachment_id, int64_t actor) {
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    if (conn.exec("DELETE FROM practice_attachments WHERE id = ? AND practice_id = ?", {attachment_id, practice_id}) == 0)
      return Error::not_found("practices.attachment_not_found");
    conn.exec("UPDATE practices SET updated_at = ? WHERE id = ?", {unix_now(), practice_id});
    search::record_change(conn, "practice", practice_id);
    auto t = conn.query("SELECT territory_id FROM practices WHERE id = ?", {practice_id});
    audit::record(conn, actor, t.empty() ? std::nullopt : std::optional<int64_t>(t[0].int64(0)), "practice.detach", target(practice_id));
    return Ok{};
  });
}

passerelle::Status move_attachment(db::Database& db, int64_t practice_id, int64_t attachment_id, int delta, int64_t actor) {
  (void)actor;
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    auto list = load_attachments(conn, practice_id);
    auto it = std::find_if(list.begin(), list.end(), [&](const Attachment& a) { return a.id == attachment_id; });
    if (it == list.end()) return Error::not_found("practices.attachment_not_found");
    size_t from = static_cast<size_t>(it - list.begin());
    if ((delta < 0 && from == 0) || (delta > 0 && from + 1 >= list.size()) || delta == 0) return Ok{};
    std::swap(list[from], list[delta < 0 ? from - 1 : from + 1]);
    for (size_t i = 0; i < list.size(); ++i)
      conn.exec("UPDATE practice_attachments SET position = ? WHERE id = ?", {static_cast<int64_t>(i), list[i].id});
    return Ok{};
  });
}

std::vector<Attachment> attachments(db::Database& db, int64_t practice_id) {
  auto conn = db.read();
  return load_attachments(*conn, practice_id);
}

// --- Comments ---

namespace {
constexpr const char* kCommentSelect =
    "SELECT c.id, c.practice_id, c.author_id, COALESCE(u.display_name, ''), c.body, c.status, c.created_at, c.updated_at "
    "FROM practice_comments c LEFT JOIN users u ON u.id = c.author_id ";
Comment comment_from_row(const db::Row& r) {
  return {r.int64(0), r.int64(1), r.opt_int(2), r.str(3), r.str(4), r.text(5) == "hidden" ? CommentStatus::hidden : CommentStatus::visible,
          r.int64(6), r.int64(7)};
}

passerelle::Status set_comment_status(db::Database& db, int64_t comment_id, std::string_view status, int64_t actor) {
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    auto rows = conn.query("SELECT p.territory_id FROM practice_comments c JOIN practices p ON p.id = c.practice_id WHERE c.id = ?", {comment_id});
    if (rows.empty()) return Error::not_found("practices.comment_not_found");
    conn.exec("UPDATE practice_comments SET status = ?, moderated_by = ?, updated_at = ? WHERE id = ?", {status, actor, unix_now(), comment_id});
    audit::record(conn, actor, rows[0].int64(0), status == "hidden" ? "practice.comment_hide" : "practice.comment_show",
                  "practice_comment:" + std::to_string(comment_id));
    return Ok{};
  });
}
}  // namespace

Result<Comment> add_comment(db::Database& db, int64_t practice_id, int64_t author, std::string_view body) {
  std::string text(str::trim(body));
  if (text.empty()) return Error::validation("comment", "practices.comment_required");
  if (text.size() > kMaxComment || !str::valid_utf8(text)) return Error::validation("comment", "practices.comment_too_long");
  auto id = db.transaction([&](db::Connection& conn) -> Result<int64_t> {
    if (conn.query("SELECT 1 FROM practices WHERE id = ? AND status = 'published'", {practice_id}).empty())
      return Error::not_found("practices.not_found");
    int64_t now = unix_now();
    return conn.query("INSERT INTO practice_comments (practice_id, author_id, body, status, created_at, updated_at) VALUES (?, ?, ?, 'visible', ?, ?) RETURNING id",
                      {practice_id, author, text, now, now})[0]
        .int64(0);
  });
  if (!id) return id.error();
  return *find_comment(db, *id);
}

passerelle::Status hide_comment(db::Database& db, int64_t comment_id, int64_t actor) { return set_comment_status(db, comment_id, "hidden", actor); }
passerelle::Status show_comment(db::Database& db, int64_t comment_id, int64_t actor) { return set_comment_status(db, comment_id, "visible", actor); }

std::optional<Comment> find_comment(db::Database& db, int64_t comment_id) {
  auto conn = db.read();
  auto rows = conn->query(std::string(kCommentSelect) + "WHERE c.id = ?", {comment_id});
  if (rows.empty()) return std::nullopt;
  return comment_from_row(rows[0]);
}

std::vector<Comment> comments(db::Database& db, int64_t practice_id, bool include_hidden) {
  auto conn = db.read();
  std::vector<Comment> out;
  std::string sql = std::string(kCommentSelect) + "WHERE c.practice_id = ?" + (include_hidden ? "" : " AND c.status = 'visible'") +
                    " ORDER BY c.created_at, c.id";
  for (auto r : conn->query(sql, {practice_id})) out.push_back(comment_from_row(r));
  return out;
}

// --- Collections ---

namespace {
std::optional<Error> check_collection(std::string_view name, std::string_view description) {
  if (name.empty()) return Error::validation("name", "practices.collection_name_required");
  if (name.size() > kMaxCollectionName || !str::valid_utf8(name)) return Error::validation("name", "practices.collection_name_too_long");
  if (description.size() > kMaxCollectionDescription || !str::valid_utf8(description))
    return Error::validation("description", "practices.collection_description_too_long");
  return std::nullopt;
}

std::optional<Collection> find_collection_on(db::Connection& conn, int64_t id) {
  auto rows = conn.query("SELECT id, territory_id, name, description, created_at, updated_at FROM practice_collections WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  auto r = rows[0];
  Collection c{r.int64(0), r.int64(1), r.str(2), r.str(3), {}, r.int64(4), r.int64(5)};
  for (auto item : conn.query("SELECT practice_id FROM practice_collection_items WHERE collection_id = ? ORDER BY position, practice_id", {id}))
    c.practice_ids.push_back(item.int64(0));
  return c;
}

// Runs `fn` on the collection in a transaction; not_found when it does not exist.
template <class Fn>
passerelle::Status with_collection(db::Database& db, int64_t id, int64_t actor, std::string_view action, Fn&& fn) {
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    auto c = find_collection_on(conn, id);
    if (!c) return Error::not_found("practices.collection_not_found");
    passerelle::Status s = fn(conn, *c);
    if (s) {
      conn.exec("UPDATE practice_collections SET updated_at = ? WHERE id = ?", {unix_now(), id});
      audit::record(conn, actor, c->territory_id, action, "practice_collection:" + std::to_string(id));
    }
    return s;
  });
}
}  // namespace

Result<Collection> create_collection(db::Database& db, int64_t territory_id, std::string_view name, std::string_view description, int64_t actor) {
  std::string n(str::trim(name)), d(str::trim(description));
  if (auto e = check_collection(n, d)) return *e;
  Result<int64_t> id = Error::not_found();
  try {
    id = db.transaction([&](db::Connection& conn) -> Result<int64_t> {
      if (!territory_exists(conn, territory_id)) return Error::not_found("practices.territory_not_found");
      if (!conn.query("SELECT 1 FROM practice_collections WHERE territory_id = ? AND name = ?", {territory_id, n}).empty())
        return Error::conflict("name", "practices.collection_name_taken");
      int64_t now = unix_now();
      int64_t id = conn.query("INSERT INTO practice_collections (territory_id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                              {territory_id, n, d, now, now})[0]
                       .int64(0);
      audit::record(conn, actor, territory_id, "practice.collection_create", "practice_collection:" + std::to_string(id));
      return id;
    });
  } catch (const db::ConstraintViolation&) {
    return Error::conflict("name", "practices.collection_name_taken");
  }
  if (!id) return id.error();
  return *find_collection(db, *id);
}

passerelle::Status update_collection(db::Database& db, int64_t id, std::string_view name, std::string_view description, int64_t actor) {
  std::string n(str::trim(name)), d(str::trim(description));
  if (auto e = check_collection(n, d)) return *e;
  try {
    return with_collection(db, id, actor, "practice.collection_update", [&](db::Connection& conn, const Collection& c) -> passerelle::Status {
      if (!conn.query("SELECT 1 FROM practice_collections WHERE territory_id = ? AND name = ? AND id <> ?", {c.territory_id, n, id}).empty())
        return Error::conflict("name", "practices.collection_name_taken");
      conn.exec("UPDATE practice_collections SET name = ?, description = ? WHERE id = ?", {n, d, id});
      return Ok{};
    });
  } catch (const db::ConstraintViolation&) {
    return Error::conflict("name", "practices.collection_name_taken");
  }
}

passerelle::Status delete_collection(db::Database& db, int64_t id, int64_t actor) {
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    auto c = find_collection_on(conn, id);
    if (!c) return Error::not_found("practices.collection_not_found");
    conn.exec("DELETE FROM practice_collection_items WHERE collection_id = ?", {id});
    conn.exec("DELETE FROM practice_collections WHERE id = ?", {id});
    audit::record(conn, actor, c->territory_id, "practice.collection_delete", "practice_collection:" + std::to_string(id));
    return Ok{};
  });
}

passerelle::Status add_to_collection(db::Database& db, int64_t collection_id, int64_t practice_id, int64_t actor) {
  return with_collection(db, collection_id, actor, "practice.collection_add", [&](db::Connection& conn, const Collection& c) -> passerelle::Status {
    if (conn.query("SELECT 1 FROM practices WHERE id = ? AND status = 'published'", {practice_id}).empty())
      return Error::not_found("practices.not_found");
    if (std::find(c.practice_ids.begin(), c.practice_ids.end(), practice_id) != c.practice_ids.end())
      return Error::conflict("practice", "practices.already_in_collection");
    auto pos = conn.query("SELECT COALESCE(MAX(position), -1) + 1 FROM practice_collection_items WHERE collection_id = ?", {collection_id});
    conn.exec("INSERT INTO practice_collection_items (collection_id, practice_id, position) VALUES (?, ?, ?)", {collection_id, practice_id, pos[0].int64(0)});
    return Ok{};
  });
}

passerelle::Status remove_from_collection(db::Database& db, int64_t collection_id, int64_t practice_id, int64_t actor) {
  return with_collection(db, collection_id, actor, "practice.collection_remove", [&](db::Connection& conn, const Collection&) -> passerelle::Status {
    if (conn.exec("DELETE FROM practice_collection_items WHERE collection_id = ? AND practice_id = ?", {collection_id, practice_id}) == 0)
      return Error::not_found("practices.not_in_collection");
    return Ok{};
  });
}

passerelle::Status move_in_collection(db::Database& db, int64_t collection_id, int64_t practice_id, int delta, int64_t actor) {
  return with_collection(db, collection_id, actor, "practice.collection_order", [&](db::Connection& conn, const Collection& c) -> passerelle::Status {
    auto ids = c.practice_ids;
    auto it = std::find(ids.begin(), ids.end(), practice_id);
    if (it == ids.end()) return Error::not_found("practices.not_in_collection");
    size_t from = static_cast<size_t>(it - ids.begin());
    if (delta == 0 || (delta < 0 && from == 0) || (delta > 0 && from + 1 >= ids.size())) return Ok{};
    std::swap(ids[from], ids[delta < 0 ? from - 1 : from + 1]);
    for (size_t i = 0; i < ids.size(); ++i)
      conn.exec("UPDATE practice_collection_items SET position = ? WHERE collection_id = ? AND practice_id = ?",
                {static_cast<int64_t>(i), collection_id, ids[i]});
    return Ok{};
  });
}

std::optional<Collection> find_collection(db::Database& db, int64_t id) {
  auto conn = db.read();
  return find_collection_on(*conn, id);
}

std::vector<Collection> collections(db::Database& db, int64_t territory_id) {
  auto conn = db.read();
  std::vector<Collection> out;
  for (auto r : conn->query("SELECT id FROM practice_collections WHERE territory_id = ? ORDER BY name, id", {territory_id}))
    if (auto c = find_collection_on(*conn, r.int64(0))) out.push_back(std::move(*c));
  return out;
}

// --- Imports ---

std::string_view import_outcome_name(ImportOutcome o) {
  switch (o) {
    case ImportOutcome::created: return "created";
    case ImportOutcome::updated: return "updated";
    case ImportOutcome::unchanged: return "unchanged";
    case ImportOutcome::kept_local_edit: return "kept_local_edit";
    case ImportOutcome::withdrawn: return "withdrawn";
  }
  return "unchanged";
}

std::optional<Practice> find_imported(db::Database& db, std::string_view instance_url, std::string_view origin_id) {
  auto conn = db.read();
  auto rows = conn->query("SELECT id FROM practices WHERE origin_instance = ? AND origin_id = ?", {instance_url, origin_id});
  if (rows.empty()) return std::nullopt;
  return find_on(*conn, rows[0].int64(0));
}

Result<ImportOutcome> import_practice(db::Connection& conn, int64_t territory_id, const Imported& imported, Errors& errors) {
  if (!valid_http_url(imported.instance_url)) {
    errors.push_back(Error::validation("instance_url", "practices.import_instance_invalid"));
    return errors.back();
  }
  if (imported.origin_id.empty() || imported.origin_id.size() > 200 || !str::valid_utf8(imported.origin_id)) {
    errors.push_back(Error::validation("origin_id", "practices.import_id_invalid"));
    return errors.back();
  }
  auto content = validate(imported.input, errors);
  if (!content) return content.error();
  auto rows = conn.query("SELECT id, locally_modified, status FROM practices WHERE origin_instance = ? AND origin_id = ?",
                         {imported.instance_url, imported.origin_id});
  int64_t now = unix_now();
  if (rows.empty()) {
    if (!imported.published) return ImportOutcome::unchanged;  // never had it, nothing to withdraw
    if (!territory_exists(conn, territory_id)) return Error::not_found("practices.territory_not_found");
    Provenance prov;
    prov.instance_url = imported.instance_url;
    prov.origin_id = imported.origin_id;
    prov.territory_name = imported.territory_name;
    prov.credit = imported.credit.empty() ? "Fiche de " + imported.territory_name + ", publiée sur " + imported.instance_url : imported.credit;
    prov.origin_updated_at = imported.origin_updated_at;
    int64_t id = insert_practice(conn, territory_id, Status::published, *content, std::nullopt, prov, now);
    audit::record(conn, std::nullopt, territory_id, "practice.import", target(id), imported.instance_url);
    return ImportOutcome::created;
  }
  int64_t id = rows[0].int64(0);
  if (rows[0].int64(1) != 0) return ImportOutcome::kept_local_edit;
  Status status = status_of_db(rows[0].text(2));
  if (!imported.published) {
    if (status != Status::published) return ImportOutcome::unchanged;
    conn.exec("UPDATE practices SET status = 'unpublished', updated_at = ? WHERE id = ?", {now, id});
    search::record_change(conn, "practice", id);
    return ImportOutcome::withdrawn;
  }
  auto current = find_on(conn, id);
  if (status == Status::published && to_json(*current) == to_json(*content)) return ImportOutcome::unchanged;
  auto version = conn.query("UPDATE practices SET version = version + 1, status = 'published', published_at = COALESCE(published_at, ?), "
                            "origin_updated_at = ?, origin_territory = ? WHERE id = ? RETURNING version",
                            {now, imported.origin_updated_at, imported.territory_name, id});
  write_content(conn, id, *content, now);
  write_version(conn, id, static_cast<int>(version[0].int64(0)), std::nullopt, *content, now);
  search::record_change(conn, "practice", id);
  return ImportOutcome::updated;
}

Result<ImportOutcome> import_practice(db::Database& db, int64_t territory_id, const Imported& imported, Errors& errors) {
  try {
    // A refusal is decided before anything is written, so committing it changes nothing.
    return db.transaction([&](db::Connection& conn) { return import_practice(conn, territory_id, imported, errors); });
  } catch (const db::ConstraintViolation&) {  // the same sheet imported at the same moment by another process
    return ImportOutcome::unchanged;
  }
}

}  // namespace passerelle::practices
