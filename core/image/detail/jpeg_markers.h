// core/image/detail/jpeg_markers.h: the one walk over a JPEG's markers that every reader of JPEG
// structure shares: the header (image_header.cpp: size before pixels), EXIF orientation
// (exif.cpp), the audit's cues (jpeg_header.cpp) and the check before stb decodes (jpeg_check.cpp).
//
//   sl::detail::walk_jpeg_markers(bytes, [&](uint8_t marker, std::span<const uint8_t> segment) {
//       if (marker == 0xDA) return false;   // stop at the first scan
//       ...;                                 // segment: the bytes after the length field
//       return true;
//   });
//
// Bytes between segments are skipped up to the next FF, as stb_image and libjpeg (so the
// browsers) skip the padding some writers leave; in entropy-coded data FF is followed only by
// 00 (a stuffed byte) or a restart marker, so the same rule walks through scans to the markers
// after them.
#pragma once
#include <cstdint>
#include <functional>
#include <span>

namespace sl::detail {

enum class JpegWalkEnd {
    not_jpeg,      // no start-of-image marker
    end_of_image,  // the EOI marker
    stopped,       // the visitor returned false
    bad_length,    // a segment length below 2
    out_of_data,   // the bytes ran out, possibly in the middle of a segment
};

// Calls `visit(marker, segment)` for each marker that has a segment (not the standalone SOI,
// EOI, RSTn, TEM or stuffed 00), in file order, every segment whole and inside `jpeg`.
JpegWalkEnd walk_jpeg_markers(std::span<const uint8_t> jpeg,
                              const std::function<bool(uint8_t marker, std::span<const uint8_t> segment)>& visit);

}  // namespace sl::detail
