// core/explain/prior_shap.cpp: the posterior mean of the Shapley regression around a prior (prior_shap.h).
#include "core/explain/prior_shap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/explain/detail/shap_sampler.h"
#include "core/explain/detail/shap_solver.h"

namespace sl {

struct PriorShap::State {
    KernelShapConfig config;
    PriorShapConfig prior_config;
    detail::ShapPlan plan;
    std::vector<double> prior;  // outputs x players
    int units_handed = 0, units_in = 0;
    int outstanding = 0;         // rows of the batch awaiting values
    std::vector<double> values;  // sampled rows x outputs, link units (rows 0 and 1 of the plan excluded)
    ShapEstimate estimate;

    int players() const { return config.players; }
    int sampled_rows(int units) const { return plan.unit_begin[size_t(units)] - 2; }

    void solve();
};

namespace {

// x = P^-1 y for every column y of `rhs` (n x k, row-major) in place.
void solve_columns(const detail::Cholesky& chol, std::vector<double>& rhs, int n, int k) {
    std::vector<double> col(size_t(n), 0.0);
    for (int j = 0; j < k; ++j) {
        for (int i = 0; i < n; ++i) col[size_t(i)] = rhs[size_t(i) * k + j];
        chol.solve(col.data());
        for (int i = 0; i < n; ++i) rhs[size_t(i) * k + j] = col[size_t(i)];
    }
}

}  // namespace

void PriorShap::State::solve() {
    const int m = players(), outputs = config.outputs;
    const int n = sampled_rows(units_in);
    std::vector<double> w, fpc;
    plan.weights(units_in, w, fpc);
    double wsum = 0;
    for (double x : w) wsum += x;
    for (double& x : w) x *= wsum > 0 ? n / wsum : 0;  // mean 1
    // A = sum w z z' (shared by the outputs).
    std::vector<double> a(size_t(m) * m, 0.0);
    const uint8_t* rows = plan.rows.data() + size_t(2) * m;
    for (int r = 0; r < n; ++r) {
        const uint8_t* z = rows + size_t(r) * m;
        for (int i = 0; i < m; ++i) {
            if (!z[i]) continue;
            for (int j = 0; j < m; ++j)
                if (z[j]) a[size_t(i) * m + j] += w[size_t(r)];
        }
    }
    ShapEstimate& e = estimate;
    for (int c = 0; c < outputs; ++c) {
        const double full = e.f_full[size_t(c)], empty = e.f_empty[size_t(c)], delta = full - empty;
        const double* phi0 = prior.data() + size_t(c) * m;
        double norm2 = 0;
        for (int i = 0; i < m; ++i) norm2 += phi0[i] * phi0[i];
        // The values' mean square: the prior's, or what the samples show (a random coalition's
        // value varies by about a quarter of sum phi^2), whichever is larger, so that a flat or
        // timid prior does not make itself certain.
        double mean = 0, var = 0;
        for (int r = 0; r < n; ++r) mean += values[size_t(r) * outputs + c] - empty;
        if (n > 1) {
            mean /= n;
            for (int r = 0; r < n; ++r)
                var +=
                    (values[size_t(r) * outputs + c] - empty - mean) * (values[size_t(r) * outputs + c] - empty - mean);
            var /= n - 1;
        }
        const double scale2 = std::max({norm2 / m, (delta / m) * (delta / m), 4 * var / m, 1e-12});
        const double tau2 = prior_config.prior_error * prior_config.prior_error * scale2;
        std::vector<double> b(size_t(m), 0.0), y(size_t(n), 0.0);
        for (int r = 0; r < n; ++r) {
            y[size_t(r)] = values[size_t(r) * outputs + c] - empty;
            const uint8_t* z = rows + size_t(r) * m;
            for (int i = 0; i < m; ++i)
                if (z[i]) b[size_t(i)] += w[size_t(r)] * y[size_t(r)];
        }
        // sigma^2: the prior guess, and the plain regression's residuals once they can tell.
        double sigma2 = prior_config.interaction * scale2;
        if (n > m + 2) {
            std::vector<double> plain;
            std::vector<double> se;
            const std::vector<double> gram = detail::weighted_gram(std::span(rows, size_t(n) * m), w, m);
            const std::vector<double> unit_fpc(size_t(units_in), 1.0);
            std::vector<int> begin(size_t(units_in) + 1);
            for (int u = 0; u <= units_in; ++u) begin[size_t(u)] = plan.unit_begin[size_t(u)] - 2;
            const detail::RegressionRows in{m, std::span(rows, size_t(n) * m), w, begin, unit_fpc, gram};
            const double d[1] = {delta};
            detail::solve_kernel_regression(in, y, d, 1, plain, se);
            double rss = 0;
            for (int r = 0; r < n; ++r) {
                double fit = 0;
                const uint8_t* z = rows + size_t(r) * m;
                for (int i = 0; i < m; ++i) fit += z[i] ? plain[size_t(i)] : 0;
                rss += w[size_t(r)] * (y[size_t(r)] - fit) * (y[size_t(r)] - fit);
            }
            const double dof = n - m;
            sigma2 = (m * sigma2 + rss) / (m + dof);
        }
        // P = A / sigma^2 + I / tau^2, and the right-hand sides: q, then 1.
        std::vector<double> p(size_t(m) * m);
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < m; ++j) p[size_t(i) * m + j] = a[size_t(i) * m + j] / sigma2 + (i == j ? 1 / tau2 : 0);
        detail::Cholesky chol;
        const bool ok = chol.factor(p, m);
        (void)ok;  // P is positive definite: the prior's term alone is
        std::vector<double> rhs(size_t(m) * 2);
        for (int i = 0; i < m; ++i) {
            rhs[size_t(i) * 2] = b[size_t(i)] / sigma2 + phi0[i] / tau2;
            rhs[size_t(i) * 2 + 1] = 1;
        }
        solve_columns(chol, rhs, m, 2);
        double sum_q = 0, sum_a = 0;
        for (int i = 0; i < m; ++i) sum_q += rhs[size_t(i) * 2], sum_a += rhs[size_t(i) * 2 + 1];
        const double mu = (delta - sum_q) / sum_a;
        // diag(P^-1): P^-1 column by column.
        std::vector<double> inv(size_t(m) * m, 0.0);
        for (int i = 0; i < m; ++i) inv[size_t(i) * m + i] = 1;
        solve_columns(chol, inv, m, m);
        for (int i = 0; i < m; ++i) {
            const double ai = rhs[size_t(i) * 2 + 1];
            e.phi[size_t(c) * m + i] = rhs[size_t(i) * 2] + mu * ai;
            e.std_error[size_t(c) * m + i] = std::sqrt(std::max(0.0, inv[size_t(i) * m + i] - ai * ai / sum_a));
        }
    }
    e.evaluations = 2 + n;
    e.convergence = 0;
    for (int c = 0; c < outputs; ++c) {
        const auto first = e.phi.begin() + std::ptrdiff_t(c) * m;
        const auto [lo, hi] = std::minmax_element(first, first + m);
        const double range = *hi - *lo;
        const double sd = *std::max_element(e.std_error.begin() + std::ptrdiff_t(c) * m,
                                            e.std_error.begin() + std::ptrdiff_t(c + 1) * m);
        e.convergence = std::max(e.convergence, range > 0 ? sd / range : std::numeric_limits<double>::infinity());
    }
}

