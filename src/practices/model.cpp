#include "practices/model.hpp"

#include <cmark.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "accounts/model.hpp"
#include "platform/core/strings.hpp"
#include "platform/html/markdown.hpp"
#include "territories/model.hpp"

namespace passerelle::practices {

// Labels exactly as in Les Bases (inclusion-numerique/stack, prisma schema of 2025-07-22).
const std::vector<Term>& terms(Taxonomy taxonomy) {
  static const std::vector<Term> themes = {
      {"diagnostic-de-competences-numeriques", "Diagnostic de compétences numériques"},
      {"aides-aux-demarches-administratives", "Aides aux démarches administratives"},
      {"maitrise-des-outils-numeriques", "Maîtrise des outils numériques"},
      {"navigation-sur-internet", "Navigation sur internet"},
      {"sobriete-numerique", "Sobriété numérique"},
      {"materiel-reconditionne", "Matériel reconditionné"},
      {"mobilites", "Mobilités"},
      {"accessibilite", "Accessibilité"},
      {"loisirs-et-creations-numeriques", "Loisirs et créations numériques"},
      {"citoyennete-et-engagement", "Citoyenneté et engagement"},
      {"code-et-programmation", "Code et programmation"},
      {"reseaux-sociaux-et-communication", "Réseaux sociaux et communication"},
      {"donnees", "Données"},
      {"emploi-et-entrepreneuriat", "Emploi et entrepreneuriat"},
      {"jeux-videos", "Jeux vidéos"},
      {"numerique-en-sante", "Numérique en santé"},
      {"parentalite", "Parentalité"},
      {"risques-cyber-et-protection", "Risques cyber et protection"},
      {"communs-numeriques", "Communs numériques"},
      {"economie-numerique", "Économie numérique"},
      {"gouvernances-partagees", "Gouvernances partagées"},
      {"intelligence-artificielle", "Intelligence artificielle"},
      {"open-source-et-licences-libres", "Open source et licences libres"},
      {"souverainete-numerique-et-hebergement-des-donnees", "Souveraineté numérique et hébergement des données"},
      {"ecoconception-de-services-numeriques", "Écoconception de services numériques"},
      {"usages-responsables-du-numerique", "Usages responsables du numérique"},
      {"numerique-au-service-de-l-environnement", "Numérique au service de l'environnement"},
      {"territoires-connectes-et-durables", "Territoires connectés et durables"},
      {"education-aux-medias", "Éducation aux médias"},
  };
  static const std::vector<Term> types = {
      {"ressource-pedagogique", "Ressource pédagogique"}, {"outils-numeriques", "Outils numériques"},
      {"annuaire", "Annuaire"},                          {"article", "Article"},
      {"boite-a-outils", "Boîte à outils"},              {"infographie", "Infographie"},
      {"methodologie", "Méthodologie"},                  {"questionnaire", "Questionnaire"},
      {"video-webinaire", "Vidéo/webinaire"},
  };
  static const std::vector<Term> publics = {
      {"tous-publics", "Tous publics"},
      {"enfants-mineurs", "Enfants mineurs"},
      {"adultes", "Adultes"},
      {"seniors-personnes-agees", "Seniors/personnes âgées"},
      {"parents", "Parents"},
      {"personnes-tres-eloignees-du-numerique", "Personnes très éloignées du numérique"},
      {"situation-de-handicap-ou-perte-d-autonomie", "Situation de handicap ou perte d'autonomie"},
      {"illettrisme", "Illettrisme"},
      {"allophones-refugies-demandeurs-d-asile", "Allophones/réfugiés/demandeurs d'asile"},
      {"insertion-sociale-ou-professionnelle", "Insertion sociale ou professionnelle"},
  };
  static const std::vector<Term> sectors = {
      {"acteurs-publics", "Acteurs publics"},
      {"acteurs-prives-et-associatifs", "Acteurs privés et associatifs"},
      {"aidants-et-mediateurs-numeriques", "Aidants et médiateurs numériques"},
      {"autres-professionnels", "Autres professionnels"},
  };
  switch (taxonomy) {
    case Taxonomy::theme: return themes;
    case Taxonomy::resource_type: return types;
    case Taxonomy::public_: return publics;
    case Taxonomy::sector: return sectors;
  }
  return themes;
}

std::string_view taxonomy_field(Taxonomy t) {
  switch (t) {
    case Taxonomy::theme: return "themes";
    case Taxonomy::resource_type: return "types";
    case Taxonomy::public_: return "publics";
    case Taxonomy::sector: return "sectors";
  }
  return "themes";
}

std::string_view taxonomy_facet(Taxonomy t) {
  switch (t) {
    case Taxonomy::theme: return "theme";
    case Taxonomy::resource_type: return "type";
    case Taxonomy::public_: return "public";
    case Taxonomy::sector: return "sector";
  }
  return "theme";
}

std::optional<std::string_view> label_of(Taxonomy taxonomy, std::string_view slug) {
  for (const auto& t : terms(taxonomy))
    if (t.slug == slug) return t.label;
  return std::nullopt;
}

std::optional<std::string_view> slug_of_label(Taxonomy taxonomy, std::string_view label) {
  for (const auto& t : terms(taxonomy))
    if (t.label == label) return t.slug;
  return std::nullopt;
}

bool valid_term(Taxonomy taxonomy, std::string_view slug) { return label_of(taxonomy, slug).has_value(); }

const std::vector<Licence>& licences() {
  static const std::vector<Licence> all = {
      {"etalab-2.0", "Licence Ouverte / Open Licence 2.0", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
      {"cc-by-sa-4.0", "Creative Commons Attribution – Partage dans les mêmes conditions 4.0",
       "https://creativecommons.org/licenses/by-sa/4.0/deed.fr"},
  };
  return all;
}

const Licence* find_licence(std::string_view slug) {
  for (const auto& l : licences())
    if (l.slug == slug) return &l;
  return nullptr;
}

std::string_view status_name(Status s) {
  switch (s) {
    case Status::draft: return "brouillon";
    case Status::published: return "publiee";
    case Status::unpublished: return "depubliee";
    case Status::trashed: return "corbeille";
  }
  return "brouillon";
}

std::optional<Status> parse_status(std::string_view s) {
  for (Status st : {Status::draft, Status::published, Status::unpublished, Status::trashed})
    if (status_name(st) == s) return st;
  return std::nullopt;
}

std::string_view attachment_kind_name(AttachmentKind k) { return k == AttachmentKind::image ? "image" : "pdf"; }

const std::vector<std::string>& Content::slugs(Taxonomy t) const {
  switch (t) {
    case Taxonomy::theme: return themes;
    case Taxonomy::resource_type: return resource_types;
    case Taxonomy::public_: return publics;
    case Taxonomy::sector: return sectors;
  }
  return themes;
}
std::vector<std::string>& Content::slugs(Taxonomy t) { return const_cast<std::vector<std::string>&>(std::as_const(*this).slugs(t)); }

std::vector<std::string>& Input::slugs(Taxonomy t) { return const_cast<std::vector<std::string>&>(std::as_const(*this).slugs(t)); }
const std::vector<std::string>& Input::slugs(Taxonomy t) const {
  switch (t) {
    case Taxonomy::theme: return themes;
    case Taxonomy::resource_type: return resource_types;
    case Taxonomy::public_: return publics;
    case Taxonomy::sector: return sectors;
  }
  return themes;
}

Input Input::from(const Content& c) {
  Input in{c.title, c.summary, c.body, c.communes, c.themes, c.resource_types, c.publics, c.sectors, c.cost, "", c.partners, c.contact, c.links,
           c.licence};
  if (c.cost_cents) {
    in.cost_amount = std::to_string(*c.cost_cents / 100);
    if (*c.cost_cents % 100) in.cost_amount += (*c.cost_cents % 100 < 10 ? ",0" : ",") + std::to_string(*c.cost_cents % 100);
  }
  return in;
}

// --- Small parsers ---

std::vector<std::string> split_list(std::string_view typed) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= typed.size(); ++i) {
    if (i == typed.size() || typed[i] == ',' || typed[i] == ';' || typed[i] == '\n' || typed[i] == '\r') {
      auto part = str::trim(typed.substr(start, i - start));
      if (!part.empty()) out.emplace_back(part);
      start = i + 1;
    }
  }
  return out;
}

