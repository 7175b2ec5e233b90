// wasm/bindings/bind_train.cpp: Embind bindings for the classifier head and its metrics (core/model/head.h,
// core/model/metrics.h). Like every binding here it never throws into JS: a failure is returned as
// {error: "message"}.
//
//   trainHead(features: Float32Array, labels: Int32Array, dim, config)
//       -> {head: Uint8Array (serialize_head), loss: [per epoch]}
//   predictHead(head: Uint8Array, features: Float32Array, dim) -> {p: Float32Array}
//   binaryMetrics(p: Float32Array, labels: Int32Array[, threshold])
//       -> {n, accuracy, confusion: [[pp, ps], [sp, ss]], precision, recall, f1, logLoss}
//   crossValidateHead(features, labels, dim, config, k, seed)
//       -> {folds: [metrics], pooled: metrics, meanAccuracy, stdAccuracy, p: Float32Array,
//           fold: Int32Array}
//
// config (all optional, camelCase of sl::HeadConfig): hidden, dropout, learningRate, rho,
// epsilon, epochs, batchSize, l2, balanceClasses, seed, and onEpoch(epoch, loss) (crossValidate:
// onEpoch(fold, epoch, loss)), called synchronously after each epoch; returning false cancels
// (the result is then {error}). onEpoch must not throw: the exception would unwind through wasm.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <string>

#include "core/model/head.h"
#include "core/model/metrics.h"
#include "wasm/bindings/js_fields.h"
#include "wasm/bindings/js_values.h"

using emscripten::val;
using sl::js::error;
using sl::js::to_js;

