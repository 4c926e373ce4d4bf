// passerelle: the one binary. Subcommands: serve, migrate, seed-demo, territory add, user add,
// backup, restore.
#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <thread>
#include <unistd.h>

#include "accounts/pages.hpp"
#include "accounts/store.hpp"
#include "admin/pages.hpp"
#include "demo/seed.hpp"
#include "platform/db/migrate.hpp"
#include "platform/clock.hpp"
#include "platform/db/sqlite.hpp"
#include "platform/jobs.hpp"
#include "platform/log.hpp"
#include "platform/security/crypto.hpp"
#include "platform/services.hpp"
#include "platform/version.hpp"
#include "platform/web/layout.hpp"
#include "practices/api.hpp"
#include "practices/source.hpp"
#include "consultations/source.hpp"
#include "consultations/export.hpp"
#include "consultations/restitution_source.hpp"
#include "consultations/restitution_store.hpp"
#include "consultations/pages.hpp"
#include "consultations/api.hpp"
#include "consultations/follow.hpp"
#include "restitution/command.hpp"
#include "search/pages.hpp"
#include "search/service.hpp"
#include "search/setup.hpp"
#include "search/sources.hpp"
#include "site/site.hpp"
#include "territories/pages.hpp"
#include "territories/store.hpp"
#include "practices/federation.hpp"
#include "practices/feed_out.hpp"
#include "practices/pages.hpp"
#include "places/cli.hpp"
#include "places/pages.hpp"
#include "places/search_api.hpp"
#include "places/search.hpp"
#include "places/search_pages.hpp"

using namespace passerelle;

