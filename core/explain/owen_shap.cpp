// core/explain/owen_shap.cpp: Owen values by splitting groups, largest credit first (see owen_shap.h).
#include "core/explain/owen_shap.h"

#include <algorithm>
#include <bit>
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

// The Shapley weight of a coalition of s of the other n - 1 players: s! (n - s - 1)! / n!, by s.
std::vector<double> shapley_weights(int n) {
    std::vector<double> weight(static_cast<size_t>(n));
    double binomial = 1;  // C(n - 1, s)
    for (int size = 0; size < n; ++size) {
        weight[size_t(size)] = 1 / (n * binomial);
        binomial = binomial * (n - 1 - size) / (size + 1);
    }
    return weight;
}

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
    std::vector<Pending> queue;               // a heap (LaterFirst): the largest credit at the front
    std::vector<Pending> splitting;           // the groups of the batch handed out, two rows each
    std::vector<double> credit;               // outputs x players: credit of leaves reached
    CoalitionBatch batch;                     // handed out and not answered (rows 0: none)
    long queued = 0;
    ShapEstimate estimate;

    // The top: the cuts of the tree into 1, 2, ..., K groups (undoing the last merges first);
    // the coalitions of the K groups as bit masks, in the order they are handed out (those of
    // each cut before the next one's), and their values once known (outputs each, link units).
    std::vector<std::vector<int>> cuts;        // cuts[k - 1]: the k nodes of cut k
    std::vector<std::vector<uint32_t>> parts;  // parts[k - 1][j]: cut k's group j as a mask over cut K
    std::vector<uint32_t> order;               // 2^K masks
    size_t handed = 0, answered = 0;           // of order
    std::vector<double> top_value;             // 2^K x outputs, by mask

    int top() const { return int(cuts.size()); }
    int top_done() const {  // the largest cut whose coalitions are all known (cut k: the first 2^k)
        int cut = 0;
        while (cut < top() && answered >= size_t(2) << cut) ++cut;
        return cut;
    }
    bool started() const { return answered > 0; }  // the whole photo and the empty one are known
    bool refining() const { return top_done() == top(); }
    std::vector<uint8_t> coalition(uint32_t mask) const {  // a mask over cut K, as players
        std::vector<uint8_t> z(size_t(config.players), 0);
        for (int g = 0; g < top(); ++g)
            if (mask >> g & 1) add_group(z, cuts.back()[size_t(g)]);
        return z;
    }
    std::vector<double> value(uint32_t mask) const {
        const auto k = size_t(config.outputs);
        return {top_value.begin() + long(mask * k), top_value.begin() + long((mask + 1) * k)};
    }
    void plan_top(int groups);
    std::vector<double> cut_shapley(int cut) const;
    void start_refining();

    void push(Pending p) {
        const int k = config.outputs;
        if (p.node < tree.leaves) {  // a leaf keeps its credit
            for (int c = 0; c < k; ++c)
                credit[size_t(c) * config.players + p.node] += p.weight * (p.f_with[c] - p.f_without[c]);
            return;
        }
        p.priority = 0;
        for (int c = 0; c < k; ++c)
            p.priority = std::max(p.priority, p.weight * std::fabs(p.f_with[c] - p.f_without[c]));
        p.order = queued++;
        queue.push_back(std::move(p));
        std::push_heap(queue.begin(), queue.end(), LaterFirst{});
    }

    void add_group(std::vector<uint8_t>& coalition, int node) const {
        for (int leaf : leaves_of[size_t(node)]) coalition[size_t(leaf)] = 1;
    }

    void update();
    bool converged() const { return config.tolerance > 0 && estimate.convergence < config.tolerance; }
};

int OwenShap::automatic_top_groups(int players, int budget) {
    if (players <= max_top_groups && budget >= 1 << players) return players;
    int groups = 1;
    while (groups < std::min(players, max_top_groups) && budget >= 4 << (groups + 1)) ++groups;
    return groups;
}

