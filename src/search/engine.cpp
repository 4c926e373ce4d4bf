// The engine's writing side: analysis, the queue of changes, commits (see engine_impl.hpp).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <thread>

#include "search/engine_impl.hpp"

namespace passerelle::search {

namespace detail {

namespace {
constexpr uint32_t kTitleWeight = 6, kSummaryWeight = 3, kBodyWeight = 1;
constexpr uint32_t kFieldGap = 100;     // positions between fields: no phrase across them
constexpr size_t kMaxTermBytes = 200;   // longer "words" are garbage (URLs without spaces, keys)
constexpr size_t kSpellingMinBytes = 3;
constexpr uint64_t kCompactMinDead = 1000;
constexpr uint32_t kSurfaceSample = 8;

bool spelling_worthy(std::string_view surface) {
  if (surface.size() < kSpellingMinBytes || surface.size() > 64) return false;
  for (unsigned char c : surface)
    if (std::isalpha(c) || c >= 0x80) return true;
  return false;
}

// "l'école" → "école": the elided article is not part of the word people type.
std::string_view without_elision(std::string_view surface) {
  size_t cut = std::min(surface.rfind('\''), surface.rfind("\xE2\x80\x99"));
  if (cut == std::string_view::npos) return surface;
  return surface.substr(cut + (surface[cut] == '\'' ? 1 : 3));
}

std::string key_of(const std::string& kind, int64_t id) { return kind + '\x1F' + std::to_string(id); }

bool valid_facet(const std::string& field, const std::string& value) {
  return !field.empty() && !value.empty() && field.find(':') == std::string::npos && field.find('\x1F') == std::string::npos;
}

}  // namespace

text::Analyzer& thread_analyzer() {
  thread_local text::Analyzer analyzer;
  return analyzer;
}

Prepared prepare(const Document& doc, text::Analyzer& analyzer) {
  Prepared p;
  p.kind = doc.kind;
  p.id = doc.id;
  p.date = doc.date;
  p.facets.emplace_back("kind", doc.kind);
  if (!doc.territory.empty()) p.facets.emplace_back("territory", doc.territory);
  for (const auto& f : doc.facets)
    if (valid_facet(f.field, f.value)) p.facets.emplace_back(f.field, f.value);
  std::sort(p.facets.begin(), p.facets.end());
  p.facets.erase(std::unique(p.facets.begin(), p.facets.end()), p.facets.end());

  // The three fields' tokens stay alive together: the table of distinct terms points into them.
  thread_local std::vector<text::Token> tokens[3];
  thread_local std::vector<std::pair<std::string_view, uint32_t>> table;  // open addressing
  thread_local std::vector<std::pair<uint32_t, uint32_t>> sequence;
  const std::string* texts[3] = {&doc.title, &doc.summary, &doc.body};
  size_t count = 0;
  for (int f = 0; f < 3; ++f) {
    tokens[f].clear();
    analyzer.tokens(*texts[f], tokens[f]);
    count += tokens[f].size();
  }
  size_t slots = 64;
  while (slots < 2 * count) slots *= 2;
  table.assign(slots, {std::string_view(), UINT32_MAX});
  sequence.clear();
  const uint32_t weights[3] = {kTitleWeight, kSummaryWeight, kBodyWeight};
  uint32_t base = 1;
  for (int f = 0; f < 3; ++f) {
    uint32_t last = 0;
    for (const auto& t : tokens[f]) {
      last = std::max(last, t.position);
      if (t.term.empty() || t.term.size() > kMaxTermBytes) continue;
      size_t h = std::hash<std::string_view>{}(t.term) & (slots - 1);
      while (table[h].second != UINT32_MAX && table[h].first != t.term) h = (h + 1) & (slots - 1);
      if (table[h].second == UINT32_MAX) {
        table[h] = {t.term, static_cast<uint32_t>(p.terms.size())};
        p.terms.push_back(t.term);
        p.weights.push_back(0);
        p.surfaces.emplace_back();
      }
      uint32_t k = table[h].second;
      p.weights[k] += weights[f];
      p.length += weights[f];
      sequence.emplace_back(k, base + t.position);
      if (p.surfaces[k].empty()) {
        auto surface = without_elision(std::string_view(*texts[f]).substr(t.begin, t.end - t.begin));
        if (spelling_worthy(surface)) p.surfaces[k] = surface;
      }
    }
    base += last + kFieldGap;
  }
  p.head = encode_head(doc, sequence);
  return p;
}

Batch make_batch(const Document* begin, const Document* end, text::Analyzer& analyzer) {
  Batch b;
  b.docs.reserve(static_cast<size_t>(end - begin));
  for (const Document* d = begin; d != end; ++d) b.docs.push_back(prepare(*d, analyzer));
  // Open addressing over views into b.docs' terms, which stay put.
  size_t count = 0;
  for (const auto& p : b.docs) count += p.terms.size();
  size_t slots = 64;
  while (slots < 2 * count) slots *= 2;
  std::vector<std::pair<std::string_view, uint32_t>> table(slots, {std::string_view(), UINT32_MAX});
  std::vector<uint32_t> sampled;  // per batch term: surfaces counted so far
  for (auto& p : b.docs) {
    p.batch_terms.resize(p.terms.size());
    for (size_t k = 0; k < p.terms.size(); ++k) {
      std::string_view term = p.terms[k];
      size_t h = std::hash<std::string_view>{}(term) & (slots - 1);
      while (table[h].second != UINT32_MAX && table[h].first != term) h = (h + 1) & (slots - 1);
      if (table[h].second == UINT32_MAX) {
        table[h] = {term, static_cast<uint32_t>(b.terms.size())};
        b.terms.push_back(p.terms[k]);
        b.forms.emplace_back();
        sampled.push_back(0);
      }
      uint32_t t = p.batch_terms[k] = table[h].second;
      // A sample is enough to know the usual form of a frequent term: the first 8 per batch.
      if (!p.surfaces[k].empty() && sampled[t] < kSurfaceSample) {
        b.forms[t].add(p.surfaces[k]);
        ++sampled[t];
      }
    }
  }
  for (auto& p : b.docs) {
    p.terms = {};
    p.surfaces = {};
  }
  return b;
}

// ---------------------------------------------------------------------------------------------

MemoryEngine::~MemoryEngine() {
  try {
    if (!pending_.empty()) commit();
    std::lock_guard lock(writer_mutex_);
    if (changes_since_snapshot_ > 0) maybe_snapshot(true);
  } catch (const std::exception&) {
    // The index is derived data: at the next start the Service replays or rebuilds it.
  }
  docs_file_.close();
  if (lock_fd_ >= 0) ::close(lock_fd_);
  if (temporary_) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

uint32_t MemoryEngine::term_id(const std::string& term) {
  if (auto it = term_ids_.find(term); it != term_ids_.end()) return it->second;
  std::lock_guard vocab(vocab_mutex_);
  auto id = static_cast<uint32_t>(term_names_.size());
  term_ids_.emplace(term, id);
  term_names_.push_back(term);
  return id;
}

uint32_t MemoryEngine::facet_id(const std::string& field, const std::string& value) {
  std::string key = field + '\x1F' + value;
  if (auto it = facet_ids_.find(key); it != facet_ids_.end()) return it->second;
  std::lock_guard vocab(vocab_mutex_);
  auto id = static_cast<uint32_t>(facet_names_.size());
  facet_ids_.emplace(std::move(key), id);
  facet_names_.emplace_back(field, value);
  return id;
}

void MemoryEngine::queue(Batch&& batch) {
  std::vector<uint32_t> global(batch.terms.size());
  for (size_t k = 0; k < batch.terms.size(); ++k) {
    uint32_t id = global[k] = term_id(batch.terms[k]);
    if (batch.forms[k].forms.empty()) continue;
    if (forms_.size() <= id) forms_.resize(id + 1), is_touched_.resize(id + 1, false);
    if (forms_[id].settled()) continue;
    forms_[id].merge(batch.forms[k]);
    if (!is_touched_[id]) is_touched_[id] = true, touched_.push_back(id);
  }
  std::vector<uint32_t> ids;
  for (auto& p : batch.docs) {
    Change c;
    c.kind = std::move(p.kind);
    c.id = p.id;
    c.date = p.date;
    c.length = p.length;
    ids.resize(p.batch_terms.size());
    c.freqs.reserve(ids.size());
    for (size_t k = 0; k < ids.size(); ++k) {
      ids[k] = global[p.batch_terms[k]];
      c.freqs.emplace_back(ids[k], p.weights[k]);
    }
    std::sort(c.freqs.begin(), c.freqs.end());
    for (const auto& [field, value] : p.facets) c.facet_ids.push_back(facet_id(field, value));
    c.record = docs_file_.append(p.head, encode_tail(ids, c.facet_ids));
    std::string key = key_of(c.kind, c.id);
    if (auto it = pending_index_.find(key); it != pending_index_.end()) pending_[it->second] = std::move(c);
    else {
      pending_index_.emplace(std::move(key), pending_.size());
      pending_.push_back(std::move(c));
    }
  }
}

void MemoryEngine::put(const Document& doc) {
  Batch b = make_batch(&doc, &doc + 1, thread_analyzer());  // outside the lock
  std::lock_guard lock(writer_mutex_);
  queue(std::move(b));
}

void MemoryEngine::put_many(const std::vector<Document>& docs) {
  if (docs.size() < 64) {
    for (const auto& d : docs) put(d);
    return;
  }
  // Two threads analyse chunks as they come; this one also hands the analysed chunks to the
  // writer in order, so both cores stay busy and the order of the queue is the order given.
  constexpr size_t kChunk = 256;
  size_t chunks = (docs.size() + kChunk - 1) / kChunk;
  std::vector<Batch> prepared(chunks);
  std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[chunks]);
  for (size_t k = 0; k < chunks; ++k) done[k] = false;
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr failure;
  auto analyse = [&](size_t k) {
    const Document* first = docs.data() + k * kChunk;
    prepared[k] = make_batch(first, first + std::min(kChunk, docs.size() - k * kChunk), thread_analyzer());
    done[k].store(true, std::memory_order_release);
  };
  std::thread helper([&] {
    try {
      for (size_t k; !failed && (k = next++) < chunks;) analyse(k);
    } catch (...) {
      failure = std::current_exception();
      failed = true;
    }
  });
  try {
    std::lock_guard lock(writer_mutex_);
    for (size_t q = 0; q < chunks && !failed;) {
      if (done[q].load(std::memory_order_acquire)) {
        queue(std::move(prepared[q]));
        prepared[q] = {};
        ++q;
      } else if (size_t k = next++; k < chunks) {
        analyse(k);
      } else {
        std::this_thread::yield();  // the helper finishes the chunk this one waits for
      }
    }
  } catch (...) {
    failed = true;
    helper.join();
    throw;
  }
  helper.join();
  if (failure) std::rethrow_exception(failure);
}

void MemoryEngine::remove(const std::string& kind, int64_t id) {
  std::lock_guard lock(writer_mutex_);
  Change c;
  c.kind = kind;
  c.id = id;
  c.removed = true;
  std::string key = key_of(kind, id);
  if (auto it = pending_index_.find(key); it != pending_index_.end()) pending_[it->second] = std::move(c);
  else {
    pending_index_.emplace(std::move(key), pending_.size());
    pending_.push_back(std::move(c));
  }
}

std::optional<uint32_t> MemoryEngine::docid_of(const std::string& kind, int64_t id) const {
  auto k = ids_.find(kind);
  if (k == ids_.end()) return std::nullopt;
  auto d = k->second.find(id);
  if (d == k->second.end()) return std::nullopt;
  return d->second;
}

StoredDoc MemoryEngine::stored(uint32_t docid, bool with_sequence, bool with_texts) const {
  StoredDoc d;
  if (!decode(docs_file_.read(slots_[docid].record), d, with_sequence, with_texts))
    throw std::runtime_error("index de recherche endommagé : fiche " + std::to_string(docid) + " illisible dans " + docs_file_.path());
  return d;
}

void MemoryEngine::forget(uint32_t docid) {
  live_[docid / 64] &= ~(uint64_t{1} << (docid % 64));
  all_.remove(docid);
  live_length_ -= slots_[docid].length;
  ++dead_;
  StoredDoc old = stored(docid, false);
  for (uint32_t f : old.facet_ids)
    if (f < facets_.size()) facets_[f].docs.remove(docid);
}

void MemoryEngine::apply(Change& c) {
  if (auto old = docid_of(c.kind, c.id)) forget(*old);
  if (c.removed) {
    if (auto k = ids_.find(c.kind); k != ids_.end()) k->second.erase(c.id);
    return;
  }
  auto docid = static_cast<uint32_t>(slots_.size());
  slots_.push_back({c.record, c.length, c.date});
  if (live_.size() * 64 <= docid) live_.resize(live_.size() + 1 + live_.size() / 2, 0);
  live_[docid / 64] |= uint64_t{1} << (docid % 64);
  all_.add(docid);
  live_length_ += c.length;
  for (auto [term, freq] : c.freqs) terms_[term].append(docid, freq);
  for (uint32_t f : c.facet_ids) facets_[f].docs.add(docid);
  ids_[c.kind][c.id] = docid;
}

void MemoryEngine::compact() {
  for (auto& list : terms_) list = list.filtered([this](uint32_t d) { return is_live(d); });
  dead_ = 0;
}

void MemoryEngine::update_spelling() {
  for (uint32_t t : touched_) {
    is_touched_[t] = false;
    const std::string& best = forms_[t].best();
    if (!best.empty()) spelling_.set(t, text::lower(best));  // set() ignores an unchanged word
  }
  touched_.clear();
}

void MemoryEngine::commit() {
  std::lock_guard lock(writer_mutex_);
  docs_file_.flush();
  {
    auto state = write_state();
    size_t old_terms = terms_.size();
    terms_.resize(term_names_.size());
    for (size_t f = facets_.size(); f < facet_names_.size(); ++f) facets_.push_back({facet_names_[f].first, facet_names_[f].second, {}});
    for (auto& c : pending_) apply(c);
    changes_since_snapshot_ += pending_.size();
    if (pending_.size() > 1000) {
      all_.runOptimize();
      for (auto& f : facets_) f.docs.runOptimize();
    }
    pending_.clear();
    pending_index_.clear();
    if (terms_.size() > old_terms) {
      std::vector<std::pair<std::string, uint32_t>> added;
      for (size_t t = old_terms; t < terms_.size(); ++t) added.emplace_back(term_names_[t], static_cast<uint32_t>(t));
      std::sort(added.begin(), added.end());
      size_t middle = sorted_terms_.size();
      sorted_terms_.insert(sorted_terms_.end(), std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
      std::inplace_merge(sorted_terms_.begin(), sorted_terms_.begin() + static_cast<std::ptrdiff_t>(middle), sorted_terms_.end());
    }
    update_spelling();
    if (dead_ >= kCompactMinDead && dead_ * 3 > all_.cardinality()) compact();
  }
  maybe_snapshot(false);
}

void MemoryEngine::reset_state() {
  pending_.clear();
  pending_index_.clear();
  metadata_.clear();
  {
    std::lock_guard vocab(vocab_mutex_);
    term_ids_.clear();
    term_names_.clear();
    facet_ids_.clear();
    facet_names_.clear();
  }
  terms_.clear();
  sorted_terms_.clear();
  facets_.clear();
  slots_.clear();
  live_.clear();
  all_ = Bitmap();
  ids_.clear();
  live_length_ = 0;
  dead_ = 0;
  spelling_.clear();
  forms_.clear();
  touched_.clear();
  is_touched_.clear();
}

void MemoryEngine::clear() {
  std::lock_guard lock(writer_mutex_);
  auto state = write_state();
  reset_state();
  open_docs(docs_generation_ + 1);
  changes_since_snapshot_ = 1;  // the empty index is a state to save too
}

uint64_t MemoryEngine::size() const {
  auto state = read_state();
  return all_.cardinality();
}

std::vector<std::string> MemoryEngine::facet_fields() const {
  auto state = read_state();
  std::vector<std::string> out;
  for (const auto& f : facets_)
    if (!f.docs.isEmpty()) out.push_back(f.field);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string MemoryEngine::metadata(const std::string& key) const {
  std::lock_guard lock(writer_mutex_);
  auto it = metadata_.find(key);
  return it == metadata_.end() ? "" : it->second;
}

void MemoryEngine::set_metadata(const std::string& key, const std::string& value) {
  std::lock_guard lock(writer_mutex_);
  metadata_[key] = value;
  ++changes_since_snapshot_;
}

}  // namespace detail

std::unique_ptr<Engine> Engine::open(const std::string& dir) {
  if (!dir.empty()) {
    std::filesystem::create_directories(dir);
    return std::make_unique<detail::MemoryEngine>(dir, false);
  }
  std::string templ = (std::filesystem::temp_directory_path() / "passerelle-index-XXXXXX").string();
  if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp a échoué pour l'index de recherche temporaire");
  return std::make_unique<detail::MemoryEngine>(templ, true);
}

}  // namespace passerelle::search