std::optional<int64_t> parse_euros(std::string_view typed) {
  std::string s(str::trim(typed));
  // Accept "1 200,50 €", "1200.5", "1 200 €" (spaces, narrow no-break spaces and the euro sign).
  for (std::string_view junk : {"\u20ac", "\u202f", "\u00a0", "EUR", "eur"})
    for (size_t p; (p = s.find(junk)) != std::string::npos;) s.erase(p, junk.size());
  int64_t euros = 0, cents = 0;
  int decimals = -1;
  bool any = false;
  for (char c : s) {
    if (c == ' ') continue;
    if (c == ',' || c == '.') {
      if (decimals >= 0) return std::nullopt;
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    any = true;
    if (decimals < 0) {
      if (euros > 1'000'000'000'000LL) return std::nullopt;
      euros = euros * 10 + (c - '0');
    } else {
      if (++decimals > 2) return std::nullopt;
      cents = cents * 10 + (c - '0');
    }
  }
  if (!any) return std::nullopt;
  if (decimals == 1) cents *= 10;
  return euros * 100 + cents;
}

std::string format_euros(int64_t cents) {
  std::string digits = std::to_string(cents / 100), grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) grouped += "\u202f";  // French thousands separator
    grouped += digits[i];
  }
  if (cents % 100) grouped += (cents % 100 < 10 ? ",0" : ",") + std::to_string(cents % 100);
  return grouped + "\u00a0€";
}

