#pragma once
// The HTML report: one self-contained, accessible page in French (no JavaScript, SVG charts each
// followed by the table of their numbers, a print style sheet).
#include <string>

#include "platform/i18n/catalog.hpp"
#include "restitution/model.hpp"

namespace passerelle::restitution {

std::string render_report(const Restitution& r, const Corpus& corpus, const std::string& input_name, i18n::Locale locale);

}  // namespace passerelle::restitution
