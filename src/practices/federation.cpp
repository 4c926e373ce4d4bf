#include "practices/federation.hpp"

#include <set>

#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "platform/log.hpp"
#include "platform/services.hpp"
#include "platform/web/layout.hpp"
#include "practices/store.hpp"
#include "territories/store.hpp"

namespace passerelle::practices::federation {

namespace {

constexpr std::string_view kColumns =
    "s.id, s.territory_id, t.slug, t.name, s.url, s.origin, s.created_by, s.created_at, s.last_pull_at, s.last_status, s.last_message";

Subscription from_row(const db::Row& r) {
  Subscription s;
  s.id = r.int64(0);
  s.territory_id = r.int64(1);
  s.territory_slug = r.str(2);
  s.territory_name = r.str(3);
  s.url = r.str(4);
  s.origin = r.str(5);
  s.created_by = r.opt_int(6);
  s.created_at = r.int64(7);
  s.last_pull_at = r.opt_int(8);
  s.last_status = r.str(9);
  s.last_message = r.str(10);
  return s;
}

std::string tr(i18n::Locale locale, std::string_view key, const std::vector<std::pair<std::string, std::string>>& args = {}) {
  return i18n::Catalog::instance().tr(locale, key, args);
}

void record(db::Database& db, const Subscription& sub, const PullRecord& rec) {
  db.transaction([&](db::Connection& conn) {
    conn.exec("INSERT INTO federation_pulls (subscription_id, started_at, finished_at, status, created, updated, unchanged, kept_local, "
              "withdrawn, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {sub.id, rec.started_at, rec.finished_at, rec.ok ? "ok" : "erreur", rec.counts.created, rec.counts.updated,
               rec.counts.unchanged, rec.counts.kept_local, rec.counts.withdrawn, rec.message});
    conn.exec("UPDATE federation_subscriptions SET last_pull_at = ?, last_status = ?, last_message = ? WHERE id = ?",
              {rec.finished_at, rec.ok ? "ok" : "erreur", rec.message, sub.id});
  });
}

void count(Counts& c, ImportOutcome o) {
  switch (o) {
    case ImportOutcome::created: ++c.created; break;
    case ImportOutcome::updated: ++c.updated; break;
    case ImportOutcome::unchanged: ++c.unchanged; break;
    case ImportOutcome::kept_local_edit: ++c.kept_local; break;
    case ImportOutcome::withdrawn: ++c.withdrawn; break;
  }
}

}  // namespace

std::string describe(const Error& error, i18n::Locale locale) {
  auto args = error.args;
  // A practice refused by validation: its own reason, in words, inside the feed's message.
  for (const auto& [name, value] : error.args)
    if (name == "reason_key") args.emplace_back("reason", tr(locale, value, error.args));
  return tr(locale, error.message_key, args);
}

std::string describe(const Counts& c, i18n::Locale locale) {
  auto n = [&](int v) { return i18n::format_integer(locale, v); };
  return tr(locale, "federation.counts", {{"created", n(c.created)}, {"updated", n(c.updated)}, {"unchanged", n(c.unchanged)},
                                          {"kept_local", n(c.kept_local)}, {"withdrawn", n(c.withdrawn)}});
}

std::vector<Subscription> list(db::Database& db, std::optional<int64_t> territory_id) {
  auto conn = db.read();
  std::string sql = "SELECT " + std::string(kColumns) + " FROM federation_subscriptions s JOIN territories t ON t.id = s.territory_id";
  db::Params params;
  if (territory_id) {
    sql += " WHERE s.territory_id = ?";
    params.push_back(*territory_id);
  }
  std::vector<Subscription> out;
  for (auto r : conn->query(sql + " ORDER BY t.name, s.url", params)) out.push_back(from_row(r));
  return out;
}

