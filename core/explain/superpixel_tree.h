// core/explain/superpixel_tree.h: a binary hierarchy over the superpixels of a photo, built by merging
// neighbours that look alike: the groups whose Owen values core/explain/owen_shap.h computes first.
// Pairs with slic.h (the leaves) and owen_shap.h (its one user).
//
//   sl::Result<sl::SuperpixelTree> tree = sl::build_superpixel_tree(display, seg);
//   int root = tree->root();                       // node ids: 0 .. leaves-1 are the superpixels
//   auto [left, right] = tree->children[root - tree->leaves];
//
// Why merge by looks and not by a fixed grid (shap's Partition explainer splits the image in
// halves): a coarse group then tends to be one thing (the red suit, the beard, the wall), so the
// coarse levels' values already mean something and the refinement splits where it matters.
// Merging is agglomerative with Ward's criterion on each superpixel's mean CIELAB colour and
// centroid (both on a 0..100 scale, as SLIC weighs them), restricted to touching groups, so every
// group is one connected region; Ward's size factor keeps the tree roughly balanced (depth about
// log2 of the leaves), which bounds the cost of exact Owen values. Deterministic: ties go to the
// lower ids.
#pragma once
#include <array>
#include <vector>

#include "core/base/result.h"
#include "core/explain/slic.h"
#include "core/image/image.h"

namespace sl {

struct SuperpixelTree {
    int leaves = 0;                            // superpixels; node ids 0 .. leaves - 1
    std::vector<std::array<int, 2>> children;  // internal node leaves + j merges children[j];
                                               // leaves - 1 entries, the last is the root
    int root() const { return leaves + int(children.size()) - 1; }
    int nodes() const { return leaves + int(children.size()); }
};

// image: the photo the segmentation labels (same size). Errors: sizes differ, no superpixels,
// a label outside 0..count-1. One superpixel gives a tree of one leaf and no internal nodes.
Result<SuperpixelTree> build_superpixel_tree(const Image& image, const Segmentation& segmentation);

// The leaves under each node, in increasing order: nodes() lists.
std::vector<std::vector<int>> tree_leaf_sets(const SuperpixelTree& tree);

}  // namespace sl
