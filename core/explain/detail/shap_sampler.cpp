// core/explain/detail/shap_sampler.cpp: the leverage and the shap-like coalition plans (shap_sampler.h).
// Every random choice comes from sl::Rng, so a seed gives the same plan on every build.
#include "core/explain/detail/shap_sampler.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/base/rng.h"

namespace sl::detail {

namespace {

// C(n, k) in double (+infinity when it overflows, which only ever compares as "very many").
double binomial(int n, int k) {
    k = std::min(k, n - k);
    double c = 1;
    for (int i = 1; i <= k; ++i) c = c * double(n - k + i) / double(i);
    return std::round(c);
}

void push_row(ShapPlan& plan, const std::vector<uint8_t>& z) { plan.rows.insert(plan.rows.end(), z.begin(), z.end()); }

void push_complement(ShapPlan& plan, const std::vector<uint8_t>& z) {
    for (uint8_t b : z) plan.rows.push_back(uint8_t(1 - b));
}

// A uniformly random subset of `size` players: the first `size` places of a partial
// Fisher-Yates shuffle (uniform whatever order `order` is in).
void random_subset(std::vector<int>& order, int size, Rng& rng, std::vector<uint8_t>& z) {
    const int m = int(order.size());
    std::fill(z.begin(), z.end(), uint8_t(0));
    for (int k = 0; k < size; ++k) {
        std::swap(order[k], order[k + int(rng.below(uint64_t(m - k)))]);
        z[order[k]] = 1;
    }
}

// Every subset of `size` players, in lexicographic order; with `with_first`, only those holding
// player 0 (one of each complementary pair of the middle stratum).
void all_subsets(int m, int size, bool with_first, std::vector<std::vector<uint8_t>>& out) {
    std::vector<int> idx(size);
    std::iota(idx.begin(), idx.end(), 0);
    while (true) {
        if (!with_first || idx[0] == 0) {
            std::vector<uint8_t> z(size_t(m), 0);
            for (int i : idx) z[i] = 1;
            out.push_back(std::move(z));
        }
        int k = size - 1;
        while (k >= 0 && idx[k] == m - size + k) --k;
        if (k < 0) break;
        ++idx[k];
        for (int j = k + 1; j < size; ++j) idx[j] = idx[j - 1] + 1;
    }
}

ShapPlan start_plan(PlanKind kind, int players) {
    ShapPlan plan;
    plan.kind = kind;
    plan.players = players;
    plan.rows.assign(size_t(players), 1);      // full
    plan.rows.resize(size_t(2) * players, 0);  // empty
    plan.unit_begin.push_back(2);
    return plan;
}

// Pairs per stratum: equal shares (the middle one half), a stratum the level covers is
// enumerated and its surplus shared by the rest; fractions go to the largest remainders.
std::vector<double> water_fill(const std::vector<double>& total, const std::vector<double>& share, double pairs) {
    const int strata = int(total.size()) - 1;
    std::vector<double> alloc(total.size(), 0.0);
    std::vector<bool> capped(total.size(), false);
    double left = pairs;
    while (true) {
        double shares = 0;
        for (int s = 1; s <= strata; ++s)
            if (!capped[s]) shares += share[s];
        if (shares == 0) break;
        const double level = left / shares;
        bool any = false;
        for (int s = 1; s <= strata; ++s)
            if (!capped[s] && share[s] * level >= total[s]) {
                capped[s] = true, alloc[s] = total[s], left -= total[s], any = true;
            }
        if (any) continue;
        double given = 0;
        std::vector<std::pair<double, int>> remainder;
        for (int s = 1; s <= strata; ++s)
            if (!capped[s]) {
                alloc[s] = std::floor(share[s] * level);
                given += alloc[s];
                remainder.push_back({share[s] * level - alloc[s], s});
            }
        std::sort(remainder.begin(), remainder.end(),
                  [](auto a, auto b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
        for (size_t k = 0; k < remainder.size() && given + 1 <= left; ++k, given += 1) alloc[remainder[k].second] += 1;
        break;
    }
    return alloc;
}

}  // namespace

ShapPlan plan_leverage(int players, int evaluations, uint64_t seed) {
    assert(players >= 1 && evaluations >= 2);
    const int m = players, strata = m / 2;
    ShapPlan plan = start_plan(PlanKind::leverage, m);
    plan.stratum_total.assign(size_t(strata) + 1, 0.0);
    std::vector<double> share(size_t(strata) + 1, 0.0);
    for (int s = 1; s <= strata; ++s) {
        const bool middle = 2 * s == m;
        plan.stratum_total[s] = binomial(m, s) / (middle ? 2 : 1);
        share[s] = middle ? 0.5 : 1.0;
    }
    const std::vector<double> alloc = water_fill(plan.stratum_total, share, double((evaluations - 2) / 2));
    plan.complete = true;
    for (int s = 1; s <= strata; ++s) plan.complete = plan.complete && alloc[s] == plan.stratum_total[s];

    Rng rng(seed);
    std::vector<int> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::vector<std::vector<std::vector<uint8_t>>> chosen(size_t(strata) + 1);
    struct Slot {
        double time;
        int stratum, index;
    };
    std::vector<Slot> slots;
    for (int s = 1; s <= strata; ++s) {
        const int count = int(alloc[s]);
        if (count == 0) continue;
        const bool middle = 2 * s == m;
        auto& list = chosen[size_t(s)];
        if (alloc[s] == plan.stratum_total[s]) {
            all_subsets(m, s, middle, list);
            std::vector<size_t> perm(list.size());
            std::iota(perm.begin(), perm.end(), size_t(0));
            shuffle(std::span<size_t>(perm), rng);
            std::vector<std::vector<uint8_t>> shuffled;
            for (size_t k : perm) shuffled.push_back(std::move(list[k]));
            list = std::move(shuffled);
        } else {
            std::unordered_set<std::string> seen;
            std::vector<uint8_t> z(m);
            while (int(list.size()) < count) {
                random_subset(order, s, rng, z);
                if (middle && !z[0])
                    for (auto& b : z) b = uint8_t(1 - b);
                if (seen.insert(std::string(z.begin(), z.end())).second) list.push_back(z);
            }
        }
        // Jittered even spacing: any prefix of the merged order holds each stratum in proportion.
        for (int j = 0; j < count; ++j) slots.push_back({(j + rng.uniform()) / count, s, j});
    }
    std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
        return a.time < b.time || (a.time == b.time && a.stratum < b.stratum);
    });
    for (const Slot& slot : slots) {
        const auto& z = chosen[size_t(slot.stratum)][size_t(slot.index)];
        push_row(plan, z);
        push_complement(plan, z);
        plan.unit_begin.push_back(plan.row_count());
        plan.unit_stratum.push_back(slot.stratum);
    }
    return plan;
}

ShapPlan plan_kernel(int players, int evaluations, uint64_t seed) {
    assert(players >= 1 && evaluations >= 2);
    const int m = players;
    ShapPlan plan = start_plan(PlanKind::kernel, m);
    plan.kernel_weight.assign(2, 0.0);
    // shap: nsamples = the budget less full and empty, at most 2^M - 2.
    double nsamples = double(evaluations - 2);
    if (m <= 30) nsamples = std::min(nsamples, std::ldexp(1.0, m) - 2);
    const int sizes = m / 2, paired = (m - 1) / 2;  // ceil((M-1)/2), floor((M-1)/2)
    std::vector<double> weight(size_t(sizes) + 1, 0.0);
    double sum = 0;
    for (int s = 1; s <= sizes; ++s) {
        weight[s] = double(m - 1) / (double(s) * double(m - s)) * (s <= paired ? 2 : 1);
        sum += weight[s];
    }
    for (int s = 1; s <= sizes; ++s) weight[s] /= sum;

    auto add_unit = [&](const std::vector<uint8_t>& z, bool pair, double w, int enumerated) {
        push_row(plan, z);
        plan.kernel_weight.push_back(w);
        if (pair) {
            push_complement(plan, z);
            plan.kernel_weight.push_back(w);
        }
        plan.unit_begin.push_back(plan.row_count());
        plan.unit_stratum.push_back(enumerated);
    };

    // Sizes the budget covers, from the outside in.
    int full_sizes = 0;
    double left = nsamples;
    std::vector<double> remaining = weight;
    for (int s = 1; s <= sizes; ++s) {
        const double subsets = binomial(m, s) * (s <= paired ? 2 : 1);
        if (!(left * remaining[s] / subsets >= 1.0 - 1e-8)) break;
        ++full_sizes;
        left -= subsets;
        if (remaining[s] < 1) {
            const double scale = 1 - remaining[s];
            for (double& r : remaining) r /= scale;
        }
        const double w = weight[s] / binomial(m, s) / (s <= paired ? 2 : 1);
        std::vector<std::vector<uint8_t>> list;
        all_subsets(m, s, false, list);
        for (const auto& z : list) add_unit(z, s <= paired, w, 1);
    }
    plan.complete = full_sizes == sizes;
    if (plan.complete) return plan;

    // The rest: sizes drawn by the remaining weights (a pair's two sizes share its weight).
    Rng rng(seed);
    const int fixed_rows = plan.row_count();
    std::vector<double> cdf;
    double total = 0;
    for (int s = full_sizes + 1; s <= sizes; ++s) cdf.push_back(total += weight[s] / (s <= paired ? 2 : 1));
    long samples_left = long(nsamples) - (fixed_rows - 2);
    const long draws = 4 * samples_left;
    std::unordered_map<std::string, int> used;  // a drawn coalition -> its row
    std::vector<int> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::vector<uint8_t> z(m);
    for (long d = 0; d < draws && samples_left > 0; ++d) {
        const double u = rng.uniform() * total;
        const int pick = int(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
        const int size = full_sizes + 1 + std::min(pick, int(cdf.size()) - 1);
        random_subset(order, size, rng, z);
        const auto [it, fresh] = used.try_emplace(std::string(z.begin(), z.end()), plan.row_count());
        const bool pair = size <= paired;
        if (fresh) {
            --samples_left;
            const bool with_complement = pair && samples_left > 0;
            samples_left -= with_complement;
            add_unit(z, with_complement, 1.0, 0);
        } else if (samples_left > 0) {
            plan.kernel_weight[size_t(it->second)] += 1;
            // shap also counts the complement again, at the row after the original.
            const size_t next = size_t(it->second) + 1;
            if (pair && next < plan.kernel_weight.size() &&
                std::equal(z.begin(), z.end(), plan.rows.begin() + long(next) * m,
                           [](uint8_t a, uint8_t b) { return a + b == 1; }))
                plan.kernel_weight[next] += 1;
        }
    }
    double random_weight = 0, weight_left = 0;
    for (size_t k = size_t(fixed_rows); k < plan.kernel_weight.size(); ++k) random_weight += plan.kernel_weight[k];
    for (int s = full_sizes + 1; s <= sizes; ++s) weight_left += weight[s];
    for (size_t k = size_t(fixed_rows); k < plan.kernel_weight.size(); ++k)
        plan.kernel_weight[k] *= weight_left / random_weight;
    return plan;
}

void ShapPlan::weights(int units, std::vector<double>& row_weight, std::vector<double>& unit_fpc) const {
    assert(units >= 0 && units <= unit_count());
    const int rows_in = unit_begin[size_t(units)] - 2;
    row_weight.assign(size_t(rows_in), 0.0);
    unit_fpc.assign(size_t(units), 0.0);
    if (kind == PlanKind::kernel) {
        for (int k = 0; k < rows_in; ++k) row_weight[size_t(k)] = kernel_weight[size_t(k) + 2];
        for (int u = 0; u < units; ++u) unit_fpc[size_t(u)] = unit_stratum[size_t(u)] == 1 ? 0.0 : 1.0;
        return;
    }
    std::vector<int> count(stratum_total.size(), 0);
    for (int u = 0; u < units; ++u) ++count[size_t(unit_stratum[size_t(u)])];
    for (int u = 0; u < units; ++u) {
        const int s = unit_stratum[size_t(u)];
        const bool middle = 2 * s == players;
        // m_s / c_s per row; the middle stratum's pairs hold two rows of the one size.
        const double w = 1.0 / (double(s) * double(players - s)) / count[size_t(s)] / (middle ? 2 : 1);
        for (int k = unit_begin[size_t(u)]; k < unit_begin[size_t(u) + 1]; ++k) row_weight[size_t(k - 2)] = w;
        unit_fpc[size_t(u)] = std::max(0.0, 1.0 - count[size_t(s)] / stratum_total[size_t(s)]);
    }
}

}  // namespace sl::detail
