#pragma once
// The search engine: an in-memory inverted index of our own (BM25, phrases, prefixes, spelling
// suggestions) with a bitmap per facet value (CRoaring) that makes exact facet counts cheap,
// saved to a snapshot in its directory (engine_impl.hpp says how and why not Xapian). It knows
// nothing of the database: the Service (service.hpp) feeds it from the database of record.
//
// Only public content is ever given to the engine, so results, counts and suggestions cannot
// expose drafts or hidden content: the Sources decide, the engine cannot leak what it never had.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace passerelle::search {

struct Facet {
  std::string field;  // "theme", "public", "territory", "commune"…
  std::string value;  // the value as displayed: "Maîtrise des outils numériques"
};

struct Document {
  std::string kind;       // "practice", "contribution", "place", "process"
  int64_t id = 0;         // id in the module's table
  std::string territory;  // territory slug, "" when none
  std::string title;
  std::string summary;    // plain text
  std::string body;       // plain text (Markdown already turned into text by the Source)
  std::string url;        // where the result links to, e.g. /t/besancon/pratiques/12
  int64_t date = 0;       // Unix seconds, for sorting by date
  std::vector<Facet> facets;
};

struct Query {
  std::string text;  // words, "phrases entre guillemets", prefix* ; empty = everything
  std::vector<std::string> kinds;      // empty = every kind
  std::vector<Facet> filters;          // OR within one field, AND across fields
  std::vector<std::string> facet_fields;  // fields whose counts are wanted
  size_t offset = 0;
  size_t limit = 10;
  enum class Sort { relevance, date } sort = Sort::relevance;
};

struct Hit {
  std::string kind;
  int64_t id = 0;
  double score = 0;
  std::string territory;
  std::string title;
  std::string url;
  int64_t date = 0;
  std::string snippet_html;  // escaped text with the matching words in <mark>
};

struct FacetCount {
  std::string value;
  uint64_t count = 0;
};

struct Results {
  uint64_t total = 0;  // exact number of matching documents
  std::vector<Hit> hits;
  std::map<std::string, std::vector<FacetCount>> facets;  // field → values, most frequent first
  std::optional<std::string> suggestion;  // "vouliez-vous dire" : the corrected query
};

// Another process (or another Engine in this one) has the index directory open.
struct IndexLocked : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Engine {
 public:
  // Opens (creating if needed) the index in `dir`; "" keeps it in a temporary directory removed
  // on destruction (tests, processes sharing a database without a directory of their own).
  // Throws IndexLocked when another process has `dir` open.
  static std::unique_ptr<Engine> open(const std::string& dir);
  virtual ~Engine() = default;

  virtual void put(const Document& doc) = 0;                      // add or replace
  // Same as put() for each, the analysis spread over two threads (bulk indexing).
  virtual void put_many(const std::vector<Document>& docs) {
    for (const auto& d : docs) put(d);
  }
  virtual void remove(const std::string& kind, int64_t id) = 0;
  virtual void clear() = 0;
  virtual void commit() = 0;                                       // makes changes durable
  virtual Results search(const Query& query) const = 0;           // thread-safe with writes
  virtual uint64_t size() const = 0;
  // The facet fields present in the index ("kind", "territory", "theme"…), sorted.
  virtual std::vector<std::string> facet_fields() const { return {}; }
  // A value kept with the index (the last change applied, for the Service).
  virtual std::string metadata(const std::string& key) const = 0;
  virtual void set_metadata(const std::string& key, const std::string& value) = 0;
};

}  // namespace passerelle::search
