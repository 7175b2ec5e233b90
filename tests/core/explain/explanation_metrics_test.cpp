// tests/core/explain/explanation_metrics_test.cpp: rank correlation, top-k agreement and relative error
// on hand-made values.
#include "core/explain/explanation_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

using V = std::vector<double>;

TEST(Spearman, IsOneForTheSameOrderAndMinusOneForTheReverse) {
    EXPECT_DOUBLE_EQ(sl::spearman(V{1, 2, 3, 4}, V{10, 20, 30, 1000}), 1.0);
    EXPECT_DOUBLE_EQ(sl::spearman(V{1, 2, 3, 4}, V{4, 3, 2, 1}), -1.0);
}

TEST(Spearman, MatchesTheTextbookFormulaWithoutTies) {
    // 1 - 6 sum d^2 / (n (n^2 - 1)): ranks (0,1,2,3,4) vs (1,0,2,4,3): d^2 = 1+1+0+1+1 = 4.
    EXPECT_NEAR(sl::spearman(V{1, 2, 3, 4, 5}, V{2, 1, 3, 5, 4}), 1 - 6.0 * 4 / (5 * 24), 1e-12);
}

TEST(Spearman, GivesTiesTheirMeanRank) {
    // Ranks of {1, 1, 2} are {0.5, 0.5, 2}: perfectly correlated with {0, 0, 5}.
    EXPECT_NEAR(sl::spearman(V{1, 1, 2}, V{0, 0, 5}), 1.0, 1e-12);
    EXPECT_EQ(sl::spearman(V{3, 3, 3}, V{1, 2, 3}), 0.0);  // a constant side says nothing
}

TEST(TopKShare, CountsTheLargestAbsoluteValuesInCommon) {
    const V a{0.9, -0.8, 0.1, 0.05, -0.7};
    const V b{-0.95, 0.1, 0.2, 0.85, 0.6};
    // top-2 by |value|: a {0, 1}, b {0, 3}: one in common.
    EXPECT_DOUBLE_EQ(sl::top_k_share(a, b, 2), 0.5);
    EXPECT_DOUBLE_EQ(sl::top_k_share(a, a, 3), 1.0);
    EXPECT_DOUBLE_EQ(sl::top_k_share(a, b, 10), 1.0);  // k past the size: everything is shared
}

TEST(RelativeL2Error, IsTheDistanceOverTheReferencesLength) {
    EXPECT_DOUBLE_EQ(sl::relative_l2_error(V{3, 4}, V{3, 4}), 0.0);
    EXPECT_DOUBLE_EQ(sl::relative_l2_error(V{3, 0}, V{0, 4}), 1.25);  // ||(3, -4)|| / ||(0, 4)||
    EXPECT_DOUBLE_EQ(sl::relative_l2_error(V{0, 0}, V{1, 0}), 1.0);
    EXPECT_TRUE(std::isnan(sl::relative_l2_error(V{1, 2}, V{0, 0})));  // no scale to measure against
}

}  // namespace
