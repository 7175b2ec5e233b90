// tests/core/explain/masking_test.cpp: backgrounds and masked model inputs (core/explain/masking.cpp).
#include "core/explain/masking.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace {

// A photo with some texture, so that resizing it is not trivial.
sl::Image pattern(int w, int h) {
    sl::Image img{w, h, std::vector<uint8_t>(size_t(w) * h * 3)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                img.rgb[(size_t(y) * w + x) * 3 + c] = uint8_t((x * 7 + y * 13 + c * 61 + (x * y) % 29) % 256);
    return img;
}

sl::Image solid(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
    sl::Image img{w, h, std::vector<uint8_t>(size_t(w) * h * 3)};
    for (size_t i = 0; i < img.rgb.size(); i += 3) img.rgb[i] = r, img.rgb[i + 1] = g, img.rgb[i + 2] = b;
    return img;
}

// Superpixels as a grid of cols x rows blocks, labelled in raster order.
sl::Segmentation grid(int w, int h, int cols, int rows) {
    sl::Segmentation s{w, h, cols * rows, std::vector<int32_t>(size_t(w) * h)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) s.labels[size_t(y) * w + x] = (y * rows / h) * cols + x * cols / w;
    return s;
}

sl::InputSpec small_spec() {
    sl::InputSpec spec;  // NCHW, BGR, caffe means
    spec.width = 48;
    spec.height = 40;
    return spec;
}

}  // namespace

TEST(Masking, AllPresentRowIsExactlyThePhotosTensor) {
    const sl::Image photo = pattern(301, 203);
    const sl::InputSpec spec = small_spec();
    auto m = sl::Masker::create(photo, grid(150, 101, 5, 4), spec, {});
    ASSERT_TRUE(m) << m.error();
    std::vector<float> expected(spec.tensor_size()), x(spec.tensor_size());
    sl::image_to_tensor(photo, spec, expected.data());
    m->masked_inputs(std::vector<uint8_t>(20, 1), 1, x.data());
    EXPECT_EQ(x, expected);
}

TEST(Masking, AllAbsentRowIsExactlyTheBackgroundsTensor) {
    const sl::Image photo = pattern(301, 203);
    const sl::InputSpec spec = small_spec();
    const sl::Background bg{.kind = sl::BackgroundKind::blur};
    auto m = sl::Masker::create(photo, grid(150, 101, 5, 4), spec, bg);
    ASSERT_TRUE(m) << m.error();
    std::vector<float> expected(spec.tensor_size()), x(spec.tensor_size());
    sl::resized_image_to_tensor(sl::make_background(sl::resize_image(photo, 48, 40), bg), spec, expected.data());
    m->masked_inputs(std::vector<uint8_t>(20, 0), 1, x.data());
    EXPECT_EQ(x, expected);
    // What the app runs with its prediction, without superpixels, is that same row.
    EXPECT_EQ(sl::background_tensor(photo, spec, bg), x);
}

TEST(Masking, NhwcRgbInputsFollowTheSpec) {
    const sl::Image photo = pattern(64, 64);
    sl::InputSpec spec{.name = "x",
                       .width = 32,
                       .height = 32,
                       .layout = sl::Layout::nhwc,
                       .channels = sl::ChannelOrder::rgb,
                       .mean = {0.5f, 0.5f, 0.5f},
                       .scale = {2, 2, 2}};
    auto m = sl::Masker::create(photo, grid(64, 64, 2, 2), spec, {});
    ASSERT_TRUE(m) << m.error();
    std::vector<float> expected(spec.tensor_size()), x(spec.tensor_size());
    sl::image_to_tensor(photo, spec, expected.data());
    m->masked_inputs(std::vector<uint8_t>(4, 1), 1, x.data());
    EXPECT_EQ(x, expected);
}

TEST(Masking, SwitchingOffASuperpixelChangesOnlyItsFootprint) {
    // Left half = superpixel 0, right half = 1; the left one off.
    const sl::Image photo = pattern(200, 100);
    const sl::InputSpec spec = small_spec();
    auto m = sl::Masker::create(photo, grid(200, 100, 2, 1), spec, {});
    ASSERT_TRUE(m) << m.error();
    const std::vector<float> share = m->photo_share(std::vector<uint8_t>{0, 1});
    int mixed = 0;
    for (int y = 0; y < spec.height; ++y)
        for (int x = 0; x < spec.width; ++x) {
            const float a = share[size_t(y) * spec.width + x];
            if (x < 22)
                EXPECT_EQ(a, 0.f) << x;  // well inside the left half: background
            else if (x >= 26)
                EXPECT_EQ(a, 1.f) << x;  // well inside the right half: photo
            else
                mixed += a > 0 && a < 1;
        }
    EXPECT_GT(mixed, 0);  // the resize filter straddles the border: soft, not a hard cut
}

TEST(Masking, SharesOfComplementaryCoalitionsAddUpToOne) {
    auto m = sl::Masker::create(pattern(90, 70), grid(90, 70, 3, 3), small_spec(), {});
    ASSERT_TRUE(m) << m.error();
    const std::vector<uint8_t> z{1, 0, 0, 1, 1, 0, 1, 0, 1}, not_z{0, 1, 1, 0, 0, 1, 0, 1, 0};
    const std::vector<float> a = m->photo_share(z), b = m->photo_share(not_z);
    for (size_t p = 0; p < a.size(); ++p) EXPECT_NEAR(a[p] + b[p], 1.f, 1e-6f) << p;
}

