#pragma once
// Practice sheets ("bonnes pratiques") shared between territories: the data, its validation and
// the small pure helpers around it (taxonomies of "Les Bases", licences, line diff, file checks).
// No I/O here: the store (store.hpp) keeps them in the database.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/result.hpp"

namespace passerelle::practices {

// --- Taxonomies of the national knowledge base "Les Bases du numérique d'intérêt général" ---

struct Term {
  std::string_view slug;   // stable, stored and used in URLs and facets
  std::string_view label;  // exact French label of Les Bases
};

enum class Taxonomy { theme, resource_type, public_, sector };
inline constexpr Taxonomy kTaxonomies[] = {Taxonomy::theme, Taxonomy::resource_type, Taxonomy::public_, Taxonomy::sector};

const std::vector<Term>& terms(Taxonomy taxonomy);  // 29 themes, 9 types, 10 publics, 4 sectors
// Field name used in forms, JSON, facets and error fields: "themes", "types", "publics", "sectors".
std::string_view taxonomy_field(Taxonomy taxonomy);
// Facet field in the search index: "theme", "type", "public", "sector".
std::string_view taxonomy_facet(Taxonomy taxonomy);
std::optional<std::string_view> label_of(Taxonomy taxonomy, std::string_view slug);
std::optional<std::string_view> slug_of_label(Taxonomy taxonomy, std::string_view label);
bool valid_term(Taxonomy taxonomy, std::string_view slug);

// --- Licences ---

struct Licence {
  std::string_view slug;
  std::string_view label;
  std::string_view url;
};
inline constexpr std::string_view kDefaultLicence = "etalab-2.0";
const std::vector<Licence>& licences();  // etalab-2.0 (default, as in Les Bases), cc-by-sa-4.0
const Licence* find_licence(std::string_view slug);

// --- Status ---

// draft: being written, seen only by the territory's editors and the author.
// published: seen by everyone, searchable. unpublished: withdrawn, editors only.
// trashed: deleted by an editor (kept for history and provenance), editors only.
enum class Status { draft, published, unpublished, trashed };
std::string_view status_name(Status s);  // "brouillon", "publiee", "depubliee", "corbeille"
std::optional<Status> parse_status(std::string_view s);

// --- The sheet ---

struct Contact {
  std::string name;
  std::string email;
  std::string phone;
  bool empty() const { return name.empty() && email.empty() && phone.empty(); }
};

struct Link {
  std::string url;    // http(s) only
  std::string title;
};

// The editable content of a sheet, normalised; one version = one snapshot of it.
struct Content {
  std::string title;
  std::string summary;
  std::string body;  // Markdown (rendered through html::render_markdown, safe mode)
  std::vector<std::string> communes;  // INSEE codes
  std::vector<std::string> themes;    // slugs, per taxonomy
  std::vector<std::string> resource_types;
  std::vector<std::string> publics;
  std::vector<std::string> sectors;
  std::string cost;                   // free text: "Gratuit", "2 ETP sur 6 mois"…
  std::optional<int64_t> cost_cents;  // optional amount in euro cents
  std::vector<std::string> partners;
  Contact contact;
  std::vector<Link> links;
  std::string licence = std::string(kDefaultLicence);

