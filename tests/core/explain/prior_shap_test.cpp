// tests/core/explain/prior_shap_test.cpp: PriorShap (core/explain/prior_shap.h): the prior alone at budget 2, the
// Shapley values in the limit whatever the prior, a good prior helping a small budget, efficiency
// at every step, uncertainties that cover the truth, determinism, bad input.
#include "core/explain/prior_shap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "core/base/rng.h"

namespace {

using Game = std::function<double(const uint8_t*)>;

// A photo-like game in log-odds units: an additive part and pairwise interactions.
struct TestGame {
    int m;
    std::vector<double> w, a;
    double operator()(const uint8_t* z) const {
        double s = -2;
        for (int i = 0; i < m; ++i) {
            if (!z[i]) continue;
            s += w[size_t(i)];
            for (int j = i + 1; j < m; ++j) s += z[j] ? a[size_t(i) * m + j] : 0;
        }
        return s;
    }
    // Shapley values in closed form: w_i + half of each pair's term.
    std::vector<double> shapley() const {
        std::vector<double> phi(w);
        for (int i = 0; i < m; ++i)
            for (int j = i + 1; j < m; ++j)
                phi[size_t(i)] += a[size_t(i) * m + j] / 2, phi[size_t(j)] += a[size_t(i) * m + j] / 2;
        return phi;
    }
};

TestGame make_game(int m, uint64_t seed) {
    sl::Rng rng(seed);
    TestGame g{m, std::vector<double>(size_t(m), 0.0), std::vector<double>(size_t(m) * m, 0.0)};
    for (int i = 0; i < m; ++i) g.w[size_t(i)] = (i < 4 ? 3.0 : 0.3) * rng.normal();
    for (double& x : g.a) x = 0.25 * rng.normal();
    return g;
}

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

sl::KernelShapConfig config(int m, int budget) {
    sl::KernelShapConfig c;
    c.players = m, c.budget = budget, c.tolerance = 0, c.link = sl::ShapLink::logit, c.batch_size = 16;
    return c;
}

// Runs to the end on the game (values handed over as probabilities, the logit link's input).
sl::ShapEstimate run(const TestGame& g, int budget, const std::vector<double>& prior, uint64_t seed = 1,
                     const std::function<void(const sl::ShapEstimate&)>& each = {}) {
    sl::KernelShapConfig c = config(g.m, budget);
    c.seed = seed;
    std::vector<uint8_t> all(size_t(g.m), 1), none(size_t(g.m), 0);
    const double full = g(all.data()), empty = g(none.data());
    auto shap = sl::PriorShap::create(c, {}, prior, std::vector<double>{full}, std::vector<double>{empty});
    EXPECT_TRUE(shap.ok()) << shap.error();
    if (each) each(shap->estimate());
    while (!shap->done()) {
        const sl::CoalitionBatch b = shap->next_batch();
        std::vector<double> v;
        for (int r = 0; r < b.rows; ++r) v.push_back(sigmoid(g(&b.present[size_t(r) * g.m])));
        EXPECT_TRUE(shap->add_values(v).ok());
        if (each) each(shap->estimate());
    }
    return shap->estimate();
}

double rel_l2(const std::vector<double>& a, const std::vector<double>& b) {
    double d = 0, n = 0;
    for (size_t i = 0; i < a.size(); ++i) d += (a[i] - b[i]) * (a[i] - b[i]), n += b[i] * b[i];
    return std::sqrt(d / n);
}

// The Shapley values plus noise of the given relative size, shifted to keep their sum.
std::vector<double> noisy(const std::vector<double>& phi, double relative, uint64_t seed) {
    sl::Rng rng(seed);
    double norm = 0, sum = 0;
    for (double x : phi) norm += x * x;
    std::vector<double> out(phi);
    for (double& x : out) x += relative * std::sqrt(norm / phi.size()) * rng.normal();
    for (size_t i = 0; i < out.size(); ++i) sum += out[i] - phi[i];
    for (double& x : out) x -= sum / out.size();
    return out;
}

TEST(PriorShap, BudgetTwoIsThePriorWithItsUncertainty) {
    const TestGame g = make_game(20, 1);
    const std::vector<double> prior = noisy(g.shapley(), 0.5, 2);
    const sl::ShapEstimate e = run(g, 2, prior);
    EXPECT_EQ(e.evaluations, 2);
    for (int i = 0; i < 20; ++i) {
        EXPECT_NEAR(e.phi[size_t(i)], prior[size_t(i)], 1e-9);
        EXPECT_GT(e.std_error[size_t(i)], 0);
    }
}

TEST(PriorShap, ConvergesToShapleyValuesWhateverThePrior) {
    const TestGame g = make_game(12, 3);
    const std::vector<double> phi = g.shapley();
    std::vector<double> wrong(phi.rbegin(), phi.rend());  // another order: a badly wrong prior
    EXPECT_GT(rel_l2(wrong, phi), 1.0);
    EXPECT_LT(rel_l2(run(g, 4000, wrong).phi, phi), 0.03);
    EXPECT_LT(rel_l2(run(g, 4000, phi).phi, phi), 0.03);
}

TEST(PriorShap, AGoodPriorHelpsASmallBudgetAndEfficiencyHolds) {
    const TestGame g = make_game(40, 5);
    const std::vector<double> phi = g.shapley();
    std::vector<uint8_t> all(40, 1), none(40, 0);
    const double delta = g(all.data()) - g(none.data());
    double with_prior = 0, flat = 0;
    for (uint64_t seed = 1; seed <= 4; ++seed) {
        const std::vector<double> prior = noisy(phi, 0.8, 10 + seed);
        with_prior += rel_l2(run(g, 64, prior, seed,
                                 [&](const sl::ShapEstimate& e) {
                                     double sum = 0;
                                     for (double x : e.phi) sum += x;
                                     EXPECT_NEAR(sum, delta, 1e-6);
                                 })
                                 .phi,
                             phi);
        flat += rel_l2(run(g, 64, std::vector<double>(40, delta / 40), seed).phi, phi);
        EXPECT_LT(rel_l2(run(g, 512, prior, seed).phi, phi), rel_l2(prior, phi));
    }
    EXPECT_LT(with_prior, 0.85 * flat);
}

TEST(PriorShap, UncertaintiesCoverTheTruth) {
    int covered = 0, total = 0;
    for (uint64_t seed = 1; seed <= 6; ++seed) {
        const TestGame g = make_game(30, 20 + seed);
        const std::vector<double> phi = g.shapley();
        for (int budget : {2, 64, 256}) {
            const sl::ShapEstimate e = run(g, budget, noisy(phi, 0.8, seed), seed);
            for (int i = 0; i < 30; ++i, ++total)
                covered += std::fabs(e.phi[size_t(i)] - phi[size_t(i)]) <= 2 * e.std_error[size_t(i)];
        }
    }
    EXPECT_GT(double(covered) / total, 0.85);
}

TEST(PriorShap, DeterministicAndRefusesBadInput) {
    const TestGame g = make_game(16, 9);
    const std::vector<double> prior = noisy(g.shapley(), 0.5, 1);
    EXPECT_EQ(run(g, 200, prior, 4).phi, run(g, 200, prior, 4).phi);
    const sl::KernelShapConfig c = config(16, 100);
    EXPECT_FALSE(
        sl::PriorShap::create(c, {}, std::vector<double>(15, 0.0), std::vector<double>{1.0}, std::vector<double>{0.0})
            .ok());
    EXPECT_FALSE(sl::PriorShap::create(c, {}, prior, std::vector<double>{NAN}, std::vector<double>{0.0}).ok());
    sl::PriorShapConfig bad;
    bad.prior_error = 0;
    EXPECT_FALSE(sl::PriorShap::create(c, bad, prior, std::vector<double>{1.0}, std::vector<double>{0.0}).ok());
    auto shap = sl::PriorShap::create(c, {}, prior, std::vector<double>{1.0}, std::vector<double>{0.0});
    ASSERT_TRUE(shap.ok());
    EXPECT_FALSE(shap->add_values(std::vector<double>{0.5}).ok());  // no batch outstanding
    const sl::CoalitionBatch b = shap->next_batch();
    EXPECT_FALSE(shap->add_values(std::vector<double>(size_t(b.rows) + 1, 0.5)).ok());
}

}  // namespace
