// core/audit/decision_tree.h: a small classification tree (CART, Gini impurity) on a few columns of
// numbers, some of them categories. The audit's shortcut check (shortcuts.h) uses it to ask how
// well file size, format and the like tell the classes apart: a tree finds "640 x 480 means
// person" in one split, where a linear model would need the exact value as a feature.
//
//   sl::Table t{n, m, values, categorical};    // values: n rows x m columns, row-major
//   sl::DecisionTree tree = sl::fit_tree(t, labels, classes, rows, sl::TreeOptions{});
//   int label = sl::predict_tree(tree, &values[i * m]);
//
// Splits: a numeric column splits at a threshold (x <= t goes left, halfway between two values
// seen); a categorical column splits on one value (x == v goes left, the rest right). Every
// split is the one of largest impurity decrease; ties go to the lower column, then the lower
// threshold, so a tree is the same on every build. NaN counts as a value of its own: in numeric
// columns it always goes right.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace sl {

struct Table {
    int rows = 0;                          // samples
    int columns = 0;                       // features
    std::span<const double> values;        // rows * columns, row-major
    std::span<const uint8_t> categorical;  // per column: 1 = the values are category codes

    double at(int row, int column) const { return values[size_t(row) * columns + column]; }
};

struct TreeOptions {
    int max_depth = 4;  // splits from the root to a leaf, at most
    int min_leaf = 5;   // samples in a leaf, at least (a split that leaves fewer is not made)
};

struct DecisionTree {
    struct Node {
        int column = -1;            // -1: a leaf
        double threshold = 0;       // numeric: x <= threshold goes left; categorical: x == threshold
        int left = -1, right = -1;  // child nodes
        int label = 0;              // the majority class of the node's training samples (ties: lowest)
    };
    std::vector<Node> nodes;           // nodes[0] is the root
    std::vector<double> importance;    // per column: the impurity decrease of its splits, weighted
                                       // by samples, summed, then scaled to sum to 1 (all 0: no split)
    std::vector<uint8_t> categorical;  // copied from the table
};

// Fits a tree on the table rows listed in `rows` (all rows when empty); labels holds one class
// 0..classes-1 per table row. The caller checks sizes (asserted).
DecisionTree fit_tree(const Table& table, std::span<const int> labels, int classes, std::span<const int> rows,
                      const TreeOptions& options = {});

// The class the tree gives a row of `columns` values.
int predict_tree(const DecisionTree& tree, const double* row);

}  // namespace sl