Result<void> PriorShap::check(const KernelShapConfig& config, const PriorShapConfig& prior_config) {
    // KernelShap's own checks on the configuration.
    if (auto probe = KernelShap::create({config.players, config.outputs, std::max(config.budget, 2), config.batch_size,
                                         config.tolerance, ShapSampler::leverage, config.link});
        !probe)
        return fail(probe.error());
    if (!(prior_config.prior_error > 0) || !(prior_config.interaction > 0))
        return fail("prior: prior_error and interaction must be above 0");
    return {};
}

Result<PriorShap> PriorShap::create(const KernelShapConfig& config, const PriorShapConfig& prior_config,
                                    std::span<const double> prior, std::span<const double> f_full,
                                    std::span<const double> f_empty) {
    if (auto ok = check(config, prior_config); !ok) return fail(ok.error());
    const size_t m = size_t(config.players), outputs = size_t(config.outputs);
    if (prior.size() != outputs * m || f_full.size() != outputs || f_empty.size() != outputs)
        return fail("prior: expected " + std::to_string(outputs * m) + " prior values and " + std::to_string(outputs) +
                    " values of the full and the empty coalition");
    for (std::span<const double> v : {prior, f_full, f_empty})
        for (double x : v)
            if (!std::isfinite(x)) return fail("prior: a value is not finite");
    auto* s = new State;
    s->config = config;
    s->prior_config = prior_config;
    s->plan = detail::plan_leverage(config.players, std::max(config.budget, 2), config.seed);
    s->prior.assign(prior.begin(), prior.end());
    ShapEstimate& e = s->estimate;
    e.players = config.players;
    e.outputs = config.outputs;
    e.f_full.assign(f_full.begin(), f_full.end());
    e.f_empty.assign(f_empty.begin(), f_empty.end());
    e.logistic.assign(outputs, 0);
    e.phi.assign(outputs * m, 0.0);
    e.std_error.assign(outputs * m, 0.0);
    s->solve();
    return PriorShap(s);
}

