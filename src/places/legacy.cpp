#include "places/legacy.hpp"

#include <algorithm>
#include <array>
#include <regex>

#include "places/communes.hpp"
#include "platform/core/strings.hpp"

namespace passerelle::places::legacy {

namespace {

using F = Field;

// Old field → where its values go when the value is already v1 (mixed files).
struct OldList {
  std::string_view name;
  std::vector<Field> v1_fields;
};
const std::vector<OldList> kOldLists = {
    {"services", {F::services}},
    {"publics_accueillis", {F::publics_specifiquement_adresses, F::prise_en_charge_specifique}},
    {"conditions_acces", {F::frais_a_charge}},
    {"labels_nationaux", {F::dispositif_programmes_nationaux, F::formations_labels}},
    {"modalites_accompagnement", {F::modalites_accompagnement}},
    {"publics_specifiquement_adresses", {F::publics_specifiquement_adresses}},
    {"prise_en_charge_specifique", {F::prise_en_charge_specifique}},
    {"frais_a_charge", {F::frais_a_charge}},
    {"dispositif_programmes_nationaux", {F::dispositif_programmes_nationaux}},
    {"formations_labels", {F::formations_labels}},
    {"modalites_acces", {F::modalites_acces}},
};

// Fields copied as they are (v0 name → v1 field).
const std::vector<std::pair<std::string_view, Field>> kPlainFields = {
    {"id", F::id}, {"pivot", F::pivot}, {"nom", F::nom}, {"commune", F::commune}, {"code_postal", F::code_postal},
    {"code_insee", F::code_insee}, {"adresse", F::adresse}, {"complement_adresse", F::complement_adresse},
    {"latitude", F::latitude}, {"longitude", F::longitude}, {"typologie", F::typologie}, {"telephone", F::telephone},
    {"courriel", F::courriels}, {"courriels", F::courriels}, {"site_web", F::site_web}, {"horaires", F::horaires},
    {"presentation_resume", F::presentation_resume}, {"presentation_detail", F::presentation_detail},
    {"source", F::source}, {"itinerance", F::itinerance}, {"structure_parente", F::structure_parente},
    {"date_maj", F::date_maj}, {"labels_autres", F::autres_formations_labels},
    {"autres_formations_labels", F::autres_formations_labels}, {"accessibilite", F::fiche_acces_libre},
    {"fiche_acces_libre", F::fiche_acces_libre}, {"prise_rdv", F::prise_rdv},
};
// Members of the old files that the v1 schema has no place for.
const std::vector<std::string_view> kDropped = {"cle_ban", "structureId", "aidants"};

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
  return s;
}

const FieldSpec* spec_of(Field f) { return TableSchema::embedded().find(name_of(f)); }

// Whether `value` is one of the values the v1 pattern of `f` lists.
bool is_v1_value(Field f, std::string_view value) {
  const FieldSpec* spec = spec_of(f);
  return spec && spec->regex && !value.empty() && value.find('|') == std::string_view::npos &&
         !TableSchema::embedded().check(*spec, value);
}

void add_value(Record& out, Field f, std::string_view value) {
  if (value.empty()) return;
  auto values = split_list(out[f]);
  if (std::find(values.begin(), values.end(), value) != values.end()) return;
  values.emplace_back(value);
  out[f] = join_list(values);
}

// Maps one old value; false when it is unknown.
bool map_one(std::string_view old_field, std::string_view value, Record& out) {
  for (const auto& m : mappings())
    if (m.old_field == old_field && m.old_value == value) {
      for (const auto& t : m.targets) add_value(out, t.field, t.value);
      return true;
    }
  for (const auto& list : kOldLists)
    if (list.name == old_field)
      for (Field f : list.v1_fields)
        if (is_v1_value(f, value)) {
          add_value(out, f, value);
          return true;
        }
  return false;
}

std::string_view fr_prefix(std::string_view postal_code) {
  static const std::vector<std::pair<std::string_view, std::string_view>> overseas = {
      {"971", "+590"}, {"977", "+590"}, {"978", "+590"}, {"972", "+596"}, {"973", "+594"}, {"974", "+262"},
      {"976", "+262"}, {"975", "+508"}, {"986", "+681"}, {"987", "+689"}, {"988", "+687"}};
  for (const auto& [prefix, code] : overseas)
    if (postal_code.starts_with(prefix)) return code;
  return "+33";
}

}  // namespace

