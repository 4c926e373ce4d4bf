// Generates a synthetic but realistic French corpus for the search benchmark, as JSON Lines.
//
//   bench_search_generate --docs 1000000 --seed 42 --data /work/shared/research-data --out docs.jsonl
//
// Text: a word bigram Markov chain trained on the real Grand Débat contributions (question,
// title and text of granddebat/annotated-dev.jsonl) and on the services offered by the real
// places of lieux/*.json. Sentences start where real sentences start, end on . ! or ? (at most
// 60 words), and are capitalised. The chain alone knows ~20,000 word forms; to reach the
// vocabulary of a large site (≥ 50,000 distinct words), 5% of the words are replaced by a draw,
// Zipf-distributed (s = 0.9), from a lexicon of (a) real commune names (territoires/communes-reference-2026.csv)
// and lieux-dits (laposte-hexasmal-2020.csv, Ligne_5), (b) words of the names of real places and
// structures (lieux/*.json "nom", aidants-connect and france-services names) and (c) inflected forms of the chain's words made
// with regular French morphology (plural, feminine -e/-ive/-euse/-rice/-elle/-enne, -ée, adverbs
// in -ment, the common forms of -er and -ir verbs), most of which are real words.
//
// Facets: themes, resource types, publics and professional sectors are the "Les Bases du
// numérique d'intérêt général" taxonomies (standards.md); their real distribution is not
// published, so values are drawn with Zipf weights (s = 0.9) in the order of the taxonomy,
// 1–3 themes, 1–2 types, 1–3 publics, 1–2 sectors. The département and commune come from a
// uniformly drawn real place of lieux/*.json (distinct ids): the real geographic distribution
// of médiation numérique places. Dates are uniform in 2019–2026. Kinds: 70% practice,
// 20% contribution, 10% place.
//
// Deterministic: the same seed, data and N give the same bytes. Prints statistics on stderr.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "text/analyzer.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// splitmix64: tiny, fast, and the same on every platform (std distributions are not).
struct Rng {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return n ? static_cast<size_t>(next() % n) : 0; }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  size_t between(size_t lo, size_t hi) { return lo + below(hi - lo + 1); }  // inclusive
};

// Draws an index with weights 1/(rank+1)^s.
struct Zipf {
  std::vector<double> cumulative;
  Zipf(size_t n, double s, double offset = 1.0) {
    double total = 0;
    for (size_t r = 0; r < n; ++r) cumulative.push_back(total += 1.0 / std::pow(r + offset, s));
  }
  size_t draw(Rng& rng) const {
    double x = rng.unit() * cumulative.back();
    return std::min<size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin(),
                            cumulative.size() - 1);
  }
};

bool is_punct(const std::string& t) { return t.size() == 1 && std::string_view(".,;:!?").find(t[0]) != std::string_view::npos; }
bool ends_sentence(const std::string& t) { return t == "." || t == "!" || t == "?"; }

// Splits on spaces, then detaches leading/trailing punctuation as tokens of their own.
void tokenize(const std::string& text, std::vector<std::string>& out) {
  std::istringstream in(text);
  std::string raw;
  while (in >> raw) {
    while (!raw.empty() && std::string_view("(\"«").find(raw.front()) != std::string_view::npos) raw.erase(0, 1);
    std::vector<std::string> tail;
    while (!raw.empty() && std::string_view(".,;:!?)\"»…").find(raw.back()) != std::string_view::npos) {
      char c = raw.back();
      raw.pop_back();
      if (std::string_view(".,;:!?").find(c) != std::string_view::npos)
        tail.insert(tail.begin(), std::string(1, c));
    }
    if (raw.size() >= 3 && raw.compare(raw.size() - 3, 3, "\xE2\x80\xA6") == 0) raw.resize(raw.size() - 3);
    if (!raw.empty()) out.push_back(raw);
    // "..." or "?!" keep only one mark
    if (!tail.empty()) out.push_back(tail.back());
  }
}

