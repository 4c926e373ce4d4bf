#include "practices/feed_in.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <mutex>
#include <set>

#include "platform/core/strings.hpp"
#include "practices/feed_out.hpp"

namespace passerelle::practices::feed {

using nlohmann::json;

namespace {

Error feed_error(std::string key, std::string field = {}) { return Error::validation(std::move(field), std::move(key)); }

// Refuses nesting deeper than the format needs before the JSON parser sees it.
std::optional<size_t> too_deep_at_line(std::string_view bytes, size_t max_depth) {
  size_t depth = 0, line = 1;
  bool in_string = false, escaped = false;
  for (char c : bytes) {
    if (c == '\n') ++line;
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > max_depth) return line;
    } else if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  return std::nullopt;
}

// Reads the fields of one practice object; every error names the practice and the field.
class EntryReader {
 public:
  EntryReader(const json& entry, size_t index, const Limits& limits) : e_(entry), index_(index), limits_(limits) {}

  std::string path(std::string_view field) const { return "practices[" + std::to_string(index_) + "]." + std::string(field); }
  Error error(std::string key, std::string_view field) const {
    Error err = feed_error(std::move(key), path(field));
    err.args.emplace_back("field", path(field));
    err.args.emplace_back("number", std::to_string(index_ + 1));
    err.args.emplace_back("id", id_);
    return err;
  }
  Error type_error(std::string_view field, std::string_view expected) const {
    return std::move(error("federation.feed_type", field).with("expected", std::string(expected)));
  }
  void set_id(std::string id) { id_ = std::move(id); }

  // A required (or optional, "" when absent/null) string, at most `max` bytes.
  Result<std::string> string(std::string_view field, bool required, size_t max) const {
    auto it = e_.find(field);
    if (it == e_.end() || it->is_null()) {
      if (required) return error("federation.feed_missing", field);
      return std::string();
    }
    if (!it->is_string()) return type_error(field, "texte");
    const auto& s = it->get_ref<const std::string&>();
    if (s.size() > max) return std::move(error("federation.feed_too_long", field).with("max", std::to_string(max)));
    return s;
  }

  // An array of strings, or of objects whose `key` is a string (taxonomies: {"slug", "label"}).
  Result<std::vector<std::string>> strings(std::string_view field, std::string_view key = {}) const {
    std::vector<std::string> out;
    auto it = e_.find(field);
    if (it == e_.end() || it->is_null()) return out;
    if (!it->is_array()) return type_error(field, "liste");
    if (it->size() > 1000) return std::move(error("federation.feed_too_long", field).with("max", "1000"));
    for (size_t i = 0; i < it->size(); ++i) {
      const json& v = (*it)[i];
      std::string item_field = std::string(field) + "[" + std::to_string(i) + "]";
      const json* s = &v;
      if (!key.empty() && v.is_object()) {
        auto k = v.find(key);
        if (k == v.end()) return error("federation.feed_missing", item_field + "." + std::string(key));
        s = &*k;
      }
      if (!s->is_string()) return type_error(item_field, "texte");
      if (s->get_ref<const std::string&>().size() > 2000) return std::move(error("federation.feed_too_long", item_field).with("max", "2000"));
      out.push_back(s->get<std::string>());
    }
    return out;
  }

  const json* object(std::string_view field) const {
    auto it = e_.find(field);
    return it == e_.end() || !it->is_object() ? nullptr : &*it;
  }
  const json* find(std::string_view field) const {
    auto it = e_.find(field);
    return it == e_.end() ? nullptr : &*it;
  }

