// tests/core/image/gaussian_blur_test.cpp: Gaussian smoothing against scipy.ndimage.gaussian_filter.
#include "core/image/gaussian_blur.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

// 6 x 5 plane, value (7 x + 13 y) mod 11.
std::vector<float> pattern() {
    std::vector<float> p;
    for (int y = 0; y < 5; ++y)
        for (int x = 0; x < 6; ++x) p.push_back(float((x * 7 + y * 13) % 11));
    return p;
}

void expect_blur_matches(double sigma, const std::vector<float>& scipy) {
    std::vector<float> plane = pattern(), scratch(plane.size());
    sl::gaussian_blur(plane.data(), 6, 5, sigma, scratch.data());
    for (size_t i = 0; i < plane.size(); ++i) EXPECT_NEAR(plane[i], scipy[i], 2e-5) << "pixel " << i;
}

}  // namespace

// scipy.ndimage.gaussian_filter(pattern, sigma, mode='reflect', truncate=4.0), float64.
TEST(GaussianBlur, MatchesScipyGaussianFilter) {
    expect_blur_matches(1.2, {3.337867f, 4.350706f, 5.224859f, 5.619404f, 5.353629f, 4.679639f, 3.639198f, 4.363071f,
                              5.011973f, 5.388041f, 5.476970f, 5.252832f, 4.087727f, 4.383789f, 4.805193f, 5.194807f,
                              5.616211f, 5.912273f, 4.747168f, 4.523030f, 4.611959f, 4.988027f, 5.636929f, 6.360802f,
                              5.320361f, 4.646371f, 4.380596f, 4.775141f, 5.649294f, 6.662133f});
}

TEST(GaussianBlur, KernelWiderThanThePlaneReflectsAgainAndAgain) {
    // sigma 4 reaches 16 pixels out on a 6 x 5 plane.
    expect_blur_matches(4.0, {4.882954f, 4.910730f, 4.958829f, 5.014354f, 5.062432f, 5.090184f, 4.888081f, 4.915854f,
                              4.963949f, 5.019476f, 5.067559f, 5.095316f, 4.896384f, 4.924148f, 4.972237f, 5.027763f,
                              5.075852f, 5.103616f, 4.904684f, 4.932441f, 4.980524f, 5.036051f, 5.084146f, 5.111919f,
                              4.909816f, 4.937568f, 4.985646f, 5.041171f, 5.089270f, 5.117046f});
}

TEST(GaussianBlur, BlockedAndOneColumnSumsAgreeExactly) {
    // Rows are summed 16 columns at a time, the last 37 % 16 = 5 one at a time. Two impulses
    // far enough from the borders: around x = 8 all in the first block, around x = 29 across
    // the second block and the tail. Their responses must be the same, bit for bit.
    const int w = 37, h = 3;
    std::vector<float> plane(size_t(w) * h, 0.0f), scratch(plane.size());
    plane[size_t(w) + 8] = plane[size_t(w) + 29] = 1.0f;
    sl::gaussian_blur(plane.data(), w, h, 1.5, scratch.data());  // reaches 6 pixels
    for (int y = 0; y < h; ++y)
        for (int d = -6; d <= 6; ++d)
            EXPECT_EQ(plane[size_t(y) * w + 8 + d], plane[size_t(y) * w + 29 + d]) << y << "," << d;
    EXPECT_GT(plane[size_t(w) + 29], 0.05f);  // the impulse did spread, and not away
}

TEST(GaussianBlur, TinySigmaAndOnePixelPlanesAreLeftAlone) {
    std::vector<float> plane = pattern(), scratch(plane.size());
    sl::gaussian_blur(plane.data(), 6, 5, 0.1, scratch.data());
    EXPECT_EQ(plane, pattern());
    std::vector<float> one{42.0f}, s1(1);
    sl::gaussian_blur(one.data(), 1, 1, 3.0, s1.data());
    EXPECT_FLOAT_EQ(one[0], 42.0f);  // reflection of one pixel is that pixel: weights sum to 1
}
