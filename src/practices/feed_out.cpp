#include "practices/feed_out.hpp"

#include <nlohmann/json.hpp>

#include <ctime>

#include "platform/clock.hpp"
#include "platform/core/csv.hpp"
#include "platform/html/builder.hpp"
#include "platform/html/markdown.hpp"
#include "platform/web/app.hpp"
#include "practices/store.hpp"

namespace passerelle::practices::feed {

using nlohmann::json;

std::string practice_url(const Instance& instance, int64_t id) { return instance.base_url + "/pratiques/" + std::to_string(id); }

std::string iso8601(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<int64_t> parse_iso8601(std::string_view text) {
  // Exactly YYYY-MM-DDTHH:MM:SSZ, as written by iso8601() (and most feeds).
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z')
    return std::nullopt;
  auto num = [&](size_t at, size_t len) -> int {
    int v = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), s = num(17, 2);
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  int64_t t = timegm(&tm);
  if (iso8601(t).substr(0, 10) != text.substr(0, 10)) return std::nullopt;  // 31 February and the like
  return t;
}

namespace {

json terms_json(Taxonomy taxonomy, const std::vector<std::string>& slugs) {
  json out = json::array();
  for (const auto& slug : slugs) out.push_back({{"slug", slug}, {"label", std::string(label_of(taxonomy, slug).value_or(slug))}});
  return out;
}

json practice_json(const Instance& instance, const Practice& p) {
  json links = json::array();
  for (const auto& l : p.links) links.push_back({{"url", l.url}, {"title", l.title}});
  const Licence* licence = find_licence(p.licence);
  json provenance = nullptr;
  if (p.provenance) provenance = {{"territory", p.provenance->territory_name}, {"credit", p.provenance->credit}};
  return {
      {"id", std::to_string(p.id)},
      {"url", practice_url(instance, p.id)},
      {"title", p.title},
      {"summary", p.summary},
      {"body", p.body},
      {"territory", {{"slug", p.territory_slug}, {"name", p.territory_name}}},
      {"communes", p.communes},
      {"themes", terms_json(Taxonomy::theme, p.themes)},
      {"resource_types", terms_json(Taxonomy::resource_type, p.resource_types)},
      {"publics", terms_json(Taxonomy::public_, p.publics)},
      {"sectors", terms_json(Taxonomy::sector, p.sectors)},
      {"cost", p.cost},
      {"cost_cents", p.cost_cents ? json(*p.cost_cents) : json(nullptr)},
      {"licence", {{"slug", p.licence}, {"label", licence ? std::string(licence->label) : p.licence}, {"url", licence ? std::string(licence->url) : ""}}},
      {"partners", p.partners},
      {"links", links},
      {"version", p.version},
      {"created_at", iso8601(p.created_at)},
      {"updated_at", iso8601(p.updated_at)},
      {"published_at", p.published_at ? json(iso8601(*p.published_at)) : json(nullptr)},
      {"provenance", provenance},
  };
}

// CSV -----------------------------------------------------------------------------------------
void csv_cell(std::string& out, std::string_view value) { csv::append_cell(out, value, ';'); }
std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : "|") + v;
  return out;
}
std::string labels(Taxonomy taxonomy, const std::vector<std::string>& slugs) {
  std::vector<std::string> out;
  for (const auto& s : slugs) out.emplace_back(label_of(taxonomy, s).value_or(s));
  return joined(out);
}

// Atom ----------------------------------------------------------------------------------------
// XML 1.0 allows no control character but tab and new lines: they are dropped, the rest escaped.
void xml_text(std::string& out, std::string_view text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
}
struct Xml {
  std::string out;
  Xml& raw(std::string_view s) { out += s; return *this; }
  Xml& text(std::string_view s) { xml_text(out, s); return *this; }
  Xml& el(std::string_view tag, std::string_view value) {
    out += "<" + std::string(tag) + ">";
    xml_text(out, value);
    out += "</" + std::string(tag) + ">\n";
    return *this;
  }
};

}  // namespace

