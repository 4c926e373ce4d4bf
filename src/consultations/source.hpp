#pragma once
// Consultations in the search service: published processes (kind "process") and published
// contributions of published processes (kind "contribution"). Pending, hidden, withdrawn and
// trashed contributions are never handed to the engine, so they cannot be found.
#include "consultations/model.hpp"
#include "search/service.hpp"

namespace passerelle::consultations {

// Facets of a contribution: "process" (its title), "section", "answer" (retenue…), "channel".
search::Document to_document(const Process& p, const Contribution& c);
search::Document to_document(const Process& p);
void register_search(search::Service& service);

}  // namespace passerelle::consultations
