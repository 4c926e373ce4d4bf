#pragma once
// Photos lose what could locate or identify their author before they are stored: Exif (GPS,
// camera serial, dates), XMP, IPTC, comments and text chunks. Only metadata blocks are dropped;
// every other byte (pixels, colour profile, tables) is kept as it was, nothing is re-encoded.
#include <string>
#include <string_view>

#include "platform/result.hpp"

namespace passerelle::media {

// JPEG: drops APP1 (Exif, XMP), APP13 (IPTC/Photoshop) and COM segments, and any bytes after EOI.
// PNG: drops eXIf, tEXt, zTXt, iTXt and tIME chunks (chunk CRCs are checked).
// WebP: drops EXIF and XMP chunks, clears their VP8X flags and fixes the RIFF size.
// Anything else, or a truncated or garbled file, is an Error (field "fichier", key media.*),
// never a crash nor a half-stripped file.
Result<std::string> strip_metadata(std::string_view bytes);

}  // namespace passerelle::media