TEST(Masking, RowsOfABatchAreIndependent) {
    const sl::InputSpec spec = small_spec();
    auto m = sl::Masker::create(pattern(120, 80), grid(60, 40, 3, 2), spec, {});
    ASSERT_TRUE(m) << m.error();
    const std::vector<uint8_t> batch{1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0};
    std::vector<float> all(3 * spec.tensor_size()), one(spec.tensor_size());
    m->masked_inputs(batch, 3, all.data());
    for (int r = 0; r < 3; ++r) {
        m->masked_inputs(std::span(batch).subspan(r * 6, 6), 1, one.data());
        EXPECT_TRUE(std::equal(one.begin(), one.end(), all.begin() + r * spec.tensor_size())) << r;
    }
}

TEST(Masking, RejectsABrokenSegmentation) {
    const sl::Image photo = pattern(20, 20);
    sl::Segmentation seg = grid(20, 20, 2, 2);
    seg.labels[7] = 4;
    auto bad_label = sl::Masker::create(photo, seg, small_spec(), {});
    ASSERT_FALSE(bad_label);
    EXPECT_NE(bad_label.error().find("outside 0..3"), std::string::npos) << bad_label.error();
    EXPECT_FALSE(sl::Masker::create(photo, sl::Segmentation{}, small_spec(), {}));
    EXPECT_FALSE(sl::Masker::create(sl::Image{}, grid(20, 20, 2, 2), small_spec(), {}));
}

TEST(Background, ParsesMeanBlurAndHexColours) {
    EXPECT_EQ(sl::parse_background("mean")->kind, sl::BackgroundKind::mean);
    EXPECT_EQ(sl::parse_background("blur")->kind, sl::BackgroundKind::blur);
    auto c = sl::parse_background("#FF8800");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->kind, sl::BackgroundKind::colour);
    EXPECT_EQ(c->colour, (std::array<uint8_t, 3>{255, 136, 0}));
    EXPECT_EQ(sl::background_name(*c), "#ff8800");
    for (const char* bad : {"red", "#12345", "#gg0000", "", "#1234567"}) {
        auto r = sl::parse_background(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_NE(r.error().find("mean, blur or #rrggbb"), std::string::npos);
    }
}

TEST(Background, MeanIsThePhotosMeanColour) {
    sl::Image img = solid(4, 2, 10, 20, 30);
    for (int i = 0; i < 4; ++i) img.rgb[size_t(i) * 3] = 50;  // top row red 50, bottom 10: mean 30
    const sl::Image bg = sl::make_background(img, {});
    for (size_t i = 0; i < bg.rgb.size(); i += 3) {
        EXPECT_EQ(bg.rgb[i], 30);
        EXPECT_EQ(bg.rgb[i + 1], 20);
        EXPECT_EQ(bg.rgb[i + 2], 30);
    }
}

TEST(Background, BlurKeepsFlatColourAndSoftensAnEdge) {
    EXPECT_EQ(sl::gaussian_blur(solid(40, 30, 9, 99, 199), 5).rgb, solid(40, 30, 9, 99, 199).rgb);
    sl::Image edge = solid(60, 10, 0, 0, 0);
    for (int y = 0; y < 10; ++y)
        for (int x = 30; x < 60; ++x) edge.rgb[(size_t(y) * 60 + x) * 3] = 200;
    const sl::Image b = sl::gaussian_blur(edge, 4);
    EXPECT_EQ(b.pixel(0, 5)[0], 0);
    EXPECT_EQ(b.pixel(59, 5)[0], 200);
    EXPECT_NEAR(b.pixel(29, 5)[0], 100, 15);  // half way at the edge
    for (int x = 1; x < 60; ++x) EXPECT_LE(b.pixel(x - 1, 5)[0], b.pixel(x, 5)[0]);
}

TEST(Background, BlurSigmaScalesWithTheModelsSize) {
    // The same photo at 112 and 224 px: the blur covers the same fraction of it.
    sl::Image edge = solid(224, 224, 0, 0, 0);
    for (int y = 0; y < 224; ++y)
        for (int x = 112; x < 224; ++x) edge.rgb[(size_t(y) * 224 + x) * 3] = 240;
    const sl::Background blur{.kind = sl::BackgroundKind::blur};
    const sl::Image big = sl::make_background(edge, blur);
    const sl::Image small = sl::make_background(sl::resize_image(edge, 112, 112), blur);
    EXPECT_GT(big.pixel(96, 112)[0], 30);  // 16 px (one sigma) left of the edge: visibly blurred
    EXPECT_NEAR(big.pixel(96, 112)[0], small.pixel(48, 56)[0], 6);
}

TEST(Background, FlatColourFillsEverything) {
    const sl::Image bg = sl::make_background(pattern(5, 5), *sl::parse_background("#102030"));
    for (size_t i = 0; i < bg.rgb.size(); i += 3)
        EXPECT_EQ(bg.rgb[i] + bg.rgb[i + 1] + bg.rgb[i + 2], 0x10 + 0x20 + 0x30);
}
