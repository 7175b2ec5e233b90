// tests/core/test_files.h: small image files built byte by byte, for the decoder's tests and the
// fuzzers' seeds (fuzz/make_seeds.cpp): the containers stb_image_write and libwebp do not write.
//
//   Bytes j = with_orientation(sl::encode_jpeg(img, 90), 6, false);  // EXIF: needs 90 clockwise
//   Bytes b = bmp(img, true);                                         // OS/2 core header
//   Bytes g = gif_frames(3);                                          // 1x1, three frames
#pragma once
#include <cstdint>
#include <vector>

#include "core/image/image.h"

namespace test_files {

using Bytes = std::vector<uint8_t>;

inline void put_le(Bytes& b, uint32_t v, int bytes) {
    for (int k = 0; k < bytes; ++k) b.push_back(uint8_t(v >> (8 * k)));
}

// Inserts an APP1 EXIF segment with one orientation entry right after the JPEG's SOI marker.
inline Bytes with_orientation(const Bytes& jpeg, uint16_t orientation, bool big_endian) {
    Bytes tiff = big_endian ? Bytes{'M',
                                    'M',
                                    0,
                                    42,
                                    0,
                                    0,
                                    0,
                                    8,
                                    0,
                                    1,
                                    0x01,
                                    0x12,
                                    0,
                                    3,
                                    0,
                                    0,
                                    0,
                                    1,
                                    uint8_t(orientation >> 8),
                                    uint8_t(orientation),
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0}
                            : Bytes{'I',
                                    'I',
                                    42,
                                    0,
                                    8,
                                    0,
                                    0,
                                    0,
                                    1,
                                    0,
                                    0x12,
                                    0x01,
                                    3,
                                    0,
                                    1,
                                    0,
                                    0,
                                    0,
                                    uint8_t(orientation),
                                    uint8_t(orientation >> 8),
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0};
    const size_t len = 2 + 6 + tiff.size();  // the length field, "Exif\0\0", the TIFF block
    Bytes out = {0xFF, 0xD8, 0xFF, 0xE1, uint8_t(len >> 8), uint8_t(len), 'E', 'x', 'i', 'f', 0, 0};
    out.reserve(out.size() + tiff.size() + jpeg.size());  // also quiets a GCC 12 -Warray-bounds false positive
    out.insert(out.end(), tiff.begin(), tiff.end());
    out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
    return out;
}

// A 24-bit BMP of `img`, bottom-up; `core_header`: the 12-byte OS/2 header with 16-bit sizes.
inline Bytes bmp(const sl::Image& img, bool core_header) {
    const uint32_t row = (uint32_t(img.width) * 3 + 3) / 4 * 4, header = core_header ? 12 : 40;
    Bytes b = {'B', 'M'};
    put_le(b, 14 + header + row * img.height, 4);
    put_le(b, 0, 4);
    put_le(b, 14 + header, 4);
    put_le(b, header, 4);
    put_le(b, img.width, core_header ? 2 : 4);
    put_le(b, img.height, core_header ? 2 : 4);
    put_le(b, 1, 2);                             // planes
    put_le(b, 24, 2);                            // bits per pixel
    if (!core_header) b.resize(14 + header, 0);  // no compression, default resolution and palette
    for (int y = img.height - 1; y >= 0; --y) {
        for (int x = 0; x < img.width; ++x) {
            const uint8_t* p = img.pixel(x, y);
            b.insert(b.end(), {p[2], p[1], p[0]});
        }
        b.resize(b.size() + row - img.width * 3, 0);
    }
    return b;
}

// A GIF with a 1x1 screen and `frames` frames, each coded as clear, 0, end (2-bit LZW codes);
// the last frame's rectangle is `last_w` x `last_h` (a decoder fills it from the one pixel).
inline Bytes gif_frames(int frames, uint16_t last_w = 1, uint16_t last_h = 1) {
    Bytes gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255};
    for (int f = 0; f < frames; ++f) {
        const uint16_t w = f + 1 == frames ? last_w : 1, h = f + 1 == frames ? last_h : 1;
        Bytes frame = {0x21,
                       0xF9,
                       4,
                       0,
                       10,
                       0,
                       0,
                       0,  // graphic control: 100 ms
                       0x2C,
                       0,
                       0,
                       0,
                       0,
                       uint8_t(w),
                       uint8_t(w >> 8),
                       uint8_t(h),
                       uint8_t(h >> 8),
                       0,
                       2,
                       2,
                       0x44,
                       0x01,
                       0};
        gif.insert(gif.end(), frame.begin(), frame.end());
    }
    gif.push_back(0x3B);
    return gif;
}

}  // namespace test_files