Result<OwenShap> OwenShap::create(const SuperpixelTree& tree, const KernelShapConfig& config, int top_groups) {
    const int m = config.players, k = config.outputs;
    if (m < 1 || m > 4096) return fail("Owen values: players must be 1..4096, got " + std::to_string(m));
    if (k < 1 || k > 4096) return fail("Owen values: outputs must be 1..4096, got " + std::to_string(k));
    if (tree.leaves != m || int(tree.children.size()) != m - 1)
        return fail("Owen values: the tree has " + std::to_string(tree.leaves) + " leaves and " +
                    std::to_string(tree.children.size()) + " merges for " + std::to_string(m) + " players");
    std::vector<int> parents(size_t(tree.nodes()), 0);
    for (size_t j = 0; j < tree.children.size(); ++j)
        for (int child : tree.children[j]) {
            if (child < 0 || child >= m + int(j))
                return fail("Owen values: the tree's node " + std::to_string(m + j) +
                            " has a child that is not below it");
            ++parents[size_t(child)];
        }
    for (int node = 0; node + 1 < tree.nodes(); ++node)
        if (parents[size_t(node)] != 1)
            return fail("Owen values: the tree's node " + std::to_string(node) + " has " +
                        std::to_string(parents[size_t(node)]) + " parents");
    if (config.budget < 2) return fail("Owen values: budget must be at least 2");
    if (config.batch_size < 1) return fail("Owen values: batch_size must be at least 1");
    if (!std::isfinite(config.tolerance) || config.tolerance < 0)
        return fail("Owen values: tolerance must be finite and >= 0");
    if (top_groups == 0) top_groups = automatic_top_groups(m, config.budget);
    if (top_groups < 1 || top_groups > std::min(m, max_top_groups) || config.budget < 1 << top_groups)
        return fail("Owen values: top_groups must be 1.." + std::to_string(std::min(m, max_top_groups)) +
                    " with a budget of at least 2^top_groups, got " + std::to_string(top_groups) + " with budget " +
                    std::to_string(config.budget));

    auto* s = new State;
    s->config = config;
    s->tree = tree;
    s->leaves_of = tree_leaf_sets(tree);
    s->credit.assign(size_t(m) * k, 0.0);
    s->plan_top(top_groups);
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
    // The first batch is the whole photo and the empty one, for a first picture at once.
    const int room =
        s.handed == 0 ? 2 : std::min(std::max(2, s.config.batch_size), s.config.budget - s.estimate.evaluations);
    for (; s.handed < s.order.size() && b.rows < room; ++s.handed, ++b.rows) {
        const std::vector<uint8_t> row = s.coalition(s.order[s.handed]);
        b.present.insert(b.present.end(), row.begin(), row.end());
    }
    while (s.refining() && !s.queue.empty() && b.rows + 2 <= room) {
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
    const int top_before = s.top_done();
    if (s.splitting.empty()) {  // coalitions of the top
        for (int r = 0; r < rows; ++r)
            std::copy_n(v.begin() + long(r) * k, k, s.top_value.begin() + long(s.order[s.answered + size_t(r)]) * k);
        s.answered += size_t(rows);
        if (s.answered == size_t(rows)) {  // the first batch
            s.estimate.f_full = s.value(uint32_t(s.order.size() - 1));
            s.estimate.f_empty = s.value(0);
        }
        if (s.refining()) s.start_refining();
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
    if (s.refining() || s.top_done() != top_before) s.update();  // else the picture is unchanged
    return {};
}

void OwenShap::State::update() {
    const int m = config.players, k = config.outputs;
    ShapEstimate& e = estimate;
    std::fill(e.std_error.begin(), e.std_error.end(), 0.0);
    const auto spread = [&](int node, const std::vector<double>& value) {  // over its leaves
        const std::vector<int>& under = leaves_of[size_t(node)];
        for (int c = 0; c < k; ++c) {
            const double share = value[size_t(c)] / double(under.size());
            for (int leaf : under) {
                e.phi[size_t(c) * m + leaf] += share;
                e.std_error[size_t(c) * m + leaf] += std::fabs(share);
            }
        }
    };
    if (refining()) {
        e.phi = credit;
        // The queue's groups, in no particular order: their credit spread over their leaves.
        std::vector<double> pending(static_cast<size_t>(k));
        for (const Pending& p : queue) {
            for (int c = 0; c < k; ++c) pending[size_t(c)] = p.weight * (p.f_with[c] - p.f_without[c]);
            spread(p.node, pending);
        }
    } else {  // the top so far: the largest cut's Shapley values, every group still to be split
        std::fill(e.phi.begin(), e.phi.end(), 0.0);
        const int cut = top_done();
        const std::vector<double> phi = cut_shapley(cut);
        for (int g = 0; g < cut; ++g)
            spread(cuts[size_t(cut - 1)][size_t(g)], {phi.begin() + long(g) * k, phi.begin() + long(g + 1) * k});
    }
    e.convergence = 0;
    for (int c = 0; c < k; ++c) {
        const auto phi = std::span(e.phi).subspan(size_t(c) * m, size_t(m));
        const auto se = std::span(e.std_error).subspan(size_t(c) * m, size_t(m));
        const auto [lo, hi] = std::minmax_element(phi.begin(), phi.end());
        const double worst = *std::max_element(se.begin(), se.end());
        e.convergence = std::max(e.convergence, worst == 0 ? 0.0 : *hi > *lo ? worst / (*hi - *lo) : infinity);
    }
    // Shapley values when the top went down to the superpixels (every coalition evaluated), or
    // when there is no hierarchy to speak of.
    e.exact = refining() && queue.empty() && (top() == m || m <= 2);
}

// Cut k + 1 is cut k with its newest internal node (the last merge not yet undone) replaced by
// its two halves, so every cut's groups are unions of cut K's and one set of masks serves all.
void OwenShap::State::plan_top(int groups) {
    cuts = {{tree.root()}};
    while (top() < groups) {
        std::vector<int> cut = cuts.back();
        const auto newest = std::max_element(cut.begin(), cut.end());
        const auto [left, right] = tree.children[size_t(*newest - tree.leaves)];
        *newest = left;
        cut.push_back(right);
        cuts.push_back(std::move(cut));
    }
    const std::vector<int>& finest = cuts.back();
    std::vector<int> owner(size_t(config.players));  // superpixel -> its group in cut K
    for (size_t g = 0; g < finest.size(); ++g)
        for (int leaf : leaves_of[size_t(finest[g])]) owner[size_t(leaf)] = int(g);
    std::vector<uint8_t> listed(size_t(1) << groups, 0);
    for (const std::vector<int>& cut : cuts) {
        std::vector<uint32_t> masks;
        for (int node : cut) {
            uint32_t mask = 0;
            for (int leaf : leaves_of[size_t(node)]) mask |= 1u << owner[size_t(leaf)];
            masks.push_back(mask);
        }
        // Every coalition of this cut's groups, the whole photo first, then the empty one.
        const uint32_t n = uint32_t(cut.size());
        for (uint32_t s = (1u << n) - 1;; --s) {
            uint32_t mask = 0;
            for (uint32_t j = 0; j < n; ++j)
                if (s >> j & 1) mask |= masks[j];
            if (!listed[mask]) listed[mask] = 1, order.push_back(mask);
            if (s == 0) break;
        }
        parts.push_back(std::move(masks));
    }
    top_value.assign(order.size() * size_t(config.outputs), 0.0);
}

// The Shapley values of cut k's groups (k x outputs), from the values of their coalitions.
std::vector<double> OwenShap::State::cut_shapley(int cut) const {
    const int n = cut, k = config.outputs;
    const std::vector<uint32_t>& part = parts[size_t(n - 1)];
    const std::vector<double> weight = shapley_weights(n);
    std::vector<double> phi(size_t(n) * k, 0.0);
    for (uint32_t s = 0; s < (1u << n); ++s) {
        uint32_t mask = 0;
        for (int j = 0; j < n; ++j)
            if (s >> j & 1) mask |= part[size_t(j)];
        const int size = std::popcount(s);
        for (int g = 0; g < n; ++g) {
            if (s >> g & 1) continue;
            const uint32_t with = mask | part[size_t(g)];
            for (int c = 0; c < k; ++c)
                phi[size_t(g) * k + c] +=
                    weight[size_t(size)] * (top_value[size_t(with) * k + c] - top_value[size_t(mask) * k + c]);
        }
    }
    return phi;
}

// Each of cut K's groups, in each coalition of the others, with its Shapley weight: the Owen
// value's outer level. Splitting them (the queue) divides each group's value among its parts.
void OwenShap::State::start_refining() {
    const int n = top();
    const std::vector<double> weight = shapley_weights(n);
    for (int g = 0; g < n; ++g)
        for (uint32_t mask = 0; mask < (1u << n); ++mask)
            if (!(mask >> g & 1))
                push({cuts.back()[size_t(g)], coalition(mask), value(mask), value(mask | 1u << g),
                      weight[size_t(std::popcount(mask))]});
}

const ShapEstimate& OwenShap::estimate() const { return state_->estimate; }

bool OwenShap::done() const {
    const State& s = *state_;
    if (s.batch.rows > 0) return false;
    if (!s.started()) return false;
    if (!s.refining()) return s.converged();
    return s.queue.empty() || s.estimate.evaluations + 2 > s.config.budget || s.converged();
}

const KernelShapConfig& OwenShap::config() const { return state_->config; }
int OwenShap::top_groups() const { return state_->top(); }

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
