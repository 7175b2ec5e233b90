// core/explain/detail/game_surrogate.h: a small network fitted to a game's sampled values, whose own
// Shapley values cost no model calls. Pairs with reference_shap.cpp (its user: the reference
// estimates only what the surrogate misses) and shap_solver.h (the residual's regression).
//
//   sl::detail::SurrogateFit fit;                                  // 64 tanh units, Adam
//   sl::detail::GameSurrogate g = sl::detail::GameSurrogate::fit(rows, targets, weights, players, fit);
//   double v = g.value(z);                                         // any coalition, no model call
//   std::vector<double> phi = g.shapley(2000, seed);               // sums to value(all) - value(none)
//
// Why a network: a classifier's output over superpixels is far from additive (on real photos an
// additive fit leaves about a quarter of the game's variance), and the error of a Shapley
// regression comes from that non-additive part alone. A surrogate that carries part of it,
// with its Shapley values computed exactly enough here, leaves the sampled regression only the
// residual: the regression adjustment of Witter et al. (2025). The surrogate need not be right;
// fitted on other samples than those it corrects (cross-fitting), it only changes the variance,
// never what the estimate converges to.
//
// The network: g(z) = b2 + sum_j w2_j tanh(b1_j + sum_i W1_ji z_i), fitted by weighted least
// squares with Adam on minibatches, plus a small L2 penalty. Every random choice comes from
// sl::Rng and tanh from det_exp: the same fit, to the bit, natively and in WebAssembly.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace sl::detail {

struct SurrogateFit {
    int hidden = 64;              // tanh units
    int epochs = 30;              // passes over the rows
    int batch = 64;               // rows per Adam step
    double learning_rate = 0.01;  // Adam's step
    double l2 = 1e-4;             // penalty on the squared weights, per row of the mean loss
    uint64_t seed = 1;            // initial weights and minibatch order
};

class GameSurrogate {
public:
    // rows: n x players bytes (1 = present); targets and weights: n (weights > 0, any scale).
    // n >= 1, players >= 1.
    static GameSurrogate fit(std::span<const uint8_t> rows, std::span<const double> targets,
                             std::span<const double> weights, int players, const SurrogateFit& config);

    int players() const { return players_; }
    // g(z) for one coalition (players bytes).
    double value(std::span<const uint8_t> z) const;
    // g of the full and of the empty coalition.
    double value_full() const;
    double value_empty() const;
    // Shapley values of g from `permutations` random orders and their reverses (antithetic):
    // each order's marginal contributions sum to value_full() - value_empty(), so the result
    // does too, exactly up to rounding. Its sampling error is independent of the model's.
    std::vector<double> shapley(int permutations, uint64_t seed) const;

private:
    int players_ = 0, hidden_ = 0;
    std::vector<double> w1_;  // hidden x players
    std::vector<double> b1_;  // hidden
    std::vector<double> w2_;  // hidden
    double b2_ = 0;
    // Output from hidden pre-activations.
    double output(const double* pre) const;
};

}  // namespace sl::detail