  const std::vector<std::string>& slugs(Taxonomy t) const;
  std::vector<std::string>& slugs(Taxonomy t);
};

enum class AttachmentKind { image, pdf };
std::string_view attachment_kind_name(AttachmentKind k);  // "image", "pdf"

struct Attachment {
  int64_t id = 0;
  int64_t file_id = 0;  // row of the platform `files` table, served at /fichiers/{file_id}
  AttachmentKind kind = AttachmentKind::image;
  std::string name;
  std::string content_type;  // from the content (magic bytes), never from the client
  int64_t size = 0;
  std::string alt;      // text alternative, required for images (RGAA)
  std::string caption;
  int position = 0;
};

// Where a sheet comes from when it was reused from another territory or imported from another
// Passerelle instance. A local edit sets `locally_modified`, and imports never overwrite it.
struct Provenance {
  std::optional<int64_t> origin_practice_id;  // local reuse: the sheet it was copied from
  std::string instance_url;                   // import: base URL of the origin instance
  std::string origin_id;                      // import: id of the sheet on that instance
  std::string territory_name;                 // name of the origin territory, for the credit
  std::string credit;                         // credit text shown on the sheet
  bool locally_modified = false;
  int64_t origin_updated_at = 0;              // import: last update seen at the origin
  bool imported() const { return !instance_url.empty(); }
};

struct Practice : Content {
  int64_t id = 0;
  int64_t territory_id = 0;
  std::string territory_slug;
  std::string territory_name;
  Status status = Status::draft;
  std::optional<Provenance> provenance;
  int64_t reuse_count = 0;  // "je m'en inspire": distinct territories that reused it
  int version = 1;          // number of the current version
  std::optional<int64_t> author_id;  // who created it
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::optional<int64_t> published_at;
  std::vector<Attachment> attachments;  // ordered by position
};

// --- Input as typed in a form or sent in JSON, validated into Content ---

struct Input {
  std::string title;
  std::string summary;
  std::string body;
  std::vector<std::string> communes;  // forms: split_list() of the typed text
  std::vector<std::string> themes;
  std::vector<std::string> resource_types;
  std::vector<std::string> publics;
  std::vector<std::string> sectors;
  std::string cost;
  std::string cost_amount;  // "1 200,50" or "1200.5" or ""; euros
  std::vector<std::string> partners;
  Contact contact;
  std::vector<Link> links;
  std::string licence;  // "" = default

  std::vector<std::string>& slugs(Taxonomy t);
  const std::vector<std::string>& slugs(Taxonomy t) const;
  static Input from(const Content& c);  // for editing an existing sheet
};

// Limits, checked by validate().
inline constexpr size_t kMaxTitle = 200;
inline constexpr size_t kMaxSummary = 1000;
inline constexpr size_t kMaxBody = 100000;
inline constexpr size_t kMaxCommunes = 500;
inline constexpr size_t kMaxPartners = 30;
inline constexpr size_t kMaxPartner = 200;
inline constexpr size_t kMaxLinks = 30;
inline constexpr size_t kMaxCost = 500;

// Field-by-field checks; each error names its field ("title", "themes", "links[2].url",
// "contact_email"…) with a key of web/locale/practices. Returns the normalised content, or the
// first error when there is any (all of them are in `errors`).
Result<Content> validate(const Input& input, Errors& errors);

// Splits what a person typed in a textarea or a field: commas, semicolons and new lines.
std::vector<std::string> split_list(std::string_view typed);
// "1 200,50 €" → 120050 cents; nothing for text that is not an amount.
std::optional<int64_t> parse_euros(std::string_view typed);
std::string format_euros(int64_t cents);  // "1 200,50 €" (French)
bool valid_http_url(std::string_view url);
bool valid_phone(std::string_view phone);  // French or international, digits/spaces/dots/+

// Markdown to plain text, simply (for search, summaries of feeds, diffs of the body).
std::string markdown_to_text(std::string_view markdown);

// --- Versions and diffs ---

// Canonical text of a content, one field per line block, used to compare versions.
std::string to_text(const Content& content);
// JSON snapshot of a content (stored per version), and back.
std::string to_json(const Content& content);
std::optional<Content> content_from_json(std::string_view json);

struct DiffLine {
  enum class Op { kept, added, removed };
  Op op;
  std::string text;
};
// Line diff by longest common subsequence: the lines of `before` removed, those of `after`
// added, the common ones kept, in reading order.
std::vector<DiffLine> diff_lines(std::string_view before, std::string_view after);

// --- Attachments ---

inline constexpr size_t kMaxAttachments = 10;
inline constexpr size_t kMaxImageBytes = 5 * 1024 * 1024;
inline constexpr size_t kMaxPdfBytes = 20 * 1024 * 1024;

struct CheckedFile {
  AttachmentKind kind;
  std::string content_type;  // image/jpeg, image/png, image/webp, application/pdf
};
// Type from the content only (magic bytes), then the size limit of that type. Error field "fichier".
Result<CheckedFile> check_file(std::string_view bytes);
// Image metadata (location, camera serial) is removed by media::strip_metadata before storage.

}  // namespace passerelle::practices
