#include "practices/source.hpp"

#include <algorithm>

#include "practices/store.hpp"

namespace passerelle::practices {

std::string departement_of(std::string_view insee) {
  if (insee.size() != 5) return {};
  // Overseas (97x, 98x) départements and collectivités have three digits.
  if (insee.substr(0, 2) == "97" || insee.substr(0, 2) == "98") return std::string(insee.substr(0, 3));
  return std::string(insee.substr(0, 2));
}

search::Document to_document(const Practice& p) {
  search::Document d;
  d.kind = std::string(kSearchKind);
  d.id = p.id;
  d.territory = p.territory_slug;
  d.title = p.title;
  d.summary = p.summary;
  std::string body = markdown_to_text(p.body);
  // Partners and cost are searched too: "médiathèque", "gratuit" are what people type.
  for (const auto& partner : p.partners) body += "\n" + partner;
  if (!p.cost.empty()) body += "\n" + p.cost;
  d.body = std::move(body);
  d.url = "/pratiques/" + std::to_string(p.id);
  d.date = p.published_at.value_or(p.updated_at);
  for (Taxonomy t : kTaxonomies)
    for (const auto& slug : p.slugs(t))
      if (auto label = label_of(t, slug)) d.facets.push_back({std::string(taxonomy_facet(t)), std::string(*label)});
  // The territory facet is the slug (from d.territory, as for every kind); pages show its name.
  if (const Licence* l = find_licence(p.licence)) d.facets.push_back({"licence", std::string(l->label)});
  std::vector<std::string> departements;
  for (const auto& c : p.communes)
    if (auto dep = departement_of(c); !dep.empty() && std::find(departements.begin(), departements.end(), dep) == departements.end())
      departements.push_back(dep);
  for (auto& dep : departements) d.facets.push_back({"departement", std::move(dep)});
  return d;
}

std::optional<search::Document> SearchSource::load(db::Connection& conn, int64_t id) {
  auto p = find(conn, id);
  if (!p || p->status != Status::published) return std::nullopt;
  return to_document(*p);
}

void SearchSource::each_public(db::Connection& conn, const std::function<void(search::Document&&)>& emit) {
  each_published(conn, [&](const Practice& p) { emit(to_document(p)); });
}

void register_search(search::Service& service) { service.add_source(std::make_unique<SearchSource>()); }

}  // namespace passerelle::practices
