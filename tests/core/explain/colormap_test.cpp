// tests/core/explain/colormap_test.cpp: shap's red_transparent_blue table and range (core/explain/colormap.cpp).
#include "core/explain/colormap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using Rgba = std::array<uint8_t, 4>;

TEST(Colormap, EndsAreShapsOpaqueBlueAndRed) {
    const sl::ColormapLut& lut = sl::red_transparent_blue();
    EXPECT_EQ(lut[0], (Rgba{30, 136, 229, 255}));
    EXPECT_EQ(lut[255], (Rgba{255, 13, 87, 255}));
}

TEST(Colormap, MiddleIsTransparentAndAlphaGrowsAwayFromIt) {
    const sl::ColormapLut& lut = sl::red_transparent_blue();
    EXPECT_EQ(lut[127][3], 0);
    EXPECT_EQ(lut[128][3], 0);
    for (int i = 1; i <= 127; ++i) EXPECT_LE(lut[i][3], lut[i - 1][3]) << i;
    for (int i = 129; i < 256; ++i) EXPECT_GE(lut[i][3], lut[i - 1][3]) << i;
    // Blue below the middle, red above (matplotlib interpolates between anchors 99 and 100 only
    // where alpha is 0).
    EXPECT_EQ((Rgba{lut[100][0], lut[100][1], lut[100][2], 0}), (Rgba{30, 136, 229, 0}));
    EXPECT_EQ((Rgba{lut[200][0], lut[200][1], lut[200][2], 0}), (Rgba{255, 13, 87, 0}));
    // Anchor u = 50 of 199 (i = 64.07): alpha 1 - 50/99 interpolated, about 0.49.
    EXPECT_NEAR(lut[64][3] / 255.0, 1 - (64 / 255.0 * 199) / 99, 0.01);
}

TEST(Colormap, IndexFollowsMatplotlibsRule) {
    EXPECT_EQ(sl::colormap_index(-2, 2), 0);
    EXPECT_EQ(sl::colormap_index(2, 2), 255);
    EXPECT_EQ(sl::colormap_index(0, 2), 128);
    EXPECT_EQ(sl::colormap_index(-100, 2), 0);
    EXPECT_EQ(sl::colormap_index(100, 2), 255);
    EXPECT_EQ(sl::colormap_index(1, 2), 192);  // floor(0.75 * 256)
    EXPECT_EQ(sl::colormap_index(-1, 2), 64);
    EXPECT_EQ(sl::colormap_index(1, 0), 128);  // no range: transparent, not a colour
    EXPECT_EQ(sl::colormap_index(std::nan(""), 1), 128);
}

TEST(Colormap, RangeIsThePercentileOverPixelsOfAllClasses) {
    // One class, 999 pixels at |1| and one at |-3|: numpy.percentile(..., 99.9) = 1.002.
    const std::vector<double> phi{1, -3};
    const std::vector<int64_t> area{999, 1};
    EXPECT_NEAR(sl::symmetric_range(phi, 1, area), 1.002, 1e-12);
    // Two classes: the second's large values move the shared range.
    const std::vector<double> two{0.1, -0.2, 0.5, -0.5};
    const std::vector<int64_t> even{500, 500};
    EXPECT_NEAR(sl::symmetric_range(two, 2, even), 0.5, 1e-12);
}

TEST(Colormap, RangeOfNoEffectIsZero) {
    const std::vector<double> phi(6, 0.0);
    const std::vector<int64_t> area{3, 4, 5};
    EXPECT_EQ(sl::symmetric_range(phi, 2, area), 0);
}
