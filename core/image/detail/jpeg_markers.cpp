// core/image/detail/jpeg_markers.cpp: the walk over a JPEG's markers (jpeg_markers.h).
#include "core/image/detail/jpeg_markers.h"

namespace sl::detail {

JpegWalkEnd walk_jpeg_markers(std::span<const uint8_t> b,
                              const std::function<bool(uint8_t marker, std::span<const uint8_t> segment)>& visit) {
    if (b.size() < 2 || b[0] != 0xFF || b[1] != 0xD8) return JpegWalkEnd::not_jpeg;
    uint64_t i = 2;
    while (i + 1 < b.size()) {
        const uint8_t m = b[i + 1];
        if (b[i] != 0xFF || m == 0xFF) {  // padding, entropy-coded data, fill bytes
            ++i;
            continue;
        }
        if (m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {  // no length field
            i += 2;
            continue;
        }
        if (m == 0xD9) return JpegWalkEnd::end_of_image;
        if (i + 4 > b.size()) break;
        const uint64_t len = uint64_t(b[i + 2]) << 8 | b[i + 3];
        if (len < 2) return JpegWalkEnd::bad_length;
        if (i + 2 + len > b.size()) break;
        if (!visit(m, b.subspan(i + 4, len - 2))) return JpegWalkEnd::stopped;
        i += 2 + len;
    }
    return JpegWalkEnd::out_of_data;
}

}  // namespace sl::detail
