// core/audit/shortcuts.cpp: cross-validated trees on content-free cues (shortcuts.h).
#include "core/audit/shortcuts.h"

#include <algorithm>
#include <cmath>

#include "core/model/metrics.h"

namespace sl {
namespace {

// The columns `use` (indices into `cues`) as a row-major table.
struct Columns {
    int rows = 0, columns = 0;
    std::vector<double> values;
    std::vector<uint8_t> categorical;
    Table table() const { return {rows, columns, values, categorical}; }
};

Columns gather(std::span<const CueColumn> cues, const std::vector<int>& use, int n) {
    Columns t{n, int(use.size()), std::vector<double>(size_t(n) * use.size()), {}};
    for (size_t c = 0; c < use.size(); ++c) {
        const CueColumn& cue = cues[size_t(use[c])];
        t.categorical.push_back(cue.categorical);
        for (int i = 0; i < n; ++i) t.values[size_t(i) * use.size() + c] = cue.values[size_t(i)];
    }
    return t;
}

// Out-of-fold predictions of trees fitted on `t`.
std::vector<int> cross_validate(const Columns& t, std::span<const int> labels, int classes, std::span<const int> fold,
                                int k, const TreeOptions& options) {
    std::vector<int> predicted(size_t(t.rows)), train;
    for (int f = 0; f < k; ++f) {
        train.clear();
        for (int i = 0; i < t.rows; ++i)
            if (fold[size_t(i)] != f) train.push_back(i);
        const DecisionTree tree = fit_tree(t.table(), labels, classes, train, options);
        for (int i = 0; i < t.rows; ++i)
            if (fold[size_t(i)] == f) predicted[size_t(i)] = predict_tree(tree, &t.values[size_t(i) * t.columns]);
    }
    return predicted;
}

double accuracy_of(const std::vector<int>& predicted, std::span<const int> labels) {
    int right = 0;
    for (size_t i = 0; i < labels.size(); ++i) right += predicted[i] == labels[i];
    return double(right) / double(labels.size());
}

}  // namespace

Result<ShortcutReport> find_shortcuts(std::span<const CueColumn> cues, std::span<const int> labels, int classes,
                                      const ShortcutOptions& options) {
    const int n = int(labels.size());
    if (cues.empty()) return fail("shortcuts: no cues");
    if (options.tree.min_leaf < 0 || options.tree.min_leaf > 1'000'000'000 || options.tree.max_depth < 0 ||
        options.tree.max_depth > 1'000'000'000)
        return fail("shortcuts: min_leaf and max_depth must be 0 to 1e9");
    if (n < 4) return fail("shortcuts: " + std::to_string(n) + " photos are too few (at least 4)");
    for (const auto& c : cues)
        if (c.values.size() != labels.size())
            return fail("shortcuts: cue " + c.name + " has " + std::to_string(c.values.size()) + " values for " +
                        std::to_string(n) + " photos");
    std::vector<int> counts(size_t(std::max(classes, 0)), 0);
    for (int y : labels) {
        if (y < 0 || y >= classes) return fail("shortcuts: label " + std::to_string(y) + " is out of range");
        ++counts[size_t(y)];
    }
    if (std::count_if(counts.begin(), counts.end(), [](int c) { return c > 0; }) < 2)
        return fail("shortcuts: photos of at least two classes are needed");

    ShortcutReport r;
    r.majority = int(std::max_element(counts.begin(), counts.end()) - counts.begin());
    r.chance = double(counts[size_t(r.majority)]) / n;
    const double needed = r.chance + std::max(options.margin, 3 * std::sqrt(r.chance * (1 - r.chance) / n));
    r.folds = std::clamp(options.folds, 2, n);
    const std::vector<int> fold = stratified_folds(labels, r.folds, options.seed);

    std::vector<int> all(cues.size());
    for (size_t c = 0; c < cues.size(); ++c) all[c] = int(c);
    const Columns every = gather(cues, all, n);
    const auto score = [&](const Columns& t) {
        return accuracy_of(cross_validate(t, labels, classes, fold, r.folds, options.tree), labels);
    };
    r.predicted = cross_validate(every, labels, classes, fold, r.folds, options.tree);
    r.accuracy = accuracy_of(r.predicted, labels);
    r.carries = r.accuracy >= needed;
    const DecisionTree whole = fit_tree(every.table(), labels, classes, {}, options.tree);

    for (size_t c = 0; c < cues.size(); ++c) {
        CueScore s{cues[c].name, cues[c].group};
        s.accuracy = score(gather(cues, {int(c)}, n));
        s.importance = whole.importance[c];
        s.carries = s.accuracy >= needed;
        r.cues.push_back(s);
    }
    for (size_t c = 0; c < cues.size(); ++c) {
        if (std::any_of(r.groups.begin(), r.groups.end(), [&](const GroupScore& g) { return g.name == cues[c].group; }))
            continue;
        std::vector<int> members;
        for (size_t d = c; d < cues.size(); ++d)
            if (cues[d].group == cues[c].group) members.push_back(int(d));
        GroupScore g{cues[c].group};
        g.accuracy = score(gather(cues, members, n));
        g.carries = g.accuracy >= needed;
        r.groups.push_back(g);
    }
    return r;
}

}  // namespace sl
