// tests/core/explain/kernel_shap_test.cpp: KernelShap (core/explain/kernel_shap.h) on games with known Shapley
// values: exact under enumeration, the axioms, exact on pairwise games under paired sampling,
// errors that fall with the budget, honest standard errors, streaming, determinism, bad input.
#include "core/explain/kernel_shap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "core/base/rng.h"
#include "tests/core/explain/brute_force_shapley.h"

namespace {

using brute_force_shapley::brute_force;
using brute_force_shapley::Game;

// Runs the estimator to the end, one callback per output; `each` sees every estimate.
sl::ShapEstimate run(sl::KernelShapConfig c, const std::vector<Game>& outputs,
                     const std::function<void(const sl::ShapEstimate&)>& each = {}) {
    c.outputs = int(outputs.size());
    auto shap = sl::KernelShap::create(c);
    EXPECT_TRUE(shap.ok());
    while (!shap->done()) {
        const sl::CoalitionBatch b = shap->next_batch();
        std::vector<double> v;
        for (int r = 0; r < b.rows; ++r)
            for (const Game& g : outputs) v.push_back(g(&b.present[size_t(r) * c.players]));
        EXPECT_TRUE(shap->add_values(v).ok());
        if (each) each(shap->estimate());
    }
    return shap->estimate();
}

sl::KernelShapConfig config(int players, int budget, uint64_t seed = 1) {
    sl::KernelShapConfig c;
    c.players = players, c.budget = budget, c.seed = seed, c.tolerance = 0;
    return c;
}

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// A photo-like game: v = sigmoid(-1.5 + w'z + z'Az/m), a few strong players, many weak ones.
struct SigmoidGame {
    int m;
    std::vector<double> w, a;
    SigmoidGame(int players, uint64_t seed) : m(players), w(size_t(players)), a(size_t(players) * players) {
        sl::Rng rng(seed);
        for (int i = 0; i < m; ++i) w[size_t(i)] = i < 3 ? 1.5 : i < 5 ? -1.0 : 0.2 * rng.normal();
        for (double& x : a) x = rng.normal();
    }
    double operator()(const uint8_t* z) const {
        double q = -1.5;
        for (int i = 0; i < m; ++i) {
            if (!z[i]) continue;
            q += w[size_t(i)];
            for (int j = 0; j < m; ++j) q += z[j] * a[size_t(i) * m + j] / m;
        }
        return sigmoid(q);
    }
};

// v = bias + w'z + sum_{i<j} a_ij z_i z_j, values far outside [0, 1].
struct QuadraticGame {
    int m;
    std::vector<double> w, a;
    QuadraticGame(int players, uint64_t seed) : m(players), w(size_t(players)), a(size_t(players) * players, 0.0) {
        sl::Rng rng(seed);
        for (double& x : w) x = 3 * rng.normal();
        for (int i = 0; i < m; ++i)
            for (int j = i + 1; j < m; ++j) a[size_t(i) * m + j] = rng.normal();
    }
    double operator()(const uint8_t* z) const {
        double q = 0.5;
        for (int i = 0; i < m; ++i)
            if (z[i]) {
                q += w[size_t(i)];
                for (int j = i + 1; j < m; ++j) q += z[j] * a[size_t(i) * m + j];
            }
        return q;
    }
    std::vector<double> shapley() const {  // w_i + half of each pair term
        std::vector<double> phi = w;
        for (int i = 0; i < m; ++i)
            for (int j = i + 1; j < m; ++j)
                phi[size_t(i)] += a[size_t(i) * m + j] / 2, phi[size_t(j)] += a[size_t(i) * m + j] / 2;
        return phi;
    }
};

double relative_error(const std::vector<double>& phi, const std::vector<double>& ref, int output = 0) {
    double d = 0, n = 0;
    for (size_t i = 0; i < ref.size(); ++i) {
        const double e = phi[output * ref.size() + i] - ref[i];
        d += e * e, n += ref[i] * ref[i];
    }
    return std::sqrt(d / n);
}

const sl::ShapSampler both_samplers[] = {sl::ShapSampler::leverage, sl::ShapSampler::kernel};

}  // namespace

