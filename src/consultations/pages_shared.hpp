#pragma once
// What the consultation pages share (pages_*.cpp).
#include <optional>
#include <string>

#include "consultations/rights.hpp"
#include "consultations/store.hpp"
#include "platform/html/builder.hpp"
#include "platform/web/app.hpp"
#include "platform/web/layout.hpp"

namespace passerelle::consultations::pages {

inline std::string process_url(int64_t id) { return "/consultations/" + std::to_string(id); }
inline std::string contribution_url(int64_t id) { return "/contributions/" + std::to_string(id); }
inline web::TerritoryRef ref_of(const Process& p) { return {p.territory_id, p.territory_slug, p.territory_name}; }

// The error with its date arguments (Unix seconds) written for the reader ("3 janvier 2027 à 00:00").
Error readable(web::Context& ctx, Error e);
// The message of an error in the reader's language, dates formatted.
std::string explain(web::Context& ctx, const Error& e);
std::string phase_label(web::Context& ctx, PhaseKind k);
std::string state_label(web::Context& ctx, PhaseState s);
// "Alice · 3 décembre 2026 · déposée par un médiateur"
std::string byline(web::Context& ctx, const Contribution& c);
std::optional<int64_t> id_param(web::Context& ctx, std::string_view name);
// Redirect after a POST (303), with a notice key for the next page.
http::Response back_to(std::string_view url, std::string_view notice);
std::string notice(web::Context& ctx);  // from ?fait=…, "" when unknown
void post_button(html::Builder& b, web::Context& ctx, std::string_view action, const std::string& label,
                 const std::vector<std::pair<std::string, std::string>>& hidden = {});

void register_process_pages(web::App& app);
void register_contribution_pages(web::App& app);
void register_form_pages(web::App& app);
void register_moderation_pages(web::App& app);
void register_new_process_pages(web::App& app);
void register_open_data_pages(web::App& app);
void register_followup_pages(web::App& app);
void register_restitution_pages(web::App& app);
// The stored restitution of a process (or "calcul en cours"), with the agents' button.
void restitution_block(html::Builder& b, web::Context& ctx, const Process& p);
// The follow-up of a retained contribution, on its page (with the agents' forms).
void followup_section(html::Builder& b, web::Context& ctx, const Contribution& c);

}  // namespace passerelle::consultations::pages
