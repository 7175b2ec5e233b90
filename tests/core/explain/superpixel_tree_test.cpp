// tests/core/explain/superpixel_tree_test.cpp: the superpixel hierarchy (core/explain/superpixel_tree.h): alike
// neighbours merge first, every node has one parent, touching groups only, bad input.
#include "core/explain/superpixel_tree.h"

#include <gtest/gtest.h>

#include <set>

namespace {

// A w x h image in `cols` x `rows` equal cells, one superpixel per cell, colours from `rgb`.
struct Cells {
    sl::Image image;
    sl::Segmentation seg;
};

Cells cells(int cols, int rows, const std::vector<std::array<uint8_t, 3>>& rgb, int cell = 8) {
    Cells c;
    const int w = cols * cell, h = rows * cell;
    c.image = {w, h, std::vector<uint8_t>(size_t(w) * h * 3)};
    c.seg = {w, h, cols * rows, std::vector<int32_t>(size_t(w) * h)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const int k = (y / cell) * cols + x / cell;
            c.seg.labels[size_t(y) * w + x] = k;
            for (int ch = 0; ch < 3; ++ch) c.image.rgb[(size_t(y) * w + x) * 3 + ch] = rgb[size_t(k)][ch];
        }
    return c;
}

std::set<int> leaves(const sl::SuperpixelTree& t, int node) {
    const auto sets = sl::tree_leaf_sets(t);
    return {sets[size_t(node)].begin(), sets[size_t(node)].end()};
}

TEST(SuperpixelTree, AlikeNeighboursMergeFirst) {
    // 4 x 1 cells: red red blue blue. The two reds and the two blues pair up; the root joins them.
    const Cells c = cells(4, 1, {{220, 20, 20}, {210, 30, 25}, {20, 20, 220}, {30, 25, 210}});
    auto t = sl::build_superpixel_tree(c.image, c.seg);
    ASSERT_TRUE(t.ok()) << t.error();
    ASSERT_EQ(t->leaves, 4);
    ASSERT_EQ(t->children.size(), 3u);
    const auto [l, r] = t->children.back();
    std::set<std::set<int>> halves{leaves(*t, l), leaves(*t, r)};
    EXPECT_EQ(halves, (std::set<std::set<int>>{{0, 1}, {2, 3}}));
}

TEST(SuperpixelTree, OnlyTouchingGroupsMerge) {
    // 3 x 1 cells: red blue red. The two reds are alike but apart: each must first join the blue.
    const Cells c = cells(3, 1, {{220, 20, 20}, {20, 20, 220}, {220, 20, 20}});
    auto t = sl::build_superpixel_tree(c.image, c.seg);
    ASSERT_TRUE(t.ok());
    const auto [a, b] = t->children.front();
    EXPECT_TRUE((a == 1 || b == 1)) << "first merge " << a << "+" << b;
}

TEST(SuperpixelTree, EveryNodeHasOneParentAndTheRootHoldsAll) {
    std::vector<std::array<uint8_t, 3>> rgb;
    for (int k = 0; k < 30; ++k) rgb.push_back({uint8_t(k * 37 % 256), uint8_t(k * 91 % 256), uint8_t(k * 53 % 256)});
    const Cells c = cells(6, 5, rgb);
    auto t = sl::build_superpixel_tree(c.image, c.seg);
    ASSERT_TRUE(t.ok());
    std::vector<int> parents(size_t(t->nodes()), 0);
    for (size_t j = 0; j < t->children.size(); ++j)
        for (int child : t->children[j]) {
            EXPECT_LT(child, t->leaves + int(j));
            ++parents[size_t(child)];
        }
    for (int n = 0; n + 1 < t->nodes(); ++n) EXPECT_EQ(parents[size_t(n)], 1) << "node " << n;
    EXPECT_EQ(leaves(*t, t->root()).size(), 30u);
}

TEST(SuperpixelTree, OneSuperpixelIsALeafRoot) {
    const Cells c = cells(1, 1, {{1, 2, 3}});
    auto t = sl::build_superpixel_tree(c.image, c.seg);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->root(), 0);
    EXPECT_TRUE(t->children.empty());
}

TEST(SuperpixelTree, BadInputIsAnError) {
    Cells c = cells(2, 1, {{1, 2, 3}, {4, 5, 6}});
    sl::Image small{4, 4, std::vector<uint8_t>(48)};
    EXPECT_FALSE(sl::build_superpixel_tree(small, c.seg).ok());
    c.seg.labels[0] = 7;
    auto t = sl::build_superpixel_tree(c.image, c.seg);
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.error().find("label 7"), std::string::npos) << t.error();
    c.seg.count = 0;
    EXPECT_FALSE(sl::build_superpixel_tree(c.image, c.seg).ok());
}

}  // namespace
