#pragma once
// Sources written by this module, and help for the Sources of other modules.
#include <memory>
#include <string>
#include <string_view>

#include "search/service.hpp"

namespace passerelle::search {

// Territories (kind "territory"): name, presentation, link to the territory's home page. Their
// changes are noted by the triggers of migration 0002.
std::unique_ptr<Source> territory_source();

// The text of a Markdown document, without its markup (links keep their text), paragraphs
// separated by blank lines: what a Source puts in Document::summary or body.
std::string markdown_to_text(std::string_view markdown);

}  // namespace passerelle::search
