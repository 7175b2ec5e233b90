// core/explain/kernel_shap.cpp: the streaming KernelSHAP estimator (kernel_shap.h): hands out the rows of
// a coalition plan (detail/shap_sampler.h) batch by batch and re-solves the regression
// (detail/shap_solver.h), after subtracting the surrogate (detail/shap_surrogate.h), whenever
// values come back.
#include "core/explain/kernel_shap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/base/rng.h"
#include "core/explain/detail/shap_sampler.h"
#include "core/explain/detail/shap_solver.h"
#include "core/explain/detail/shap_surrogate.h"

namespace sl {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double logit_eps = 1e-7;  // the logit link's clamp: probabilities within float32 reach

}  // namespace

double link_value(double v, ShapLink link) {
    if (link == ShapLink::identity) return v;
    v = std::clamp(v, logit_eps, 1 - logit_eps);
    return det_log(v / (1 - v));
}

double unlink_value(double v, ShapLink link) { return link == ShapLink::identity ? v : 1 / (1 + det_exp(-v)); }

struct KernelShap::State {
    KernelShapConfig config;
    detail::ShapPlan plan;
    std::vector<double> values;       // received rows x outputs, in the link's units
    std::vector<uint8_t> unit_range;  // outputs: every value so far lies in [0, 1]
    int handed = 0;                   // rows handed out
    int received = 0;                 // rows with values
    bool converged = false;
    ShapEstimate estimate;

    void update();
    void exact_estimate();
};

Result<KernelShap> KernelShap::create(const KernelShapConfig& c) {
    if (c.players < 1 || c.players > 4096)
        return fail("KernelShap: players must be 1 to 4096, got " + std::to_string(c.players));
    if (c.outputs < 1 || c.outputs > 4096)
        return fail("KernelShap: outputs must be 1 to 4096, got " + std::to_string(c.outputs));
    if (c.budget < 2)
        return fail("KernelShap: the budget must allow at least 2 evaluations (full and empty), got " +
                    std::to_string(c.budget));
    if (double(c.budget) * double(c.players) > double(1 << 28))
        return fail("KernelShap: budget x players is too large (" + std::to_string(c.budget) + " x " +
                    std::to_string(c.players) + " > 2^28)");
    if (c.batch_size < 1) return fail("KernelShap: batch_size must be at least 1");
    if (!(c.tolerance >= 0) || !std::isfinite(c.tolerance))
        return fail("KernelShap: tolerance must be a finite number >= 0");

    auto* s = new State;
    s->config = c;
    s->plan = c.sampler == ShapSampler::kernel ? detail::plan_kernel(c.players, c.budget, c.seed)
                                               : detail::plan_leverage(c.players, c.budget, c.seed);
    s->unit_range.assign(size_t(c.outputs), 1);
    ShapEstimate& e = s->estimate;
    e.players = c.players, e.outputs = c.outputs;
    e.phi.assign(size_t(c.players) * c.outputs, 0.0);
    e.std_error.assign(size_t(c.players) * c.outputs, infinity);
    e.f_full.assign(size_t(c.outputs), 0.0);
    e.f_empty.assign(size_t(c.outputs), 0.0);
    e.logistic.assign(size_t(c.outputs), 0);
    e.convergence = infinity;
    return KernelShap(s);
}

CoalitionBatch KernelShap::next_batch() {
    State& s = *state_;
    const int m = s.config.players;
    CoalitionBatch batch;
    batch.players = m;
    if (s.handed == s.received) {
        if (done()) return batch;
        int rows = std::min(s.config.batch_size, s.plan.row_count() - s.handed);
        if (s.handed == 0) rows = std::max(rows, 2);
        s.handed += rows;
    }
    batch.rows = s.handed - s.received;
    const auto first = s.plan.rows.begin() + long(s.received) * m;
    batch.present.assign(first, first + long(batch.rows) * m);
    return batch;
}

Result<void> KernelShap::add_values(std::span<const double> values) {
    State& s = *state_;
    const int k = s.config.outputs, rows = s.handed - s.received;
    if (rows == 0) return fail("KernelShap: values given but no batch is outstanding (call next_batch first)");
    if (values.size() != size_t(rows) * size_t(k))
        return fail("KernelShap: expected " + std::to_string(rows) + " rows x " + std::to_string(k) +
                    " outputs = " + std::to_string(size_t(rows) * k) + " values, got " + std::to_string(values.size()));
    for (size_t j = 0; j < values.size(); ++j)
        if (!std::isfinite(values[j]))
            return fail("KernelShap: value " + std::to_string(j) + " (row " + std::to_string(j / k) + ", output " +
                        std::to_string(j % k) + ") is not finite");
    for (size_t j = 0; j < values.size(); ++j) {
        if (values[j] < 0 || values[j] > 1) s.unit_range[j % k] = 0;
        s.values.push_back(link_value(values[j], s.config.link));
    }
    s.received = s.handed;
    s.update();
    return {};
}

void KernelShap::State::exact_estimate() {
    const int m = config.players, k = config.outputs;
    std::vector<double> table(size_t(k) << m);
    for (int r = 0; r < received; ++r) {
        uint32_t mask = 0;
        for (int i = 0; i < m; ++i)
            if (plan.rows[size_t(r) * m + i]) mask |= uint32_t(1) << i;
        for (int c = 0; c < k; ++c) table[size_t(mask) * k + c] = values[size_t(r) * k + c];
    }
    estimate.phi = detail::shapley_from_table(table, m, k);
    std::fill(estimate.std_error.begin(), estimate.std_error.end(), 0.0);
    std::fill(estimate.logistic.begin(), estimate.logistic.end(), 0);
    estimate.convergence = 0;
    estimate.exact = true;
}

