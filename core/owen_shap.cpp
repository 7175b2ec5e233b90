// core/owen_shap.cpp: Owen values by splitting groups, largest credit first (see owen_shap.h).
#include "core/owen_shap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace sl {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// A group waiting to be split: its node, the context it is valued in (players present),
// f(context) and f(context + group) in the link's units, and the weight of this context.
struct Pending {
    int node = 0;
    std::vector<uint8_t> context;
    std::vector<double> f_without, f_with;
    double weight = 1;
    double priority = 0;  // weight x max over outputs |f_with - f_without|
    long order = 0;       // ties: first queued, first split (deterministic)
};

struct LaterFirst {
    bool operator()(const Pending& a, const Pending& b) const {
        return a.priority != b.priority ? a.priority < b.priority : a.order > b.order;
    }
};

}  // namespace

struct OwenShap::State {
    KernelShapConfig config;
    SuperpixelTree tree;
    std::vector<std::vector<int>> leaves_of;  // per node
    std::vector<Pending> queue;      // a heap (LaterFirst): the largest credit at the front
    std::vector<Pending> splitting;  // the groups of the batch handed out, two rows each
    std::vector<double> credit;      // outputs x players: credit of leaves reached
    CoalitionBatch batch;            // handed out and not answered (rows 0: none)
    long queued = 0;
    bool started = false;            // full and empty evaluated
    ShapEstimate estimate;

    void push(Pending p) {
        const int k = config.outputs;
        if (p.node < tree.leaves) {  // a leaf keeps its credit
            for (int c = 0; c < k; ++c)
                credit[size_t(c) * config.players + p.node] += p.weight * (p.f_with[c] - p.f_without[c]);
            return;
        }
        p.priority = 0;
        for (int c = 0; c < k; ++c) p.priority = std::max(p.priority, p.weight * std::fabs(p.f_with[c] - p.f_without[c]));
        p.order = queued++;
        queue.push_back(std::move(p));
        std::push_heap(queue.begin(), queue.end(), LaterFirst{});
    }

    void add_group(std::vector<uint8_t>& coalition, int node) const {
        for (int leaf : leaves_of[size_t(node)]) coalition[size_t(leaf)] = 1;
    }

    void update();
    bool converged() const {
        return config.tolerance > 0 && estimate.convergence < config.tolerance;
    }
};

Result<OwenShap> OwenShap::create(const SuperpixelTree& tree, const KernelShapConfig& config) {
    const int m = config.players, k = config.outputs;
    if (m < 1 || m > 4096) return fail("Owen values: players must be 1..4096, got " + std::to_string(m));
    if (k < 1 || k > 4096) return fail("Owen values: outputs must be 1..4096, got " + std::to_string(k));
    if (tree.leaves != m || int(tree.children.size()) != m - 1)
        return fail("Owen values: the tree has " + std::to_string(tree.leaves) + " leaves and " +
                    std::to_string(tree.children.size()) + " merges for " + std::to_string(m) + " players");
    std::vector<int> parents(size_t(tree.nodes()), 0);
    for (size_t j = 0; j < tree.children.size(); ++j)
        for (int child : tree.children[j]) {
            if (child < 0 || child >= m + int(j)) return fail("Owen values: the tree's node " + std::to_string(m + j) + " has a child that is not below it");
            ++parents[size_t(child)];
        }
    for (int node = 0; node + 1 < tree.nodes(); ++node)
        if (parents[size_t(node)] != 1) return fail("Owen values: the tree's node " + std::to_string(node) + " has " + std::to_string(parents[size_t(node)]) + " parents");
    if (config.budget < 2) return fail("Owen values: budget must be at least 2");
    if (config.batch_size < 1) return fail("Owen values: batch_size must be at least 1");
    if (!std::isfinite(config.tolerance) || config.tolerance < 0) return fail("Owen values: tolerance must be finite and >= 0");

    auto* s = new State;
    s->config = config;
    s->tree = tree;
    s->leaves_of = tree_leaf_sets(tree);
    s->credit.assign(size_t(m) * k, 0.0);
    ShapEstimate& e = s->estimate;
    e.players = m, e.outputs = k;
    e.phi.assign(size_t(m) * k, 0.0);
    e.std_error.assign(size_t(m) * k, infinity);
    e.f_full.assign(size_t(k), 0.0);
    e.f_empty.assign(size_t(k), 0.0);
    e.logistic.assign(size_t(k), 0);
    e.convergence = infinity;
    return OwenShap(s);
}

