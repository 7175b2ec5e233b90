// core/explain/owen_shap.h: Owen values over a binary hierarchy of superpixels (Owen 1977; shap's
// Partition explainer), as a streaming estimator with KernelShap's interface: it hands out
// coalitions, the host evaluates them, and takes the values back. Samples nothing: the same
// photo gives the same values every time, coarse first, then finer where it matters.
// Pairs with superpixel_tree.h (the hierarchy), kernel_shap.h (the config, the batch and the
// estimate it shares) and explainer.h (its user).
//
//   sl::Result<sl::OwenShap> owen = sl::OwenShap::create(tree, cfg);   // cfg.outputs, budget, link
//   while (!owen->done()) {
//       sl::CoalitionBatch batch = owen->next_batch();
//       if (auto ok = owen->add_values(evaluate(batch)); !ok) { report(ok.error()); return; }
//       show(owen->estimate());
//   }
//
// How, first the top: the tree cut into K groups (undoing its last K - 1 merges), every coalition
// of them evaluated, coarse cuts first (cut k's 2^k coalitions include cut k-1's), so each cut's
// exact Shapley values are shown as soon as its coalitions are known. When the budget covers
// every coalition of the superpixels (2^players <= budget, players <= 12) K is all of them and
// the result is the Shapley value itself; otherwise K is the largest with 2^K <= budget / 4 and
// the rest of the budget refines inside the groups. Each group in each coalition of the others
// (with its Shapley weight) is then split: a group G valued in a context C with f(C) and f(C + G)
// known splits into its halves L, R at the cost of two evaluations, f(C + L) and f(C + R); each
// half gets the two-player Shapley share of the split in two contexts, weight halved:
// L in C (f(C+L) - f(C)), L in C+R (f(C+G) - f(C+R)), the same for R. Leaves keep their credit;
// the groups still waiting carry theirs, spread over their leaves in the estimate (equal shares:
// shap's choice). Groups are split in order of |credit| x weight, the largest first, so a budget
// goes where the values are; with budget for every split the result is the exact Owen value of
// the tree under the K-group union (Shapley between the groups, Owen inside), which equals the
// Shapley value of a game additive across the tree's groups. Why the exact top: Owen values
// differ from Shapley values wherever the model's interactions cross the tree's splits; at
// K = 7 the coarse level is Shapley-exact and only finer credit follows the hierarchy.
// Efficiency holds exactly at every step: sum_i phi_c,i = f_c(full) - f_c(empty).
// The estimate's std_error is the credit a superpixel holds from groups not yet split (how far
// its value may still move; 0 once only its own splits are left), and convergence is the largest
// of these over the range of the values, as for KernelShap. Seed, sampler and surrogate of the
// config do not apply. Cost per batch: O(rows x players) plus the spread, O(queue x players),
// and O(K 2^K) when a cut of the top completes.
#pragma once
#include <span>

#include "core/base/result.h"
#include "core/explain/kernel_shap.h"
#include "core/explain/superpixel_tree.h"

namespace sl {

class OwenShap {
public:
    static constexpr int max_top_groups = 12;  // 2^12 coalitions at most for the exact top

    // config.players must equal tree.leaves. top_groups: K, 1 .. min(players, 12) with
    // 2^K <= budget; 0: automatic_top_groups. Errors: as KernelShap::create, a top_groups out of
    // range, and a tree whose children are not a binary tree over its leaves.
    static Result<OwenShap> create(const SuperpixelTree& tree, const KernelShapConfig& config, int top_groups = 0);
    // All the players when 2^players <= budget (exact Shapley values), else the largest K with
    // 2^K <= budget / 4 (at least 1).
    static int automatic_top_groups(int players, int budget);

    CoalitionBatch next_batch();                              // rows 0 once done()
    Result<void> add_values(std::span<const double> values);  // rows x outputs, row-major
    const ShapEstimate& estimate() const;
    bool done() const;  // budget spent, every group split, or convergence < tolerance
    const KernelShapConfig& config() const;
    int top_groups() const;  // K, as given or chosen by automatic_top_groups

    OwenShap(OwenShap&&) noexcept;
    OwenShap& operator=(OwenShap&&) noexcept;
    ~OwenShap();

private:
    struct State;
    explicit OwenShap(State* state);
    State* state_ = nullptr;
};

}  // namespace sl
