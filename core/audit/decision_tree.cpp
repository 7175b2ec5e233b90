// core/audit/decision_tree.cpp: CART with Gini impurity, numeric and categorical splits
// (decision_tree.h).
#include "core/audit/decision_tree.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

namespace sl {
namespace {

double gini(std::span<const int> counts, int n) {
    if (n == 0) return 0;
    double sum = 0;
    for (int c : counts) sum += double(c) * c;
    return 1 - sum / (double(n) * n);
}

struct Split {
    int column = -1;
    double threshold = 0;
    double gain = 0;  // impurity decrease of the node, per sample of the node
};

class Builder {
public:
    Builder(const Table& t, std::span<const int> labels, int classes, const TreeOptions& o, DecisionTree& tree)
        : t_(t), labels_(labels), classes_(classes), o_(o), tree_(tree) {}

    int grow(std::vector<int>& rows, int depth) {
        std::vector<int> counts(size_t(classes_), 0);
        for (int r : rows) ++counts[size_t(labels_[size_t(r)])];
        const int node = int(tree_.nodes.size());
        tree_.nodes.push_back({});
        tree_.nodes[size_t(node)].label = int(std::max_element(counts.begin(), counts.end()) - counts.begin());
        const int n = int(rows.size());
        const double impurity = gini(counts, n);
        if (depth >= o_.max_depth || n < 2 * int64_t(o_.min_leaf) || impurity == 0) return node;
        Split best;
        for (int c = 0; c < t_.columns; ++c) consider(rows, counts, impurity, c, best);
        if (best.column < 0) return node;
        tree_.importance[size_t(best.column)] += best.gain * n;
        std::vector<int> left, right;
        for (int r : rows) (goes_left(t_.at(r, best.column), best) ? left : right).push_back(r);
        rows.clear();
        rows.shrink_to_fit();
        const int l = grow(left, depth + 1), rt = grow(right, depth + 1);
        auto& nd = tree_.nodes[size_t(node)];
        nd.column = best.column, nd.threshold = best.threshold, nd.left = l, nd.right = rt;
        return node;
    }

private:
    bool goes_left(double x, const Split& s) const {
        return t_.categorical[size_t(s.column)] ? x == s.threshold : x <= s.threshold;
    }

    // Tries every split of column `c`; keeps it in `best` when strictly better.
    void consider(const std::vector<int>& rows, const std::vector<int>& counts, double impurity, int c, Split& best) {
        const int n = int(rows.size());
        std::vector<std::pair<double, int>> v;  // (value, label), NaN left out: it goes right
        v.reserve(rows.size());
        for (int r : rows) {
            const double x = t_.at(r, c);
            if (!std::isnan(x)) v.emplace_back(x, labels_[size_t(r)]);
        }
        std::sort(v.begin(), v.end());
        std::vector<int> left(static_cast<size_t>(classes_)), right(static_cast<size_t>(classes_));
        auto offer = [&](int nl, double threshold) {
            const int nr = n - nl;
            if (nl < o_.min_leaf || nr < o_.min_leaf) return;
            for (int k = 0; k < classes_; ++k) right[size_t(k)] = counts[size_t(k)] - left[size_t(k)];
            const double gain = impurity - (nl * gini(left, nl) + nr * gini(right, nr)) / n;
            if (gain > best.gain + 1e-12) best = {c, threshold, gain};
        };
        if (t_.categorical[size_t(c)]) {
            for (size_t i = 0; i < v.size();) {  // one run of equal values is one category
                std::fill(left.begin(), left.end(), 0);
                size_t j = i;
                for (; j < v.size() && v[j].first == v[i].first; ++j) ++left[size_t(v[j].second)];
                offer(int(j - i), v[i].first);
                i = j;
            }
            return;
        }
        std::fill(left.begin(), left.end(), 0);
        for (size_t i = 0; i + 1 < v.size(); ++i) {
            ++left[size_t(v[i].second)];
            if (v[i].first < v[i + 1].first) offer(int(i + 1), v[i].first + (v[i + 1].first - v[i].first) / 2);
        }
    }

    const Table& t_;
    std::span<const int> labels_;
    int classes_;
    const TreeOptions& o_;
    DecisionTree& tree_;
};

}  // namespace

DecisionTree fit_tree(const Table& table, std::span<const int> labels, int classes, std::span<const int> rows,
                      const TreeOptions& options) {
    assert(classes >= 1 && labels.size() == size_t(table.rows));
    assert(table.values.size() == size_t(table.rows) * table.columns);
    assert(table.categorical.size() == size_t(table.columns));
    DecisionTree tree;
    tree.importance.assign(size_t(table.columns), 0);
    tree.categorical.assign(table.categorical.begin(), table.categorical.end());
    std::vector<int> all(rows.begin(), rows.end());
    if (rows.empty()) {
        all.resize(size_t(table.rows));
        std::iota(all.begin(), all.end(), 0);
    }
    Builder(table, labels, classes, options, tree).grow(all, 0);
    const double total = std::accumulate(tree.importance.begin(), tree.importance.end(), 0.0);
    if (total > 0)
        for (double& v : tree.importance) v /= total;
    return tree;
}

int predict_tree(const DecisionTree& tree, const double* row) {
    int k = 0;
    while (tree.nodes[size_t(k)].column >= 0) {
        const auto& nd = tree.nodes[size_t(k)];
        const double x = row[nd.column];
        const bool left = tree.categorical[size_t(nd.column)] ? x == nd.threshold : x <= nd.threshold;
        k = left ? nd.left : nd.right;
    }
    return tree.nodes[size_t(k)].label;
}

}  // namespace sl
