#pragma once
// The HTML report: one self-contained, accessible page in French (no JavaScript, SVG charts each
// followed by the table of their numbers, a print style sheet).
#include <functional>
#include <string>

#include "platform/i18n/catalog.hpp"
#include "restitution/model.hpp"

namespace passerelle::html {
class Builder;
}

namespace passerelle::restitution {

// What a host page (the platform's restitution of a consultation) adds to the report.
struct ReportOptions {
  // A line under a quote or a campaign's text (votes, arguments), by contribution index; "" for none.
  std::function<std::string(uint32_t contribution)> quote_note;
  // Written at the end of the volumes section (participation by commune).
  std::function<void(html::Builder&)> after_volumes;
};

// The report without its document: the table of contents and the sections, for a page of the
// platform (headings h2 to h4, ids "volumes", "themes", "theme-N", "methode"…).
std::string render_report_fragment(const Restitution& r, const Corpus& corpus, i18n::Locale locale, const ReportOptions& options = {});

std::string render_report(const Restitution& r, const Corpus& corpus, const std::string& input_name, i18n::Locale locale);

}  // namespace passerelle::restitution