CoalitionBatch OwenShap::next_batch() {
    State& s = *state_;
    const int m = s.config.players;
    if (s.batch.rows > 0 || done()) return s.batch;
    CoalitionBatch& b = s.batch;
    b.players = m;
    if (!s.started) {  // the first batch: the full and the empty coalition
        b.rows = 2;
        b.present.assign(size_t(m), 1);
        b.present.resize(size_t(2) * m, 0);
        return b;
    }
    const int room = std::min(std::max(2, s.config.batch_size), s.config.budget - s.estimate.evaluations);
    while (!s.queue.empty() && b.rows + 2 <= room) {
        std::pop_heap(s.queue.begin(), s.queue.end(), LaterFirst{});
        Pending p = std::move(s.queue.back());
        s.queue.pop_back();
        for (int child : s.tree.children[size_t(p.node - m)]) {
            std::vector<uint8_t> row = p.context;
            s.add_group(row, child);
            b.present.insert(b.present.end(), row.begin(), row.end());
            b.rows += 1;
        }
        s.splitting.push_back(std::move(p));
    }
    return b;
}

Result<void> OwenShap::add_values(std::span<const double> values) {
    State& s = *state_;
    const int m = s.config.players, k = s.config.outputs, rows = s.batch.rows;
    if (rows == 0) return fail("Owen values: values given but no batch is outstanding (call next_batch first)");
    if (values.size() != size_t(rows) * k)
        return fail("Owen values: expected " + std::to_string(rows) + " rows x " + std::to_string(k) +
                    " outputs = " + std::to_string(size_t(rows) * k) + " values, got " + std::to_string(values.size()));
    std::vector<double> v(values.size());
    for (size_t j = 0; j < values.size(); ++j) {
        if (!std::isfinite(values[j])) return fail("Owen values: value " + std::to_string(j) + " is not finite");
        v[j] = link_value(values[j], s.config.link);
    }
    const auto row = [&](int r) { return std::vector<double>(v.begin() + long(r) * k, v.begin() + long(r + 1) * k); };
    if (!s.started) {
        s.started = true;
        s.estimate.f_full = row(0);
        s.estimate.f_empty = row(1);
        s.push({s.tree.root(), std::vector<uint8_t>(size_t(m), 0), row(1), row(0), 1.0});
    } else {
        for (size_t g = 0; g < s.splitting.size(); ++g) {
            Pending& p = s.splitting[g];
            const auto [left, right] = s.tree.children[size_t(p.node - m)];
            std::vector<double> f_left = row(int(2 * g)), f_right = row(int(2 * g + 1));
            std::vector<uint8_t> with_left = p.context, with_right = p.context;
            s.add_group(with_left, left);
            s.add_group(with_right, right);
            const double w = p.weight / 2;
            s.push({left, p.context, p.f_without, f_left, w});
            s.push({right, p.context, p.f_without, f_right, w});
            s.push({left, with_right, f_right, p.f_with, w});
            s.push({right, with_left, f_left, p.f_with, w});
        }
    }
    s.estimate.evaluations += rows;
    s.splitting.clear();
    s.batch = {};
    s.update();
    return {};
}

void OwenShap::State::update() {
    const int m = config.players, k = config.outputs;
    ShapEstimate& e = estimate;
    e.phi = credit;
    std::fill(e.std_error.begin(), e.std_error.end(), 0.0);
    // The queue's groups, in no particular order: their credit spread over their leaves.
    for (const Pending& p : queue) {
        const std::vector<int>& under = leaves_of[size_t(p.node)];
        for (int c = 0; c < k; ++c) {
            const double share = p.weight * (p.f_with[c] - p.f_without[c]) / double(under.size());
            for (int leaf : under) {
                e.phi[size_t(c) * m + leaf] += share;
                e.std_error[size_t(c) * m + leaf] += std::fabs(share);
            }
        }
    }
    e.convergence = 0;
    for (int c = 0; c < k; ++c) {
        const auto phi = std::span(e.phi).subspan(size_t(c) * m, size_t(m));
        const auto se = std::span(e.std_error).subspan(size_t(c) * m, size_t(m));
        const auto [lo, hi] = std::minmax_element(phi.begin(), phi.end());
        const double worst = *std::max_element(se.begin(), se.end());
        e.convergence = std::max(e.convergence, worst == 0 ? 0.0 : *hi > *lo ? worst / (*hi - *lo) : infinity);
    }
    // Owen values are Shapley values when there is no hierarchy to speak of.
    e.exact = queue.empty() && m <= 2;
}

const ShapEstimate& OwenShap::estimate() const { return state_->estimate; }

bool OwenShap::done() const {
    const State& s = *state_;
    if (s.batch.rows > 0) return false;
    if (!s.started) return false;
    return s.queue.empty() || s.estimate.evaluations + 2 > s.config.budget || s.converged();
}

const KernelShapConfig& OwenShap::config() const { return state_->config; }

OwenShap::OwenShap(State* state) : state_(state) {}
OwenShap::OwenShap(OwenShap&& other) noexcept : state_(other.state_) { other.state_ = nullptr; }
OwenShap& OwenShap::operator=(OwenShap&& other) noexcept {
    if (this != &other) {
        delete state_;
        state_ = other.state_;
        other.state_ = nullptr;
    }
    return *this;
}
OwenShap::~OwenShap() { delete state_; }

}  // namespace sl
