// tests/core/model/metrics_test.cpp: binary metrics, stratified folds and cross-validation (metrics.h).
#include "core/model/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/base/rng.h"

TEST(BinaryMetrics, MatchesAHandComputedCase) {
    // truth:     S    S    S    S    P    P    P    P    P    P
    // p:        .9   .8   .4   .6   .1   .7   .2   .3   .05  .5
    // predicted: S    S    P    S    P    S    P    P    P    P   (0.5 is not above 0.5)
    const std::vector<float> p = {.9f, .8f, .4f, .6f, .1f, .7f, .2f, .3f, .05f, .5f};
    const std::vector<int> y = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    const sl::BinaryMetrics m = sl::binary_metrics(p, y);
    EXPECT_EQ(m.n, 10);
    EXPECT_EQ(m.confusion[1][1], 3);  // santas found
    EXPECT_EQ(m.confusion[1][0], 1);  // santa called person
    EXPECT_EQ(m.confusion[0][1], 1);  // person called santa
    EXPECT_EQ(m.confusion[0][0], 5);
    EXPECT_DOUBLE_EQ(m.accuracy, 0.8);
    EXPECT_DOUBLE_EQ(m.precision, 0.75);
    EXPECT_DOUBLE_EQ(m.recall, 0.75);
    EXPECT_DOUBLE_EQ(m.f1, 0.75);
    double ll = 0;
    for (int i = 0; i < 10; ++i) ll -= y[i] ? std::log(double(p[i])) : std::log(1 - double(p[i]));
    EXPECT_NEAR(m.log_loss, ll / 10, 1e-12);
}

TEST(BinaryMetrics, PrecisionAndRecallDifferWhenErrorsAreOneSided) {
    const std::vector<float> p = {.9f, .9f, .9f, .1f};
    const std::vector<int> y = {1, 0, 0, 1};
    const sl::BinaryMetrics m = sl::binary_metrics(p, y);
    EXPECT_DOUBLE_EQ(m.precision, 1.0 / 3);
    EXPECT_DOUBLE_EQ(m.recall, 0.5);
    EXPECT_DOUBLE_EQ(m.f1, 2 * (1.0 / 3) * 0.5 / (1.0 / 3 + 0.5));
}

TEST(BinaryMetrics, NoSantaPredictedGivesZeroPrecisionNotNaN) {
    const sl::BinaryMetrics m = sl::binary_metrics(std::vector<float>{.1f, .2f}, std::vector<int>{1, 0});
    EXPECT_EQ(m.precision, 0);
    EXPECT_EQ(m.recall, 0);
    EXPECT_EQ(m.f1, 0);
    EXPECT_DOUBLE_EQ(m.accuracy, 0.5);
    const sl::BinaryMetrics empty = sl::binary_metrics({}, {});
    EXPECT_EQ(empty.n, 0);
    EXPECT_EQ(empty.accuracy, 0);
}

TEST(BinaryMetrics, ThresholdMovesTheDecisionAndLogLossClips) {
    const std::vector<float> p = {0.f, 1.f, 0.3f};
    const std::vector<int> y = {1, 0, 1};
    EXPECT_EQ(sl::binary_metrics(p, y, 0.2f).confusion[1][1], 1);
    EXPECT_EQ(sl::binary_metrics(p, y, 0.5f).confusion[1][1], 0);
    // p = 0 for a santa and 1 for a person cost -log(1e-7) each, not infinity.
    const double expected = (2 * -std::log(1e-7) - std::log(0.3)) / 3;
    EXPECT_NEAR(sl::binary_metrics(p, y).log_loss, expected, 1e-6);
}

TEST(StratifiedFolds, EveryFoldGetsBothClassesInProportion) {
    std::vector<int> y(103);
    for (int i = 0; i < 103; ++i) y[i] = i % 4 == 0;  // 26 santas, 77 persons
    const std::vector<int> f = sl::stratified_folds(y, 5, 1);
    ASSERT_EQ(f.size(), 103u);
    int size[5] = {}, santas[5] = {};
    for (int i = 0; i < 103; ++i) {
        ASSERT_GE(f[i], 0);
        ASSERT_LT(f[i], 5);
        ++size[f[i]];
        santas[f[i]] += y[i];
    }
    for (int k = 0; k < 5; ++k) {
        EXPECT_GE(size[k], 20);
        EXPECT_LE(size[k], 21);
        EXPECT_GE(santas[k], 5);
        EXPECT_LE(santas[k], 6);
    }
}

