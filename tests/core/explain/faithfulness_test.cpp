// tests/core/explain/faithfulness_test.cpp: deletion and insertion curves (core/explain/faithfulness.cpp) on a
// game and on a photo whose class lives in one region, where the best order is known.
#include "core/explain/faithfulness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/explain/masking.h"

namespace {

using V = std::vector<double>;

// The faithfulness of `order` on a game given as a table of 2^M values (index = bitmask of the
// present players): the model's values on faithfulness_coalitions' rows, looked up.
sl::Faithfulness on_table(const V& table, const std::vector<int>& order) {
    const size_t m = order.size();
    const std::vector<uint8_t> rows = sl::faithfulness_coalitions(order);
    V curves;
    for (size_t r = 0; r < 2 * (m + 1); ++r) {
        size_t mask = 0;
        for (size_t k = 0; k < m; ++k) mask |= size_t(rows[r * m + k]) << k;
        curves.push_back(table[mask]);
    }
    return *sl::faithfulness(curves);
}

// The lowest and highest difference over all M! orders.
std::pair<double, double> range_over_orders(const V& table, int m) {
    std::vector<int> order(static_cast<size_t>(m));
    std::iota(order.begin(), order.end(), 0);
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    do {
        const double d = on_table(table, order).difference;
        lo = std::min(lo, d), hi = std::max(hi, d);
    } while (std::next_permutation(order.begin(), order.end()));
    return {lo, hi};
}

TEST(Faithfulness, OrdersByDecreasingValueWithTiesByIndex) {
    EXPECT_EQ(sl::value_order(V{0.1, 0.5, 0.1, -0.2, 0.5}), (std::vector<int>{1, 4, 0, 2, 3}));
    EXPECT_EQ(sl::value_order(V{}), std::vector<int>{});
}

TEST(Faithfulness, RandomOrderIsAPermutationFixedBySeed) {
    const std::vector<int> a = sl::random_order(50, 7);
    EXPECT_EQ(a, sl::random_order(50, 7));
    EXPECT_NE(a, sl::random_order(50, 8));
    std::vector<int> sorted = a;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int> identity(50);
    std::iota(identity.begin(), identity.end(), 0);
    EXPECT_EQ(sorted, identity);
    EXPECT_NE(a, identity);
}

TEST(Faithfulness, CoalitionsRemoveThenAddInOrder) {
    const std::vector<uint8_t> rows = sl::faithfulness_coalitions(std::vector<int>{2, 0, 1});
    const std::vector<uint8_t> expected{1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0,   // deletion
                                        0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1};  // insertion
    EXPECT_EQ(rows, expected);
}

TEST(Faithfulness, AreaIsTheTrapezoidOverTheUnitInterval) {
    EXPECT_DOUBLE_EQ(sl::area_under_curve(V{0.3, 0.3, 0.3}), 0.3);
    EXPECT_DOUBLE_EQ(sl::area_under_curve(V{0, 1}), 0.5);
    EXPECT_DOUBLE_EQ(sl::area_under_curve(V{1, 0, 0, 0, 0}), 0.125);
    EXPECT_EQ(sl::area_under_curve(V{0.7}), 0.0);
}

// p(z) = 0.05 + 0.9 z_3 over 8 superpixels: the class lives in region 3 alone.
V one_region_game() {
    V table(256);
    for (size_t mask = 0; mask < table.size(); ++mask) table[mask] = 0.05 + 0.9 * double((mask >> 3) & 1);
    return table;
}

TEST(Faithfulness, PuttingTheClassesRegionFirstScoresTheMaximum) {
    const V table = one_region_game();
    V phi(8, 0.0);
    phi[3] = 0.9;  // its Shapley values
    const sl::Faithfulness good = on_table(table, sl::value_order(phi));
    // Deletion falls from 0.95 to 0.05 in the first step, insertion rises in it: 1/8 of the
    // trapezoid at (0.95 + 0.05) / 2, the rest flat.
    EXPECT_NEAR(good.deletion, 0.5 / 8 + 0.05 * 7 / 8, 1e-12);
    EXPECT_NEAR(good.insertion, 0.5 / 8 + 0.95 * 7 / 8, 1e-12);
    EXPECT_NEAR(good.difference, 0.9 * 7 / 8, 1e-12);
    const auto [lo, hi] = range_over_orders(table, 8);
    EXPECT_NEAR(good.difference, hi, 1e-12);

    std::vector<int> reversed = sl::value_order(phi);
    std::reverse(reversed.begin(), reversed.end());
    EXPECT_NEAR(on_table(table, reversed).difference, lo, 1e-12);
    EXPECT_NEAR(lo, -hi, 1e-12);
}

TEST(Faithfulness, TiesFallBackToIndexOrder) {
    // All values equal: superpixels 0, 1, 2 go first, region 3 is the fourth step.
    const sl::Faithfulness f = on_table(one_region_game(), sl::value_order(V(8, 0.0)));
    EXPECT_NEAR(f.deletion, (0.95 * 3 + 0.05 * 4 + 0.5) / 8, 1e-12);
    EXPECT_NEAR(f.insertion, (0.05 * 3 + 0.95 * 4 + 0.5) / 8, 1e-12);
}

TEST(Faithfulness, OneSuperpixelHasNothingToOrder) {
    EXPECT_EQ(sl::faithfulness_coalitions(std::vector<int>{0}), (std::vector<uint8_t>{1, 0, 0, 1}));
    const sl::Result<sl::Faithfulness> f = sl::faithfulness(V{0.9, 0.2, 0.2, 0.9});
    ASSERT_TRUE(f);
    EXPECT_DOUBLE_EQ(f->deletion, 0.55);
    EXPECT_DOUBLE_EQ(f->insertion, 0.55);
    EXPECT_DOUBLE_EQ(f->difference, 0.0);
}

TEST(Faithfulness, RejectsMalformedCurves) {
    EXPECT_FALSE(sl::faithfulness(V{0.1, 0.2}));                 // M = 0
    EXPECT_FALSE(sl::faithfulness(V{0.1, 0.2, 0.3, 0.4, 0.5}));  // odd
    EXPECT_FALSE(sl::faithfulness(V{0.1, std::nan(""), 0.3, 0.4}));
}

// A photo, grey but for one red superpixel of six, masked with a blur as explain-bench does, and a
// "model" that measures redness linearly. The masked inputs are linear in the coalition, so the
// game is additive: each superpixel's Shapley value is v({k}) - v({}), and decreasing value
// order maximises every prefix sum, hence both curves: it must score the best of all 720 orders.
TEST(Faithfulness, OnAPhotoTheValueOrderIsTheBestOrder) {
    const int w = 60, h = 40, m = 6;
    sl::Segmentation seg{w, h, m, std::vector<int32_t>(size_t(w) * h)};
    sl::Image photo{w, h, std::vector<uint8_t>(size_t(w) * h * 3, 128)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const int label = (y * 2 / h) * 3 + x * 3 / w;
            seg.labels[size_t(y) * w + x] = label;
            if (label == 4) photo.rgb[(size_t(y) * w + x) * 3] = 220, photo.rgb[(size_t(y) * w + x) * 3 + 1] = 30;
        }
    sl::InputSpec spec;
    spec.width = spec.height = 32;
    spec.channels = sl::ChannelOrder::rgb;
    spec.mean = {0, 0, 0};
    auto masker = sl::Masker::create(photo, seg, spec, *sl::parse_background("blur"));
    ASSERT_TRUE(masker);

    const size_t n = size_t(1) << m, plane = size_t(spec.width) * spec.height;
    std::vector<uint8_t> present(n * m);
    for (size_t mask = 0; mask < n; ++mask)
        for (int k = 0; k < m; ++k) present[mask * m + size_t(k)] = uint8_t((mask >> k) & 1);
    std::vector<float> x(n * masker->tensor_size());
    masker->masked_inputs(present, int(n), x.data());
    V table(n);  // mean of red - (green + blue) / 2, in 0..1
    for (size_t mask = 0; mask < n; ++mask) {
        const float* r = &x[mask * masker->tensor_size()];
        double sum = 0;
        for (size_t p = 0; p < plane; ++p) sum += r[p] - (r[plane + p] + r[2 * plane + p]) / 2;
        table[mask] = sum / double(plane) / 255;
    }
    V phi(m);
    for (int k = 0; k < m; ++k) phi[size_t(k)] = table[size_t(1) << k] - table[0];
    EXPECT_EQ(sl::value_order(phi).front(), 4);  // the red superpixel first

    const sl::Faithfulness good = on_table(table, sl::value_order(phi));
    const auto [lo, hi] = range_over_orders(table, m);
    EXPECT_NEAR(good.difference, hi, 1e-9);
    EXPECT_GT(good.difference, 0.01);  // small: the blur keeps much of the red square's colour
    std::vector<int> reversed = sl::value_order(phi);
    std::reverse(reversed.begin(), reversed.end());
    EXPECT_NEAR(on_table(table, reversed).difference, lo, 1e-9);
    EXPECT_LT(lo, 0);
}

}  // namespace
