// wasm/bind_explanation_metrics.cpp: Embind bindings for core/explanation_metrics.h.
//
//   spearman(a, b)        -> number, or {error}
//   topKShare(a, b, k)    -> number, or {error}
// a, b: arrays or typed arrays of one value per superpixel, the same length.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <vector>

#include "core/explanation_metrics.h"
#include "wasm/js_values.h"

using emscripten::val;
using sl::js::error;

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

}  // namespace

EMSCRIPTEN_BINDINGS(santa_lens_explanation_metrics) {
    emscripten::function("spearman", &spearman);
    emscripten::function("topKShare", &top_k_share);
}
