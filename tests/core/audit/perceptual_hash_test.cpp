// tests/core/audit/perceptual_hash_test.cpp: difference and DCT hashes (core/audit/perceptual_hash.cpp).
#include "core/audit/perceptual_hash.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/image/tensor.h"
#include "tests/core/test_images.h"

namespace {

int both(const sl::PerceptualHash& a, const sl::PerceptualHash& b) {
    return std::max(sl::hamming_distance(a.dhash, b.dhash), sl::hamming_distance(a.phash, b.phash));
}

sl::Image decoded(const std::vector<uint8_t>& bytes) { return *sl::decode_image(bytes); }

}  // namespace

TEST(PerceptualHash, HammingDistanceCountsDifferingBits) {
    EXPECT_EQ(sl::hamming_distance(0, 0), 0);
    EXPECT_EQ(sl::hamming_distance(0, ~uint64_t(0)), 64);
    EXPECT_EQ(sl::hamming_distance(0b1011, 0b0001), 2);
}

TEST(PerceptualHash, SurvivesResizingReencodingAndColourChanges) {
    for (uint32_t seed = 1; seed <= 6; ++seed) {
        const sl::Image photo = test_photo(seed, 400, 300);
        const sl::PerceptualHash h = sl::perceptual_hash(photo);
        EXPECT_LE(both(h, sl::perceptual_hash(sl::resize_image(photo, 120, 90))), 4) << seed;
        EXPECT_LE(both(h, sl::perceptual_hash(sl::resize_image(photo, 400, 250))), 8) << seed;  // squashed
        EXPECT_LE(both(h, sl::perceptual_hash(decoded(sl::encode_jpeg(photo, 30)))), 4) << seed;
        sl::Image warmer = photo;  // a colour shift: red up, blue down, brighter
        for (size_t i = 0; i < warmer.rgb.size(); i += 3) {
            warmer.rgb[i] = uint8_t(std::min(255, warmer.rgb[i] + 30));
            warmer.rgb[i + 2] = uint8_t(warmer.rgb[i + 2] * 0.8);
        }
        EXPECT_LE(both(h, sl::perceptual_hash(warmer)), 10) << seed;
        EXPECT_LE(sl::hamming_distance(h.phash, sl::perceptual_hash(crop(photo, 8, 6, 384, 288)).phash), 10) << seed;
    }
}

TEST(PerceptualHash, TellsDifferentPicturesApart) {
    std::vector<sl::PerceptualHash> h;
    for (uint32_t seed = 1; seed <= 12; ++seed) h.push_back(sl::perceptual_hash(test_photo(seed, 160, 120)));
    for (size_t a = 0; a < h.size(); ++a)
        for (size_t b = a + 1; b < h.size(); ++b) {
            EXPECT_GT(sl::hamming_distance(h[a].phash, h[b].phash), 12) << a << " " << b;
            EXPECT_GT(sl::hamming_distance(h[a].dhash, h[b].dhash), 8) << a << " " << b;
        }
}

TEST(PerceptualHash, HalfTheDctBitsAreSetAndTinyImagesWork) {
    const sl::PerceptualHash h = sl::perceptual_hash(test_photo(3, 200, 200));
    EXPECT_EQ(std::popcount(h.phash), 32);  // above the median of 64 distinct values
    const sl::PerceptualHash tiny = sl::perceptual_hash(test_photo(3, 1, 1));
    EXPECT_EQ(tiny.dhash, 0u);  // one flat colour: no pixel darker than its neighbour
}
