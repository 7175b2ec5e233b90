// core/audit/perceptual_hash.cpp: difference hash and DCT hash of a photo (perceptual_hash.h).
#include "core/audit/perceptual_hash.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "core/image/tensor.h"

namespace sl {
namespace {

// The photo squashed to w x h and turned to BT.601 luma, row by row.
std::vector<double> grey_thumbnail(const Image& image, int w, int h) {
    const Image small = resize_image(image, w, h);
    std::vector<double> grey(size_t(w) * h);
    for (size_t i = 0; i < grey.size(); ++i) {
        const uint8_t* p = &small.rgb[i * 3];
        grey[i] = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    }
    return grey;
}

uint64_t difference_hash(const Image& image) {
    const std::vector<double> g = grey_thumbnail(image, 9, 8);
    uint64_t bits = 0;
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x)
            if (g[size_t(y) * 9 + x] < g[size_t(y) * 9 + x + 1]) bits |= uint64_t(1) << (y * 8 + x);
    return bits;
}

uint64_t dct_hash(const Image& image) {
    constexpr int N = 32, K = 8;
    const std::vector<double> g = grey_thumbnail(image, N, N);
    // cos((2 n + 1) k pi / 2N) for the K lowest frequencies; the scale factors do not matter
    // because only the order of coefficients against their median does.
    std::array<std::array<double, N>, K> basis{};
    for (int k = 0; k < K; ++k)
        for (int n = 0; n < N; ++n) basis[k][n] = std::cos((2 * n + 1) * k * std::numbers::pi / (2 * N));
    std::array<std::array<double, N>, K> rows{};  // DCT along x: rows[u][y]
    for (int u = 0; u < K; ++u)
        for (int y = 0; y < N; ++y) {
            double s = 0;
            for (int x = 0; x < N; ++x) s += basis[u][x] * g[size_t(y) * N + x];
            rows[u][y] = s;
        }
    std::array<double, K * K> c{};  // then along y: c[v * K + u]
    for (int v = 0; v < K; ++v)
        for (int u = 0; u < K; ++u) {
            double s = 0;
            for (int y = 0; y < N; ++y) s += basis[v][y] * rows[u][y];
            c[size_t(v) * K + u] = s;
        }
    std::array<double, K* K> sorted = c;
    std::nth_element(sorted.begin(), sorted.begin() + K * K / 2, sorted.end());
    const double upper = sorted[K * K / 2];
    const double lower = *std::max_element(sorted.begin(), sorted.begin() + K * K / 2);
    const double median = (upper + lower) / 2;
    uint64_t bits = 0;
    for (int i = 0; i < K * K; ++i)
        if (c[size_t(i)] > median) bits |= uint64_t(1) << i;
    return bits;
}

}  // namespace

PerceptualHash perceptual_hash(const Image& image) { return {difference_hash(image), dct_hash(image)}; }

}  // namespace sl
