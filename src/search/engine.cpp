// The engine's writing side: analysis into Xapian documents, put/remove/commit, and the
// in-memory bitmaps rebuilt at open and kept in step at each commit (see engine_impl.hpp).
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_set>

#include "search/engine_impl.hpp"

namespace passerelle::search {

namespace detail {

namespace {
constexpr unsigned kTitleWdf = 6, kSummaryWdf = 3, kBodyWdf = 1;
constexpr uint32_t kFieldGap = 100;     // positions between fields: no phrase across them
constexpr size_t kMaxTermBytes = 200;   // Glass refuses terms over 245 bytes
constexpr size_t kSpellingMinBytes = 3;

bool has_letter(std::string_view folded) {
  for (unsigned char c : folded)
    if (std::isalpha(c) || c >= 0x80) return true;
  return false;
}

void spelling_words(std::string_view text, text::Analyzer& analyzer, std::unordered_set<std::string>& out) {
  std::vector<text::Word> words;
  analyzer.words(text, words);
  for (const auto& w : words) {
    if (w.stop || w.folded.size() < kSpellingMinBytes || w.folded.size() > 64 || !has_letter(w.folded)) continue;
    std::string_view surface = text.substr(w.begin, w.end - w.begin);
    // "l'école" → "école": the elided article is not part of the word people type.
    size_t cut = std::min(surface.rfind('\''), surface.rfind("\xE2\x80\x99"));
    if (cut != std::string_view::npos) surface = surface.substr(cut + (surface[cut] == '\'' ? 1 : 3));
    if (surface.size() < kSpellingMinBytes) continue;
    out.insert(lower(surface));
  }
}

std::vector<std::string> spelling_words(std::string_view title, std::string_view summary, std::string_view body, text::Analyzer& analyzer) {
  std::unordered_set<std::string> set;
  spelling_words(title, analyzer, set);
  spelling_words(summary, analyzer, set);
  spelling_words(body, analyzer, set);
  return {set.begin(), set.end()};
}

Xapian::WritableDatabase open_writer(const std::string& dir, int action) {
  return Xapian::WritableDatabase(dir, action | Xapian::DB_BACKEND_GLASS);
}

// Reads a posting list into a bitmap, in chunks (addMany is much faster than add per docid).
void read_postings(Xapian::Database& db, const std::string& term, Bitmap& out) {
  std::vector<uint32_t> chunk;
  chunk.reserve(4096);
  for (auto it = db.postlist_begin(term), end = db.postlist_end(term); it != end; ++it) {
    chunk.push_back(*it);
    if (chunk.size() == 4096) {
      out.addMany(chunk.size(), chunk.data());
      chunk.clear();
    }
  }
  out.addMany(chunk.size(), chunk.data());
}

}  // namespace

std::string id_term(std::string_view kind, int64_t id) { return "Q" + std::string(kind) + ":" + std::to_string(id); }

std::string facet_term(std::string_view field, std::string_view value) {
  std::string t = "F" + std::string(field) + ":" + std::string(value);
  if (t.size() > kMaxTermBytes) {
    size_t cut = kMaxTermBytes;
    while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
    t.resize(cut);
  }
  return t;
}

bool split_facet_term(std::string_view term, std::string& field, std::string& value) {
  if (term.empty() || term[0] != 'F') return false;
  auto colon = term.find(':');
  if (colon == std::string_view::npos) return false;
  field = term.substr(1, colon - 1);
  value = term.substr(colon + 1);
  return true;
}

std::string lower(std::string_view word) { return Xapian::Unicode::tolower(std::string(word)); }

text::Analyzer& thread_analyzer() {
  thread_local text::Analyzer analyzer;
  return analyzer;
}

Prepared prepare(const Document& doc, text::Analyzer& analyzer) {
  Prepared p;
  p.id_term = id_term(doc.kind, doc.id);
  p.date = doc.date;
  Xapian::Document& x = p.xdoc;
  x.add_boolean_term(p.id_term);
  p.facet_terms.push_back(facet_term("kind", doc.kind));
  if (!doc.territory.empty()) p.facet_terms.push_back(facet_term("territory", doc.territory));
  for (const auto& f : doc.facets)
    if (!f.field.empty() && !f.value.empty() && f.field.find(':') == std::string::npos) p.facet_terms.push_back(facet_term(f.field, f.value));
  std::sort(p.facet_terms.begin(), p.facet_terms.end());
  p.facet_terms.erase(std::unique(p.facet_terms.begin(), p.facet_terms.end()), p.facet_terms.end());
  for (const auto& t : p.facet_terms) x.add_boolean_term(t);

  uint32_t base = 1;
  std::vector<text::Token> tokens;
  auto index = [&](std::string_view text, unsigned wdf) {
    tokens.clear();
    analyzer.tokens(text, tokens);
    uint32_t last = 0;
    for (const auto& t : tokens) {
      if (t.term.empty() || t.term.size() > kMaxTermBytes) continue;
      x.add_posting(t.term, base + t.position, wdf);
      p.terms.push_back(t.term);
      last = std::max(last, t.position);
    }
    base += last + kFieldGap;
  };
  index(doc.title, kTitleWdf);
  index(doc.summary, kSummaryWdf);
  index(doc.body, kBodyWdf);
  std::sort(p.terms.begin(), p.terms.end());
  p.terms.erase(std::unique(p.terms.begin(), p.terms.end()), p.terms.end());

  x.add_value(kDateSlot, Xapian::sortable_serialise(static_cast<double>(doc.date)));
  x.set_data(nlohmann::json{{"k", doc.kind}, {"i", doc.id}, {"t", doc.title}, {"u", doc.url}, {"r", doc.territory},
                            {"d", doc.date}, {"s", doc.summary}, {"b", doc.body}}
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  p.spellings = spelling_words(doc.title, doc.summary, doc.body, analyzer);
  return p;
}

StoredDoc parse_data(const std::string& data) {
  StoredDoc d;
  auto j = nlohmann::json::parse(data, nullptr, false);
  if (!j.is_object()) return d;
  d.kind = j.value("k", "");
  d.id = j.value("i", int64_t{0});
  d.title = j.value("t", "");
  d.url = j.value("u", "");
  d.territory = j.value("r", "");
  d.date = j.value("d", int64_t{0});
  d.summary = j.value("s", "");
  d.body = j.value("b", "");
  return d;
}

std::vector<std::string> spelling_words_of_data(const std::string& data, text::Analyzer& analyzer) {
  auto d = parse_data(data);
  return spelling_words(d.title, d.summary, d.body, analyzer);
}

// ---------------------------------------------------------------------------------------------

XapianEngine::XapianEngine(std::string dir, bool temporary)
    : dir_(std::move(dir)), temporary_(temporary), writer_(open_writer(dir_, Xapian::DB_CREATE_OR_OPEN)) {
  load_state();
}

XapianEngine::~XapianEngine() {
  {
    std::lock_guard pool(pool_mutex_);
    pool_.clear();
  }
  try {
    writer_.close();  // commits what is pending
  } catch (const Xapian::Error&) {
  }
  if (temporary_) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

void XapianEngine::load_state() {
  Xapian::Database db(dir_);
  all_ = Bitmap();
  facets_.clear();
  dates_.assign(db.get_lastdocid() + 1, 0);
  read_postings(db, "", all_);
  std::string field, value;
  for (auto t = db.allterms_begin("F"), end = db.allterms_end("F"); t != end; ++t)
    if (split_facet_term(*t, field, value)) read_postings(db, *t, facets_[field][value]);
  for (auto v = db.valuestream_begin(kDateSlot), end = db.valuestream_end(kDateSlot); v != end; ++v)
    dates_[v.get_docid()] = static_cast<int64_t>(Xapian::sortable_unserialise(*v));
  all_.runOptimize();
}

void XapianEngine::put(const Document& doc) {
  Prepared p = prepare(doc, thread_analyzer());  // outside the lock: the writer is the bottleneck
  std::lock_guard lock(writer_mutex_);
  apply(std::move(p));
}

void XapianEngine::put_many(const std::vector<Document>& docs) {
  if (docs.size() < 64) {
    for (const auto& d : docs) put(d);
    return;
  }
  // Analysis on two threads (it costs more than the Xapian write), then the writes in order.
  std::vector<Prepared> prepared(docs.size());
  std::exception_ptr failure;
  std::thread helper([&] {
    try {
      for (size_t i = 1; i < docs.size(); i += 2) prepared[i] = prepare(docs[i], thread_analyzer());
    } catch (...) {
      failure = std::current_exception();
    }
  });
  try {
    for (size_t i = 0; i < docs.size(); i += 2) prepared[i] = prepare(docs[i], thread_analyzer());
  } catch (...) {
    helper.join();
    throw;
  }
  helper.join();
  if (failure) std::rethrow_exception(failure);
  std::lock_guard lock(writer_mutex_);
  for (auto& p : prepared) apply(std::move(p));
}

void XapianEngine::forget_old(Xapian::docid docid, Change& change) {
  Xapian::Document old = writer_.get_document(docid);
  auto t = old.termlist_begin();
  for (t.skip_to("F"); t != old.termlist_end() && (*t)[0] == 'F'; ++t) change.old_facets.push_back(*t);
  for (const auto& w : spelling_words_of_data(old.get_data(), thread_analyzer())) writer_.remove_spelling(w);
}

void XapianEngine::apply(Prepared&& p) {
  Change change;
  change.new_facets = std::move(p.facet_terms);
  change.date = p.date;
  auto it = writer_.postlist_begin(p.id_term);
  if (it != writer_.postlist_end(p.id_term)) {
    change.docid = *it;
    forget_old(change.docid, change);
    writer_.replace_document(change.docid, p.xdoc);
  } else {
    change.docid = writer_.add_document(p.xdoc);
  }
  for (const auto& w : p.spellings) writer_.add_spelling(w);
  if (!pending_untracked_ && pending_.size() >= kPendingTermTracking) {
    pending_untracked_ = true;  // a bulk load: commit will drop the term cache instead
    for (auto& c : pending_) c.new_terms = {};
  }
  if (!pending_untracked_) change.new_terms = std::move(p.terms);
  pending_.push_back(std::move(change));
}

void XapianEngine::remove(const std::string& kind, int64_t id) {
  std::string term = id_term(kind, id);
  std::lock_guard lock(writer_mutex_);
  auto it = writer_.postlist_begin(term);
  if (it == writer_.postlist_end(term)) return;
  Change change;
  change.docid = *it;
  change.removed = true;
  forget_old(change.docid, change);
  writer_.delete_document(change.docid);
  pending_.push_back(std::move(change));
}

void XapianEngine::clear() {
  std::lock_guard lock(writer_mutex_);
  auto state = write_state();
  {
    std::lock_guard pool(pool_mutex_);
    pool_.clear();
  }
  writer_.close();
  writer_ = open_writer(dir_, Xapian::DB_CREATE_OR_OVERWRITE);
  pending_.clear();
  pending_untracked_ = false;
  all_ = Bitmap();
  facets_.clear();
  dates_.clear();
  {
    std::lock_guard cache(cache_mutex_);
    cache_.clear();
    lru_.clear();
  }
  generation_++;
}

void XapianEngine::commit() {
  std::lock_guard lock(writer_mutex_);
  auto state = write_state();
  writer_.commit();
  apply_changes();
  generation_++;
}

void XapianEngine::apply_changes() {
  std::lock_guard cache(cache_mutex_);
  if (pending_untracked_) {
    cache_.clear();
    lru_.clear();
  }
  std::string field, value;
  for (const auto& c : pending_) {
    for (const auto& f : c.old_facets) {
      if (!split_facet_term(f, field, value)) continue;
      auto fit = facets_.find(field);
      if (fit == facets_.end()) continue;
      auto vit = fit->second.find(value);
      if (vit == fit->second.end()) continue;
      vit->second.remove(c.docid);
      if (vit->second.isEmpty()) fit->second.erase(vit);
      if (fit->second.empty()) facets_.erase(fit);
    }
    if (c.removed) {
      all_.remove(c.docid);
    } else {
      all_.add(c.docid);
      for (const auto& f : c.new_facets)
        if (split_facet_term(f, field, value)) facets_[field][value].add(c.docid);
      if (dates_.size() <= c.docid) dates_.resize(c.docid + 1 + dates_.size() / 2, 0);
      dates_[c.docid] = c.date;
    }
    if (!pending_untracked_)
      for (auto& [term, entry] : cache_) {
        bool has = std::binary_search(c.new_terms.begin(), c.new_terms.end(), term);
        if (has) entry.bits->add(c.docid);
        else entry.bits->remove(c.docid);
      }
  }
  if (pending_.size() > 1000) all_.runOptimize();
  pending_.clear();
  pending_untracked_ = false;
}

uint64_t XapianEngine::size() const {
  auto state = read_state();
  return all_.cardinality();
}

std::vector<std::string> XapianEngine::facet_fields() const {
  auto state = read_state();
  std::vector<std::string> out;
  for (const auto& [field, values] : facets_) out.push_back(field);
  return out;
}

std::string XapianEngine::metadata(const std::string& key) const {
  std::lock_guard lock(writer_mutex_);
  return writer_.get_metadata(key);
}

void XapianEngine::set_metadata(const std::string& key, const std::string& value) {
  std::lock_guard lock(writer_mutex_);
  writer_.set_metadata(key, value);
}

std::unique_ptr<XapianEngine::Reader> XapianEngine::acquire_reader() const {
  std::unique_ptr<Reader> r;
  {
    std::lock_guard pool(pool_mutex_);
    if (!pool_.empty()) {
      r = std::move(pool_.back());
      pool_.pop_back();
    }
  }
  uint64_t now = generation_.load();
  if (!r) {
    r = std::make_unique<Reader>(Reader{Xapian::Database(dir_), now});
  } else if (r->generation != now) {
    r->db.reopen();
    r->generation = now;
  }
  return r;
}

void XapianEngine::release_reader(std::unique_ptr<Reader> r) const {
  std::lock_guard pool(pool_mutex_);
  if (pool_.size() < 32) pool_.push_back(std::move(r));
}

std::shared_ptr<const Bitmap> XapianEngine::term_bitmap(Xapian::Database& db, const std::string& term) const {
  {
    std::lock_guard cache(cache_mutex_);
    if (auto it = cache_.find(term); it != cache_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      return it->second.bits;
    }
  }
  auto bits = std::make_shared<Bitmap>();
  read_postings(db, term, *bits);
  if (bits->cardinality() >= kCacheMinFrequency) {
    bits->runOptimize();
    std::lock_guard cache(cache_mutex_);
    if (!cache_.count(term)) {
      lru_.push_front(term);
      cache_.emplace(term, CacheEntry{bits, lru_.begin()});
      if (cache_.size() > kCacheEntries) {
        cache_.erase(lru_.back());
        lru_.pop_back();
      }
    }
  }
  return bits;
}

}  // namespace detail

std::unique_ptr<Engine> Engine::open(const std::string& dir) {
  if (!dir.empty()) {
    std::filesystem::create_directories(dir);
    return std::make_unique<detail::XapianEngine>(dir, false);
  }
  std::string templ = (std::filesystem::temp_directory_path() / "passerelle-index-XXXXXX").string();
  if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp a échoué pour l'index de recherche temporaire");
  return std::make_unique<detail::XapianEngine>(templ, true);
}

}  // namespace passerelle::search
