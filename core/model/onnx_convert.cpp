// core/model/onnx_convert.cpp: Keras layers -> ONNX nodes (see onnx_convert.h for the rules).
//
// Sections: 1. the graph builder  2. one Keras layer  3. the head  4. build_onnx_model
#include "core/model/onnx_convert.h"

#include <cmath>
#include <map>
#include <set>

namespace sl {
namespace {

// ---- 1. the graph builder --------------------------------------------------------------------

using Ints = std::vector<int64_t>;

struct Builder {
    const TfjsModel& model;
    OnnxGraph graph;
    std::map<std::string, std::string> value;                        // Keras layer -> ONNX value holding its output
    std::map<std::string, std::vector<const TfjsLayer*>> consumers;  // among converted layers
    std::set<std::string> folded;                                    // BatchNormalization / ZeroPadding2D done already
    int64_t macs = 0;

    void node(std::string op, std::string name, std::vector<std::string> in, std::string out,
              std::vector<OnnxAttribute> attrs = {}) {
        graph.nodes.push_back({std::move(op), std::move(name), std::move(in), {std::move(out)}, std::move(attrs)});
    }
    std::string constant(std::string name, Ints dims, std::span<const float> v) {
        graph.initializers.push_back(make_float_tensor(name, std::move(dims), v));
        return name;
    }

    // Appends the activation node (if any) after value `in`; returns the value holding the result.
    std::string activate(Activation a, const std::string& in, const std::string& out) {
        switch (a) {
            case Activation::linear:
                return in;
            case Activation::relu:
                node("Relu", out + "/relu", {in}, out);
                break;
            case Activation::sigmoid:
                node("Sigmoid", out + "/sigmoid", {in}, out);
                break;
            // Opset 13 Softmax normalises along one axis; axis 1 is the channels in NCHW and NC,
            // Keras' last axis.
            case Activation::softmax:
                node("Softmax", out + "/softmax", {in}, out, {OnnxAttribute::of_int("axis", 1)});
                break;
        }
        return out;
    }

    // A Gemm: x [N, in] times kernel [in][out] (Keras layout = ONNX B without transB) plus bias.
    std::string dense(const std::string& name, const std::string& in, int n_in, int n_out,
                      std::span<const float> kernel, std::span<const float> bias, Activation a) {
        std::vector<std::string> inputs{in, constant(name + "/kernel", {n_in, n_out}, kernel)};
        if (!bias.empty()) inputs.push_back(constant(name + "/bias", {n_out}, bias));
        std::string out = a == Activation::linear ? name : name + "/linear";
        node("Gemm", name, std::move(inputs), out);
        macs += int64_t(n_in) * n_out;
        return activate(a, out, name);
    }

