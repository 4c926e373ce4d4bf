// The engine's reading side. The set of matching documents is computed as a bitmap (posting
// lists of the query terms, intersected, then the filters), which gives the exact total and the
// exact facet counts by bitmap intersections; Xapian ranks only the top of the list (BM25 with
// its max-weight pruning, no check_at_least). Phrases need positions: for them Xapian makes one
// full pass and a match spy collects the documents.
#include <algorithm>
#include <queue>
#include <unordered_set>

#include "search/engine_impl.hpp"
#include "search/query_text.hpp"
#include "search/snippet.hpp"

namespace passerelle::search::detail {

namespace {

class CollectDocids : public Xapian::MatchSpy {
 public:
  explicit CollectDocids(Bitmap& out) : out_(out) {}
  void operator()(const Xapian::Document& doc, double) override { out_.add(doc.get_docid()); }

 private:
  Bitmap& out_;
};

Xapian::Query part_query(const QueryPart& p) {
  switch (p.kind) {
    case QueryPart::Kind::word: return Xapian::Query(p.terms[0]);
    case QueryPart::Kind::prefix: return Xapian::Query(Xapian::Query::OP_SYNONYM, p.terms.begin(), p.terms.end());
    case QueryPart::Kind::phrase: {
      Xapian::termcount window = p.positions.back() - p.positions.front() + 1;
      return Xapian::Query(Xapian::Query::OP_PHRASE, p.terms.begin(), p.terms.end(), window);
    }
  }
  return Xapian::Query();
}

struct DateOrder {
  const std::vector<int64_t>* dates;
  int64_t date(uint32_t d) const { return d < dates->size() ? (*dates)[d] : 0; }
  // "a ranks after b": older first out of the heap; the same date: the lower docid is older.
  bool operator()(uint32_t a, uint32_t b) const {
    int64_t da = date(a), db = date(b);
    return da != db ? da > db : a > b;
  }
};

}  // namespace

class XapianEngine::ReaderLease {
 public:
  ReaderLease(const XapianEngine& engine) : engine_(engine), reader_(engine.acquire_reader()) {}
  ~ReaderLease() {
    if (reader_ && std::uncaught_exceptions() == 0) engine_.release_reader(std::move(reader_));
  }
  Xapian::Database& db() { return reader_->db; }

