// tests/core/explain/slic_test.cpp: SLIC superpixels: label numbering, connectivity, counts, edges,
// odd sizes, bad parameters, and the resize and border helpers. The "Recorded" test pins exact
// labels, so the native and the WebAssembly builds are checked against each other.
#include "core/explain/slic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace {

sl::Image filled(int w, int h, auto colour_at) {
    sl::Image img{w, h, std::vector<uint8_t>(size_t(w) * h * 3)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const std::array<uint8_t, 3> c = colour_at(x, y);
            std::copy(c.begin(), c.end(), img.rgb.begin() + (size_t(y) * w + x) * 3);
        }
    return img;
}

// Smooth colour ramps: no edges for superpixels to follow.
sl::Image smooth(int w, int h) {
    return filled(w, h, [&](int x, int y) {
        return std::array<uint8_t, 3>{uint8_t(40 + 160 * x / w), uint8_t(60 + 120 * y / h), 90};
    });
}

// Blobs and stripes of many colours: superpixels with ragged shapes and stray fragments.
sl::Image busy(int w, int h) {
    return filled(w, h, [&](int x, int y) {
        const double v = std::sin(x * 0.21) * std::cos(y * 0.17) + std::sin((x + 2 * y) * 0.05);
        return std::array<uint8_t, 3>{uint8_t(127 + 120 * std::sin(v * 2.1)),
                                      uint8_t(127 + 120 * std::cos(v * 3.3 + x * 0.01)),
                                      uint8_t((x * 7 + y * 13) % 256)};
    });
}

sl::Segmentation run(const sl::Image& img, sl::SlicParams p = {}) {
    auto seg = sl::slic(img, p);
    EXPECT_TRUE(seg.ok()) << (seg ? "" : seg.error());
    return seg ? std::move(*seg) : sl::Segmentation{};
}

// 4-connected regions of equal labels.
int count_regions(const sl::Segmentation& s) {
    std::vector<int> seen(s.labels.size(), 0), stack;
    int regions = 0;
    for (size_t start = 0; start < s.labels.size(); ++start) {
        if (seen[start]) continue;
        ++regions;
        seen[start] = 1;
        stack.push_back(int(start));
        while (!stack.empty()) {
            const int i = stack.back(), x = i % s.width, y = i / s.width;
            stack.pop_back();
            const int next[4][2] = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
            for (const auto& n : next) {
                if (n[0] < 0 || n[0] >= s.width || n[1] < 0 || n[1] >= s.height) continue;
                const int j = n[1] * s.width + n[0];
                if (!seen[j] && s.labels[j] == s.labels[i]) seen[j] = 1, stack.push_back(j);
            }
        }
    }
    return regions;
}

// Labels are 0..count-1, each used, numbered in raster order of first appearance.
void expect_raster_numbering(const sl::Segmentation& s) {
    ASSERT_EQ(s.labels.size(), size_t(s.width) * s.height);
    int32_t next = 0;
    for (int32_t label : s.labels) {
        ASSERT_GE(label, 0);
        ASSERT_LE(label, next) << "label appears before a smaller one";
        if (label == next) ++next;
    }
    EXPECT_EQ(next, s.count);
}

}  // namespace

TEST(Slic, LabelsAreContiguousFromZeroInRasterOrder) {
    for (int n : {1, 7, 50, 200}) {
        sl::SlicParams p;
        p.n_segments = n;
        expect_raster_numbering(run(busy(160, 120), p));
    }
}

TEST(Slic, EverySegmentIsOneFourConnectedRegion) {
    for (double compactness : {1.0, 10.0, 30.0}) {
        sl::SlicParams p;
        p.n_segments = 100;
        p.compactness = compactness;
        p.sigma = 0;  // ragged borders and stray fragments, to give connectivity work
        const sl::Segmentation s = run(busy(150, 110), p);
        EXPECT_EQ(count_regions(s), s.count) << "compactness " << compactness;
    }
}

TEST(Slic, WithoutConnectivityPiecesMayBeSplit) {
    sl::SlicParams p;
    p.n_segments = 100;
    p.compactness = 1;
    p.sigma = 0;
    p.enforce_connectivity = false;
    const sl::Segmentation s = run(busy(150, 110), p);
    expect_raster_numbering(s);
    EXPECT_GT(count_regions(s), s.count);  // what enforce_connectivity is there to repair
}