namespace {

std::string tr(std::string_view key, i18n::Args args = {}) { return i18n::Catalog::instance().tr(i18n::Locale::fr, key, args); }
std::string tr(const Error& e) { return i18n::Catalog::instance().tr(i18n::Locale::fr, e.message_key, e.args); }

int fail(const std::string& message) {
  std::cerr << "passerelle : " << message << "\n";
  return 1;
}

std::unique_ptr<db::Database> open_db(const web::Config& config) {
  db::OpenOptions options;
  options.synchronous_commit = config.synchronous_commit;
  return db::open(config.db_url, options);
}

void register_all(web::App& app) {
  site::register_routes(app);
  accounts::register_pages(app);
  accounts::register_api(app);
  territories::register_api(app);
  practices::register_api(app);
  admin::register_pages(app);
  practices::feed::register_routes(app);
  practices::federation::register_pages(app);
  practices::register_pages(app);
  consultations::register_api(app);
  consultations::register_pages(app);
  consultations::register_follow_api(app);
  search::register_api(app);
  search::register_pages(app);
  places::register_search_api(app);    // before any "/api/v1/places/{id}"
  places::register_search_pages(app);  // "/lieux/orientation" before any "/lieux/{id}"
  // After every other /lieux route (the first matching pattern wins: "/lieux/{id}" would take
  // "/lieux/carte"), before the territories' catch-all "/t/{slug}/{page}".
  places::register_pages(app);
  territories::register_pages(app);  // last: it owns the catch-all legal pages "/{page}"
}

// Every kind of searchable content (see src/search/service.hpp): add a module's Source here.
void register_search_sources(search::Service& service) {
  service.add_source(search::territory_source());
  practices::register_search(service);
  consultations::register_search(service);
}

int serve(web::Config config) {
  // Signals are taken by one thread with sigwait; the others never see them. Blocked before any
  // thread starts (threads inherit the mask): one that did not block SIGTERM could receive it and
  // the default action would kill the process in the middle of requests.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  auto database = open_db(config);
  if (auto s = db::check_schema(*database); !s) return fail(tr(s.error()));
  web::App app(config, std::move(database));
  register_all(app);

  http::Server server(config.server, app.router(), app.metrics(),
                      {[&app](http::Request& req, unsigned status) { return app.error_response(req, status); }});
  server.bind();

  // The search index of this process, brought up to date before the first request, then kept
  // so by a thread applying the change log every 200 ms.
  std::string search_dir = search::index_dir(config, config.server.port == 0 ? 0 : server.port());  // 0: ephemeral, temporary index
  std::unique_ptr<search::Service> search_service;
  try {
    search_service = std::make_unique<search::Service>(app.db(), search::Engine::open(search_dir));
  } catch (const search::IndexLocked&) {
    return fail(tr("cli.search_dir_locked", {{"dir", search_dir}}));
  }
  register_search_sources(*search_service);
  search_service->bring_up_to_date();
  search_service->start();
  app.set_search(search_service.get());

  jobs::Scheduler scheduler(app.db(), config.process_name.empty() ? "pid-" + std::to_string(getpid()) : config.process_name);
  scheduler.add({"sessions-expirees", 3600, [](db::Database& db) { sessions::purge_expired(db); }});
  scheduler.add({"limites-de-debit", 3600, [](db::Database& db) { rate_limit::purge_old(db); }});
  scheduler.add({"envoi-courriels", config.smtp.interval_seconds, [smtp = config.smtp](db::Database& db) { mail::send_pending(db, smtp); }});
  scheduler.add({"federation", config.federation_interval_seconds, [](db::Database& db) { practices::federation::pull_all(db); }});
  // Frequent jobs (restitutions: every few seconds) leave one job_runs row per run: a week is kept.
  scheduler.add({"purge-executions", 3600, [](db::Database& db) { jobs::purge_runs(db, unix_now() - 7 * 86400); }});
  scheduler.add({"resumes-notifications", 3600, [url = config.public_url](db::Database& db) { consultations::send_digests(db, unix_now(), url); }});
  if (const char* every = std::getenv("PASSERELLE_TEST_HEARTBEAT_SECONDS"))  // lets tests watch job leases
    scheduler.add({"battement-test", std::max(1, std::atoi(every)), [](db::Database&) {}});
  scheduler.start();
  // Restitutions take seconds to minutes: a scheduler (thread) of their own, so that mail and
  // digests never wait behind one. Requests are picked up within 10 s: every run of a job
  // commits (its lease), which moves the page cache's change marker, so it is not polled faster.
  jobs::Scheduler restitutions(app.db(), (config.process_name.empty() ? "pid-" + std::to_string(getpid()) : config.process_name) + "-restitutions");
  int64_t restitution_poll = 10;
  if (const char* every = std::getenv("PASSERELLE_RESTITUTION_POLL_SECONDS")) restitution_poll = std::max(1, std::atoi(every));
  restitutions.add({"restitutions", restitution_poll, [](db::Database& db) { consultations::run_restitution_jobs(db, unix_now()); },
                    [](db::Database& db) { return consultations::restitution_work_pending(db, unix_now()); }});
  restitutions.start();

  // The places index (a second or so at 100,000 places) is built now rather than by the first
  // visitor of /lieux; requests arriving meanwhile wait for it, as they would have.
  std::thread places_warmup([&app] {
    try {
      places::index_of(app.db());
    } catch (const std::exception& e) {
      log::error("places_index", {{"error", e.what()}});
    }
  });

  std::thread signals([&] {
    int sig = 0;
    sigwait(&set, &sig);
    log::info("shutdown", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    scheduler.stop();
    restitutions.stop();
    server.stop();
  });

  std::string host = config.server.host.find(':') != std::string::npos ? "[" + config.server.host + "]" : config.server.host;
  std::cout << tr("cli.serving", {{"url", "http://" + host + ":" + std::to_string(server.port()) + "/"}}) << std::endl;
  log::info("listening", {{"db", app.db().describe()}, {"port", std::to_string(server.port())}});
  server.run();
  // run() returns once the workers are done, possibly while stop() is still returning on the
  // signal thread: join it before `server` and `scheduler` go out of scope.
  signals.join();
  places_warmup.join();
  scheduler.stop();
  restitutions.stop();
  search_service->stop();
  log::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  security::init();
  CLI::App cli{tr("cli.description"), "passerelle"};
  cli.set_version_flag("--version", kVersion);
  cli.require_subcommand(1);

  web::Config config;
  std::string db_url, config_file;
  auto add_db = [&](CLI::App* cmd) {
    cmd->add_option("--db", db_url, tr("cli.opt_db"));
    cmd->add_option("--config", config_file, tr("cli.opt_config"));
  };
  auto resolve_config = [&]() -> Status {
    if (!config_file.empty())
      if (auto s = web::load_file(config, config_file, true); !s) return s;
    if (auto s = web::load_env(config); !s) return s;
    if (!db_url.empty()) config.db_url = db_url;
    return Ok{};
  };

  auto* serve_cmd = cli.add_subcommand("serve", tr("cli.serve"));
  add_db(serve_cmd);
  std::string listen;
  serve_cmd->add_option("--listen", listen, tr("cli.opt_listen"));
  serve_cmd->add_option("--name", config.process_name, tr("cli.opt_name"));

  std::string search_dir_flag;
  serve_cmd->add_option("--search-dir", search_dir_flag, tr("cli.opt_search_dir"));

  auto* reindex_cmd = cli.add_subcommand("reindex", tr("cli.reindex"));
  add_db(reindex_cmd);
  reindex_cmd->add_option("--search-dir", search_dir_flag, tr("cli.opt_search_dir"));

  auto* migrate_cmd = cli.add_subcommand("migrate", tr("cli.migrate"));
  add_db(migrate_cmd);

  auto* seed_cmd = cli.add_subcommand("seed-demo", tr("cli.seed"));
  add_db(seed_cmd);

  auto* territory_cmd = cli.add_subcommand("territory", tr("cli.territory"));
  territory_cmd->require_subcommand(1);
  auto* territory_add = territory_cmd->add_subcommand("add", tr("cli.territory_add"));
  add_db(territory_add);
  territories::NewTerritory nt;
  territory_add->add_option("--slug", nt.slug, tr("cli.opt_slug"))->required();
  territory_add->add_option("--name", nt.name, tr("cli.opt_name_territory"))->required();
  territory_add->add_option("--insee", nt.insee_codes, tr("cli.opt_insee"));
  territory_add->add_option("--kind", nt.kind, tr("cli.opt_kind"));

  auto* user_cmd = cli.add_subcommand("user", tr("cli.user"));
  user_cmd->require_subcommand(1);
  auto* user_add = user_cmd->add_subcommand("add", tr("cli.user_add"));
  add_db(user_add);
  std::string email, role, territory_slug, display_name;
  user_add->add_option("--email", email, tr("cli.opt_email"))->required();
  user_add->add_option("--role", role, tr("cli.opt_role"))->required();
  user_add->add_option("--territory", territory_slug, tr("cli.opt_territory"));
  user_add->add_option("--display-name", display_name, tr("cli.opt_display_name"));

  auto* backup_cmd = cli.add_subcommand("backup", tr("cli.backup"));
  add_db(backup_cmd);
  std::string out_file;
  backup_cmd->add_option("--out", out_file, tr("cli.opt_out"))->required();

  auto* restore_cmd = cli.add_subcommand("restore", tr("cli.restore"));
  add_db(restore_cmd);
  std::string in_file;
  restore_cmd->add_option("--from", in_file, tr("cli.opt_from"))->required();

  auto* federation_cmd = cli.add_subcommand("federation", tr("federation.cli_group"));
  federation_cmd->require_subcommand(1);
  auto* federation_pull = federation_cmd->add_subcommand("pull", tr("federation.cli_pull"));
  add_db(federation_pull);
  auto* federation_list = federation_cmd->add_subcommand("list", tr("federation.cli_list"));
  add_db(federation_list);
  auto* federation_add = federation_cmd->add_subcommand("add", tr("federation.cli_add"));
  add_db(federation_add);
  std::string federation_url, federation_territory;
  federation_add->add_option("--url", federation_url, tr("federation.cli_opt_url"))->required();
  federation_add->add_option("--territory", federation_territory, tr("federation.cli_opt_territory"))->required();

  auto* export_cmd = cli.add_subcommand("export", tr("cli.export"));
  int64_t export_process = 0;
  std::string export_format = "csv";
  export_cmd->add_option("--process", export_process, tr("cli.export_process"));  // required unless `export places`
  export_cmd->add_option("--format", export_format, tr("cli.export_format"))->check(CLI::IsMember({"csv", "csv-virgule", "json"}));
  add_db(export_cmd);
  auto* export_places = export_cmd->add_subcommand("places", tr("places.cli_export_places"));
  std::string places_export_format = "schema-csv";
  export_places->add_option("--format", places_export_format, tr("places.cli_opt_format"))->check(CLI::IsMember({"schema-csv", "json", "geojson"}));
  add_db(export_places);

  auto* import_cmd = cli.add_subcommand("import", tr("places.cli_import"));
  import_cmd->require_subcommand(1);
  auto* import_places = import_cmd->add_subcommand("places", tr("places.cli_import_places"));
  std::string places_file, places_format = "schema-csv";
  places::ImportOptions places_options;
  import_places->add_option("file", places_file, tr("places.cli_opt_file"))->required();
  import_places->add_option("--format", places_format, tr("places.cli_opt_format"))->check(CLI::IsMember({"schema-csv", "schema-json", "v0-json", "bfc-csv", "france-services"}));
  import_places->add_flag("--dry-run", places_options.dry_run, tr("places.cli_opt_dry_run"));
  import_places->add_flag("--skip-invalid", places_options.skip_invalid, tr("places.cli_opt_skip_invalid"));
  import_places->add_option("--date-maj", places_options.default_date, tr("places.cli_opt_date_maj"));
  add_db(import_places);

  auto* restitution_cmd = cli.add_subcommand("restitution", tr("restitution.cli"));
  restitution::CommandOptions restitution_options;
  int64_t restitution_process = 0;
  auto* input_opt = restitution_cmd->add_option("--input", restitution_options.input, tr("restitution.opt_input"));
  auto* process_opt = restitution_cmd->add_option("--process", restitution_process, tr("restitution.opt_process"));
  input_opt->excludes(process_opt);
  add_db(restitution_cmd);
  restitution_cmd->add_option("--out", restitution_options.out, tr("restitution.opt_out"))->required();
  restitution_cmd->add_option("--text-field", restitution_options.read.text_field, tr("restitution.opt_text_field"));
  restitution_cmd->add_option("--id-field", restitution_options.read.id_field, tr("restitution.opt_id_field"));
  restitution_cmd->add_option("--group-field", restitution_options.read.group_field, tr("restitution.opt_group_field"));
  restitution_cmd->add_option("--date-field", restitution_options.read.date_field, tr("restitution.opt_date_field"));
  restitution_cmd->add_option("--zip-field", restitution_options.read.zip_field, tr("restitution.opt_zip_field"));
  restitution_cmd->add_option("--channel-field", restitution_options.read.channel_field, tr("restitution.opt_channel_field"));
  restitution_cmd->add_option("--seed", restitution_options.params.seed, tr("restitution.opt_seed"));
  restitution_cmd->add_option("--threads", restitution_options.params.threads, tr("restitution.opt_threads"))->check(CLI::Range(1, 64));
  restitution_cmd->add_option("--themes", restitution_options.params.themes, tr("restitution.opt_themes"))->check(CLI::Range(0, 100));

  CLI11_PARSE(cli, argc, argv);

  try {
    if (restitution_cmd->parsed()) {
      if (restitution_process <= 0) {
        if (restitution_options.input.empty()) return fail(tr("restitution.cli_input_required"));
        return restitution::run_command(restitution_options);  // no database
      }
      if (auto s = resolve_config(); !s) return fail(tr(s.error()));
      auto database = open_db(config);
      restitution_options.source_name = tr("restitution.source_process", {{"id", std::to_string(restitution_process)}});
      restitution_options.load = [&] { return consultations::restitution_corpus(*database, restitution_process); };
      return restitution::run_command(restitution_options);
    }
    if (auto s = resolve_config(); !s) return fail(tr(s.error()) + (s.error().field.empty() ? "" : " (" + s.error().field + ")"));
    if (!search_dir_flag.empty()) config.search_dir = search_dir_flag;
    if (serve_cmd->parsed()) {
      if (!listen.empty())
        if (auto s = web::parse_listen(config, listen); !s) return fail(tr(s.error()));
      return serve(config);
    }
    auto database = open_db(config);
    if (export_places->parsed()) {
      if (auto s = db::check_schema(*database); !s) return fail(tr(s.error()));
      return places::cli_export(*database, *places::parse_export_format(places_export_format), std::cout, std::cerr);
    }
    if (export_cmd->parsed() && export_process <= 0) return fail(tr("places.export_process_required"));
    if (export_cmd->parsed()) {
      // Streamed to standard output by batches: constant memory for millions of contributions.
      auto written = consultations::write_export(*database, export_process, *consultations::parse_export_format(export_format), std::cout);
      if (!written) return fail(tr(written.error()));
      std::cerr << tr("cli.exported", {{"count", std::to_string(*written)}}) << "\n";
      return 0;
    }
    if (migrate_cmd->parsed()) {
      auto r = db::migrate(*database);
      if (!r) return fail(tr(r.error()));
      std::cout << tr("cli.migrated", {{"from", std::to_string(r->from)}, {"to", std::to_string(r->to)}}) << "\n";
      return 0;
    }
    if (backup_cmd->parsed() || restore_cmd->parsed()) {
      if (database->dialect() != db::Dialect::sqlite) return fail(tr("cli.backup_postgres"));
      std::string path = config.db_url.substr(7);
      database.reset();
      if (backup_cmd->parsed()) {
        db::sqlite_backup(path, out_file);
        std::cout << tr("cli.backup_done", {{"file", out_file}}) << "\n";
      } else {
        db::sqlite_restore(path, in_file);
        std::cout << tr("cli.restore_done", {{"file", in_file}}) << "\n";
      }
      return 0;
    }
    if (auto s = db::check_schema(*database); !s) return fail(tr(s.error()));
    if (reindex_cmd->parsed()) {
      std::string dir = search::index_dir(config, config.server.port);
      try {
        search::Service service(*database, search::Engine::open(dir));
        register_search_sources(service);
        size_t count = service.reindex();
        std::cout << tr("cli.reindexed", {{"count", std::to_string(count)}, {"dir", dir.empty() ? "-" : dir}}) << "\n";
      } catch (const search::IndexLocked&) {
        return fail(tr("cli.search_dir_locked", {{"dir", dir}}));
      }
      return 0;
    }
    if (import_places->parsed()) {
      places_options.format = *places::parse_format(places_format);
      return places::cli_import(*database, places_file, places_options, std::cout, std::cerr);
    }
    if (seed_cmd->parsed()) {
      auto report = demo::seed(*database);
      std::cout << tr("cli.seeded", {{"count", std::to_string(report.territories_added)}}) << "\n";
      if (report.admin_created) std::cout << tr("cli.demo_admin", {{"email", report.admin_email}, {"password", report.admin_password}}) << "\n";
      return 0;
    }
    if (territory_add->parsed()) {
      Errors errors;
      auto t = territories::create(*database, nt, std::nullopt, errors);
      if (!t) {
        for (const auto& e : errors) std::cerr << "passerelle : " << e.field << " : " << tr(e) << "\n";
        return 1;
      }
      std::cout << tr("cli.territory_added", {{"slug", t->slug}, {"count", std::to_string(t->insee_codes.size())}}) << "\n";
      return 0;
    }
    if (federation_pull->parsed()) return practices::federation::cli_pull(*database, std::cout);
    if (federation_list->parsed()) return practices::federation::cli_list(*database, std::cout);
    if (federation_add->parsed()) return practices::federation::cli_add(*database, federation_territory, federation_url, std::cout, std::cerr);
    if (user_add->parsed()) {
      bool platform_admin = role == "platform-admin";
      auto parsed_role = web::parse_role(role);
      if (!platform_admin && !parsed_role) return fail(tr("cli.role_invalid", {{"role", role}}));
      std::optional<territories::Territory> t;
      if (!platform_admin) {
        if (territory_slug.empty()) return fail(tr("cli.territory_required"));
        t = territories::find(*database, territory_slug);
        if (!t) return fail(tr("territory.not_found") + " (" + territory_slug + ")");
      }
      // The password comes from standard input, never from the command line (ps, shell history).
      if (isatty(STDIN_FILENO)) std::cerr << tr("cli.password_prompt") << std::flush;
      std::string password;
      std::getline(std::cin, password);
      auto id = accounts::create_confirmed(*database, email, display_name.empty() ? email.substr(0, email.find('@')) : display_name, password,
                                           platform_admin);
      if (!id) return fail(tr(id.error()));
      if (t) (void)accounts::grant_role(*database, *id, t->id, *parsed_role, std::nullopt);
      std::cout << tr("cli.user_added", {{"email", email}, {"role", role}}) << "\n";
      return 0;
    }
  } catch (const db::DbError& e) {
    return fail(e.what());
  }
  return 0;
}