TEST(KernelShap, ExactOnAdditiveGameByEnumeration) {
    const std::vector<double> w = {0.5, -1, 2, 0, 0.25, 3, -0.75, 1e-3};
    const Game additive = [&](const uint8_t* z) {
        double v = 7;
        for (int i = 0; i < 8; ++i) v += z[i] * w[size_t(i)];
        return v;
    };
    for (sl::ShapSampler s : both_samplers) {
        sl::KernelShapConfig c = config(8, 256);
        c.sampler = s;
        const sl::ShapEstimate e = run(c, {additive});
        EXPECT_TRUE(e.exact);
        EXPECT_EQ(e.evaluations, 256);
        for (int i = 0; i < 8; ++i) EXPECT_NEAR(e.phi[size_t(i)], w[size_t(i)], 1e-12);
        EXPECT_EQ(e.convergence, 0);
        EXPECT_EQ(e.std_error[3], 0);
    }
}

TEST(KernelShap, ExactOnPairwiseAndNonlinearGamesByEnumeration) {
    const QuadraticGame quadratic(10, 3);
    // An arbitrary game: a random table of 2^12 values.
    std::vector<double> table(4096);
    sl::Rng rng(5);
    for (double& t : table) t = rng.normal();
    const Game nonlinear = [&](const uint8_t* z) {
        uint32_t mask = 0;
        for (int i = 0; i < 12; ++i) mask |= uint32_t(z[i]) << i;
        return table[mask];
    };
    const SigmoidGame sig(11, 7);
    for (sl::ShapSampler s : both_samplers) {
        sl::KernelShapConfig c = config(10, 1024);
        c.sampler = s;
        const std::vector<double> ref = quadratic.shapley();
        const sl::ShapEstimate e = run(c, {quadratic});
        ASSERT_TRUE(e.exact);
        for (int i = 0; i < 10; ++i) EXPECT_NEAR(e.phi[size_t(i)], ref[size_t(i)], 1e-9);

        c = config(12, 5000);  // more than 2^12: the rest of the budget is not used
        c.sampler = s;
        const std::vector<double> ref12 = brute_force(12, nonlinear);
        const sl::ShapEstimate e12 = run(c, {nonlinear});
        ASSERT_TRUE(e12.exact);
        EXPECT_EQ(e12.evaluations, 4096);
        for (int i = 0; i < 12; ++i) EXPECT_NEAR(e12.phi[size_t(i)], ref12[size_t(i)], 1e-9);

        c = config(11, 2048);
        c.sampler = s;
        const std::vector<double> ref11 = brute_force(11, std::cref(sig));
        const sl::ShapEstimate e11 = run(c, {std::cref(sig)});
        ASSERT_TRUE(e11.exact);
        for (int i = 0; i < 11; ++i) EXPECT_NEAR(e11.phi[size_t(i)], ref11[size_t(i)], 1e-9);
    }
}

TEST(KernelShap, AxiomsHoldUnderEnumeration) {
    // Players 0 and 1 are symmetric, player 5 is a dummy, and there are strong interactions.
    const Game g = [](const uint8_t* z) {
        return std::sin(1.0 * z[0] + z[1] + 2.0 * z[2] * z[3] - z[4]) + 3 * (z[0] && z[1] && z[4]) + 0.3 * z[6];
    };
    const sl::ShapEstimate e = run(config(7, 128), {g});
    ASSERT_TRUE(e.exact);
    double sum = 0;
    for (double p : e.phi) sum += p;
    const std::vector<uint8_t> all(7, 1), none(7, 0);
    EXPECT_NEAR(sum, g(all.data()) - g(none.data()), 1e-12);
    EXPECT_NEAR(e.phi[0], e.phi[1], 1e-12);
    EXPECT_NEAR(e.phi[5], 0, 1e-12);
    EXPECT_NEAR(e.phi[6], 0.3, 1e-12);
}

TEST(KernelShap, EfficiencyHoldsAfterEveryBatchForEveryOutput) {
    const SigmoidGame g(50, 11);
    const Game p = std::cref(g), q = [&](const uint8_t*z) { return 1 - g(z); };
    const Game r = [&](const uint8_t* z) { return 40 * g(z) - 3; };  // not a probability
    for (sl::ShapSampler s : both_samplers) {
        sl::KernelShapConfig c = config(50, 512);
        c.sampler = s;
        int batches = 0;
        run(c, {p, q, r}, [&](const sl::ShapEstimate& e) {
            ++batches;
            for (int o = 0; o < 3; ++o) {
                double sum = 0;
                for (int i = 0; i < 50; ++i) sum += e.phi[size_t(o) * 50 + i];
                EXPECT_NEAR(sum, e.f_full[size_t(o)] - e.f_empty[size_t(o)], 1e-9);
            }
        });
        EXPECT_EQ(batches, 16);
    }
}