std::string capitalise(std::string w) {
  if (w.empty()) return w;
  auto c = static_cast<unsigned char>(w[0]);
  if (c >= 'a' && c <= 'z') w[0] = static_cast<char>(c - 32);
  else if (c == 0xC3 && w.size() > 1 && static_cast<unsigned char>(w[1]) >= 0xA0 &&
           static_cast<unsigned char>(w[1]) <= 0xBE)  // à…þ → À…Þ
    w[1] = static_cast<char>(static_cast<unsigned char>(w[1]) - 0x20);
  return w;
}

// "LE BOURG NEUF" → "Le Bourg Neuf" (ASCII upper-case input, as in the La Poste file).
std::string title_case(const std::string& upper) {
  std::string out = upper;
  bool start = true;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z' && !start) c = static_cast<char>(c + 32);
    start = c == ' ' || c == '-' || c == '\'';
  }
  return out;
}

bool ends_with(const std::string& w, std::string_view s) {
  return w.size() >= s.size() && std::string_view(w).substr(w.size() - s.size()) == s;
}

// Regular French inflections of a lower-case word; most are real words.
void inflect(const std::string& w, std::vector<std::string>& out) {
  auto cut = [&](size_t n) { return w.substr(0, w.size() - n); };
  if (ends_with(w, "er")) {
    std::string r = cut(2);
    for (const char* e : {"e", "es", "ons", "ez", "ent", "ait", "aient", "era", "eront", "é", "ée", "és", "ées", "ant"})
      out.push_back(r + e);
    return;
  }
  if (ends_with(w, "ir")) {
    std::string r = cut(2);
    for (const char* e : {"it", "is", "issent", "issons", "issez", "issait", "issaient", "ira", "i", "ie", "ies", "issant"})
      out.push_back(r + e);
    return;
  }
  if (ends_with(w, "ique")) out.push_back(w + "s"), out.push_back(w + "ment");
  else if (ends_with(w, "able")) out.push_back(w + "s"), out.push_back(w + "ment");
  else if (ends_with(w, "al")) out.push_back(cut(2) + "aux"), out.push_back(w + "e"), out.push_back(w + "ement");
  else if (ends_with(w, "tion")) out.push_back(w + "s"), out.push_back(w + "nel"), out.push_back(w + "nelle");
  else if (ends_with(w, "if")) out.push_back(cut(2) + "ive"), out.push_back(cut(2) + "ives"), out.push_back(w + "s"), out.push_back(cut(2) + "ivement");
  else if (ends_with(w, "eux")) out.push_back(cut(1) + "se"), out.push_back(cut(1) + "ses");
  else if (ends_with(w, "ateur")) out.push_back(cut(5) + "atrice"), out.push_back(cut(5) + "atrices"), out.push_back(w + "s");
  else if (ends_with(w, "eur")) out.push_back(cut(1) + "se"), out.push_back(w + "s");
  else if (ends_with(w, "el")) out.push_back(w + "le"), out.push_back(w + "les"), out.push_back(w + "s");
  else if (ends_with(w, "en")) out.push_back(w + "ne"), out.push_back(w + "nes"), out.push_back(w + "s");
  else if (ends_with(w, "é")) out.push_back(w + "e"), out.push_back(w + "s"), out.push_back(w + "es");
  else if (ends_with(w, "s") || ends_with(w, "x") || ends_with(w, "z")) return;
  else out.push_back(w + "s");
}

bool lower_alpha_word(const std::string& w) {
  if (w.size() < 5) return false;
  for (unsigned char c : w)
    if (!((c >= 'a' && c <= 'z') || c >= 0x80)) return false;
  return static_cast<unsigned char>(w[0]) >= 'a' && static_cast<unsigned char>(w[0]) <= 'z';
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) cells.push_back(cell), cell.clear();
    else cell.push_back(c);
  }
  cells.push_back(cell);
  return cells;
}

std::string departement_of(const std::string& postal) {
  if (postal.size() != 5) return "";
  if (postal.compare(0, 2, "97") == 0 || postal.compare(0, 2, "98") == 0) return postal.substr(0, 3);
  if (postal.compare(0, 2, "20") == 0) return postal[2] <= '1' ? "2A" : "2B";
  return postal.substr(0, 2);
}

struct Place {
  std::string commune, departement;
};