CoalitionBatch PriorShap::next_batch() {
    State& s = *state_;
    CoalitionBatch b;
    b.players = s.players();
    if (s.outstanding == 0) {
        if (done()) return b;
        int units = s.units_handed;
        do ++units;
        while (units < s.plan.unit_count() &&
               s.sampled_rows(units + 1) - s.sampled_rows(s.units_handed) <= s.config.batch_size);
        s.outstanding = s.sampled_rows(units) - s.sampled_rows(s.units_handed);
        s.units_handed = units;
    }
    b.rows = s.outstanding;
    const size_t first = size_t(s.plan.unit_begin[size_t(s.units_in)]) * size_t(b.players);
    b.present.assign(s.plan.rows.begin() + std::ptrdiff_t(first),
                     s.plan.rows.begin() + std::ptrdiff_t(first + size_t(b.rows) * b.players));
    return b;
}

Result<void> PriorShap::add_values(std::span<const double> values) {
    State& s = *state_;
    if (s.outstanding == 0) return fail("prior: no batch is waiting for values");
    const size_t want = size_t(s.outstanding) * size_t(s.config.outputs);
    if (values.size() != want)
        return fail("prior: expected " + std::to_string(want) + " values, got " + std::to_string(values.size()));
    for (double v : values)
        if (!std::isfinite(v)) return fail("prior: a value is not finite");
    for (double v : values) s.values.push_back(link_value(v, s.config.link));
    s.units_in = s.units_handed;
    s.outstanding = 0;
    s.solve();
    return {};
}

const ShapEstimate& PriorShap::estimate() const { return state_->estimate; }

bool PriorShap::done() const {
    const State& s = *state_;
    return s.units_in == s.plan.unit_count() || s.estimate.convergence < s.config.tolerance;
}

const KernelShapConfig& PriorShap::config() const { return state_->config; }

PriorShap::PriorShap(State* state) : state_(state) {}
PriorShap::PriorShap(PriorShap&& o) noexcept : state_(o.state_) { o.state_ = nullptr; }
PriorShap& PriorShap::operator=(PriorShap&& o) noexcept {
    std::swap(state_, o.state_);
    return *this;
}
PriorShap::~PriorShap() { delete state_; }

}  // namespace sl
