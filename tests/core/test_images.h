// tests/core/test_images.h: seeded synthetic photos for the audit's tests (perceptual_hash,
// image_cues, near_duplicates): smooth colour fields with a few hard-edged shapes, so that two
// seeds look unrelated and one seed at two sizes looks the same.
//
//   sl::Image a = test_photo(7, 320, 240);   // the same picture as test_photo(7, 64, 48)
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/image/image.h"

inline sl::Image test_photo(uint32_t seed, int width, int height) {
    uint32_t s = seed * 2654435761u + 12345u;
    auto next = [&] {  // xorshift32 in [0, 1)
        s ^= s << 13, s ^= s >> 17, s ^= s << 5;
        return (s >> 8) / double(1 << 24);
    };
    double f[3][4], box[3][7];
    for (auto& c : f)
        for (double& v : c) v = next();
    for (auto& b : box)
        for (double& v : b) v = next();
    sl::Image img{width, height, std::vector<uint8_t>(size_t(width) * height * 3)};
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const double u = (x + 0.5) / width, v = (y + 0.5) / height;
            double rgb[3];
            for (int c = 0; c < 3; ++c)
                rgb[c] = 128 + 100 * std::sin(6.28 * (f[c][0] * 2 * u + f[c][1] * 2 * v + f[c][2])) * f[c][3];
            for (const auto& b : box)  // axis-aligned boxes of a flat colour
                if (u > b[0] * 0.7 && u < b[0] * 0.7 + 0.1 + 0.3 * b[1] && v > b[2] * 0.7 &&
                    v < b[2] * 0.7 + 0.1 + 0.3 * b[3])
                    for (int c = 0; c < 3; ++c) rgb[c] = 255 * b[4 + c];
            uint8_t* p = img.rgb.data() + (size_t(y) * width + x) * 3;
            for (int c = 0; c < 3; ++c) p[c] = uint8_t(std::lround(std::fmin(255, std::fmax(0, rgb[c]))));
        }
    return img;
}

// `img` cut to the box (x0, y0, w, h).
inline sl::Image crop(const sl::Image& img, int x0, int y0, int w, int h) {
    sl::Image out{w, h, std::vector<uint8_t>(size_t(w) * h * 3)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c) out.rgb[(size_t(y) * w + x) * 3 + c] = img.pixel(x0 + x, y0 + y)[c];
    return out;
}
