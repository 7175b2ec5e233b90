// core/explain/detail/shap_solver.h: the Shapley kernel regression behind KernelShap: the weighted
// Gram matrix of the coalitions, the least-squares solve under the efficiency constraint with a
// sandwich standard error, and the exact Shapley value of a fully enumerated game.
// Pairs with kernel_shap.cpp (its user), shap_sampler.h (rows, weights, units) and
// shap_surrogate.h (which fits its surrogate on the same Gram matrix).
//
// The regression (Lundberg & Lee 2017; Covert & Lee 2021): rows z_k in {0,1}^M with weights
// w_k and targets y_k = v(z_k) - v(empty); minimise sum_k w_k (y_k - z_k'phi)^2 subject to
// 1'phi = delta = v(full) - v(empty). With A = sum w z z' and b = sum w z y the solution is
//   phi = C b + a delta / (1'a),   a = A^-1 1,   C = A^-1 - a a' / (1'a)
// and its error is C sum_k w_k z_k r_k (r the residuals), so the standard error is the
// sandwich sqrt(diag(C S C')) with S summed over sampling units (a complementary pair is one
// unit: its two rows were drawn together). Everything is plain IEEE arithmetic in a fixed
// order: the same bits natively and in WebAssembly.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace sl::detail {

// Cholesky factorisation of a symmetric positive definite n x n matrix (row-major).
class Cholesky {
public:
    // False when the matrix is not numerically positive definite.
    bool factor(std::span<const double> a, int n);
    // Solves L L' x = b in place.
    void solve(double* b) const;
    int size() const { return n_; }

private:
    std::vector<double> l_;  // lower triangle, row-major n x n
    int n_ = 0;
};

// sum_k w_k x_k x_k' with x_k = (1, z_k): (M + 1) x (M + 1), row-major; index 0 is the
// intercept. rows: n x M bytes (1 = present), weights: n.
std::vector<double> weighted_gram(std::span<const uint8_t> rows, std::span<const double> weights, int players);

// The rows, weights and sampling units of one regression.
struct RegressionRows {
    int players = 0;
    std::span<const uint8_t> rows;     // n x players, 1 = present
    std::span<const double> weights;   // n, > 0
    std::span<const int> unit_begin;   // units + 1: unit u is rows [unit_begin[u], unit_begin[u+1])
    std::span<const double> unit_fpc;  // units: finite-population factor of each unit's
                                       // variance (0: enumerated, no sampling error)
    std::span<const double> gram;      // weighted_gram(rows, weights)
};

// Solves the constrained regression for `outputs` targets at once (they share A):
// targets: n x outputs (row-major), delta: outputs. phi and std_error: outputs x players.
// The standard error is +infinity while the sampled units (fpc > 0) are too few to estimate it
// (no more than players - 1 of them), else the sandwich scaled by n / (n - players + 1).
void solve_kernel_regression(const RegressionRows& in, std::span<const double> targets, std::span<const double> delta,
                             int outputs, std::vector<double>& phi, std::vector<double>& std_error);

// The exact Shapley values of a game given as a table: values[mask * outputs + c] is output c
// of the coalition whose bit i is player i. players <= 30 (2^players rows). Result: outputs x
// players. phi_i = sum over S without i of |S|! (M - |S| - 1)! / M! (v(S + i) - v(S)).
std::vector<double> shapley_from_table(std::span<const double> values, int players, int outputs);

}  // namespace sl::detail