std::string to_json(const Instance& instance, const std::vector<Practice>& practices, int64_t generated_at) {
  json list = json::array();
  for (const auto& p : practices) list.push_back(practice_json(instance, p));
  json doc = {
      {"format", kFormat},
      {"version", kFormatVersion},
      {"instance", {{"name", instance.name}, {"url", instance.base_url}}},
      {"generated_at", iso8601(generated_at)},
      {"count", practices.size()},
      {"practices", std::move(list)},
  };
  // Invalid UTF-8 cannot reach here (validated on input), but a feed must never fail to render.
  return doc.dump(1, '\t', false, json::error_handler_t::replace);
}

std::string to_csv(const Instance& instance, const std::vector<Practice>& practices) {
  std::string out = "\xEF\xBB\xBF";
  const char* header[] = {"id", "url", "titre", "resume", "corps_markdown", "territoire", "communes_insee", "thematiques",
                          "types_de_ressources", "publics", "secteurs", "cout", "cout_centimes", "licence", "partenaires", "liens",
                          "cree_le", "mis_a_jour_le", "publie_le", "provenance"};
  for (size_t i = 0; i < std::size(header); ++i) out += (i ? ";" : "") + std::string(header[i]);
  out += "\r\n";
  for (const auto& p : practices) {
    std::vector<std::string> links;
    for (const auto& l : p.links) links.push_back(l.url);
    std::string cells[] = {std::to_string(p.id), practice_url(instance, p.id), p.title, p.summary, p.body, p.territory_name,
                           joined(p.communes), labels(Taxonomy::theme, p.themes), labels(Taxonomy::resource_type, p.resource_types),
                           labels(Taxonomy::public_, p.publics), labels(Taxonomy::sector, p.sectors), p.cost,
                           p.cost_cents ? std::to_string(*p.cost_cents) : "", p.licence, joined(p.partners), joined(links),
                           iso8601(p.created_at), iso8601(p.updated_at), p.published_at ? iso8601(*p.published_at) : "",
                           p.provenance ? p.provenance->credit : ""};
    for (size_t i = 0; i < std::size(cells); ++i) {
      if (i) out += ';';
      csv_cell(out, cells[i]);
    }
    out += "\r\n";
  }
  return out;
}

std::string to_atom(const Instance& instance, const std::vector<Practice>& practices, const std::vector<Withdrawn>& withdrawn,
                    int64_t generated_at) {
  int64_t updated = 0;
  for (const auto& p : practices) updated = std::max(updated, p.updated_at);
  for (const auto& w : withdrawn) updated = std::max(updated, w.when);
  if (updated == 0) updated = generated_at;
  std::string self = instance.base_url + "/donnees/pratiques.atom";
  Xml x;
  x.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
      .raw("<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:at=\"http://purl.org/atompub/tombstones/1.0\" xml:lang=\"fr\">\n");
  x.el("id", self).el("title", "Bonnes pratiques – " + instance.name).el("updated", iso8601(updated));
  x.raw("<link rel=\"self\" type=\"application/atom+xml\" href=\"").text(self).raw("\"/>\n");
  x.raw("<link rel=\"alternate\" type=\"application/json\" href=\"").text(instance.base_url + "/donnees/pratiques.json").raw("\"/>\n");
  x.raw("<author><name>").text(instance.name).raw("</name></author>\n");
  x.raw("<generator>Passerelle</generator>\n");
  for (const auto& p : practices) {
    std::string url = practice_url(instance, p.id);
    x.raw("<entry>\n").el("id", url).el("title", p.title).el("updated", iso8601(p.updated_at));
    x.el("published", iso8601(p.published_at.value_or(p.created_at)));
    x.raw("<author><name>").text(p.territory_name).raw("</name></author>\n");
    x.raw("<link rel=\"alternate\" type=\"text/html\" href=\"").text(url).raw("\"/>\n");
    for (const auto& slug : p.themes) {
      x.raw("<category scheme=\"").text(instance.base_url + "/pratiques/thematiques").raw("\" term=\"").text(slug);
      x.raw("\" label=\"").text(label_of(Taxonomy::theme, slug).value_or(slug)).raw("\"/>\n");
    }
    x.el("summary", p.summary);
    x.raw("<content type=\"html\">").text(html::render_markdown(p.body).html).raw("</content>\n");
    if (const Licence* l = find_licence(p.licence)) x.el("rights", std::string(l->label));
    x.raw("</entry>\n");
  }
  for (const auto& w : withdrawn) {
    x.raw("<at:deleted-entry ref=\"").text(practice_url(instance, w.id)).raw("\" when=\"").text(iso8601(w.when)).raw("\">\n");
    x.raw("<at:comment>Fiche retirée de la publication</at:comment>\n</at:deleted-entry>\n");
  }
  x.raw("</feed>\n");
  return std::move(x.out);
}

