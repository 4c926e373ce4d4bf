#include "platform/media.hpp"

#include <array>
#include <cstdint>

namespace passerelle::media {

namespace {

Error bad(std::string key) { return Error::validation("fichier", std::move(key)); }

uint32_t be32(std::string_view b, size_t at) {
  return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) | (uint32_t(uint8_t(b[at + 2])) << 8) |
         uint32_t(uint8_t(b[at + 3]));
}
uint32_t le32(std::string_view b, size_t at) {
  return uint32_t(uint8_t(b[at])) | (uint32_t(uint8_t(b[at + 1])) << 8) | (uint32_t(uint8_t(b[at + 2])) << 16) |
         (uint32_t(uint8_t(b[at + 3])) << 24);
}
void put_le32(std::string& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// JPEG ----------------------------------------------------------------------------------------
Result<std::string> strip_jpeg(std::string_view in) {
  std::string out(in.substr(0, 2));  // SOI
  size_t i = 2;
  while (true) {
    if (i >= in.size()) return bad("media.truncated");
    if (uint8_t(in[i]) != 0xff) return bad("media.garbled");
    size_t start = i;
    while (i < in.size() && uint8_t(in[i]) == 0xff) ++i;  // fill bytes before a marker
    if (i >= in.size()) return bad("media.truncated");
    uint8_t marker = uint8_t(in[i]);
    ++i;
    if (marker == 0xd9) {  // EOI: what follows is not part of the image (and may carry metadata)
      out.append("\xff\xd9", 2);
      return out;
    }
    if (marker == 0x00 || marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0x01) {
      if (marker == 0x00 || marker == 0xd8) return bad("media.garbled");
      out.append(in.substr(start, i - start));
      continue;
    }
    if (i + 2 > in.size()) return bad("media.truncated");
    size_t length = (size_t(uint8_t(in[i])) << 8) | uint8_t(in[i + 1]);
    if (length < 2) return bad("media.garbled");
    if (i + length > in.size()) return bad("media.truncated");
    size_t end = i + length;
    bool metadata = marker == 0xe1 || marker == 0xed || marker == 0xfe;  // APP1, APP13, COM
    if (!metadata) out.append(in.substr(start, end - start));
    i = end;
    if (marker == 0xda) {
      // Entropy-coded data after SOS runs to the next marker that is neither a stuffed 0xFF00
      // nor a restart marker.
      size_t j = i;
      while (true) {
        if (j + 1 >= in.size()) return bad("media.truncated");
        if (uint8_t(in[j]) == 0xff) {
          uint8_t next = uint8_t(in[j + 1]);
          if (next != 0x00 && !(next >= 0xd0 && next <= 0xd7) && next != 0xff) break;
        }
        ++j;
      }
      out.append(in.substr(i, j - i));
      i = j;
    }
  }
}

// PNG -----------------------------------------------------------------------------------------
uint32_t crc32(std::string_view data) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  uint32_t c = 0xffffffffu;
  for (char ch : data) c = table[(c ^ uint8_t(ch)) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

Result<std::string> strip_png(std::string_view in) {
  std::string out(in.substr(0, 8));
  size_t i = 8;
  bool first = true;
  while (true) {
    if (i + 12 > in.size()) return bad("media.truncated");
    size_t length = be32(in, i);
    if (length > in.size() - i - 12) return bad("media.truncated");
    std::string_view type = in.substr(i + 4, 4);
    if (be32(in, i + 8 + length) != crc32(in.substr(i + 4, 4 + length))) return bad("media.garbled");
    if (first && type != "IHDR") return bad("media.garbled");
    first = false;
    bool metadata = type == "eXIf" || type == "tEXt" || type == "zTXt" || type == "iTXt" || type == "tIME";
    if (!metadata) out.append(in.substr(i, 12 + length));
    i += 12 + length;
    if (type == "IEND") return out;
  }
}

// WebP ----------------------------------------------------------------------------------------
Result<std::string> strip_webp(std::string_view in) {
  if (in.size() < 12) return bad("media.truncated");
  size_t riff_end = size_t(le32(in, 4)) + 8;
  if (riff_end > in.size()) return bad("media.truncated");
  if (riff_end % 2) return bad("media.garbled");
  std::string out(in.substr(0, 12));
  size_t vp8x_at = std::string::npos;
  size_t i = 12;
  if (i == riff_end) return bad("media.garbled");
  while (i < riff_end) {
    if (i + 8 > riff_end) return bad("media.truncated");
    std::string_view fourcc = in.substr(i, 4);
    size_t size = le32(in, i + 4);
    size_t padded = size + (size % 2);
    if (padded > riff_end - i - 8) return bad("media.truncated");
    if (fourcc == "VP8X") {
      if (size < 10 || vp8x_at != std::string::npos) return bad("media.garbled");
      vp8x_at = out.size();
    }
    if (fourcc != "EXIF" && fourcc != "XMP ") out.append(in.substr(i, 8 + padded));
    i += 8 + padded;
  }
  if (vp8x_at != std::string::npos) out[vp8x_at + 8] = static_cast<char>(uint8_t(out[vp8x_at + 8]) & ~0x0c);  // E and X flags
  put_le32(out, 4, static_cast<uint32_t>(out.size() - 8));
  return out;
}

}  // namespace

Result<std::string> strip_metadata(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xff\xd8\xff") return strip_jpeg(bytes);
  if (bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return strip_png(bytes);
  if (bytes.size() >= 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP") return strip_webp(bytes);
  return bad("media.not_an_image");
}

}  // namespace passerelle::media