TEST(Slic, CountIsNearNSegmentsOnASmoothImage) {
    for (int n : {20, 50, 200}) {
        sl::SlicParams p;
        p.n_segments = n;
        const sl::Segmentation s = run(smooth(300, 200), p);
        EXPECT_GE(s.count, n * 8 / 10) << n;
        EXPECT_LE(s.count, n * 12 / 10) << n;
    }
}

TEST(Slic, NoSuperpixelStraddlesAnEdgeBetweenFlatColours) {
    // Unsmoothed, the edge is a superpixel border exactly. Smoothed with sigma 3 the pixels next
    // to the edge are mixtures, and a superpixel may take in one or two beyond it, never more
    // (scikit-image's slic reaches up to 6 pixels beyond on these images).
    const std::array<uint8_t, 3> red{220, 30, 40}, blue{30, 60, 200};
    for (int edge : {37, 64, 101}) {
        for (bool vertical : {true, false}) {
            const sl::Image img =
                filled(160, 140, [&](int x, int y) { return (vertical ? x : y) < edge ? red : blue; });
            for (double sigma : {0.0, 3.0}) {
                sl::SlicParams p;
                p.sigma = sigma;
                const sl::Segmentation s = run(img, p);
                // Per superpixel: its first and last row or column across the edge.
                std::vector<int> first(size_t(s.count), 1 << 20), last(size_t(s.count), -1);
                for (int y = 0; y < s.height; ++y)
                    for (int x = 0; x < s.width; ++x) {
                        const size_t k = size_t(s.labels[size_t(y) * s.width + x]);
                        first[k] = std::min(first[k], vertical ? x : y);
                        last[k] = std::max(last[k], vertical ? x : y);
                    }
                int deepest = 0;  // how far a superpixel reaches across the edge
                for (int k = 0; k < s.count; ++k)
                    if (first[k] < edge && last[k] >= edge)
                        deepest = std::max(deepest, std::min(edge - first[k], last[k] - edge + 1));
                EXPECT_LE(deepest, sigma == 0 ? 0 : 2)
                    << "edge " << edge << (vertical ? " vertical" : " horizontal") << ", sigma " << sigma;
            }
        }
    }
}

TEST(Slic, SameImageGivesSameLabels) {
    const sl::Image img = busy(123, 97);
    sl::SlicParams p;
    p.n_segments = 80;
    const sl::Segmentation a = run(img, p), b = run(img, p);
    EXPECT_EQ(a.count, b.count);
    EXPECT_EQ(a.labels, b.labels);
}

TEST(Slic, RecordedLabelsAreTheSameOnEveryBuild) {
    // FNV-1a of the labels, recorded from the native build; the WebAssembly build must match.
    const sl::Segmentation s = run(busy(123, 97));
    uint64_t h = 0xcbf29ce484222325ull;
    for (int32_t label : s.labels) h = (h ^ uint32_t(label)) * 0x100000001b3ull;
    EXPECT_EQ(s.count, 46);
    EXPECT_EQ(h, 13413061854882889815ull);
}

