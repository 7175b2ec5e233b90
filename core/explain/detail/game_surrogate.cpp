// core/explain/detail/game_surrogate.cpp: the surrogate network, its fit and its Shapley values
// (game_surrogate.h).
#include "core/explain/detail/game_surrogate.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

#include "core/base/rng.h"

namespace sl::detail {

namespace {

double det_tanh(double x) {
    if (x > 20) return 1;
    if (x < -20) return -1;
    return 1 - 2 / (det_exp(2 * x) + 1);
}

// Adam's moments for one parameter vector.
struct Adam {
    std::vector<double> m, v;
    explicit Adam(size_t n) : m(n, 0), v(n, 0) {}
    void step(std::vector<double>& p, const std::vector<double>& g, double lr, double c1, double c2) {
        for (size_t k = 0; k < p.size(); ++k) {
            m[k] = 0.9 * m[k] + 0.1 * g[k];
            v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k];
            p[k] -= lr * (m[k] / c1) / (std::sqrt(v[k] / c2) + 1e-8);
        }
    }
};

}  // namespace

double GameSurrogate::output(const double* pre) const {
    double y = b2_;
    for (int j = 0; j < hidden_; ++j) y += w2_[size_t(j)] * det_tanh(pre[j]);
    return y;
}

GameSurrogate GameSurrogate::fit(std::span<const uint8_t> rows, std::span<const double> targets,
                                 std::span<const double> weights, int players, const SurrogateFit& config) {
    const size_t n = targets.size();
    assert(n >= 1 && players >= 1 && config.hidden >= 1 && weights.size() == n);
    assert(rows.size() == n * size_t(players));
    const int h = config.hidden;
    GameSurrogate g;
    g.players_ = players;
    g.hidden_ = h;

    // Targets standardised (the network fits t' = (t - mean) / scale), weights to mean 1.
    double mean = 0, wsum = 0;
    for (size_t r = 0; r < n; ++r) mean += targets[r], wsum += weights[r];
    mean /= double(n);
    double var = 0;
    for (size_t r = 0; r < n; ++r) var += (targets[r] - mean) * (targets[r] - mean);
    const double scale = var > 0 ? std::sqrt(var / double(n)) : 1.0;
    const double wnorm = double(n) / wsum;

    Rng rng(config.seed);
    const double a1 = std::sqrt(6.0 / double(players + h)), a2 = std::sqrt(6.0 / double(h + 1));
    g.w1_.resize(size_t(h) * size_t(players));
    for (double& w : g.w1_) w = (2 * rng.uniform() - 1) * a1;
    g.b1_.assign(size_t(h), 0.0);
    g.w2_.resize(size_t(h));
    for (double& w : g.w2_) w = (2 * rng.uniform() - 1) * a2;
    double b2 = 0;

    std::vector<double> gw1(g.w1_.size()), gb1(size_t(h), 0.0), gw2(size_t(h), 0.0);
    Adam aw1{g.w1_.size()}, ab1{size_t(h)}, aw2{size_t(h)};
    double mb2 = 0, vb2 = 0;
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t(0));
    std::vector<double> act(size_t(h), 0.0);
    double c1 = 1, c2 = 1;  // 1 - beta^t
    for (int epoch = 0; epoch < config.epochs; ++epoch) {
        shuffle(std::span<size_t>(order), rng);
        for (size_t start = 0; start < n; start += size_t(config.batch)) {
            const size_t end = std::min(n, start + size_t(config.batch));
            const double inv = 1.0 / double(end - start);
            std::fill(gw1.begin(), gw1.end(), 0.0);
            std::fill(gb1.begin(), gb1.end(), 0.0);
            std::fill(gw2.begin(), gw2.end(), 0.0);
            double gb2 = 0;
            for (size_t k = start; k < end; ++k) {
                const size_t r = order[k];
                const uint8_t* z = rows.data() + r * size_t(players);
                double y = b2;
                for (int j = 0; j < h; ++j) {
                    double p = g.b1_[size_t(j)];
                    const double* wj = g.w1_.data() + size_t(j) * size_t(players);
                    for (int i = 0; i < players; ++i)
                        if (z[i]) p += wj[i];
                    act[size_t(j)] = det_tanh(p);
                    y += g.w2_[size_t(j)] * act[size_t(j)];
                }
                const double err = 2 * weights[r] * wnorm * (y - (targets[r] - mean) / scale) * inv;
                gb2 += err;
                for (int j = 0; j < h; ++j) {
                    gw2[size_t(j)] += err * act[size_t(j)];
                    const double d = err * g.w2_[size_t(j)] * (1 - act[size_t(j)] * act[size_t(j)]);
                    gb1[size_t(j)] += d;
                    double* gj = gw1.data() + size_t(j) * size_t(players);
                    for (int i = 0; i < players; ++i)
                        if (z[i]) gj[i] += d;
                }
            }
            for (size_t k = 0; k < gw1.size(); ++k) gw1[k] += 2 * config.l2 * g.w1_[k];
            for (int j = 0; j < h; ++j) gw2[size_t(j)] += 2 * config.l2 * g.w2_[size_t(j)];
            c1 *= 0.9;
            c2 *= 0.999;
            aw1.step(g.w1_, gw1, config.learning_rate, 1 - c1, 1 - c2);
            ab1.step(g.b1_, gb1, config.learning_rate, 1 - c1, 1 - c2);
            aw2.step(g.w2_, gw2, config.learning_rate, 1 - c1, 1 - c2);
            mb2 = 0.9 * mb2 + 0.1 * gb2;
            vb2 = 0.999 * vb2 + 0.001 * gb2 * gb2;
            b2 -= config.learning_rate * (mb2 / (1 - c1)) / (std::sqrt(vb2 / (1 - c2)) + 1e-8);
        }
    }
    // Undo the standardisation: g = mean + scale * network.
    for (double& w : g.w2_) w *= scale;
    g.b2_ = mean + scale * b2;
    return g;
}

double GameSurrogate::value(std::span<const uint8_t> z) const {
    assert(z.size() == size_t(players_));
    std::vector<double> pre(b1_);
    for (int j = 0; j < hidden_; ++j) {
        const double* wj = w1_.data() + size_t(j) * size_t(players_);
        for (int i = 0; i < players_; ++i)
            if (z[size_t(i)]) pre[size_t(j)] += wj[i];
    }
    return output(pre.data());
}

double GameSurrogate::value_full() const { return value(std::vector<uint8_t>(size_t(players_), 1)); }
double GameSurrogate::value_empty() const { return output(b1_.data()); }

std::vector<double> GameSurrogate::shapley(int permutations, uint64_t seed) const {
    std::vector<double> phi(size_t(players_), 0.0);
    std::vector<int> order(size_t(players_), 0);
    std::iota(order.begin(), order.end(), 0);
    std::vector<double> pre(size_t(hidden_), 0);
    Rng rng(seed);
    const double empty = value_empty();
    const auto walk = [&](auto first, auto last) {
        pre = b1_;
        double previous = empty;
        for (auto it = first; it != last; ++it) {
            const int i = *it;
            for (int j = 0; j < hidden_; ++j) pre[size_t(j)] += w1_[size_t(j) * size_t(players_) + size_t(i)];
            const double current = output(pre.data());
            phi[size_t(i)] += current - previous;
            previous = current;
        }
    };
    for (int p = 0; p < permutations; ++p) {
        shuffle(std::span<int>(order), rng);
        walk(order.begin(), order.end());
        walk(order.rbegin(), order.rend());
    }
    for (double& v : phi) v /= 2.0 * double(std::max(1, permutations));
    return phi;
}

}  // namespace sl::detail
