#include "restitution/engine.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <cctype>
#include <cmath>
#include <memory>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "restitution/departements.hpp"
#include "text/analyzer.hpp"
#include "text/cluster.hpp"
#include "text/keywords.hpp"
#include "text/minhash.hpp"
#include "text/parallel.hpp"
#include "text/tfidf.hpp"

namespace passerelle::restitution {
namespace {

using text::parallel_block;

// What the analysis keeps of one block of contributions.
struct Block {
  std::vector<std::string> vocabulary;     // local term id → stem
  std::vector<uint32_t> offsets{0};        // per contribution, into terms/counts
  std::vector<uint32_t> terms;             // local ids, sorted per contribution after remapping
  std::vector<uint16_t> counts;
  std::vector<uint64_t> exact;             // hash of the folded word sequence
  std::vector<uint16_t> words;
  std::vector<uint16_t> signatures;        // for the long contributions only, in order
};

text::Analyzer& thread_analyzer() {
  thread_local std::unique_ptr<text::Analyzer> analyzer;
  if (!analyzer) analyzer = std::make_unique<text::Analyzer>();
  return *analyzer;
}

void analyse_block(const Corpus& corpus, size_t b, const Parameters& params, const text::MinHasher& hasher, Block& out) {
  text::Analyzer& analyzer = thread_analyzer();
  std::unordered_map<std::string, uint32_t> local;
  struct Known {
    uint64_t hash;
    uint32_t term;
  };
  std::unordered_map<std::string, Known> known;
  std::vector<text::Word> words;
  std::vector<uint64_t> word_hashes, shingles;
  std::vector<std::pair<uint32_t, uint16_t>> doc_terms;
  std::vector<uint16_t> sig(hasher.params().signature_size());
  size_t end = std::min(corpus.items.size(), (b + 1) * parallel_block);
  for (size_t i = b * parallel_block; i < end; ++i) {
    words.clear();
    word_hashes.clear();
    doc_terms.clear();
    analyzer.words(corpus.items[i].text, words);
    uint64_t exact = 0x6a09e667f3bcc908ULL;
    for (const auto& w : words) {
      // Words repeat a lot within a block: hash and stem each folded form once.
      auto found = known.find(w.folded);
      if (found == known.end()) {
        Known k{text::hash64(w.folded), none};
        if (!w.stop) {
          std::string stem = analyzer.stem(w.folded);
          if (!stem.empty()) {
            auto [it, inserted] = local.try_emplace(stem, static_cast<uint32_t>(out.vocabulary.size()));
            if (inserted) out.vocabulary.push_back(std::move(stem));
            k.term = it->second;
          }
        }
        found = known.emplace(w.folded, k).first;
      }
      uint64_t h = found->second.hash;
      word_hashes.push_back(h);
      exact = text::mix64(exact ^ h) + 0x3c6ef372fe94f82bULL;
      if (found->second.term != none) doc_terms.emplace_back(found->second.term, 1);
    }
    std::sort(doc_terms.begin(), doc_terms.end());
    size_t w = 0;
    for (size_t k = 0; k < doc_terms.size(); ++k) {
      if (w > 0 && doc_terms[w - 1].first == doc_terms[k].first) {
        if (doc_terms[w - 1].second < UINT16_MAX) ++doc_terms[w - 1].second;
      } else {
        doc_terms[w++] = doc_terms[k];
      }
    }
    doc_terms.resize(w);
    for (auto [t, c] : doc_terms) {
      out.terms.push_back(t);
      out.counts.push_back(c);
    }
    out.offsets.push_back(static_cast<uint32_t>(out.terms.size()));
    out.exact.push_back(exact);
    out.words.push_back(static_cast<uint16_t>(std::min<size_t>(words.size(), UINT16_MAX)));
    if (words.size() >= params.campaign_min_words) {
      text::shingle_hashes(word_hashes, params.shingle_words, shingles);
      hasher.signature(shingles, sig.data());
      out.signatures.insert(out.signatures.end(), sig.begin(), sig.end());
    }
  }
}

struct UnionFind {
  std::vector<uint32_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  uint32_t find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
};

int64_t period_start(int64_t t, const std::string& unit) {
  int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  if (unit == "day") return day * 86400;
  if (unit == "week") {
    int64_t weekday = ((day % 7) + 7 + 3) % 7;  // 1970-01-01 was a Thursday; 0 = Monday
    return (day - weekday) * 86400;
  }
  // month: civil date of `day` (H. Hinnant), then its first day.
  int64_t z = day + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  return (day - (d - 1)) * 86400;
}

int64_t next_period(int64_t start, const std::string& unit) {
  if (unit == "day") return start + 86400;
  if (unit == "week") return start + 7 * 86400;
  return period_start(start + 32 * 86400, "month");
}

std::vector<Count> sorted_counts(const std::unordered_map<std::string, size_t>& counts) {
  std::vector<Count> out;
  for (const auto& [k, n] : counts) out.push_back({k, n});
  std::sort(out.begin(), out.end(), [](const Count& a, const Count& b) { return a.count != b.count ? a.count > b.count : a.key < b.key; });
  return out;
}

// Cuts a quote at a word boundary near max_chars (UTF-8 safe).
std::string cut(std::string_view text, size_t max_chars) {
  if (text.size() <= max_chars) return std::string(text);
  size_t end = max_chars;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  size_t space = text.rfind(' ', end);
  if (space != std::string_view::npos && space > max_chars / 2) end = space;
  return std::string(text.substr(0, end)) + " …";
}

bool is_email_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
         c == '+' || c == '%';
}

}  // namespace

