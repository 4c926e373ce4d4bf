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

std::string encode_head(const Document& d, const std::vector<std::pair<uint32_t, uint32_t>>& local_sequence) {
  std::string out;
  out.reserve(d.title.size() + d.summary.size() + d.body.size() + d.url.size() + 3 * local_sequence.size() + 32);
  put_string(out, d.kind);
  append_varint(out, static_cast<uint64_t>(d.id));
  append_varint(out, static_cast<uint64_t>(d.date));
  put_string(out, d.territory);
  put_string(out, d.title);
  put_string(out, d.url);
  put_string(out, d.summary);
  put_string(out, d.body);
  append_varint(out, local_sequence.size());
  uint32_t last = 0;
  for (auto [term, position] : local_sequence) {
    append_varint(out, term);
    append_varint(out, position - last);
    last = position;
  }
  return out;
}

std::string encode_tail(const std::vector<uint32_t>& term_ids, const std::vector<uint32_t>& facet_ids) {
  std::string out;
  append_varint(out, term_ids.size());
  for (uint32_t t : term_ids) append_varint(out, t);
  append_varint(out, facet_ids.size());
  for (uint32_t f : facet_ids) append_varint(out, f);
  return out;
}

bool decode(const std::string& bytes, StoredDoc& d, bool with_sequence, bool with_texts) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto* end = p + bytes.size();
  uint64_t id = 0, date = 0, n = 0, v = 0, w = 0;
  std::string skipped;
  auto text = [&](std::string& s) { return get_string(p, end, with_texts ? s : skipped); };
  if (!get_string(p, end, d.kind) || !read_varint64(p, end, id) || !read_varint64(p, end, date)) return false;
  d.id = static_cast<int64_t>(id);
  d.date = static_cast<int64_t>(date);
  if (!text(d.territory) || !text(d.title) || !text(d.url) || !text(d.summary) || !text(d.body) || !read_varint64(p, end, n) ||
      n > bytes.size())
    return false;
  d.sequence.clear();
  d.sequence.reserve(with_sequence ? n : 0);
  uint32_t position = 0;
  for (uint64_t i = 0; i < n; ++i) {
    if (!read_varint64(p, end, v) || !read_varint64(p, end, w)) return false;
    position += static_cast<uint32_t>(w);
    if (with_sequence) d.sequence.emplace_back(static_cast<uint32_t>(v), position);
  }
  std::vector<uint32_t> term_ids;
  if (!read_varint64(p, end, n) || n > bytes.size()) return false;
  for (uint64_t i = 0; i < n; ++i) {
    if (!read_varint64(p, end, v)) return false;
    term_ids.push_back(static_cast<uint32_t>(v));
  }
  for (auto& [term, pos] : d.sequence) {
    if (term >= term_ids.size()) return false;
    term = term_ids[term];
  }
  d.facet_ids.clear();
  if (!read_varint64(p, end, n) || n > bytes.size()) return false;
  for (uint64_t i = 0; i < n; ++i) {
    if (!read_varint64(p, end, v)) return false;
    d.facet_ids.push_back(static_cast<uint32_t>(v));
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
  end_ = written_ = static_cast<uint64_t>(end);
  path_ = path;
}

void DocStore::close() {
  if (fd_ >= 0) {
    try {
      flush();
    } catch (const std::exception&) {
      // Unflushed records are not referenced by any snapshot: losing them loses nothing.
    }
    ::close(fd_);
  }
  fd_ = -1;
  end_ = written_ = 0;
  buffer_.clear();
}

RecordRef DocStore::append(std::string_view head, std::string_view tail) {
  RecordRef ref{end_, static_cast<uint32_t>(head.size() + tail.size())};
  buffer_ += head;
  buffer_ += tail;
  end_ += ref.length;
  if (buffer_.size() >= (4u << 20)) flush();
  return ref;
}

void DocStore::flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::pwrite(fd_, buffer_.data() + done, buffer_.size() - done, static_cast<off_t>(written_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw io_error("impossible d'écrire dans", path_);
    done += static_cast<size_t>(n);
  }
  written_ += buffer_.size();
  buffer_.clear();
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

void DocStore::sync() {
  flush();
  if (fd_ >= 0 && ::fdatasync(fd_) != 0) throw io_error("impossible de synchroniser", path_);
}

}  // namespace passerelle::search::detail
