#include "search/postings.hpp"

#include <algorithm>
#include <cstring>

namespace passerelle::search::detail {

template <class Out>
static void put_varint(Out& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<typename Out::value_type>(static_cast<uint8_t>(v) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<typename Out::value_type>(v));
}

void append_varint(std::string& out, uint64_t v) { put_varint(out, v); }
void append_varint(std::vector<uint8_t>& out, uint64_t v) { put_varint(out, v); }

bool read_varint64(const uint8_t*& p, const uint8_t* end, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p >= end) return false;
    uint8_t b = *p++;
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

void PostingList::append(uint32_t docid, uint32_t freq) {
  if (size_ % kBlock == 0) blocks_.push_back({docid, static_cast<uint32_t>(bytes_.size())});
  append_varint(bytes_, docid - last_);
  append_varint(bytes_, freq);
  blocks_.back().last = docid;
  last_ = docid;
  ++size_;
}

void PostingList::Cursor::decode(size_t block) {
  const auto& blocks = list_->blocks_;
  const uint8_t* p = list_->bytes_.data() + blocks[block].offset;
  const uint8_t* end = block + 1 < blocks.size() ? list_->bytes_.data() + blocks[block + 1].offset : list_->bytes_.data() + list_->bytes_.size();
  uint32_t docid = block > 0 ? blocks[block - 1].last : 0;
  count_ = 0;
  while (p < end) {
    docid += read_varint(p);
    docids_[count_] = docid;
    freqs_[count_++] = read_varint(p);
  }
  block_ = block;
  at_ = 0;
}

bool PostingList::Cursor::seek(uint32_t target, uint32_t& docid, uint32_t& freq) {
  const auto& blocks = list_->blocks_;
  size_t b = block_ == SIZE_MAX ? 0 : block_;
  if (b >= blocks.size()) return false;
  if (blocks[b].last < target) {
    // Gallop over the blocks, then a binary search in the last stride.
    size_t step = 1, lo = b + 1;
    while (lo + step < blocks.size() && blocks[lo + step].last < target) lo += step, step *= 2;
    size_t hi = std::min(lo + step, blocks.size());
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (blocks[mid].last < target) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= blocks.size()) {
      block_ = blocks.size();
      return false;
    }
    b = lo;
  }
  if (b != block_) decode(b);
  while (at_ < count_ && docids_[at_] < target) ++at_;
  if (at_ == count_) return false;  // cannot happen: blocks[b].last >= target
  docid = docids_[at_];
  freq = freqs_[at_];
  return true;
}

void PostingList::save(std::string& out) const {
  append_varint(out, size_);
  append_varint(out, last_);
  append_varint(out, bytes_.size());
  out.append(reinterpret_cast<const char*>(bytes_.data()), bytes_.size());
}

bool PostingList::load(const uint8_t*& p, const uint8_t* end) {
  uint64_t size = 0, last = 0, nbytes = 0;
  if (!read_varint64(p, end, size) || !read_varint64(p, end, last) || !read_varint64(p, end, nbytes)) return false;
  if (nbytes > static_cast<uint64_t>(end - p) || size > nbytes) return false;
  *this = PostingList();
  bytes_.assign(p, p + nbytes);
  p += nbytes;
  // The block table is rebuilt rather than stored: one pass over the postings. The bytes are
  // checked on the way: a truncated varint or a docid going backwards means a damaged file.
  const uint8_t* q = bytes_.data();
  const uint8_t* stop = q + bytes_.size();
  uint32_t docid = 0;
  uint64_t v = 0;
  for (uint32_t i = 0; q < stop; ++i) {
    uint32_t offset = static_cast<uint32_t>(q - bytes_.data());
    if (!read_varint64(q, stop, v) || (v == 0 && i > 0) || v > UINT32_MAX - docid) return false;
    docid += static_cast<uint32_t>(v);
    if (!read_varint64(q, stop, v)) return false;
    if (i % kBlock == 0) blocks_.push_back({docid, offset});
    blocks_.back().last = docid;
    ++size_;
  }
  last_ = docid;
  return size_ == size && last_ == last;
}

}  // namespace passerelle::search::detail
