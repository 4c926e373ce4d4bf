// Saving and loading the in-memory index (see engine_impl.hpp). The snapshot is written to a
// temporary file, synced and renamed over the previous one, so a crash leaves either snapshot
// whole; a damaged or foreign file is ignored, the index starts empty and the Service rebuilds.
//
// Layout: "PSIX" version, then varints and strings: the stored-records file (generation, length),
// metadata, terms with their posting lists, facet values with their bitmaps, slots, the
// (kind, id) → docid table, the live bitmap; a 64-bit FNV-1a of all of it last.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "search/engine_impl.hpp"

namespace passerelle::search::detail {

namespace {

constexpr char kMagic[] = "PSIX3";
constexpr auto kSnapshotEvery = std::chrono::seconds(30);
constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull, kFnvPrime = 0x100000001b3ull;

uint64_t fnv(uint64_t h, const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * kFnvPrime;
  return h;
}

// Buffered writes to a file descriptor, hashing what goes through.
class SnapshotWriter {
 public:
  explicit SnapshotWriter(int fd) : fd_(fd) {}
  std::string buf;
  void flush() {
    hash_ = fnv(hash_, buf.data(), buf.size());
    size_t done = 0;
    while (done < buf.size()) {
      ssize_t n = ::write(fd_, buf.data() + done, buf.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw std::runtime_error(std::string("écriture de l'index de recherche : ") + std::strerror(errno));
      done += static_cast<size_t>(n);
    }
    buf.clear();
  }
  void maybe_flush() {
    if (buf.size() >= (1u << 20)) flush();
  }
  void varint(uint64_t v) { append_varint(buf, v); }
  void string(const std::string& s) {
    varint(s.size());
    buf += s;
    maybe_flush();
  }
  uint64_t finish() {
    flush();
    return hash_;
  }

 private:
  int fd_;
  uint64_t hash_ = kFnvOffset;
};

struct SnapshotReader {
  const uint8_t* p;
  const uint8_t* end;
  bool ok = true;
  uint64_t varint() {
    uint64_t v = 0;
    if (ok && !read_varint64(p, end, v)) ok = false;
    return ok ? v : 0;
  }
  std::string string() {
    uint64_t n = varint();
    if (!ok || n > static_cast<uint64_t>(end - p)) {
      ok = false;
      return {};
    }
    std::string s(reinterpret_cast<const char*>(p), n);
    p += n;
    return s;
  }
  // A count of items each taking at least one byte: larger than what is left means damage.
  uint64_t count() {
    uint64_t n = varint();
    if (n > static_cast<uint64_t>(end - p)) ok = false;
    return ok ? n : 0;
  }
};

}  // namespace

MemoryEngine::MemoryEngine(std::string dir, bool temporary) : dir_(std::move(dir)), temporary_(temporary) {
  std::string lock_path = dir_ + "/lock";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) throw std::runtime_error("impossible d'ouvrir " + lock_path + " : " + std::strerror(errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw IndexLocked("l'index de recherche " + dir_ + " est déjà ouvert par un autre processus");
  }
  last_snapshot_ = std::chrono::steady_clock::now();
  if (!temporary_ && load_snapshot()) return;
  std::lock_guard lock(writer_mutex_);
  auto state = write_state();
  reset_state();
  open_docs(docs_generation_);
}

void MemoryEngine::open_docs(uint64_t generation) {
  // A new generation starts empty: the snapshot and the other generations' files go.
  docs_file_.close();
  std::error_code ec;
  std::filesystem::remove(dir_ + "/index.snapshot", ec);
  snapshot_exists_ = false;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec))
    if (entry.path().filename().string().rfind("docs-", 0) == 0) std::filesystem::remove(entry.path(), ec);
  docs_generation_ = generation;
  docs_file_.open(dir_ + "/docs-" + std::to_string(generation) + ".dat");
}

void MemoryEngine::maybe_snapshot(bool force) {
  if (temporary_ || changes_since_snapshot_ == 0) return;
  if (!force && snapshot_exists_ && std::chrono::steady_clock::now() - last_snapshot_ < kSnapshotEvery) return;
  // Under writer_mutex_ nothing changes the state; searches go on meanwhile (they only read).
  save_snapshot();
  last_snapshot_ = std::chrono::steady_clock::now();
  changes_since_snapshot_ = 0;
  snapshot_exists_ = true;
}

