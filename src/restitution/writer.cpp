#include "restitution/writer.hpp"

#include "restitution/departements.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

namespace passerelle::restitution {

namespace fs = std::filesystem;

double rounded(double x) { return std::round(x * 10000.0) / 10000.0; }

double per_10000(size_t count, int64_t population) {
  if (population <= 0) return 0;
  return std::round(static_cast<double>(count) * 1e6 / static_cast<double>(population)) / 100.0;
}

namespace {

nlohmann::ordered_json date_json(int64_t t) { return t == no_date ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(t); }

nlohmann::ordered_json counts_json(const std::vector<Count>& counts) {
  auto a = nlohmann::ordered_json::array();
  for (const auto& c : counts) a.push_back({{"code", c.key}, {"count", c.count}});
  return a;
}

}  // namespace

std::string to_json(const Restitution& r, const Corpus& corpus, const std::string& input_name) {
  using json = nlohmann::ordered_json;
  const Parameters& p = r.parameters;
  json out;
  out["format"] = "passerelle-restitution/1";
  out["input"] = {{"file", input_name}, {"format", corpus.format}, {"records", corpus.records},
                  {"contributions", r.contributions}, {"skipped", corpus.records - r.contributions}};
  json issues = json::object();
  for (const auto& [kind, count] : corpus.issue_counts) issues[kind] = count;
  out["input"]["issues"] = issues;
  if (!corpus.excluded.empty()) {
    json excluded = json::object();
    for (const auto& [kind, count] : corpus.excluded) excluded[kind] = count;
    out["input"]["excluded"] = excluded;  // left out before the analysis, only counted
  }
  json listed = json::array();
  for (const auto& i : corpus.issues) listed.push_back({{"line", i.line}, {"kind", i.kind}, {"skipped", i.skipped}});
  out["input"]["issue_lines"] = listed;
  out["parameters"] = {
      {"seed", p.seed}, {"campaign_min_words", p.campaign_min_words}, {"campaign_min_size", p.campaign_min_size},
      {"shingle_words", p.shingle_words}, {"minhash_bands", p.minhash_bands}, {"minhash_rows", p.minhash_rows},
      {"jaccard_threshold", p.jaccard_threshold}, {"themes", p.themes}, {"min_themes", p.min_themes},
      {"max_themes", p.max_themes}, {"min_units_for_themes", p.min_units_for_themes}, {"kmeans_sample", p.kmeans_sample},
      {"selection_sample", p.selection_sample}, {"silhouette_sample", p.silhouette_sample},
      {"kmeans_iterations", p.kmeans_iterations}, {"selection_iterations", p.selection_iterations}, {"min_df", p.min_df}, {"max_df", p.max_df}, {"max_terms", p.max_terms},
      {"label_terms", p.label_terms}, {"keywords", p.keywords}, {"quotes", p.quotes}};
  out["totals"] = {{"contributions", r.contributions},
                   {"units", r.units},
                   {"campaigns", r.campaigns.size()},
                   {"campaign_contributions", r.campaign_contributions},
                   {"exact_duplicates", r.exact_duplicates},
                   {"short_texts", r.short_texts},
                   {"with_date", r.with_date},
                   {"with_zip", r.with_zip},
                   {"zip_unknown", r.zip_unknown},
                   {"zip_ambiguous", r.zip_ambiguous}};
  json timeline = json::array();
  for (size_t i = 0; i < r.periods.size(); ++i) timeline.push_back({{"start", r.periods[i]}, {"count", r.timeline[i]}});
  out["timeline"] = {{"unit", r.period_unit}, {"periods", timeline}};
  auto departements = nlohmann::ordered_json::array();
  for (const auto& d : r.departements) {
    nlohmann::ordered_json e = {{"code", d.key}, {"count", d.count}};
    if (auto people = departement_population(d.key)) e["population"] = *people, e["per_10000"] = per_10000(d.count, *people);
    departements.push_back(std::move(e));
  }
  out["departements"] = std::move(departements);
  out["channels"] = counts_json(r.channels);
  json groups = json::array();
  for (const auto& g : r.groups) {
    json sil = json::array();
    for (auto [k, s] : g.silhouettes) sil.push_back({{"k", k}, {"silhouette", rounded(s)}});
    groups.push_back({{"name", g.name}, {"contributions", g.contributions}, {"units", g.units}, {"campaigns", g.campaigns},
                      {"campaign_contributions", g.campaign_contributions}, {"short_texts", g.short_texts},
                      {"themes", g.themes}, {"k", g.k}, {"k_automatic", g.k_automatic}, {"silhouettes", sil},
                      {"vocabulary", g.vocabulary}});
  }
  out["groups"] = groups;
  json campaigns = json::array();
  for (const auto& c : r.campaigns)
    campaigns.push_back({{"id", c.id}, {"group", corpus.groups[c.group]}, {"size", c.size}, {"exact_copies", c.exact_copies},
                         {"share", rounded(c.share)}, {"first", date_json(c.first)}, {"last", date_json(c.last)},
                         {"theme", c.theme == none ? json(nullptr) : json(c.theme + 1)},
                         {"representative", {{"id", corpus.items[c.representative].id}, {"line", corpus.items[c.representative].line}}}});
  out["campaigns"] = campaigns;
  json themes = json::array();
  for (const auto& t : r.themes) {
    json quotes = json::array();
    for (const auto& q : t.quotes)
      quotes.push_back({{"id", corpus.items[q.contribution].id}, {"line", corpus.items[q.contribution].line},
                        {"cosine", rounded(q.cosine)}, {"text", q.text}});
    themes.push_back({{"id", t.id}, {"group", corpus.groups[t.group]}, {"label", t.label}, {"keywords", t.keywords},
                      {"units", t.units}, {"contributions", t.contributions}, {"campaign_contributions", t.campaign_contributions},
                      {"share", rounded(t.share)}, {"cohesion", rounded(t.cohesion)}, {"quotes", quotes}, {"trend", t.trend},
                      {"departements", counts_json(t.departements)}});
  }
  out["themes"] = themes;
  return out.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string csv_field(std::string_view value) {
  bool quote = value.find_first_of(",;\"\n\r") != std::string_view::npos;
  if (!quote) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string to_csv(const Restitution& r, const Corpus& corpus) {
  std::string out = "id,ligne,groupe,campagne,theme,theme_libelle,doublon_exact,mots,departement\n";
  out.reserve(corpus.items.size() * 48);
  for (size_t i = 0; i < corpus.items.size(); ++i) {
    const auto& c = corpus.items[i];
    const auto& a = r.assignments[i];
    out += csv_field(c.id);
    out += ',';
    out += std::to_string(c.line);
    out += ',';
    out += csv_field(corpus.groups[c.group]);
    out += ',';
    if (a.campaign != none) out += std::to_string(r.campaigns[a.campaign].id);
    out += ',';
    if (a.theme != none) out += std::to_string(r.themes[a.theme].id);
    out += ',';
    if (a.theme != none) out += csv_field(r.themes[a.theme].label);
    out += ',';
    out += a.exact_duplicate ? "1" : "0";
    out += ',';
    out += std::to_string(a.words);
    out += ',';
    out += a.departement;
    out += '\n';
  }
  return out;
}

Status write_directory(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  fs::path target = fs::absolute(fs::path(dir), ec);
  if (ec) return Error::validation("out", "restitution.error_write").with("file", dir);
  while (!target.empty() && target.filename().empty()) target = target.parent_path();  // "out/" → "out"
  fs::path parent = target.parent_path();
  fs::create_directories(parent, ec);
  std::string suffix = std::to_string(getpid());
  fs::path tmp = parent / ("." + target.filename().string() + ".tmp-" + suffix);
  fs::remove_all(tmp, ec);
  if (!fs::create_directory(tmp, ec) || ec) return Error::validation("out", "restitution.error_write").with("file", tmp.string());
  auto fail = [&](const fs::path& p) -> Status {
    std::error_code ignore;
    fs::remove_all(tmp, ignore);
    return Error::validation("out", "restitution.error_write").with("file", p.string());
  };
  for (const auto& [name, bytes] : files) {
    fs::path p = tmp / name;
    std::ofstream f(p, std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    f.close();
    if (!f) return fail(p);
  }
  fs::path old;
  if (fs::exists(target, ec)) {
    if (!fs::is_directory(target, ec)) return fail(target);
    old = parent / ("." + target.filename().string() + ".old-" + suffix);
    fs::remove_all(old, ec);
    fs::rename(target, old, ec);
    if (ec) return fail(target);
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignore;
    if (!old.empty()) fs::rename(old, target, ignore);
    return fail(target);
  }
  if (!old.empty()) fs::remove_all(old, ec);
  return Ok{};
}

}  // namespace passerelle::restitution
