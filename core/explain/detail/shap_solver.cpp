// core/explain/detail/shap_solver.cpp: the constrained Shapley kernel regression, its sandwich standard
// error and the exact Shapley value of a table (shap_solver.h).
#include "core/explain/detail/shap_solver.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace sl::detail {

bool Cholesky::factor(std::span<const double> a, int n) {
    assert(a.size() == size_t(n) * size_t(n));
    n_ = n;
    l_.assign(a.begin(), a.end());
    for (int j = 0; j < n; ++j) {
        double* lj = &l_[size_t(j) * n];
        double d = lj[j];
        for (int k = 0; k < j; ++k) d -= lj[k] * lj[k];
        if (!(d > 0)) return false;
        d = std::sqrt(d);
        lj[j] = d;
        for (int i = j + 1; i < n; ++i) {
            double* li = &l_[size_t(i) * n];
            double s = li[j];
            for (int k = 0; k < j; ++k) s -= li[k] * lj[k];
            li[j] = s / d;
        }
    }
    return true;
}

void Cholesky::solve(double* b) const {
    const int n = n_;
    for (int i = 0; i < n; ++i) {
        const double* li = &l_[size_t(i) * n];
        double s = b[i];
        for (int k = 0; k < i; ++k) s -= li[k] * b[k];
        b[i] = s / li[i];
    }
    for (int i = n - 1; i >= 0; --i) {
        double s = b[i];
        for (int k = i + 1; k < n; ++k) s -= l_[size_t(k) * n + i] * b[k];
        b[i] = s / l_[size_t(i) * n + i];
    }
}

std::vector<double> weighted_gram(std::span<const uint8_t> rows, std::span<const double> weights, int players) {
    const int d = players + 1;
    const size_t n = weights.size();
    assert(rows.size() == n * size_t(players));
    std::vector<double> g(size_t(d) * d, 0.0);
    std::vector<int> present;
    present.reserve(size_t(d));
    for (size_t k = 0; k < n; ++k) {
        // Binary rows: only the present players' products are non-zero.
        present.assign(1, 0);
        const uint8_t* z = &rows[k * size_t(players)];
        for (int i = 0; i < players; ++i)
            if (z[i]) present.push_back(i + 1);
        const double w = weights[k];
        for (size_t a = 0; a < present.size(); ++a) {
            double* ga = &g[size_t(present[a]) * d];
            for (size_t b = a; b < present.size(); ++b) ga[present[b]] += w;
        }
    }
    for (int i = 0; i < d; ++i)
        for (int j = 0; j < i; ++j) g[size_t(i) * d + j] = g[size_t(j) * d + i];
    return g;
}

