// The engine's reading side. The query's parts are intersected over the posting lists, rarest
// first (the others are probed with a cursor that jumps over whole blocks), which gives the
// exact set of matching documents with each term's frequency in each. Filters and facet counts
// are CRoaring intersections; BM25 scores every match (no pruning: the totals are exact anyway)
// and a heap keeps the page. Phrases and the proximity boost read the candidates' term
// sequences from the stored records.
#include <algorithm>
#include <cmath>
#include <queue>
#include <thread>
#include <unordered_set>

#include "search/engine_impl.hpp"
#include "search/query_text.hpp"
#include "search/snippet.hpp"

namespace passerelle::search::detail {

namespace {

constexpr size_t kProximityPool = 100;    // best BM25 matches re-ranked by proximity
constexpr uint64_t kParallelScan = 20000;  // postings of the rarest term from which two threads scan

// One scored piece of the query: a word's term, one term of a phrase, or a prefix's terms
// counted as one (a synonym).
struct Unit {
  std::vector<uint32_t> terms;
  uint64_t estimate = 0;  // postings, dead documents included
  uint64_t df = 0;
  double idf = 0;
};


// All live postings of a unit, ascending by docid, frequencies of its terms summed.
template <class Live>
void materialize(const std::vector<PostingList>& lists, const Unit& u, Live&& live, std::vector<uint32_t>& docs, std::vector<uint32_t>& freqs) {
  docs.clear();
  freqs.clear();
  if (u.terms.size() == 1) {
    docs.reserve(lists[u.terms[0]].size());
    freqs.reserve(lists[u.terms[0]].size());
    lists[u.terms[0]].each([&](uint32_t d, uint32_t f) {
      if (live(d)) docs.push_back(d), freqs.push_back(f);
    });
    return;
  }
  std::vector<std::pair<uint32_t, uint32_t>> all;
  for (uint32_t t : u.terms) lists[t].each([&](uint32_t d, uint32_t f) {
    if (live(d)) all.emplace_back(d, f);
  });
  std::sort(all.begin(), all.end());
  for (auto [d, f] : all) {
    if (!docs.empty() && docs.back() == d) freqs.back() += f;
    else docs.push_back(d), freqs.push_back(f);
  }
}

// Positions of `term` in a stored sequence.
std::vector<uint32_t> positions_of(const StoredDoc& d, uint32_t term) {
  std::vector<uint32_t> out;
  for (auto [t, p] : d.sequence)
    if (t == term) out.push_back(p);
  return out;
}

// The phrase's terms in order, the first and last less than `window` positions apart.
bool has_phrase(const StoredDoc& d, const std::vector<uint32_t>& terms, uint32_t window) {
  std::vector<std::vector<uint32_t>> pos;
  for (uint32_t t : terms) {
    pos.push_back(positions_of(d, t));
    if (pos.back().empty()) return false;
  }
  for (uint32_t start : pos[0]) {
    uint32_t x = start;
    for (size_t j = 1; j < pos.size(); ++j) {
      auto next = std::upper_bound(pos[j].begin(), pos[j].end(), x);
      if (next == pos[j].end()) return false;  // a later start cannot do better
      x = *next;
    }
    if (x - start < window) return true;
  }
  return false;
}

// Every term somewhere within `window` positions, in any order (the smallest span covering all).
bool is_near(const StoredDoc& d, const std::vector<uint32_t>& terms, uint32_t window) {
  std::vector<std::pair<uint32_t, size_t>> hits;  // position, which term
  for (auto [t, p] : d.sequence)
    for (size_t k = 0; k < terms.size(); ++k)
      if (terms[k] == t) hits.emplace_back(p, k);
  std::vector<size_t> count(terms.size(), 0);
  size_t covered = 0, left = 0;
  for (size_t right = 0; right < hits.size(); ++right) {
    if (count[hits[right].second]++ == 0) ++covered;
    while (covered == terms.size()) {
      if (hits[right].first - hits[left].first < window) return true;
      if (--count[hits[left].second] == 0) --covered;
      ++left;
    }
  }
  return false;
}

}  // namespace

std::optional<uint32_t> MemoryEngine::committed_term(const std::string& term) const {
  std::lock_guard vocab(vocab_mutex_);
  auto it = term_ids_.find(term);
  if (it == term_ids_.end() || it->second >= terms_.size()) return std::nullopt;
  return it->second;
}

bool MemoryEngine::has_live_posting(uint32_t term) const {
  bool found = false;
  // Stops at the first live posting: dead ones are only those not yet compacted.
  PostingList::Cursor cursor(terms_[term]);
  uint32_t docid = 0, freq = 0;
  for (uint32_t target = 0; !found && cursor.seek(target, docid, freq); target = docid + 1) found = is_live(docid);
  return found;
}

std::vector<std::string> MemoryEngine::expand_prefix(const std::string& prefix) const {
  std::vector<std::pair<uint32_t, std::string>> found;
  size_t scanned = 0;
  auto it = std::lower_bound(sorted_terms_.begin(), sorted_terms_.end(), std::make_pair(prefix, uint32_t{0}));
  for (; it != sorted_terms_.end() && it->first.compare(0, prefix.size(), prefix) == 0 && scanned < 20 * kPrefixExpansions; ++it, ++scanned)
    if (!terms_[it->second].empty()) found.emplace_back(terms_[it->second].size(), it->first);
  // Terms are stems, often shorter than what was typed: "numeri*" must find "numer" (numérique).
  size_t shortest = prefix.size() > 6 ? prefix.size() - 2 : 4;
  for (size_t k = prefix.size(); k-- > shortest;) {
    if ((static_cast<unsigned char>(prefix[k]) & 0xC0) == 0x80) continue;  // inside a UTF-8 character
    std::string stem = prefix.substr(0, k);
    if (auto t = committed_term(stem); t && !terms_[*t].empty()) found.emplace_back(terms_[*t].size(), stem);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  found.erase(std::unique(found.begin(), found.end()), found.end());
  if (found.size() > kPrefixExpansions) found.resize(kPrefixExpansions);
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

Results MemoryEngine::search(const Query& q) const {
  auto state = read_state();
  text::Analyzer& analyzer = thread_analyzer();
  Results res;
  auto live = [this](uint32_t d) { return is_live(d); };

  // Parts → units. A word or prefix that nothing contains makes the query match nothing.
  auto parts = parse_query_text(q.text, analyzer);
  std::vector<Unit> units;
  struct PhraseCheck {
    std::vector<uint32_t> terms;
    uint32_t window;
  };
  std::vector<PhraseCheck> phrases;
  std::vector<uint32_t> word_terms;  // for the proximity boost
  bool impossible = false, words_only = true;
  for (auto& p : parts) {
    if (p.kind == QueryPart::Kind::prefix) p.terms = expand_prefix(p.prefix);
    if (p.kind != QueryPart::Kind::word) words_only = false;
    std::vector<uint32_t> ids;
    for (const auto& t : p.terms)
      if (auto id = committed_term(t); id && !terms_[*id].empty()) ids.push_back(*id);
    if (ids.empty() || (p.kind != QueryPart::Kind::prefix && ids.size() != p.terms.size())) {
      impossible = true;
      continue;
    }
    if (p.kind == QueryPart::Kind::prefix) {
      Unit u{ids};
      for (uint32_t t : ids) u.estimate += terms_[t].size();
      units.push_back(std::move(u));
      continue;
    }
    for (uint32_t t : ids) units.push_back(Unit{{t}, terms_[t].size()});
    if (p.kind == QueryPart::Kind::phrase && ids.size() > 1) phrases.push_back({ids, p.positions.back() - p.positions.front() + 1});
    if (p.kind == QueryPart::Kind::word) word_terms.push_back(ids[0]);
  }

  // Filters: OR within a field, AND across fields.
  std::map<std::string, std::vector<std::string>> wanted;
  for (const auto& k : q.kinds) wanted["kind"].push_back(k);
  for (const auto& f : q.filters) wanted[f.field].push_back(f.value);
  std::map<std::string, Bitmap> filter_bits;
  for (const auto& [field, values] : wanted) {
    Bitmap& bits = filter_bits[field];
    std::lock_guard vocab(vocab_mutex_);
    for (const auto& v : values)
      if (auto it = facet_ids_.find(field + '\x1F' + v); it != facet_ids_.end() && it->second < facets_.size()) bits |= facets_[it->second].docs;
  }
  std::optional<Bitmap> filtered;  // all filters together
  for (const auto& [field, bits] : filter_bits) {
    if (!filtered) filtered = bits;
    else *filtered &= bits;
  }

  // The page is chosen while matching: a heap of the best BM25 scores (or the newest dates).
  bool everything = parts.empty();
  bool by_relevance = !everything && q.sort == Query::Sort::relevance;
  size_t want = q.limit > 0 ? q.offset + q.limit : 0;
  bool boost = by_relevance && words_only && word_terms.size() >= 2 && word_terms.size() <= 8;
  size_t pool = boost ? std::max(want, kProximityPool) : want;
  using Scored = std::pair<double, uint32_t>;
  // "a is better than b": a higher score, then the lower docid (older) first.
  auto better = [](const Scored& a, const Scored& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; };
  auto newer = [this](uint32_t a, uint32_t b) {  // newest first; the same date: the later indexed
    int64_t da = slots_[a].date, db = slots_[b].date;
    return da != db ? da > db : a > b;
  };
  // What one scan of a docid range finds; two ranges can be scanned at once and merged.
  struct Part {
    uint64_t total = 0;
    std::priority_queue<Scored, std::vector<Scored>, decltype(better)> best;        // worst on top
    std::priority_queue<uint32_t, std::vector<uint32_t>, decltype(newer)> newest;   // oldest on top
    std::vector<uint32_t> text_docs;  // matching the text, before filters (for facet counts)
    Part(decltype(better) b, decltype(newer) n) : best(b), newest(n) {}
  };
  auto consider_date = [&](Part& part, uint32_t d) {
    if (part.newest.size() < want) part.newest.push(d);
    else if (want > 0 && newer(d, part.newest.top())) part.newest.pop(), part.newest.push(d);
  };
  auto consider_score = [&](Part& part, const Scored& s) {
    if (part.best.size() < pool) part.best.push(s);
    else if (pool > 0 && better(s, part.best.top())) part.best.pop(), part.best.push(s);
  };
  Part all_part(better, newer);

  bool need_text_bits = !q.facet_fields.empty() && !everything;
  if (!everything && !impossible) {
    std::vector<size_t> order(units.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return units[a].estimate < units[b].estimate; });
    // Prefixes (several terms) are merged into one list first; single terms are read in place.
    std::vector<std::vector<uint32_t>> unit_docs(units.size()), unit_freqs(units.size());
    for (size_t u = 0; u < units.size(); ++u) {
      if (units[u].terms.size() == 1) units[u].df = units[u].estimate;
      else {
        materialize(terms_, units[u], live, unit_docs[u], unit_freqs[u]);
        units[u].df = unit_docs[u].size();
      }
    }
    double n = static_cast<double>(std::max<uint64_t>(all_.cardinality(), 1));
    double avg = std::max(1.0, static_cast<double>(live_length_) / n);
    for (auto& u : units) {
      double df = std::min(static_cast<double>(u.df), n);
      u.idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    }
    // An upper bound of each unit's share of the score, by frequency, over every document length
    // (the shortest gives the most): once the heap is full, a document whose bound cannot beat
    // its worst entry is not scored. Most matches have a frequency of 1 or 2 and stop there.
    constexpr uint32_t kBoundTable = 256;
    const double k_min = kBm25K1 * (1 - kBm25B);
    std::vector<double> bounds(units.size() * kBoundTable);
    for (size_t u = 0; u < units.size(); ++u)
      for (uint32_t f = 0; f < kBoundTable; ++f) bounds[u * kBoundTable + f] = units[u].idf * (kBm25K1 + 1) * f / (k_min + f);
    auto bound = [&](size_t u, uint32_t f) {
      return f < kBoundTable ? bounds[u * kBoundTable + f] : units[u].idf * (kBm25K1 + 1) * f / (k_min + f);
    };
    struct Probe {
      size_t unit;
      std::optional<PostingList::Cursor> cursor;  // a single term
      const std::vector<uint32_t>* docs = nullptr;  // a merged prefix
      const std::vector<uint32_t>* freqs = nullptr;
      size_t at = 0;
      bool seek(uint32_t target, uint32_t& freq) {
        uint32_t found = 0;
        if (cursor) return cursor->seek(target, found, freq) && found == target;
        while (at < docs->size() && (*docs)[at] < target) ++at;
        if (at == docs->size() || (*docs)[at] != target) return false;
        freq = (*freqs)[at];
        return true;
      }
    };
    size_t lead = order[0];
    // The rarest unit leads; each of its documents is looked up in the others, rarest first.
    auto scan = [&](uint32_t lo, uint32_t hi, Part& part) {
      std::vector<Probe> probes;
      for (size_t k = 1; k < order.size(); ++k) {
        Probe p{order[k]};
        if (units[order[k]].terms.size() == 1) p.cursor.emplace(terms_[units[order[k]].terms[0]]);
        else p.docs = &unit_docs[order[k]], p.freqs = &unit_freqs[order[k]];
        probes.push_back(std::move(p));
      }
      std::vector<uint32_t> freqs(probes.size());
      auto on_doc = [&](uint32_t d, uint32_t freq) {
        if (!is_live(d)) return;
        for (size_t i = 0; i < probes.size(); ++i)
          if (!probes[i].seek(d, freqs[i])) return;
        if (!phrases.empty()) {
          StoredDoc doc = stored(d, true, false);
          for (const auto& ph : phrases)
            if (!has_phrase(doc, ph.terms, ph.window)) return;
        }
        if (need_text_bits) part.text_docs.push_back(d);
        if (filtered && !filtered->contains(d)) return;
        ++part.total;
        if (!by_relevance) return consider_date(part, d);
        if (pool > 0 && part.best.size() == pool) {
          double most = bound(lead, freq);
          for (size_t i = 0; i < probes.size(); ++i) most += bound(probes[i].unit, freqs[i]);
          if (most <= part.best.top().first) return;  // a later docid with the same score ranks after
        }
        // Scored only now: most documents of the rarest list fail a probe, and the division costs.
        double k = kBm25K1 * ((1 - kBm25B) + kBm25B * slots_[d].length / avg);
        double score = units[lead].idf * (kBm25K1 + 1) * freq / (k + freq);
        for (size_t i = 0; i < probes.size(); ++i) score += units[probes[i].unit].idf * (kBm25K1 + 1) * freqs[i] / (k + freqs[i]);
        consider_score(part, {score, d});
      };
      if (units[lead].terms.size() == 1) {
        terms_[units[lead].terms[0]].each_in(lo, hi, on_doc);
      } else {
        const auto& docs = unit_docs[lead];
        for (size_t i = std::lower_bound(docs.begin(), docs.end(), lo) - docs.begin(); i < docs.size() && docs[i] < hi; ++i)
          on_doc(docs[i], unit_freqs[lead][i]);
      }
    };
    // A long scan is cut in two halves of the rarest list, scanned at once on two threads.
    bool split = units[lead].terms.size() == 1 && units[lead].estimate >= kParallelScan;
    if (!split) {
      scan(0, UINT32_MAX, all_part);
    } else {
      uint32_t middle = terms_[units[lead].terms[0]].middle_docid();
      Part second(better, newer);
      std::exception_ptr failure;
      std::thread helper([&] {
        try {
          scan(middle, UINT32_MAX, second);
        } catch (...) {
          failure = std::current_exception();
        }
      });
      try {
        scan(0, middle, all_part);
      } catch (...) {
        helper.join();
        throw;
      }
      helper.join();
      if (failure) std::rethrow_exception(failure);
      all_part.total += second.total;
      all_part.text_docs.insert(all_part.text_docs.end(), second.text_docs.begin(), second.text_docs.end());
      for (; !second.best.empty(); second.best.pop()) consider_score(all_part, second.best.top());
      for (; !second.newest.empty(); second.newest.pop()) consider_date(all_part, second.newest.top());
    }
  }
  res.total = all_part.total;
  auto& best = all_part.best;
  auto& newest = all_part.newest;
  auto& text_docs = all_part.text_docs;

  Bitmap text_bits;
  if (everything) text_bits = all_;
  else if (need_text_bits) text_bits.addMany(text_docs.size(), text_docs.data());
  if (everything) {
    Bitmap match = filtered ? all_ & *filtered : all_;
    res.total = match.cardinality();
    for (uint32_t d : match) consider_date(all_part, d);
  }

  // Facet counts. A field's own filter is left out of its counts (checkboxes are OR-ed: the
  // other values of the field stay visible with what they would add).
  std::optional<Bitmap> match_bits;
  for (const auto& field : q.facet_fields) {
    auto& counts = res.facets[field];
    Bitmap own;
    const Bitmap* base = &text_bits;
    if (filter_bits.count(field)) {
      own = text_bits;
      for (const auto& [other, bits] : filter_bits)
        if (other != field) own &= bits;
      base = &own;
    } else if (filtered) {
      if (!match_bits) match_bits = text_bits & *filtered;
      base = &*match_bits;
    }
    for (const auto& f : facets_)
      if (f.field == field)
        if (uint64_t c = base->and_cardinality(f.docs)) counts.push_back({f.value, c});
    std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.count != b.count ? a.count > b.count : a.value < b.value; });
  }

