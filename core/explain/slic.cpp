// core/explain/slic.cpp: SLIC superpixels (slic.h); the Lab conversion lives in color_lab.cpp.
//
// Sections: seed grid | k-means | connectivity | slic() | resize, borders. The Gaussian
// smoothing is detail/gaussian_blur.cpp.
// Speed comes from planes of floats (one per Lab channel), loops without branches that the
// compiler vectorises (SSE natively, SIMD128 in WebAssembly), and buffers allocated once.
#include "core/explain/slic.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "core/image/color_lab.h"
#include "core/image/gaussian_blur.h"

namespace sl {
namespace {

// ---- Seed grid: scikit-image's regular_grid for the shape (1, height, width) ---------------

struct Axis {
    int start = 0;  // first seed
    int step = 1;   // seed spacing, pixels
    int count = 1;  // seeds along the axis
};

struct Grid {
    Axis y, x;
};

Grid seed_grid(int width, int height, int n_segments) {
    Grid g;
    const double pixels = double(width) * height;
    if (pixels > n_segments) {
        // Square cells of side sqrt(pixels / n); an image thinner than that gets one row (or
        // column) of seeds spaced along its length instead.
        const int small = std::min(width, height), large = std::max(width, height);
        double step_small = std::sqrt(pixels / n_segments), step_large = step_small;
        if (small < step_small) step_small = small, step_large = double(large) / n_segments;
        auto axis = [](double step, int length) {
            Axis a;
            a.start = int(std::floor(step / 2));
            a.step = int(std::nearbyint(step));  // numpy rounds half to even, as nearbyint does
            a.count = (length - a.start + a.step - 1) / a.step;
            return a;
        };
        const bool wide = width >= height;
        g.x = axis(wide ? step_large : step_small, width);
        g.y = axis(wide ? step_small : step_large, height);
    } else {
        g.x.count = width;
        g.y.count = height;
    }
    return g;
}

// ---- k-means in local windows ------------------------------------------------------------

struct Centres {
    std::vector<float> y, x, l, a, b;
    explicit Centres(size_t k) : y(k), x(k), l(k), a(k), b(k) {}
    bool operator==(const Centres&) const = default;
};

// The first assignment: every pixel to its nearest seed, with lower seeds winning ties (what
// scikit-image's first iteration amounts to: its centres start with colour zero, so colour
// cannot tell them apart).
void assign_to_grid(const Grid& g, int width, int height, int32_t* labels) {
    auto nearest = [](const Axis& a, int v) {
        const int i = std::clamp((2 * (v - a.start) + a.step - 1) / (2 * a.step), 0, a.count - 1);
        return v < a.start ? 0 : i;
    };
    std::vector<int32_t> column(static_cast<size_t>(width));
    for (int x = 0; x < width; ++x) column[x] = nearest(g.x, x);
    for (int y = 0; y < height; ++y) {
        const int32_t row = nearest(g.y, y) * g.x.count;
        for (int x = 0; x < width; ++x) labels[size_t(y) * width + x] = row + column[x];
    }
}

// Calls add(label, y, x0, x1, sum_l, sum_a, sum_b) for every run of one label in a row. Runs
// are summed in floats, so consecutive pixels do not wait on one another's additions to a
// label's (double) totals.
template <typename Add>
void for_each_run(const LabImage& lab, const int32_t* labels, Add add) {
    for (int y = 0; y < lab.height; ++y) {
        const size_t row = size_t(y) * lab.width;
        const float *l = lab.l.data() + row, *a = lab.a.data() + row, *b = lab.b.data() + row;
        const int32_t* label = labels + row;
        for (int x = 0; x < lab.width;) {
            const int32_t current = label[x];
            const int x0 = x;
            float sl = 0, sa = 0, sb = 0;
            for (; x < lab.width && label[x] == current; ++x) sl += l[x], sa += a[x], sb += b[x];
            add(current, y, x0, x, sl, sa, sb);
        }
    }
}

// Centres := means of their pixels (position and colour); a centre without pixels stays put.
void update_centres(const LabImage& lab, const int32_t* labels, Centres& c, std::vector<double>& sums) {
    const size_t k = c.y.size();
    sums.assign(k * 6, 0.0);
    for_each_run(lab, labels, [&](int32_t label, int y, int x0, int x1, float l, float a, float b) {
        const double n = x1 - x0;
        double* s = &sums[size_t(label) * 6];
        s[0] += n, s[1] += n * y, s[2] += n * (x0 + x1 - 1) * 0.5, s[3] += l, s[4] += a, s[5] += b;
    });
    for (size_t j = 0; j < k; ++j) {
        const double* s = &sums[j * 6];
        if (s[0] == 0) continue;
        c.y[j] = float(s[1] / s[0]), c.x[j] = float(s[2] / s[0]);
        c.l[j] = float(s[3] / s[0]), c.a[j] = float(s[4] / s[0]), c.b[j] = float(s[5] / s[0]);
    }
}

// Every pixel to the nearest centre whose window (+-1 grid step, as in the SLIC paper) holds
// it, by sqrt(d_lab^2 + (d_xy * compactness / S)^2); pixels no window reaches keep their label.
// scikit-image searches +-2 steps: four times the work, and on the person photos of
// bench/slic_bench.cpp no better than +-1 (which beats scikit-image's slic on every figure).
void assign_to_centres(const LabImage& lab, const Grid& g, const Centres& c, float spatial_weight,
                       const std::vector<float>& xs, float* dist, int32_t* labels) {
    const int width = lab.width, height = lab.height;
    const float reach_y = float(g.y.step), reach_x = float(g.x.step);
    std::fill(dist, dist + size_t(width) * height, std::numeric_limits<float>::infinity());
    for (size_t k = 0; k < c.y.size(); ++k) {
        const float cy = c.y[k], cx = c.x[k], cl = c.l[k], ca = c.a[k], cb = c.b[k];
        const int y0 = int(std::max(cy - reach_y, 0.0f));
        const int y1 = int(std::min(cy + reach_y + 1, float(height)));
        const int x0 = int(std::max(cx - reach_x, 0.0f));
        const int x1 = int(std::min(cx + reach_x + 1, float(width)));
        const int32_t label = int32_t(k);
        for (int y = y0; y < y1; ++y) {
            const size_t row = size_t(y) * width;
            const float* __restrict l = lab.l.data() + row;
            const float* __restrict a = lab.a.data() + row;
            const float* __restrict b = lab.b.data() + row;
            float* __restrict d = dist + row;
            int32_t* __restrict out = labels + row;
            const float dy = float(y) - cy, dyy = dy * dy * spatial_weight;
            for (int x = x0; x < x1; ++x) {
                const float dx = xs[x] - cx;
                const float dl = l[x] - cl, da = a[x] - ca, db = b[x] - cb;
                const float e = dl * dl + da * da + db * db + (dx * dx * spatial_weight + dyy);
                const float old = d[x];
                const int32_t previous = out[x];
                d[x] = std::min(e, old);  // this form of min and select both GCC and clang vectorise
                out[x] = e < old ? label : previous;
            }
        }
    }
}

// ---- Connectivity ------------------------------------------------------------------------

// Union-find whose roots are the smallest member, so the first piece made stays the name.
struct Forest {
    std::vector<int32_t> parent;
    int32_t make() {
        parent.push_back(int32_t(parent.size()));
        return parent.back();
    }
    int32_t find(int32_t p) {
        while (parent[p] != p) p = parent[p] = parent[parent[p]];
        return p;
    }
    void unite(int32_t a, int32_t b) {
        a = find(a), b = find(b);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
};

// Replaces labels with 4-connected pieces, numbered in raster order of their first pixel;
// returns how many. Two passes of connected-component labelling: provisional pieces joined
// where a pixel meets its left and upper neighbours, then final numbers. Two rows of the
// original labels are kept aside, so the pieces can overwrite `labels` in place.
int32_t split_into_pieces(int width, int height, int32_t* labels) {
    Forest forest;
    std::vector<int32_t> above(static_cast<size_t>(width)), here(static_cast<size_t>(width));
    for (int y = 0; y < height; ++y) {
        int32_t* row = labels + size_t(y) * width;
        std::copy(row, row + width, here.begin());
        for (int x = 0; x < width; ++x) {
            const bool left = x > 0 && here[x - 1] == here[x];
            const bool up = y > 0 && above[x] == here[x];
            int32_t p = left ? row[x - 1] : up ? row[x - width] : forest.make();
            if (left && up) forest.unite(p, row[x - width]);
            row[x] = p;
        }
        std::swap(above, here);
    }
    std::vector<int32_t> number(forest.parent.size());
    int32_t pieces = 0;
    for (size_t p = 0; p < number.size(); ++p) {  // a root is smaller than its members
        const int32_t root = forest.find(int32_t(p));
        number[p] = root == int32_t(p) ? pieces++ : number[size_t(root)];
    }
    for (size_t i = 0; i < size_t(width) * height; ++i) labels[i] = number[size_t(labels[i])];
    return pieces;
}

// Merges every piece under `min_size` pixels into the neighbour of the closest mean colour
// (scikit-image takes whichever neighbour its search met last), in rounds until none is left
// or one piece remains. Each pixel's label becomes its group's smallest piece number.
void merge_small_pieces(const LabImage& lab, int64_t min_size, int32_t pieces, int32_t* labels) {
    const int width = lab.width, height = lab.height;
    struct Sum {
        double size = 0, l = 0, a = 0, b = 0;
    };
    const size_t count = size_t(pieces);
    std::vector<Sum> sums(count);
    for_each_run(lab, labels, [&](int32_t piece, int, int x0, int x1, float l, float a, float b) {
        Sum& s = sums[size_t(piece)];
        s.size += x1 - x0, s.l += l, s.a += a, s.b += b;
    });
    Forest forest;
    for (int32_t p = 0; p < pieces; ++p) forest.make();
    std::vector<int32_t> root(count), best(count);
    std::vector<double> best_distance(count);
    auto small = [&](int32_t r) { return sums[r].size < double(min_size); };
    auto consider = [&](int32_t from, int32_t to) {  // `to` as a home for the small `from`
        const Sum &f = sums[from], &t = sums[to];
        const double dl = f.l / f.size - t.l / t.size, da = f.a / f.size - t.a / t.size,
                     db = f.b / f.size - t.b / t.size, e = dl * dl + da * da + db * db;
        if (e < best_distance[from]) best_distance[from] = e, best[from] = to;
    };
    for (bool merged = true; merged;) {
        merged = false;
        bool any_small = false;
        for (int32_t p = 0; p < pieces; ++p) {
            root[p] = forest.find(p);
            best[p] = -1;
            best_distance[p] = std::numeric_limits<double>::infinity();
            any_small |= root[p] == p && small(p);
        }
        if (!any_small) break;
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) {
                const size_t i = size_t(y) * width + x;
                const int32_t p = root[labels[i]];
                const int32_t right = x + 1 < width ? root[labels[i + 1]] : p;
                const int32_t below = y + 1 < height ? root[labels[i + width]] : p;
                for (int32_t q : {right, below}) {
                    if (q == p) continue;
                    if (small(p)) consider(p, q);
                    if (small(q)) consider(q, p);
                }
            }
        for (int32_t p = 0; p < pieces; ++p) {
            if (best[p] < 0) continue;
            const int32_t a = forest.find(p), b = forest.find(best[p]);
            if (a == b) continue;
            forest.unite(a, b);
            const int32_t into = std::min(a, b), from = std::max(a, b);
            sums[into].size += sums[from].size, sums[into].l += sums[from].l;
            sums[into].a += sums[from].a, sums[into].b += sums[from].b;
            merged = true;
        }
    }
    for (size_t i = 0; i < size_t(width) * height; ++i) labels[i] = forest.find(labels[i]);
}

// Renumbers labels 0..count-1 in raster order of first appearance; returns count.
int relabel_in_raster_order(int32_t* labels, size_t n, size_t label_bound) {
    std::vector<int32_t> renumbered(label_bound, -1);
    int32_t count = 0;
    for (size_t i = 0; i < n; ++i) {
        int32_t& r = renumbered[size_t(labels[i])];
        if (r < 0) r = count++;
        labels[i] = r;
    }
    return count;
}

}  // namespace

// ---- slic() --------------------------------------------------------------------------------

Result<Segmentation> slic(const Image& image, const SlicParams& params) {
    if (image.width <= 0 || image.height <= 0)
        return fail("SLIC needs an image with pixels (got " + std::to_string(image.width) + "x" +
                    std::to_string(image.height) + ")");
    assert(image.rgb.size() == size_t(image.width) * image.height * 3);
    const size_t n = size_t(image.width) * image.height;
    if (n > size_t(std::numeric_limits<int32_t>::max())) return fail("image too large for SLIC (over 2^31 pixels)");
    if (params.n_segments < 1) return fail("n_segments must be at least 1");
    if (!(params.compactness > 0) || !std::isfinite(params.compactness))
        return fail("compactness must be a positive number");
    if (!(params.sigma >= 0 && params.sigma <= 1000)) return fail("sigma must be between 0 and 1000 pixels");
    if (params.max_iterations < 1) return fail("max_iterations must be at least 1");
    if (!(params.min_size_factor >= 0) || !std::isfinite(params.min_size_factor))
        return fail("min_size_factor must be a number >= 0");

    // scikit-image stretches the image's [min, max] over all channels to [0, 1] first.
    const auto [lo, hi] = std::minmax_element(image.rgb.begin(), image.rgb.end());
    LabImage lab = *lo < *hi ? rgb_to_lab(image, *lo, *hi) : rgb_to_lab(image, 0, 255);
    std::vector<float> dist(n);
    for (std::vector<float>* plane : {&lab.l, &lab.a, &lab.b})
        gaussian_blur(plane->data(), image.width, image.height, params.sigma, dist.data());

    const Grid grid = seed_grid(image.width, image.height, params.n_segments);
    const size_t k = size_t(grid.x.count) * grid.y.count;
    Segmentation seg;
    seg.width = image.width;
    seg.height = image.height;
    seg.labels.resize(n);
    int32_t* labels = seg.labels.data();
    assign_to_grid(grid, image.width, image.height, labels);

    Centres centres(k);
    std::vector<double> sums;
    std::vector<float> xs(static_cast<size_t>(image.width));
    for (int x = 0; x < image.width; ++x) xs[size_t(x)] = float(x);
    const double s = std::max(grid.x.step, grid.y.step);
    const float spatial_weight = float(params.compactness * params.compactness / (s * s));
    Centres last(0);
    for (int i = 1; i < params.max_iterations; ++i) {
        update_centres(lab, labels, centres, sums);
        if (centres == last) break;  // converged: the assignment would repeat itself
        assign_to_centres(lab, grid, centres, spatial_weight, xs, dist.data(), labels);
        last = centres;
    }

    size_t bound = k;
    if (params.enforce_connectivity) {
        const int64_t min_size = int64_t(params.min_size_factor * (double(n) / double(k)));
        const int32_t pieces = split_into_pieces(image.width, image.height, labels);
        merge_small_pieces(lab, min_size, pieces, labels);
        bound = size_t(pieces);
    }
    seg.count = relabel_in_raster_order(labels, n, bound);
    return seg;
}

// ---- resize, borders -----------------------------------------------------------------------

Segmentation resize_segmentation(const Segmentation& segmentation, int width, int height) {
    assert(width >= 0 && height >= 0);
    const int sw = segmentation.width, sh = segmentation.height;
    assert(segmentation.labels.size() == size_t(sw) * sh);
    Segmentation out;
    out.width = width;
    out.height = height;
    out.count = segmentation.count;
    if (sw <= 0 || sh <= 0) {
        assert(width == 0 || height == 0);  // nothing to sample from
        return out;
    }
    out.labels.resize(size_t(width) * height);
    std::vector<size_t> column(static_cast<size_t>(width));  // pixel centre to pixel centre
    for (int x = 0; x < width; ++x) column[size_t(x)] = size_t((2 * int64_t(x) + 1) * sw / (2 * int64_t(width)));
    for (int y = 0; y < height; ++y) {
        const size_t sy = size_t((2 * int64_t(y) + 1) * sh / (2 * int64_t(height)));
        const int32_t* src = segmentation.labels.data() + sy * sw;
        int32_t* dst = out.labels.data() + size_t(y) * width;
        for (int x = 0; x < width; ++x) dst[x] = src[column[x]];
    }
    return out;
}

std::vector<uint8_t> segment_borders(const Segmentation& segmentation) {
    const int w = segmentation.width, h = segmentation.height;
    const int32_t* l = segmentation.labels.data();
    assert(segmentation.labels.size() == size_t(w) * h);
    std::vector<uint8_t> border(size_t(w) * h, 0);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const size_t i = size_t(y) * w + x;
            border[i] = (x + 1 < w && l[i] != l[i + 1]) || (y + 1 < h && l[i] != l[i + w]);
        }
    return border;
}

}  // namespace sl
