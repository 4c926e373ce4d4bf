// Metadata stripping on real small images: a 4×4 JPEG made by libjpeg and a 3×2 PNG (IDAT
// from zlib), to which the test adds the metadata a phone writes (Exif with a GPS position,
// XMP, IPTC, comments, text chunks). Stripping must give back the original bytes exactly.
#include "platform/media.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace media = passerelle::media;

namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

// cjpeg-equivalent output of libjpeg (quality 50, JFIF APP0, no comment): decodes to 4×4 pixels.
const std::string kJpeg = unhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a181616183123251d"
    "283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffdb004301111212181518"
    "2f1a1a2f63423842636363636363636363636363636363636363636363636363636363636363636363636363636363636363"
    "6363636363636363ffc00011080004000403012200021101031101ffc4001f00000105010101010101000000000000000001"
    "02030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114"
    "328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a53545556"
    "5758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5"
    "b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffc4001f010003"
    "0101010101010101010000000000000102030405060708090a0bffc400b51100020102040403040705040400010277000102"
    "031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a35"
    "363738393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495"
    "969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9ea"
    "f2f3f4f5f6f7f8f9faffda000c03010002110311003f00a7797d75a74ab6b652f930a22e14229c923393907d7f4a28a2abd9"
    "c1ead23396e7ffd9");

// PNG 3×2 RGB, 8 bits: IHDR, IDAT, IEND.
const std::string kPng = unhex("89504e470d0a1a0a0000000d49484452000000030000000208020000001216f14d0000001d49444154789c6360b0a9d8f2412763c90386a86997f8bcda0efdb302005486090b0b05fd090000000049454e44ae426082");

// A literal with its embedded NULs, without counting them by hand.
template <size_t N>
std::string lit(const char (&s)[N]) {
  return std::string(s, N - 1);
}

std::string be16(size_t v) { return {static_cast<char>(v >> 8), static_cast<char>(v & 0xff)}; }
std::string be32(uint32_t v) { return be16(v >> 16) + be16(v & 0xffff); }
std::string le32(uint32_t v) { return {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16), static_cast<char>(v >> 24)}; }

// The GPS latitude 48°51'29.59" as Exif rationals: the bytes that must disappear.
const std::string kGpsLatitude = be32(48) + be32(1) + be32(51) + be32(1) + be32(2959) + be32(100);

// A big-endian TIFF structure: IFD0 with a GPSInfo pointer, a GPS IFD with LatitudeRef and Latitude.
std::string tiff_with_gps() {
  std::string t = "MM" + be16(42) + be32(8);
  t += be16(1) + be16(0x8825) + be16(4) + be32(1) + be32(26) + be32(0);                 // IFD0 → GPS IFD at 26
  t += be16(2) + be16(0x0001) + be16(2) + be32(2) + lit("N\0\0\0");            // GPSLatitudeRef
  t += be16(0x0002) + be16(5) + be32(3) + be32(56) + be32(0);                            // GPSLatitude at 56
  return t + kGpsLatitude;
}

std::string jpeg_segment(uint8_t marker, const std::string& payload) {
  return std::string("\xff") + static_cast<char>(marker) + be16(payload.size() + 2) + payload;
}

std::string jpeg_with_metadata() {
  std::string exif = jpeg_segment(0xe1, lit("Exif\0\0") + tiff_with_gps());
  std::string xmp = jpeg_segment(0xe1, lit("http://ns.adobe.com/xap/1.0/\0") +
                                           "<x:xmpmeta><exif:GPSLatitude>48,51.4932N</exif:GPSLatitude></x:xmpmeta>");
  std::string iptc = jpeg_segment(0xed, lit("Photoshop 3.0\08BIM\x04\x04") + "Rue des Lilas, Quimper");
  std::string comment = jpeg_segment(0xfe, "Prise chez Mme Martin");
  // After SOI and APP0 (20 bytes), as cameras write them; and a trailer after EOI.
  return kJpeg.substr(0, 20) + exif + xmp + iptc + kJpeg.substr(20, 69) + comment + kJpeg.substr(89) + "TRAILER GPS 48.85";
}