  // The page of hits.
  std::vector<std::pair<uint32_t, double>> page;
  if (by_relevance) {
    std::vector<Scored> ranked;
    while (!best.empty()) ranked.push_back(best.top()), best.pop();
    if (boost) {
      // Words close together weigh more: "ateliers découverte quartier" ranks "Ateliers de
      // découverte du quartier" before a text where the three words lie far apart. The window
      // leaves room for the stop words between them.
      auto window = static_cast<uint32_t>(2 * word_terms.size() + 1);
      for (auto& s : ranked)
        if (is_near(stored(s.second, true, false), word_terms, window)) s.first *= 2;
    }
    std::sort(ranked.begin(), ranked.end(), better);
    for (size_t i = q.offset; i < ranked.size() && i < want; ++i) page.emplace_back(ranked[i].second, ranked[i].first);
  } else {
    std::vector<uint32_t> sorted;
    while (!newest.empty()) sorted.push_back(newest.top()), newest.pop();
    std::reverse(sorted.begin(), sorted.end());
    for (size_t i = q.offset; i < sorted.size(); ++i) page.emplace_back(sorted[i], 0.0);
  }

  SnippetTerms marks;
  for (const auto& p : parts) {
    if (p.kind == QueryPart::Kind::prefix) marks.prefixes.push_back(p.prefix);
    marks.terms.insert(p.terms.begin(), p.terms.end());
  }
  for (const auto& [docid, weight] : page) {
    StoredDoc d = stored(docid, false);
    Hit h{d.kind, d.id, weight, d.territory, d.title, d.url, d.date};
    std::string text = d.summary;
    if (!d.body.empty()) text += (text.empty() ? "" : "\n\n") + d.body;
    h.snippet_html = make_snippet(text.empty() ? d.title : text, marks, analyzer);
    res.hits.push_back(std::move(h));
  }