 private:
  const json& e_;
  size_t index_;
  const Limits& limits_;
  std::string id_;
};

#define TRY_ASSIGN(var, expr)              \
  auto var##_r = (expr);                   \
  if (!var##_r) return var##_r.error();    \
  auto var = std::move(var##_r.value())

Result<RemotePractice> read_practice(const json& entry, size_t index, const Limits& limits) {
  EntryReader r(entry, index, limits);
  if (!entry.is_object()) return r.type_error("", "objet");
  RemotePractice out;
  TRY_ASSIGN(id, r.string("id", true, limits.max_id));
  if (id.empty()) return r.error("federation.feed_missing", "id");
  out.id = id;
  r.set_id(id);
  TRY_ASSIGN(url, r.string("url", true, limits.max_url));
  if (!valid_http_url(url)) return r.error("federation.feed_bad_url", "url");
  out.url = url;
  TRY_ASSIGN(updated, r.string("updated_at", true, 40));
  auto updated_at = parse_iso8601(updated);
  if (!updated_at) return r.error("federation.feed_bad_date", "updated_at");
  out.updated_at = *updated_at;

  const json* territory = r.object("territory");
  if (!territory) return r.find("territory") ? r.type_error("territory", "objet") : r.error("federation.feed_missing", "territory");
  auto name = territory->find("name");
  if (name == territory->end() || !name->is_string()) return r.error("federation.feed_missing", "territory.name");
  if (name->get_ref<const std::string&>().size() > limits.max_name)
    return std::move(r.error("federation.feed_too_long", "territory.name").with("max", std::to_string(limits.max_name)));
  out.territory_name = name->get<std::string>();

  // Content: the lengths are checked by practices::validate below, with its own limits; here
  // only a generous cap so that nothing huge is copied around.
  Input& in = out.input;
  TRY_ASSIGN(title, r.string("title", true, kMaxTitle * 4));
  TRY_ASSIGN(summary, r.string("summary", true, kMaxSummary * 4));
  TRY_ASSIGN(body, r.string("body", false, kMaxBody * 2));
  TRY_ASSIGN(cost, r.string("cost", false, kMaxCost * 4));
  in.title = title;
  in.summary = summary;
  in.body = body;
  in.cost = cost;
  if (const json* cents = r.find("cost_cents"); cents && !cents->is_null()) {
    if (!cents->is_number_integer() || cents->get<int64_t>() < 0) return r.type_error("cost_cents", "entier positif");
    int64_t c = cents->get<int64_t>();
    in.cost_amount = std::to_string(c / 100) + "." + (c % 100 < 10 ? "0" : "") + std::to_string(c % 100);
  }
  TRY_ASSIGN(communes, r.strings("communes"));
  TRY_ASSIGN(themes, r.strings("themes", "slug"));
  TRY_ASSIGN(types, r.strings("resource_types", "slug"));
  TRY_ASSIGN(publics, r.strings("publics", "slug"));
  TRY_ASSIGN(sectors, r.strings("sectors", "slug"));
  TRY_ASSIGN(partners, r.strings("partners"));
  in.communes = communes;
  in.themes = themes;
  in.resource_types = types;
  in.publics = publics;
  in.sectors = sectors;
  in.partners = partners;
  if (const json* licence = r.find("licence"); licence && !licence->is_null()) {
    const json* slug = licence;
    if (licence->is_object()) {
      auto it = licence->find("slug");
      if (it == licence->end()) return r.error("federation.feed_missing", "licence.slug");
      slug = &*it;
    }
    if (!slug->is_string()) return r.type_error("licence", "texte");
    in.licence = slug->get<std::string>();
  }
  if (const json* links = r.find("links"); links && !links->is_null()) {
    if (!links->is_array()) return r.type_error("links", "liste");
    if (links->size() > kMaxLinks) return std::move(r.error("federation.feed_too_long", "links").with("max", std::to_string(kMaxLinks)));
    for (size_t i = 0; i < links->size(); ++i) {
      const json& l = (*links)[i];
      std::string f = "links[" + std::to_string(i) + "]";
      if (!l.is_object()) return r.type_error(f, "objet");
      auto u = l.find("url");
      auto t = l.find("title");
      if (u == l.end() || !u->is_string()) return r.error("federation.feed_missing", f + ".url");
      if (t != l.end() && !t->is_string() && !t->is_null()) return r.type_error(f + ".title", "texte");
      in.links.push_back({u->get<std::string>(), t != l.end() && t->is_string() ? t->get<std::string>() : ""});
    }
  }

  Errors errors;
  if (auto content = validate(in, errors); !content) {
    const Error& why = content.error();
    Error err = r.error("federation.feed_invalid_practice", why.field);
    err.args.emplace_back("reason_key", why.message_key);
    for (const auto& a : why.args) err.args.push_back(a);
    return err;
  }
  return out;
}

}  // namespace

Result<RemoteFeed> parse_json(std::string_view bytes, const Limits& limits) {
  if (bytes.size() > limits.max_bytes)
    return std::move(feed_error("federation.feed_too_large").with("max", std::to_string(limits.max_bytes / (1024 * 1024))));
  if (bytes.empty()) return feed_error("federation.feed_empty");
  if (auto line = too_deep_at_line(bytes, limits.max_depth))
    return std::move(feed_error("federation.feed_too_deep").with("line", std::to_string(*line)));
  json doc;
  try {
    doc = json::parse(bytes);
  } catch (const json::parse_error& e) {
    size_t at = std::min<size_t>(e.byte > 0 ? e.byte - 1 : 0, bytes.size());
    size_t line = 1, column = 1;
    for (size_t i = 0; i < at; ++i) {
      if (bytes[i] == '\n') ++line, column = 1;
      else ++column;
    }
    return std::move(feed_error("federation.feed_syntax").with("line", std::to_string(line)).with("column", std::to_string(column)));
  } catch (const json::out_of_range&) {  // a number beyond a double, such as 5e4299
    return feed_error("federation.feed_number_out_of_range");
  }
  if (!doc.is_object()) return feed_error("federation.feed_not_object");
  auto format = doc.find("format");
  if (format == doc.end() || !format->is_string() || format->get<std::string>() != kFormat)
    return std::move(feed_error("federation.feed_wrong_format", "format").with("expected", std::string(kFormat)));
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer() || version->get<int64_t>() != kFormatVersion)
    return std::move(feed_error("federation.feed_version", "version").with("supported", std::to_string(kFormatVersion)));

  RemoteFeed feed;
  auto instance = doc.find("instance");
  if (instance == doc.end() || !instance->is_object()) return feed_error("federation.feed_no_instance", "instance");
  auto iname = instance->find("name");
  auto iurl = instance->find("url");
  if (iname == instance->end() || !iname->is_string() || iname->get_ref<const std::string&>().size() > limits.max_name)
    return feed_error("federation.feed_no_instance", "instance.name");
  if (iurl == instance->end() || !iurl->is_string() || !valid_http_url(iurl->get<std::string>()))
    return feed_error("federation.feed_no_instance", "instance.url");
  feed.instance_name = iname->get<std::string>();
  feed.instance_url = iurl->get<std::string>();
  auto generated = doc.find("generated_at");
  std::optional<int64_t> generated_at;
  if (generated != doc.end() && generated->is_string()) generated_at = parse_iso8601(generated->get<std::string>());
  if (!generated_at) return feed_error("federation.feed_bad_generated_at", "generated_at");
  feed.generated_at = *generated_at;

  auto list = doc.find("practices");
  if (list == doc.end() || !list->is_array()) return feed_error("federation.feed_no_practices", "practices");
  if (list->size() > limits.max_entries)
    return std::move(feed_error("federation.feed_too_many", "practices")
                         .with("count", std::to_string(list->size()))
                         .with("max", std::to_string(limits.max_entries)));
  std::set<std::string> ids;
  for (size_t i = 0; i < list->size(); ++i) {
    auto p = read_practice((*list)[i], i, limits);
    if (!p) return p.error();
    if (!ids.insert(p->id).second)
      return std::move(feed_error("federation.feed_duplicate_id", "practices[" + std::to_string(i) + "].id")
                           .with("field", "practices[" + std::to_string(i) + "].id")
                           .with("number", std::to_string(i + 1))
                           .with("id", p->id));
    feed.practices.push_back(std::move(*p));
  }
  return feed;
}

std::optional<std::string> origin_of(std::string_view url) {
  if (url.size() > 2000) return std::nullopt;
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '\\') return std::nullopt;
  std::string lower = str::lower_ascii(url);
  size_t scheme_end;
  if (lower.rfind("http://", 0) == 0) scheme_end = 7;
  else if (lower.rfind("https://", 0) == 0) scheme_end = 8;
  else return std::nullopt;
  size_t end = lower.find_first_of("/?#", scheme_end);
  std::string authority = lower.substr(scheme_end, end == std::string::npos ? std::string::npos : end - scheme_end);
  if (authority.empty() || authority.find('@') != std::string::npos) return std::nullopt;
  if (authority.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-:[]") != std::string::npos) return std::nullopt;
  if (authority.front() == ':' || authority.front() == '.') return std::nullopt;
  return lower.substr(0, scheme_end) + authority;
}

namespace {

struct Download {
  std::string body;
  size_t max = 0;
  bool too_large = false;
};

size_t on_data(char* data, size_t size, size_t count, void* user) {
  auto* d = static_cast<Download*>(user);
  size_t n = size * count;
  if (d->body.size() + n > d->max) {
    d->too_large = true;
    return 0;  // aborts the transfer
  }
  d->body.append(data, n);
  return n;
}

Error fetch_error(std::string key) { return Error::validation("url", std::move(key)); }

}  // namespace

Result<std::string> fetch(std::string_view url, const FetchOptions& options) {
  if (!origin_of(url)) return fetch_error("federation.url_invalid");
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return fetch_error("federation.fetch_failed");
  Download download;
  download.max = options.max_bytes;
  std::string target(url);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, target.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, options.max_redirects);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_seconds);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, options.total_timeout_seconds);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for name resolution timeouts
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // gzip and friends, decoded by curl (the cap applies after)
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Passerelle (federation)");
  struct curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, curl_slist_free_all);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &download);

  CURLcode code = curl_easy_perform(c);
  if (download.too_large || code == CURLE_FILESIZE_EXCEEDED)
    return std::move(fetch_error("federation.feed_too_large").with("max", std::to_string(options.max_bytes / (1024 * 1024))));
  switch (code) {
    case CURLE_OK: break;
    case CURLE_COULDNT_RESOLVE_HOST: return fetch_error("federation.host_unknown");
    case CURLE_COULDNT_CONNECT: return fetch_error("federation.unreachable");
    case CURLE_OPERATION_TIMEDOUT: return fetch_error("federation.timeout");
    case CURLE_TOO_MANY_REDIRECTS: return fetch_error("federation.too_many_redirects");
    case CURLE_UNSUPPORTED_PROTOCOL: return fetch_error("federation.url_invalid");
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE: return fetch_error("federation.tls");
    default: return std::move(fetch_error("federation.fetch_failed").with("detail", curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) return std::move(fetch_error("federation.http_status").with("status", std::to_string(status)));
  char* type = nullptr;
  curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type);
  std::string content_type = str::lower_ascii(type ? type : "");
  std::string media = std::string(str::trim(content_type.substr(0, content_type.find(';'))));
  if (media != "application/json" && !(media.size() > 5 && media.ends_with("+json")))
    return std::move(fetch_error("federation.content_type").with("type", media.empty() ? "?" : media));
  return std::move(download.body);
}

}  // namespace passerelle::practices::feed