bool valid_http_url(std::string_view url) {
  if (url.size() > 2000) return false;
  std::string lower = str::lower_ascii(url.substr(0, 8));
  size_t host_start = lower.rfind("https://", 0) == 0 ? 8 : lower.rfind("http://", 0) == 0 ? 7 : 0;
  if (host_start == 0) return false;
  for (char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  auto host = url.substr(host_start, url.find_first_of("/?#", host_start) - host_start);
  if (auto at = host.rfind('@'); at != std::string_view::npos) host = host.substr(at + 1);
  return !host.empty() && host.front() != '.' && host.front() != ':';
}

bool valid_phone(std::string_view phone) {
  int digits = 0;
  for (size_t i = 0; i < phone.size(); ++i) {
    char c = phone[i];
    if (c >= '0' && c <= '9') ++digits;
    else if (c == '+' && i == 0) continue;
    else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') return false;
  }
  return digits >= 6 && digits <= 15;
}

namespace {

// Unsafe Markdown is refused with a clear message rather than silently cleaned: raw HTML and
// links whose scheme is not http(s), mailto or tel.
std::optional<std::string> markdown_problem(std::string_view markdown) {
  cmark_node* doc = cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT);
  if (!doc) return "practices.body_invalid";
  std::optional<std::string> problem;
  cmark_iter* it = cmark_iter_new(doc);
  for (cmark_event_type ev; !problem && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(it);
    auto type = cmark_node_get_type(node);
    if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) problem = "practices.body_html";
    if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
      const char* url = cmark_node_get_url(node);
      if (url && !html::is_safe_url(url)) problem = "practices.body_link_unsafe";
    }
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  return problem;
}

bool too_long_or_bad(std::string_view text, size_t max) { return text.size() > max || !str::valid_utf8(text); }

}  // namespace