const std::vector<Mapping>& mappings() {
  static const std::vector<Mapping> table = {
      // services: 15 → 9
      {"services", "Devenir autonome dans les démarches administratives", {{F::services, "Aide aux démarches administratives"}}},
      {"services", "Réaliser des démarches administratives avec un accompagnement", {{F::services, "Aide aux démarches administratives"}}},
      {"services", "Prendre en main un smartphone ou une tablette", {{F::services, "Maîtrise des outils numériques du quotidien"}}},
      {"services", "Prendre en main un ordinateur", {{F::services, "Maîtrise des outils numériques du quotidien"}}},
      {"services", "Utiliser le numérique au quotidien", {{F::services, "Maîtrise des outils numériques du quotidien"}}},
      {"services", "Approfondir ma culture numérique", {{F::services, "Compréhension du monde numérique"}}},
      {"services", "Favoriser mon insertion professionnelle", {{F::services, "Insertion professionnelle via le numérique"}}},
      {"services", "Accéder à une connexion internet", {{F::services, "Accès internet et matériel informatique"}}},
      {"services", "Accéder à du matériel", {{F::services, "Accès internet et matériel informatique"}}},
      {"services", "S'équiper en matériel informatique", {{F::services, "Acquisition de matériel informatique à prix solidaire"}}},
      {"services", "Créer et développer mon entreprise", {{F::services, "Insertion professionnelle via le numérique"}}},
      {"services", "Créer avec le numérique", {{F::services, "Loisirs et créations numériques"}}},
      {"services", "Accompagner les démarches de santé", {{F::services, "Aide aux démarches administratives"}}},
      {"services", "Promouvoir la citoyenneté numérique", {{F::services, "Compréhension du monde numérique"}}},
      {"services", "Soutenir la parentalité et l'éducation avec le numérique", {{F::services, "Parentalité et éducation avec le numérique"}}},
      // publics_accueillis → publics_specifiquement_adresses | prise_en_charge_specifique
      {"publics_accueillis", "Seniors (+ 65 ans)", {{F::publics_specifiquement_adresses, "Seniors"}}},
      {"publics_accueillis", "Familles/enfants", {{F::publics_specifiquement_adresses, "Familles et/ou enfants"}}},
      {"publics_accueillis", "Adultes", {}},  // everyone: no public is specifically addressed
      {"publics_accueillis", "Jeunes (16-26 ans)", {{F::publics_specifiquement_adresses, "Jeunes"}}},
      {"publics_accueillis", "Public langues étrangères", {{F::prise_en_charge_specifique, "Langues étrangères (autres)"}}},
      {"publics_accueillis", "Déficience visuelle", {{F::prise_en_charge_specifique, "Déficience visuelle"}}},
      {"publics_accueillis", "Surdité", {{F::prise_en_charge_specifique, "Surdité"}}},
      {"publics_accueillis", "Handicaps psychiques : troubles psychiatriques donnant lieu à des atteintes comportementales",
       {{F::prise_en_charge_specifique, "Handicaps mentaux"}}},
      {"publics_accueillis", "Handicaps mentaux : déficiences limitant les activités d'une personne", {{F::prise_en_charge_specifique, "Handicaps mentaux"}}},
      {"publics_accueillis", "Uniquement femmes", {{F::publics_specifiquement_adresses, "Femmes"}}},
      {"publics_accueillis", "Personnes en situation d'illettrisme", {{F::prise_en_charge_specifique, "Illettrisme"}}},
      // conditions_acces → frais_a_charge
      {"conditions_acces", "Gratuit : Je peux accéder gratuitement au lieu et à ses services", {{F::frais_a_charge, "Gratuit"}}},
      {"conditions_acces", "Gratuit sous condition : La gratuité est conditionnée à des critères (situation familiale, convention avec un organisme social...)",
       {{F::frais_a_charge, "Gratuit sous condition"}}},
      {"conditions_acces", "Payant : L'accès au lieu et/ou à ses services est payant", {{F::frais_a_charge, "Payant"}}},
      {"conditions_acces", "Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique pour accéder au lieu",
       {{F::frais_a_charge, "Gratuit sous condition"}}},
      {"conditions_acces", "Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer", {{F::frais_a_charge, "Payant"}}},
      // labels_nationaux → dispositif_programmes_nationaux | formations_labels | autres_formations_labels
      {"labels_nationaux", "France Services", {{F::dispositif_programmes_nationaux, "France Services"}}},
      {"labels_nationaux", "CNFS", {{F::dispositif_programmes_nationaux, "Conseillers numériques"}}},
      {"labels_nationaux", "APTIC", {{F::autres_formations_labels, "APTIC"}}},
      {"labels_nationaux", "Aidants Connect", {{F::dispositif_programmes_nationaux, "Aidants Connect"}}},
      {"labels_nationaux", "Fabriques de Territoire", {{F::formations_labels, "Fabriques de Territoire"}}},
      {"labels_nationaux", "Grandes écoles du numérique", {{F::dispositif_programmes_nationaux, "Grande école du numérique"}}},
      {"labels_nationaux", "Point relais CAF", {{F::dispositif_programmes_nationaux, "Point d'accès numérique CAF"}}},
      {"labels_nationaux", "Point numérique CAF", {{F::dispositif_programmes_nationaux, "Point d'accès numérique CAF"}}},
      {"labels_nationaux", "Relais pôle emploi", {{F::autres_formations_labels, "Relais pôle emploi"}}},
      {"labels_nationaux", "French Tech", {{F::autres_formations_labels, "French Tech"}}},
      {"labels_nationaux", "Campus connecté", {{F::autres_formations_labels, "Campus connecté"}}},
      // modalites_accompagnement: renamed values
      {"modalites_accompagnement", "Seul : j'ai accès à du matériel et une connexion", {{F::modalites_accompagnement, "En autonomie"}}},
      {"modalites_accompagnement", "Avec de l'aide : je suis accompagné seul dans l'usage du numérique",
       {{F::modalites_accompagnement, "Accompagnement individuel"}}},
      {"modalites_accompagnement", "Dans un atelier : j'apprends collectivement à utiliser le numérique",
       {{F::modalites_accompagnement, "Dans un atelier collectif"}}},
      {"modalites_accompagnement", "A ma place : une personne habilitée fait les démarches à ma place",
       {{F::modalites_accompagnement, "Accompagnement individuel"}}},
  };
  return table;
}

