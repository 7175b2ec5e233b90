// core/image/gaussian_blur.cpp: separable Gaussian smoothing (gaussian_blur.h).
#include "core/image/gaussian_blur.h"

#include <cassert>
#include <cstring>
#include <vector>

#include "core/base/rng.h"

namespace sl {
namespace {

// scipy's 'reflect' boundary (d c b a | a b c d), repeated so a kernel wider than the image
// still lands on a pixel.
int reflect(int i, int n) {
    const int period = 2 * n;
    i %= period;
    if (i < 0) i += period;
    return i < n ? i : period - 1 - i;
}

// Half a normalised Gaussian kernel: w[0] is the centre tap, w[k] the taps at +-k.
std::vector<float> gaussian_half_kernel(double sigma, int radius) {
    std::vector<double> w(size_t(radius) + 1);
    double sum = 0;
    for (int k = 0; k <= radius; ++k) {
        w[k] = det_exp(-0.5 * double(k) * k / (sigma * sigma));
        sum += k == 0 ? w[k] : 2 * w[k];
    }
    std::vector<float> out(w.size());
    for (size_t k = 0; k < w.size(); ++k) out[k] = float(w[k] / sum);
    return out;
}

// out[x] = w[0] c[x] + sum over k of w[k] (lo[k][x] + hi[k][x]): a symmetric kernel's taps.
// Sixteen columns at a time, so that the sums stay in vector registers across all the taps.
void symmetric_taps(const float* c, const float* const* lo, const float* const* hi, const std::vector<float>& w,
                    int width, float* __restrict out) {
    const int r = int(w.size()) - 1;
    constexpr int kBlock = 16;
    int x = 0;
    for (; x + kBlock <= width; x += kBlock) {
        float acc[kBlock];
        for (int j = 0; j < kBlock; ++j) acc[j] = w[0] * c[x + j];
        for (int k = 1; k <= r; ++k) {
            const float *a = lo[k] + x, *b = hi[k] + x, wk = w[k];
            for (int j = 0; j < kBlock; ++j) acc[j] += wk * (a[j] + b[j]);
        }
        for (int j = 0; j < kBlock; ++j) out[x + j] = acc[j];
    }
    for (; x < width; ++x) {  // the same sums in the same order, one column at a time
        float acc = w[0] * c[x];
        for (int k = 1; k <= r; ++k) acc += w[k] * (lo[k][x] + hi[k][x]);
        out[x] = acc;
    }
}

// Smooths one plane in place, rows then columns. `tmp` holds a plane, `row` a padded row.
void blur_plane(float* plane, int width, int height, const std::vector<float>& w, float* tmp, float* row) {
    const int r = int(w.size()) - 1;
    std::vector<const float*> lo(w.size()), hi(w.size());
    const float* p = row + r;
    for (int k = 1; k <= r; ++k) lo[k] = p - k, hi[k] = p + k;
    for (int y = 0; y < height; ++y) {
        const float* src = plane + size_t(y) * width;
        for (int i = 0; i < r; ++i) {
            row[i] = src[reflect(i - r, width)];
            row[r + width + i] = src[reflect(width + i, width)];
        }
        std::memcpy(row + r, src, sizeof(float) * width);
        symmetric_taps(p, lo.data(), hi.data(), w, width, tmp + size_t(y) * width);
    }
    for (int y = 0; y < height; ++y) {
        for (int k = 1; k <= r; ++k) {
            lo[k] = tmp + size_t(reflect(y - k, height)) * width;
            hi[k] = tmp + size_t(reflect(y + k, height)) * width;
        }
        symmetric_taps(tmp + size_t(y) * width, lo.data(), hi.data(), w, width, plane + size_t(y) * width);
    }
}

}  // namespace

void gaussian_blur(float* plane, int width, int height, double sigma, float* scratch) {
    assert(sigma >= 0 && width > 0 && height > 0);
    const int radius = int(4.0 * sigma + 0.5);  // scipy's truncate = 4
    if (radius < 1) return;                     // a one-tap kernel is the identity
    const std::vector<float> kernel = gaussian_half_kernel(sigma, radius);
    std::vector<float> row(size_t(width) + 2 * (kernel.size() - 1));
    blur_plane(plane, width, height, kernel, scratch, row.data());
}

}  // namespace sl
