// core/explain/detail/shap_surrogate.cpp: the logistic-linear surrogate's fit and its exact Shapley
// values by quadrature (shap_surrogate.h). sin, cos and exp are computed from IEEE arithmetic
// only (as core/base/rng.h does for exp), so the values have the same bits on every build.
#include "core/explain/detail/shap_surrogate.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>

#include "core/base/rng.h"
#include "core/explain/detail/shap_solver.h"

namespace sl::detail {

namespace {

constexpr double pi = 3.14159265358979323846;
constexpr double clamp_eps = 1e-6;

struct Complex {
    double re = 0, im = 0;
};
inline Complex mul(Complex a, Complex b) { return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }

// sin and cos: x reduced by pi/2 (fdlibm's three-part Cody-Waite constants), then Taylor series
// on |r| <= pi/4 to r^17 and r^18 (truncation below 1e-19). Accurate while |x| < 1e6.
void det_sincos(double x, double& sin_x, double& cos_x) {
    struct Coefficients {
        double s[9], c[10];  // (-1)^k / (2k + 1)!, (-1)^k / (2k)!
        Coefficients() {
            double f = 1;  // n!, exact in double up to 18!
            for (int n = 0; n <= 18; ++n) {
                if (n > 0) f *= n;
                const double sign = (n / 2) % 2 ? -1.0 : 1.0;
                if (n % 2)
                    s[n / 2] = sign / f;
                else
                    c[n / 2] = sign / f;
            }
        }
    };
    static const Coefficients k;
    constexpr double pio2_1 = 1.57079632673412561417e+00, pio2_2 = 6.07710050630396597660e-11,
                     pio2_3 = 2.02226624871116645580e-21, two_over_pi = 6.36619772367581382433e-01;
    const double n = std::floor(x * two_over_pi + 0.5);
    const double r = ((x - n * pio2_1) - n * pio2_2) - n * pio2_3;
    const double r2 = r * r;
    double ps = k.s[8], pc = k.c[9];
    for (int j = 7; j >= 0; --j) ps = ps * r2 + k.s[j];
    for (int j = 8; j >= 0; --j) pc = pc * r2 + k.c[j];
    const double s = r * ps, c = pc;
    switch (((int64_t(n) % 4) + 4) % 4) {
        case 0:
            sin_x = s, cos_x = c;
            break;
        case 1:
            sin_x = c, cos_x = -s;
            break;
        case 2:
            sin_x = -s, cos_x = -c;
            break;
        default:
            sin_x = -c, cos_x = s;
            break;
    }
}

Complex expi(double x) {
    Complex e;
    det_sincos(x, e.im, e.re);
    return e;
}

// Gauss-Legendre nodes and weights on [0, 1] (Newton on the three-term recurrence).
void gauss_legendre(int n, std::vector<double>& t, std::vector<double>& w) {
    t.assign(size_t(n), 0.0);
    w.assign(size_t(n), 0.0);
    for (int i = 0; i < n; ++i) {
        double x, c;
        det_sincos(pi * (i + 0.75) / (n + 0.5), x, c);
        x = c;  // the classic first guess cos(pi (i + 3/4) / (n + 1/2))
        double dp = 1;
        for (int iter = 0; iter < 100; ++iter) {
            double p0 = 1, p1 = x;
            for (int k = 2; k <= n; ++k) {
                const double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                p0 = p1, p1 = p2;
            }
            dp = n * (x * p1 - p0) / (x * x - 1);
            const double dx = p1 / dp;
            x -= dx;
            if (std::fabs(dx) < 1e-16) break;
        }
        t[size_t(i)] = (1 - x) / 2;
        w[size_t(i)] = 1 / ((1 - x * x) * dp * dp);  // 2 / ((1 - x^2) P'^2), halved for [0, 1]
    }
}

double logit(double v) {
    v = std::clamp(v, clamp_eps, 1 - clamp_eps);
    return det_log(v / (1 - v));
}

}  // namespace

double det_sigmoid_d(double x) {
    if (x >= 0) return 1 / (1 + det_exp(-x));
    const double e = det_exp(x);
    return e / (1 + e);
}

LogisticSurrogate fit_logistic(std::span<const double> gram, std::span<const uint8_t> rows,
                               std::span<const double> weights, std::span<const double> values, int players,
                               double v_full, double v_empty, double anchor_weight) {
    const int m = players, d = m + 1;
    const size_t n = weights.size();
    assert(gram.size() == size_t(d) * d && values.size() == n);
    std::vector<double> g(gram.begin(), gram.end()), rhs(size_t(d), 0.0);
    // The full coalition x = (1, 1, ..., 1), the empty one x = (1, 0, ..., 0).
    for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j) g[size_t(i) * d + j] += anchor_weight;
    g[0] += anchor_weight;
    const double t_full = logit(v_full), t_empty = logit(v_empty);
    for (int i = 0; i < d; ++i) rhs[size_t(i)] += anchor_weight * t_full;
    rhs[0] += anchor_weight * t_empty;
    for (size_t k = 0; k < n; ++k) {
        const double wt = weights[k] * logit(values[k]);
        rhs[0] += wt;
        const uint8_t* z = &rows[k * size_t(m)];
        for (int i = 0; i < m; ++i)
            if (z[i]) rhs[size_t(i) + 1] += wt;
    }
    // A ridge on u keeps the fit defined while the rows are fewer than the players.
    double trace = 0;
    for (int i = 1; i < d; ++i) trace += g[size_t(i) * d + i];
    Cholesky chol;
    for (double ridge = 1e-6;; ridge *= 100) {
        std::vector<double> reg = g;
        for (int i = 1; i < d; ++i) reg[size_t(i) * d + i] += ridge * trace / m;
        if (chol.factor(reg, d)) break;
        assert(ridge < 1e6);
    }
    chol.solve(rhs.data());
    LogisticSurrogate out;
    out.bias = rhs[0];
    out.u.assign(rhs.begin() + 1, rhs.end());
    return out;
}

