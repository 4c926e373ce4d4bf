// /pratiques/{id}/versions: the history of a sheet, and /pratiques/{id}/versions/{a}/{b}: what
// changed between two versions, with <ins>/<del> and words ("Ajouté", "Supprimé") so that the
// difference does not rely on colour (RGAA 3.1).
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"
#include "practices/pages_shared.hpp"

namespace passerelle::practices::pages {

using http::Method;
using http::Response;
using web::Context;

namespace {

std::string diff_url(int64_t id, int from, int to) {
  return practice_url(id) + "/versions/" + std::to_string(from) + "/" + std::to_string(to);
}

std::optional<int> number_param(Context& ctx, std::string_view name) {
  auto n = str::to_int(ctx.req.param(name));
  if (!n || *n < 1 || *n > 1000000) return std::nullopt;
  return static_cast<int>(*n);
}

std::string author_of(Context& ctx, const Version& v) {
  if (!v.author_id) return ctx.t("practices_pages.versions.no_author");
  return v.author_name.empty() ? ctx.t("account.deleted_author") : v.author_name;
}

Response versions_page(Context& ctx, const Practice& p) {
  auto list = versions(ctx.app.db(), p.id);
  web::PageSpec spec{ctx.t("practices_pages.versions.title", {{"title", p.title}}), ref_of(p)};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    b.open("p").el("a", {{"href", practice_url(p.id)}}, ctx.t("practices_pages.back_to_sheet")).close();
    if (list.empty()) {
      b.el("p", {}, ctx.t("practices_pages.versions.none"));
      return;
    }
    auto table = b.scope("table");
    b.el("caption", {}, ctx.t("practices_pages.versions.caption"));
    b.open("thead").open("tr");
    for (const char* col : {"number", "author", "date", "changes"}) b.el("th", {{"scope", "col"}}, ctx.t(std::string("practices_pages.versions.col_") + col));
    b.close().close();
    auto tb = b.scope("tbody");
    for (size_t i = 0; i < list.size(); ++i) {
      const auto& v = list[i];
      auto tr = b.scope("tr");
      b.el("th", {{"scope", "row"}}, ctx.t("practices_pages.version_number", {{"number", std::to_string(v.number)}}));
      b.el("td", {}, author_of(ctx, v));
      b.el("td", {}, i18n::format_datetime(ctx.locale, v.created_at));
      auto td = b.scope("td");
      // Newest first: the next row is the previous version.
      if (i + 1 < list.size())
        b.el("a", {{"href", diff_url(p.id, list[i + 1].number, v.number)}},
             ctx.t("practices_pages.versions.compare", {{"from", std::to_string(list[i + 1].number)}, {"to", std::to_string(v.number)}}));
      else b.text(ctx.t("practices_pages.versions.first"));
    }
  });
}

Response diff_page(Context& ctx, const Practice& p) {
  auto from = number_param(ctx, "a");
  auto to = number_param(ctx, "b");
  if (!from || !to) return ctx.app.error_response(ctx, 404);
  auto lines = diff(ctx.app.db(), p.id, *from, *to);
  if (!lines) return ctx.app.error_response(ctx, 404, ctx.t("practices_pages.versions.not_found"));
  auto before = version(ctx.app.db(), p.id, *from);
  auto after = version(ctx.app.db(), p.id, *to);
  std::string f = std::to_string(*from), t = std::to_string(*to);
  web::PageSpec spec{ctx.t("practices_pages.diff.title", {{"from", f}, {"to", t}, {"title", p.title}}), ref_of(p)};
  return web::page_response(ctx, spec, [&](html::Builder& b) {
    {
      auto ul = b.scope("ul", {{"class", "inline-list"}});
      b.open("li").el("a", {{"href", practice_url(p.id) + "/versions"}}, ctx.t("practices_pages.diff.back")).close();
      b.open("li").el("a", {{"href", practice_url(p.id)}}, ctx.t("practices_pages.back_to_sheet")).close();
    }
    if (before && after)
      b.el("p", {}, ctx.t("practices_pages.diff.intro", {{"from", f}, {"from_author", author_of(ctx, *before)},
                                                        {"from_date", i18n::format_datetime(ctx.locale, before->created_at)}, {"to", t},
                                                        {"to_author", author_of(ctx, *after)}, {"to_date", i18n::format_datetime(ctx.locale, after->created_at)}}));
    b.el("p", {{"class", "hint"}}, ctx.t("practices_pages.diff.legend"));
    size_t added = 0, removed = 0;
    for (const auto& l : *lines) {
      if (l.op == DiffLine::Op::added) ++added;
      if (l.op == DiffLine::Op::removed) ++removed;
    }
    b.el("p", {{"role", "status"}}, ctx.t("practices_pages.diff.summary", {{"added", std::to_string(added)}, {"removed", std::to_string(removed)}}));
    diff_list(b, ctx, *lines);
  });
}

}  // namespace

void diff_list(html::Builder& b, Context& ctx, const std::vector<DiffLine>& lines) {
  auto ol = b.scope("ol", {{"class", "diff"}});
  for (const auto& l : lines) {
    std::string text = l.text.empty() ? " " : l.text;
    switch (l.op) {
      case DiffLine::Op::kept:
        b.el("li", {{"class", "diff-kept"}}, text);
        break;
      case DiffLine::Op::added:
        b.open("li", {{"class", "diff-added"}}).open("ins").el("strong", {{"class", "diff-marker"}}, ctx.t("practices_pages.diff.added") + " ").text(text).close().close();
        break;
      case DiffLine::Op::removed:
        b.open("li", {{"class", "diff-removed"}}).open("del").el("strong", {{"class", "diff-marker"}}, ctx.t("practices_pages.diff.removed") + " ").text(text).close().close();
        break;
    }
  }
}

void register_versions(web::App& app) {
  app.page(Method::get, "/pratiques/{id}/versions", "pratique-versions", [](Context& ctx) {
    return with_visible(ctx, [&](const Practice& p) { return versions_page(ctx, p); });
  });
  app.page(Method::get, "/pratiques/{id}/versions/{a}/{b}", "pratique-differences", [](Context& ctx) {
    return with_visible(ctx, [&](const Practice& p) { return diff_page(ctx, p); });
  });
}

}  // namespace passerelle::practices::pages
