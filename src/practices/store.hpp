#pragma once
// Practice sheets in the database (SQLite or PostgreSQL). Every write that can change what search
// finds calls search::record_change in its own transaction. Bad input changes nothing.
// Note: `Status` in this namespace is the status of a sheet; results are passerelle::Status.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "platform/db/database.hpp"
#include "platform/web/app.hpp"
#include "practices/model.hpp"

namespace passerelle::practices {

// --- Who is looking ---

struct Viewer {
  std::optional<int64_t> user_id;
  bool platform_admin = false;
  std::vector<int64_t> editor_territories;  // where the person is administrateur or agent
  bool edits(int64_t territory_id) const;
};
Viewer viewer_of(const std::optional<web::Account>& account);

// Published sheets: everyone. Others: the territory's administrators/agents, platform
// administrators and the author.
bool can_view(const Viewer& viewer, const Practice& p);
// Edit, publish, trash: the territory's administrators/agents, platform administrators and the
// author of the sheet.
bool can_edit(const Viewer& viewer, const Practice& p);
// Comment moderation and collections: editors of the territory (not the author alone).
bool can_moderate(const Viewer& viewer, int64_t territory_id);

// --- Sheets ---

// Creates a draft of `territory_id` (version 1 written by `author`).
Result<Practice> create(db::Database& db, int64_t territory_id, const Input& input, int64_t author, Errors& errors);
// Saves a new version (full snapshot, with its author). A reused or imported sheet becomes
// `locally_modified`, so that imports never overwrite it.
Result<Practice> update(db::Database& db, int64_t id, const Input& input, int64_t author, Errors& errors);
passerelle::Status publish(db::Database& db, int64_t id, int64_t actor);
passerelle::Status unpublish(db::Database& db, int64_t id, int64_t actor);
passerelle::Status trash(db::Database& db, int64_t id, int64_t actor);
passerelle::Status restore(db::Database& db, int64_t id, int64_t actor);  // back from the trash, as a draft

// The sheet whatever its status (for editors and internal use); attachments included.
std::optional<Practice> find(db::Database& db, int64_t id);
// Same on a connection the caller holds (search source, inside a transaction).
std::optional<Practice> find(db::Connection& conn, int64_t id);
// Every published sheet, by increasing id, in batches (attachments not loaded).
void each_published(db::Connection& conn, const std::function<void(const Practice&)>& fn);
// The sheet if `viewer` may see it; not_found otherwise (a draft's existence is not revealed).
Result<Practice> get(db::Database& db, int64_t id, const Viewer& viewer);

struct Filter {
  std::optional<int64_t> territory_id;
  std::vector<std::string> themes;  // OR within a taxonomy, AND across taxonomies
  std::vector<std::string> resource_types;
  std::vector<std::string> publics;
  std::vector<std::string> sectors;
  std::vector<Status> statuses;  // empty = published only
  std::optional<int64_t> updated_since;  // updated_at >= this (feeds)
  enum class Order { updated_desc, title, updated_asc } order = Order::updated_desc;
  size_t offset = 0;
  size_t limit = 20;  // at most 200
  std::vector<std::string>& slugs(Taxonomy t);
  const std::vector<std::string>& slugs(Taxonomy t) const;
};
struct Page {
  std::vector<Practice> items;  // without attachments (cheap lists)
  int64_t total = 0;            // matching sheets, for pagination
};
// Published sheets of every territory (statuses of the filter are ignored).
Page list_published(db::Database& db, Filter filter);
// For editors: any status of the filter (empty = everything but the trash). Callers check rights.
Page list_any(db::Database& db, const Filter& filter);

// --- Versions ---

struct Version {
  int number = 0;
  std::optional<int64_t> author_id;
  std::string author_name;  // "" when the account was erased
  int64_t created_at = 0;
  Content content;
};
std::vector<Version> versions(db::Database& db, int64_t practice_id);  // newest first
std::optional<Version> version(db::Database& db, int64_t practice_id, int number);
// Diff of the canonical texts of two versions (to_text); not_found when one is missing.
Result<std::vector<DiffLine>> diff(db::Database& db, int64_t practice_id, int from, int to);

// --- "Je m'en inspire": reuse into another territory ---

// Copies a published sheet into `target_territory_id` as a draft (or published) sheet credited to
// its origin, and counts the reuse once per target territory, in one transaction.
// conflict "territory" when that territory already reused it or owns it.
Result<Practice> reuse(db::Database& db, int64_t origin_id, int64_t target_territory_id, int64_t actor, bool publish_now = false);
struct Reuse {
  int64_t territory_id;
  std::string territory_slug;
  std::string territory_name;
  int64_t practice_id;  // the copy
  int64_t created_at;
};
std::vector<Reuse> reuses(db::Database& db, int64_t origin_id);

// --- Attachments (images ≤ 5 Mo jpeg/png/webp, PDF ≤ 20 Mo, at most 10 per sheet) ---

struct Upload {
  std::string name;   // file name as sent, for display only
  std::string bytes;
  std::string alt;     // required for images
  std::string caption;
};
// Checks the type from the content and the size, strips image metadata (location), stores the
// file and links it at the end of the list. Error fields: "fichier", "alt".
Result<Attachment> add_attachment(db::Database& db, int64_t practice_id, const Upload& upload, int64_t actor);
passerelle::Status remove_attachment(db::Database& db, int64_t practice_id, int64_t attachment_id, int64_t actor);
// Moves an attachment one place up (-1) or down (+1).
passerelle::Status move_attachment(db::Database& db, int64_t practice_id, int64_t attachment_id, int delta, int64_t actor);
std::vector<Attachment> attachments(db::Database& db, int64_t practice_id);

// --- Comments ---

enum class CommentStatus { visible, hidden };
struct Comment {
  int64_t id = 0;
  int64_t practice_id = 0;
  std::optional<int64_t> author_id;
  std::string author_name;
  std::string body;  // plain text
  CommentStatus status = CommentStatus::visible;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};
inline constexpr size_t kMaxComment = 5000;
// On published sheets only. Error field "comment".
Result<Comment> add_comment(db::Database& db, int64_t practice_id, int64_t author, std::string_view body);
passerelle::Status hide_comment(db::Database& db, int64_t comment_id, int64_t actor);
passerelle::Status show_comment(db::Database& db, int64_t comment_id, int64_t actor);
std::optional<Comment> find_comment(db::Database& db, int64_t comment_id);
std::vector<Comment> comments(db::Database& db, int64_t practice_id, bool include_hidden);  // oldest first

// --- Collections per territory ---

struct Collection {
  int64_t id = 0;
  int64_t territory_id = 0;
  std::string name;
  std::string description;
  std::vector<int64_t> practice_ids;  // in the chosen order
  int64_t created_at = 0;
  int64_t updated_at = 0;
};
inline constexpr size_t kMaxCollectionName = 200;
inline constexpr size_t kMaxCollectionDescription = 2000;
// Error fields "name", "description"; conflict "name" when the territory has one of that name.
Result<Collection> create_collection(db::Database& db, int64_t territory_id, std::string_view name, std::string_view description,
                                     int64_t actor);
passerelle::Status update_collection(db::Database& db, int64_t id, std::string_view name, std::string_view description, int64_t actor);
passerelle::Status delete_collection(db::Database& db, int64_t id, int64_t actor);
// Any published sheet (of any territory) can be added, once; it goes at the end.
passerelle::Status add_to_collection(db::Database& db, int64_t collection_id, int64_t practice_id, int64_t actor);
passerelle::Status remove_from_collection(db::Database& db, int64_t collection_id, int64_t practice_id, int64_t actor);
// Moves a sheet one place up (-1) or down (+1).
passerelle::Status move_in_collection(db::Database& db, int64_t collection_id, int64_t practice_id, int delta, int64_t actor);
std::optional<Collection> find_collection(db::Database& db, int64_t id);
std::vector<Collection> collections(db::Database& db, int64_t territory_id);

// --- Imports from other instances (used by federation) ---

struct Imported {
  std::string instance_url;  // base URL of the origin instance
  std::string origin_id;
  std::string territory_name;
  std::string credit;        // "" = made from the instance and territory
  Input input;               // validated like any sheet
  bool published = true;     // false: withdrawn at the origin
  int64_t origin_updated_at = 0;
};
enum class ImportOutcome { created, updated, unchanged, kept_local_edit, withdrawn };
std::string_view import_outcome_name(ImportOutcome o);
// Creates or updates the local copy (in `territory_id`) of a sheet of another instance, keyed by
// (instance_url, origin_id). A copy edited locally is never overwritten. An unpublished origin
// unpublishes the copy (unless locally modified). Validation errors change nothing.
Result<ImportOutcome> import_practice(db::Database& db, int64_t territory_id, const Imported& imported, Errors& errors);
// Same, inside the caller's transaction (no BEGIN/COMMIT of its own): a whole feed all-or-nothing.
// A concurrent import of the same sheet surfaces as db::ConstraintViolation (the caller rolls back).
Result<ImportOutcome> import_practice(db::Connection& conn, int64_t territory_id, const Imported& imported, Errors& errors);
std::optional<Practice> find_imported(db::Database& db, std::string_view instance_url, std::string_view origin_id);

}  // namespace passerelle::practices
