// tests/core/image/tensor_test.cpp: the resize and the image -> tensor conversion.
#include "core/image/tensor.h"

#include <gtest/gtest.h>

namespace {

sl::Image solid(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
    sl::Image img{w, h, std::vector<uint8_t>(size_t(w) * h * 3)};
    for (size_t i = 0; i < img.rgb.size(); i += 3) {
        img.rgb[i] = r;
        img.rgb[i + 1] = g;
        img.rgb[i + 2] = b;
    }
    return img;
}

}  // namespace

TEST(Resize, KeepsAFlatColourFlat) {
    sl::Image out = sl::resize_image(solid(997, 413, 10, 200, 90), 224, 224);
    ASSERT_EQ(out.width, 224);
    for (size_t i = 0; i < out.rgb.size(); i += 3) {
        ASSERT_EQ(out.rgb[i], 10);
        ASSERT_EQ(out.rgb[i + 1], 200);
        ASSERT_EQ(out.rgb[i + 2], 90);
    }
}

TEST(Resize, IsTheIdentityAtTheSameSize) {
    sl::Image img = solid(5, 4, 1, 2, 3);
    img.rgb[7] = 99;
    EXPECT_EQ(sl::resize_image(img, 5, 4).rgb, img.rgb);
}

TEST(Resize, AveragesInsteadOfAliasingWhenShrinking) {
    // One-pixel black and white stripes: a point-sampling resize gives black or white,
    // an antialiased one grey.
    sl::Image img = solid(400, 40, 0, 0, 0);
    for (int y = 0; y < 40; ++y)
        for (int x = 1; x < 400; x += 2)
            for (int c = 0; c < 3; ++c) img.rgb[(size_t(y) * 400 + x) * 3 + c] = 255;
    sl::Image out = sl::resize_image(img, 40, 4);
    for (int y = 0; y < 4; ++y)
        for (int x = 1; x < 39; ++x)  // the border columns see a clipped, uneven filter
            EXPECT_NEAR(out.pixel(x, y)[0], 127.5, 1.0) << x;
}

TEST(Resize, EnlargesSmoothly) {
    sl::Image img = solid(2, 1, 0, 0, 0);
    img.rgb[3] = img.rgb[4] = img.rgb[5] = 200;
    sl::Image out = sl::resize_image(img, 8, 1);
    for (int x = 1; x < 8; ++x) EXPECT_LE(out.rgb[(x - 1) * 3], out.rgb[x * 3]);  // monotone ramp
    EXPECT_LT(out.rgb[0], 30);
    EXPECT_GT(out.rgb[7 * 3], 170);
}

TEST(Tensor, CaffePreprocessingIsBgrMinusMeanInNchw) {
    sl::InputSpec spec;  // defaults: 224x224, NCHW, BGR, Keras' caffe means
    spec.width = 2;
    spec.height = 1;
    sl::Image img = solid(2, 1, 10, 20, 30);
    std::vector<float> x(spec.tensor_size());
    sl::image_to_tensor(img, spec, x.data());
    // plane 0 = B, 1 = G, 2 = R; two pixels each
    EXPECT_FLOAT_EQ(x[0], 30 - 103.939f);
    EXPECT_FLOAT_EQ(x[1], 30 - 103.939f);
    EXPECT_FLOAT_EQ(x[2], 20 - 116.779f);
    EXPECT_FLOAT_EQ(x[4], 10 - 123.68f);
}

TEST(Tensor, NhwcRgbWithScale) {
    sl::InputSpec spec{.name = "x",
                       .width = 1,
                       .height = 1,
                       .layout = sl::Layout::nhwc,
                       .channels = sl::ChannelOrder::rgb,
                       .mean = {0, 0, 0},
                       .scale = {0.5f, 1, 2}};
    std::vector<float> x(3);
    sl::image_to_tensor(solid(3, 3, 10, 20, 30), spec, x.data());
    EXPECT_FLOAT_EQ(x[0], 5);
    EXPECT_FLOAT_EQ(x[1], 20);
    EXPECT_FLOAT_EQ(x[2], 60);
}