struct Chain {
  std::vector<std::string> tokens;                 // id → token
  std::unordered_map<std::string, uint32_t> ids;
  std::vector<std::vector<uint32_t>> next;         // id → following ids, with repetitions (= frequency)
  std::vector<uint32_t> starts;                    // ids that start sentences, with repetitions

  uint32_t id(const std::string& t) {
    auto [it, fresh] = ids.emplace(t, static_cast<uint32_t>(tokens.size()));
    if (fresh) tokens.push_back(t), next.emplace_back();
    return it->second;
  }
  void learn(const std::vector<std::string>& toks) {
    bool at_start = true;
    uint32_t previous = 0;
    for (const auto& t : toks) {
      uint32_t cur = id(t);
      if (at_start) {
        if (!is_punct(t)) starts.push_back(cur);
      } else {
        next[previous].push_back(cur);
      }
      at_start = ends_sentence(t);
      previous = cur;
    }
    if (!at_start) next[previous].push_back(id("."));
  }
};

const std::vector<std::string> themes = {
    "Maîtrise des outils numériques", "Aides aux démarches administratives", "Navigation sur internet",
    "Diagnostic de compétences numériques", "Réseaux sociaux et communication", "Citoyenneté et engagement",
    "Accessibilité", "Risques cyber et protection", "Emploi et entrepreneuriat", "Éducation aux médias",
    "Parentalité", "Numérique en santé", "Sobriété numérique", "Matériel reconditionné",
    "Usages responsables du numérique", "Loisirs et créations numériques", "Code et programmation", "Données",
    "Mobilités", "Communs numériques", "Intelligence artificielle", "Open source et licences libres",
    "Jeux vidéos", "Économie numérique", "Gouvernances partagées", "Territoires connectés et durables",
    "Numérique au service de l'environnement", "Écoconception de services numériques",
    "Souveraineté numérique et hébergement des données"};
const std::vector<std::string> resource_types = {
    "Ressource pédagogique", "Outils numériques", "Article", "Méthodologie", "Boîte à outils",
    "Vidéo/webinaire", "Infographie", "Questionnaire", "Annuaire"};
const std::vector<std::string> publics = {
    "Tous publics", "Adultes", "Seniors/personnes âgées", "Personnes très éloignées du numérique",
    "Insertion sociale ou professionnelle", "Parents", "Enfants mineurs",
    "Situation de handicap ou perte d'autonomie", "Allophones/réfugiés/demandeurs d'asile", "Illettrisme"};
const std::vector<std::string> sectors = {
    "Aidants et médiateurs numériques", "Acteurs publics", "Acteurs privés et associatifs", "Autres professionnels"};

