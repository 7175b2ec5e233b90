// wasm/bindings/bind_convert.cpp: Embind binding for the TF.js layers -> ONNX converter (core/model/tfjs_model.h,
// core/model/onnx_convert.h). Like every binding here it never throws into JS: a failure is returned
// as {error: "message"}, which tools/cli/core.mjs turns into a thrown Error.
//
//   convertTfjsToOnnx(modelJson: string, weights: Uint8Array, options)
//       -> {onnx: Uint8Array, description: {nodes, parameters, macs, ops: {Conv: 53, ...}}}
//   options (all optional): {cutAfter: "avg_pool", inputName: "input", outputName: "output",
//       head: [{in, out, kernel: Float32Array (in*out, [in][out]), bias: Float32Array (out),
//               activation: "relu" | "sigmoid" | "linear" | "softmax"}]}
//       8-bit (core/model/onnx_quantize.h): options.probes = true gives the calibration graph (extra
//       float outputs) and {probes: [their names]}; options.ranges = [{name, min, max}] (their
//       calibrated ranges) gives the QDQ graph; options.weightsOnly = true gives the graph with
//       only its Conv weights in 8 bits (for WebGPU); options.extraOutputs = [value names] adds
//       those values of the graph as outputs (float, after any quantization: the spatial
//       features the amortized explainer reads)
//   headLayers(headFile: Uint8Array) -> {layers: [{in, out, kernel, bias, activation}]}, the
//       trained head (core/model/head.h's file) in the form options.head takes
//
// weights: every shard concatenated in weightsManifest order. Memory: ResNet50's 100 MB of
// weights pass through wasm memory once per stage (JS copy, parsed layers, ONNX tensors, file);
// each stage is freed before the next, so the peak is about two copies, not four.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/model/onnx_convert.h"
#include "core/model/onnx_quantize.h"
#include "core/model/tfjs_model.h"
#include "wasm/bindings/js_values.h"

using emscripten::val;
using sl::js::error;
using sl::js::is_array_like;
using sl::js::to_js;

