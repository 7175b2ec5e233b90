// core/explain/reference_shap.cpp: two independent leverage plans, cross-fitted surrogates, the mean and
// its measured precision (reference_shap.h).
#include "core/explain/reference_shap.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/explain/detail/game_surrogate.h"
#include "core/explain/detail/shap_sampler.h"
#include "core/explain/detail/shap_solver.h"

namespace sl {

namespace {

// One subset of a plan's units, gathered for a regression or a fit: rows, weights (each row's
// stratum mass over the subset's own count of that stratum, so any subset of units is an
// unbiased sample of the kernel-weighted population) and unit boundaries.
struct UnitSet {
    std::vector<uint8_t> rows;
    std::vector<double> weights;
    std::vector<int> unit_begin{0};
    std::vector<int> source;  // per row: its row in the reference's storage
};

}  // namespace

struct ReferenceShap::State {
    ReferenceShapConfig config;
    bool exact = false;  // rows are every coalition (2^M <= budget)
    detail::ShapPlan plan[2];
    std::vector<int> unit_row[2];  // per plan unit: its first row in `rows`
    std::vector<uint8_t> rows;     // total() x players, in the order handed out
    std::vector<double> values;    // evaluations() x outputs, link units
    int handed = 0;                // rows handed out
    int outstanding = 0;           // rows of the batch awaiting values

    int total() const { return int(rows.size() / size_t(config.players)); }

    UnitSet gather(int h, std::span<const int> units) const {
        const detail::ShapPlan& p = plan[h];
        const int m = config.players;
        std::vector<int> count(p.stratum_total.size(), 0);
        for (int u : units) ++count[size_t(p.unit_stratum[size_t(u)])];
        UnitSet set;
        for (int u : units) {
            const int s = p.unit_stratum[size_t(u)];
            const double w = 1.0 / (double(s) * double(m - s)) / count[size_t(s)] / (2 * s == m ? 2 : 1);
            const int size = p.unit_begin[size_t(u) + 1] - p.unit_begin[size_t(u)];
            for (int k = 0; k < size; ++k) {
                const int r = unit_row[h][size_t(u)] + k;
                set.rows.insert(set.rows.end(), rows.begin() + size_t(r) * m, rows.begin() + size_t(r + 1) * m);
                set.weights.push_back(w);
                set.source.push_back(r);
            }
            set.unit_begin.push_back(int(set.weights.size()));
        }
        return set;
    }

    // The Shapley regression of targets (one per row of `set`) under sum(phi) = delta.
    std::vector<double> regress(const UnitSet& set, std::span<const double> targets, double delta) const {
        const int m = config.players;
        const std::vector<double> gram = detail::weighted_gram(set.rows, set.weights, m);
        const std::vector<double> fpc(set.unit_begin.size() - 1, 1.0);
        const detail::RegressionRows in{m, set.rows, set.weights, set.unit_begin, fpc, gram};
        std::vector<double> phi, se;
        const double d[1] = {delta};
        detail::solve_kernel_regression(in, targets, d, 1, phi, se);
        return phi;
    }

