#pragma once
// Practice sheets as documents of the search service (kind "practice"). Only published sheets are
// ever handed to the engine, so drafts, withdrawn and trashed sheets cannot be found.
#include <memory>

#include "practices/model.hpp"
#include "search/service.hpp"

namespace passerelle::practices {

inline constexpr std::string_view kSearchKind = "practice";

// Facet fields: "theme", "type", "public", "sector" (French labels of Les Bases as values),
// "territory" (territory name), "licence" (licence label), "departement" (code, from the communes).
class SearchSource : public search::Source {
 public:
  std::string kind() const override { return std::string(kSearchKind); }
  std::optional<search::Document> load(db::Connection& conn, int64_t id) override;
  void each_public(db::Connection& conn, const std::function<void(search::Document&&)>& emit) override;
};

// The document of a published sheet (pure: also used by tests and benchmarks).
search::Document to_document(const Practice& p);
// Département of an INSEE commune code: "16", "2A", "974".
std::string departement_of(std::string_view insee);

void register_search(search::Service& service);

}  // namespace passerelle::practices