TEST(KernelShap, PairedSamplingIsExactOnPairwiseGames) {
    // The complementary pair (z, 1 - z) turns a quadratic game's regression into a linear one
    // whose solution is the Shapley value, from any sample that spans the players.
    const QuadraticGame g(40, 13);
    const sl::ShapEstimate e = run(config(40, 300), {std::cref(g)});
    EXPECT_FALSE(e.exact);
    EXPECT_LT(relative_error(e.phi, g.shapley()), 1e-11);
}

TEST(KernelShap, LogitLinkRegressesOnLogOdds) {
    // Probabilities that are a sigmoid of an additive score: in log-odds the game is additive.
    std::vector<double> w(30);
    sl::Rng rng(17);
    for (double& x : w) x = rng.normal();
    const Game g = [&](const uint8_t* z) {
        double q = -0.5;
        for (int i = 0; i < 30; ++i) q += z[i] * w[size_t(i)];
        return sigmoid(q);
    };
    sl::KernelShapConfig c = config(30, 200);
    c.link = sl::ShapLink::logit;
    const sl::ShapEstimate e = run(c, {g});
    EXPECT_LT(relative_error(e.phi, w), 1e-11);
    EXPECT_NEAR(e.f_empty[0], -0.5, 1e-9);
}

TEST(KernelShap, ErrorFallsAsTheBudgetGrows) {
    const SigmoidGame g(16, 19);
    const std::vector<double> ref = brute_force(16, std::cref(g));
    for (sl::ShapSampler s : both_samplers) {
        double previous = 1e9;
        for (int budget : {64, 256, 1024, 4096}) {
            double mean = 0;
            for (uint64_t seed = 1; seed <= 10; ++seed) {
                sl::KernelShapConfig c = config(16, budget, seed);
                c.sampler = s;
                c.batch_size = budget;  // the final estimate does not depend on the batches
                mean += relative_error(run(c, {std::cref(g)}).phi, ref) / 10;
            }
            EXPECT_LT(mean, previous * 0.8) << "sampler " << int(s) << ", budget " << budget;
            previous = mean;
        }
    }
}

TEST(KernelShap, LogisticSurrogateBeatsPlainRegressionOnSigmoidGames) {
    const SigmoidGame g(16, 23);
    const std::vector<double> ref = brute_force(16, std::cref(g));
    double error[2] = {0, 0};
    for (int k = 0; k < 2; ++k)
        for (uint64_t seed = 1; seed <= 10; ++seed) {
            sl::KernelShapConfig c = config(16, 256, seed);
            c.surrogate = k ? sl::ShapSurrogate::logistic : sl::ShapSurrogate::linear;
            const sl::ShapEstimate e = run(c, {std::cref(g)});
            EXPECT_EQ(e.logistic[0], k);
            error[k] += relative_error(e.phi, ref);
        }
    EXPECT_LT(error[1], error[0] / 2);
}

TEST(KernelShap, StandardErrorsCoverTheTrueError) {
    // Within 3 standard errors almost always, and not vacuously wide either.
    const SigmoidGame g(16, 29);
    const std::vector<double> ref = brute_force(16, std::cref(g));
    for (sl::ShapSurrogate surrogate : {sl::ShapSurrogate::logistic, sl::ShapSurrogate::linear}) {
        int inside = 0, count = 0;
        double sq_error = 0, sq_se = 0;
        for (uint64_t seed = 1; seed <= 30; ++seed) {
            sl::KernelShapConfig c = config(16, 256, seed);
            c.surrogate = surrogate;
            const sl::ShapEstimate e = run(c, {std::cref(g)});
            for (int i = 0; i < 16; ++i) {
                const double d = e.phi[size_t(i)] - ref[size_t(i)];
                ASSERT_TRUE(std::isfinite(e.std_error[size_t(i)]));
                inside += std::fabs(d) <= 3 * e.std_error[size_t(i)];
                ++count;
                sq_error += d * d, sq_se += e.std_error[size_t(i)] * e.std_error[size_t(i)];
            }
        }
        EXPECT_GE(inside, 0.93 * count) << "surrogate " << int(surrogate);
        const double ratio = std::sqrt(sq_se / sq_error);
        EXPECT_GT(ratio, 0.7) << "surrogate " << int(surrogate);
        EXPECT_LT(ratio, 2.0) << "surrogate " << int(surrogate);
    }
}

