// tests/core/explain/heatmap_test.cpp: heatmap panels and the figure (core/explain/heatmap.cpp).
#include "core/explain/heatmap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <vector>

#include "core/explain/colormap.h"
#include "core/image/tensor.h"

namespace {

sl::Image solid(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
    sl::Image img{w, h, std::vector<uint8_t>(size_t(w) * h * 3)};
    for (size_t i = 0; i < img.rgb.size(); i += 3) img.rgb[i] = r, img.rgb[i + 1] = g, img.rgb[i + 2] = b;
    return img;
}

// Left half label 0, right half label 1.
sl::Segmentation halves(int w, int h) {
    sl::Segmentation s{w, h, 2, std::vector<int32_t>(size_t(w) * h)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) s.labels[size_t(y) * w + x] = x >= w / 2;
    return s;
}

// A photo with a dark left half and a bright right half.
sl::Image two_tone(int w, int h) {
    sl::Image img = solid(w, h, 20, 20, 20);
    for (int y = 0; y < h; ++y)
        for (int x = w / 2; x < w; ++x)
            for (int c = 0; c < 3; ++c) img.rgb[(size_t(y) * w + x) * 3 + c] = 220;
    return img;
}

std::vector<uint8_t> inter_font() {
    std::ifstream f("/usr/share/fonts/opentype/inter/Inter-Regular.otf", std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST(Heatmap, NoEffectShowsOnlyTheGreyUnderlay) {
    const sl::Image img = two_tone(10, 4);
    const std::vector<double> zero{0, 0};
    const sl::Image out = sl::render_overlay(img, halves(10, 4), zero, 1.0);
    // Grey stretched to 0 (darkest) and 255 (brightest), at alpha 0.15 over white.
    EXPECT_EQ(out.pixel(0, 0)[0], std::lround(255 * 0.85));
    EXPECT_EQ(out.pixel(9, 3)[1], 255);
}

TEST(Heatmap, FullRangeValuesAreOpaqueRedAndBlue) {
    const sl::Image img = two_tone(10, 4);
    const std::vector<double> v{-2, 2};
    const sl::Image out = sl::render_overlay(img, halves(10, 4), v, 2.0);
    EXPECT_EQ((std::array<uint8_t, 3>{out.pixel(1, 1)[0], out.pixel(1, 1)[1], out.pixel(1, 1)[2]}),
              (std::array<uint8_t, 3>{30, 136, 229}));
    EXPECT_EQ((std::array<uint8_t, 3>{out.pixel(8, 2)[0], out.pixel(8, 2)[1], out.pixel(8, 2)[2]}),
              (std::array<uint8_t, 3>{255, 13, 87}));
}

TEST(Heatmap, OpacityFadesTheColourTowardsTheUnderlay) {
    const sl::Image img = two_tone(10, 4);
    const std::vector<double> v{2, 2};
    sl::OverlayStyle half;
    half.opacity = 0.5f;
    const sl::Image out = sl::render_overlay(img, halves(10, 4), v, 2.0, half);
    // Left half: underlay 216.75, red 255: halfway is 236.
    EXPECT_NEAR(out.pixel(0, 0)[0], (255 * 0.85 + 255) / 2, 1);
    EXPECT_NEAR(out.pixel(0, 0)[1], (255 * 0.85 + 13) / 2, 1);
}

TEST(Heatmap, UnsettledSuperpixelsAreHatched) {
    // Both halves full red; only the left one is unsettled: diagonal stripes of faded red there,
    // solid red on the right.
    const sl::Image img = two_tone(32, 16);
    const std::vector<double> v{2, 2};
    const std::vector<uint8_t> open{1, 0};
    const sl::Image out = sl::render_overlay(img, halves(32, 16), v, 2.0, {}, open);
    int faded = 0, solid_left = 0;
    for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 16; ++x) {
            const bool stripe = (x + y) % 8 < 4;
            faded += stripe && out.pixel(x, y)[1] > 150;        // mostly the white-grey base
            solid_left += !stripe && out.pixel(x, y)[1] == 13;  // the colour map's red
        }
    EXPECT_EQ(faded, 16 * 8);
    EXPECT_EQ(solid_left, 16 * 8);
    for (int y = 0; y < 16; ++y)
        for (int x = 16; x < 32; ++x) ASSERT_EQ(out.pixel(x, y)[1], 13) << x << "," << y;
}

TEST(Heatmap, LabelsOfAnotherSizeAreLookedUpNearestAndBordersDrawn) {
    const sl::Image img = two_tone(40, 8);
    const std::vector<double> v{-1, 1};
    sl::OverlayStyle style;
    style.borders = true;
    const sl::Image out = sl::render_overlay(img, halves(10, 2), v, 1.0, style);
    EXPECT_EQ(out.pixel(5, 4)[2], 229);   // blue half
    EXPECT_EQ(out.pixel(30, 4)[0], 255);  // red half
    EXPECT_EQ(out.pixel(19, 4)[0], 90);   // the last column before the change is a border
    EXPECT_NE(out.pixel(18, 4)[0], 90);
}

TEST(Heatmap, FigureHasThePhotoAPanelPerClassAndAColourBar) {
    const sl::Image photo = two_tone(80, 40);
    const std::vector<double> phi{-0.2, 0.2, 0.2, -0.2}, p{0.3, 0.7};
    sl::FigureInput in{&photo, nullptr, phi, p, {"person", "santa"}, "photo.jpg", {}};
    const sl::Segmentation seg = halves(80, 40);
    in.segmentation = &seg;
    sl::FigureStyle style;
    style.panel_height = 50;
    auto fig = sl::render_figure(in, style);
    ASSERT_TRUE(fig) << fig.error();
    EXPECT_EQ(fig->width, 14 * 2 + 100 + 2 * (14 + 100));  // margins, photo, two class panels
    // The photo in colour at the top left, untouched.
    EXPECT_EQ(fig->pixel(14 + 5, 14 + 5)[0], 20);
    EXPECT_EQ(fig->pixel(14 + 95, 14 + 45)[0], 220);
    // Class "person" is blue on the left (phi -0.2 = -range), "santa" red there.
    const int person = 14 + 100 + 14, santa = person + 100 + 14;
    EXPECT_EQ(fig->pixel(person + 5, 14 + 5)[2], 229);
    EXPECT_EQ(fig->pixel(santa + 5, 14 + 5)[0], 255);
    EXPECT_EQ(fig->pixel(santa + 5, 14 + 5)[1], 13);
    // The colour bar under the class panels: blue at its left end, red at its right.
    const int bar_y = 14 + 50 + 14 + 6;
    EXPECT_NEAR(fig->pixel(person + 3, bar_y)[0], 30, 8);
    EXPECT_NEAR(fig->pixel(person + 3, bar_y)[2], 229, 3);
    EXPECT_NEAR(fig->pixel(fig->width - 14 - 3, bar_y)[0], 255, 1);
    EXPECT_NEAR(fig->pixel(fig->width - 14 - 3, bar_y)[1], 13, 8);
    EXPECT_EQ(fig->pixel(person + 107, bar_y)[1], 255);  // transparent (white) in the middle
}

TEST(Heatmap, FigureWithAFontHasTitles) {
    const std::vector<uint8_t> font = inter_font();
    if (font.empty()) GTEST_SKIP() << "Debian's fonts-inter is not installed";
    const sl::Image photo = two_tone(80, 40);
    const sl::Segmentation seg = halves(80, 40);
    const std::vector<double> phi{-0.2, 0.2, 0.2, -0.2}, p{0.3, 0.7};
    sl::FigureInput in{&photo, &seg, phi, p, {"person", "santa"}, "a rather long file name.jpg", {}};
    sl::FigureStyle style;
    style.font = font;
    style.panel_height = 100;
    auto fig = sl::render_figure(in, style);
    ASSERT_TRUE(fig) << fig.error();
    auto ink = [&](int x0, int x1, int y0, int y1) {  // dark pixels in a box
        int n = 0;
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) n += fig->pixel(x, y)[0] < 128;
        return n;
    };
    const int pw = 200, panels_y = 14 + int(std::lround(17 * 1.9));
    EXPECT_GT(ink(14 + pw + 14, 14 + 2 * pw + 14, 0, panels_y), 50);           // "person (p = 0.300)"
    EXPECT_GT(ink(0, fig->width, panels_y + 100 + 14 + 16, fig->height), 50);  // ticks, "SHAP value"
    // The long title is cut to its panel: no ink in the gap between photo and first class panel.
    EXPECT_EQ(ink(14 + pw + 1, 14 + pw + 13, 0, panels_y), 0);
}

TEST(Heatmap, FigureRejectsBadInput) {
    const sl::Image photo = two_tone(8, 8);
    const sl::Segmentation seg = halves(8, 8);
    const std::vector<double> phi{0, 0, 0}, p{0.5};
    sl::FigureInput in{&photo, &seg, phi, p, {"only"}, "", {}};
    auto wrong = sl::render_figure(in);
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error().find("number of classes"), std::string::npos);
    const std::vector<uint8_t> garbage(1000, 0xab);
    const std::vector<double> ok_phi{0, 0};
    in.phi = ok_phi;
    sl::FigureStyle style;
    style.font = garbage;
    auto font = sl::render_figure(in, style);
    ASSERT_FALSE(font);
    EXPECT_NE(font.error().find("not a TrueType or OpenType font"), std::string::npos);
}
