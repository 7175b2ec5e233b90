// core/explain/explanation_metrics.h: how far two explanations of the same photo agree (two models,
// two seeds, two settings), value by value.
//
//   double rho = sl::spearman(phi_a, phi_b);          // rank agreement, -1 .. 1
//   double top = sl::top_k_share(phi_a, phi_b, 5);    // share of the 5 largest |values| in common
//   double err = sl::relative_l2_error(phi, exact);   // ||phi - exact|| / ||exact||
//
// All take one value per superpixel, the same superpixels in the same order.
#pragma once
#include <span>

namespace sl {

// Spearman's rank correlation: Pearson's correlation of the ranks, ties given their mean rank.
// 1 when the orders agree. Sizes must match (asserted); 0 when either side is constant or has
// fewer than 2 values.
double spearman(std::span<const double> a, std::span<const double> b);

// |top_k(a) ∩ top_k(b)| / k, with top_k the k entries of largest absolute value (ties broken by
// index). k is clamped to the size; 1 for empty input.
double top_k_share(std::span<const double> a, std::span<const double> b, int k);

// ||estimate - reference|| / ||reference|| (Euclidean): the error measure of shap-bench
// (shapley_games.h) and of explain-bench against exact values. Sizes must match (asserted); NaN
// when the reference is all zeros (no scale to measure against).
double relative_l2_error(std::span<const double> estimate, std::span<const double> reference);

}  // namespace sl