TEST(KernelShap, OutputsShareEvaluationsAndMatchSingleOutputRuns) {
    const SigmoidGame a(20, 31), b(20, 37);
    const QuadraticGame q(20, 41);
    const sl::ShapEstimate joint = run(config(20, 300), {std::cref(a), std::cref(b), std::cref(q)});
    const sl::ShapEstimate only_b = run(config(20, 300), {std::cref(b)});
    const sl::ShapEstimate only_q = run(config(20, 300), {std::cref(q)});
    for (int i = 0; i < 20; ++i) {
        EXPECT_DOUBLE_EQ(joint.phi[size_t(20 + i)], only_b.phi[size_t(i)]);
        EXPECT_DOUBLE_EQ(joint.std_error[size_t(20 + i)], only_b.std_error[size_t(i)]);
        EXPECT_DOUBLE_EQ(joint.phi[size_t(40 + i)], only_q.phi[size_t(i)]);
    }
    EXPECT_EQ(joint.logistic, (std::vector<uint8_t>{1, 1, 0}));
}

TEST(KernelShap, SameSeedSameBitsOtherSeedOtherSamples) {
    const SigmoidGame g(30, 43);
    const sl::ShapEstimate x = run(config(30, 256, 5), {std::cref(g)});
    const sl::ShapEstimate y = run(config(30, 256, 5), {std::cref(g)});
    const sl::ShapEstimate z = run(config(30, 256, 6), {std::cref(g)});
    EXPECT_EQ(x.phi, y.phi);
    EXPECT_EQ(x.std_error, y.std_error);
    EXPECT_NE(x.phi, z.phi);
}

TEST(KernelShap, StreamsBatchesFullAndEmptyFirstWithinTheBudget) {
    sl::KernelShapConfig c = config(50, 201);
    c.batch_size = 1;
    auto shap = sl::KernelShap::create(c);
    ASSERT_TRUE(shap.ok());
    EXPECT_FALSE(shap->add_values(std::vector<double>{1.0}).ok());  // nothing outstanding
    sl::CoalitionBatch b = shap->next_batch();
    ASSERT_EQ(b.rows, 2);  // the first batch always holds full and empty
    EXPECT_EQ(b.players, 50);
    for (int i = 0; i < 50; ++i) {
        EXPECT_EQ(b.present[size_t(i)], 1);
        EXPECT_EQ(b.present[size_t(50 + i)], 0);
    }
    EXPECT_EQ(shap->next_batch().present, b.present);  // asking again: the same batch
    EXPECT_FALSE(shap->add_values(std::vector<double>{1.0}).ok());
    EXPECT_FALSE(shap->add_values(std::vector<double>{1.0, NAN}).ok());
    ASSERT_TRUE(shap->add_values(std::vector<double>{0.9, 0.1}).ok());
    EXPECT_EQ(shap->estimate().evaluations, 2);
    EXPECT_NEAR(shap->estimate().phi[7], 0.8 / 50, 1e-15);
    EXPECT_TRUE(std::isinf(shap->estimate().convergence));
    c.batch_size = 32;
    const SigmoidGame g(50, 47);
    int batches = 0;
    const sl::ShapEstimate e = run(c, {std::cref(g)}, [&](const sl::ShapEstimate& est) {
        ++batches;
        // Too few pairs for 50 players: no standard error yet.
        if (est.evaluations < 90) {
            EXPECT_TRUE(std::isinf(est.std_error[0]));
        }
    });
    EXPECT_EQ(e.evaluations, 200);  // 201 - 2 is odd: samples come in pairs
    EXPECT_EQ(batches, 7);
    EXPECT_TRUE(std::isfinite(e.convergence));
}

TEST(KernelShap, StopsEarlyWhenConverged) {
    std::vector<double> w(30);
    sl::Rng rng(53);
    for (double& x : w) x = rng.normal();
    const Game g = [&](const uint8_t* z) {
        double q = -0.3;
        for (int i = 0; i < 30; ++i) q += 0.3 * z[i] * w[size_t(i)];
        return sigmoid(q + 0.2 * z[0] * z[1]);
    };
    sl::KernelShapConfig c = config(30, 4000);
    c.tolerance = 0.01;
    const sl::ShapEstimate e = run(c, {g});
    EXPECT_LT(e.evaluations, 4000);
    EXPECT_LT(e.convergence, 0.01);
    c.sampler = sl::ShapSampler::kernel;  // shap spends its whole budget
    EXPECT_EQ(run(c, {g}).evaluations, 4000);
}