std::string markdown_to_text(std::string_view markdown) {
  cmark_node* doc = cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT);
  if (!doc) return std::string(markdown);
  std::string out;
  auto newline = [&] {
    if (!out.empty() && out.back() != '\n') out += '\n';
  };
  cmark_iter* it = cmark_iter_new(doc);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node* node = cmark_iter_get_node(it);
    auto type = cmark_node_get_type(node);
    if (ev == CMARK_EVENT_ENTER) {
      if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
        if (const char* lit = cmark_node_get_literal(node)) out += lit;
      } else if (type == CMARK_NODE_CODE_BLOCK) {
        newline();
        if (const char* lit = cmark_node_get_literal(node)) out += lit;
        newline();
      } else if (type == CMARK_NODE_SOFTBREAK) {
        out += ' ';
      } else if (type == CMARK_NODE_LINEBREAK) {
        out += '\n';
      }
    } else if (ev == CMARK_EVENT_EXIT) {
      if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING || type == CMARK_NODE_ITEM) newline();
    }
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

Result<Content> validate(const Input& in, Errors& errors) {
  Content c;
  auto field_error = [&](std::string field, std::string key) { errors.push_back(Error::validation(std::move(field), std::move(key))); };

  c.title = std::string(str::trim(in.title));
  if (c.title.empty()) field_error("title", "practices.title_required");
  else if (too_long_or_bad(c.title, kMaxTitle)) field_error("title", "practices.title_too_long");
  c.summary = std::string(str::trim(in.summary));
  if (c.summary.empty()) field_error("summary", "practices.summary_required");
  else if (too_long_or_bad(c.summary, kMaxSummary)) field_error("summary", "practices.summary_too_long");
  c.body = in.body;
  if (too_long_or_bad(c.body, kMaxBody)) field_error("body", "practices.body_too_long");
  else if (auto problem = markdown_problem(c.body)) field_error("body", *problem);

  if (in.communes.size() > kMaxCommunes) field_error("communes", "practices.too_many_communes");
  for (const auto& raw : in.communes) {
    std::string code(str::trim(raw));
    for (auto& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));  // "2a004" → "2A004"
    if (code.empty()) continue;
    if (!territories::valid_insee(code)) {
      errors.push_back(Error::validation("communes", "practices.commune_invalid").with("code", std::string(str::trim(raw)).substr(0, 40)));
      break;
    }
    if (std::find(c.communes.begin(), c.communes.end(), code) == c.communes.end()) c.communes.push_back(code);
  }

  for (Taxonomy t : kTaxonomies) {
    auto& out = c.slugs(t);
    for (const auto& raw : in.slugs(t)) {
      std::string value(str::trim(raw));
      if (value.empty()) continue;
      std::string slug = valid_term(t, value) ? value : std::string(slug_of_label(t, value).value_or(""));
      if (slug.empty()) {
        errors.push_back(Error::validation(std::string(taxonomy_field(t)), "practices.term_invalid").with("value", value.substr(0, 80)));
        break;
      }
      if (std::find(out.begin(), out.end(), slug) == out.end()) out.push_back(slug);
    }
  }

  c.cost = std::string(str::trim(in.cost));
  if (too_long_or_bad(c.cost, kMaxCost)) field_error("cost", "practices.cost_too_long");
  if (!str::trim(in.cost_amount).empty()) {
    c.cost_cents = parse_euros(in.cost_amount);
    if (!c.cost_cents) field_error("cost_amount", "practices.cost_amount_invalid");
  }

  if (in.partners.size() > kMaxPartners) field_error("partners", "practices.too_many_partners");
  for (const auto& raw : in.partners) {
    std::string p(str::trim(raw));
    if (p.empty()) continue;
    if (too_long_or_bad(p, kMaxPartner)) {
      field_error("partners", "practices.partner_too_long");
      break;
    }
    c.partners.push_back(p);
  }

  c.contact = {std::string(str::trim(in.contact.name)), std::string(str::trim(in.contact.email)), std::string(str::trim(in.contact.phone))};
  if (too_long_or_bad(c.contact.name, 200)) field_error("contact_name", "practices.contact_name_too_long");
  if (!c.contact.email.empty() && !accounts::valid_email(c.contact.email)) field_error("contact_email", "practices.contact_email_invalid");
  if (!c.contact.phone.empty() && !valid_phone(c.contact.phone)) field_error("contact_phone", "practices.contact_phone_invalid");

  if (in.links.size() > kMaxLinks) field_error("links", "practices.too_many_links");
  for (size_t i = 0; i < in.links.size() && i < kMaxLinks; ++i) {
    Link l{std::string(str::trim(in.links[i].url)), std::string(str::trim(in.links[i].title))};
    if (l.url.empty() && l.title.empty()) continue;
    std::string prefix = "links[" + std::to_string(i) + "].";
    if (!valid_http_url(l.url)) field_error(prefix + "url", "practices.link_url_invalid");
    if (too_long_or_bad(l.title, 300)) field_error(prefix + "title", "practices.link_title_too_long");
    c.links.push_back(std::move(l));
  }

  c.licence = in.licence.empty() ? std::string(kDefaultLicence) : in.licence;
  if (!find_licence(c.licence)) field_error("licence", "practices.licence_invalid");

  if (!errors.empty()) return errors.front();
  return c;
}

