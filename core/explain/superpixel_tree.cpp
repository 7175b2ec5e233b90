// core/explain/superpixel_tree.cpp: agglomerative Ward merging of touching superpixels (see
// superpixel_tree.h).
#include "core/explain/superpixel_tree.h"

#include <algorithm>
#include <limits>
#include <set>
#include <span>
#include <string>

#include "core/image/color_lab.h"

namespace sl {
namespace {

constexpr int kFeatures = 5;  // L, a, b, x, y
using Features = std::array<double, kFeatures>;

struct Group {
    double size = 0;  // pixels
    Features sum{};   // feature sums over the pixels
    std::set<int> neighbours;
    bool active = false;
};

double ward_cost(const Group& a, const Group& b) {
    double d2 = 0;
    for (int f = 0; f < kFeatures; ++f) {
        const double d = a.sum[f] / a.size - b.sum[f] / b.size;
        d2 += d * d;
    }
    return a.size * b.size / (a.size + b.size) * d2;
}

}  // namespace

Result<SuperpixelTree> build_superpixel_tree(const Image& image, const Segmentation& seg) {
    if (seg.count < 1) return fail("superpixel tree: no superpixels");
    if (image.width != seg.width || image.height != seg.height)
        return fail("superpixel tree: the image is " + std::to_string(image.width) + "x" +
                    std::to_string(image.height) + ", the segmentation " + std::to_string(seg.width) + "x" +
                    std::to_string(seg.height));
    const int n = seg.count;
    std::vector<Group> groups(size_t(2 * n - 1));
    const LabImage lab = rgb_to_lab(image);
    const double scale = 100.0 / std::max(1, std::max(image.width, image.height));
    for (int y = 0; y < seg.height; ++y) {
        for (int x = 0; x < seg.width; ++x) {
            const size_t p = size_t(y) * seg.width + x;
            const int k = seg.labels[p];
            if (k < 0 || k >= n)
                return fail("superpixel tree: label " + std::to_string(k) + " outside 0.." + std::to_string(n - 1));
            Group& g = groups[size_t(k)];
            g.size += 1;
            const Features f{lab.l[p], lab.a[p], lab.b[p], x * scale, y * scale};
            for (int i = 0; i < kFeatures; ++i) g.sum[i] += f[i];
            if (x + 1 < seg.width && seg.labels[p + 1] != k) {
                g.neighbours.insert(seg.labels[p + 1]);
                groups[size_t(seg.labels[p + 1])].neighbours.insert(k);
            }
            if (y + 1 < seg.height && seg.labels[p + seg.width] != k) {
                g.neighbours.insert(seg.labels[p + seg.width]);
                groups[size_t(seg.labels[p + seg.width])].neighbours.insert(k);
            }
        }
    }
    SuperpixelTree tree;
    tree.leaves = n;
    // A label without pixels touches nothing: a weightless group, merged by the fallback below.
    for (Group& g : std::span(groups).first(size_t(n))) g.active = true, g.size = std::max(g.size, 1e-9);

    for (int next = n; next < 2 * n - 1; ++next) {
        double best = std::numeric_limits<double>::infinity();
        int ba = -1, bb = -1;
        for (int a = 0; a < next; ++a) {
            if (!groups[size_t(a)].active) continue;
            for (int b : groups[size_t(a)].neighbours) {
                if (b <= a || !groups[size_t(b)].active) continue;
                const double c = ward_cost(groups[size_t(a)], groups[size_t(b)]);
                if (c < best) best = c, ba = a, bb = b;
            }
        }
        if (ba < 0) {  // no touching pair left (empty labels, or regions that never touch)
            for (int a = 0; a < next && ba < 0; ++a)
                if (groups[size_t(a)].active)
                    for (int b = a + 1; b < next; ++b)
                        if (groups[size_t(b)].active) {
                            ba = a, bb = b;
                            break;
                        }
        }
        Group& a = groups[size_t(ba)];
        Group& b = groups[size_t(bb)];
        Group& merged = groups[size_t(next)];
        merged.size = a.size + b.size;
        for (int f = 0; f < kFeatures; ++f) merged.sum[f] = a.sum[f] + b.sum[f];
        for (int m : a.neighbours)
            if (m != bb) merged.neighbours.insert(m);
        for (int m : b.neighbours)
            if (m != ba) merged.neighbours.insert(m);
        for (int m : merged.neighbours) {
            groups[size_t(m)].neighbours.erase(ba);
            groups[size_t(m)].neighbours.erase(bb);
            groups[size_t(m)].neighbours.insert(next);
        }
        merged.active = true;
        a.active = b.active = false;
        tree.children.push_back({ba, bb});
    }
    return tree;
}

std::vector<std::vector<int>> tree_leaf_sets(const SuperpixelTree& tree) {
    std::vector<std::vector<int>> sets(size_t(tree.nodes()));
    for (int k = 0; k < tree.leaves; ++k) sets[size_t(k)] = {k};
    for (size_t j = 0; j < tree.children.size(); ++j) {
        std::vector<int>& s = sets[size_t(tree.leaves) + j];
        const auto& [l, r] = tree.children[j];
        std::merge(sets[size_t(l)].begin(), sets[size_t(l)].end(), sets[size_t(r)].begin(), sets[size_t(r)].end(),
                   std::back_inserter(s));
    }
    return sets;
}

}  // namespace sl
