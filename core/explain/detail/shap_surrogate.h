// core/explain/detail/shap_surrogate.h: the cheap surrogate KernelShap subtracts before it samples, and
// the surrogate's exact Shapley values. Pairs with kernel_shap.cpp (its user) and shap_solver.h
// (the Gram matrix the fit reuses).
//
// Why: a classifier's probability over superpixels is roughly a sigmoid of additive evidence.
// The surrogate g(z) = sigmoid(b + u'z), fitted to logit(v) with the regression's own weights,
// carries most of the game; its Shapley values cost no model call; only the residual v - g is
// estimated from the samples (regression adjustment). phi = phi(g) + phi_hat(v - g) is still
// consistent whatever g is: a poor fit only gives back the variance reduction.
//
// phi(g) is computed, not sampled: for player i, by Owen's multilinear extension
//   phi_i = int_0^1 E[g(z_-i + e_i) - g(z_-i)] dt,   z_j ~ Bernoulli(t) independently,
// a polynomial of degree M - 1 in t, so Gauss-Legendre with M/2 nodes is exact (48 nodes past
// M = 94: the integrand is smooth, the error stays below 1e-12). The expectation over the
// Bernoulli sum U = u'z_-i goes through Fourier space, where it is a product:
//   E[s(b + U + u_i) - s(b + U)] = 1/(2 pi) int F(w) e^{iwb} (e^{iwu_i} - 1)/(iw)
//                                  prod_{j != i} (1 - t + t e^{iwu_j}) dw,
// F(w) = pi w / sinh(pi w) being the Fourier transform of the sigmoid's derivative (the
// logistic distribution's characteristic function). The trapezoid rule on w is exact up to
// aliasing (period 2R + 36 for arguments within +-R: below e^-36) and truncation at
// |w| = 12 (e^-37). Cost: about 4 (R + 18) x min(M/2, 48) x 3M complex products.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace sl::detail {

struct LogisticSurrogate {
    double bias = 0;        // b: the log-odds of the empty coalition
    std::vector<double> u;  // per player: its log-odds contribution
};

// Fits logit(v) (v clamped to [1e-6, 1 - 1e-6]) on (1, z) by weighted least squares with a small
// ridge on u. rows/weights/values: the sampled coalitions; gram: weighted_gram(rows, weights);
// the full and empty coalitions enter with weight `anchor_weight`.
LogisticSurrogate fit_logistic(std::span<const double> gram, std::span<const uint8_t> rows,
                               std::span<const double> weights, std::span<const double> values, int players,
                               double v_full, double v_empty, double anchor_weight);

// g(z) = sigmoid(b + u'z) for one coalition (players bytes).
double surrogate_value(const LogisticSurrogate& g, const uint8_t* z);

// The exact Shapley values of g (players values). False, and phi untouched, when the
// surrogate's log-odds span more than +-1000: quadrature would be slow and g is then a step
// function the regression handles as well.
bool logistic_shapley(const LogisticSurrogate& g, std::vector<double>& phi);

// sigmoid(x) with the same bits on every build (sl::det_exp).
double det_sigmoid_d(double x);

}  // namespace sl::detail
