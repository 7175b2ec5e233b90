// core/explain/detail/shap_sampler.h: which coalitions KernelShap asks for, in which order, and the
// weight each carries in the Shapley kernel regression. Pairs with kernel_shap.cpp (its user)
// and shap_solver.h (which takes the rows, weights and units).
//
// A plan is fixed when KernelShap is created: row 0 is the full coalition, row 1 the empty one,
// then sampling units (a coalition and its complement, or a single coalition) in the order they
// are handed out. Two designs:
//
// leverage (santa-lens): strata are the size pairs {s, M - s}. Leverage scores of the Shapley
//   regression (Musco & Witter 2024) give every size the same total mass, so every stratum gets
//   the same number of pairs (the middle one, s = M/2, half as many: a pair of it holds two
//   coalitions of that size); a stratum the budget covers is enumerated and what it does not
//   need goes to the others (water-filling), which is shap's complete enumeration of small
//   sizes. Pairs within a stratum are distinct (drawn without replacement). The strata are
//   interleaved at random so that every prefix of the plan is a balanced sample too: a row of
//   size s weighs m_s / (pairs of its stratum so far), m_s = 1 / (s (M - s)), which makes any
//   prefix an unbiased sample of the kernel-weighted population. When the budget covers all
//   2^M coalitions the plan is the whole game.
//
// kernel (shap's KernelExplainer, 0.49): sizes weighted (M - 1) / (s (M - s)), sizes the budget
//   covers enumerated from the outside in, the rest drawn with replacement (a repeat adds 1 to
//   its row's weight) in complementary pairs, the random rows' weights scaled to the mass left.
//   The weights are those of the whole budget, as shap computes them before its single solve.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sl::detail {

enum class PlanKind { leverage, kernel };

struct ShapPlan {
    PlanKind kind = PlanKind::leverage;
    int players = 0;
    std::vector<uint8_t> rows;          // row_count() x players, 1 = present; 0 full, 1 empty
    std::vector<int> unit_begin;        // units + 1: unit u is rows [unit_begin[u], unit_begin[u+1])
    std::vector<int> unit_stratum;      // per unit: leverage: s (its smaller size); kernel: 0 random,
                                        // 1 enumerated
    std::vector<double> stratum_total;  // leverage, per s (index 0 unused): pairs in the stratum
    std::vector<double> kernel_weight;  // kernel: shap's weight of each row (0, 1: unused)
    bool complete = false;              // the plan holds all 2^M coalitions: the result is exact

    int row_count() const { return int(rows.size() / std::size_t(players)); }
    int unit_count() const { return int(unit_stratum.size()); }

    // Regression weights of rows 2 .. unit_begin[units] and the finite-population factor of each
    // unit, for the first `units` units (those with every value in).
    void weights(int units, std::vector<double>& row_weight, std::vector<double>& unit_fpc) const;
};

// evaluations: the budget, full and empty included (>= 2). players >= 1.
ShapPlan plan_leverage(int players, int evaluations, uint64_t seed);
ShapPlan plan_kernel(int players, int evaluations, uint64_t seed);

}  // namespace sl::detail
