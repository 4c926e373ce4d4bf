#pragma once
// Reading another instance's open data: the JSON export of feed_out (richer than Atom: Markdown
// body, taxonomies by slug, communes, links, licence), read as a complete snapshot of what that
// instance publishes. Parsing is pure and refuses the whole feed at the first problem, with a
// precise error (line, practice, field, why), so that a bad feed never changes anything.
// Fetching goes through libcurl with timeouts, a size cap and http/https only.
#include <cstdint>
#include <string>
#include <vector>

#include "platform/result.hpp"
#include "practices/model.hpp"

namespace passerelle::practices::feed {

struct Limits {
  size_t max_bytes = 10 * 1024 * 1024;
  size_t max_entries = 5000;
  size_t max_depth = 16;       // nesting of arrays/objects; the format needs 4
  size_t max_id = 100;         // id of a sheet at its origin
  size_t max_url = 2000;
  size_t max_name = 200;       // territory and instance names
};

struct RemotePractice {
  std::string id;
  std::string url;             // page of the sheet at its origin (http/https)
  std::string territory_name;
  Input input;                 // already validated with practices::validate
  int64_t updated_at = 0;
};

struct RemoteFeed {
  std::string instance_name;
  std::string instance_url;
  int64_t generated_at = 0;
  std::vector<RemotePractice> practices;
};

// Errors: field = where ("practices[3].title", "format"…), message_key = federation.feed_*, args
// line/column (syntax), index, id, field, max, expected. A practice whose content does not pass
// practices::validate gives federation.feed_invalid_practice, with the validation error's own
// key and field in args "reason_key" and "field".
Result<RemoteFeed> parse_json(std::string_view bytes, const Limits& limits = {});

struct FetchOptions {
  long connect_timeout_seconds = 5;
  long total_timeout_seconds = 20;
  size_t max_bytes = Limits{}.max_bytes;
  long max_redirects = 3;
};

// http(s)://host[:port] of an absolute http or https URL, lower-cased; nothing for anything else
// (other schemes, user:password@, no host, spaces or controls, longer than 2000 characters).
std::optional<std::string> origin_of(std::string_view url);

// GET `url` (http/https only, also after redirects): the body of a 200 answer whose type is JSON.
// Errors (field "url"): federation.url_invalid, federation.host_unknown, federation.unreachable,
// federation.timeout, federation.tls, federation.too_many_redirects, federation.feed_too_large,
// federation.http_status (arg status), federation.content_type (arg type), federation.fetch_failed.
Result<std::string> fetch(std::string_view url, const FetchOptions& options = {});

}  // namespace passerelle::practices::feed
