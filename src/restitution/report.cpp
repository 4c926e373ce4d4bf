#include "restitution/report.hpp"

#include <algorithm>
#include <cstdio>

#include "platform/html/builder.hpp"
#include "platform/i18n/format.hpp"
#include "restitution/departements.hpp"
#include "restitution/engine.hpp"
#include "restitution/writer.hpp"

namespace passerelle::restitution {
namespace {

using html::Builder;

constexpr const char* style = R"(
body{font-family:system-ui,sans-serif;line-height:1.5;max-width:62rem;margin:0 auto;padding:1rem;color:#1e1e1e}
h1,h2,h3{line-height:1.25}table{border-collapse:collapse;margin:1rem 0}caption{text-align:left;font-weight:bold}
th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:left;vertical-align:top}td.n,th.n{text-align:right}
blockquote{border-left:4px solid #000091;margin:.75rem 0;padding:.25rem 1rem;background:#f5f5fe}
.chart{max-width:100%;height:auto}.bar{fill:#000091}.axis{font-size:12px;fill:#1e1e1e}
.skip{position:absolute;left:-10000px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
a{color:#000091}dl.params{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.params dd{margin:0}
@media print{body{max-width:none;font-size:11pt}nav,.skip{display:none}section{break-inside:avoid-page}
a{color:inherit;text-decoration:none}blockquote{background:none}h2{break-before:page}h2:first-of-type{break-before:auto}}
)";

struct Context {
  const Restitution& r;
  const Corpus& corpus;
  i18n::Locale locale;
  const ReportOptions& options;
  void note(Builder& b, uint32_t contribution) const {
    if (!options.quote_note) return;
    std::string n = options.quote_note(contribution);
    if (!n.empty()) b.el("p", {{"class", "muted"}}, n);
  }
  std::string t(std::string_view key, i18n::Args args = {}) const { return i18n::Catalog::instance().tr(locale, key, args); }
  std::string num(size_t v) const { return i18n::format_integer(locale, static_cast<int64_t>(v)); }
  std::string pct(double share) const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", rounded(share) * 100.0);
    std::string s = buf;
    if (locale == i18n::Locale::fr) std::replace(s.begin(), s.end(), '.', ',');
    return s + (locale == i18n::Locale::fr ? "\u202f%" : "%");
  }
  std::string decimal(double v, int digits = 3) const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    std::string s = buf;
    if (locale == i18n::Locale::fr) std::replace(s.begin(), s.end(), '.', ',');
    return s;
  }
  std::string date(int64_t t) const { return t == no_date ? "—" : i18n::format_date(locale, t, "UTC"); }
  std::string period(size_t i) const {
    std::string d = date(r.periods[i]);
    if (r.period_unit == "week") return t("restitution.week_of", {{"date", d}});
    if (r.period_unit == "month") {
      // "janvier 2019": the date without its day number.
      auto space = d.find(' ');
      return space == std::string::npos ? d : d.substr(space + 1);
    }
    return d;
  }
  std::string theme_title(const Theme& th) const {
    return th.label.empty() ? t("restitution.theme_unnamed", {{"n", std::to_string(th.id)}}) : th.label;
  }
};

// A horizontal bar chart; the table that follows it carries the same numbers.
void bar_chart(Builder& b, const std::string& id, const std::string& title, const std::string& description,
               const std::vector<std::pair<std::string, size_t>>& bars) {
  size_t max = 1;
  for (const auto& [label, v] : bars) max = std::max(max, v);
  int row = 22, label_w = 260, width = 720, height = static_cast<int>(bars.size()) * row + 10;
  std::string h = std::to_string(height);
  auto svg = b.scope("svg", {{"class", "chart"}, {"role", "img"}, {"viewBox", "0 0 " + std::to_string(width) + " " + h},
                             {"width", std::to_string(width)}, {"height", h}, {"aria-labelledby", id + "-t " + id + "-d"}});
  b.el("title", {{"id", id + "-t"}}, title);
  b.el("desc", {{"id", id + "-d"}}, description);
  for (size_t i = 0; i < bars.size(); ++i) {
    int y = static_cast<int>(i) * row + 5;
    std::string label = bars[i].first.size() > 40 ? bars[i].first.substr(0, 37) : bars[i].first;
    while (!label.empty() && (static_cast<unsigned char>(label.back()) & 0xC0) == 0x80) label.pop_back();
    if (label.size() < bars[i].first.size()) {
      if (!label.empty() && (static_cast<unsigned char>(label.back()) & 0xC0) == 0xC0) label.pop_back();
      label += "…";
    }
    b.el("text", {{"class", "axis"}, {"x", "0"}, {"y", std::to_string(y + 14)}}, label);
    int w = static_cast<int>((width - label_w - 60) * static_cast<double>(bars[i].second) / static_cast<double>(max));
    b.void_el("rect", {{"class", "bar"}, {"x", std::to_string(label_w)}, {"y", std::to_string(y + 3)},
                       {"width", std::to_string(std::max(w, 1))}, {"height", std::to_string(row - 8)}});
    b.el("text", {{"class", "axis"}, {"x", std::to_string(label_w + w + 6)}, {"y", std::to_string(y + 14)}}, std::to_string(bars[i].second));
  }
}

void count_table(Builder& b, const Context& c, const std::string& caption, const std::string& head_key,
                 const std::vector<std::pair<std::string, size_t>>& rows, size_t total) {
  auto table = b.scope("table");
  b.el("caption", caption);
  {
    auto thead = b.scope("thead");
    auto tr = b.scope("tr");
    b.el("th", {{"scope", "col"}}, c.t(head_key));
    b.el("th", {{"scope", "col"}, {"class", "n"}}, c.t("restitution.col_count"));
    b.el("th", {{"scope", "col"}, {"class", "n"}}, c.t("restitution.col_share"));
  }
  auto tbody = b.scope("tbody");
  for (const auto& [label, v] : rows) {
    auto tr = b.scope("tr");
    b.el("th", {{"scope", "row"}}, label);
    b.el("td", {{"class", "n"}}, c.num(v));
    b.el("td", {{"class", "n"}}, c.pct(total ? static_cast<double>(v) / static_cast<double>(total) : 0));
  }
}

void volumes(Builder& b, const Context& c) {
  auto sec = b.scope("section", {{"aria-labelledby", "volumes"}});
  b.el("h2", {{"id", "volumes"}}, c.t("restitution.volumes"));
  {
    auto table = b.scope("table");
    b.el("caption", c.t("restitution.volumes_caption"));
    auto tbody = b.scope("tbody");
    auto line = [&](const std::string& key, size_t v) {
      auto tr = b.scope("tr");
      b.el("th", {{"scope", "row"}}, c.t(key));
      b.el("td", {{"class", "n"}}, c.num(v));
    };
    line("restitution.records", c.corpus.records);
    line("restitution.skipped", c.corpus.records - c.r.contributions);
    line("restitution.contributions", c.r.contributions);
    line("restitution.campaign_contributions", c.r.campaign_contributions);
    line("restitution.campaigns_count", c.r.campaigns.size());
    line("restitution.units", c.r.units);
    line("restitution.short_texts", c.r.short_texts);
  }
  b.el("p", c.t("restitution.units_explained"));
  if (!c.r.channels.empty()) {
    std::vector<std::pair<std::string, size_t>> rows;
    for (const auto& ch : c.r.channels) rows.emplace_back(ch.key, ch.count);
    count_table(b, c, c.t("restitution.channels_caption"), "restitution.col_channel", rows, c.r.contributions);
  }
  if (c.options.after_volumes) c.options.after_volumes(b);
}

void timeline(Builder& b, const Context& c) {
  auto sec = b.scope("section", {{"aria-labelledby", "chronologie"}});
  b.el("h2", {{"id", "chronologie"}}, c.t("restitution.timeline"));
  if (c.r.periods.empty()) {
    b.el("p", c.t("restitution.no_dates"));
    return;
  }
  std::vector<std::pair<std::string, size_t>> bars;
  for (size_t i = 0; i < c.r.periods.size(); ++i) bars.emplace_back(c.period(i), c.r.timeline[i]);
  bar_chart(b, "graph-chrono", c.t("restitution.timeline_chart", {{"unit", c.t("restitution.unit_" + c.r.period_unit)}}),
            c.t("restitution.chart_desc_table"), bars);
  count_table(b, c, c.t("restitution.timeline_caption", {{"unit", c.t("restitution.unit_" + c.r.period_unit)}}),
              "restitution.col_period", bars, c.r.with_date);
}

void geography(Builder& b, const Context& c) {
  auto sec = b.scope("section", {{"aria-labelledby", "geographie"}});
  b.el("h2", {{"id", "geographie"}}, c.t("restitution.geography"));
  if (c.r.departements.empty()) {
    b.el("p", c.t("restitution.no_zip"));
    return;
  }
  b.el("p", c.t("restitution.geography_note", {{"with", c.num(c.r.with_zip)}, {"unknown", c.num(c.r.zip_unknown)},
                                               {"ambiguous", c.num(c.r.zip_ambiguous)}}));
  // Beside the population, so that a council reads participation, not only size.
  auto table = b.scope("table");
  b.el("caption", c.t("restitution.departements_caption"));
  {
    auto thead = b.scope("thead");
    auto tr = b.scope("tr");
    b.el("th", {{"scope", "col"}}, c.t("restitution.col_departement"));
    b.el("th", {{"scope", "col"}, {"class", "n"}}, c.t("restitution.col_count"));
    b.el("th", {{"scope", "col"}, {"class", "n"}}, c.t("restitution.col_share"));
    b.el("th", {{"scope", "col"}, {"class", "n"}}, c.t("restitution.col_population"));
    b.el("th", {{"scope", "col"}, {"class", "n"}}, c.t("restitution.col_per_10000"));
  }
  auto tbody = b.scope("tbody");
  for (const auto& d : c.r.departements) {
    auto tr = b.scope("tr");
    b.el("th", {{"scope", "row"}}, d.key + " " + departement_name(d.key));
    b.el("td", {{"class", "n"}}, c.num(d.count));
    b.el("td", {{"class", "n"}}, c.pct(c.r.with_zip ? static_cast<double>(d.count) / static_cast<double>(c.r.with_zip) : 0));
    auto people = departement_population(d.key);
    b.el("td", {{"class", "n"}}, people ? c.num(static_cast<size_t>(*people)) : "—");
    b.el("td", {{"class", "n"}}, people ? c.decimal(per_10000(d.count, *people), 2) : "—");
  }
}

void campaigns(Builder& b, const Context& c) {
  auto sec = b.scope("section", {{"aria-labelledby", "campagnes"}});
  b.el("h2", {{"id", "campagnes"}}, c.t("restitution.campaigns"));
  b.el("p", c.t("restitution.campaigns_intro", {{"count", c.num(c.r.campaigns.size())},
                                                {"contributions", c.num(c.r.campaign_contributions)},
                                                {"share", c.pct(c.r.contributions ? static_cast<double>(c.r.campaign_contributions) / c.r.contributions : 0)}}));
  if (c.r.campaigns.empty()) return;
  size_t shown = std::min<size_t>(c.r.campaigns.size(), 30);
  auto table = b.scope("table");
  b.el("caption", c.t("restitution.campaigns_caption", {{"shown", c.num(shown)}, {"count", c.num(c.r.campaigns.size())}}));
  {
    auto thead = b.scope("thead");
    auto tr = b.scope("tr");
    for (const char* key : {"restitution.col_campaign", "restitution.col_size", "restitution.col_share", "restitution.col_first",
                            "restitution.col_last", "restitution.col_theme", "restitution.col_text"})
      b.el("th", {{"scope", "col"}}, c.t(key));
  }
  auto tbody = b.scope("tbody");
  for (size_t i = 0; i < shown; ++i) {
    const Campaign& camp = c.r.campaigns[i];
    auto tr = b.scope("tr");
    b.el("th", {{"scope", "row"}}, std::to_string(camp.id));
    b.el("td", {{"class", "n"}}, c.num(camp.size));
    b.el("td", {{"class", "n"}}, c.pct(camp.share));
    b.el("td", c.date(camp.first));
    b.el("td", c.date(camp.last));
    b.el("td", camp.theme == none ? std::string("—") : c.theme_title(c.r.themes[camp.theme]));
    // The representative text, masked, as a quote is.
    std::string text;
    for (const auto& th : c.r.themes)
      for (const auto& q : th.quotes)
        if (q.contribution == camp.representative) text = q.text;
    if (text.empty()) {
      Masks masks{c.t("restitution.mask_email"), c.t("restitution.mask_phone")};
      std::string_view body = c.corpus.items[camp.representative].text;
      text = mask_personal_data(body.size() > 400 ? std::string(body.substr(0, 400)) : std::string(body), masks);
      while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
      if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0xC0) text.pop_back();
      if (body.size() > 400) text += " …";
    }
    if (!c.options.quote_note) {
      b.el("td", text);
      continue;
    }
    auto td = b.scope("td");
    b.text(text);
    c.note(b, camp.representative);
  }
}

void themes(Builder& b, const Context& c) {
  auto sec = b.scope("section", {{"aria-labelledby", "themes"}});
  b.el("h2", {{"id", "themes"}}, c.t("restitution.themes"));
  b.el("p", c.t("restitution.themes_intro"));
  for (const auto& g : c.r.groups) {
    std::string gid = "groupe-" + std::to_string(g.group);
    auto gsec = b.scope("section", {{"aria-labelledby", gid}});
    b.el("h3", {{"id", gid}}, g.name.empty() ? c.t("restitution.all_contributions") : g.name);
    b.el("p", c.t("restitution.group_summary", {{"contributions", c.num(g.contributions)}, {"units", c.num(g.units)},
                                                 {"campaigns", c.num(g.campaigns)}, {"k", std::to_string(g.k)}}));
    std::vector<std::pair<std::string, size_t>> bars;
    for (uint32_t id : g.themes) bars.emplace_back(c.theme_title(c.r.themes[id - 1]), c.r.themes[id - 1].units);
    bar_chart(b, gid + "-graph", c.t("restitution.themes_chart"), c.t("restitution.chart_desc_list"), bars);
    for (uint32_t id : g.themes) {
      const Theme& th = c.r.themes[id - 1];
      std::string tid = "theme-" + std::to_string(th.id);
      auto tsec = b.scope("section", {{"aria-labelledby", tid}});
      b.el("h4", {{"id", tid}}, c.t("restitution.theme_heading", {{"n", std::to_string(th.id)}, {"label", c.theme_title(th)}}));
      b.el("p", c.t("restitution.theme_summary", {{"units", c.num(th.units)}, {"share", c.pct(th.share)},
                                                   {"contributions", c.num(th.contributions)},
                                                   {"campaign", c.num(th.campaign_contributions)}}));
      if (!th.keywords.empty()) {
        std::string kw;
        for (size_t i = 0; i < th.keywords.size(); ++i) kw += (i ? ", " : "") + th.keywords[i];
        b.el("p", c.t("restitution.keywords", {{"words", kw}}));
      }
      for (const auto& q : th.quotes) {
        auto fig = b.scope("figure");
        b.el("blockquote", q.text);
        auto caption = b.scope("figcaption");
        b.text(c.t("restitution.quote_source", {{"id", c.corpus.items[q.contribution].id}}));
        c.note(b, q.contribution);
      }
      if (!th.departements.empty()) {
        std::string deps;
        for (size_t i = 0; i < th.departements.size() && i < 5; ++i)
          deps += (i ? ", " : "") + departement_name(th.departements[i].key) + " (" + c.num(th.departements[i].count) + ")";
        b.el("p", c.t("restitution.theme_departements", {{"list", deps}}));
      }
      if (!th.trend.empty() && c.r.periods.size() > 1) {
        auto table = b.scope("table");
        b.el("caption", c.t("restitution.theme_trend_caption", {{"label", c.theme_title(th)}}));
        {
          auto tr = b.scope("tr");
          b.el("th", {{"scope", "row"}}, c.t("restitution.col_period"));
          for (size_t i = 0; i < c.r.periods.size(); ++i) b.el("th", {{"scope", "col"}}, c.period(i));
        }
        auto tr = b.scope("tr");
        b.el("th", {{"scope", "row"}}, c.t("restitution.units_short"));
        for (size_t v : th.trend) b.el("td", {{"class", "n"}}, c.num(v));
      }
    }
  }
}

void method(Builder& b, const Context& c) {
  const Parameters& p = c.r.parameters;
  auto sec = b.scope("section", {{"aria-labelledby", "methode"}});
  b.el("h2", {{"id", "methode"}}, c.t("restitution.method"));
  b.el("p", c.t("restitution.method_intro"));
  {
    auto dl = b.scope("dl", {{"class", "params"}});
    auto item = [&](const std::string& key, const std::string& value) {
      b.el("dt", c.t(key));
      b.el("dd", value);
    };
    item("restitution.p_seed", std::to_string(p.seed));
    item("restitution.p_normalisation", c.t("restitution.p_normalisation_value"));
    item("restitution.p_campaign_min_words", std::to_string(p.campaign_min_words));
    item("restitution.p_campaign_min_size", std::to_string(std::max<size_t>(2, p.campaign_min_size)));
    item("restitution.p_shingles", std::to_string(p.shingle_words));
    item("restitution.p_minhash", c.t("restitution.p_minhash_value", {{"bands", std::to_string(p.minhash_bands)},
                                                                       {"rows", std::to_string(p.minhash_rows)}}));
    item("restitution.p_jaccard", c.decimal(p.jaccard_threshold, 2));
    item("restitution.p_tfidf", c.t("restitution.p_tfidf_value", {{"min_df", std::to_string(p.min_df)}, {"max_df", c.decimal(p.max_df, 2)},
                                                                   {"max_terms", std::to_string(p.max_terms)}}));
    item("restitution.p_kmeans", c.t("restitution.p_kmeans_value", {{"iterations", std::to_string(p.kmeans_iterations)},
                                                                     {"sample", std::to_string(p.kmeans_sample)}}));
    item("restitution.p_k", p.themes ? c.t("restitution.p_k_given", {{"k", std::to_string(p.themes)}})
                                     : c.t("restitution.p_k_auto", {{"min", std::to_string(p.min_themes)}, {"max", std::to_string(p.max_themes)},
                                                                    {"selection", std::to_string(p.selection_sample)},
                                                                    {"selection_iterations", std::to_string(p.selection_iterations)},
                                                                    {"silhouette", std::to_string(p.silhouette_sample)},
                                                                    {"min_units", std::to_string(p.min_units_for_themes)}}));
    item("restitution.p_labels", c.t("restitution.p_labels_value", {{"n", std::to_string(p.label_terms)}}));
    item("restitution.p_quotes", c.t("restitution.p_quotes_value", {{"n", std::to_string(p.quotes)}}));
    item("restitution.p_geography", c.t("restitution.p_geography_value"));
  }
  bool any_sil = false;
  for (const auto& g : c.r.groups) any_sil |= !g.silhouettes.empty();
  if (any_sil) {
    auto table = b.scope("table");
    b.el("caption", c.t("restitution.silhouettes_caption"));
    {
      auto tr = b.scope("tr");
      b.el("th", {{"scope", "col"}}, c.t("restitution.col_group"));
      b.el("th", {{"scope", "col"}}, c.t("restitution.col_k_scores"));
      b.el("th", {{"scope", "col"}, {"class", "n"}}, c.t("restitution.col_k"));
    }
    for (const auto& g : c.r.groups) {
      auto tr = b.scope("tr");
      b.el("th", {{"scope", "row"}}, g.name.empty() ? c.t("restitution.all_contributions") : g.name);
      std::string scores;
      for (auto [k, s] : g.silhouettes) scores += (scores.empty() ? "" : " ; ") + std::to_string(k) + " : " + c.decimal(rounded(s), 4);
      b.el("td", scores.empty() ? c.t("restitution.k_not_chosen") : scores);
      b.el("td", {{"class", "n"}}, std::to_string(g.k));
    }
  }
  b.el("h3", c.t("restitution.input_quality"));
  b.el("p", c.t("restitution.input_summary", {{"records", c.num(c.corpus.records)}, {"kept", c.num(c.r.contributions)},
                                               {"format", c.corpus.format}}));
  if (!c.corpus.issue_counts.empty()) {
    auto table = b.scope("table");
    b.el("caption", c.t("restitution.issues_caption"));
    {
      auto tr = b.scope("tr");
      b.el("th", {{"scope", "col"}}, c.t("restitution.col_issue"));
      b.el("th", {{"scope", "col"}, {"class", "n"}}, c.t("restitution.col_count"));
      b.el("th", {{"scope", "col"}}, c.t("restitution.col_lines"));
    }
    for (const auto& [kind, count] : c.corpus.issue_counts) {
      auto tr = b.scope("tr");
      b.el("th", {{"scope", "row"}}, c.t("restitution.issue_" + kind));
      b.el("td", {{"class", "n"}}, c.num(count));
      std::string lines;
      size_t listed = 0;
      for (const auto& i : c.corpus.issues)
        if (i.kind == kind && listed++ < 20) lines += (lines.empty() ? "" : ", ") + std::to_string(i.line);
      if (count > listed) lines += " …";
      b.el("td", lines);
    }
  }
  if (!c.corpus.excluded.empty()) {
    auto table = b.scope("table");
    b.el("caption", c.t("restitution.excluded_caption"));
    {
      auto tr = b.scope("tr");
      b.el("th", {{"scope", "col"}}, c.t("restitution.col_status"));
      b.el("th", {{"scope", "col"}, {"class", "n"}}, c.t("restitution.col_count"));
    }
    for (const auto& [kind, count] : c.corpus.excluded) {
      auto tr = b.scope("tr");
      b.el("th", {{"scope", "row"}}, c.t("restitution.excluded_" + kind));
      b.el("td", {{"class", "n"}}, c.num(count));
    }
  }
  b.el("h3", c.t("restitution.sources"));
  b.el("p", c.t("restitution.sources_text"));
}

}  // namespace

namespace {

void toc(Builder& b, const Context& c) {
  auto nav = b.scope("nav", {{"aria-label", c.t("restitution.toc")}});
  auto ul = b.scope("ul");
  for (auto [id, key] : {std::pair{"volumes", "restitution.volumes"}, {"chronologie", "restitution.timeline"},
                         {"geographie", "restitution.geography"}, {"campagnes", "restitution.campaigns"},
                         {"themes", "restitution.themes"}, {"methode", "restitution.method"}}) {
    auto li = b.scope("li");
    b.el("a", {{"href", std::string("#") + id}}, c.t(key));
  }
}

void sections(Builder& b, const Context& c) {
  volumes(b, c);
  timeline(b, c);
  geography(b, c);
  campaigns(b, c);
  themes(b, c);
  method(b, c);
}

}  // namespace

std::string render_report_fragment(const Restitution& r, const Corpus& corpus, i18n::Locale locale, const ReportOptions& options) {
  Context c{r, corpus, locale, options};
  Builder b;
  toc(b, c);
  sections(b, c);
  return b.take();
}

std::string render_report(const Restitution& r, const Corpus& corpus, const std::string& input_name, i18n::Locale locale) {
  ReportOptions options;
  Context c{r, corpus, locale, options};
  Builder b;
  std::string out = "<!DOCTYPE html>\n";
  {
    auto page = b.scope("html", {{"lang", i18n::code(locale)}});
    {
      auto head = b.scope("head");
      b.void_el("meta", {{"charset", "utf-8"}});
      b.void_el("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}});
      b.el("title", c.t("restitution.title", {{"file", input_name}}));
      b.open("style").trusted({style}).close();
    }
    auto body = b.scope("body");
    b.el("a", {{"class", "skip"}, {"href", "#contenu"}}, c.t("restitution.skip"));
    {
      auto header = b.scope("header");
      b.el("h1", c.t("restitution.title", {{"file", input_name}}));
      b.el("p", c.t("restitution.lead", {{"contributions", c.num(r.contributions)}, {"units", c.num(r.units)},
                                          {"themes", c.num(r.themes.size())}, {"campaigns", c.num(r.campaigns.size())}}));
    }
    toc(b, c);
    auto main = b.scope("main", {{"id", "contenu"}});
    sections(b, c);
  }
  out += b.take();
  out += "\n";
  return out;
}

}  // namespace passerelle::restitution
