// core/audit/perceptual_hash.h: 64-bit fingerprints of a photo's layout of light and dark that survive
// resizing, re-encoding and colour changes: two copies of one picture differ in a few bits,
// two different pictures in about half of them. Pairs with near_duplicates.h (which compares
// them, beside ResNet50 features).
//
//   sl::PerceptualHash h = sl::perceptual_hash(image);   // image: decoded RGB8 (image.h)
//   int bits = sl::hamming_distance(h.phash, other.phash);  // 0..64; copies: a few
//
// Both hashes start from the photo squashed (antialiased, core/image/tensor.h's resize) to a few
// pixels and turned grey (luma, BT.601), so size, JPEG noise and hue shifts hardly matter:
//   dhash: 9 x 8 grey pixels; bit (y * 8 + x) says pixel (x, y) is darker than (x + 1, y).
//          Sensitive to edges moving, so it is the stricter of the two under crops.
//   phash: 32 x 32 grey pixels, their 2-D DCT-II; bit (v * 8 + u) says coefficient (u, v) of the
//          8 x 8 lowest frequencies is above their median (imagehash's phash).
// Neither survives a mirror, a rotation or a large crop; ResNet50 features catch those.
#pragma once
#include <bit>
#include <cstdint>

#include "core/image/image.h"

namespace sl {

struct PerceptualHash {
    uint64_t dhash = 0;  // difference hash (horizontal gradients of 9 x 8 grey)
    uint64_t phash = 0;  // DCT hash (8 x 8 lowest frequencies of 32 x 32 grey vs their median)
};

// Both hashes of `image` (any size of at least 1 x 1).
PerceptualHash perceptual_hash(const Image& image);

// Bits that differ, 0..64.
inline int hamming_distance(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

}  // namespace sl