uint32_t crc32(std::string_view data) {
  uint32_t c = 0xffffffffu;
  for (char ch : data) {
    c ^= static_cast<uint8_t>(ch);
    for (int k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xffffffffu;
}

std::string png_chunk(std::string_view type, const std::string& data) {
  return be32(static_cast<uint32_t>(data.size())) + std::string(type) + data + be32(crc32(std::string(type) + data));
}

std::string png_with_metadata() {
  size_t after_ihdr = 8 + 25, iend = kPng.size() - 12;
  return kPng.substr(0, after_ihdr) + png_chunk("eXIf", tiff_with_gps()) + png_chunk("tEXt", lit("Author\0Mme Martin")) +
         png_chunk("tIME", lit("\x07\xea\x0b\x16\x08\x00\x00")) +
         png_chunk("iTXt", lit("XML:com.adobe.xmp\0\0\0\0\0<exif:GPSLatitude>48,51N</exif:GPSLatitude>")) +
         kPng.substr(after_ihdr, iend - after_ihdr) + png_chunk("zTXt", lit("Comment\0\0x\x9c\x03\x00\x00\x00\x00\x01")) +
         kPng.substr(iend);
}

std::string webp_chunk(std::string_view fourcc, const std::string& data) {
  return std::string(fourcc) + le32(static_cast<uint32_t>(data.size())) + data + (data.size() % 2 ? std::string(1, '\0') : "");
}
std::string riff(const std::string& chunks) { return "RIFF" + le32(static_cast<uint32_t>(chunks.size() + 4)) + "WEBP" + chunks; }

// VP8X flags: alpha 0x10, EXIF 0x08, XMP 0x04; canvas 1×1.
std::string vp8x(uint8_t flags) { return webp_chunk("VP8X", std::string(1, static_cast<char>(flags)) + std::string(9, '\0')); }
// A lossless 1×1 bitstream (odd length: exercises the chunk padding).
const std::string kVp8l = lit("\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07");

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST(Media, JpegLosesExifXmpIptcCommentsAndTrailerAndKeepsEveryOtherByte) {
  std::string dirty = jpeg_with_metadata();
  ASSERT_TRUE(contains(dirty, kGpsLatitude));
  auto clean = media::strip_metadata(dirty);
  ASSERT_TRUE(clean.ok()) << clean.error().message_key;
  EXPECT_FALSE(contains(*clean, kGpsLatitude));
  EXPECT_FALSE(contains(*clean, "GPSLatitude"));
  EXPECT_FALSE(contains(*clean, "Martin"));
  EXPECT_FALSE(contains(*clean, "Lilas"));
  EXPECT_FALSE(contains(*clean, "TRAILER"));
  EXPECT_EQ(*clean, kJpeg);  // quantisation and Huffman tables, frame, scan: byte for byte
}

TEST(Media, CleanImagesComeBackUnchanged) {
  EXPECT_EQ(media::strip_metadata(kJpeg).value(), kJpeg);
  EXPECT_EQ(media::strip_metadata(kPng).value(), kPng);
}

TEST(Media, JpegKeepsOtherApplicationSegmentsAndFillBytes) {
  // APP2 (ICC profile) is colour, not identity: kept, as are fill bytes before a marker.
  std::string icc = jpeg_segment(0xe2, lit("ICC_PROFILE\0\x01\x01") + "profil");
  std::string with_icc = kJpeg.substr(0, 20) + icc + "\xff" + kJpeg.substr(20);
  EXPECT_EQ(media::strip_metadata(with_icc).value(), with_icc);
}

TEST(Media, PngLosesExifAndTextChunks) {
  std::string dirty = png_with_metadata();
  ASSERT_TRUE(contains(dirty, kGpsLatitude));
  auto clean = media::strip_metadata(dirty);
  ASSERT_TRUE(clean.ok()) << clean.error().message_key;
  EXPECT_FALSE(contains(*clean, kGpsLatitude));
  EXPECT_FALSE(contains(*clean, "Martin"));
  EXPECT_FALSE(contains(*clean, "GPSLatitude"));
  EXPECT_FALSE(contains(*clean, "tIME"));
  EXPECT_EQ(*clean, kPng);
}

TEST(Media, WebpLosesExifAndXmpAndFixesFlagsAndSize) {
  std::string exif = webp_chunk("EXIF", tiff_with_gps());
  std::string xmp = webp_chunk("XMP ", "<exif:GPSLatitude>48,51N</exif:GPSLatitude>");
  std::string dirty = riff(vp8x(0x10 | 0x08 | 0x04) + webp_chunk("VP8L", kVp8l) + exif + xmp);
  auto clean = media::strip_metadata(dirty);
  ASSERT_TRUE(clean.ok()) << clean.error().message_key;
  EXPECT_EQ(*clean, riff(vp8x(0x10) + webp_chunk("VP8L", kVp8l)));  // alpha flag kept, E and X cleared
  EXPECT_FALSE(contains(*clean, kGpsLatitude));
  // A simple WebP without VP8X passes through.
  std::string simple = riff(webp_chunk("VP8L", kVp8l));
  EXPECT_EQ(media::strip_metadata(simple).value(), simple);
}

TEST(Media, EveryTruncationIsAnErrorNotACrash) {
  for (const std::string& image : {jpeg_with_metadata().substr(0, jpeg_with_metadata().size() - 17), png_with_metadata(),
                                    riff(vp8x(0x0c) + webp_chunk("VP8L", kVp8l) + webp_chunk("EXIF", tiff_with_gps()))}) {
    for (size_t cut = 0; cut < image.size(); ++cut) {
      auto r = media::strip_metadata(std::string_view(image).substr(0, cut));
      ASSERT_FALSE(r.ok()) << "prefix of " << cut << " bytes accepted";
      EXPECT_EQ(r.error().field, "fichier");
      EXPECT_TRUE(r.error().message_key == "media.truncated" || r.error().message_key == "media.not_an_image" ||
                  r.error().message_key == "media.garbled")
          << r.error().message_key;
    }
  }
  EXPECT_EQ(media::strip_metadata(kJpeg.substr(0, 300)).error().message_key, "media.truncated");
  EXPECT_EQ(media::strip_metadata(kPng.substr(0, 40)).error().message_key, "media.truncated");
}

TEST(Media, GarbledFilesAreRefused) {
  std::string png = kPng;
  png[40] ^= 0x01;  // inside IDAT: the CRC no longer matches
  EXPECT_EQ(media::strip_metadata(png).error().message_key, "media.garbled");
  std::string jpeg = kJpeg;
  jpeg[20] = 'x';  // where the second marker's 0xFF should be
  EXPECT_EQ(media::strip_metadata(jpeg).error().message_key, "media.garbled");
  EXPECT_EQ(media::strip_metadata("GIF89a....").error().message_key, "media.not_an_image");
  EXPECT_EQ(media::strip_metadata("").error().message_key, "media.not_an_image");
  // A RIFF size larger than the file.
  std::string webp = riff(webp_chunk("VP8L", kVp8l));
  webp[4] = static_cast<char>(0x7f);
  EXPECT_EQ(media::strip_metadata(webp).error().message_key, "media.truncated");
}

TEST(Media, RandomCorruptionNeverCrashes) {
  std::mt19937 rng(20261122);
  for (const std::string& image : {jpeg_with_metadata(), png_with_metadata(), riff(vp8x(0x0c) + webp_chunk("VP8L", kVp8l))}) {
    for (int round = 0; round < 2000; ++round) {
      std::string bytes = image;
      for (int k = 0; k < 1 + round % 4; ++k) bytes[rng() % bytes.size()] = static_cast<char>(rng());
      auto r = media::strip_metadata(bytes);
      if (r.ok()) {
        EXPECT_LE(r->size(), bytes.size());
      }
    }
  }
}