// --- Versions ---

std::string to_text(const Content& c) {
  auto labels = [](Taxonomy t, const std::vector<std::string>& slugs) {
    std::string out;
    for (const auto& s : slugs) out += (out.empty() ? "" : ", ") + std::string(label_of(t, s).value_or(s));
    return out;
  };
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  };
  std::string out = "Titre : " + c.title + "\nRésumé : " + c.summary + "\n\n" + c.body + "\n\n";
  out += "Communes : " + join(c.communes) + "\n";
  out += "Thématiques : " + labels(Taxonomy::theme, c.themes) + "\n";
  out += "Types de ressource : " + labels(Taxonomy::resource_type, c.resource_types) + "\n";
  out += "Publics : " + labels(Taxonomy::public_, c.publics) + "\n";
  out += "Secteurs : " + labels(Taxonomy::sector, c.sectors) + "\n";
  out += "Coût : " + c.cost + (c.cost_cents ? " (" + format_euros(*c.cost_cents) + ")" : "") + "\n";
  out += "Partenaires : " + join(c.partners) + "\n";
  out += "Contact : " + c.contact.name + " " + c.contact.email + " " + c.contact.phone + "\n";
  for (const auto& l : c.links) out += "Lien : " + l.title + " <" + l.url + ">\n";
  out += "Licence : " + c.licence + "\n";
  return out;
}

std::string to_json(const Content& c) {
  nlohmann::json links = nlohmann::json::array();
  for (const auto& l : c.links) links.push_back({{"url", l.url}, {"title", l.title}});
  nlohmann::json j = {{"title", c.title},
                      {"summary", c.summary},
                      {"body", c.body},
                      {"communes", c.communes},
                      {"themes", c.themes},
                      {"types", c.resource_types},
                      {"publics", c.publics},
                      {"sectors", c.sectors},
                      {"cost", c.cost},
                      {"cost_cents", c.cost_cents ? nlohmann::json(*c.cost_cents) : nlohmann::json(nullptr)},
                      {"partners", c.partners},
                      {"contact", {{"name", c.contact.name}, {"email", c.contact.email}, {"phone", c.contact.phone}}},
                      {"links", links},
                      {"licence", c.licence}};
  return j.dump();
}