std::string mask_personal_data(std::string_view text, const Masks& masks) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    // E-mail: local part before '@', a domain with a dot after it.
    if (c == '@') {
      size_t start = out.size();
      while (start > 0 && is_email_char(out[start - 1])) --start;
      size_t end = i + 1;
      bool dot = false;
      while (end < text.size() && is_email_char(text[end]) && text[end] != '+' && text[end] != '%') {
        if (text[end] == '.' && end + 1 < text.size() && is_email_char(text[end + 1])) dot = true;
        ++end;
      }
      while (end > i + 1 && text[end - 1] == '.') --end;
      if (start < out.size() && dot) {
        out.resize(start);
        out += masks.email;
        i = end;
        continue;
      }
    }
    // Phone: starts with '+' or '0' (not inside a word or a number), digits with single
    // separators (space, dot, dash, no-break space not needed: the reader keeps them as is).
    bool boundary = out.empty() || !(std::isalnum(static_cast<unsigned char>(out.back())));
    if (boundary && (c == '+' || c == '0' || c == '(')) {
      size_t j = i, digits = 0;
      if (text[j] == '+') ++j;
      size_t last_digit_end = i;
      while (j < text.size()) {
        char d = text[j];
        if (d >= '0' && d <= '9') {
          ++digits;
          ++j;
          last_digit_end = j;
        } else if ((d == ' ' || d == '.' || d == '-' || d == '(' || d == ')') && j + 1 < text.size() &&
                   ((text[j + 1] >= '0' && text[j + 1] <= '9') || text[j + 1] == '(')) {
          ++j;
        } else {
          break;
        }
      }
      bool after_ok = last_digit_end >= text.size() || !std::isalnum(static_cast<unsigned char>(text[last_digit_end]));
      if (digits >= 9 && digits <= 15 && after_ok) {
        out += masks.phone;
        i = last_digit_end;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

Restitution run(const Corpus& corpus, const Parameters& params_in, const Masks& masks, const Progress& progress) {
  Parameters params = params_in;
  params.threads = std::max(1u, params.threads);
  params.minhash_rows = std::max(1u, params.minhash_rows);
  params.minhash_bands = std::clamp(params.minhash_bands, 1u, 256u / params.minhash_rows);
  params.max_themes = std::max(params.max_themes, params.min_themes);
  // Analysis reports from its worker threads: calls are serialised, so a callback needs no lock.
  std::mutex progress_lock;
  auto report = [&](std::string_view stage, size_t done, size_t total) {
    if (!progress) return;
    std::lock_guard lock(progress_lock);
    progress(stage, done, total);
  };
  const size_t n = corpus.items.size();
  Restitution r;
  r.parameters = params;
  r.contributions = n;
  r.assignments.resize(n);

  // 1. Analysis, block by block.
  text::MinHashParams mh{params.shingle_words, params.minhash_bands, params.minhash_rows, params.jaccard_threshold, params.seed};
  text::MinHasher hasher(mh);
  size_t blocks = text::block_count(n);
  std::vector<Block> analysed(blocks);
  std::atomic<size_t> done_blocks{0};
  text::parallel_blocks(blocks, params.threads, [&](size_t b) {
    analyse_block(corpus, b, params, hasher, analysed[b]);
    size_t d = ++done_blocks;
    if (d % 16 == 0 || d == blocks) report("analyse", d * parallel_block > n ? n : d * parallel_block, n);
  });

  // Global vocabulary in byte order of the stems: ids do not depend on the blocks.
  std::vector<std::string> vocabulary;
  {
    std::unordered_map<std::string_view, uint32_t> seen;
    for (auto& block : analysed)
      for (auto& stem : block.vocabulary)
        if (seen.try_emplace(stem, 0).second) vocabulary.push_back(stem);
    std::sort(vocabulary.begin(), vocabulary.end());
  }
  text::TermCounts doc_terms;
  std::vector<uint64_t> exact(n);
  std::vector<uint16_t> words(n);
  std::vector<uint16_t> signatures;
  std::vector<uint32_t> long_docs;  // contributions with a signature, in order
  {
    std::unordered_map<std::string_view, uint32_t> id;
    id.reserve(vocabulary.size() * 2);
    for (uint32_t t = 0; t < vocabulary.size(); ++t) id.emplace(vocabulary[t], t);
    size_t total_terms = 0, total_sig = 0;
    for (auto& block : analysed) {
      total_terms += block.terms.size();
      total_sig += block.signatures.size();
    }
    doc_terms.terms.reserve(total_terms);
    doc_terms.counts.reserve(total_terms);
    doc_terms.offsets.reserve(n + 1);
    signatures.reserve(total_sig);
    std::vector<std::pair<uint32_t, uint16_t>> row;
    for (size_t b = 0; b < blocks; ++b) {
      Block& block = analysed[b];
      std::vector<uint32_t> remap(block.vocabulary.size());
      for (size_t t = 0; t < remap.size(); ++t) remap[t] = id.at(block.vocabulary[t]);
      size_t base = b * parallel_block;
      for (size_t d = 0; d + 1 < block.offsets.size(); ++d) {
        row.clear();
        for (size_t k = block.offsets[d]; k < block.offsets[d + 1]; ++k) row.emplace_back(remap[block.terms[k]], block.counts[k]);
        std::sort(row.begin(), row.end());
        for (auto [t, c] : row) {
          doc_terms.terms.push_back(t);
          doc_terms.counts.push_back(c);
        }
        doc_terms.offsets.push_back(doc_terms.terms.size());
        exact[base + d] = block.exact[d];
        words[base + d] = block.words[d];
        if (block.words[d] >= params.campaign_min_words) long_docs.push_back(static_cast<uint32_t>(base + d));
      }
      signatures.insert(signatures.end(), block.signatures.begin(), block.signatures.end());
      Block().vocabulary.swap(block.vocabulary);
      block = Block();
    }
  }
  analysed.clear();
  analysed.shrink_to_fit();

  // 2. Exact duplicates, then near duplicates among the distinct long texts, per group.
  report("doublons", 0, 1);
  std::vector<uint32_t> exact_first(n);
  for (uint32_t i = 0; i < n; ++i) exact_first[i] = i;
  {
    std::unordered_map<uint64_t, uint32_t> first;  // (group, hash) → first contribution
    first.reserve(long_docs.size());
    for (uint32_t i : long_docs) {
      uint64_t key = text::mix64(exact[i] ^ (static_cast<uint64_t>(corpus.items[i].group) * 0x9e3779b97f4a7c15ULL));
      auto [it, inserted] = first.try_emplace(key, i);
      exact_first[i] = it->second;
      if (!inserted) {
        r.assignments[i].exact_duplicate = true;
        ++r.exact_duplicates;
      }
    }
  }
  UnionFind campaigns_uf(n);
  {
    std::vector<uint32_t> reps, rep_pos;
    for (size_t p = 0; p < long_docs.size(); ++p)
      if (exact_first[long_docs[p]] == long_docs[p]) {
        reps.push_back(long_docs[p]);
        rep_pos.push_back(static_cast<uint32_t>(p));
      }
    unsigned sig_size = mh.signature_size();
    std::vector<uint16_t> rep_sigs(reps.size() * sig_size);
    std::vector<uint32_t> rep_group(reps.size());
    for (size_t k = 0; k < reps.size(); ++k) {
      std::copy_n(signatures.begin() + static_cast<size_t>(rep_pos[k]) * sig_size, sig_size, rep_sigs.begin() + k * sig_size);
      rep_group[k] = corpus.items[reps[k]].group;
    }
    signatures.clear();
    signatures.shrink_to_fit();
    auto roots = text::near_duplicate_groups(rep_sigs, reps.size(), rep_group, mh, params.threads);
    for (size_t k = 0; k < reps.size(); ++k) campaigns_uf.parent[reps[k]] = reps[roots[k]];
    for (uint32_t i : long_docs) campaigns_uf.parent[i] = campaigns_uf.find(exact_first[i]);
  }
  // Campaigns: the components with enough contributions.
  std::vector<uint32_t> root(n);
  std::vector<uint32_t> component_size(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    root[i] = words[i] >= params.campaign_min_words ? campaigns_uf.find(i) : i;
    if (words[i] >= params.campaign_min_words) ++component_size[root[i]];
  }
  std::vector<size_t> group_sizes(corpus.groups.size(), 0), group_short(corpus.groups.size(), 0);
  for (uint32_t i = 0; i < n; ++i) {
    ++group_sizes[corpus.items[i].group];
    if (words[i] < params.campaign_min_words) ++group_short[corpus.items[i].group];
  }
  std::unordered_map<uint32_t, uint32_t> campaign_of_root;
  std::vector<std::vector<uint32_t>> campaign_members;
  for (uint32_t i = 0; i < n; ++i) {
    if (words[i] < params.campaign_min_words || component_size[root[i]] < std::max<size_t>(2, params.campaign_min_size)) continue;
    auto [it, inserted] = campaign_of_root.try_emplace(root[i], static_cast<uint32_t>(campaign_members.size()));
    if (inserted) campaign_members.emplace_back();
    campaign_members[it->second].push_back(i);
  }
  for (const auto& m : campaign_members) {
    Campaign c;
    c.group = corpus.items[m.front()].group;
    c.size = m.size();
    // Representative: the most common exact form, then the earliest.
    std::unordered_map<uint32_t, size_t> forms;
    for (uint32_t i : m) ++forms[exact_first[i]];
    uint32_t best = m.front();
    size_t best_count = 0;
    for (uint32_t i : m)
      if (exact_first[i] == i && forms[i] > best_count) {
        best = i;
        best_count = forms[i];
      }
    c.representative = best;
    c.exact_copies = best_count;
    for (uint32_t i : m) {
      int64_t d = corpus.items[i].date;
      if (d == no_date) continue;
      if (c.first == no_date || d < c.first) c.first = d;
      if (c.last == no_date || d > c.last) c.last = d;
    }
    c.share = group_sizes[c.group] ? static_cast<double>(c.size) / static_cast<double>(group_sizes[c.group]) : 0;
    r.campaigns.push_back(c);
  }
  // Largest first; ids follow that order.
  std::vector<uint32_t> order(r.campaigns.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return r.campaigns[a].size > r.campaigns[b].size; });
  std::vector<uint32_t> new_id(order.size());
  {
    std::vector<Campaign> sorted;
    std::vector<std::vector<uint32_t>> sorted_members;
    for (uint32_t k = 0; k < order.size(); ++k) {
      new_id[order[k]] = k;
      sorted.push_back(r.campaigns[order[k]]);
      sorted.back().id = k + 1;
      sorted_members.push_back(std::move(campaign_members[order[k]]));
    }
    r.campaigns = std::move(sorted);
    campaign_members = std::move(sorted_members);
  }
  for (auto& [rt, id] : campaign_of_root) id = new_id[id];
  for (uint32_t i = 0; i < n; ++i) {
    if (words[i] < params.campaign_min_words) ++r.short_texts;
    auto it = campaign_of_root.find(root[i]);
    if (it != campaign_of_root.end()) {
      r.assignments[i].campaign = it->second;
      ++r.campaign_contributions;
    }
    r.assignments[i].words = words[i];
  }
  report("doublons", 1, 1);

  // Geography and time of every contribution.
  std::unordered_map<std::string, size_t> dep_counts, channel_counts;
  int64_t min_date = no_date, max_date = no_date;
  for (uint32_t i = 0; i < n; ++i) {
    const auto& c = corpus.items[i];
    if (!c.zip.empty()) {
      ++r.with_zip;
      auto deps = departements_of_postal_code(c.zip);
      if (deps.empty()) ++r.zip_unknown;
      else {
        r.assignments[i].departement = deps.front();
        r.assignments[i].departement_ambiguous = deps.size() > 1;
        if (deps.size() > 1) ++r.zip_ambiguous;
        ++dep_counts[deps.front()];
      }
    }
    if (c.date != no_date) {
      ++r.with_date;
      if (min_date == no_date || c.date < min_date) min_date = c.date;
      if (max_date == no_date || c.date > max_date) max_date = c.date;
    }
    if (corpus.channels.size() > 1) ++channel_counts[corpus.channels[c.channel]];
  }
  r.departements = sorted_counts(dep_counts);
  r.channels = sorted_counts(channel_counts);
  std::vector<uint32_t> period_of(n, none);
  if (min_date != no_date) {
    int64_t span = max_date - min_date;
    r.period_unit = span <= 62 * 86400 ? "day" : span <= 366 * 86400 ? "week" : "month";
    for (int64_t p = period_start(min_date, r.period_unit); p <= max_date; p = next_period(p, r.period_unit)) r.periods.push_back(p);
    r.timeline.assign(r.periods.size(), 0);
    for (uint32_t i = 0; i < n; ++i) {
      int64_t d = corpus.items[i].date;
      if (d == no_date) continue;
      int64_t start = period_start(d, r.period_unit);
      auto it = std::lower_bound(r.periods.begin(), r.periods.end(), start);
      period_of[i] = static_cast<uint32_t>(it - r.periods.begin());
      ++r.timeline[period_of[i]];
    }
  }

  // 3. Themes, group by group, on the units: a contribution outside campaigns, or a campaign
  // (through its representative) counted once.
  std::vector<std::vector<uint32_t>> units_of_group(corpus.groups.size());
  std::vector<uint32_t> unit_campaign_seen(r.campaigns.size(), 0);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t camp = r.assignments[i].campaign;
    if (camp == none) units_of_group[corpus.items[i].group].push_back(i);
    else if (!unit_campaign_seen[camp]++) units_of_group[corpus.items[i].group].push_back(r.campaigns[camp].representative);
  }

  std::vector<std::vector<uint32_t>> theme_columns_terms;  // per theme: global term ids of its keywords
  std::vector<std::vector<uint32_t>> theme_units;          // per theme: its units, best quote candidates first
  size_t groups_done = 0, groups_total = 0;
  for (const auto& units : units_of_group) groups_total += !units.empty();
  for (uint32_t g = 0; g < corpus.groups.size(); ++g) {
    const auto& units = units_of_group[g];
    if (units.empty()) continue;
    GroupResult gr;
    gr.group = g;
    gr.name = corpus.groups[g];
    gr.contributions = group_sizes[g];
    gr.units = units.size();
    for (const auto& c : r.campaigns)
      if (c.group == g) {
        ++gr.campaigns;
        gr.campaign_contributions += c.size;
      }
    text::TfidfParams tp{params.min_df, params.max_df, params.max_terms};
    text::TfidfModel model = text::fit_tfidf(doc_terms, units, tp);
    text::SparseMatrix m = text::tfidf_vectors(doc_terms, units, model);
    gr.vocabulary = model.terms.size();
    std::vector<uint32_t> labels(units.size(), 0);
    std::vector<float> cosines(units.size(), 0.0f);
    unsigned k = 1;
    text::Rng rng(params.seed ^ (0x94d049bb133111ebULL * (g + 1)));
    if (units.size() >= params.min_units_for_themes && m.dims > 0) {
      // Deterministic samples: a seeded shuffle of the unit positions, each sample a prefix.
      std::vector<uint32_t> shuffled(units.size());
      std::iota(shuffled.begin(), shuffled.end(), 0u);
      for (size_t i = shuffled.size() - 1; i > 0; --i) std::swap(shuffled[i], shuffled[rng.below(i + 1)]);
      auto prefix = [&](size_t count) {
        std::vector<uint32_t> s(shuffled.begin(), shuffled.begin() + std::min(count, shuffled.size()));
        std::sort(s.begin(), s.end());
        return s;
      };
      std::vector<uint32_t> training = prefix(params.kmeans_sample);
      text::KMeansParams kp{params.themes ? params.themes : params.min_themes, params.kmeans_iterations, params.seed + g, params.threads};
      if (params.themes > 0) {
        k = params.themes;
        gr.k_automatic = false;
      } else {
        unsigned k_max = std::min<unsigned>(params.max_themes, static_cast<unsigned>(std::max<size_t>(2, units.size() / 10)));
        unsigned k_min = std::min(params.min_themes, k_max);
        text::KMeansParams selection = kp;
        selection.iterations = std::min(params.selection_iterations, params.kmeans_iterations);
        auto choice = text::choose_k(m, prefix(params.selection_sample), prefix(params.silhouette_sample), k_min, k_max, selection);
        k = choice.k;
        gr.silhouettes = choice.silhouettes;
      }
      kp.k = k;
      text::KMeans km = text::spherical_kmeans(m, training, kp);
      k = km.k;
      text::assign_nearest(m, km, params.threads, labels, cosines);
    }
    gr.k = k;
    // Sizes, then themes numbered by size (largest first).
    std::vector<size_t> sizes(k, 0);
    for (uint32_t l : labels) ++sizes[l];
    std::vector<uint32_t> rank(k);
    std::iota(rank.begin(), rank.end(), 0u);
    std::stable_sort(rank.begin(), rank.end(), [&](uint32_t a, uint32_t b) { return sizes[a] > sizes[b]; });
    auto keywords = text::distinctive_terms(m, labels, k, params.keywords, 2);
    std::vector<uint32_t> theme_id(k, none);
    for (uint32_t pos = 0; pos < k; ++pos) {
      uint32_t c = rank[pos];
      if (sizes[c] == 0) continue;
      Theme t;
      t.id = static_cast<uint32_t>(r.themes.size() + 1);
      t.group = g;
      t.units = sizes[c];
      t.share = static_cast<double>(sizes[c]) / static_cast<double>(units.size());
      theme_id[c] = static_cast<uint32_t>(r.themes.size());
      gr.themes.push_back(t.id);
      std::vector<uint32_t> kw;
      for (const auto& s : keywords[c]) kw.push_back(model.terms[s.column]);
      theme_columns_terms.push_back(std::move(kw));
      if (!r.periods.empty()) t.trend.assign(r.periods.size(), 0);
      r.themes.push_back(std::move(t));
      theme_units.emplace_back();
    }
    // Members, cohesion, trend and geography; units sorted by closeness to the centre.
    std::vector<std::vector<std::pair<float, uint32_t>>> by_cos(k);
    std::vector<double> cos_sum(k, 0.0);
    std::vector<std::unordered_map<std::string, size_t>> deps(k);
    for (size_t u = 0; u < units.size(); ++u) {
      uint32_t c = labels[u];
      Theme& t = r.themes[theme_id[c]];
      uint32_t doc = units[u];
      by_cos[c].emplace_back(cosines[u], doc);
      cos_sum[c] += cosines[u];
      uint32_t camp = r.assignments[doc].campaign;
      auto account = [&](uint32_t member) {
        r.assignments[member].theme = t.id - 1;
        ++t.contributions;
      };
      if (camp == none) account(doc);
      else {
        for (uint32_t member : campaign_members[camp]) account(member);
        t.campaign_contributions += campaign_members[camp].size();
        r.campaigns[camp].theme = t.id - 1;
      }
      if (!t.trend.empty() && period_of[doc] != none) ++t.trend[period_of[doc]];
      if (!r.assignments[doc].departement.empty()) ++deps[c][r.assignments[doc].departement];
    }
    for (uint32_t c = 0; c < k; ++c) {
      if (theme_id[c] == none) continue;
      Theme& t = r.themes[theme_id[c]];
      t.cohesion = sizes[c] ? cos_sum[c] / static_cast<double>(sizes[c]) : 0;
      t.departements = sorted_counts(deps[c]);
      auto& list = by_cos[c];
      std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      auto& tu = theme_units[theme_id[c]];
      for (const auto& [cosv, doc] : list) tu.push_back(doc);
      // Quotes: closest to the centre, readable length first, never the same text twice
      // (units are already one per campaign).
      std::unordered_set<uint64_t> used;
      for (int pass = 0; pass < 2 && t.quotes.size() < params.quotes; ++pass)
        for (const auto& [cosv, doc] : list) {
          if (t.quotes.size() >= params.quotes) break;
          bool readable = words[doc] >= 8 && words[doc] <= 150;
          if (pass == 0 && !readable) continue;
          if (!used.insert(exact[doc]).second) continue;
          t.quotes.push_back({doc, mask_personal_data(cut(corpus.items[doc].text, params.quote_max_chars), masks), cosv});
        }
    }
    r.units += units.size();
    gr.short_texts = group_short[g];
    r.groups.push_back(std::move(gr));
    report("themes", ++groups_done, groups_total);
  }

  // 4. Labels as real words: the surface forms of the keyword stems, read back from the texts
  // of each theme (its first units, the closest to the centre).
  report("synthese", 0, 1);
  std::unordered_set<uint32_t> wanted;
  for (const auto& kw : theme_columns_terms) wanted.insert(kw.begin(), kw.end());
  std::unordered_map<std::string_view, uint32_t> wanted_stem;
  for (uint32_t t : wanted) wanted_stem.emplace(vocabulary[t], t);
  text::DisplayForms forms;
  {
    text::Analyzer& analyzer = thread_analyzer();
    std::vector<text::Word> ws;
    for (const auto& tu : theme_units)
      for (size_t j = 0; j < tu.size() && j < 300; ++j) {
        const std::string& body = corpus.items[tu[j]].text;
        ws.clear();
        analyzer.words(body, ws);
        for (const auto& w : ws) {
          if (w.stop) continue;
          std::string stem = analyzer.stem(w.folded);
          if (wanted_stem.count(stem)) forms.add(stem, std::string_view(body).substr(w.begin, w.end - w.begin));
        }
      }
  }
  for (size_t t = 0; t < r.themes.size(); ++t) {
    Theme& theme = r.themes[t];
    for (uint32_t term : theme_columns_terms[t]) theme.keywords.push_back(forms.best(vocabulary[term]));
    for (size_t j = 0; j < theme.keywords.size() && j < params.label_terms; ++j)
      theme.label += (j ? ", " : "") + theme.keywords[j];
  }
  report("synthese", 1, 1);
  return r;
}

}  // namespace passerelle::restitution