    const TfjsLayer* only_consumer(const TfjsLayer& l) const {
        auto it = consumers.find(l.name);
        return it != consumers.end() && it->second.size() == 1 ? it->second[0] : nullptr;
    }
};

// ---- 2. one Keras layer ----------------------------------------------------------------------

// The BatchNormalization as y = x scale + shift, per channel, in double.
void batch_norm_affine(const TfjsLayer& bn, std::vector<double>& scale, std::vector<double>& shift) {
    size_t c = bn.moving_mean.size();
    scale.resize(c);
    shift.resize(c);
    for (size_t i = 0; i < c; ++i) {
        double g = bn.gamma.empty() ? 1.0 : bn.gamma[i];
        double b = bn.beta.empty() ? 0.0 : bn.beta[i];
        scale[i] = g / std::sqrt(double(bn.moving_variance[i]) + bn.epsilon);
        shift[i] = b - double(bn.moving_mean[i]) * scale[i];
    }
}

void convert_conv(Builder& b, const TfjsLayer& l, const std::string& out_layer) {
    const TfjsLayer& src = *b.model.find(l.inputs[0]);
    const int kh = l.kernel[0], kw = l.kernel[1], cout = l.units;
    const int cin = src.output_shape[2];
    // {top, bottom, left, right}: TensorFlow's 'same' padding plus a folded ZeroPadding2D.
    std::array<int, 4> pads = l.pads;
    if (src.kind == LayerKind::zero_padding2d && b.folded.count(src.name))
        for (int i = 0; i < 4; ++i) pads[i] += src.pads[i];

    const TfjsLayer* bn = b.only_consumer(l);
    bool fold =
        bn && bn->kind == LayerKind::batch_normalization && l.activation == Activation::linear && l.name != out_layer;
    std::vector<double> scale(cout, 1.0), shift(cout, 0.0);
    if (fold) batch_norm_affine(*bn, scale, shift);

    // HWIO -> OIHW, each output channel scaled by its batch-norm factor.
    std::vector<float> w(size_t(cout) * cin * kh * kw);
    for (int y = 0; y < kh; ++y)
        for (int x = 0; x < kw; ++x)
            for (int i = 0; i < cin; ++i)
                for (int o = 0; o < cout; ++o) {
                    double v = l.kernel_weights[((size_t(y) * kw + x) * cin + i) * cout + o];
                    w[((size_t(o) * cin + i) * kh + y) * kw + x] = float(v * scale[o]);
                }
    std::vector<std::string> inputs{b.value[src.name], b.constant(l.name + "/kernel", {cout, cin, kh, kw}, w)};
    if (fold || !l.bias.empty()) {
        std::vector<float> bias(cout);
        for (int o = 0; o < cout; ++o)
            bias[o] = float((l.bias.empty() ? 0.0 : double(l.bias[o])) * scale[o] + shift[o]);
        inputs.push_back(b.constant(l.name + "/bias", {cout}, bias));
    }
    std::string name = fold ? bn->name : l.name;
    std::string out = l.activation == Activation::linear ? name : name + "/linear";
    b.node("Conv", l.name, std::move(inputs), out,
           {OnnxAttribute::of_ints("kernel_shape", {kh, kw}),
            OnnxAttribute::of_ints("pads", {pads[0], pads[2], pads[1], pads[3]}),
            OnnxAttribute::of_ints("strides", {l.strides[0], l.strides[1]})});
    b.macs += int64_t(l.output_shape[0]) * l.output_shape[1] * cout * cin * kh * kw;
    b.value[l.name] = b.activate(l.activation, out, name);
    if (fold) {
        b.folded.insert(bn->name);
        b.value[bn->name] = b.value[l.name];
    }
}

void convert_layer(Builder& b, const TfjsLayer& l, const std::string& out_layer) {
    if (b.folded.count(l.name)) return;
    const std::string in = l.inputs.empty() ? "" : b.value[l.inputs[0]];
    std::string& out = b.value[l.name];
    switch (l.kind) {
        case LayerKind::input:
            break;  // value set by the caller: the graph input
        case LayerKind::zero_padding2d: {
            const TfjsLayer* next = b.only_consumer(l);
            if (next && next->kind == LayerKind::conv2d && l.name != out_layer) {
                b.folded.insert(l.name);  // the Conv adds it to its pads
                out = in;
                break;
            }
            // ONNX Pad pads: begins of N, C, H, W then their ends; no constant input = zeros.
            const int64_t p[8] = {0, 0, l.pads[0], l.pads[2], 0, 0, l.pads[1], l.pads[3]};
            b.graph.initializers.push_back(make_int64_tensor(l.name + "/pads", {8}, p));
            b.node("Pad", l.name, {in, l.name + "/pads"}, l.name, {OnnxAttribute::of_string("mode", "constant")});
            out = l.name;
            break;
        }
        case LayerKind::conv2d:
            convert_conv(b, l, out_layer);
            break;
        case LayerKind::batch_normalization: {
            std::vector<double> scale, shift;
            batch_norm_affine(l, scale, shift);
            std::vector<float> s(scale.begin(), scale.end()), t(shift.begin(), shift.end());
            // Broadcast over H and W for images ([C, 1, 1]), plainly for vectors ([C]).
            Ints dims = l.output_shape.size() == 3 ? Ints{l.units, 1, 1} : Ints{l.units};
            b.node("Mul", l.name + "/scale", {in, b.constant(l.name + "/scale", dims, s)}, l.name + "/scaled");
            b.node("Add", l.name, {l.name + "/scaled", b.constant(l.name + "/shift", dims, t)}, l.name);
            out = l.name;
            break;
        }
        case LayerKind::activation:
            out = b.activate(l.activation, in, l.name);
            break;
        case LayerKind::max_pooling2d:
            b.node("MaxPool", l.name, {in}, l.name,
                   {OnnxAttribute::of_ints("kernel_shape", {l.kernel[0], l.kernel[1]}),
                    OnnxAttribute::of_ints("pads", {l.pads[0], l.pads[2], l.pads[1], l.pads[3]}),
                    OnnxAttribute::of_ints("strides", {l.strides[0], l.strides[1]})});
            out = l.name;
            break;
        case LayerKind::add: {
            std::vector<std::string> ins;
            for (const auto& s : l.inputs) ins.push_back(b.value[s]);
            const char* op = ins.size() == 2 ? "Add" : "Sum";  // not in the call: argument order
            b.node(op, l.name, std::move(ins), l.name);
            out = l.name;
            break;
        }
        case LayerKind::global_average_pooling2d:
            b.node("GlobalAveragePool", l.name, {in}, l.name + "/pooled");
            b.node("Flatten", l.name + "/flatten", {l.name + "/pooled"}, l.name, {OnnxAttribute::of_int("axis", 1)});
            out = l.name;
            break;
        case LayerKind::dense:
            out = b.dense(l.name, in, int(l.kernel_weights.size() / l.units), l.units, l.kernel_weights, l.bias,
                          l.activation);
            break;
        case LayerKind::dropout:
            out = in;
            break;
    }
}

// ---- 3. the head -----------------------------------------------------------------------------

Result<void> check_head(const std::vector<DenseLayer>& head, const TfjsShape& cut, const std::string& cut_name) {
    if (head.empty()) return {};
    if (cut.size() != 1)
        return fail("head: needs a vector input, but layer " + cut_name +
                    " gives an image; cut after a pooling or dense layer");
    int64_t in = cut[0];
    for (size_t i = 0; i < head.size(); ++i) {
        const DenseLayer& d = head[i];
        std::string where = "head layer " + std::to_string(i) + ": ";
        if (d.in != in) return fail(where + "takes " + std::to_string(d.in) + " inputs, gets " + std::to_string(in));
        if (d.out < 1 || d.out > (1 << 20)) return fail(where + "bad output size " + std::to_string(d.out));
        if (d.kernel.size() != size_t(d.in) * d.out) return fail(where + "kernel must hold in * out values");
        if (!d.bias.empty() && d.bias.size() != size_t(d.out))
            return fail(where + "bias must hold out values (or none)");
        for (float v : d.kernel)
            if (!std::isfinite(v)) return fail(where + "kernel holds a non-finite value");
        for (float v : d.bias)
            if (!std::isfinite(v)) return fail(where + "bias holds a non-finite value");
        in = d.out;
    }
    return {};
}

Ints nchw(const TfjsShape& s) { return s.size() == 3 ? Ints{s[2], s[0], s[1]} : Ints(s.begin(), s.end()); }

OnnxValueInfo batched(std::string name, const Ints& shape) {
    OnnxValueInfo v{std::move(name), OnnxType::float32, {OnnxDim::symbol("N")}};
    for (int64_t d : shape) v.dims.push_back(d);
    return v;
}

}  // namespace

// ---- 4. build_onnx_model ---------------------------------------------------------------------

Result<OnnxModel> build_onnx_model(const TfjsModel& model, const ConvertOptions& options,
                                   ModelDescription* description) {
    if (model.layers.empty() || model.layers[0].kind != LayerKind::input)
        return fail("convert: the model has no input layer");
    if (options.input_name.empty() || options.output_name.empty() || options.input_name == options.output_name)
        return fail("convert: input and output names must be given and differ");
    const std::string cut = options.cut_after.empty() ? model.output : options.cut_after;
    const TfjsLayer* last = model.find(cut);
    if (!last) return fail("convert: cut_after names no layer of the model: " + cut);
    if (auto ok = check_head(options.head, last->output_shape, cut); !ok) return Error{ok.error()};

    // Convert only what the output depends on.
    std::set<std::string> needed{cut};
    for (auto it = model.layers.rbegin(); it != model.layers.rend(); ++it)
        if (needed.count(it->name)) needed.insert(it->inputs.begin(), it->inputs.end());
    Builder b{model, {}, {}, {}, {}, 0};
    b.graph.name = model.name.empty() ? "graph" : model.name;
    for (const auto& l : model.layers)
        if (needed.count(l.name))
            for (const auto& s : l.inputs) b.consumers[s].push_back(&l);

    const TfjsLayer& input = model.layers[0];
    b.value[input.name] = options.input_name;
    for (const auto& l : model.layers)
        if (needed.count(l.name)) convert_layer(b, l, cut);
    std::string result = b.value[cut];
    for (size_t i = 0; i < options.head.size(); ++i) {
        const DenseLayer& d = options.head[i];
        result = b.dense("head_" + std::to_string(i), result, d.in, d.out, d.kernel, d.bias, d.activation);
    }

    // The last value takes the output's name: renamed where it is made, or copied by an
    // Identity when it is the graph input itself.
    if (result == options.input_name) {
        b.node("Identity", options.output_name + "/identity", {result}, options.output_name);
    } else {
        for (auto& n : b.graph.nodes) {
            for (auto& s : n.outputs)
                if (s == result) s = options.output_name;
            for (auto& s : n.inputs)
                if (s == result) s = options.output_name;
        }
    }
    // Every value must have one producer; the input/output names could clash with layer names.
    std::set<std::string> names{options.input_name};
    for (const auto& t : b.graph.initializers)
        if (!names.insert(t.name).second) return fail("convert: the name " + t.name + " is used twice");
    for (const auto& n : b.graph.nodes)
        for (const auto& s : n.outputs)
            if (!names.insert(s).second)
                return fail("convert: the name " + s + " is used twice; choose other input/output names");

    Ints in_shape = nchw(input.output_shape);
    Ints out_shape = options.head.empty() ? nchw(last->output_shape) : Ints{options.head.back().out};
    b.graph.inputs.push_back(batched(options.input_name, in_shape));
    b.graph.outputs.push_back(batched(options.output_name, out_shape));

    OnnxModel onnx;
    onnx.doc_string = "Keras model " + model.name + " (TF.js layers) converted by santa-lens" +
                      (options.cut_after.empty() ? "" : ", cut after " + options.cut_after) +
                      (options.head.empty() ? "" : ", " + std::to_string(options.head.size()) + " dense head layers") +
                      "; batch normalisation folded into convolutions; input NCHW, preprocessing not included";
    onnx.graph = std::move(b.graph);
    if (description) {
        OnnxSummary s = summarize_onnx(onnx);
        *description = {s.nodes, s.parameters, b.macs, std::move(s.op_counts), in_shape, out_shape};
    }
    return onnx;
}

Result<std::vector<uint8_t>> convert_to_onnx(const TfjsModel& model, const ConvertOptions& options,
                                             ModelDescription* description) {
    auto onnx = build_onnx_model(model, options, description);
    if (!onnx) return Error{onnx.error()};
    return serialize_onnx(*onnx);
}

std::vector<DenseLayer> dense_layers(const Head& head) {
    std::vector<DenseLayer> layers;
    if (head.hidden > 0) layers.push_back({head.inputs, head.hidden, head.w1, head.b1, Activation::relu});
    const int in = head.hidden > 0 ? head.hidden : head.inputs;
    layers.push_back({in, 1, head.w2, {head.b2}, Activation::sigmoid});
    return layers;
}

}  // namespace sl
