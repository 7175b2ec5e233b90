// core/audit/suspects.cpp: cross-validated class probabilities and class-centre similarities per photo
// (suspects.h).
#include "core/audit/suspects.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/model/metrics.h"

namespace sl {
namespace {

// Out-of-fold probability of each photo's own class.
Result<std::vector<float>> own_probabilities(std::span<const float> features, std::span<const int> labels, int classes,
                                             int dim, int k, const SuspectOptions& o) {
    const size_t n = labels.size();
    if (classes == 2) {
        auto cv = cross_validate_head(features, labels, dim, o.head, k, o.seed);
        if (!cv) return Error{cv.error()};
        std::vector<float> p(n);
        for (size_t i = 0; i < n; ++i) p[i] = labels[i] == 1 ? cv->p_santa[i] : 1 - cv->p_santa[i];
        return p;
    }
    std::vector<double> own(n, 0), total(n, 0);
    std::vector<int> one(n);
    for (int c = 0; c < classes; ++c) {
        for (size_t i = 0; i < n; ++i) one[i] = labels[i] == c;
        auto cv = cross_validate_head(features, one, dim, o.head, k, o.seed);
        if (!cv) return Error{cv.error()};
        for (size_t i = 0; i < n; ++i) {
            total[i] += cv->p_santa[i];
            if (labels[i] == c) own[i] = cv->p_santa[i];
        }
    }
    std::vector<float> p(n);
    for (size_t i = 0; i < n; ++i) p[i] = total[i] > 0 ? float(own[i] / total[i]) : 0.f;
    return p;
}

double dot(const float* a, const double* b, int dim) {
    double s = 0;
    for (int k = 0; k < dim; ++k) s += a[k] * b[k];
    return s;
}

}  // namespace

Result<std::vector<PhotoFit>> fit_photos(std::span<const float> features, std::span<const int> labels, int classes,
                                         int dim, const SuspectOptions& o) {
    const size_t n = labels.size();
    if (dim < 1 || features.size() != n * size_t(dim))
        return fail("suspects: " + std::to_string(features.size()) + " feature values are not " + std::to_string(n) +
                    " photos x " + std::to_string(dim));
    if (classes < 2) return fail("suspects: at least two classes are needed");
    std::vector<int> count(size_t(classes), 0);
    for (int y : labels) {
        if (y < 0 || y >= classes) return fail("suspects: label " + std::to_string(y) + " is out of range");
        ++count[size_t(y)];
    }
    const int smallest = *std::min_element(count.begin(), count.end());
    if (smallest < 2) return fail("suspects: every class needs at least two photos");
    for (float v : features)
        if (!std::isfinite(v)) return fail("suspects: a feature is not finite");

    const int k = std::clamp(o.folds, 2, smallest);
    SuspectOptions adjusted = o;
    const int64_t batches = (int64_t(n) * (k - 1) / k + o.head.batch_size - 1) / std::max(1, o.head.batch_size);
    if (batches > 0 && int64_t(o.head.epochs) * batches < o.min_updates)
        adjusted.head.epochs = int((o.min_updates + batches - 1) / batches);
    auto p = own_probabilities(features, labels, classes, dim, k, adjusted);
    if (!p) return fail("suspects: " + p.error());

    // Normalised features and per-class sums of them.
    std::vector<float> unit(features.begin(), features.end());
    std::vector<double> sum(size_t(classes) * dim, 0);
    for (size_t i = 0; i < n; ++i) {
        float* x = &unit[i * dim];
        double norm = 0;
        for (int k = 0; k < dim; ++k) norm += double(x[k]) * x[k];
        const double inv = norm > 0 ? 1 / std::sqrt(norm) : 0;
        for (int k = 0; k < dim; ++k) x[k] = float(x[k] * inv), sum[size_t(labels[i]) * dim + k] += x[k];
    }
    std::vector<double> sum_norm2(size_t(classes), 0);
    for (int c = 0; c < classes; ++c)
        for (int k = 0; k < dim; ++k) sum_norm2[size_t(c)] += sum[size_t(c) * dim + k] * sum[size_t(c) * dim + k];

    std::vector<PhotoFit> fits(n);
    for (size_t i = 0; i < n; ++i) {
        const float* x = &unit[i * dim];
        double xx = 0;  // 1, or 0 for a photo whose features are all 0
        for (int k = 0; k < dim; ++k) xx += double(x[k]) * x[k];
        PhotoFit& f = fits[i];
        f.p_own = (*p)[i];
        for (int c = 0; c < classes; ++c) {
            const double xs = dot(x, &sum[size_t(c) * dim], dim);
            double sim;
            if (c == labels[i]) {  // the centre without this photo: sum - x, |sum - x|^2 = |sum|^2 - 2 x.sum + x.x
                const double norm2 = sum_norm2[size_t(c)] - 2 * xs + xx;
                sim = norm2 > 1e-9 ? (xs - xx) / std::sqrt(norm2) : 0;
                f.own_similarity = float(sim);
            } else {
                sim = sum_norm2[size_t(c)] > 0 ? xs / std::sqrt(sum_norm2[size_t(c)]) : 0;
                if (f.other_class < 0 || sim > f.other_similarity) f.other_similarity = float(sim), f.other_class = c;
            }
        }
    }
    for (int c = 0; c < classes; ++c) {
        double m = 0, m2 = 0;
        for (size_t i = 0; i < n; ++i)
            if (labels[i] == c)
                m += fits[i].own_similarity, m2 += double(fits[i].own_similarity) * fits[i].own_similarity;
        m /= count[size_t(c)];
        const double sd = std::sqrt(std::max(0.0, m2 / count[size_t(c)] - m * m));
        for (size_t i = 0; i < n; ++i)
            if (labels[i] == c) fits[i].outlier_z = sd > 0 ? float((m - fits[i].own_similarity) / sd) : 0.f;
    }
    return fits;
}

}  // namespace sl