TEST(Slic, RejectsBadParametersAndEmptyImages) {
    const sl::Image img = smooth(20, 20);
    EXPECT_FALSE(sl::slic(sl::Image{}, {}).ok());
    EXPECT_FALSE(sl::slic(sl::Image{0, 5, {}}, {}).ok());
    auto rejects = [&](auto change) {
        sl::SlicParams p;
        change(p);
        auto r = sl::slic(img, p);
        if (r.ok()) return false;
        EXPECT_FALSE(r.error().empty());
        return true;
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_TRUE(rejects([](sl::SlicParams& p) { p.n_segments = 0; }));
    EXPECT_TRUE(rejects([](sl::SlicParams& p) { p.n_segments = -3; }));
    EXPECT_TRUE(rejects([](sl::SlicParams& p) { p.compactness = 0; }));
    EXPECT_TRUE(rejects([&](sl::SlicParams& p) { p.compactness = nan; }));
    EXPECT_TRUE(rejects([&](sl::SlicParams& p) { p.compactness = inf; }));
    EXPECT_TRUE(rejects([](sl::SlicParams& p) { p.sigma = -1; }));
    EXPECT_TRUE(rejects([&](sl::SlicParams& p) { p.sigma = nan; }));
    EXPECT_TRUE(rejects([](sl::SlicParams& p) { p.sigma = 1e7; }));
    EXPECT_TRUE(rejects([](sl::SlicParams& p) { p.max_iterations = 0; }));
    EXPECT_TRUE(rejects([](sl::SlicParams& p) { p.min_size_factor = -0.5; }));
    EXPECT_FALSE(rejects([](sl::SlicParams& p) { p.sigma = 0; }));
    EXPECT_FALSE(rejects([](sl::SlicParams& p) { p.max_iterations = 1; }));
}

TEST(Slic, OnePixelImageIsOneSegment) {
    const sl::Segmentation s = run(sl::Image{1, 1, {9, 99, 199}});
    EXPECT_EQ(s.count, 1);
    EXPECT_EQ(s.labels, std::vector<int32_t>{0});
}

TEST(Slic, ThinImagesAreCutAlongTheirLength) {
    for (bool row : {true, false}) {
        const int length = 300;
        const sl::Image img = row ? busy(length, 1) : busy(1, length);
        sl::SlicParams p;
        p.n_segments = 10;
        const sl::Segmentation s = run(img, p);
        expect_raster_numbering(s);
        EXPECT_EQ(count_regions(s), s.count);
        EXPECT_GE(s.count, 5);
        EXPECT_LE(s.count, 12);
    }
}

TEST(Slic, MoreSegmentsThanPixelsGivesAtMostOnePerPixel) {
    sl::SlicParams p;
    p.n_segments = 1000;
    const sl::Segmentation s = run(busy(5, 4), p);
    expect_raster_numbering(s);
    EXPECT_LE(s.count, 20);
    EXPECT_EQ(count_regions(s), s.count);
}

TEST(Slic, FlatImageIsCutIntoGridCells) {
    const sl::Segmentation s = run(filled(100, 100, [](int, int) { return std::array<uint8_t, 3>{100, 150, 200}; }));
    EXPECT_EQ(s.count, 49);  // scikit-image's grid for 50 segments on 100 x 100: 7 x 7
    EXPECT_EQ(count_regions(s), s.count);
}

TEST(Slic, ResizeSegmentationPicksTheNearestLabel) {
    const sl::Segmentation s{2, 2, 4, {0, 1, 2, 3}};
    const sl::Segmentation up = sl::resize_segmentation(s, 4, 6);
    EXPECT_EQ(up.width, 4);
    EXPECT_EQ(up.height, 6);
    EXPECT_EQ(up.count, 4);
    EXPECT_EQ(up.labels,
              (std::vector<int32_t>{0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3, 2, 2, 3, 3}));
    const sl::Segmentation line{6, 1, 6, {0, 1, 2, 3, 4, 5}};
    const sl::Segmentation down = sl::resize_segmentation(line, 3, 1);  // pixel centres 1, 3, 5
    EXPECT_EQ(down.labels, (std::vector<int32_t>{1, 3, 5}));
    EXPECT_EQ(down.count, 6);  // labels that vanish are not renumbered
    EXPECT_TRUE(sl::resize_segmentation(s, 0, 0).labels.empty());
}

TEST(Slic, ResizedToTheModelSizeKeepsEveryLargeSegment) {
    sl::SlicParams p;
    const sl::Segmentation s = run(busy(640, 480), p);
    const sl::Segmentation small = sl::resize_segmentation(s, 224, 224);
    std::vector<int> seen(size_t(s.count), 0);
    for (int32_t label : small.labels) seen[size_t(label)] = 1;
    EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), s.count);
}

TEST(Slic, SegmentBordersMarkPixelsWhoseRightOrLowerNeighbourDiffers) {
    const sl::Segmentation s{3, 3, 3, {0, 0, 1, 0, 0, 1, 2, 2, 2}};
    EXPECT_EQ(sl::segment_borders(s), (std::vector<uint8_t>{0, 1, 0, 1, 1, 1, 0, 0, 0}));
    EXPECT_EQ(sl::segment_borders(sl::Segmentation{2, 1, 1, {0, 0}}), (std::vector<uint8_t>{0, 0}));
}
