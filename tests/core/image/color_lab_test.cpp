// tests/core/image/color_lab_test.cpp: sRGB8 -> CIELAB against scikit-image's rgb2lab figures.
#include "core/image/color_lab.h"

#include <gtest/gtest.h>

#include <cmath>

namespace {

struct Reference {
    uint8_t r, g, b;
    float l, a, bb;  // skimage.color.rgb2lab of the colour (0.19.3, float64)
};

// Printed by /usr/bin/python3 -c "from skimage.color import rgb2lab; ..." for each colour.
constexpr Reference kReferences[] = {
    {255, 255, 255, 100.0000f, -0.0025f, 0.0047f}, {0, 0, 0, 0.0f, 0.0f, 0.0f},
    {255, 0, 0, 53.2406f, 80.0923f, 67.2028f},     {0, 255, 0, 87.7351f, -86.1830f, 83.1797f},
    {0, 0, 255, 32.2957f, 79.1856f, -107.8573f},   {128, 128, 128, 53.5850f, -0.0015f, 0.0028f},
    {10, 20, 30, 5.9485f, -0.6693f, -8.1364f},     {200, 150, 100, 65.7601f, 12.7589f, 33.5647f},
    {3, 3, 3, 0.8225f, -0.0001f, 0.0001f},
};

sl::Image one_pixel_per_reference() {
    sl::Image img{int(std::size(kReferences)), 1, {}};
    for (const Reference& c : kReferences) img.rgb.insert(img.rgb.end(), {c.r, c.g, c.b});
    return img;
}

}  // namespace

TEST(ColorLab, MatchesScikitImageRgb2lab) {
    const sl::LabImage lab = sl::rgb_to_lab(one_pixel_per_reference());
    ASSERT_EQ(lab.width, int(std::size(kReferences)));
    ASSERT_EQ(lab.height, 1);
    for (size_t i = 0; i < std::size(kReferences); ++i) {
        const Reference& c = kReferences[i];
        EXPECT_NEAR(lab.l[i], c.l, 2e-3) << int(c.r) << "," << int(c.g) << "," << int(c.b);
        EXPECT_NEAR(lab.a[i], c.a, 2e-3) << int(c.r) << "," << int(c.g) << "," << int(c.b);
        EXPECT_NEAR(lab.b[i], c.bb, 2e-3) << int(c.r) << "," << int(c.g) << "," << int(c.b);
    }
}

TEST(ColorLab, OneColourAgreesWithTheImageConversion) {
    const sl::LabImage lab = sl::rgb_to_lab(one_pixel_per_reference());
    for (size_t i = 0; i < std::size(kReferences); ++i) {
        const Reference& c = kReferences[i];
        const auto lab1 = sl::rgb_to_lab(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f);
        EXPECT_NEAR(lab1[0], lab.l[i], 1e-4);
        EXPECT_NEAR(lab1[1], lab.a[i], 1e-4);
        EXPECT_NEAR(lab1[2], lab.b[i], 1e-4);
    }
}

TEST(ColorLab, GreysAreNeutralAndLightnessGrowsSmoothly) {
    // Across the switch between CIELAB's linear part and its cube root (near L = 8) the
    // lightness of neighbouring grey levels must never jump or step back.
    sl::Image greys{256, 1, {}};
    for (int v = 0; v < 256; ++v) greys.rgb.insert(greys.rgb.end(), {uint8_t(v), uint8_t(v), uint8_t(v)});
    const sl::LabImage lab = sl::rgb_to_lab(greys);
    for (int v = 1; v < 256; ++v) {
        EXPECT_GT(lab.l[v], lab.l[v - 1]) << v;
        EXPECT_LT(lab.l[v] - lab.l[v - 1], 1.0f) << v;
        EXPECT_NEAR(lab.a[v], 0.0f, 0.01f) << v;
        EXPECT_NEAR(lab.b[v], 0.0f, 0.01f) << v;
    }
}

TEST(ColorLab, StretchesTheGivenRangeToBlackAndWhite) {
    sl::Image img{3, 1, {40, 40, 40, 200, 200, 200, 10, 250, 120}};
    const sl::LabImage lab = sl::rgb_to_lab(img, 40, 200);
    EXPECT_NEAR(lab.l[0], 0.0f, 1e-4);
    EXPECT_NEAR(lab.l[1], 100.0f, 2e-3);
    const auto clamped = sl::rgb_to_lab(0.0f, 1.0f, 0.5f);  // 10 -> 0, 250 -> 1, 120 -> 0.5
    EXPECT_NEAR(lab.l[2], clamped[0], 1e-4);
    EXPECT_NEAR(lab.a[2], clamped[1], 1e-4);
    EXPECT_NEAR(lab.b[2], clamped[2], 1e-4);
}
