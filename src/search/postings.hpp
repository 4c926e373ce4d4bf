#pragma once
// Posting lists of the in-memory index: for one term, the documents that contain it (ascending
// docids) with the weighted frequency of the term in each. Stored as blocks of 128 postings,
// each posting two varints (docid delta, frequency): about 2.5 bytes per posting instead of 8,
// and appending is the only write, since new documents always get a larger docid.
#include <cstdint>
#include <string>
#include <vector>

namespace passerelle::search::detail {

class PostingList {
 public:
  static constexpr uint32_t kBlock = 128;

  void append(uint32_t docid, uint32_t freq);  // docid > last_docid()
  uint32_t size() const { return size_; }      // postings, dead documents included
  uint32_t last_docid() const { return last_; }
  bool empty() const { return size_ == 0; }
  size_t memory() const { return bytes_.capacity() + blocks_.capacity() * sizeof(Block); }

  // Calls f(docid, freq) for every posting, in docid order.
  template <class F>
  void each(F&& f) const {
    uint32_t docid = 0;
    const uint8_t* p = bytes_.data();
    const uint8_t* end = p + bytes_.size();
    while (p < end) {
      docid += read_varint(p);
      uint32_t freq = read_varint(p);
      f(docid, freq);
    }
  }
  // Same for the postings with lo <= docid < hi, starting at the block that holds lo.
  template <class F>
  void each_in(uint32_t lo, uint32_t hi, F&& f) const {
    size_t b = 0, end_block = blocks_.size();
    while (b < end_block) {  // the first block whose last docid >= lo
      size_t mid = (b + end_block) / 2;
      if (blocks_[mid].last < lo) b = mid + 1;
      else end_block = mid;
    }
    if (b == blocks_.size()) return;
    uint32_t docid = b > 0 ? blocks_[b - 1].last : 0;
    const uint8_t* p = bytes_.data() + blocks_[b].offset;
    const uint8_t* end = bytes_.data() + bytes_.size();
    while (p < end) {
      docid += read_varint(p);
      uint32_t freq = read_varint(p);
      if (docid >= hi) return;
      if (docid >= lo) f(docid, freq);
    }
  }
  // A docid that splits the postings in two halves of about the same size.
  uint32_t middle_docid() const { return blocks_.empty() ? 0 : blocks_[blocks_.size() / 2].last + 1; }
  // The postings whose document passes `keep(docid)`, re-encoded (dead documents dropped).
  template <class Keep>
  PostingList filtered(Keep&& keep) const {
    PostingList out;
    each([&](uint32_t d, uint32_t f) {
      if (keep(d)) out.append(d, f);
    });
    return out;
  }

  // Walks the list forwards, jumping over whole blocks: intersecting a rare term with a
  // frequent one decodes only the blocks that can hold the rare term's documents.
  class Cursor {
   public:
    explicit Cursor(const PostingList& list) : list_(&list) {}
    // The first posting with docid >= target: true and its frequency, or false when none is left.
    bool seek(uint32_t target, uint32_t& docid, uint32_t& freq);

   private:
    void decode(size_t block);
    const PostingList* list_;
    size_t block_ = SIZE_MAX;  // the decoded block
    uint32_t docids_[kBlock], freqs_[kBlock];
    uint32_t count_ = 0, at_ = 0;
  };

  void save(std::string& out) const;
  // Reads what save() wrote at `p`, advancing it; false when the bytes are not a posting list.
  bool load(const uint8_t*& p, const uint8_t* end);

  static uint32_t read_varint(const uint8_t*& p) {
    uint32_t v = *p & 0x7F;
    for (int shift = 7; *p++ & 0x80; shift += 7) v |= static_cast<uint32_t>(*p & 0x7F) << shift;
    return v;
  }

 private:
  struct Block {
    uint32_t last = 0;    // the block's largest docid (to skip blocks without decoding them)
    uint32_t offset = 0;  // where its first posting starts in bytes_
  };
  std::vector<uint8_t> bytes_;
  std::vector<Block> blocks_;
  uint32_t size_ = 0;
  uint32_t last_ = 0;
};

void append_varint(std::string& out, uint64_t v);
void append_varint(std::vector<uint8_t>& out, uint64_t v);
// Reads a varint of up to 64 bits; false at `end` or on an overlong value.
bool read_varint64(const uint8_t*& p, const uint8_t* end, uint64_t& v);

}  // namespace passerelle::search::detail