TEST(KernelShap, KernelSamplerEnumeratesTheSizesItsBudgetCoversLikeShap) {
    auto sizes = [](int budget) {
        sl::KernelShapConfig c = config(50, budget);
        c.sampler = sl::ShapSampler::kernel;
        c.batch_size = budget;
        auto shap = sl::KernelShap::create(c);
        const sl::CoalitionBatch b = shap->next_batch();
        std::vector<int> out;
        for (int r = 0; r < b.rows; ++r) {
            int s = 0;
            for (int i = 0; i < 50; ++i) s += b.present[size_t(r) * 50 + i];
            out.push_back(s);
        }
        return out;
    };
    // 510 samples x weight 0.228 of size 1 covers its 100 coalitions; 126 x 0.228 does not.
    for (int budget : {512, 2148}) {
        const std::vector<int> s = sizes(budget);
        EXPECT_EQ(int(s.size()), budget);
        for (int r = 2; r < 102; ++r) EXPECT_EQ(s[size_t(r)], r % 2 ? 49 : 1) << r;
        for (int r = 102; r < budget; ++r) EXPECT_TRUE(s[size_t(r)] > 1 && s[size_t(r)] < 49) << r;
    }
    const std::vector<int> s = sizes(128);
    EXPECT_LT(std::count(s.begin(), s.end(), 1), 50);
}

TEST(KernelShap, RejectsBadConfigurations) {
    auto error = [](auto edit) {
        sl::KernelShapConfig c = config(10, 100);
        edit(c);
        auto r = sl::KernelShap::create(c);
        return r.ok() ? std::string() : r.error();
    };
    EXPECT_EQ(error([](auto&) {}), "");
    EXPECT_NE(error([](auto& c) { c.players = 0; }).find("players"), std::string::npos);
    EXPECT_NE(error([](auto& c) { c.players = 4097; }).find("players"), std::string::npos);
    EXPECT_NE(error([](auto& c) { c.outputs = 0; }).find("outputs"), std::string::npos);
    EXPECT_NE(error([](auto& c) { c.budget = 1; }).find("budget"), std::string::npos);
    EXPECT_NE(error([](auto& c) { c.players = 4096, c.budget = 1 << 20; }).find("too large"), std::string::npos);
    EXPECT_NE(error([](auto& c) { c.batch_size = 0; }).find("batch_size"), std::string::npos);
    EXPECT_NE(error([](auto& c) { c.tolerance = -1; }).find("tolerance"), std::string::npos);
    EXPECT_NE(error([](auto& c) { c.tolerance = NAN; }).find("tolerance"), std::string::npos);
}

TEST(KernelShap, OnePlayerIsExactFromFullAndEmpty) {
    const sl::ShapEstimate e = run(config(1, 2), {[](const uint8_t* z) { return 2.0 + 3 * z[0]; }});
    EXPECT_TRUE(e.exact);
    EXPECT_DOUBLE_EQ(e.phi[0], 3);
}

TEST(KernelShap, RecordedBitsAreTheSameOnEveryBuild) {
    // The sampler, the regression and the surrogate's quadrature use IEEE arithmetic and
    // sl::det_exp only: native and WebAssembly builds must agree to the last bit.
    const SigmoidGame g(24, 59);
    const Game deterministic = [&](const uint8_t* z) {  // the game itself without std::exp
        double q = -1.5;
        for (int i = 0; i < 24; ++i) q += z[i] * g.w[size_t(i)];
        return 1 / (1 + sl::det_exp(-q - 0.3 * z[0] * z[1]));
    };
    uint64_t h = 0xcbf29ce484222325ull;
    for (sl::ShapSampler s : both_samplers) {
        sl::KernelShapConfig c = config(24, 300, 3);
        c.sampler = s;
        const sl::ShapEstimate e = run(c, {deterministic});
        for (const std::vector<double>* v : {&e.phi, &e.std_error})
            for (double x : *v) {
                const uint64_t bits = sl::bit_cast<uint64_t>(x);
                for (int k = 0; k < 8; ++k) h = (h ^ ((bits >> (8 * k)) & 0xff)) * 0x100000001b3ull;
            }
    }
    EXPECT_EQ(h, 15576237472745084673ull);
}
