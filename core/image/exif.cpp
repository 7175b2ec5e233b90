// core/image/exif.cpp: reads the orientation tag (0x0112) from a JPEG's EXIF block.
//
// Phones store photos as the sensor saw them and record the turn in EXIF; a classifier fed the
// sideways pixels sees a sideways Santa. Only this one tag is needed, so this is a small
// bounds-checked walk of APP1 (found by detail/jpeg_markers.h) -> TIFF header -> IFD0, not an EXIF library.
#include <algorithm>
#include <cstdint>
#include <span>

#include "core/image/detail/jpeg_markers.h"
#include "core/image/image.h"

namespace sl {
namespace {

struct Tiff {
    std::span<const uint8_t> b;
    bool big_endian;
    uint16_t u16(size_t at) const {
        return big_endian ? uint16_t(b[at] << 8 | b[at + 1]) : uint16_t(b[at] | b[at + 1] << 8);
    }
    uint32_t u32(size_t at) const {
        return big_endian ? uint32_t(u16(at)) << 16 | u16(at + 2) : u16(at) | uint32_t(u16(at + 2)) << 16;
    }
};

int orientation_in_tiff(std::span<const uint8_t> b) {
    if (b.size() < 8) return 1;
    bool be;
    if (b[0] == 'I' && b[1] == 'I')
        be = false;
    else if (b[0] == 'M' && b[1] == 'M')
        be = true;
    else
        return 1;
    Tiff t{b, be};
    if (t.u16(2) != 42) return 1;
    // 64-bit: an offset near 2^32 plus 2 wrapped around in 32 bits and passed the check.
    const uint64_t ifd = t.u32(4);
    if (ifd + 2 > b.size()) return 1;
    uint16_t entries = t.u16(ifd);
    for (uint32_t i = 0; i < entries; ++i) {
        const uint64_t at = ifd + 2 + uint64_t(i) * 12;
        if (at + 12 > b.size()) return 1;
        if (t.u16(at) == 0x0112 && t.u16(at + 2) == 3 /* SHORT */) {
            uint16_t v = t.u16(at + 8);
            return v >= 1 && v <= 8 ? v : 1;
        }
    }
    return 1;
}

}  // namespace

int exif_orientation(std::span<const uint8_t> b) {
    int orientation = 1;
    detail::walk_jpeg_markers(b, [&](uint8_t m, std::span<const uint8_t> seg) {
        if (m == 0xDA) return false;  // image data starts: no EXIF before it
        if (m != 0xE1 || seg.size() < 6 || !std::equal(seg.begin(), seg.begin() + 6, "Exif\0\0")) return true;
        orientation = orientation_in_tiff(seg.subspan(6));
        return false;
    });
    return orientation;
}

}  // namespace sl
