// tests/core/explain/owen_shap_test.cpp: Owen values (core/explain/owen_shap.h) on games with known answers:
// additive games give their weights, a hand-worked game where Owen and Shapley differ, the
// brute-force Owen formula (with and without an exact top) and the Shapley formula on random
// games, the top's cuts shown as they complete, efficiency at every step, largest credit first,
// determinism, bad input.
#include "core/explain/owen_shap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <vector>

#include "core/base/rng.h"

namespace {

using Game = std::function<double(const uint8_t*)>;

// A tree from explicit merges.
sl::SuperpixelTree tree(int leaves, std::vector<std::array<int, 2>> children) { return {leaves, std::move(children)}; }

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
                     const std::function<void(const sl::ShapEstimate&)>& each = {}, int top_groups = 0) {
    sl::KernelShapConfig c;
    c.players = t.leaves, c.budget = budget, c.batch_size = batch, c.tolerance = 0;
    auto owen = sl::OwenShap::create(t, c, top_groups);
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

// The Owen value by its definition, written out independently, for the union of the groups
// `top` (a cut of the tree; {root}: plain Owen): a player's marginal contribution averaged over
// coalitions of the other top groups (Shapley weights) and, inside its own group, over the
// sibling of each node on the path up to it, present or not with weight 1/2.
std::vector<double> brute_force_owen(const sl::SuperpixelTree& t, int m, const Game& v, const std::vector<int>& top) {
    std::vector<int> parent(size_t(t.nodes()), -1);
    for (size_t j = 0; j < t.children.size(); ++j)
        for (int c : t.children[j]) parent[size_t(c)] = t.leaves + int(j);
    const auto sets = sl::tree_leaf_sets(t);
    const int n = int(top.size());
    std::vector<double> phi(size_t(m), 0.0);
    for (int i = 0; i < m; ++i) {
        int own = -1;
        std::vector<int> siblings;  // of each node on the path up from i to its top group
        for (int node = i;; node = parent[size_t(node)]) {
            const auto at = std::find(top.begin(), top.end(), node);
            if (at != top.end()) {
                own = int(at - top.begin());
                break;
            }
            const auto& ch = t.children[size_t(parent[size_t(node)] - t.leaves)];
            siblings.push_back(ch[0] == node ? ch[1] : ch[0]);
        }
        const int d = int(siblings.size());
        for (uint32_t others = 0; others < (1u << n); ++others) {
            if (others >> own & 1) continue;
            const int s = std::popcount(others);
            double shapley = 1.0 / n;  // s! (n - s - 1)! / n!
            for (int j = 1; j <= s; ++j) shapley *= double(j) / double(n - j);
            for (uint32_t mask = 0; mask < (1u << d); ++mask) {
                std::vector<uint8_t> z(size_t(m), 0);
                for (int g = 0; g < n; ++g)
                    if (others >> g & 1)
                        for (int leaf : sets[size_t(top[size_t(g)])]) z[size_t(leaf)] = 1;
                for (int j = 0; j < d; ++j)
                    if (mask >> j & 1)
                        for (int leaf : sets[size_t(siblings[size_t(j)])]) z[size_t(leaf)] = 1;
                const double without = v(z.data());
                z[size_t(i)] = 1;
                phi[size_t(i)] += shapley * (v(z.data()) - without) / double(1u << d);
            }
        }
    }
    return phi;
}

// A game with random pairwise and triple interactions among 7 players.
Game random_game(sl::Rng& rng, std::vector<double>& a) {
    a.resize(7 * 7 * 7);
    for (double& x : a) x = rng.normal();
    return [&a](const uint8_t* z) {
        double s = 0;
        for (int i = 0; i < 7; ++i)
            for (int j = 0; j < 7; ++j)
                for (int k = 0; k < 7; ++k) s += a[size_t(i * 49 + j * 7 + k)] * z[i] * z[j] * z[k];
        return std::tanh(s / 10);
    };
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
    // lets the group {0, 1} win alone (it needs no one): 1/2, 1/2, 0. With a budget for all 8
    // coalitions the top goes down to the players and gives Shapley's answer.
    const Game g = [](const uint8_t* z) { return double(z[0] + z[1] + z[2] >= 2); };
    const sl::SuperpixelTree t = tree(3, {{{0, 1}}, {{3, 2}}});
    const sl::ShapEstimate owen = run(t, g, 1 << 20, 8, {}, 1);
    EXPECT_NEAR(owen.phi[0], 0.5, 1e-12);
    EXPECT_NEAR(owen.phi[1], 0.5, 1e-12);
    EXPECT_NEAR(owen.phi[2], 0.0, 1e-12);
    EXPECT_FALSE(owen.exact);  // not the Shapley value
    const sl::ShapEstimate shapley = run(t, g, 8);
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(shapley.phi[size_t(i)], 1.0 / 3, 1e-12) << i;
    EXPECT_TRUE(shapley.exact);
    EXPECT_EQ(shapley.evaluations, 8);
}

TEST(OwenShap, MatchesTheDefinitionOnRandomGames) {
    // An unbalanced tree of 7 leaves; its cuts: {11, 6}, then {8, 10, 6} ({0 1 2}, {3 4 5}, {6}).
    const sl::SuperpixelTree t = tree(7, {{{0, 1}}, {{7, 2}}, {{3, 4}}, {{9, 5}}, {{8, 10}}, {{11, 6}}});
    sl::Rng rng(5);
    for (int trial = 0; trial < 5; ++trial) {
        std::vector<double> a;
        const Game g = random_game(rng, a);
        const sl::ShapEstimate plain = run(t, g, 1 << 20, 8, {}, 1), topped = run(t, g, 1 << 20, 8, {}, 3);
        const std::vector<double> want_plain = brute_force_owen(t, 7, g, {12}),
                                  want_topped = brute_force_owen(t, 7, g, {8, 10, 6});
        for (int i = 0; i < 7; ++i) {
            EXPECT_NEAR(plain.phi[size_t(i)], want_plain[size_t(i)], 1e-12) << "trial " << trial << " player " << i;
            EXPECT_NEAR(topped.phi[size_t(i)], want_topped[size_t(i)], 1e-12) << "trial " << trial << " player " << i;
        }
    }
}

TEST(OwenShap, ShapleyValuesWhenTheBudgetCoversEveryCoalition) {
    const sl::SuperpixelTree t = tree(7, {{{0, 1}}, {{7, 2}}, {{3, 4}}, {{9, 5}}, {{8, 10}}, {{11, 6}}});
    EXPECT_EQ(sl::OwenShap::automatic_top_groups(7, 128), 7);
    EXPECT_EQ(sl::OwenShap::automatic_top_groups(7, 127), 4);  // 2^4 <= 127 / 4
    EXPECT_EQ(sl::OwenShap::automatic_top_groups(50, 512), 7);
    EXPECT_EQ(sl::OwenShap::automatic_top_groups(50, 15), 1);
    sl::Rng rng(9);
    std::vector<double> a;
    const Game g = random_game(rng, a);
    const sl::ShapEstimate e = run(t, g, 128);
    EXPECT_TRUE(e.exact);
    EXPECT_EQ(e.evaluations, 128);
    // Every leaf is its own top group: the Owen formula is the Shapley formula.
    const std::vector<double> want = brute_force_owen(t, 7, g, {0, 1, 2, 3, 4, 5, 6});
    for (int i = 0; i < 7; ++i) EXPECT_NEAR(e.phi[size_t(i)], want[size_t(i)], 1e-12) << i;
    for (double s : e.std_error) EXPECT_EQ(s, 0);
}

TEST(OwenShap, ShowsEachCutOfTheTopAsItCompletes) {
    // Additive weights on ((0 1) (2 3)) ((4 5) (6 7)): after 2 evaluations one flat group, after
    // 4 the two halves (their totals spread evenly), after 8 the quarters {4 5}, {6 7} and {0 1 2 3}.
    const std::vector<double> w{1, 1, 2, 0, -1, 3, 0.5, 0.5};
    const Game g = [&](const uint8_t* z) {
        double s = 0;
        for (size_t i = 0; i < w.size(); ++i) s += w[i] * z[i];
        return s;
    };
    std::vector<std::vector<double>> seen;
    run(
        balanced(3), g, 1 << 20, 2, [&](const sl::ShapEstimate& e) { seen.push_back(e.phi); }, 3);
    ASSERT_GE(seen.size(), 4u);
    for (double p : seen[0]) EXPECT_NEAR(p, 7.0 / 8, 1e-12);
    for (int i = 0; i < 8; ++i) EXPECT_NEAR(seen[1][size_t(i)], i < 4 ? 4.0 / 4 : 3.0 / 4, 1e-12) << i;
    EXPECT_EQ(seen[2], seen[1]);  // 6 of cut 3's 8 coalitions known: still cut 2
    for (int i = 0; i < 8; ++i) EXPECT_NEAR(seen[3][size_t(i)], i < 4 ? 1.0 : i < 6 ? 1.0 : 0.5, 1e-12) << i;
}

TEST(OwenShap, EfficientAtEveryStepAndLargestCreditFirst) {
    // 16 players; only player 13 matters. A budget of 32 buys a top of 3 groups ({0..7}, {8..11},
    // {12..15}: 8 evaluations); then the splits must follow player 13: its group {12..15} in each
    // of the 4 coalitions of the others, then {12, 13} in both contexts (3 splits of 2 evaluations
    // per coalition), and then its value is exact, the others 0.
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
    for (int i = 0; i < 16; ++i) {
        if (i != 13) {
            EXPECT_NEAR(e.phi[size_t(i)], 0.0, 1e-12);
        }
    }
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
    EXPECT_FALSE(sl::OwenShap::create(tree(2, {{{0, 1}}}), c).ok());            // players != leaves
    EXPECT_FALSE(sl::OwenShap::create(tree(3, {{{0, 1}}, {{0, 2}}}), c).ok());  // 0 has two parents
    EXPECT_FALSE(sl::OwenShap::create(tree(3, {{{0, 4}}, {{3, 2}}}), c).ok());  // child above its node
    c.budget = 1;
    EXPECT_FALSE(sl::OwenShap::create(tree(3, {{{0, 1}}, {{3, 2}}}), c).ok());
    c.budget = 4;
    EXPECT_FALSE(sl::OwenShap::create(tree(3, {{{0, 1}}, {{3, 2}}}), c, 3).ok());  // 2^3 > budget
    c.budget = 512;
    EXPECT_FALSE(sl::OwenShap::create(tree(3, {{{0, 1}}, {{3, 2}}}), c, 4).ok());  // more groups than players
    EXPECT_FALSE(sl::OwenShap::create(tree(3, {{{0, 1}}, {{3, 2}}}), c, -1).ok());
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
