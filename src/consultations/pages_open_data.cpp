// Open data of consultations: /donnees/consultations/{id}/contributions.csv (';', or ?separateur=virgule) and
// .json, the published contributions anonymised (export.hpp), and /t/{slug}/donnees, the
// territory's public open-data page listing them with the practices feeds.
#include <sys/stat.h>
#include <unistd.h>

#include <ext/stdio_filebuf.h>

#include <filesystem>
#include <memory>
#include <ostream>

#include "consultations/export.hpp"
#include "consultations/pages_shared.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "territories/store.hpp"

namespace passerelle::consultations::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

// The export of a process in a temporary file already unlinked (gone once the file is closed);
// nothing when the process is not exported (unknown or unpublished).
std::optional<std::shared_ptr<http::FileBody>> export_file(db::Database& db, int64_t process_id, ExportFormat format) {
  std::string path = (std::filesystem::temp_directory_path() / "passerelle-export-XXXXXX").string();
  int fd = ::mkstemp(path.data());
  if (fd < 0) throw std::runtime_error("fichier temporaire impossible pour l'export : " + path);
  auto body = std::make_shared<http::FileBody>(fd, 0);
  ::unlink(path.c_str());
  {
    __gnu_cxx::stdio_filebuf<char> buffer(::dup(fd), std::ios::out, 1 << 16);  // closes its own copy
    std::ostream out(&buffer);
    auto written = write_export(db, process_id, format, out);
    out.flush();
    if (!written) return std::nullopt;
    if (!out) throw std::runtime_error("écriture de l'export impossible (disque plein ?)");
  }
  struct stat st{};
  ::fstat(fd, &st);
  body->size = static_cast<uint64_t>(st.st_size);
  return body;
}

Response download(web::App& app, http::Request& req, bool json) {
  auto id = str::to_int(req.param("id"));
  if (!id) return app.error_response(req, 404);
  ExportFormat format = json ? ExportFormat::json : req.query_fields().value("separateur") == "virgule" ? ExportFormat::csv_comma : ExportFormat::csv_semicolon;
  // Written by batches into an unlinked temporary file, then sent from it in chunks: constant
  // memory for millions of contributions, as with `passerelle export`.
  auto file = export_file(app.db(), *id, format);
  if (!file) return app.error_response(req, 404);
  http::Response res;
  res.content_type = json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8; header=present";
  res.file = std::move(*file);
  res.header("Cache-Control", "public, max-age=300");
  res.header("Access-Control-Allow-Origin", "*");
  std::string name = "consultation-" + std::to_string(*id) + (json ? ".json" : ".csv");
  res.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
  return res;
}

Response open_data_page(Context& ctx) {
  auto t = territories::find(ctx.app.db(), ctx.req.param("slug"));
  if (!t) return ctx.app.error_response(ctx, 404);
  auto processes = list_processes(ctx.app.db(), t->id);
  web::PageSpec spec{ctx.t("consultations_pages.open_data.title", {{"territory", t->name}}), web::TerritoryRef{t->id, t->slug, t->name}};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    b.el("p", {}, ctx.t("consultations_pages.open_data.intro"));
    b.el("h2", {{"id", "consultations"}}, ctx.t("consultations_pages.open_data.consultations"));
    if (processes.empty()) b.el("p", {}, ctx.t("consultations_pages.list.none"));
    for (const auto& p : processes) {
      b.el("h3", {}, p.title);
      auto ul = b.scope("ul", {{"class", "inline-list"}});
      std::string base = "/donnees/consultations/" + std::to_string(p.id);
      b.open("li").el("a", {{"href", base + "/contributions.csv"}, {"type", "text/csv"}}, ctx.t("consultations_pages.open_data.csv_semicolon")).close();
      b.open("li").el("a", {{"href", base + "/contributions.csv?separateur=virgule"}, {"type", "text/csv"}}, ctx.t("consultations_pages.open_data.csv_comma")).close();
      b.open("li").el("a", {{"href", base + "/contributions.json"}, {"type", "application/json"}}, ctx.t("consultations_pages.open_data.json")).close();
    }
    b.el("h2", {{"id", "pratiques"}}, ctx.t("consultations_pages.open_data.practices"));
    {
      auto ul = b.scope("ul", {{"class", "inline-list"}});
      b.open("li").el("a", {{"href", "/donnees/pratiques.json"}, {"type", "application/json"}}, "JSON").close();
      b.open("li").el("a", {{"href", "/donnees/pratiques.csv"}, {"type", "text/csv"}}, "CSV").close();
      b.open("li").el("a", {{"href", "/donnees/pratiques.atom"}, {"type", "application/atom+xml"}}, "Atom").close();
    }
    b.el("p", {{"class", "muted"}}, ctx.t("consultations_pages.open_data.licence"));
  });
}

}  // namespace

void register_open_data_pages(web::App& app) {
  // On the worker pool: an export of millions of rows takes seconds.
  app.raw(Method::get, "/donnees/consultations/{id}/contributions.csv", "donnees-consultation", [&app](http::Request& req) { return download(app, req, false); }, true);
  app.raw(Method::get, "/donnees/consultations/{id}/contributions.json", "donnees-consultation", [&app](http::Request& req) { return download(app, req, true); }, true);
  app.page(Method::get, "/t/{slug}/donnees", "donnees-territoire", open_data_page);
}

}  // namespace passerelle::consultations::pages