void map_list(std::string_view old_field, std::string_view text, Record& out, std::vector<Issue>& issues) {
  if (old_field == "conditions_access") old_field = "conditions_acces";  // misspelt in the CNFS export
  std::string joined(text);
  std::replace(joined.begin(), joined.end(), ';', '|');
  for (const auto& value : split_list(joined)) {
    if (map_one(old_field, value, out)) continue;
    // The 2022 CNFS export separates with ", ": split only when every part is a known value.
    std::string parts = replace_all(value, ", ", "|");
    auto items = split_list(parts);
    bool all = items.size() > 1;
    Record trial = out;
    for (const auto& item : items) all = all && map_one(old_field, item, trial);
    if (all) out = std::move(trial);
    else issues.push_back({"", 0, std::string(old_field), value, "places.reason.unknown_value", {}});
  }
}

std::string normalise_phone(std::string_view phone, std::string_view postal_code) {
  std::string digits;
  for (char c : replace_all(std::string(phone), "(0)", ""))
    if ((c >= '0' && c <= '9') || (c == '+' && digits.empty())) digits += c;
  if (digits.size() == 10 && digits[0] == '0') return std::string(fr_prefix(postal_code)) + digits.substr(1);
  if (digits.size() == 6 && (postal_code.starts_with("986") || postal_code.starts_with("987") || postal_code.starts_with("988")))
    return std::string(fr_prefix(postal_code)) + digits;  // New Caledonia, Polynesia, Wallis: six digits
  if (digits.starts_with("0033")) return "+33" + digits.substr(4);
  if (digits.size() == 13 && digits.starts_with("+330")) return "+33" + digits.substr(4);  // "+33 0X…": the 0 kept by mistake
  if (digits.starts_with("+")) return digits;
  return std::string(phone);
}

