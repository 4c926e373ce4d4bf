// The engine's writing side: analysis, the queue of changes, commits (see engine_impl.hpp).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <thread>
#include <unordered_set>

#include "search/engine_impl.hpp"

namespace passerelle::search {

namespace detail {

namespace {
constexpr uint32_t kTitleWeight = 6, kSummaryWeight = 3, kBodyWeight = 1;
constexpr uint32_t kFieldGap = 100;     // positions between fields: no phrase across them
constexpr size_t kMaxTermBytes = 200;   // longer "words" are garbage (URLs without spaces, keys)
constexpr size_t kSpellingMinBytes = 3;
constexpr uint64_t kCompactMinDead = 1000;

bool has_letter(std::string_view folded) {
  for (unsigned char c : folded)
    if (std::isalpha(c) || c >= 0x80) return true;
  return false;
}

void add_spelling_words(std::string_view text, text::Analyzer& analyzer, std::unordered_set<std::string>& out) {
  std::vector<text::Word> words;
  analyzer.words(text, words);
  for (const auto& w : words) {
    if (w.stop || w.folded.size() < kSpellingMinBytes || w.folded.size() > 64 || !has_letter(w.folded)) continue;
    std::string_view surface = text.substr(w.begin, w.end - w.begin);
    // "l'école" → "école": the elided article is not part of the word people type.
    size_t cut = std::min(surface.rfind('\''), surface.rfind("\xE2\x80\x99"));
    if (cut != std::string_view::npos) surface = surface.substr(cut + (surface[cut] == '\'' ? 1 : 3));
    if (surface.size() < kSpellingMinBytes) continue;
    out.insert(text::lower(surface));
  }
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

std::vector<std::string> spelling_words(const StoredDoc& d, text::Analyzer& analyzer) {
  std::unordered_set<std::string> set;
  add_spelling_words(d.title, analyzer, set);
  add_spelling_words(d.summary, analyzer, set);
  add_spelling_words(d.body, analyzer, set);
  return {set.begin(), set.end()};
}

Prepared prepare(const Document& doc, text::Analyzer& analyzer) {
  Prepared p;
  StoredDoc& s = p.stored;
  s.kind = doc.kind;
  s.id = doc.id;
  s.date = doc.date;
  s.territory = doc.territory;
  s.title = doc.title;
  s.url = doc.url;
  s.summary = doc.summary;
  s.body = doc.body;
  p.facets.emplace_back("kind", doc.kind);
  if (!doc.territory.empty()) p.facets.emplace_back("territory", doc.territory);
  for (const auto& f : doc.facets)
    if (valid_facet(f.field, f.value)) p.facets.emplace_back(f.field, f.value);
  std::sort(p.facets.begin(), p.facets.end());
  p.facets.erase(std::unique(p.facets.begin(), p.facets.end()), p.facets.end());

  uint32_t base = 1;
  std::vector<text::Token> tokens;
  auto index = [&](std::string_view text, uint32_t weight) {
    tokens.clear();
    analyzer.tokens(text, tokens);
    uint32_t last = 0;
    for (auto& t : tokens) {
      last = std::max(last, t.position);
      if (t.term.empty() || t.term.size() > kMaxTermBytes) continue;
      p.tokens.push_back({std::move(t.term), base + t.position, weight});
    }
    base += last + kFieldGap;
  };
  index(doc.title, kTitleWeight);
  index(doc.summary, kSummaryWeight);
  index(doc.body, kBodyWeight);
  p.spellings = spelling_words(s, analyzer);
  return p;
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

void MemoryEngine::queue(Prepared&& p) {
  Change c;
  c.kind = p.stored.kind;
  c.id = p.stored.id;
  c.date = p.stored.date;
  std::unordered_map<uint32_t, uint32_t> freqs;
  p.stored.sequence.reserve(p.tokens.size());
  for (const auto& t : p.tokens) {
    uint32_t id = term_id(t.term);
    freqs[id] += t.weight;
    c.length += t.weight;
    p.stored.sequence.emplace_back(id, t.position);
  }
  c.freqs.assign(freqs.begin(), freqs.end());
  std::sort(c.freqs.begin(), c.freqs.end());
  for (const auto& [field, value] : p.facets) c.facet_ids.push_back(facet_id(field, value));
  p.stored.facet_ids = c.facet_ids;
  c.record = docs_file_.append(encode(p.stored));
  c.spellings = std::move(p.spellings);
  std::string key = key_of(c.kind, c.id);
  if (auto it = pending_index_.find(key); it != pending_index_.end()) pending_[it->second] = std::move(c);
  else {
    pending_index_.emplace(std::move(key), pending_.size());
    pending_.push_back(std::move(c));
  }
}

void MemoryEngine::put(const Document& doc) {
  Prepared p = prepare(doc, thread_analyzer());  // outside the lock
  std::lock_guard lock(writer_mutex_);
  queue(std::move(p));
}

void MemoryEngine::put_many(const std::vector<Document>& docs) {
  if (docs.size() < 64) {
    for (const auto& d : docs) put(d);
    return;
  }
  // Analysis on two threads, then the queue in order.
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
  for (auto& p : prepared) queue(std::move(p));
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

StoredDoc MemoryEngine::stored(uint32_t docid, bool with_sequence) const {
  StoredDoc d;
  if (!decode(docs_file_.read(slots_[docid].record), d, with_sequence))
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
  for (const auto& w : spelling_words(old, thread_analyzer())) spelling_.remove(w);
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
  for (const auto& w : c.spellings) spelling_.add(w);
  ids_[c.kind][c.id] = docid;
}

void MemoryEngine::compact() {
  for (auto& list : terms_) list = list.filtered([this](uint32_t d) { return is_live(d); });
  dead_ = 0;
}

void MemoryEngine::commit() {
  std::lock_guard lock(writer_mutex_);
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
    spelling_.prepare();
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
