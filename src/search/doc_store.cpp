#include "search/doc_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "search/postings.hpp"

namespace passerelle::search::detail {

namespace {

void put_string(std::string& out, const std::string& s) {
  append_varint(out, s.size());
  out += s;
}

bool get_string(const uint8_t*& p, const uint8_t* end, std::string& s) {
  uint64_t n = 0;
  if (!read_varint64(p, end, n) || n > static_cast<uint64_t>(end - p)) return false;
  s.assign(reinterpret_cast<const char*>(p), n);
  p += n;
  return true;
}

std::runtime_error io_error(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + " : " + std::strerror(errno));
}

}  // namespace

std::string encode(const StoredDoc& d) {
  std::string out;
  put_string(out, d.kind);
  append_varint(out, static_cast<uint64_t>(d.id));
  append_varint(out, static_cast<uint64_t>(d.date));
  put_string(out, d.territory);
  put_string(out, d.title);
  put_string(out, d.url);
  put_string(out, d.summary);
  put_string(out, d.body);
  append_varint(out, d.facet_ids.size());
  for (uint32_t f : d.facet_ids) append_varint(out, f);
  append_varint(out, d.sequence.size());
  uint32_t last = 0;
  for (auto [term, position] : d.sequence) {
    append_varint(out, term);
    append_varint(out, position - last);
    last = position;
  }
  return out;
}

bool decode(const std::string& bytes, StoredDoc& d, bool with_sequence) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto* end = p + bytes.size();
  uint64_t id = 0, date = 0, n = 0, v = 0, w = 0;
  if (!get_string(p, end, d.kind) || !read_varint64(p, end, id) || !read_varint64(p, end, date)) return false;
  d.id = static_cast<int64_t>(id);
  d.date = static_cast<int64_t>(date);
  if (!get_string(p, end, d.territory) || !get_string(p, end, d.title) || !get_string(p, end, d.url) ||
      !get_string(p, end, d.summary) || !get_string(p, end, d.body) || !read_varint64(p, end, n) || n > bytes.size())
    return false;
  d.facet_ids.clear();
  for (uint64_t i = 0; i < n; ++i) {
    if (!read_varint64(p, end, v)) return false;
    d.facet_ids.push_back(static_cast<uint32_t>(v));
  }
  d.sequence.clear();
  if (!with_sequence) return true;
  if (!read_varint64(p, end, n) || n > bytes.size()) return false;
  d.sequence.reserve(n);
  uint32_t position = 0;
  for (uint64_t i = 0; i < n; ++i) {
    if (!read_varint64(p, end, v) || !read_varint64(p, end, w)) return false;
    position += static_cast<uint32_t>(w);
    d.sequence.emplace_back(static_cast<uint32_t>(v), position);
  }
  return p == end;
}

DocStore::~DocStore() { close(); }

void DocStore::open(const std::string& path) {
  close();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw io_error("impossible d'ouvrir", path);
  off_t end = ::lseek(fd_, 0, SEEK_END);
  if (end < 0) throw io_error("impossible de lire", path);
  end_ = static_cast<uint64_t>(end);
  path_ = path;
}

void DocStore::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  end_ = 0;
}

RecordRef DocStore::append(const std::string& record) {
  RecordRef ref{end_, static_cast<uint32_t>(record.size())};
  size_t done = 0;
  while (done < record.size()) {
    ssize_t n = ::pwrite(fd_, record.data() + done, record.size() - done, static_cast<off_t>(end_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw io_error("impossible d'écrire dans", path_);
    done += static_cast<size_t>(n);
  }
  end_ += record.size();
  return ref;
}

std::string DocStore::read(RecordRef ref) const {
  std::string out(ref.length, '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(ref.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw io_error("impossible de lire", path_);
    done += static_cast<size_t>(n);
  }
  return out;
}

void DocStore::sync() const {
  if (fd_ >= 0 && ::fdatasync(fd_) != 0) throw io_error("impossible de synchroniser", path_);
}

}  // namespace passerelle::search::detail