std::vector<Practice> exported_practices(db::Database& db) {
  std::vector<Practice> out;
  Filter filter;
  filter.limit = 200;
  for (int64_t seen = 0;;) {
    auto page = list_published(db, filter);
    for (auto& p : page.items)
      if (!(p.provenance && p.provenance->imported())) out.push_back(std::move(p));
    seen += static_cast<int64_t>(page.items.size());
    if (page.items.empty() || seen >= page.total) break;
    filter.offset += page.items.size();
  }
  return out;
}

std::vector<Withdrawn> withdrawn_since(db::Database& db, int64_t since) {
  std::vector<Withdrawn> out;
  Filter filter;
  filter.statuses = {Status::unpublished, Status::trashed};
  filter.updated_since = since;
  filter.limit = 200;
  for (int64_t seen = 0;;) {
    auto page = list_any(db, filter);
    for (const auto& p : page.items)
      if (!(p.provenance && p.provenance->imported()) && p.published_at) out.push_back({p.id, p.updated_at});
    seen += static_cast<int64_t>(page.items.size());
    if (page.items.empty() || seen >= page.total) break;
    filter.offset += page.items.size();
  }
  return out;
}

namespace {

// The public URL when configured; otherwise what the client asked for (Host), kept to the
// characters a host name and port may have.
Instance instance_of(web::App& app, http::Request& req) {
  Instance instance{app.config().instance_name, app.config().public_url};
  if (instance.base_url.empty()) {
    std::string host(req.header(http::bhttp::field::host));
    bool clean = !host.empty() && host.size() < 256 &&
                 host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == std::string::npos;
    instance.base_url = std::string(app.config().secure_cookies ? "https://" : "http://") + (clean ? host : "localhost");
  }
  while (!instance.base_url.empty() && instance.base_url.back() == '/') instance.base_url.pop_back();
  return instance;
}

http::Response typed(std::string body, std::string content_type) {
  http::Response res;
  res.content_type = std::move(content_type);
  res.body = std::move(body);
  res.header("Cache-Control", "public, max-age=300");
  res.header("Access-Control-Allow-Origin", "*");  // open data: readable from any site
  return res;
}

}  // namespace

void register_routes(web::App& app) {
  using http::Method;
  app.raw(Method::get, "/donnees/pratiques.json", "donnees-pratiques", [&app](http::Request& req) {
    return typed(to_json(instance_of(app, req), exported_practices(app.db()), unix_now()), "application/json; charset=utf-8");
  });
  app.raw(Method::get, "/donnees/pratiques.csv", "donnees-pratiques", [&app](http::Request& req) {
    auto res = typed(to_csv(instance_of(app, req), exported_practices(app.db())), "text/csv; charset=utf-8; header=present");
    res.header("Content-Disposition", "attachment; filename=\"pratiques.csv\"");
    return res;
  });
  app.raw(Method::get, "/donnees/pratiques.atom", "donnees-pratiques", [&app](http::Request& req) {
    int64_t now = unix_now();
    return typed(to_atom(instance_of(app, req), exported_practices(app.db()), withdrawn_since(app.db(), now - kTombstoneDays * 86400), now),
                 "application/atom+xml; charset=utf-8");
  });
}

}  // namespace passerelle::practices::feed