void solve_kernel_regression(const RegressionRows& in, std::span<const double> targets, std::span<const double> delta,
                             int outputs, std::vector<double>& phi, std::vector<double>& std_error) {
    const int m = in.players, d = m + 1;
    const size_t n = in.weights.size();
    assert(targets.size() == n * size_t(outputs) && delta.size() == size_t(outputs));
    phi.assign(size_t(outputs) * m, 0.0);
    std_error.assign(size_t(outputs) * m, std::numeric_limits<double>::infinity());

    // A: the players' block of the Gram matrix, plus a ridge far below the data's scale. It only
    // matters while the rows do not yet span every direction: there it holds the undetermined
    // part of phi at the equal split delta / M instead of letting rounding noise decide it.
    std::vector<double> a(size_t(m) * m);
    double trace = 0;
    for (int i = 0; i < m; ++i) {
        for (int j = 0; j < m; ++j) a[size_t(i) * m + j] = in.gram[size_t(i + 1) * d + (j + 1)];
        trace += a[size_t(i) * m + i];
    }
    if (!(trace > 0)) {
        for (int c = 0; c < outputs; ++c)
            for (int i = 0; i < m; ++i) phi[size_t(c) * m + i] = delta[c] / m;
        return;
    }
    // Tiny once the units outnumber the players (its bias is then below the rounding of the
    // data), larger before, where it mostly keeps rounding noise out of the undetermined part.
    Cholesky chol;
    for (double ridge = in.unit_fpc.size() >= size_t(m) ? 1e-13 : 1e-9;; ridge *= 1000) {
        std::vector<double> reg = a;
        for (int i = 0; i < m; ++i) reg[size_t(i) * m + i] += ridge * trace / m;
        if (chol.factor(reg, m)) break;
        assert(ridge < 1);
    }

    // A^-1 explicitly (the sandwich needs C as a matrix), a = A^-1 1, s = 1'a.
    std::vector<double> inv(size_t(m) * m, 0.0);
    for (int j = 0; j < m; ++j) {
        std::vector<double> e(size_t(m), 0.0);
        e[j] = 1;
        chol.solve(e.data());
        for (int i = 0; i < m; ++i) inv[size_t(i) * m + j] = e[i];
    }
    std::vector<double> ainv1(size_t(m), 0.0);
    double s = 0;
    for (int i = 0; i < m; ++i) {
        for (int j = 0; j < m; ++j) ainv1[i] += inv[size_t(i) * m + j];
        s += ainv1[i];
    }
    const size_t units = in.unit_fpc.size();
    size_t sampled = 0;
    for (double f : in.unit_fpc) sampled += f > 0;
    const bool estimable = sampled > size_t(m - 1);
    const double df_scale = estimable ? double(sampled) / double(sampled - size_t(m - 1)) : 0;

    // C = A^-1 - a a' / s: the constrained solution's sensitivity to b; the sandwich is
    // diag(C S C') with S = sum over sampled units of fpc u u'.
    std::vector<double> c_full(size_t(m) * m);
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < m; ++j) c_full[size_t(i) * m + j] = inv[size_t(i) * m + j] - ainv1[i] * ainv1[j] / s;

    std::vector<double> b(m), cb(m), u(m), sigma(size_t(m) * m), row(m);
    for (int c = 0; c < outputs; ++c) {
        std::fill(b.begin(), b.end(), 0.0);
        for (size_t k = 0; k < n; ++k) {
            const double wy = in.weights[k] * targets[k * outputs + c];
            const uint8_t* z = &in.rows[k * size_t(m)];
            for (int i = 0; i < m; ++i)
                if (z[i]) b[i] += wy;
        }
        for (int i = 0; i < m; ++i) {
            cb[i] = 0;
            for (int j = 0; j < m; ++j) cb[i] += c_full[size_t(i) * m + j] * b[j];
        }
        double* ph = &phi[size_t(c) * m];
        for (int i = 0; i < m; ++i) ph[i] = cb[i] + ainv1[i] * delta[c] / s;
        if (!estimable) continue;

        std::fill(sigma.begin(), sigma.end(), 0.0);
        for (size_t g = 0; g < units; ++g) {
            if (!(in.unit_fpc[g] > 0)) continue;
            std::fill(u.begin(), u.end(), 0.0);
            for (int k = in.unit_begin[g]; k < in.unit_begin[g + 1]; ++k) {
                const uint8_t* z = &in.rows[size_t(k) * m];
                double fit = 0;
                for (int i = 0; i < m; ++i)
                    if (z[i]) fit += ph[i];
                const double wr = in.weights[size_t(k)] * (targets[size_t(k) * outputs + c] - fit);
                for (int i = 0; i < m; ++i)
                    if (z[i]) u[i] += wr;
            }
            const double f = in.unit_fpc[g];
            for (int i = 0; i < m; ++i) {
                const double fu = f * u[i];
                double* si = &sigma[size_t(i) * m];
                for (int j = i; j < m; ++j) si[j] += fu * u[j];
            }
        }
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < i; ++j) sigma[size_t(i) * m + j] = sigma[size_t(j) * m + i];
        for (int i = 0; i < m; ++i) {
            // (C S)_i. then its dot with C_i. (C is symmetric).
            const double* ci = &c_full[size_t(i) * m];
            std::fill(row.begin(), row.end(), 0.0);
            for (int j = 0; j < m; ++j) {
                const double cij = ci[j];
                const double* sj = &sigma[size_t(j) * m];
                for (int k = 0; k < m; ++k) row[k] += cij * sj[k];
            }
            double var = 0;
            for (int k = 0; k < m; ++k) var += row[k] * ci[k];
            std_error[size_t(c) * m + i] = std::sqrt(std::max(0.0, var) * df_scale);
        }
    }
}

std::vector<double> shapley_from_table(std::span<const double> values, int players, int outputs) {
    assert(players >= 1 && players <= 30);
    const uint32_t count = uint32_t(1) << players;
    assert(values.size() == size_t(count) * size_t(outputs));
    // weight[s] = s! (M - s - 1)! / M! = 1 / (M C(M - 1, s)), built from the ratio of neighbours.
    std::vector<double> weight(players);
    weight[0] = 1.0 / players;
    for (int s = 1; s < players; ++s) weight[s] = weight[s - 1] * s / double(players - s);
    std::vector<double> phi(size_t(outputs) * players, 0.0);
    for (uint32_t mask = 0; mask < count; ++mask) {
        const int size = __builtin_popcount(mask);
        if (size == players) continue;
        const double w = weight[size_t(size)];
        for (int i = 0; i < players; ++i) {
            if (mask & (uint32_t(1) << i)) continue;
            const uint32_t with = mask | (uint32_t(1) << i);
            for (int c = 0; c < outputs; ++c)
                phi[size_t(c) * players + i] +=
                    w * (values[size_t(with) * outputs + c] - values[size_t(mask) * outputs + c]);
        }
    }
    return phi;
}

}  // namespace sl::detail