  // "Vouliez-vous dire" for the words no live document contains, from the words of indexed
  // documents only, keeping a proposal only if its own term is in a live document.
  auto found = [&](const std::string& term) {
    auto id = committed_term(term);
    return id && has_live_posting(*id);
  };
  std::string corrected = q.text;
  bool changed = false;
  for (auto p = parts.rbegin(); p != parts.rend(); ++p) {
    if (p->kind != QueryPart::Kind::word || found(p->terms[0])) continue;
    auto near = spelling_.near(text::lower(p->surface), 2);
    // The closest first; the same distance: the term more documents hold, then the word.
    std::sort(near.begin(), near.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      if (terms_[a.second].size() != terms_[b.second].size()) return terms_[a.second].size() > terms_[b.second].size();
      return spelling_.word(a.second) < spelling_.word(b.second);
    });
    std::string proposal;
    for (size_t i = 0; i < near.size() && i < 20 && proposal.empty(); ++i) {
      const std::string& word = spelling_.word(near[i].second);
      std::string term = analyzer.term(word);
      if (!term.empty() && found(term)) proposal = word;
    }
    if (proposal.empty()) continue;
    corrected.replace(p->begin, p->end - p->begin, proposal);
    changed = true;
  }
  if (changed) res.suggestion = corrected;
  return res;
}

}  // namespace passerelle::search::detail