std::optional<Content> content_from_json(std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  auto text = [](const nlohmann::json& o, const char* k) { return o.contains(k) && o[k].is_string() ? o[k].get<std::string>() : std::string(); };
  auto list = [](const nlohmann::json& o, const char* k) {
    std::vector<std::string> out;
    if (o.contains(k) && o[k].is_array())
      for (const auto& v : o[k])
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
  };
  Content c;
  c.title = text(j, "title");
  c.summary = text(j, "summary");
  c.body = text(j, "body");
  c.communes = list(j, "communes");
  c.themes = list(j, "themes");
  c.resource_types = list(j, "types");
  c.publics = list(j, "publics");
  c.sectors = list(j, "sectors");
  c.cost = text(j, "cost");
  if (j.contains("cost_cents") && j["cost_cents"].is_number_integer()) c.cost_cents = j["cost_cents"].get<int64_t>();
  c.partners = list(j, "partners");
  if (j.contains("contact") && j["contact"].is_object()) c.contact = {text(j["contact"], "name"), text(j["contact"], "email"), text(j["contact"], "phone")};
  if (j.contains("links") && j["links"].is_array())
    for (const auto& l : j["links"])
      if (l.is_object()) c.links.push_back({text(l, "url"), text(l, "title")});
  c.licence = text(j, "licence");
  if (c.licence.empty()) c.licence = std::string(kDefaultLicence);
  return c;
}

std::vector<DiffLine> diff_lines(std::string_view before, std::string_view after) {
  auto lines = [](std::string_view s) {
    std::vector<std::string_view> out;
    if (s.empty()) return out;
    for (auto l : str::split(s, '\n')) out.push_back(l);
    if (!out.empty() && out.back().empty()) out.pop_back();  // a final new line is no extra line
    return out;
  };
  auto a = lines(before), b = lines(after);
  std::vector<DiffLine> out;
  // Common head and tail first: edits are usually local, and this keeps the table small.
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  for (size_t i = 0; i < head; ++i) out.push_back({DiffLine::Op::kept, std::string(a[i])});
  size_t n = a.size() - head - tail, m = b.size() - head - tail;
  auto A = [&](size_t i) { return a[head + i]; };
  auto B = [&](size_t j) { return b[head + j]; };
  if (n * m <= 16'000'000) {
    // lcs[i][j] = length of the LCS of A[i..] and B[j..]
    std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;) at(i, j) = A(i) == B(j) ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    size_t i = 0, j = 0;
    while (i < n && j < m) {
      if (A(i) == B(j)) {
        out.push_back({DiffLine::Op::kept, std::string(A(i))});
        ++i, ++j;
      } else if (at(i + 1, j) >= at(i, j + 1)) {
        out.push_back({DiffLine::Op::removed, std::string(A(i++))});
      } else {
        out.push_back({DiffLine::Op::added, std::string(B(j++))});
      }
    }
    for (; i < n; ++i) out.push_back({DiffLine::Op::removed, std::string(A(i))});
    for (; j < m; ++j) out.push_back({DiffLine::Op::added, std::string(B(j))});
  } else {  // too big to compare line by line in reasonable memory: the whole middle changed
    for (size_t i = 0; i < n; ++i) out.push_back({DiffLine::Op::removed, std::string(A(i))});
    for (size_t j = 0; j < m; ++j) out.push_back({DiffLine::Op::added, std::string(B(j))});
  }
  for (size_t i = a.size() - tail; i < a.size(); ++i) out.push_back({DiffLine::Op::kept, std::string(a[i])});
  return out;
}

// --- Attachments ---

Result<CheckedFile> check_file(std::string_view bytes) {
  if (bytes.empty()) return Error::validation("fichier", "practices.file_empty");
  std::string_view b = bytes;
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  CheckedFile f;
  if (starts("\x89PNG\r\n\x1a\n")) f = {AttachmentKind::image, "image/png"};
  else if (starts("\xff\xd8\xff")) f = {AttachmentKind::image, "image/jpeg"};
  else if (b.size() > 12 && starts("RIFF") && b.substr(8, 4) == "WEBP") f = {AttachmentKind::image, "image/webp"};
  else if (starts("%PDF-")) f = {AttachmentKind::pdf, "application/pdf"};
  else return Error::validation("fichier", "practices.file_type_refused");
  size_t limit = f.kind == AttachmentKind::image ? kMaxImageBytes : kMaxPdfBytes;
  if (bytes.size() > limit)
    return Error::validation("fichier", f.kind == AttachmentKind::image ? "practices.image_too_large" : "practices.pdf_too_large");
  return f;
}

}  // namespace passerelle::practices