void KernelShap::State::update() {
    const int m = config.players, k = config.outputs;
    ShapEstimate& e = estimate;
    e.evaluations = received;
    std::vector<double> delta(k);
    for (int c = 0; c < k; ++c) {
        e.f_full[c] = values[size_t(c)];
        e.f_empty[c] = values[size_t(k + c)];
        delta[c] = e.f_full[c] - e.f_empty[c];
    }
    if (plan.complete && received == plan.row_count()) return exact_estimate();

    int units = 0;
    while (units < plan.unit_count() && plan.unit_begin[size_t(units) + 1] <= received) ++units;
    std::vector<double> weight, fpc;
    plan.weights(units, weight, fpc);
    const size_t n = weight.size();
    const std::span<const uint8_t> rows(plan.rows.data() + 2 * size_t(m), n * m);
    const std::vector<double> gram = detail::weighted_gram(rows, weight, m);
    double anchor = 0;
    for (double w : weight) anchor = std::max(anchor, w);

    // Per output: the surrogate's exact values and the residual targets for the regression.
    std::vector<double> base(size_t(k) * m, 0.0), targets(n * k), residual_delta(k), column(n);
    for (int c = 0; c < k; ++c) {
        const double v0 = e.f_empty[c], v1 = e.f_full[c];
        for (size_t r = 0; r < n; ++r) targets[r * k + c] = values[(r + 2) * k + c] - v0;
        residual_delta[c] = delta[c];
        e.logistic[c] = 0;
        const bool want = config.sampler == ShapSampler::leverage && config.link == ShapLink::identity &&
                          config.surrogate != ShapSurrogate::linear && unit_range[c] && n > 0;
        if (!want) continue;
        for (size_t r = 0; r < n; ++r) column[r] = values[(r + 2) * k + c];
        const detail::LogisticSurrogate g = detail::fit_logistic(gram, rows, weight, column, m, v1, v0, anchor);
        std::vector<double> phi_g;
        if (!detail::logistic_shapley(g, phi_g)) continue;
        const std::vector<uint8_t> none(size_t(m), 0), all(size_t(m), 1);
        const double g0 = detail::surrogate_value(g, none.data()), g1 = detail::surrogate_value(g, all.data());
        for (size_t r = 0; r < n; ++r)
            targets[r * k + c] = (column[r] - detail::surrogate_value(g, &rows[r * m])) - (v0 - g0);
        residual_delta[c] = (v1 - g1) - (v0 - g0);
        std::copy(phi_g.begin(), phi_g.end(), base.begin() + long(c) * m);
        e.logistic[c] = 1;
    }

    std::vector<double> phi, se;
    detail::RegressionRows in;
    in.players = m, in.rows = rows, in.weights = weight, in.unit_fpc = fpc, in.gram = gram;
    std::vector<int> begin(plan.unit_begin.begin(), plan.unit_begin.begin() + units + 1);
    for (int& b : begin) b -= 2;  // row indices within `rows`
    in.unit_begin = begin;
    detail::solve_kernel_regression(in, targets, residual_delta, k, phi, se);

    e.convergence = 0;
    for (int c = 0; c < k; ++c) {
        double* ph = &e.phi[size_t(c) * m];
        double sum = 0;
        for (int i = 0; i < m; ++i) sum += ph[i] = base[size_t(c) * m + i] + phi[size_t(c) * m + i];
        // Efficiency, exactly: the surrogate's quadrature and the solve each carry rounding.
        for (int i = 0; i < m; ++i) ph[i] += (delta[c] - sum) / m;
        double lo = ph[0], hi = ph[0], worst = 0;
        for (int i = 0; i < m; ++i) {
            lo = std::min(lo, ph[i]), hi = std::max(hi, ph[i]);
            worst = std::max(worst, se[size_t(c) * m + i]);
        }
        std::copy(se.begin() + long(c) * m, se.begin() + long(c + 1) * m, e.std_error.begin() + long(c) * m);
        e.convergence = std::max(e.convergence, worst == 0 ? 0.0 : hi > lo ? worst / (hi - lo) : infinity);
    }
    converged = config.sampler == ShapSampler::leverage && config.tolerance > 0 && e.convergence < config.tolerance;
}

const ShapEstimate& KernelShap::estimate() const { return state_->estimate; }

bool KernelShap::done() const {
    const State& s = *state_;
    if (s.handed != s.received) return false;
    return s.received == s.plan.row_count() || s.converged;
}

const KernelShapConfig& KernelShap::config() const { return state_->config; }

KernelShap::KernelShap(State* state) : state_(state) {}
KernelShap::KernelShap(KernelShap&& other) noexcept : state_(other.state_) { other.state_ = nullptr; }
KernelShap& KernelShap::operator=(KernelShap&& other) noexcept {
    if (this != &other) {
        delete state_;
        state_ = other.state_;
        other.state_ = nullptr;
    }
    return *this;
}
KernelShap::~KernelShap() { delete state_; }

}  // namespace sl
