// tests/core/owen_shap_test.cpp: Owen values (core/owen_shap.h) on games with known answers:
// additive games give their weights, a hand-worked game where Owen and Shapley differ, the
// brute-force Owen formula on random games, efficiency at every step, largest credit first,
// determinism, bad input.
#include "core/owen_shap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "core/rng.h"

namespace {

using Game = std::function<double(const uint8_t*)>;

// A tree from explicit merges.
sl::SuperpixelTree tree(int leaves, std::vector<std::array<int, 2>> children) {
    return {leaves, std::move(children)};
}

// ((0 1) (2 3)) ... a balanced tree over 2^depth leaves.
sl::SuperpixelTree balanced(int depth) {
    sl::SuperpixelTree t{1 << depth, {}};
    std::vector<int> level(size_t(t.leaves));
    for (int i = 0; i < t.leaves; ++i) level[size_t(i)] = i;
    while (level.size() > 1) {
        std::vector<int> up;
        for (size_t i = 0; i < level.size(); i += 2) {
            t.children.push_back({level[i], level[i + 1]});
            up.push_back(t.leaves + int(t.children.size()) - 1);
        }
        level = up;
    }
    return t;
}

sl::ShapEstimate run(const sl::SuperpixelTree& t, const Game& g, int budget = 1 << 20, int batch = 8,
                     const std::function<void(const sl::ShapEstimate&)>& each = {}) {
    sl::KernelShapConfig c;
    c.players = t.leaves, c.budget = budget, c.batch_size = batch, c.tolerance = 0;
    auto owen = sl::OwenShap::create(t, c);
    EXPECT_TRUE(owen.ok()) << owen.error();
    while (!owen->done()) {
        const sl::CoalitionBatch b = owen->next_batch();
        EXPECT_GT(b.rows, 0);
        EXPECT_LE(b.rows, std::max(2, batch));
        std::vector<double> v;
        for (int r = 0; r < b.rows; ++r) v.push_back(g(&b.present[size_t(r) * t.leaves]));
        EXPECT_TRUE(owen->add_values(v).ok());
        if (each) each(owen->estimate());
    }
    return owen->estimate();
}

// The Owen value by its definition, written out independently: a player's marginal contribution
// averaged over coalitions built level by level: at each node on the path from the root, the
// sibling group is present or not with the two-player Shapley weights (1/2 each).
std::vector<double> brute_force_owen(const sl::SuperpixelTree& t, int m, const Game& v) {
    std::vector<int> parent(size_t(t.nodes()), -1);
    for (size_t j = 0; j < t.children.size(); ++j)
        for (int c : t.children[j]) parent[size_t(c)] = t.leaves + int(j);
    const auto sets = sl::tree_leaf_sets(t);
    std::vector<double> phi(size_t(m), 0.0);
    for (int i = 0; i < m; ++i) {
        std::vector<int> siblings;  // of each node on the path up from i
        for (int n = i; parent[size_t(n)] >= 0; n = parent[size_t(n)]) {
            const auto& ch = t.children[size_t(parent[size_t(n)] - t.leaves)];
            siblings.push_back(ch[0] == n ? ch[1] : ch[0]);
        }
        const int d = int(siblings.size());
        for (uint32_t mask = 0; mask < (1u << d); ++mask) {
            std::vector<uint8_t> z(size_t(m), 0);
            for (int s = 0; s < d; ++s)
                if (mask >> s & 1)
                    for (int leaf : sets[size_t(siblings[size_t(s)])]) z[size_t(leaf)] = 1;
            const double without = v(z.data());
            z[size_t(i)] = 1;
            phi[size_t(i)] += (v(z.data()) - without) / double(1u << d);
        }
    }
    return phi;
}

TEST(OwenShap, AdditiveGameGivesItsWeights) {
    const std::vector<double> w{0.5, -1, 2, 0.25, 0, 3, -0.75, 1};
    const Game g = [&](const uint8_t* z) {
        double s = 0.3;
        for (size_t i = 0; i < w.size(); ++i) s += w[i] * z[i];
        return s;
    };
    const sl::ShapEstimate e = run(balanced(3), g);
    for (size_t i = 0; i < w.size(); ++i) EXPECT_NEAR(e.phi[i], w[i], 1e-12) << i;
    for (double s : e.std_error) EXPECT_EQ(s, 0);
    EXPECT_EQ(e.convergence, 0);
    EXPECT_DOUBLE_EQ(e.f_full[0], 0.3 + 5.0);
    EXPECT_DOUBLE_EQ(e.f_empty[0], 0.3);
}

TEST(OwenShap, MajorityOfThreeFollowsTheTree) {
    // v = 1 when at least two of three are present; tree ((0 1) 2). Shapley gives 1/3 each; Owen
    // lets the group {0, 1} win alone (it needs no one): 1/2, 1/2, 0.
    const Game g = [](const uint8_t* z) { return double(z[0] + z[1] + z[2] >= 2); };
    const sl::ShapEstimate e = run(tree(3, {{{0, 1}}, {{3, 2}}}), g);
    EXPECT_NEAR(e.phi[0], 0.5, 1e-12);
    EXPECT_NEAR(e.phi[1], 0.5, 1e-12);
    EXPECT_NEAR(e.phi[2], 0.0, 1e-12);
    EXPECT_FALSE(e.exact);  // not the Shapley value
}

TEST(OwenShap, MatchesTheDefinitionOnRandomGames) {
    // Random pairwise + triple interactions on an unbalanced tree of 7 leaves.
    const sl::SuperpixelTree t = tree(7, {{{0, 1}}, {{7, 2}}, {{3, 4}}, {{9, 5}}, {{8, 10}}, {{11, 6}}});
    sl::Rng rng(5);
    for (int trial = 0; trial < 5; ++trial) {
        std::vector<double> a(7 * 7 * 7);
        for (double& x : a) x = rng.normal();
        const Game g = [&](const uint8_t* z) {
            double s = 0;
            for (int i = 0; i < 7; ++i)
                for (int j = 0; j < 7; ++j)
                    for (int k = 0; k < 7; ++k) s += a[size_t(i * 49 + j * 7 + k)] * z[i] * z[j] * z[k];
            return std::tanh(s / 10);
        };
        const sl::ShapEstimate e = run(t, g);
        const std::vector<double> want = brute_force_owen(t, 7, g);
        for (int i = 0; i < 7; ++i) EXPECT_NEAR(e.phi[size_t(i)], want[size_t(i)], 1e-12) << "trial " << trial << " player " << i;
    }
}

TEST(OwenShap, EfficientAtEveryStepAndLargestCreditFirst) {
    // 16 players; only player 13 matters. The splits must follow it: its group in every context
    // of the level above (1 + 2 + 4 + 8 splits, 2 evaluations each, after full and empty), far
    // below the 172 evaluations of the whole tree, and then its value is exact, the others 0.
    const Game g = [](const uint8_t* z) { return 2.0 * z[13] + 0.5; };
    int steps = 0;
    const sl::ShapEstimate e = run(balanced(4), g, 32, 2, [&](const sl::ShapEstimate& s) {
        double sum = 0;
        for (double p : s.phi) sum += p;
        EXPECT_NEAR(sum, s.f_full[0] - s.f_empty[0], 1e-12);
        ++steps;
    });
    EXPECT_EQ(e.evaluations, 32);
    EXPECT_NEAR(e.phi[13], 2.0, 1e-12);
    for (int i = 0; i < 16; ++i)
        if (i != 13) EXPECT_NEAR(e.phi[size_t(i)], 0.0, 1e-12);
    EXPECT_EQ(steps, 16);
    EXPECT_EQ(e.convergence, 0);
}

TEST(OwenShap, UnfinishedGroupsCarryTheirCreditAsUncertainty) {
    const Game g = [](const uint8_t* z) {
        double s = 0;
        for (int i = 0; i < 16; ++i) s += (i % 3 - 1) * z[i] + 0.2 * z[i] * z[(i + 5) % 16];
        return s;
    };
    const sl::ShapEstimate coarse = run(balanced(4), g, 4);
    EXPECT_EQ(coarse.evaluations, 4);
    EXPECT_GT(coarse.convergence, 0);
    double unresolved = 0;
    for (double s : coarse.std_error) unresolved += s;
    EXPECT_GT(unresolved, 0);
    const sl::ShapEstimate full = run(balanced(4), g);
    EXPECT_EQ(full.convergence, 0);
    double sum_coarse = 0, sum_full = 0;
    for (int i = 0; i < 16; ++i) sum_coarse += coarse.phi[size_t(i)], sum_full += full.phi[size_t(i)];
    EXPECT_NEAR(sum_coarse, sum_full, 1e-12);
}

TEST(OwenShap, SameInputSameValues) {
    const Game g = [](const uint8_t* z) { return std::sin(z[0] + 2.0 * z[3] * z[5] - z[7]); };
    const sl::ShapEstimate a = run(balanced(3), g, 12, 4), b = run(balanced(3), g, 12, 4);
    EXPECT_EQ(a.phi, b.phi);
}

TEST(OwenShap, OnePlayerGetsEverything) {
    const sl::ShapEstimate e = run(tree(1, {}), [](const uint8_t* z) { return 3.0 * z[0] + 1; });
    EXPECT_DOUBLE_EQ(e.phi[0], 3.0);
    EXPECT_TRUE(e.exact);
    EXPECT_EQ(e.evaluations, 2);
}

TEST(OwenShap, LogitLinkWorksInLogOdds) {
    const Game g = [](const uint8_t* z) { return 1 / (1 + std::exp(-(0.5 + z[0] - 2.0 * z[1]))); };
    sl::KernelShapConfig c;
    c.players = 2, c.link = sl::ShapLink::logit, c.tolerance = 0;
    auto owen = sl::OwenShap::create(tree(2, {{{0, 1}}}), c);
    ASSERT_TRUE(owen.ok());
    while (!owen->done()) {
        const sl::CoalitionBatch b = owen->next_batch();
        std::vector<double> v;
        for (int r = 0; r < b.rows; ++r) v.push_back(g(&b.present[size_t(r) * 2]));
        ASSERT_TRUE(owen->add_values(v).ok());
    }
    EXPECT_NEAR(owen->estimate().phi[0], 1.0, 1e-9);
    EXPECT_NEAR(owen->estimate().phi[1], -2.0, 1e-9);
    EXPECT_TRUE(owen->estimate().exact);
}

TEST(OwenShap, BadInputIsAnError) {
    sl::KernelShapConfig c;
    c.players = 3;
    EXPECT_FALSE(sl::OwenShap::create(tree(2, {{{0, 1}}}), c).ok());               // players != leaves
    EXPECT_FALSE(sl::OwenShap::create(tree(3, {{{0, 1}}, {{0, 2}}}), c).ok());     // 0 has two parents
    EXPECT_FALSE(sl::OwenShap::create(tree(3, {{{0, 4}}, {{3, 2}}}), c).ok());     // child above its node
    c.budget = 1;
    EXPECT_FALSE(sl::OwenShap::create(tree(3, {{{0, 1}}, {{3, 2}}}), c).ok());
    c.budget = 512;
    auto owen = sl::OwenShap::create(tree(3, {{{0, 1}}, {{3, 2}}}), c);
    ASSERT_TRUE(owen.ok());
    EXPECT_FALSE(owen->add_values(std::vector<double>{1, 2}).ok());  // no batch outstanding
    const sl::CoalitionBatch b = owen->next_batch();
    ASSERT_EQ(b.rows, 2);
    EXPECT_FALSE(owen->add_values(std::vector<double>{1}).ok());
    EXPECT_FALSE(owen->add_values(std::vector<double>{1, NAN}).ok());
    EXPECT_TRUE(owen->add_values(std::vector<double>{1, 0}).ok());
}

}  // namespace
