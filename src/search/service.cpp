#include "search/service.hpp"

#include <chrono>

#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/log.hpp"

namespace passerelle::search {

namespace {
constexpr const char* kCursorKey = "passerelle.search.cursor";
constexpr const char* kGapsKey = "passerelle.search.gaps";
constexpr const char* kFormatKey = "passerelle.search.format";
constexpr const char* kFormat = "1";  // bump when documents are indexed differently: forces a rebuild
constexpr size_t kBatch = 5000;
constexpr size_t kReindexBatch = 2000;
constexpr size_t kReindexCommitEvery = 50000;
constexpr int64_t kMaxGaps = 100000;  // ids skipped at once beyond that are not waited for
constexpr int64_t kPruneEverySeconds = 3600;

int64_t max_change_id(db::Connection& conn) { return conn.query("SELECT COALESCE(MAX(id), 0) FROM search_changes")[0].int64(0); }
}  // namespace

void record_change(db::Connection& conn, std::string_view kind, int64_t id) {
  conn.exec("INSERT INTO search_changes (kind, ref_id, at) VALUES (?, ?, ?)", {kind, id, unix_now()});
}

Service::Service(db::Database& db, std::unique_ptr<Engine> engine) : db_(db), engine_(std::move(engine)) {}

Service::~Service() { stop(); }

void Service::add_source(std::unique_ptr<Source> source) {
  std::lock_guard lock(sync_mutex_);
  sources_.push_back(std::move(source));
}

Source* Service::source(std::string_view kind) {
  for (auto& s : sources_)
    if (s->kind() == kind) return s.get();
  return nullptr;
}

Results Service::search(const Query& query) const { return engine_->search(query); }

void Service::load_state() {
  if (loaded_) return;
  cursor_ = str::to_int(engine_->metadata(kCursorKey)).value_or(0);
  gaps_.clear();
  for (auto item : str::split(engine_->metadata(kGapsKey), ',')) {
    auto colon = item.find(':');
    if (colon == std::string_view::npos) continue;
    auto id = str::to_int(item.substr(0, colon)), at = str::to_int(item.substr(colon + 1));
    if (id && at) gaps_[*id] = *at;
  }
  loaded_ = true;
}

static std::string gaps_string(const std::map<int64_t, int64_t>& gaps) {
  std::string out;
  for (const auto& [id, at] : gaps) out += (out.empty() ? "" : ",") + std::to_string(id) + ":" + std::to_string(at);
  return out;
}

void Service::save_state() {
  engine_->set_metadata(kCursorKey, std::to_string(cursor_));
  engine_->set_metadata(kGapsKey, gaps_string(gaps_));
  engine_->set_metadata(kFormatKey, kFormat);
}

void Service::apply(db::Connection& conn, const std::vector<std::pair<std::string, int64_t>>& changes) {
  // A document changed ten times in the batch is loaded once.
  std::vector<std::pair<std::string, int64_t>> unique;
  for (auto it = changes.rbegin(); it != changes.rend(); ++it)
    if (std::find(unique.begin(), unique.end(), *it) == unique.end()) unique.push_back(*it);
  for (const auto& [kind, id] : unique) {
    Source* s = source(kind);
    if (!s) continue;  // a kind this binary does not know (newer module): a later reindex takes it
    if (auto doc = s->load(conn, id)) engine_->put(*doc);
    else engine_->remove(kind, id);
  }
}

size_t Service::sync() {
  std::lock_guard lock(sync_mutex_);
  return sync_locked();
}

size_t Service::sync_locked() {
  load_state();
  auto conn = db_.read();
  size_t applied = 0;
  int64_t now = unix_now();
  std::vector<std::pair<std::string, int64_t>> changes;
  // The ids missed earlier that have committed since.
  if (!gaps_.empty()) {
    auto rows = conn->query("SELECT id, kind, ref_id FROM search_changes WHERE id >= ? AND id <= ? ORDER BY id",
                            {gaps_.begin()->first, gaps_.rbegin()->first});
    for (auto r : rows)
      if (gaps_.erase(r.int64(0))) changes.emplace_back(r.str(1), r.int64(2));
  }
  bool more = true;
  while (more) {
    auto rows = conn->query("SELECT id, kind, ref_id FROM search_changes WHERE id > ? ORDER BY id LIMIT ?", {cursor_, static_cast<int64_t>(kBatch)});
    more = rows.size() == kBatch;
    for (auto r : rows) {
      int64_t id = r.int64(0);
      if (id - cursor_ - 1 <= kMaxGaps)
        for (int64_t missing = cursor_ + 1; missing < id; ++missing) gaps_.emplace(missing, now);
      cursor_ = id;
      changes.emplace_back(r.str(1), r.int64(2));
    }
    apply(*conn, changes);
    applied += changes.size();
    changes.clear();
  }
  for (auto it = gaps_.begin(); it != gaps_.end();)
    it = now - it->second > kGapWaitSeconds ? gaps_.erase(it) : std::next(it);
  if (applied > 0 || engine_->metadata(kGapsKey) != gaps_string(gaps_) || engine_->metadata(kCursorKey) != std::to_string(cursor_)) {
    save_state();
    engine_->commit();
  }
  if (applied > 0) ++generation_;
  if (now - last_prune_ >= kPruneEverySeconds) prune();
  return applied;
}

void Service::prune() {
  last_prune_ = unix_now();
  // The newest row stays: it tells an index that missed pruned rows (cursor below the oldest
  // kept row) from one that is up to date.
  auto conn = db_.write();
  conn->exec("DELETE FROM search_changes WHERE at < ? AND id < (SELECT MAX(id) FROM search_changes)", {last_prune_ - kKeepChangesSeconds});
}

size_t Service::reindex() {
  std::lock_guard lock(sync_mutex_);
  auto conn = db_.read();
  int64_t max_id = max_change_id(*conn);  // read first: changes made during the rebuild are redone
  int64_t now = unix_now();
  engine_->clear();
  size_t count = 0;
  std::vector<Document> batch;
  auto flush = [&] {
    engine_->put_many(batch);
    batch.clear();
  };
  for (auto& s : sources_)
    s->each_public(*conn, [&](Document&& doc) {
      batch.push_back(std::move(doc));
      if (batch.size() == kReindexBatch) flush();
      if (++count % kReindexCommitEvery == 0) engine_->commit();
    });
  flush();
  // Ids below max_id not yet visible may belong to transactions still running (PostgreSQL):
  // they become gaps, looked for by the next syncs.
  cursor_ = max_id;
  gaps_.clear();
  if (max_id > 0) {
    int64_t from = std::max<int64_t>(1, max_id - 1000);
    std::vector<char> seen(static_cast<size_t>(max_id - from + 1));
    for (auto r : conn->query("SELECT id FROM search_changes WHERE id >= ?", {from}))
      if (r.int64(0) <= max_id) seen[static_cast<size_t>(r.int64(0) - from)] = 1;
    for (int64_t id = from; id < max_id; ++id)
      if (!seen[static_cast<size_t>(id - from)]) gaps_.emplace(id, now);
  }
  loaded_ = true;
  save_state();
  engine_->commit();
  ++generation_;
  log::info("search_reindexed", {{"documents", std::to_string(count)}});
  return count;
}

bool Service::needs_rebuild() {
  if (engine_->metadata(kFormatKey) != kFormat) return true;
  auto cursor = str::to_int(engine_->metadata(kCursorKey));
  if (!cursor) return true;
  auto conn = db_.read();
  auto rows = conn->query("SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM search_changes");
  int64_t min_id = rows[0].int64(0), max_id = rows[0].int64(1);
  if (*cursor > max_id) return true;                      // an index of another database
  if (min_id > 0 && *cursor < min_id - 1) return true;    // rows it needed were pruned
  return false;
}

bool Service::bring_up_to_date() {
  if (needs_rebuild()) {
    {
      std::lock_guard lock(sync_mutex_);
      loaded_ = false;
    }
    reindex();
    return true;
  }
  sync();
  return false;
}

void Service::start(int interval_ms) {
  stop();
  stopping_ = false;
  thread_ = std::thread([this, interval_ms] {
    while (!stopping_) {
      try {
        sync();
      } catch (const std::exception& e) {
        log::error("search_sync_failed", {{"error", e.what()}});
      }
      std::unique_lock lock(wake_mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return stopping_.load(); });
    }
  });
}

void Service::stop() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace passerelle::search
