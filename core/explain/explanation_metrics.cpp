// core/explain/explanation_metrics.cpp: agreement between explanations (see explanation_metrics.h).
#include "core/explain/explanation_metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <vector>

namespace sl {
namespace {

// Ranks 0 .. n-1, ties sharing their mean rank.
std::vector<double> ranks(std::span<const double> v) {
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return v[i] < v[j]; });
    std::vector<double> r(v.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
        for (size_t k = i; k <= j; ++k) r[order[k]] = (double(i) + double(j)) / 2;
        i = j + 1;
    }
    return r;
}

// Indices of the k largest |values|, by index order on ties.
std::vector<size_t> top_k(std::span<const double> v, size_t k) {
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return std::abs(v[i]) > std::abs(v[j]); });
    order.resize(k);
    std::sort(order.begin(), order.end());
    return order;
}

}  // namespace

double spearman(std::span<const double> a, std::span<const double> b) {
    assert(a.size() == b.size());
    const size_t n = a.size();
    if (n < 2) return 0;
    const std::vector<double> ra = ranks(a), rb = ranks(b);
    const double mean = (double(n) - 1) / 2;
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < n; ++i) {
        ab += (ra[i] - mean) * (rb[i] - mean);
        aa += (ra[i] - mean) * (ra[i] - mean);
        bb += (rb[i] - mean) * (rb[i] - mean);
    }
    return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0;
}

double top_k_share(std::span<const double> a, std::span<const double> b, int k) {
    assert(a.size() == b.size());
    const size_t n = std::min(a.size(), size_t(std::max(k, 0)));
    if (n == 0) return 1;
    const std::vector<size_t> ta = top_k(a, n), tb = top_k(b, n);
    std::vector<size_t> both;
    std::set_intersection(ta.begin(), ta.end(), tb.begin(), tb.end(), std::back_inserter(both));
    return double(both.size()) / double(n);
}

double relative_l2_error(std::span<const double> estimate, std::span<const double> reference) {
    assert(estimate.size() == reference.size());
    double err = 0, norm = 0;
    for (size_t i = 0; i < reference.size(); ++i) {
        err += (estimate[i] - reference[i]) * (estimate[i] - reference[i]);
        norm += reference[i] * reference[i];
    }
    return norm > 0 ? std::sqrt(err / norm) : std::nan("");
}

}  // namespace sl