namespace {

bool is_object(const val& v) { return !v.isNull() && v.typeOf().as<std::string>() == "object"; }
bool is_array(const val& v) { return val::global("Array").call<bool>("isArray", v); }

// options.<key> as a string: absent keeps `out`; anything but a string is an error.
bool read_string(const val& options, const char* key, std::string& out) {
    val v = options[key];
    if (v.isUndefined() || v.isNull()) return true;
    if (!v.isString()) return false;
    out = v.as<std::string>();
    return true;
}

sl::Result<sl::DenseLayer> read_dense(const val& d, size_t i) {
    const std::string where = "options.head[" + std::to_string(i) + "]: ";
    if (!is_object(d)) return sl::fail(where + "not an object");
    sl::DenseLayer layer;
    val in = d["in"], out = d["out"];
    if (!in.isNumber() || !out.isNumber()) return sl::fail(where + "in and out must be numbers");
    double n_in = in.as<double>(), n_out = out.as<double>();
    if (n_in < 1 || n_out < 1 || n_in > 1 << 20 || n_out > 1 << 20 || n_in != int(n_in) || n_out != int(n_out))
        return sl::fail(where + "in and out must be positive integers");
    layer.in = int(n_in);
    layer.out = int(n_out);
    val kernel = d["kernel"], bias = d["bias"];
    if (!is_array_like(kernel)) return sl::fail(where + "kernel must be a Float32Array");
    // Checked before copying: a wrong length must not allocate a huge vector first.
    if (kernel["length"].as<double>() != double(layer.in) * layer.out)
        return sl::fail(where + "kernel must hold in * out values");
    layer.kernel = emscripten::convertJSArrayToNumberVector<float>(kernel);
    if (!bias.isUndefined() && !bias.isNull()) {
        if (!is_array_like(bias)) return sl::fail(where + "bias must be a Float32Array");
        layer.bias = emscripten::convertJSArrayToNumberVector<float>(bias);
    }
    std::string activation = "linear";
    if (!read_string(d, "activation", activation)) return sl::fail(where + "activation must be a string");
    auto a = sl::parse_activation(activation);
    if (!a) return sl::fail(where + a.error());
    layer.activation = *a;
    return layer;
}

sl::Result<sl::ConvertOptions> read_options(const val& options) {
    sl::ConvertOptions o;
    if (options.isUndefined() || options.isNull()) return o;
    if (!is_object(options)) return sl::fail("options must be an object");
    if (!read_string(options, "cutAfter", o.cut_after) || !read_string(options, "inputName", o.input_name) ||
        !read_string(options, "outputName", o.output_name))
        return sl::fail("options: cutAfter, inputName and outputName must be strings");
    val head = options["head"];
    if (head.isUndefined() || head.isNull()) return o;
    if (!is_array(head)) return sl::fail("options.head must be an array");
    const size_t n = head["length"].as<size_t>();
    for (size_t i = 0; i < n; ++i) {
        auto d = read_dense(head[i], i);
        if (!d) return sl::Error{d.error()};
        o.head.push_back(std::move(*d));
    }
    return o;
}

// options.ranges: [{name, min, max}], or nothing when absent.
sl::Result<std::optional<std::vector<sl::ValueRange>>> read_ranges(const val& options) {
    if (options.isUndefined() || options.isNull() || options["ranges"].isUndefined())
        return std::optional<std::vector<sl::ValueRange>>();
    val ranges = options["ranges"];
    if (!is_array(ranges)) return sl::fail("options.ranges must be an array of {name, min, max}");
    std::vector<sl::ValueRange> out;
    const size_t n = ranges["length"].as<size_t>();
    for (size_t i = 0; i < n; ++i) {
        val r = ranges[i];
        if (!is_object(r) || !r["name"].isString() || !r["min"].isNumber() || !r["max"].isNumber())
            return sl::fail("options.ranges[" + std::to_string(i) +
                            "] must be {name: string, min: number, max: number}");
        out.push_back({r["name"].as<std::string>(), r["min"].as<float>(), r["max"].as<float>()});
    }
    return std::optional(std::move(out));
}

val convert_tfjs_to_onnx(const std::string& model_json, const val& weights_js, const val& options_js) {
    auto options = read_options(options_js);
    if (!options) return error(options.error());
    auto ranges = read_ranges(options_js);
    if (!ranges) return error(ranges.error());
    const bool given = !options_js.isUndefined() && !options_js.isNull();
    const bool probes = given && options_js["probes"].as<bool>();
    const bool weights_only = given && options_js["weightsOnly"].as<bool>();
    if (!is_array_like(weights_js)) return error("weights must be a Uint8Array");
    sl::Result<sl::TfjsModel> keras = sl::fail("");
    {
        std::vector<uint8_t> weights = emscripten::convertJSArrayToNumberVector<uint8_t>(weights_js);
        keras = sl::parse_tfjs_model(model_json, weights);
    }  // the JS copy of the weights is freed here
    if (!keras) return error(keras.error());
    sl::ModelDescription about;
    auto onnx = sl::build_onnx_model(*keras, *options, &about);
    keras = sl::fail("");  // frees the parsed weights before the file is written
    if (!onnx) return error(onnx.error());
    val probe_names = val::array();
    if (probes) {
        const std::vector<std::string> names = sl::quantized_values(*onnx);
        for (const auto& name : names) probe_names.call<void>("push", name);
        onnx = sl::with_probe_outputs(std::move(*onnx), names);
    } else if (*ranges) {
        onnx = sl::quantize_model(*onnx, **ranges);
        if (!onnx) return error(onnx.error());
    } else if (weights_only) {
        onnx = sl::quantize_weights(*onnx);
        if (!onnx) return error(onnx.error());
    }
    if (given && !options_js["extraOutputs"].isUndefined()) {
        const val extra = options_js["extraOutputs"];
        if (!is_array_like(extra)) return error("options.extraOutputs must be an array of value names");
        std::vector<std::string> names;
        for (size_t i = 0; i < extra["length"].as<size_t>(); ++i) {
            if (!extra[i].isString()) return error("options.extraOutputs must be an array of value names");
            names.push_back(extra[i].as<std::string>());
            const auto& nodes = onnx->graph.nodes;
            const bool made = std::any_of(nodes.begin(), nodes.end(), [&](const sl::OnnxNode& n) {
                return std::find(n.outputs.begin(), n.outputs.end(), names.back()) != n.outputs.end();
            });
            if (!made) return error("options.extraOutputs: no value " + names.back() + " in the graph");
        }
        onnx = sl::with_probe_outputs(std::move(*onnx), names);
    }
    auto bytes = sl::serialize_onnx(*onnx);
    onnx = sl::fail("");
    if (!bytes) return error(bytes.error());

    val ops = val::object();
    for (const auto& [op, count] : about.op_counts) ops.set(op, count);
    val description = val::object();
    description.set("nodes", about.nodes);
    description.set("parameters", double(about.parameters));
    description.set("macs", double(about.macs));
    description.set("ops", ops);
    val out = val::object();
    out.set("onnx", to_js(*bytes));
    out.set("description", description);
    if (probes) out.set("probes", probe_names);
    return out;
}

val head_layers(const val& file) {
    if (!is_array_like(file)) return error("headLayers: the head file must be a Uint8Array");
    auto head = sl::parse_head(emscripten::convertJSArrayToNumberVector<uint8_t>(file));
    if (!head) return error(head.error());
    val layers = val::array();
    for (const sl::DenseLayer& d : sl::dense_layers(*head)) {
        val layer = val::object();
        layer.set("in", d.in);
        layer.set("out", d.out);
        layer.set("kernel", to_js(d.kernel));
        layer.set("bias", to_js(d.bias));
        layer.set("activation", std::string(sl::activation_name(d.activation)));
        layers.call<void>("push", layer);
    }
    val out = val::object();
    out.set("layers", layers);
    return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(santa_lens_convert) {
    emscripten::function("convertTfjsToOnnx", &convert_tfjs_to_onnx);
    emscripten::function("headLayers", &head_layers);
}
