// tests/core/explain/amortized_explainer_test.cpp: the amortized explainer's network (core/
// amortized_explainer.h): the density against a direct computation, cells that add up, values
// that add up to the margin, the file round trip and refusal of bad files.
#include "core/explain/amortized_explainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

sl::Segmentation halves(int width, int height) {
    sl::Segmentation seg{width, height, 2, std::vector<int32_t>(size_t(width) * height)};
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) seg.labels[size_t(y) * width + x] = x < width / 2 ? 0 : 1;
    return seg;
}

TEST(AmortizedExplainer, DensityMatchesADirectComputation) {
    const int c = 3, g = 4, h = 2;
    const sl::AmortizedNet net = sl::make_amortized_net(c, g, h, 1, 7);
    std::vector<float> clean(size_t(c) * g * g), masked(clean.size());
    for (size_t i = 0; i < clean.size(); ++i) clean[i] = float(i % 5) * 0.3f, masked[i] = float(i % 3) * 0.2f;
    const std::vector<float> d = sl::predict_density(net, clean, masked);
    ASSERT_EQ(d.size(), size_t(g) * g);
    // Written out: 1x1 layer, ReLU, 3x3 with zero padding, ReLU, 3x3 to one output.
    const auto in = [&](int ch, int y, int x) {
        return ch < c ? clean[size_t(ch) * g * g + y * g + x] : masked[size_t(ch - c) * g * g + y * g + x];
    };
    std::vector<float> h1(size_t(h) * g * g), h2(h1.size());
    for (int o = 0; o < h; ++o)
        for (int y = 0; y < g; ++y)
            for (int x = 0; x < g; ++x) {
                float s = net.b1[size_t(o)];
                for (int ch = 0; ch < 2 * c; ++ch)
                    s += net.w1[size_t(o) * 2 * c + ch] * (in(ch, y, x) - net.mean[size_t(ch)]) *
                         net.inv_std[size_t(ch)];
                h1[size_t(o) * g * g + y * g + x] = std::max(0.f, s);
            }
    const auto conv = [&](const std::vector<float>& src, const std::vector<float>& w, const std::vector<float>& b,
                          int outs, bool relu) {
        std::vector<float> dst(size_t(outs) * g * g);
        for (int o = 0; o < outs; ++o)
            for (int y = 0; y < g; ++y)
                for (int x = 0; x < g; ++x) {
                    float s = b[size_t(o)];
                    for (int i = 0; i < h; ++i)
                        for (int dy = -1; dy <= 1; ++dy)
                            for (int dx = -1; dx <= 1; ++dx) {
                                if (y + dy < 0 || y + dy >= g || x + dx < 0 || x + dx >= g) continue;
                                s += w[((size_t(o) * h + i) * 3 + (dy + 1)) * 3 + (dx + 1)] *
                                     src[size_t(i) * g * g + (y + dy) * g + (x + dx)];
                            }
                    dst[size_t(o) * g * g + y * g + x] = relu ? std::max(0.f, s) : s;
                }
        return dst;
    };
    h2 = conv(h1, net.w2, net.b2, h, true);
    const std::vector<float> want = conv(h2, net.w3, net.b3, 1, false);
    for (size_t k = 0; k < d.size(); ++k) EXPECT_NEAR(d[k], want[k], 1e-5);
}

TEST(AmortizedExplainer, CellsAndValuesAddUp) {
    const sl::Segmentation seg = halves(37, 23);
    const sl::CellOverlap cells = sl::cell_overlap(seg, 14);
    ASSERT_EQ(cells.share.size(), size_t(2) * 196);
    for (int cell = 0; cell < 196; ++cell)
        EXPECT_NEAR(cells.share[size_t(cell)] + cells.share[196 + size_t(cell)], 1.0, 1e-6);
    EXPECT_NEAR(cells.area[0] + cells.area[1], 1.0, 1e-12);
    EXPECT_NEAR(cells.area[0], 18.0 / 37, 1e-12);
    // A density only in the left columns goes to the left half; the shift keeps the sum.
    std::vector<float> density(196, 0.f);
    for (int y = 0; y < 14; ++y) density[size_t(y) * 14] = 1.f;
    const std::vector<double> phi = sl::amortized_values(density, cells, 0, 20.0);
    EXPECT_NEAR(phi[0] + phi[1], 20.0, 1e-9);
    EXPECT_NEAR(phi[0] - phi[1], 14.0 + (20.0 - 14.0) * (cells.area[0] - cells.area[1]), 1e-4);
}

TEST(AmortizedExplainer, FileRoundTripAndBadFiles) {
    const sl::AmortizedNet net = sl::make_amortized_net(8, 5, 4, 2, 3);
    const std::vector<uint8_t> bytes = sl::serialize_amortized_net(net);
    auto back = sl::parse_amortized_net(bytes);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->w1, net.w1);
    EXPECT_EQ(back->w3, net.w3);
    EXPECT_EQ(back->outputs, 2);
    std::vector<uint8_t> bad = bytes;
    bad[0] = 'X';
    EXPECT_FALSE(sl::parse_amortized_net(bad).ok());
    EXPECT_FALSE(sl::parse_amortized_net(std::span(bytes).first(bytes.size() - 4)).ok());
    bad = bytes;
    bad[bytes.size() - 1] = 0x7f, bad[bytes.size() - 2] = 0xc0;  // the last float: NaN
    EXPECT_FALSE(sl::parse_amortized_net(bad).ok());
    bad = bytes;
    bad[8] = 0, bad[9] = 0, bad[10] = 0, bad[11] = 0x40;  // absurd channel count
    EXPECT_FALSE(sl::parse_amortized_net(bad).ok());
}

}  // namespace
