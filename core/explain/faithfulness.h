// core/explain/faithfulness.h: whether an explanation ranks the superpixels as the model uses them, by
// deletion and insertion curves (Petsiuk et al. 2018, "RISE"). Pairs with masking.h (the
// coalitions become masked inputs, with whatever fill the metric uses: explain-bench uses a blur
// whatever the explainer used, so that every explainer is judged on the same inputs) and
// explanation_metrics.h (agreement between two explanations).
//
//   std::vector<int> order = sl::value_order(phi);                 // decreasing value, ties by index
//                                   // (sl::random_order(M, seed): the floor an explanation must beat)
//   std::vector<uint8_t> rows = sl::faithfulness_coalitions(order);  // 2 (M + 1) rows x M bytes
//   ... the model on the masked inputs of the rows -> p: 2 (M + 1) probabilities of one class
//   sl::Result<sl::Faithfulness> f = sl::faithfulness(p);           // deletion, insertion, difference
//
// Deletion removes the superpixels from the photo in the order given: row t (t = 0 .. M) has the
// first t of them switched off, so row 0 is the photo and row M the fill. Insertion adds them to
// the fill in the same order: row M + 1 + t has the first t switched on. A good order makes the
// class's probability fall fast under deletion and rise fast under insertion: insertion AUC minus
// deletion AUC is high (at most just under 1; a random order scores about 0, the reversed order of
// a good one scores negative).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/base/result.h"

namespace sl {

// Player indices 0 .. M-1 by decreasing value; equal values keep increasing index order.
std::vector<int> value_order(std::span<const double> values);

// A random permutation of 0 .. players-1, the same for a seed on every build (core/base/rng.h).
std::vector<int> random_order(int players, uint64_t seed);

// The 2 (M + 1) coalitions of the two curves for `order` (a permutation of 0 .. M-1, asserted),
// row-major, M bytes each, 1 = present: deletion rows 0 .. M, then insertion rows 0 .. M.
std::vector<uint8_t> faithfulness_coalitions(std::span<const int> order);

// Area under a curve of n >= 2 points evenly spaced over [0, 1] (trapezoid rule): its mean when
// flat. 0 for fewer than 2 points.
double area_under_curve(std::span<const double> curve);

struct Faithfulness {
    double deletion = 0;    // area under the deletion curve (lower is better)
    double insertion = 0;   // area under the insertion curve (higher is better)
    double difference = 0;  // insertion - deletion (higher is better)
};

// The areas from the model's values (of one class) on faithfulness_coalitions' rows, in their
// order: 2 (M + 1) values, deletion curve then insertion curve. Errors: an odd count, fewer than
// 4 values (M >= 1), a value that is not finite.
Result<Faithfulness> faithfulness(std::span<const double> curves);

}  // namespace sl