void MemoryEngine::save_snapshot() {
  docs_file_.sync();
  std::string path = dir_ + "/index.snapshot", tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("impossible d'écrire " + tmp + " : " + std::strerror(errno));
  try {
    SnapshotWriter w(fd);
    w.buf = kMagic;
    w.varint(docs_generation_);
    w.varint(docs_file_.size());
    w.varint(metadata_.size());
    for (const auto& [k, v] : metadata_) w.string(k), w.string(v);
    w.varint(terms_.size());
    for (size_t t = 0; t < terms_.size(); ++t) {
      w.string(term_names_[t]);
      terms_[t].save(w.buf);
      const auto* forms = t < forms_.size() ? &forms_[t].forms : nullptr;
      w.varint(forms ? forms->size() : 0);
      if (forms)
        for (const auto& [form, count] : *forms) w.string(form), w.varint(count);
      w.maybe_flush();
    }
    w.varint(facets_.size());
    for (const auto& f : facets_) {
      w.string(f.field);
      w.string(f.value);
      std::string bits(f.docs.getSizeInBytes(), '\0');
      f.docs.write(bits.data());
      w.string(bits);
    }
    w.varint(slots_.size());
    for (const auto& s : slots_) {
      w.varint(s.record.offset);
      w.varint(s.record.length);
      w.varint(s.length);
      w.varint(static_cast<uint64_t>(s.date));
      w.maybe_flush();
    }
    w.varint(ids_.size());
    for (const auto& [kind, map] : ids_) {
      w.string(kind);
      w.varint(map.size());
      for (auto [id, docid] : map) {
        w.varint(static_cast<uint64_t>(id));
        w.varint(docid);
        w.maybe_flush();
      }
    }
    std::string live(all_.getSizeInBytes(), '\0');
    all_.write(live.data());
    w.string(live);
    w.varint(dead_);
    uint64_t hash = w.finish();
    char tail[8];
    std::memcpy(tail, &hash, 8);
    if (::write(fd, tail, 8) != 8 || ::fdatasync(fd) != 0) throw std::runtime_error(std::string("écriture de ") + tmp + " : " + std::strerror(errno));
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error("impossible de renommer " + tmp + " : " + std::strerror(errno));
  int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

bool MemoryEngine::load_snapshot() {
  std::string path = dir_ + "/index.snapshot";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(sizeof(kMagic) + 8)) {
    ::close(fd);
    return false;
  }
  auto size = static_cast<size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return false;
  const auto* bytes = static_cast<const uint8_t*>(map);
  uint64_t stored_hash = 0;
  std::memcpy(&stored_hash, bytes + size - 8, 8);
  bool ok = std::memcmp(bytes, kMagic, sizeof(kMagic) - 1) == 0 &&
            fnv(kFnvOffset, reinterpret_cast<const char*>(bytes), size - 8) == stored_hash;

  std::lock_guard lock(writer_mutex_);
  auto state = write_state();
  reset_state();
  SnapshotReader r{bytes + sizeof(kMagic) - 1, bytes + size - 8};
  if (ok) {
    docs_generation_ = r.varint();
    uint64_t docs_length = r.varint();
    for (uint64_t n = r.count(); r.ok && n--;) {
      std::string k = r.string();
      metadata_[k] = r.string();
    }
    uint64_t nterms = r.count();
    terms_.resize(nterms);
    for (uint64_t t = 0; r.ok && t < nterms; ++t) {
      std::string name = r.string();
      if (!terms_[t].load(r.p, r.end)) r.ok = false;
      uint64_t nforms = r.count();
      if (nforms > SurfaceForms::kKept) r.ok = false;
      if (nforms > 0 && r.ok) {
        forms_.resize(t + 1);
        is_touched_.resize(t + 1, false);
        for (uint64_t f = 0; f < nforms && r.ok; ++f) {
          std::string form = r.string();
          forms_[t].forms.emplace_back(std::move(form), static_cast<uint32_t>(r.varint()));
        }
        is_touched_[t] = true;
        touched_.push_back(static_cast<uint32_t>(t));
      }
      term_ids_.emplace(name, static_cast<uint32_t>(t));
      sorted_terms_.emplace_back(name, static_cast<uint32_t>(t));
      term_names_.push_back(std::move(name));
    }
    for (uint64_t n = r.count(); r.ok && n--;) {
      FacetValue f;
      f.field = r.string();
      f.value = r.string();
      std::string bits = r.string();
      if (!r.ok) break;
      f.docs = Bitmap::read(bits.data());
      facet_ids_.emplace(f.field + '\x1F' + f.value, static_cast<uint32_t>(facets_.size()));
      facet_names_.emplace_back(f.field, f.value);
      facets_.push_back(std::move(f));
    }
    for (uint64_t n = r.count(); r.ok && n--;) {
      Slot s;
      s.record.offset = r.varint();
      s.record.length = static_cast<uint32_t>(r.varint());
      s.length = static_cast<uint32_t>(r.varint());
      s.date = static_cast<int64_t>(r.varint());
      if (s.record.offset + s.record.length > docs_length) r.ok = false;
      slots_.push_back(s);
    }
    for (uint64_t n = r.count(); r.ok && n--;) {
      auto& map = ids_[r.string()];
      for (uint64_t m = r.count(); r.ok && m--;) {
        auto id = static_cast<int64_t>(r.varint());
        auto docid = static_cast<uint32_t>(r.varint());
        if (docid >= slots_.size()) r.ok = false;
        map[id] = docid;
      }
    }
    std::string live = r.string();
    if (r.ok) all_ = Bitmap::read(live.data());
    dead_ = r.varint();
    ok = r.ok && r.p == r.end && (all_.isEmpty() || all_.maximum() < slots_.size());
    if (ok) {
      std::sort(sorted_terms_.begin(), sorted_terms_.end());
      live_.assign(slots_.size() / 64 + 1, 0);
      for (uint32_t d : all_) {
        live_[d / 64] |= uint64_t{1} << (d % 64);
        live_length_ += slots_[d].length;
      }
      update_spelling();
      try {
        std::string docs_path = dir_ + "/docs-" + std::to_string(docs_generation_) + ".dat";
        ok = std::filesystem::file_size(docs_path) >= docs_length;
        if (ok) docs_file_.open(docs_path);
      } catch (const std::exception&) {
        ok = false;
      }
    }
  }
  ::munmap(map, size);
  if (!ok) {
    reset_state();
    return false;
  }
  snapshot_exists_ = true;
  return true;
}

}  // namespace passerelle::search::detail