    // Half h's estimate of output c.
    std::vector<double> solve_half(int h, int c) const {
        const int m = config.players, outputs = config.outputs;
        const double full = values[size_t(c)], empty = values[size_t(outputs + c)];
        const int units = plan[h].unit_count();
        const int folds = std::min(config.folds, std::max(1, units / 2));
        const auto target = [&](int r) { return values[size_t(r) * outputs + c] - empty; };
        std::vector<double> phi(size_t(m), 0.0);
        for (int k = 0; k < folds; ++k) {
            std::vector<int> test, fit;
            for (int u = 0; u < units; ++u) (folds > 1 && u % folds != k ? fit : test).push_back(u);
            const UnitSet t = gather(h, test);
            std::vector<double> y(t.source.size());
            for (size_t i = 0; i < y.size(); ++i) y[i] = target(t.source[i]);
            std::vector<double> part;
            if (fit.empty()) {
                part = regress(t, y, full - empty);
            } else {
                const UnitSet f = gather(h, fit);
                std::vector<double> fy(f.source.size());
                for (size_t i = 0; i < fy.size(); ++i) fy[i] = target(f.source[i]);
                detail::SurrogateFit sf;
                sf.hidden = config.surrogate_hidden;
                sf.epochs = config.surrogate_epochs;
                sf.seed = config.seed * 7919 + uint64_t(((h * folds + k) * outputs + c) + 1);
                const detail::GameSurrogate g = detail::GameSurrogate::fit(f.rows, fy, f.weights, m, sf);
                // The residual game v - g, shifted so that it is 0 where v is at the empty coalition.
                const double g_empty = g.value_empty(), g_full = g.value_full();
                for (size_t i = 0; i < y.size(); ++i)
                    y[i] -= g.value(std::span(t.rows).subspan(i * size_t(m), size_t(m))) - g_empty;
                part = regress(t, y, (full - empty) - (g_full - g_empty));
                const std::vector<double> phi_g = g.shapley(config.surrogate_permutations, sf.seed);
                for (int i = 0; i < m; ++i) part[size_t(i)] += phi_g[size_t(i)];
            }
            for (int i = 0; i < m; ++i) phi[size_t(i)] += part[size_t(i)] / folds;
        }
        return phi;
    }
};

Result<ReferenceShap> ReferenceShap::create(const ReferenceShapConfig& config) {
    const int m = config.players;
    if (m < 1 || m > 4096) return fail("reference: players must be 1..4096, got " + std::to_string(m));
    if (config.outputs < 1 || config.outputs > 64) return fail("reference: outputs must be 1..64");
    if (config.budget < 8) return fail("reference: the budget must be at least 8 evaluations");
    if (double(config.budget) * m > double(1 << 28)) return fail("reference: budget x players exceeds 2^28");
    if (config.batch_size < 1) return fail("reference: batch_size must be at least 1");
    if (config.folds < 1) return fail("reference: folds must be at least 1");
    auto* s = new State;
    s->config = config;
    if (m <= 20 && (int64_t(1) << m) <= config.budget) {
        // Every coalition: full, empty, then the rest by mask.
        s->exact = true;
        const int64_t all = int64_t(1) << m;
        s->rows.assign(size_t(all) * m, 0);
        std::fill(s->rows.begin(), s->rows.begin() + m, uint8_t(1));
        int r = 2;
        for (int64_t mask = 1; mask < all - 1; ++mask, ++r)
            for (int i = 0; i < m; ++i) s->rows[size_t(r) * m + i] = uint8_t((mask >> i) & 1);
        return ReferenceShap(s);
    }
    const int half = (config.budget - 2) / 2;
    for (int h = 0; h < 2; ++h) s->plan[h] = detail::plan_leverage(m, half + 2, config.seed + uint64_t(h));
    s->rows.assign(size_t(m), 1);
    s->rows.resize(size_t(2) * m, 0);
    const int units = std::max(s->plan[0].unit_count(), s->plan[1].unit_count());
    for (int u = 0; u < units; ++u)
        for (int h = 0; h < 2; ++h) {
            const detail::ShapPlan& p = s->plan[h];
            if (u >= p.unit_count()) continue;
            s->unit_row[h].push_back(s->total());
            const auto first = p.rows.begin() + size_t(p.unit_begin[size_t(u)]) * m;
            const auto last = p.rows.begin() + size_t(p.unit_begin[size_t(u) + 1]) * m;
            s->rows.insert(s->rows.end(), first, last);
        }
    return ReferenceShap(s);
}

CoalitionBatch ReferenceShap::next_batch() {
    State& s = *state_;
    CoalitionBatch b;
    b.players = s.config.players;
    if (s.outstanding == 0) s.outstanding = std::min(s.config.batch_size, s.total() - s.handed);
    b.rows = s.outstanding;
    const size_t m = size_t(b.players);
    b.present.assign(s.rows.begin() + size_t(s.handed) * m, s.rows.begin() + size_t(s.handed + b.rows) * m);
    return b;
}

Result<void> ReferenceShap::add_values(std::span<const double> values) {
    State& s = *state_;
    if (s.outstanding == 0) return fail("reference: no batch is waiting for values");
    const size_t want = size_t(s.outstanding) * size_t(s.config.outputs);
    if (values.size() != want)
        return fail("reference: expected " + std::to_string(want) + " values, got " + std::to_string(values.size()));
    for (double v : values)
        if (!std::isfinite(v)) return fail("reference: a value is not finite");
    for (double v : values) s.values.push_back(link_value(v, s.config.link));
    s.handed += s.outstanding;
    s.outstanding = 0;
    return {};
}

bool ReferenceShap::done() const { return state_->handed == state_->total(); }
int ReferenceShap::evaluations() const { return state_->handed; }
int ReferenceShap::total() const { return state_->total(); }

Result<ReferenceValues> ReferenceShap::solve(std::span<const int> only) const {
    const State& s = *state_;
    if (!done()) return fail("reference: not every coalition has its value yet");
    const int m = s.config.players, outputs = s.config.outputs;
    std::vector<uint8_t> wanted(size_t(outputs), only.empty() ? 1 : 0);
    for (int c : only) {
        if (c < 0 || c >= outputs) return fail("reference: no output " + std::to_string(c));
        wanted[size_t(c)] = 1;
    }
    ReferenceValues out;
    out.players = m;
    out.outputs = outputs;
    out.evaluations = s.handed;
    out.exact = s.exact;
    out.f_full.assign(s.values.begin(), s.values.begin() + outputs);
    out.f_empty.assign(s.values.begin() + outputs, s.values.begin() + 2 * outputs);
    out.precision.assign(size_t(outputs), 0.0);
    if (s.exact) {
        // The table by mask: full is row 0, empty row 1, mask k (0 < k < 2^M - 1) row k + 1.
        const int64_t all = int64_t(1) << m;
        std::vector<double> table(size_t(all) * outputs);
        for (int c = 0; c < outputs; ++c) {
            table[size_t(c)] = s.values[size_t(outputs + c)];
            table[size_t(all - 1) * outputs + c] = s.values[size_t(c)];
            for (int64_t mask = 1; mask < all - 1; ++mask)
                table[size_t(mask) * outputs + c] = s.values[size_t(mask + 1) * outputs + c];
        }
        out.phi = detail::shapley_from_table(table, m, outputs);
        out.half_a = out.half_b = out.phi;
        return out;
    }
    out.phi.assign(size_t(outputs) * m, 0.0);
    out.half_a.assign(size_t(outputs) * m, 0.0);
    out.half_b.assign(size_t(outputs) * m, 0.0);
    for (int c = 0; c < outputs; ++c) {
        if (!wanted[size_t(c)]) continue;
        const std::vector<double> a = s.solve_half(0, c), b = s.solve_half(1, c);
        double diff = 0, norm = 0;
        for (int i = 0; i < m; ++i) {
            const size_t k = size_t(c) * m + i;
            out.half_a[k] = a[size_t(i)];
            out.half_b[k] = b[size_t(i)];
            out.phi[k] = (a[size_t(i)] + b[size_t(i)]) / 2;
            diff += (a[size_t(i)] - b[size_t(i)]) * (a[size_t(i)] - b[size_t(i)]);
            norm += out.phi[k] * out.phi[k];
        }
        out.precision[size_t(c)] = norm > 0 ? std::sqrt(diff / norm) / 2 : 0;
    }
    return out;
}

std::span<const uint8_t> ReferenceShap::rows() const {
    return std::span(state_->rows).first(size_t(state_->handed) * size_t(state_->config.players));
}
std::span<const double> ReferenceShap::values() const { return state_->values; }
const ReferenceShapConfig& ReferenceShap::config() const { return state_->config; }

ReferenceShap::ReferenceShap(State* state) : state_(state) {}
ReferenceShap::ReferenceShap(ReferenceShap&& o) noexcept : state_(o.state_) { o.state_ = nullptr; }
ReferenceShap& ReferenceShap::operator=(ReferenceShap&& o) noexcept {
    std::swap(state_, o.state_);
    return *this;
}
ReferenceShap::~ReferenceShap() { delete state_; }

}  // namespace sl
