#include "consultations/pages_shared.hpp"

#include "consultations/follow.hpp"
#include "consultations/pages.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/format.hpp"

namespace passerelle::consultations {

namespace pages {

Error readable(web::Context& ctx, Error e) {
  for (auto& [name, value] : e.args)
    if (name == "date")
      if (auto t = str::to_int(value)) value = i18n::format_datetime(ctx.locale, *t);
  return e;
}

std::string explain(web::Context& ctx, const Error& e) { return ctx.t(readable(ctx, e)); }

std::string phase_label(web::Context& ctx, PhaseKind k) { return ctx.t("consultations_pages.phase." + std::string(name(k))); }
std::string state_label(web::Context& ctx, PhaseState s) { return ctx.t("consultations_pages.state." + std::string(name(s))); }

std::string byline(web::Context& ctx, const Contribution& c) {
  std::string out = c.author_name.empty() ? ctx.t("consultations_pages.anonymous") : c.author_name;
  out += " · " + i18n::format_date(ctx.locale, c.created_at);
  if (c.channel == Channel::mediator) out += " · " + ctx.t("consultations_pages.channel.mediator");
  if (c.channel == Channel::paper) out += " · " + ctx.t("consultations_pages.channel.paper", {{"ref", c.paper_ref}});
  return out;
}

std::optional<int64_t> id_param(web::Context& ctx, std::string_view name) {
  auto id = str::to_int(ctx.req.param(name));
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

http::Response back_to(std::string_view url, std::string_view notice) {
  // The notice is a query parameter: it goes before the fragment ("/contributions/3?fait=vote#arguments").
  size_t hash = url.find('#');
  std::string path(url.substr(0, hash)), fragment(hash == std::string_view::npos ? "" : url.substr(hash));
  if (!notice.empty()) path += std::string(path.find('?') == std::string::npos ? "?" : "&") + "fait=" + std::string(notice);
  return http::Response::redirect(path + fragment, 303);
}

std::string notice(web::Context& ctx) {
  static const char* const known[] = {"contribution", "en_attente", "vote", "vote_retire", "argument", "commentaire", "source",
                                      "signalement", "retiree", "reexamen", "reponse", "moderee", "personne", "suivi", "amendement", "modifiee", "restitution"};
  std::string done = ctx.req.query_fields().value("fait");
  for (const char* k : known)
    if (done == k) return ctx.t(std::string("consultations_pages.done.") + k);
  return "";
}

void post_button(html::Builder& b, web::Context& ctx, std::string_view action, const std::string& label,
                 const std::vector<std::pair<std::string, std::string>>& hidden) {
  auto f = b.scope("form", {{"method", "post"}, {"action", action}, {"class", "inline"}});
  b.void_el("input", {{"type", "hidden"}, {"name", "_csrf"}, {"value", ctx.csrf_token()}});
  for (const auto& [name, value] : hidden) b.void_el("input", {{"type", "hidden"}, {"name", name}, {"value", value}});
  b.el("button", {{"type", "submit"}, {"class", "button"}}, label);
}

}  // namespace pages

void register_pages(web::App& app) {
  pages::register_process_pages(app);
  pages::register_contribution_pages(app);
  pages::register_form_pages(app);
  pages::register_moderation_pages(app);
  pages::register_new_process_pages(app);
  pages::register_open_data_pages(app);
  pages::register_followup_pages(app);
  pages::register_restitution_pages(app);
  pages::register_follow_pages(app);
}

}  // namespace passerelle::consultations
