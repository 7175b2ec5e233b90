// tests/core/explain/reference_shap_test.cpp: ReferenceShap (core/explain/reference_shap.h): exact when the budget
// covers every coalition, close to the Shapley values otherwise with a precision that tells the
// truth about its error, less error with the surrogate than without, deterministic, bad input.
#include "core/explain/reference_shap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "core/base/rng.h"
#include "tests/core/explain/brute_force_shapley.h"

namespace {

using brute_force_shapley::brute_force;
using brute_force_shapley::Game;

sl::ReferenceShapConfig config(int players, int budget, uint64_t seed = 1) {
    sl::ReferenceShapConfig c;
    c.players = players, c.budget = budget, c.seed = seed, c.link = sl::ShapLink::identity;
    c.batch_size = 100;
    return c;
}

sl::ReferenceValues run(const sl::ReferenceShapConfig& c, const Game& v) {
    auto ref = sl::ReferenceShap::create(c);
    EXPECT_TRUE(ref.ok());
    while (!ref->done()) {
        const sl::CoalitionBatch b = ref->next_batch();
        std::vector<double> values;
        for (int r = 0; r < b.rows; ++r) values.push_back(v(&b.present[size_t(r) * c.players]));
        EXPECT_TRUE(ref->add_values(values).ok());
    }
    auto out = ref->solve();
    EXPECT_TRUE(out.ok());
    return *out;
}

// A photo-like game in log-odds: 4 log(sigmoid(-1 + w'z + z'Az/m) + 0.05), far from additive.
Game photo_game(int m, uint64_t seed) {
    sl::Rng rng(seed);
    std::vector<double> w(size_t(m), 0.0), a(size_t(m) * m, 0.0);
    for (int i = 0; i < m; ++i) w[size_t(i)] = (i < 3 ? 2.0 : i < 5 ? -1.5 : 0.2) * (0.5 + rng.uniform());
    for (double& x : a) x = 3 * rng.normal();
    return [=](const uint8_t* z) {
        double s = -1;
        for (int i = 0; i < m; ++i) {
            if (!z[i]) continue;
            s += w[size_t(i)];
            for (int j = 0; j < m; ++j) s += z[j] ? a[size_t(i) * m + j] / m : 0;
        }
        return 4 * std::log(1 / (1 + std::exp(-s)) + 0.05);
    };
}

double rel_l2(const std::vector<double>& a, const std::vector<double>& b) {
    double d = 0, n = 0;
    for (size_t i = 0; i < a.size(); ++i) d += (a[i] - b[i]) * (a[i] - b[i]), n += b[i] * b[i];
    return std::sqrt(d / n);
}

TEST(ReferenceShap, ExactWhenTheBudgetCoversEveryCoalition) {
    const Game v = photo_game(8, 3);
    const sl::ReferenceValues r = run(config(8, 256), v);
    EXPECT_TRUE(r.exact);
    EXPECT_EQ(r.evaluations, 256);
    EXPECT_EQ(r.precision[0], 0);
    const std::vector<double> phi = brute_force(8, v);
    for (int i = 0; i < 8; ++i) EXPECT_NEAR(r.phi[size_t(i)], phi[size_t(i)], 1e-9);
}

TEST(ReferenceShap, CloseToShapleyValuesWithAnHonestPrecision) {
    const int m = 14;
    const Game v = photo_game(m, 5);
    const std::vector<double> phi = brute_force(m, v);
    int honest = 0;
    for (uint64_t seed = 1; seed <= 4; ++seed) {
        const sl::ReferenceValues r = run(config(m, 4000, seed), v);
        EXPECT_FALSE(r.exact);
        const double error = rel_l2(r.phi, phi);
        EXPECT_LT(error, 0.1);
        // The measured precision is an estimate of the error from two halves: within a factor
        // of 3 of the truth almost always.
        honest += error < 3 * r.precision[0] && r.precision[0] < 3 * error;
        double sum = 0;
        for (double x : r.phi) sum += x;
        EXPECT_NEAR(sum, r.f_full[0] - r.f_empty[0], 1e-9);
    }
    EXPECT_GE(honest, 3);
}

// A classifier-like game: the log-odds of a saturating score, mostly interaction where it
// saturates; the surrogate network can carry that, a Shapley regression alone cannot.
Game saturating_game(int m, uint64_t seed) {
    sl::Rng rng(seed);
    std::vector<double> w(size_t(m), 0.0);
    for (double& x : w) x = rng.normal();
    return [=](const uint8_t* z) {
        double s = -2;
        for (int i = 0; i < m; ++i) s += z[i] ? w[size_t(i)] : 0;
        return 6 * std::tanh(s / 2);
    };
}

TEST(ReferenceShap, TheSurrogateLowersTheError) {
    const int m = 16;
    const Game v = saturating_game(m, 9);
    const std::vector<double> phi = brute_force(m, v);
    double with = 0, without = 0;
    for (uint64_t seed = 1; seed <= 3; ++seed) {
        sl::ReferenceShapConfig c = config(m, 2000, seed);
        c.surrogate_epochs = 150;  // this game's saturation takes a closer fit than photos' games
        with += rel_l2(run(c, v).phi, phi);
        c.folds = 1;
        without += rel_l2(run(c, v).phi, phi);
    }
    EXPECT_LT(with, 0.5 * without);
}

TEST(ReferenceShap, SameSeedSameValuesOtherSeedOtherSamples) {
    const Game v = photo_game(20, 2);
    const sl::ReferenceValues a = run(config(20, 600, 7), v), b = run(config(20, 600, 7), v);
    EXPECT_EQ(a.phi, b.phi);
    const sl::ReferenceValues c = run(config(20, 600, 8), v);
    EXPECT_NE(a.phi, c.phi);
}

TEST(ReferenceShap, HandsOutTheBudgetAndKeepsTheSamples) {
    const sl::ReferenceShapConfig c = config(30, 1000);
    auto ref = sl::ReferenceShap::create(c);
    ASSERT_TRUE(ref.ok());
    EXPECT_LE(ref->total(), 1000);
    EXPECT_GE(ref->total(), 990);
    const sl::CoalitionBatch first = ref->next_batch();
    for (int i = 0; i < 30; ++i) {
        EXPECT_EQ(first.present[size_t(i)], 1);
        EXPECT_EQ(first.present[size_t(30 + i)], 0);
    }
    EXPECT_FALSE(ref->solve().ok());
    ASSERT_TRUE(ref->add_values(std::vector<double>(size_t(first.rows), 0.5)).ok());
    EXPECT_EQ(ref->rows().size(), size_t(first.rows) * 30);
    EXPECT_EQ(ref->values().size(), size_t(first.rows));
}

TEST(ReferenceShap, RejectsBadInput) {
    EXPECT_FALSE(sl::ReferenceShap::create(config(0, 100)).ok());
    EXPECT_FALSE(sl::ReferenceShap::create(config(10, 4)).ok());
    sl::ReferenceShapConfig c = config(10, 100);
    c.folds = 0;
    EXPECT_FALSE(sl::ReferenceShap::create(c).ok());
    auto ref = sl::ReferenceShap::create(config(10, 100));
    ASSERT_TRUE(ref.ok());
    EXPECT_FALSE(ref->add_values(std::vector<double>{1.0}).ok());  // no batch outstanding
    const sl::CoalitionBatch b = ref->next_batch();
    EXPECT_FALSE(ref->add_values(std::vector<double>(size_t(b.rows) + 1, 0.0)).ok());
    std::vector<double> bad(size_t(b.rows), 0.0);
    bad[0] = std::nan("");
    EXPECT_FALSE(ref->add_values(bad).ok());
}

}  // namespace
