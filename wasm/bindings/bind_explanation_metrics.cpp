// wasm/bindings/bind_explanation_metrics.cpp: Embind bindings for core/explain/explanation_metrics.h and
// core/explain/faithfulness.h.
//
//   spearman(a, b)        -> number, or {error}
//   topKShare(a, b, k)    -> number, or {error}
//   relativeL2Error(estimate, reference) -> number (null for an all-zero reference), or {error}
//   valueOrder(values)    -> Int32Array: superpixels by decreasing value, ties by index
//   randomOrder(players, seed) -> Int32Array: a random permutation, fixed by the seed
//   faithfulnessCoalitions(order) -> {rows: 2 (M + 1), present: Uint8Array}, or {error}
//       the deletion then insertion coalitions (rows x M bytes, 1 = present) of an order
//   faithfulness(curves)  -> {deletion, insertion, difference}, or {error}
//       curves: the class's probability on those rows, in their order (2 (M + 1) numbers)
// a, b, values: arrays or typed arrays of one value per superpixel, the same length.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/explain/explanation_metrics.h"
#include "core/explain/faithfulness.h"
#include "wasm/bindings/js_values.h"

using emscripten::val;
using sl::js::error;
using sl::js::to_js;

namespace {

bool read_pair(const val& a_js, const val& b_js, std::vector<double>& a, std::vector<double>& b) {
    if (!sl::js::is_array_like(a_js) || !sl::js::is_array_like(b_js)) return false;
    a = emscripten::convertJSArrayToNumberVector<double>(a_js);
    b = emscripten::convertJSArrayToNumberVector<double>(b_js);
    return a.size() == b.size();
}

val spearman(const val& a_js, const val& b_js) {
    std::vector<double> a, b;
    if (!read_pair(a_js, b_js, a, b)) return error("spearman: two arrays of the same length");
    return val(sl::spearman(a, b));
}

val top_k_share(const val& a_js, const val& b_js, int k) {
    std::vector<double> a, b;
    if (!read_pair(a_js, b_js, a, b)) return error("topKShare: two arrays of the same length");
    return val(sl::top_k_share(a, b, k));
}

val relative_l2_error(const val& estimate_js, const val& reference_js) {
    std::vector<double> estimate, reference;
    if (!read_pair(estimate_js, reference_js, estimate, reference))
        return error("relativeL2Error: two arrays of the same length");
    const double e = sl::relative_l2_error(estimate, reference);
    return std::isnan(e) ? val::null() : val(e);
}

val value_order(const val& values_js) {
    if (!sl::js::is_array_like(values_js)) return error("valueOrder: an array of values");
    return to_js(sl::value_order(emscripten::convertJSArrayToNumberVector<double>(values_js)));
}

val random_order(int players, double seed) {
    if (players < 0 || seed < 0 || seed != std::floor(seed) || seed > 9007199254740992.0)
        return error("randomOrder: a player count and a seed from 0 to 2^53");
    return to_js(sl::random_order(players, uint64_t(seed)));
}

val faithfulness_coalitions(const val& order_js) {
    if (!sl::js::is_array_like(order_js))
        return error("faithfulnessCoalitions: an order (array of superpixel indices)");
    const std::vector<int> order = emscripten::convertJSArrayToNumberVector<int>(order_js);
    std::vector<uint8_t> seen(order.size(), 0);
    for (int k : order) {
        if (k < 0 || size_t(k) >= order.size() || seen[size_t(k)])
            return error("faithfulnessCoalitions: the order is not a permutation of 0 .. M-1");
        seen[size_t(k)] = 1;
    }
    val out = val::object();
    out.set("rows", 2 * (int(order.size()) + 1));
    out.set("present", to_js(sl::faithfulness_coalitions(order)));
    return out;
}

val faithfulness(const val& curves_js) {
    if (!sl::js::is_array_like(curves_js)) return error("faithfulness: an array of 2 (M + 1) values");
    const sl::Result<sl::Faithfulness> f =
        sl::faithfulness(emscripten::convertJSArrayToNumberVector<double>(curves_js));
    if (!f) return error(f.error());
    val out = val::object();
    out.set("deletion", f->deletion);
    out.set("insertion", f->insertion);
    out.set("difference", f->difference);
    return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(santa_lens_explanation_metrics) {
    emscripten::function("spearman", &spearman);
    emscripten::function("topKShare", &top_k_share);
    emscripten::function("relativeL2Error", &relative_l2_error);
    emscripten::function("valueOrder", &value_order);
    emscripten::function("randomOrder", &random_order);
    emscripten::function("faithfulnessCoalitions", &faithfulness_coalitions);
    emscripten::function("faithfulness", &faithfulness);
}
