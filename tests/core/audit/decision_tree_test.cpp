// tests/core/audit/decision_tree_test.cpp: CART splits, limits and importance (core/audit/decision_tree.cpp).
#include "core/audit/decision_tree.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace {

struct Data {
    int n, m;
    std::vector<double> values;
    std::vector<uint8_t> categorical;
    std::vector<int> labels;
    sl::Table table() const { return {n, m, values, categorical}; }
};

}  // namespace

TEST(DecisionTree, CategoricalSplitFindsTheOneTellingValue) {
    // Column 0: noise; column 1: a category, value 7 always class 0, others (1..5) class 1.
    Data d{40, 2, {}, {0, 1}, {}};
    for (int i = 0; i < 40; ++i) {
        const int y = i % 2;
        d.values.push_back((i * 37) % 11);
        d.values.push_back(y == 0 ? 7 : 1 + i % 5);
        d.labels.push_back(y);
    }
    const sl::DecisionTree t = sl::fit_tree(d.table(), d.labels, 2, {});
    ASSERT_GE(t.nodes.size(), 3u);
    EXPECT_EQ(t.nodes[0].column, 1);
    EXPECT_EQ(t.nodes[0].threshold, 7);
    for (int i = 0; i < 40; ++i) EXPECT_EQ(sl::predict_tree(t, &d.values[size_t(i) * 2]), d.labels[i]);
    EXPECT_NEAR(t.importance[1], 1, 1e-12);
    EXPECT_EQ(t.importance[0], 0);
}

TEST(DecisionTree, NumericThresholdHalfwayAndThreeClasses) {
    Data d{30, 1, {}, {0}, {}};
    for (int i = 0; i < 30; ++i) d.values.push_back(i), d.labels.push_back(i / 10);
    const sl::DecisionTree t = sl::fit_tree(d.table(), d.labels, 3, {});
    for (int i = 0; i < 30; ++i) EXPECT_EQ(sl::predict_tree(t, &d.values[size_t(i)]), i / 10);
    const double probe[] = {9.4, 9.6, 19.6, NAN};
    EXPECT_EQ(sl::predict_tree(t, &probe[0]), 0);
    EXPECT_EQ(sl::predict_tree(t, &probe[1]), 1);
    EXPECT_EQ(sl::predict_tree(t, &probe[2]), 2);
    EXPECT_EQ(sl::predict_tree(t, &probe[3]), 2);  // NaN goes right, down to the last class
}

TEST(DecisionTree, DepthAndLeafLimitsHold) {
    Data d{64, 1, {}, {0}, {}};
    for (int i = 0; i < 64; ++i) d.values.push_back(i), d.labels.push_back(i % 2);  // needs 63 splits
    sl::TreeOptions o;
    o.max_depth = 2;
    EXPECT_LE(sl::fit_tree(d.table(), d.labels, 2, {}, o).nodes.size(), 7u);
    o.max_depth = 20, o.min_leaf = 25;
    const sl::DecisionTree t = sl::fit_tree(d.table(), d.labels, 2, {}, o);
    EXPECT_LE(t.nodes.size(), 3u);  // after one split neither child has the 50 rows for another
    const sl::DecisionTree none = sl::fit_tree(d.table(), d.labels, 2, std::vector<int>{0, 1, 2}, o);
    ASSERT_EQ(none.nodes.size(), 1u);  // three rows cannot make two leaves of 20
    EXPECT_EQ(none.importance[0], 0);
}

TEST(DecisionTree, FitsOnlyTheGivenRows) {
    Data d{20, 1, {}, {0}, {}};
    for (int i = 0; i < 20; ++i) d.values.push_back(i), d.labels.push_back(i < 10);
    std::vector<int> rows(10);
    std::iota(rows.begin(), rows.end(), 0);  // all class 1
    const sl::DecisionTree t = sl::fit_tree(d.table(), d.labels, 2, rows);
    ASSERT_EQ(t.nodes.size(), 1u);
    EXPECT_EQ(t.nodes[0].label, 1);
}