namespace {

// Copies a JS array or typed array into a vector (typed array conversion rules); false if it is
// neither.
template <typename T>
bool from_js(const val& array, std::vector<T>& out) {
    if (!sl::js::is_array_like(array)) return false;
    out = emscripten::convertJSArrayToNumberVector<T>(array);
    return true;
}

// Reads the config object; a field that is present but not what it should be is an error.
bool read_config(const val& js, sl::HeadConfig& c, std::string& why) {
    sl::js::Fields f(js, "config");
    f.integer("hidden", 0, 2147483647.0, c.hidden);
    f.number("dropout", c.dropout);
    f.number("learningRate", c.learning_rate);
    f.number("rho", c.rho);
    f.number("epsilon", c.epsilon);
    f.integer("epochs", 0, 2147483647.0, c.epochs);
    f.integer("batchSize", 0, 2147483647.0, c.batch_size);
    f.number("l2", c.l2);
    f.integer("seed", 0, 9007199254740992.0, c.seed);
    f.boolean("balanceClasses", c.balance_classes);
    why = f.why();
    return f.ok();
}

val metrics_to_js(const sl::BinaryMetrics& m) {
    val out = val::object();
    out.set("n", m.n);
    out.set("accuracy", m.accuracy);
    val confusion = val::array();
    for (const auto& row : m.confusion) {
        val r = val::array();
        r.call<void>("push", row[0]);
        r.call<void>("push", row[1]);
        confusion.call<void>("push", r);
    }
    out.set("confusion", confusion);
    out.set("precision", m.precision);
    out.set("recall", m.recall);
    out.set("f1", m.f1);
    out.set("logLoss", m.log_loss);
    return out;
}

// The data arguments shared by trainHead and crossValidateHead.
bool read_data(const val& features, const val& labels, std::vector<float>& x, std::vector<int>& y, std::string& why) {
    if (!from_js(features, x) || !from_js(labels, y)) {
        why = "features must be a Float32Array and labels an Int32Array";
        return false;
    }
    return true;
}

val train_head(const val& features, const val& labels, int dim, const val& config) {
    std::vector<float> x;
    std::vector<int> y;
    sl::HeadConfig c;
    std::string why;
    if (!read_data(features, labels, x, y, why) || !read_config(config, c, why)) return error("trainHead: " + why);
    const val on_epoch = config.isUndefined() || config.isNull() ? val::undefined() : config["onEpoch"];
    val losses = val::array();
    auto head = sl::train_head(x, y, dim, c, [&](int epoch, double loss) {
        losses.call<void>("push", loss);
        return on_epoch.typeOf().as<std::string>() != "function" || !on_epoch(epoch, loss).strictlyEquals(val(false));
    });
    if (!head) return error(head.error());
    val out = val::object();
    out.set("head", to_js(sl::serialize_head(*head)));
    out.set("loss", losses);
    return out;
}

val predict_head(const val& head_bytes, const val& features, int dim) {
    std::vector<uint8_t> bytes;
    std::vector<float> x;
    if (!from_js(head_bytes, bytes) || !from_js(features, x))
        return error("predictHead: head must be a Uint8Array and features a Float32Array");
    auto head = sl::parse_head(bytes);
    if (!head) return error(head.error());
    if (dim != head->inputs)
        return error("predictHead: features have " + std::to_string(dim) + " values, the head takes " +
                     std::to_string(head->inputs));
    if (x.size() % size_t(dim) != 0)
        return error("predictHead: " + std::to_string(x.size()) + " values are not a multiple of " +
                     std::to_string(dim));
    std::vector<float> p(x.size() / size_t(dim));
    sl::predict_head_batch(*head, x, p);
    val out = val::object();
    out.set("p", to_js(p));
    return out;
}

val binary_metrics(const val& p_js, const val& labels, const val& threshold) {
    std::vector<float> p;
    std::vector<int> y;
    if (!from_js(p_js, p) || !from_js(labels, y))
        return error("binaryMetrics: p must be a Float32Array and labels an Int32Array");
    if (p.size() != y.size()) return error("binaryMetrics: p and labels differ in length");
    for (int v : y)
        if (v != 0 && v != 1) return error("binaryMetrics: labels must be 0 (person) or 1 (santa)");
    float t = 0.5f;
    if (!threshold.isUndefined()) {
        if (!threshold.isNumber()) return error("binaryMetrics: threshold must be a number");
        t = threshold.as<float>();
    }
    return metrics_to_js(sl::binary_metrics(p, y, t));
}

val binary_metrics_default(const val& p_js, const val& labels) {
    return binary_metrics(p_js, labels, val::undefined());
}

val cross_validate_head(const val& features, const val& labels, int dim, const val& config, int k, double seed) {
    std::vector<float> x;
    std::vector<int> y;
    sl::HeadConfig c;
    std::string why;
    if (!read_data(features, labels, x, y, why) || !read_config(config, c, why))
        return error("crossValidateHead: " + why);
    if (!std::isfinite(seed) || seed < 0 || seed != std::floor(seed))
        return error("crossValidateHead: seed must be a non-negative integer");
    const val on_epoch = config.isUndefined() || config.isNull() ? val::undefined() : config["onEpoch"];
    auto cv = sl::cross_validate_head(x, y, dim, c, k, uint64_t(seed), [&](int fold, int epoch, double loss) {
        return on_epoch.typeOf().as<std::string>() != "function" ||
               !on_epoch(fold, epoch, loss).strictlyEquals(val(false));
    });
    if (!cv) return error(cv.error());
    val folds = val::array();
    for (const auto& m : cv->folds) folds.call<void>("push", metrics_to_js(m));
    val out = val::object();
    out.set("folds", folds);
    out.set("pooled", metrics_to_js(cv->pooled));
    out.set("meanAccuracy", cv->mean_accuracy);
    out.set("stdAccuracy", cv->std_accuracy);
    out.set("p", to_js(cv->p_santa));
    out.set("fold", to_js(cv->fold));
    return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(santa_lens_train) {
    emscripten::function("trainHead", &train_head);
    emscripten::function("predictHead", &predict_head);
    emscripten::function("binaryMetrics", &binary_metrics);  // Embind overloads by argument count
    emscripten::function("binaryMetrics", &binary_metrics_default);
    emscripten::function("crossValidateHead", &cross_validate_head);
}