double surrogate_value(const LogisticSurrogate& g, const uint8_t* z) {
    double x = g.bias;
    for (size_t i = 0; i < g.u.size(); ++i)
        if (z[i]) x += g.u[i];
    return det_sigmoid_d(x);
}

bool logistic_shapley(const LogisticSurrogate& g, std::vector<double>& phi) {
    const int m = int(g.u.size());
    double lo = g.bias, hi = g.bias, umax = 0;
    for (double u : g.u) {
        (u < 0 ? lo : hi) += u;
        umax = std::max(umax, std::fabs(u));
    }
    const double reach = std::max(std::fabs(lo), std::fabs(hi)) + umax;
    if (!(reach <= 1000)) return false;
    const double period = 2 * reach + 36, h = 2 * pi / period;
    const int steps = int(std::ceil(12 / h));
    std::vector<double> t, tw;
    gauss_legendre(std::min(m / 2 + 1, 48), t, tw);

    std::vector<double> sum(size_t(m), 0.0);
    std::vector<Complex> e(m), lead(m), acc(m), pre(m);
    for (int k = 0; k <= steps; ++k) {
        const double w = k * h;
        // lead_i = F(w) e^{iwb} (e^{iwu_i} - 1) / (iw), written as 2 sin(wu_i/2)/w e^{iwu_i/2}
        // to avoid cancellation; at w = 0 it is u_i.
        if (k == 0) {
            for (int i = 0; i < m; ++i) e[size_t(i)] = {1, 0}, lead[size_t(i)] = {g.u[size_t(i)], 0};
        } else {
            const double x = pi * w;
            const double f = x / ((det_exp(x) - det_exp(-x)) / 2);
            const Complex eb = expi(w * g.bias);
            for (int i = 0; i < m; ++i) {
                const double ui = g.u[size_t(i)];
                e[size_t(i)] = expi(w * ui);
                const Complex half = expi(w * ui / 2);
                const double scale = f * 2 * half.im / w;  // half.im = sin(w u_i / 2)
                lead[size_t(i)] = mul(eb, {scale * half.re, scale * half.im});
            }
        }
        // acc_i = sum_t tw_t prod_{j != i} (1 - t + t e_j), by prefix and suffix products.
        std::fill(acc.begin(), acc.end(), Complex{});
        for (size_t q = 0; q < t.size(); ++q) {
            const double tq = t[q], a = 1 - tq;
            Complex p{1, 0};
            for (int j = 0; j < m; ++j) {
                pre[size_t(j)] = p;
                p = mul(p, {a + tq * e[size_t(j)].re, tq * e[size_t(j)].im});
            }
            Complex s{tw[q], 0};
            for (int j = m - 1; j >= 0; --j) {
                const Complex v = mul(pre[size_t(j)], s);
                acc[size_t(j)].re += v.re, acc[size_t(j)].im += v.im;
                s = mul(s, {a + tq * e[size_t(j)].re, tq * e[size_t(j)].im});
            }
        }
        const double c = k == 0 ? 0.5 : 1.0;
        for (int i = 0; i < m; ++i) sum[size_t(i)] += c * mul(lead[size_t(i)], acc[size_t(i)]).re;
    }
    phi.resize(size_t(m));
    for (int i = 0; i < m; ++i) phi[size_t(i)] = sum[size_t(i)] * h / pi;
    return true;
}

}  // namespace sl::detail