TEST(StratifiedFolds, DeterministicForASeedAndShuffledByIt) {
    std::vector<int> y(60);
    for (int i = 0; i < 60; ++i) y[i] = i % 2;
    EXPECT_EQ(sl::stratified_folds(y, 3, 7), sl::stratified_folds(y, 3, 7));
    EXPECT_NE(sl::stratified_folds(y, 3, 7), sl::stratified_folds(y, 3, 8));
    const std::vector<int> f = sl::stratified_folds(y, 3, 7);
    int in_order = 0;  // not simply dealt in index order
    for (int i = 0; i + 2 < 60; i += 2) in_order += f[i + 2] == (f[i] + 1) % 3;
    EXPECT_LT(in_order, 25);
}

TEST(StratifiedFolds, ThreeClassesEachSpreadOverTheFolds) {
    std::vector<int> y;
    for (int c = 0; c < 3; ++c) y.insert(y.end(), size_t(10 * (c + 1)), c);  // 10, 20, 30
    const std::vector<int> f = sl::stratified_folds(y, 5, 3);
    ASSERT_EQ(f.size(), 60u);
    int per[3][5] = {};
    for (size_t i = 0; i < y.size(); ++i) ++per[y[i]][f[i]];
    for (int c = 0; c < 3; ++c)
        for (int k = 0; k < 5; ++k) EXPECT_EQ(per[c][k], 2 * (c + 1)) << "class " << c << " fold " << k;
}

TEST(StratifiedFolds, InvalidKGivesNothing) {
    const std::vector<int> y = {0, 1, 0, 1};
    EXPECT_TRUE(sl::stratified_folds(y, 1, 1).empty());
    EXPECT_TRUE(sl::stratified_folds(y, 5, 1).empty());
    EXPECT_EQ(sl::stratified_folds(y, 4, 1).size(), 4u);
}

namespace {
void separable(int n, int dim, std::vector<float>& x, std::vector<int>& y) {
    sl::Rng rng(99);
    x.resize(size_t(n) * dim);
    y.resize(n);
    for (int i = 0; i < n; ++i) {
        y[i] = i % 3 == 0;
        for (int j = 0; j < dim; ++j) {
            const double v = rng.normal() * 0.3 + (j == 0 ? (y[i] ? 2 : 0) : 0.2);
            x[size_t(i) * dim + j] = float(v > 0 ? v : 0);
        }
    }
}
}  // namespace

TEST(CrossValidateHead, PredictsEveryHeldOutSampleOfASeparableProblem) {
    std::vector<float> x;
    std::vector<int> y;
    separable(90, 10, x, y);
    sl::HeadConfig c;
    c.hidden = 0;
    c.learning_rate = 0.02f;
    c.epochs = 20;
    int calls = 0;
    auto cv = sl::cross_validate_head(x, y, 10, c, 3, 5, [&](int fold, int epoch, double) {
        EXPECT_EQ(fold, calls / 20);
        EXPECT_EQ(epoch, calls % 20 + 1);
        ++calls;
        return true;
    });
    ASSERT_TRUE(cv) << cv.error();
    EXPECT_EQ(calls, 60);
    ASSERT_EQ(cv->folds.size(), 3u);
    EXPECT_EQ(cv->folds[0].n + cv->folds[1].n + cv->folds[2].n, 90);
    EXPECT_EQ(cv->pooled.n, 90);
    EXPECT_EQ(cv->pooled.accuracy, 1.0);
    EXPECT_EQ(cv->mean_accuracy, 1.0);
    EXPECT_EQ(cv->std_accuracy, 0.0);
    EXPECT_EQ(cv->fold, sl::stratified_folds(y, 3, 5));
    for (int i = 0; i < 90; ++i) EXPECT_EQ(cv->p_santa[i] > 0.5f, y[i] == 1) << i;
}

TEST(CrossValidateHead, ReportsErrorsAndCancelling) {
    std::vector<float> x;
    std::vector<int> y;
    separable(12, 4, x, y);
    sl::HeadConfig c;
    c.hidden = 0;
    EXPECT_FALSE(sl::cross_validate_head(x, y, 4, c, 1, 1));
    EXPECT_FALSE(sl::cross_validate_head(x, y, 4, c, 13, 1));
    EXPECT_FALSE(sl::cross_validate_head(x, y, 5, c, 3, 1));
    auto cancelled = sl::cross_validate_head(x, y, 4, c, 3, 1, [](int, int, double) { return false; });
    ASSERT_FALSE(cancelled);
    EXPECT_NE(cancelled.error().find("cancelled"), std::string::npos);
}