std::string normalise_date(std::string_view d) {
  if (d.size() == 10 && d[2] == '/' && d[5] == '/')
    return std::string(d.substr(6, 4)) + "-" + std::string(d.substr(3, 2)) + "-" + std::string(d.substr(0, 2));
  if (d.size() > 10 && d[4] == '-' && d[7] == '-' && (d[10] == 'T' || d[10] == ' ')) return std::string(d.substr(0, 10));
  return std::string(d);
}

Record map_record(const std::map<std::string, std::string, std::less<>>& fields, std::vector<Issue>& issues) {
  Record out;
  for (const auto& entry : fields) {  // not a structured binding: clang cannot capture those in lambdas
    const std::string& name = entry.first;
    auto v = str::trim(entry.second);
    if (v.empty()) continue;
    auto plain = std::find_if(kPlainFields.begin(), kPlainFields.end(), [&](const auto& p) { return p.first == name; });
    if (plain != kPlainFields.end()) {
      out[plain->second] = std::string(v);
      continue;
    }
    bool list = name == "conditions_access" ||
                std::any_of(kOldLists.begin(), kOldLists.end(), [&](const OldList& l) { return l.name == name; });
    if (list) map_list(name, v, out, issues);
    else if (std::find(kDropped.begin(), kDropped.end(), name) == kDropped.end())
      issues.push_back({"", 0, name, std::string(v), "places.reason.unknown_column", {}});
  }
  // Values the old files wrote differently.
  if (is_placeholder_pivot(out[F::pivot])) out[F::pivot] = std::string(kPlaceholderPivot);
  out[F::pivot] = replace_all(out[F::pivot], " ", "");
  if (auto cp = normalize_postal_code(out[F::code_postal])) out[F::code_postal] = *cp;
  if (!out[F::telephone].empty()) out[F::telephone] = normalise_phone(out[F::telephone], out[F::code_postal]);
  out[F::date_maj] = normalise_date(out[F::date_maj]);
  for (Field f : {F::courriels, F::site_web}) out[f] = replace_all(out[f], ";", "|");
  // v0.1.1 allowed 500 characters, v1 280: the whole text moves to the detail when that is free.
  auto& resume = out[F::presentation_resume];
  if (utf8_length(resume) > 280) {
    if (out[F::presentation_detail].empty()) out[F::presentation_detail] = resume;
    size_t cut = 0, chars = 0;
    while (cut < resume.size() && chars < 279) {
      ++cut;
      while (cut < resume.size() && (static_cast<unsigned char>(resume[cut]) & 0xC0) == 0x80) ++cut;
      ++chars;
    }
    resume = resume.substr(0, cut) + "…";
  }
  return out;
}

namespace {

const std::map<std::string_view, std::vector<Target>> kBfcLabels = {
    {"MFS", {{F::dispositif_programmes_nationaux, "France Services"}}},
    {"MSAP", {{F::dispositif_programmes_nationaux, "France Services"}}},  // MSAP became France Services in 2020
    {"APTIC", {{F::autres_formations_labels, "APTIC"}}},
    {"CTL", {{F::autres_formations_labels, "Charte régionale des Tiers Lieux"}}},
    {"FTL", {{F::autres_formations_labels, "France Tiers Lieux"}}},
    {"NMM", {{F::autres_formations_labels, "Nièvre médiation numérique"}}},
    {"DM", {{F::autres_formations_labels, "Réseau Dijon métropole"}}},
    {"RIN", {{F::autres_formations_labels, "Réseau inclusion numérique Chalon-Louhans"}}},
    {"BFC", {{F::formations_labels, "Arnia/MedNum BFC (Bourgogne-Franche-Comté)"}}},
    {"F", {}}, {"P", {}},  // used in the file, defined nowhere: dropped
};
const std::map<std::string_view, std::vector<Target>> kBfcTypes = {
    {"TL", {{F::typologie, "TIERS_LIEUX"}}}, {"M", {}}, {"I", {}}, {"T", {}}, {"O", {}}, {"F", {}},
};
const std::map<std::string_view, std::vector<Target>> kBfcAccomp = {
    {"A", {{F::modalites_accompagnement, "En autonomie"}}},
    {"L", {{F::modalites_accompagnement, "Accompagnement individuel"}}},
    {"RDV", {{F::modalites_accompagnement, "Accompagnement individuel"}}},
    {"G", {{F::modalites_accompagnement, "Dans un atelier collectif"}}},
    {"R", {}},  // repair workshop: no v1 service says it
};

void map_codes(const std::map<std::string_view, std::vector<Target>>& table, std::string_view column, std::string_view text, Record& out,
               std::vector<Issue>& issues) {
  for (const auto& code : split_list(text, '-')) {
    auto it = table.find(code);
    if (it == table.end()) issues.push_back({"", 0, std::string(column), code, "places.reason.unknown_value", {}});
    else
      for (const auto& t : it->second) add_value(out, t.field, t.value);
  }
}

}  // namespace

