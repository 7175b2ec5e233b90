// core/image/jpeg_header.cpp: EXIF presence and the quality estimate of a JPEG (jpeg_header.h).
#include "core/image/jpeg_header.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "core/image/detail/jpeg_markers.h"

namespace sl {
namespace {

// ITU-T T.81 Annex K.1, the luminance table every IJG quality setting scales, in the zig-zag
// order of a DQT segment.
constexpr std::array<int, 64> kAnnexKLuma{16, 11, 12,  14,  12,  10, 16, 14,  13,  14,  18,  17,  16, 19,  24,  40,
                                          26, 24, 22,  22,  24,  49, 35, 37,  29,  40,  58,  51,  61, 60,  57,  51,
                                          56, 55, 64,  72,  92,  78, 64, 68,  87,  69,  55,  56,  80, 109, 81,  87,
                                          95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99};

}  // namespace

int ijg_quality(std::span<const uint16_t, 64> table) {
    const int ceiling = *std::max_element(table.begin(), table.end()) > 255 ? 32767 : 255;
    int best = 1;
    int64_t best_error = INT64_MAX;
    for (int q = 1; q <= 100; ++q) {
        const int scale = q < 50 ? 5000 / q : 200 - 2 * q;  // integer maths, as libjpeg does
        int64_t error = 0;
        for (size_t i = 0; i < 64; ++i) {
            const int expected = std::clamp((kAnnexKLuma[i] * scale + 50) / 100, 1, ceiling);
            error += std::abs(expected - int(table[i]));
        }
        if (error < best_error) best = q, best_error = error;
    }
    return best;
}

JpegHeader read_jpeg_header(std::span<const uint8_t> b) {
    JpegHeader h;
    detail::walk_jpeg_markers(b, [&](uint8_t marker, std::span<const uint8_t> seg) {
        if (marker == 0xDA) return false;  // the scan starts: the header is over
        if (marker == 0xE1 && seg.size() >= 6 && std::equal(seg.begin(), seg.begin() + 6, "Exif\0\0"))
            h.has_exif = true;
        if (marker == 0xDB) {  // DQT: one or more tables, each Pq/Tq then 64 values
            for (size_t t = 0; t < seg.size();) {
                const int precision = seg[t] >> 4, id = seg[t] & 15;
                const size_t bytes = precision ? 128 : 64;
                if (t + 1 + bytes > seg.size()) break;
                std::array<uint16_t, 64> table{};
                for (size_t k = 0; k < 64; ++k)
                    table[k] = precision ? uint16_t(seg[t + 1 + 2 * k] << 8 | seg[t + 2 + 2 * k]) : seg[t + 1 + k];
                if (id == 0 && h.quality == 0 &&
                    std::all_of(table.begin(), table.end(), [](uint16_t v) { return v > 0; }))
                    h.quality = ijg_quality(table);
                t += 1 + bytes;
            }
        }
        return true;
    });
    return h;
}

}  // namespace sl