std::vector<std::string> pick_some(Rng& rng, const std::vector<std::string>& values, const Zipf& zipf, size_t lo, size_t hi) {
  size_t n = rng.between(lo, hi);
  std::vector<std::string> out;
  for (size_t tries = 0; out.size() < n && tries < 20; ++tries) {
    const std::string& v = values[zipf.draw(rng)];
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  size_t docs = 1'000'000;
  uint64_t seed = 42;
  std::string data = "/work/shared/research-data", out_path = "-";
  bool stats = true;
  for (int k = 1; k < argc; ++k) {
    std::string a = argv[k];
    auto value = [&]() -> std::string {
      if (k + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++k];
    };
    if (a == "--docs") docs = std::stoull(value());
    else if (a == "--seed") seed = std::stoull(value());
    else if (a == "--data") data = value();
    else if (a == "--out") out_path = value();
    else if (a == "--no-stats") stats = false;
    else {
      std::cerr << "usage: bench_search_generate [--docs N] [--seed S] [--data DIR] [--out FILE] [--no-stats]\n";
      return 2;
    }
  }
  auto started = std::chrono::steady_clock::now();

  // 1. The chain, from real texts.
  Chain chain;
  {
    std::ifstream in(data + "/granddebat/annotated-dev.jsonl");
    if (!in) throw std::runtime_error("cannot read " + data + "/granddebat/annotated-dev.jsonl");
    std::string line;
    std::vector<std::string> toks;
    while (std::getline(in, line)) {
      auto j = json::parse(line);
      for (const char* field : {"question", "title", "text"}) {
        toks.clear();
        tokenize(j.value(field, ""), toks);
        chain.learn(toks);
      }
    }
  }
  std::vector<Place> places;
  std::vector<std::string> place_names;
  {
    std::set<std::string> seen_ids, seen_services;
    for (const auto& entry : fs::directory_iterator(data + "/lieux")) {
      if (entry.path().extension() != ".json" || entry.path().filename().string().find("fields") != std::string::npos) continue;
      std::ifstream in(entry.path());
      json list = json::parse(in);
      if (!list.is_array()) continue;
      std::vector<std::string> toks;
      for (const auto& place : list) {
        std::string id = place.value("id", "");
        if (!seen_ids.insert(id).second) continue;
        std::string postal = place.contains("code_postal") && place["code_postal"].is_string() ? place["code_postal"].get<std::string>() : "";
        std::string commune = place.contains("commune") && place["commune"].is_string() ? place["commune"].get<std::string>() : "";
        if (!departement_of(postal).empty() && !commune.empty()) places.push_back({commune, departement_of(postal)});
        if (place.contains("nom") && place["nom"].is_string()) place_names.push_back(place["nom"].get<std::string>());
        if (place.contains("services") && place["services"].is_string()) {
          std::string services = place["services"].get<std::string>() + ";";
          for (size_t from = 0, to; (to = services.find_first_of(";|", from)) != std::string::npos; from = to + 1) {
            std::string phrase = services.substr(from, to - from);
            if (phrase.empty() || !seen_services.insert(phrase).second) continue;  // each service once
            toks.clear();
            tokenize(phrase + ".", toks);
            chain.learn(toks);
          }
        }
      }
    }
  }
  std::map<std::string, std::string> departement_names;
  {
    std::ifstream in(data + "/territoires/v_departement_2023.csv");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      auto cells = split_csv_line(line);
      if (cells.size() >= 7) departement_names[cells[0]] = cells[6];
    }
  }
  // 2. The lexicon of rarer words.
  std::vector<std::string> lexicon;
  {
    std::unordered_set<std::string> known(chain.tokens.begin(), chain.tokens.end()), added;
    auto add = [&](const std::string& w) {
      if (!w.empty() && !known.count(w) && added.insert(w).second) lexicon.push_back(w);
    };
    std::ifstream in(data + "/territoires/communes-reference-2026.csv");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      auto cells = split_csv_line(line);
      if (cells.size() > 1) add(cells[1]);
    }
    // Lieux-dits and former communes of the La Poste file ("LE BOURG NEUF" → "Le Bourg Neuf").
    std::ifstream poste(data + "/territoires/laposte-hexasmal-2020.csv");
    std::getline(poste, line);
    while (std::getline(poste, line)) {
      std::vector<std::string> cells;
      for (size_t from = 0, to = 0; to != std::string::npos; from = to + 1) cells.push_back(line.substr(from, (to = line.find(';', from)) - from));
      if (cells.size() > 3 && !cells[3].empty()) add(title_case(cells[3]));
    }
    // Names of real structures (Aidants Connect, France services): more proper names.
    for (const char* file : {"/aidants-connect/aidants-connect-structures-20240212.csv", "/france-services/liste-france-services-20221201.csv"}) {
      std::ifstream structures(data + file);
      std::getline(structures, line);
      while (std::getline(structures, line)) {
        auto cells = split_csv_line(line);
        if (cells.empty()) continue;
        std::vector<std::string> toks;
        tokenize(cells[0].find_first_not_of("0123456789") == std::string::npos && cells.size() > 2 ? cells[2] : cells[0], toks);
        for (const auto& t : toks)
          if (!is_punct(t) && t.size() > 3) add(t);
      }
    }
    for (const auto& name : place_names) {
      std::vector<std::string> toks;
      tokenize(name, toks);
      for (const auto& t : toks)
        if (!is_punct(t) && t.size() > 3) add(t);
    }
    std::vector<std::string> forms;
    for (const auto& t : chain.tokens)
      if (lower_alpha_word(t)) forms.clear(), inflect(t, forms), std::for_each(forms.begin(), forms.end(), add);
    Rng shuffle{seed ^ 0x5EEDull};
    for (size_t k = lexicon.size(); k > 1; --k) std::swap(lexicon[k - 1], lexicon[shuffle.below(k)]);
  }
  if (places.empty() || chain.starts.empty()) throw std::runtime_error("no training data found in " + data);
  Zipf lexicon_zipf(lexicon.size(), 0.9, 2.0);
  Zipf theme_zipf(themes.size(), 0.9), type_zipf(resource_types.size(), 0.9), public_zipf(publics.size(), 0.9),
      sector_zipf(sectors.size(), 0.9);

  // 3. Documents.
  std::ofstream file;
  if (out_path != "-") {
    file.open(out_path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot write " + out_path);
  }
  std::ostream& out = out_path == "-" ? std::cout : file;
  Rng rng{seed};
  passerelle::text::Analyzer analyzer;
  std::unordered_set<std::string> distinct_words, distinct_terms;
  std::vector<passerelle::text::Word> words;
  uint64_t total_words = 0;

  auto sentence = [&](std::string& into, size_t& count, size_t max_words) {
    uint32_t cur = chain.starts[rng.below(chain.starts.size())];
    bool first = true;
    size_t n = 0;
    while (true) {
      const std::string& token = chain.tokens[cur];
      bool punct = is_punct(token);
      if (!punct) {
        std::string w = rng.unit() < 0.05 ? lexicon[lexicon_zipf.draw(rng)] : token;
        if (first) w = capitalise(std::move(w));
        if (!into.empty()) into.push_back(' ');
        into += w;
        ++n;
        first = false;
      } else if (ends_sentence(token) || n >= max_words) {
        into += ends_sentence(token) ? token : ".";
        break;
      } else {
        into += token;
      }
      if (n >= max_words) {
        into += ".";
        break;
      }
      const auto& following = chain.next[cur];
      if (following.empty()) {
        into += ".";
        break;
      }
      cur = following[rng.below(following.size())];
    }
    count += n;
  };

  for (size_t d = 1; d <= docs; ++d) {
    std::string title, summary, body;
    size_t count = 0, title_words = 0;
    sentence(title, title_words, rng.between(4, 10));
    while (!title.empty() && std::string_view(".!?").find(title.back()) != std::string_view::npos) title.pop_back();
    sentence(summary, count, 40);
    size_t target = rng.between(100, 250);
    while (count < target) sentence(body, count, 60);
    count += title_words;
    total_words += count;

    const Place& place = places[rng.below(places.size())];
    auto name = departement_names.find(place.departement);
    std::string departement = (name != departement_names.end() ? name->second : place.departement) + " (" + place.departement + ")";
    double kind_draw = rng.unit();
    json doc = {
        {"id", d},
        {"kind", kind_draw < 0.7 ? "practice" : kind_draw < 0.9 ? "contribution" : "place"},
        {"territory", place.departement},
        {"title", title},
        {"summary", summary},
        {"body", body},
        {"date", 1546300800 + static_cast<int64_t>(rng.below(8 * 365 * 86400))},
        {"facets",
         {{"theme", pick_some(rng, themes, theme_zipf, 1, 3)},
          {"resource_type", pick_some(rng, resource_types, type_zipf, 1, 2)},
          {"public", pick_some(rng, publics, public_zipf, 1, 3)},
          {"sector", pick_some(rng, sectors, sector_zipf, 1, 2)},
          {"departement", {departement}},
          {"commune", {place.commune}}}}};
    out << doc.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';

    if (stats) {
      for (const std::string* field : {&title, &summary, &body}) {
        words.clear();
        analyzer.words(*field, words);
        for (const auto& w : words)
          if (distinct_words.insert(w.folded).second && !w.stop) distinct_terms.insert(analyzer.stem(w.folded));
      }
    }
  }
  out.flush();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << "generated " << docs << " documents, " << total_words << " words (" << (docs ? total_words / docs : 0)
            << " per document) in " << seconds << " s; chain: " << chain.tokens.size() << " tokens, lexicon: "
            << lexicon.size() << " words, places: " << places.size() << "\n";
  if (stats)
    std::cerr << "distinct folded words: " << distinct_words.size() << ", distinct terms (stems): " << distinct_terms.size()
              << "\n";
  return 0;
}
