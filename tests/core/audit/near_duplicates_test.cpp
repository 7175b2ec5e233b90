// tests/core/audit/near_duplicates_test.cpp: pairs by hashes and by features (core/audit/near_duplicates.cpp).
#include "core/audit/near_duplicates.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/image/tensor.h"
#include "tests/core/test_images.h"

TEST(NearDuplicates, HashesFindResizedAndReencodedCopiesOnly) {
    std::vector<sl::PerceptualHash> h;
    for (uint32_t seed = 1; seed <= 10; ++seed) h.push_back(sl::perceptual_hash(test_photo(seed, 200, 150)));
    const sl::Image three = test_photo(3, 200, 150);
    h.push_back(sl::perceptual_hash(sl::resize_image(three, 90, 68)));                // 10: copy of 2
    h.push_back(sl::perceptual_hash(*sl::decode_image(sl::encode_jpeg(three, 25))));  // 11: copy of 2
    auto pairs = sl::find_near_duplicates(h, {}, 0);
    ASSERT_TRUE(pairs) << pairs.error();
    ASSERT_EQ(pairs->size(), 3u);
    EXPECT_EQ((*pairs)[0].a, 2);
    EXPECT_EQ((*pairs)[0].b, 10);
    EXPECT_EQ((*pairs)[1].a, 2);
    EXPECT_EQ((*pairs)[1].b, 11);
    EXPECT_EQ((*pairs)[2].a, 10);
    EXPECT_EQ((*pairs)[2].b, 11);
    EXPECT_TRUE(std::isnan((*pairs)[0].cosine));
}

TEST(NearDuplicates, FeaturesFindWhatHashesMissAndCosinesAreExact) {
    // Four photos with unrelated hashes; features: 0 and 3 nearly parallel, 1 and 2 orthogonal.
    std::vector<sl::PerceptualHash> h(4);
    for (int i = 0; i < 4; ++i)
        h[size_t(i)] = {uint64_t(0x0123456789abcdefull) * (i + 1), uint64_t(0xfedcba9876543210ull) >> i};
    const int dim = 20;
    std::vector<float> f(4 * dim, 0.f);
    for (int k = 0; k < dim; ++k) {
        f[k] = 1.f + k;                                            // photo 0
        f[3 * dim + k] = 2.f * (1.f + k) + (k == 0 ? 0.5f : 0.f);  // photo 3: almost 2 x photo 0
    }
    f[1 * dim + 0] = 1, f[2 * dim + 1] = 1;
    auto pairs = sl::find_near_duplicates(h, f, dim);
    ASSERT_TRUE(pairs) << pairs.error();
    ASSERT_EQ(pairs->size(), 1u);
    EXPECT_EQ((*pairs)[0].a, 0);
    EXPECT_EQ((*pairs)[0].b, 3);
    double dot = 0, n0 = 0, n3 = 0;
    for (int k = 0; k < dim; ++k)
        dot += double(f[k]) * f[3 * dim + k], n0 += double(f[k]) * f[k], n3 += double(f[3 * dim + k]) * f[3 * dim + k];
    EXPECT_NEAR((*pairs)[0].cosine, dot / std::sqrt(n0 * n3), 1e-5);
    sl::DuplicateOptions strict;
    strict.cosine_strict = 1.01f, strict.cosine_loose = 1.01f;
    EXPECT_TRUE(sl::find_near_duplicates(h, f, dim, strict)->empty());
}

TEST(NearDuplicates, ManyPhotosAgreeWithTheBlockedLoop) {
    // 21 photos (not a multiple of the block of 8): photo i has features e_(i mod 7), so photos
    // 7 apart are identical and all others orthogonal.
    const int n = 21, dim = 7;
    std::vector<sl::PerceptualHash> h(n);
    for (int i = 0; i < n; ++i) h[size_t(i)] = {~uint64_t(0) << i, uint64_t(i) * 0x9e3779b97f4a7c15ull};
    std::vector<float> f(size_t(n) * dim, 0.f);
    for (int i = 0; i < n; ++i) f[size_t(i) * dim + i % 7] = 1.f + i;
    auto pairs = sl::find_near_duplicates(h, f, dim);
    ASSERT_TRUE(pairs);
    int feature_pairs = 0;
    for (const auto& p : *pairs)
        if (p.cosine > 0.5f) {
            ++feature_pairs;
            EXPECT_EQ(p.a % 7, p.b % 7);
            EXPECT_NEAR(p.cosine, 1, 1e-6);
        }
    EXPECT_EQ(feature_pairs, 21);  // 7 triples, 3 pairs each
}

TEST(NearDuplicates, BadFeaturesAreAnError) {
    std::vector<sl::PerceptualHash> h(3);
    EXPECT_FALSE(sl::find_near_duplicates(h, std::vector<float>(5, 1.f), 2));
    std::vector<float> f(6, 1.f);
    f[4] = NAN;
    EXPECT_FALSE(sl::find_near_duplicates(h, f, 2));
    EXPECT_FALSE(sl::find_near_duplicates(h, std::vector<float>(6, 1.f), 0));
    EXPECT_TRUE(sl::find_near_duplicates({}, {}, 0)->empty());
}