std::optional<std::string> bfc_span(std::string_view cell) {
  // "8h30-12h", "9h - 12h30", and "9h12h" where the dash was forgotten.
  static const std::regex span(R"(^\s*(\d{1,2})h(\d{2})?\s*-?\s*(\d{1,2})h(\d{2})?\s*$)");
  std::string text(cell);
  std::smatch m;
  if (!std::regex_match(text, m, span)) return std::nullopt;
  auto two = [](const std::string& d) { return d.size() == 1 ? "0" + d : d; };
  std::string from = two(m[1]) + ":" + (m[2].matched ? m[2].str() : "00"), to = two(m[3]) + ":" + (m[4].matched ? m[4].str() : "00");
  return from + "-" + to;
}

Record map_bfc(const std::map<std::string, std::string, std::less<>>& fields, std::vector<Issue>& issues) {
  auto get = [&](std::string_view name) -> std::string {
    auto it = fields.find(name);
    return it == fields.end() ? "" : std::string(str::trim(it->second));
  };
  Record out;
  out[F::id] = get("bfc_id");
  out[F::pivot] = std::string(kPlaceholderPivot);
  out[F::nom] = get("nom_structure");
  out[F::commune] = get("ville");
  out[F::code_postal] = normalize_postal_code(get("code_postal")).value_or(get("code_postal"));
  out[F::adresse] = get("adresse");
  out[F::latitude] = get("lat");
  out[F::longitude] = get("lon");
  out[F::site_web] = get("url_lieu");
  out[F::courriels] = get("contact_email");
  out[F::telephone] = get("contact_tel").empty() ? "" : normalise_phone(get("contact_tel"), out[F::code_postal]);
  out[F::date_maj] = normalise_date(get("mise_a_jour"));
  out[F::source] = "Hub MedNum BFC";
  map_codes(kBfcTypes, "code_typo", get("code_typo"), out, issues);
  map_codes(kBfcLabels, "code_label", get("code_label"), out, issues);
  map_codes(kBfcAccomp, "code_accomp", get("code_accomp"), out, issues);
  static const std::array<std::pair<std::string_view, std::string_view>, 7> days = {
      {{"lundi", "Mo"}, {"mardi", "Tu"}, {"mercredi", "We"}, {"jeudi", "Th"}, {"vendredi", "Fr"}, {"samedi", "Sa"}, {"dimanche", "Su"}}};
  std::string hours;
  for (const auto& [day, osm] : days) {
    std::vector<std::string> spans;
    for (std::string_view half : {" matin", " après-midi"}) {
      std::string column = std::string(day) + std::string(half), cell = get(column);
      // Placeholders of the file; "souscondition" (4 cells) says nothing of the hours.
      if (cell.empty() || cell == "x" || cell == "X" || cell == "-" || cell == "souscondition") continue;
      auto span = bfc_span(cell);
      if (span) spans.push_back(*span);
      else issues.push_back({"", 0, column, cell, "places.reason.opening_hours", {}});
    }
    if (spans.empty()) continue;
    if (!hours.empty()) hours += "; ";
    hours += std::string(osm) + " " + join_list(spans, ',');
  }
  out[F::horaires] = hours;
  return out;
}

}  // namespace passerelle::places::legacy
