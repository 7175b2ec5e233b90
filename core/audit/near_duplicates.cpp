// core/audit/near_duplicates.cpp: hash and feature comparison of every pair (near_duplicates.h).
//
// Speed: the cosines are a Gram matrix. The features are normalised and transposed (dim rows of
// n), and each block of 8 photos accumulates into 8 rows of similarities, so that the innermost
// loop is an elementwise multiply-add over contiguous photos: it vectorises without reordering
// any sum (every similarity is summed over the dimensions in ascending order, on every build).
#include "core/audit/near_duplicates.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

namespace sl {

namespace {

// Calls visit(i0, rows, acc) for each block of up to B photos from i0, where acc[r * n + j] is
// the cosine similarity of photos i0 + r and j for every j > i0 + r (the rest is garbage).
template <typename Visit>
void cosine_blocks(std::span<const float> features, int n, int dim, Visit&& visit) {
    std::vector<float> t(size_t(dim) * n);  // normalised, transposed: t[k * n + j]
    for (int j = 0; j < n; ++j) {
        const float* x = &features[size_t(j) * dim];
        double norm = 0;
        for (int k = 0; k < dim; ++k) norm += double(x[k]) * x[k];
        const float inv = norm > 0 ? float(1 / std::sqrt(norm)) : 0.f;
        for (int k = 0; k < dim; ++k) t[size_t(k) * n + j] = x[k] * inv;
    }
    constexpr int B = 8;
    std::vector<float> acc(size_t(B) * n);
    for (int i0 = 0; i0 < n; i0 += B) {
        const int rows = std::min(B, n - i0), from = i0 + 1;  // j > i for the block's first row
        std::fill(acc.begin(), acc.end(), 0.f);
        for (int k = 0; k < dim; ++k) {
            const float* tk = &t[size_t(k) * n];
            for (int r = 0; r < rows; ++r) {
                const float xi = tk[i0 + r];
                if (xi == 0) continue;  // ResNet's pooled features are often exactly 0
                float* a = &acc[size_t(r) * n];
                for (int j = from; j < n; ++j) a[j] += xi * tk[j];
            }
        }
        visit(i0, rows, acc);
    }
}

}  // namespace

Result<std::vector<DuplicatePair>> find_near_duplicates(std::span<const PerceptualHash> hashes,
                                                        std::span<const float> features, int dim,
                                                        const DuplicateOptions& o) {
    const int n = int(hashes.size());
    const bool with_features = !features.empty();
    if (with_features) {
        if (dim < 1) return fail("near-duplicates: feature length must be at least 1");
        if (features.size() != size_t(n) * dim)
            return fail("near-duplicates: " + std::to_string(features.size()) + " feature values are not " +
                        std::to_string(n) + " photos x " + std::to_string(dim));
        for (size_t i = 0; i < features.size(); ++i)
            if (!std::isfinite(features[i]))
                return fail("near-duplicates: feature " + std::to_string(i % size_t(dim)) + " of photo " +
                            std::to_string(i / size_t(dim)) + " is not finite");
    }
    std::vector<DuplicatePair> pairs;
    const auto check = [&](int a, int b, float cos) {
        const int dh = hamming_distance(hashes[size_t(a)].dhash, hashes[size_t(b)].dhash);
        const int ph = hamming_distance(hashes[size_t(a)].phash, hashes[size_t(b)].phash);
        const bool same = (ph <= o.phash_strict && dh <= o.dhash_strict) ||
                          (with_features && (cos >= o.cosine_strict || (ph <= o.phash_loose && cos >= o.cosine_loose)));
        if (same) pairs.push_back({a, b, dh, ph, cos});
    };
    if (with_features)
        cosine_blocks(features, n, dim, [&](int i0, int rows, const std::vector<float>& acc) {
            for (int r = 0; r < rows; ++r)
                for (int b = i0 + r + 1; b < n; ++b) check(i0 + r, b, acc[size_t(r) * n + b]);
        });
    else
        for (int a = 0; a < n; ++a)
            for (int b = a + 1; b < n; ++b) check(a, b, NAN);
    return pairs;
}

}  // namespace sl