 private:
  const XapianEngine& engine_;
  std::unique_ptr<Reader> reader_;
};

std::vector<std::string> XapianEngine::expand_prefix(Xapian::Database& db, const std::string& prefix) const {
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  size_t scanned = 0;
  for (auto t = db.allterms_begin(prefix), end = db.allterms_end(prefix); t != end && scanned < 20 * kPrefixExpansions; ++t, ++scanned)
    found.emplace_back(t.get_termfreq(), *t);
  // Terms are stems, often shorter than what was typed: "numeri*" must find "numer" (numérique).
  size_t shortest = prefix.size() > 6 ? prefix.size() - 2 : 4;
  for (size_t k = prefix.size(); k-- > shortest;) {
    if ((static_cast<unsigned char>(prefix[k]) & 0xC0) == 0x80) continue;  // inside a UTF-8 character
    std::string stem = prefix.substr(0, k);
    if (auto f = db.get_termfreq(stem)) found.emplace_back(f, stem);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  if (found.size() > kPrefixExpansions) found.resize(kPrefixExpansions);
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

Results XapianEngine::search(const Query& q) const {
  auto state = read_state();
  ReaderLease reader(*this);
  Xapian::Database& db = reader.db();
  text::Analyzer& analyzer = thread_analyzer();
  Results res;

  auto parts = parse_query_text(q.text, analyzer);
  bool has_phrase = false, impossible = false;
  for (auto& p : parts) {
    if (p.kind == QueryPart::Kind::prefix) p.terms = expand_prefix(db, p.prefix);
    if (p.kind == QueryPart::Kind::phrase) has_phrase = true;
    if (p.terms.empty()) impossible = true;  // a prefix nothing starts with
  }

  // Filters: OR within a field, AND across fields.
  std::map<std::string, std::vector<std::string>> wanted;
  for (const auto& k : q.kinds) wanted["kind"].push_back(k);
  for (const auto& f : q.filters) wanted[f.field].push_back(f.value);
  std::map<std::string, Bitmap> filter_bits;
  std::vector<Xapian::Query> filter_queries;
  for (auto& [field, values] : wanted) {
    Bitmap& bits = filter_bits[field];
    std::vector<Xapian::Query> terms;
    auto fit = facets_.find(field);
    for (const auto& v : values) {
      terms.emplace_back(facet_term(field, v));
      if (fit == facets_.end()) continue;
      if (auto vit = fit->second.find(v); vit != fit->second.end()) bits |= vit->second;
    }
    filter_queries.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
  }

  // Documents matching the text, before filters.
  Bitmap text_bits;
  Xapian::Query text_query;
  std::vector<Xapian::Query> part_queries;  // one per part, AND-ed; reused for the proximity boost
  if (parts.empty()) {
    text_bits = all_;
  } else if (!impossible) {
    for (const auto& p : parts) part_queries.push_back(part_query(p));
    text_query = Xapian::Query(Xapian::Query::OP_AND, part_queries.begin(), part_queries.end());
    if (has_phrase) {
      Xapian::Enquire enquire(db);
      enquire.set_query(text_query);
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      CollectDocids spy(text_bits);
      enquire.add_matchspy(&spy);
      enquire.get_mset(0, 0, db.get_doccount());
    } else {
      // Smallest sets first: the intersection shrinks fastest.
      std::vector<Bitmap> sets;
      for (const auto& p : parts) {
        if (p.terms.size() == 1) {
          sets.push_back(*term_bitmap(db, p.terms[0]));
          continue;
        }
        std::vector<std::shared_ptr<const Bitmap>> owned;
        std::vector<const Bitmap*> inputs;
        for (const auto& t : p.terms) {
          owned.push_back(term_bitmap(db, t));
          inputs.push_back(owned.back().get());
        }
        sets.push_back(Bitmap::fastunion(inputs.size(), inputs.data()));
      }
      std::sort(sets.begin(), sets.end(), [](const Bitmap& a, const Bitmap& b) { return a.cardinality() < b.cardinality(); });
      text_bits = std::move(sets[0]);
      for (size_t i = 1; i < sets.size() && !text_bits.isEmpty(); ++i) text_bits &= sets[i];
    }
  }

  Bitmap match = text_bits;
  for (const auto& [field, bits] : filter_bits) match &= bits;
  res.total = match.cardinality();

  // Facet counts. A field's own filter is left out of its counts (checkboxes are OR-ed: the
  // other values of the field stay visible with what they would add).
  for (const auto& field : q.facet_fields) {
    auto fit = facets_.find(field);
    if (fit == facets_.end()) {
      res.facets[field];
      continue;
    }
    const Bitmap* base = &match;
    Bitmap own;
    if (filter_bits.count(field)) {
      own = text_bits;
      for (const auto& [other, bits] : filter_bits)
        if (other != field) own &= bits;
      base = &own;
    }
    auto& counts = res.facets[field];
    for (const auto& [value, bits] : fit->second)
      if (uint64_t c = base->and_cardinality(bits)) counts.push_back({value, c});
    std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.count != b.count ? a.count > b.count : a.value < b.value; });
  }

  // The page of hits.
  std::vector<std::pair<Xapian::docid, double>> page;
  size_t want = q.offset + q.limit;
  if (res.total > q.offset && q.limit > 0) {
    if (!parts.empty() && q.sort == Query::Sort::relevance) {
      Xapian::Query ranked = text_query;
      // Words close together weigh more: "ateliers découverte quartier" ranks "Ateliers de
      // découverte du quartier" before a text where the three words lie far apart. The window
      // leaves room for the stop words between them; only documents matching the words pay it.
      bool words_only = std::all_of(parts.begin(), parts.end(), [](const QueryPart& p) { return p.kind == QueryPart::Kind::word; });
      if (words_only && parts.size() >= 2 && parts.size() <= 8) {
        auto window = static_cast<Xapian::termcount>(2 * parts.size() + 1);
        ranked = Xapian::Query(Xapian::Query::OP_AND_MAYBE, ranked,
                               Xapian::Query(Xapian::Query::OP_NEAR, part_queries.begin(), part_queries.end(), window));
      }
      if (!filter_queries.empty())
        ranked = Xapian::Query(Xapian::Query::OP_FILTER, ranked,
                               Xapian::Query(Xapian::Query::OP_AND, filter_queries.begin(), filter_queries.end()));
      Xapian::Enquire enquire(db);
      enquire.set_query(ranked);
      Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(q.offset), static_cast<Xapian::doccount>(q.limit));
      for (auto it = mset.begin(); it != mset.end(); ++it) page.emplace_back(*it, it.get_weight());
    } else {
      // Newest first, from the dates kept in memory: no pass over the index.
      DateOrder order{&dates_};
      std::priority_queue<uint32_t, std::vector<uint32_t>, DateOrder> heap(order);
      for (uint32_t d : match) {
        if (heap.size() < want) heap.push(d);
        else if (order(d, heap.top())) {
          heap.pop();
          heap.push(d);
        }
      }
      std::vector<uint32_t> sorted;
      while (!heap.empty()) {
        sorted.push_back(heap.top());
        heap.pop();
      }
      std::reverse(sorted.begin(), sorted.end());
      for (size_t i = q.offset; i < sorted.size(); ++i) page.emplace_back(sorted[i], 0.0);
    }
  }

  SnippetTerms marks;
  for (const auto& p : parts) {
    if (p.kind == QueryPart::Kind::prefix) marks.prefixes.push_back(p.prefix);
    marks.terms.insert(p.terms.begin(), p.terms.end());
  }
  for (const auto& [docid, weight] : page) {
    auto d = parse_data(db.get_document(docid).get_data());
    Hit h{d.kind, d.id, weight, d.territory, d.title, d.url, d.date};
    std::string text = d.summary;
    if (!d.body.empty()) text += (text.empty() ? "" : "\n\n") + d.body;
    h.snippet_html = make_snippet(text.empty() ? d.title : text, marks, analyzer);
    res.hits.push_back(std::move(h));
  }

  // "Vouliez-vous dire" for the words no document contains, from the spelling table (words of
  // indexed documents only), keeping a proposal only if its own term is in the index.
  std::string corrected = q.text;
  bool changed = false;
  for (auto p = parts.rbegin(); p != parts.rend(); ++p) {
    if (p->kind != QueryPart::Kind::word || db.get_termfreq(p->terms[0]) > 0) continue;
    std::string proposal = db.get_spelling_suggestion(lower(p->surface), 2);
    if (proposal.empty()) continue;
    std::string term = analyzer.term(proposal);
    if (term.empty() || db.get_termfreq(term) == 0) continue;
    corrected.replace(p->begin, p->end - p->begin, proposal);
    changed = true;
  }
  if (changed) res.suggestion = corrected;
  return res;
}

}  // namespace passerelle::search::detail