std::optional<Subscription> find(db::Database& db, int64_t id) {
  auto conn = db.read();
  auto rows = conn->query("SELECT " + std::string(kColumns) + " FROM federation_subscriptions s JOIN territories t ON t.id = s.territory_id "
                          "WHERE s.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<Subscription> subscribe(db::Database& db, int64_t territory_id, std::string_view typed_url, std::optional<int64_t> actor) {
  std::string url(str::trim(typed_url));
  auto origin = feed::origin_of(url);
  if (url.empty()) return Error::validation("url", "federation.url_missing");
  if (!origin) return Error::validation("url", "federation.url_invalid");
  std::string path = url.substr(origin->size());
  if (!path.starts_with("/") || !path.substr(0, path.find_first_of("?#")).ends_with(".json"))
    return Error::validation("url", "federation.url_not_json_export");
  try {
    int64_t id = db.transaction([&](db::Connection& conn) -> int64_t {
      auto taken = conn.query("SELECT t.name FROM federation_subscriptions s JOIN territories t ON t.id = s.territory_id WHERE s.origin = ?",
                              {*origin});
      if (!taken.empty()) throw db::ConstraintViolation(taken[0].str(0));
      auto rows = conn.query("INSERT INTO federation_subscriptions (territory_id, url, origin, created_by, created_at) VALUES (?, ?, ?, ?, ?) "
                             "RETURNING id", {territory_id, url, *origin, actor, unix_now()});
      audit::record(conn, actor, territory_id, "federation.subscribe", "federation_subscription:" + rows[0].str(0), url);
      return rows[0].int64(0);
    });
    return *find(db, id);
  } catch (const db::ConstraintViolation& e) {
    std::string who = e.what();
    if (who.find("FOREIGN") != std::string::npos || who.find("foreign") != std::string::npos) return Error::not_found("territory.not_found");
    return std::move(Error::conflict("url", "federation.already_followed").with("territory", who));
  }
}

passerelle::Status unsubscribe(db::Database& db, int64_t id, std::optional<int64_t> actor) {
  return db.transaction([&](db::Connection& conn) -> passerelle::Status {
    auto rows = conn.query("SELECT territory_id, url FROM federation_subscriptions WHERE id = ?", {id});
    if (rows.empty()) return Error::not_found();
    conn.exec("DELETE FROM federation_subscriptions WHERE id = ?", {id});
    audit::record(conn, actor, rows[0].int64(0), "federation.unsubscribe", "federation_subscription:" + std::to_string(id), rows[0].str(1));
    return Ok{};
  });
}

std::vector<PullRecord> history(db::Database& db, int64_t subscription_id, size_t limit) {
  auto conn = db.read();
  std::vector<PullRecord> out;
  for (auto r : conn->query("SELECT started_at, finished_at, status, created, updated, unchanged, kept_local, withdrawn, message "
                            "FROM federation_pulls WHERE subscription_id = ? ORDER BY started_at DESC, id DESC LIMIT ?",
                            {subscription_id, static_cast<int64_t>(limit)})) {
    PullRecord p;
    p.started_at = r.int64(0);
    p.finished_at = r.int64(1);
    p.ok = r.text(2) == "ok";
    p.counts = {static_cast<int>(r.int64(3)), static_cast<int>(r.int64(4)), static_cast<int>(r.int64(5)), static_cast<int>(r.int64(6)),
                static_cast<int>(r.int64(7))};
    p.message = r.str(8);
    out.push_back(std::move(p));
  }
  return out;
}

PullRecord pull(db::Database& db, const Subscription& sub, const feed::FetchOptions& options) {
  PullRecord rec;
  rec.started_at = unix_now();
  auto fail = [&](const Error& e) {
    rec.ok = false;
    rec.message = describe(e);
    rec.finished_at = unix_now();
    log::info("federation.pull_failed", {{"url", sub.url}, {"error", e.message_key}});
    record(db, sub, rec);
    return rec;
  };
  // 1. The whole export, read and checked before anything is written.
  auto body = feed::fetch(sub.url, options);
  if (!body) return fail(body.error());
  auto remote = feed::parse_json(*body);
  if (!remote) return fail(remote.error());

  // 2. Copies of sheets the origin no longer publishes (unpublished, trashed, erased) will be
  // withdrawn here too, unless edited locally; read before the write transaction.
  std::set<std::string> present;
  for (const auto& p : remote->practices) present.insert(p.id);
  std::vector<Imported> withdrawals;
  {
    std::vector<int64_t> gone;
    {
      auto conn = db.read();
      for (auto r : conn->query("SELECT id, origin_id FROM practices WHERE origin_instance = ? AND status = 'published'", {sub.origin}))
        if (!present.count(r.str(1))) gone.push_back(r.int64(0));
    }
    for (int64_t id : gone) {
      auto copy = practices::find(db, id);
      if (!copy || !copy->provenance) continue;
      Imported w;
      w.instance_url = sub.origin;
      w.origin_id = copy->provenance->origin_id;
      w.territory_name = copy->provenance->territory_name;
      w.input = Input::from(*copy);
      w.published = false;
      w.origin_updated_at = copy->provenance->origin_updated_at;
      withdrawals.push_back(std::move(w));
    }
  }

  // 3. Every change in ONE transaction: a sheet that cannot be imported rolls back the others.
  // Copies are keyed by (origin, id); the origin is the host we fetched from, never what the feed
  // claims, so that a feed cannot overwrite the copies of another instance.
  struct Refused {
    Error error;
    std::string id;
  };
  try {
    rec.counts = db.transaction([&](db::Connection& conn) {
      Counts counts;
      auto apply = [&](const Imported& imported) {
        Errors errors;
        auto outcome = import_practice(conn, sub.territory_id, imported, errors);
        if (!outcome) throw Refused{outcome.error(), imported.origin_id};
        count(counts, *outcome);
      };
      for (const auto& p : remote->practices) {
        Imported imported;
        imported.instance_url = sub.origin;
        imported.origin_id = p.id;
        imported.territory_name = p.territory_name;
        imported.credit = tr(i18n::Locale::fr, "federation.credit",
                             {{"territory", p.territory_name}, {"instance", remote->instance_name}, {"url", p.url}});
        imported.input = p.input;
        imported.published = true;
        imported.origin_updated_at = p.updated_at;
        apply(imported);
      }
      for (const auto& w : withdrawals) apply(w);
      return counts;
    });
  } catch (const Refused& r) {
    Error e = r.error;
    rec.counts = {};
    rec.ok = false;
    rec.message = tr(i18n::Locale::fr, "federation.import_failed", {{"id", r.id}}) + " " + describe(e);
    rec.finished_at = unix_now();
    record(db, sub, rec);
    return rec;
  } catch (const db::ConstraintViolation&) {  // the same sheets imported at this moment by another process
    return fail(Error::conflict("", "federation.concurrent_pull"));
  }
  rec.ok = true;
  rec.message = tr(i18n::Locale::fr, "federation.pull_ok", {{"count", std::to_string(remote->practices.size())}, {"instance", remote->instance_name}}) +
                " " + describe(rec.counts);
  rec.finished_at = unix_now();
  record(db, sub, rec);
  return rec;
}

std::vector<std::pair<Subscription, PullRecord>> pull_all(db::Database& db, const feed::FetchOptions& options) {
  std::vector<std::pair<Subscription, PullRecord>> out;
  for (auto& sub : list(db)) {
    auto rec = pull(db, sub, options);
    out.emplace_back(std::move(sub), std::move(rec));
  }
  return out;
}

int cli_add(db::Database& db, std::string_view territory_slug, std::string_view url, std::ostream& out, std::ostream& err) {
  auto t = territories::find(db, territory_slug);
  if (!t) {
    err << "passerelle : " << tr(i18n::Locale::fr, "territory.not_found") << " (" << territory_slug << ")\n";
    return 1;
  }
  auto s = subscribe(db, t->id, url, std::nullopt);
  if (!s) {
    err << "passerelle : " << describe(s.error()) << "\n";
    return 1;
  }
  out << tr(i18n::Locale::fr, "federation.cli_added", {{"origin", s->origin}, {"territory", t->slug}}) << "\n";
  return 0;
}

int cli_pull(db::Database& db, std::ostream& out) {
  int code = 0;
  auto done = pull_all(db);
  if (done.empty()) out << tr(i18n::Locale::fr, "federation.cli_none") << "\n";
  for (const auto& [sub, rec] : done) {
    out << tr(i18n::Locale::fr, "federation.cli_pulled",
              {{"origin", sub.origin}, {"status", tr(i18n::Locale::fr, rec.ok ? "federation.status.ok" : "federation.status.erreur")},
               {"message", rec.message}})
        << "\n";
    if (!rec.ok) code = 1;
  }
  return code;
}

int cli_list(db::Database& db, std::ostream& out) {
  auto subs = list(db);
  if (subs.empty()) out << tr(i18n::Locale::fr, "federation.cli_none") << "\n";
  for (const auto& s : subs)
    out << s.id << "\t" << s.territory_slug << "\t" << s.url << "\t" << tr(i18n::Locale::fr, "federation.status." + s.last_status) << "\t"
        << s.last_message << "\n";
  return 0;
}

}  // namespace passerelle::practices::federation
