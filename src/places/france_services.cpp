// The ANCT list of France Services (research-data/france-services/, not shipped: the tests read
// a hand-made file of the same shape, tests/data/places/france-services-exemple-20221201.csv).
#include <array>

#include "places/communes.hpp"
#include "places/legacy.hpp"
#include "platform/core/strings.hpp"

namespace passerelle::places::legacy {

using F = Field;

std::string france_services_hours(std::string_view cell) {
  std::string text(str::trim(cell));
  if (text.empty() || text == "-") return "";
  // Spans are written "09:00 - 12:00 / 13:30 - 17:00", sometimes with ',' or a space between
  // them, "08 :30" for "08:30": separators become ',', spaces around '-' and ':' go.
  std::string squeezed;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ') {
      char prev = squeezed.empty() ? ' ' : squeezed.back();
      size_t j = i;
      while (j < text.size() && text[j] == ' ') ++j;
      char next = j < text.size() ? text[j] : ' ';
      if (prev == '-' || prev == ':' || prev == ',' || next == '-' || next == ':' || next == '/' || next == ',') continue;
      squeezed += ',';
      i = j - 1;
    } else {
      squeezed += c == '/' ? ',' : c;
    }
  }
  return squeezed;
}

Record map_france_services(const std::map<std::string, std::string, std::less<>>& fields, std::vector<Issue>& issues) {
  auto get = [&](std::string_view name) -> std::string {
    auto it = fields.find(name);
    return it == fields.end() ? "" : std::string(str::trim(it->second));
  };
  Record out;
  out[F::id] = get("id_fs");
  out[F::pivot] = std::string(kPlaceholderPivot);  // the list gives no SIRET
  out[F::nom] = get("lib_fs");
  out[F::adresse] = get("adresse");
  out[F::complement_adresse] = get("complement_adresse");
  out[F::code_insee] = get("insee_com");
  out[F::code_postal] = normalize_postal_code(get("code_postal")).value_or(get("code_postal"));
  out[F::commune] = get("lib_com");
  out[F::latitude] = get("latitude");
  out[F::longitude] = get("longitude");
  out[F::courriels] = get("mail");
  out[F::telephone] = get("telephone").empty() ? "" : normalise_phone(get("telephone"), out[F::code_postal]);
  out[F::source] = "France Services";
  out[F::typologie] = "RFS";  // data·inclusion: réseau France Services
  out[F::dispositif_programmes_nationaux] = "France Services";
  out[F::services] = "Aide aux démarches administratives|Accès internet et matériel informatique";
  out[F::modalites_accompagnement] = "Accompagnement individuel";
  out[F::frais_a_charge] = "Gratuit";
  out[F::presentation_detail] = get("commentaire");
  out[F::autres_formations_labels] = get("labellisation");
  out[F::structure_parente] = get("groupe");
  std::string itinerance = get("itinerance");
  if (itinerance == "Oui") out[F::itinerance] = "Itinérant";
  else if (itinerance == "Non") out[F::itinerance] = "Fixe";
  else if (!itinerance.empty()) issues.push_back({"", 0, "itinerance", itinerance, "places.reason.france_services_itinerance", {}});
  static const std::array<std::pair<std::string_view, std::string_view>, 6> days = {
      {{"h_lundi", "Mo"}, {"h_mardi", "Tu"}, {"h_mercredi", "We"}, {"h_jeudi", "Th"}, {"h_vendredi", "Fr"}, {"h_samedi", "Sa"}}};
  std::string hours;
  for (const auto& [column, osm] : days) {
    std::string spans = france_services_hours(get(column));
    if (spans.empty()) continue;
    if (!hours.empty()) hours += "; ";
    hours += std::string(osm) + " " + spans;
  }
  out[F::horaires] = hours;
  return out;
}

}  // namespace passerelle::places::legacy
