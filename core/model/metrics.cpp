// core/model/metrics.cpp: binary classification metrics and stratified cross-validation (metrics.h).
#include "core/model/metrics.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/base/rng.h"

namespace sl {

BinaryMetrics binary_metrics(std::span<const float> p_santa, std::span<const int> labels, float threshold) {
    assert(p_santa.size() == labels.size());
    BinaryMetrics m;
    const size_t n = std::min(p_santa.size(), labels.size());
    m.n = int(n);
    if (n == 0) return m;
    constexpr double eps = 1e-7;  // Keras' clip for binary cross-entropy on probabilities
    double loss = 0;
    for (size_t i = 0; i < n; ++i) {
        assert(labels[i] == 0 || labels[i] == 1);
        const int y = labels[i] == 1;
        const int predicted = p_santa[i] > threshold;
        ++m.confusion[y][predicted];
        const double p = std::clamp(double(p_santa[i]), eps, 1 - eps);  // NaN stays NaN
        loss -= y ? det_log(p) : det_log(1 - p);
    }
    const auto& c = m.confusion;
    m.accuracy = double(c[0][0] + c[1][1]) / double(n);
    const int predicted_santa = c[0][1] + c[1][1], true_santa = c[1][0] + c[1][1];
    m.precision = predicted_santa ? double(c[1][1]) / predicted_santa : 0;
    m.recall = true_santa ? double(c[1][1]) / true_santa : 0;
    m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0;
    m.log_loss = loss / double(n);
    return m;
}

std::vector<int> stratified_folds(std::span<const int> labels, int k, uint64_t seed) {
    if (k < 2 || size_t(k) > labels.size()) return {};
    Rng rng(seed);
    std::vector<int> fold(labels.size(), 0);
    std::vector<int> members;
    std::vector<int> classes(labels.begin(), labels.end());
    std::sort(classes.begin(), classes.end());
    classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    int next = 0;  // continues across classes so that fold sizes stay within one of each other
    for (int cls : classes) {
        members.clear();
        for (size_t i = 0; i < labels.size(); ++i)
            if (labels[i] == cls) members.push_back(int(i));
        shuffle(std::span<int>(members), rng);
        for (int i : members) {
            fold[i] = next;
            next = (next + 1) % k;
        }
    }
    return fold;
}

Result<CrossValidation> cross_validate_head(std::span<const float> features, std::span<const int> labels, int dim,
                                            const HeadConfig& config, int k, uint64_t seed,
                                            const std::function<bool(int fold, int epoch, double loss)>& progress) {
    if (dim <= 0 || labels.empty() || features.size() != labels.size() * size_t(dim))
        return fail("cross-validation: " + std::to_string(features.size()) + " feature values are not " +
                    std::to_string(labels.size()) + " samples x " + std::to_string(dim));
    if (k < 2 || size_t(k) > labels.size())
        return fail("cross-validation: k = " + std::to_string(k) + " must be 2 to the number of samples");
    CrossValidation cv;
    cv.fold = stratified_folds(labels, k, seed);
    cv.p_santa.assign(labels.size(), 0.f);
    std::vector<float> train_x, test_x, test_p;
    std::vector<int> train_y, test_y, test_idx;
    for (int f = 0; f < k; ++f) {
        train_x.clear(), test_x.clear(), train_y.clear(), test_y.clear(), test_idx.clear();
        for (size_t i = 0; i < labels.size(); ++i) {
            auto x = features.subspan(i * size_t(dim), size_t(dim));
            auto& xs = cv.fold[i] == f ? test_x : train_x;
            xs.insert(xs.end(), x.begin(), x.end());
            (cv.fold[i] == f ? test_y : train_y).push_back(labels[i]);
            if (cv.fold[i] == f) test_idx.push_back(int(i));
        }
        std::function<bool(int, double)> fold_progress;
        if (progress) fold_progress = [&](int epoch, double loss) { return progress(f, epoch, loss); };
        auto head = train_head(train_x, train_y, dim, config, fold_progress);
        if (!head) return fail("cross-validation, fold " + std::to_string(f) + ": " + head.error());
        test_p.resize(test_y.size());
        predict_head_batch(*head, test_x, test_p);
        for (size_t t = 0; t < test_idx.size(); ++t) cv.p_santa[test_idx[t]] = test_p[t];
        cv.folds.push_back(binary_metrics(test_p, test_y));
    }
    cv.pooled = binary_metrics(cv.p_santa, labels);
    for (const auto& m : cv.folds) cv.mean_accuracy += m.accuracy / k;
    double var = 0;
    for (const auto& m : cv.folds) var += (m.accuracy - cv.mean_accuracy) * (m.accuracy - cv.mean_accuracy);
    cv.std_accuracy = std::sqrt(var / k);
    return cv;
}

}  // namespace sl
