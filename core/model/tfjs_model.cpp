// core/model/tfjs_model.cpp: reading a TF.js layers model (see tfjs_model.h).
//
// Sections: 1. JSON helpers  2. the weights manifest  3. one layer's config and weights
//           4. shape inference  5. parse_tfjs_model
//
// nlohmann/json is compiled with JSON_NOEXCEPTION here: a wrong-typed access would abort instead
// of throwing, so every value is found with find() and its type checked before it is read.
#include "core/model/tfjs_model.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>

namespace sl {

using nlohmann::json;

Result<Activation> parse_activation(std::string_view name) {
    if (name == "linear") return Activation::linear;
    if (name == "relu") return Activation::relu;
    if (name == "sigmoid") return Activation::sigmoid;
    if (name == "softmax") return Activation::softmax;
    return fail("activation \"" + std::string(name) + "\" is not supported (linear, relu, sigmoid, softmax)");
}

const char* activation_name(Activation a) {
    switch (a) {
        case Activation::linear:
            return "linear";
        case Activation::relu:
            return "relu";
        case Activation::sigmoid:
            return "sigmoid";
        case Activation::softmax:
            return "softmax";
    }
    return "?";
}

namespace {

constexpr std::pair<const char*, LayerKind> kKinds[] = {
    {"InputLayer", LayerKind::input},
    {"ZeroPadding2D", LayerKind::zero_padding2d},
    {"Conv2D", LayerKind::conv2d},
    {"BatchNormalization", LayerKind::batch_normalization},
    {"Activation", LayerKind::activation},
    {"MaxPooling2D", LayerKind::max_pooling2d},
    {"Add", LayerKind::add},
    {"GlobalAveragePooling2D", LayerKind::global_average_pooling2d},
    {"Dense", LayerKind::dense},
    {"Dropout", LayerKind::dropout},
};

// ---- 1. JSON helpers -------------------------------------------------------------------------

const json* field(const json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

bool as_int(const json* v, int lo, int hi, int& out) {
    if (!v || !v->is_number_integer()) return false;
    int64_t x = v->get<int64_t>();
    if (x < lo || x > hi) return false;
    out = int(x);
    return true;
}

// An int or a pair of ints, as Keras writes kernel_size, strides and the like.
bool as_pair(const json* v, int lo, int hi, std::array<int, 2>& out) {
    if (v && v->is_array()) {
        return v->size() == 2 && as_int(&(*v)[0], lo, hi, out[0]) && as_int(&(*v)[1], lo, hi, out[1]);
    }
    if (!as_int(v, lo, hi, out[0])) return false;
    out[1] = out[0];
    return true;
}

bool as_bool(const json* v, bool fallback, bool& out) {
    if (!v) {
        out = fallback;
        return true;
    }
    if (!v->is_boolean()) return false;
    out = v->get<bool>();
    return true;
}

std::string as_string(const json* v) { return v && v->is_string() ? v->get<std::string>() : ""; }

std::string shape_text(const std::vector<int64_t>& s) {
    std::string t = "[";
    for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
    return t + "]";
}

// ---- 2. the weights manifest -----------------------------------------------------------------

struct WeightEntry {
    std::vector<int64_t> shape;
    size_t offset = 0;  // in floats, into the concatenated buffer
    size_t count = 0;
};

struct WeightIndex {
    std::map<std::string, WeightEntry, std::less<>> entries;
    std::span<const uint8_t> buffer;

    // "layer/param", or a name ending in "/layer/param" (exports that prefix the model name).
    const WeightEntry* find(const std::string& layer, const char* param) const {
        std::string key = layer + "/" + param;
        if (auto it = entries.find(key); it != entries.end()) return &it->second;
        std::string suffix = "/" + key;
        for (const auto& [name, e] : entries)
            if (name.size() > suffix.size() && name.ends_with(suffix)) return &e;
        return nullptr;
    }
};

Result<WeightIndex> read_manifest(const json& j, std::span<const uint8_t> buffer) {
    const json* manifest = field(j, "weightsManifest");
    if (!manifest || !manifest->is_array()) return fail("model.json: \"weightsManifest\" is missing");
    WeightIndex index;
    index.buffer = buffer;
    size_t floats = 0;
    for (const json& group : *manifest) {
        const json* list = field(group, "weights");
        if (!list || !list->is_array()) return fail("model.json: a weightsManifest group has no \"weights\" list");
        for (const json& w : *list) {
            std::string name = as_string(field(w, "name"));
            if (name.empty()) return fail("model.json: a weight without a name");
            std::string dtype = as_string(field(w, "dtype"));
            if (dtype != "float32" || field(w, "quantization"))
                return fail("weight " + name + ": only float32, unquantized weights are supported (found " +
                            (dtype.empty() ? "no dtype" : dtype) + (field(w, "quantization") ? ", quantized)" : ")"));
            const json* shape = field(w, "shape");
            if (!shape || !shape->is_array()) return fail("weight " + name + ": no shape");
            // Counted in 64 bits: size_t is 32 bits in wasm32, and a hostile manifest must not wrap.
            WeightEntry e{{}, floats, 1};
            uint64_t count = 1;
            for (const json& d : *shape) {
                int v = 0;
                if (!as_int(&d, 0, 1 << 30, v)) return fail("weight " + name + ": bad shape");
                e.shape.push_back(v);
                count *= uint64_t(v);
                if (count > (uint64_t(1) << 29)) return fail("weight " + name + ": absurdly large");
            }
            e.count = size_t(count);
            if (uint64_t(floats) + count > (uint64_t(1) << 29))
                return fail("model.json: the weights add up to more than 2 GiB");
            floats += e.count;
            if (!index.entries.emplace(name, std::move(e)).second)
                return fail("model.json: weight " + name + " is listed twice");
        }
    }
    if (buffer.size() != floats * 4)
        return fail("weights: " + std::to_string(buffer.size()) + " bytes given, the manifest describes " +
                    std::to_string(floats * 4) +
                    (buffer.size() < floats * 4 ? " (truncated, or a shard missing?)" : ""));
    return index;
}

// ---- 3. one layer's config and weights -------------------------------------------------------

struct LayerReader {
    const json& config;
    const WeightIndex& weights;
    TfjsLayer& layer;
    std::string where;  // "layer conv1 (Conv2D)"

    Error error(const std::string& what) const { return fail(where + ": " + what); }

    // Copies weight `param` (the manifest names it "layer/param") after checking its shape.
    Result<void> weight(const char* param, const std::vector<int64_t>& shape, std::vector<float>& out) {
        const WeightEntry* e = weights.find(layer.name, param);
        if (!e) return error(std::string("weight ") + param + " missing from the manifest");
        if (e->shape != shape)
            return error(std::string("weight ") + param + " has shape " + shape_text(e->shape) + ", expected " +
                         shape_text(shape));
        static_assert(std::endian::native == std::endian::little, "TF.js weights are little-endian");
        out.resize(e->count);
        if (e->count) std::memcpy(out.data(), weights.buffer.data() + e->offset * 4, e->count * 4);
        return {};
    }

    Result<void> activation(const char* key) {
        const json* a = field(config, key);
        if (!a) return {};  // Keras' default: linear
        if (!a->is_string()) return error(std::string(key) + " must be a name");
        auto act = parse_activation(a->get<std::string>());
        if (!act) return error(act.error());
        layer.activation = *act;
        return {};
    }

    Result<void> channels_last() {
        std::string f = as_string(field(config, "data_format"));
        if (!f.empty() && f != "channels_last")
            return error("data_format " + f + " is not supported (channels_last only)");
        return {};
    }

    // kernel / pool size, strides and padding of Conv2D and MaxPooling2D.
    Result<void> window(const char* size_key) {
        if (!as_pair(field(config, size_key), 1, 1024, layer.kernel)) return error(std::string("bad ") + size_key);
        const json* s = field(config, "strides");
        if (!s)
            layer.strides = layer.kind == LayerKind::max_pooling2d ? layer.kernel : std::array{1, 1};
        else if (!as_pair(s, 1, 1024, layer.strides))
            return error("bad strides");
        std::string padding = as_string(field(config, "padding"));
        if (padding != "valid" && padding != "same")
            return error("padding \"" + padding + "\" is not supported (valid, same)");
        layer.same_padding = padding == "same";
        return channels_last();
    }
};

Result<void> read_config(LayerReader& r, const TfjsShape& in) {
    TfjsLayer& l = r.layer;
    const json& c = r.config;
    const int64_t channels = in.empty() ? 0 : in.back();
    switch (l.kind) {
        case LayerKind::input:
            return {};  // read by the caller (it has no input shape)
        case LayerKind::zero_padding2d: {
            const json* p = field(c, "padding");
            std::array<int, 2> rows{}, cols{};
            bool ok = false;
            if (p && p->is_array() && p->size() == 2 && (*p)[0].is_array())
                ok = as_pair(&(*p)[0], 0, 4096, rows) && as_pair(&(*p)[1], 0, 4096, cols);
            else if (std::array<int, 2> rc{}; as_pair(p, 0, 4096, rc))
                ok = true, rows = {rc[0], rc[0]}, cols = {rc[1], rc[1]};
            if (!ok) return r.error("bad padding");
            l.pads = {rows[0], rows[1], cols[0], cols[1]};
            return r.channels_last();
        }
        case LayerKind::conv2d: {
            if (!as_int(field(c, "filters"), 1, 1 << 16, l.units)) return r.error("bad filters");
            if (auto ok = r.window("kernel_size"); !ok) return Error{ok.error()};
            std::array<int, 2> dilation{1, 1};
            if (field(c, "dilation_rate") && (!as_pair(field(c, "dilation_rate"), 1, 1, dilation)))
                return r.error("dilated convolutions are not supported");
            int groups = 1;
            if (field(c, "groups") && !as_int(field(c, "groups"), 1, 1, groups))
                return r.error("grouped convolutions are not supported");
            if (auto ok = r.activation("activation"); !ok) return ok;
            bool use_bias = true;
            if (!as_bool(field(c, "use_bias"), true, use_bias)) return r.error("bad use_bias");
            if (auto ok = r.weight("kernel", {l.kernel[0], l.kernel[1], channels, l.units}, l.kernel_weights); !ok)
                return ok;
            if (use_bias) return r.weight("bias", {l.units}, l.bias);
            return {};
        }
        case LayerKind::batch_normalization: {
            const json* axis = field(c, "axis");
            if (axis && axis->is_array() && axis->size() == 1) axis = &(*axis)[0];
            int a = -1;
            if (axis && !as_int(axis, -1, 8, a)) return r.error("bad axis");
            if (a != -1 && a != int(in.size())) return r.error("only the channel (last) axis is supported");
            const json* eps = field(c, "epsilon");
            if (eps) {
                if (!eps->is_number() || !(eps->get<double>() >= 0)) return r.error("bad epsilon");
                l.epsilon = eps->get<double>();
            }
            bool center = true, scale = true;
            if (!as_bool(field(c, "center"), true, center) || !as_bool(field(c, "scale"), true, scale))
                return r.error("bad center/scale");
            l.units = int(channels);
            if (scale)
                if (auto ok = r.weight("gamma", {channels}, l.gamma); !ok) return ok;
            if (center)
                if (auto ok = r.weight("beta", {channels}, l.beta); !ok) return ok;
            if (auto ok = r.weight("moving_mean", {channels}, l.moving_mean); !ok) return ok;
            if (auto ok = r.weight("moving_variance", {channels}, l.moving_variance); !ok) return ok;
            for (float v : l.moving_variance)
                if (!(v >= 0) || !std::isfinite(v))
                    return r.error("moving_variance holds a negative or non-finite value");
            return {};
        }
        case LayerKind::activation:
            if (!field(c, "activation")) return r.error("no activation");
            return r.activation("activation");
        case LayerKind::max_pooling2d:
            return r.window("pool_size");
        case LayerKind::global_average_pooling2d: {
            bool keepdims = false;
            if (!as_bool(field(c, "keepdims"), false, keepdims) || keepdims)
                return r.error("keepdims is not supported");
            return r.channels_last();
        }
        case LayerKind::dense: {
            if (!as_int(field(c, "units"), 1, 1 << 20, l.units)) return r.error("bad units");
            if (auto ok = r.activation("activation"); !ok) return ok;
            bool use_bias = true;
            if (!as_bool(field(c, "use_bias"), true, use_bias)) return r.error("bad use_bias");
            if (auto ok = r.weight("kernel", {channels, l.units}, l.kernel_weights); !ok) return ok;
            if (use_bias) return r.weight("bias", {l.units}, l.bias);
            return {};
        }
        case LayerKind::add:
        case LayerKind::dropout:
            return {};
    }
    return {};
}

// ---- 4. shape inference ----------------------------------------------------------------------

// TensorFlow's output size and 'same' padding: out = ceil(in / s), the padding total
// max((out - 1) s + k - in, 0) split with the odd pixel at the end. 'valid': floor((in - k) / s) + 1.
bool window_output(int in, int k, int s, bool same, int& out, int& pad_begin, int& pad_end) {
    pad_begin = pad_end = 0;
    if (same) {
        out = (in + s - 1) / s;
        int total = std::max((out - 1) * s + k - in, 0);
        pad_begin = total / 2;
        pad_end = total - pad_begin;
        return true;
    }
    if (in < k) return false;
    out = (in - k) / s + 1;
    return true;
}

Result<TfjsShape> infer_shape(TfjsLayer& l, const std::vector<const TfjsShape*>& ins, const std::string& where) {
    const TfjsShape& in = *ins[0];
    auto image_in = [&]() -> Result<void> {
        if (in.size() != 3)
            return fail(where + ": needs an image (H, W, C) input, gets rank " + std::to_string(in.size()));
        return {};
    };
    switch (l.kind) {
        case LayerKind::input:
            return l.output_shape;
        case LayerKind::zero_padding2d:
            if (auto ok = image_in(); !ok) return Error{ok.error()};
            return TfjsShape{in[0] + l.pads[0] + l.pads[1], in[1] + l.pads[2] + l.pads[3], in[2]};
        case LayerKind::conv2d:
        case LayerKind::max_pooling2d: {
            if (auto ok = image_in(); !ok) return Error{ok.error()};
            int h = 0, w = 0;
            if (!window_output(in[0], l.kernel[0], l.strides[0], l.same_padding, h, l.pads[0], l.pads[1]) ||
                !window_output(in[1], l.kernel[1], l.strides[1], l.same_padding, w, l.pads[2], l.pads[3]))
                return fail(where + ": window larger than its " + std::to_string(in[0]) + "x" + std::to_string(in[1]) +
                            " input");
            return TfjsShape{h, w, l.kind == LayerKind::conv2d ? l.units : in[2]};
        }
        case LayerKind::add:
            if (ins.size() < 2) return fail(where + ": needs at least two inputs");
            for (const TfjsShape* s : ins)
                if (*s != in) return fail(where + ": inputs of different shapes");
            return in;
        case LayerKind::global_average_pooling2d:
            if (auto ok = image_in(); !ok) return Error{ok.error()};
            return TfjsShape{in[2]};
        case LayerKind::dense:
            if (in.size() != 1)
                return fail(where + ": only vector inputs are supported (put a pooling layer before it)");
            return TfjsShape{l.units};
        case LayerKind::batch_normalization:
        case LayerKind::activation:
        case LayerKind::dropout:
            return in;
    }
    return in;
}

}  // namespace

const TfjsLayer* TfjsModel::find(std::string_view name) const {
    for (const auto& l : layers)
        if (l.name == name) return &l;
    return nullptr;
}

// ---- 5. parse_tfjs_model ---------------------------------------------------------------------

namespace {

// The first entry of input_layers / output_layers: [["name", 0, 0]].
std::string io_layer(const json& config, const char* key) {
    const json* list = field(config, key);
    if (!list || !list->is_array() || list->size() != 1) return "";
    const json& e = (*list)[0];
    return e.is_array() && !e.empty() ? as_string(&e[0]) : "";
}

Result<void> read_input_layer(const json& config, TfjsLayer& l) {
    const json* shape = field(config, "batch_input_shape");
    if (!shape) shape = field(config, "batch_shape");  // Keras 3's name
    std::array<int, 3> hwc{};
    if (!shape || !shape->is_array() || shape->size() != 4 || !as_int(&(*shape)[1], 1, 8192, hwc[0]) ||
        !as_int(&(*shape)[2], 1, 8192, hwc[1]) || !as_int(&(*shape)[3], 1, 1 << 16, hwc[2]))
        return fail("layer " + l.name + " (InputLayer): the input shape must be [null, H, W, C] with fixed H, W, C");
    l.output_shape = {hwc[0], hwc[1], hwc[2]};
    return {};
}

}  // namespace

Result<TfjsModel> parse_tfjs_model(std::string_view model_json, std::span<const uint8_t> weights) {
    json j = json::parse(model_json.begin(), model_json.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail("model.json: not a JSON object");
    std::string format = as_string(field(j, "format"));
    if (!format.empty() && format != "layers-model")
        return fail("model.json: format \"" + format + "\" is not a TF.js layers model");
    const json* topology = field(j, "modelTopology");
    if (!topology) return fail("model.json: \"modelTopology\" is missing");
    const json* model_config = field(*topology, "model_config");
    if (!model_config) model_config = topology;  // tfjs' own save format has no model_config level
    std::string cls = as_string(field(*model_config, "class_name"));
    if (cls != "Model" && cls != "Functional")
        return fail("model.json: a " + (cls.empty() ? std::string("model of no class") : cls) +
                    " model; only functional models (Model, Functional) are supported");
    const json* config = field(*model_config, "config");
    const json* layers = config ? field(*config, "layers") : nullptr;
    if (!layers || !layers->is_array() || layers->empty()) return fail("model.json: the model has no layers");

    auto index = read_manifest(j, weights);
    if (!index) return Error{index.error()};

    TfjsModel model;
    model.name = as_string(field(*config, "name"));
    std::map<std::string, size_t, std::less<>> by_name;
    for (const json& lj : *layers) {
        TfjsLayer l;
        l.name = as_string(field(lj, "name"));
        if (l.name.empty()) return fail("model.json: a layer without a name");
        std::string kind = as_string(field(lj, "class_name"));
        std::string where = "layer " + l.name + " (" + kind + ")";
        bool known = false;
        for (const auto& [n, k] : kKinds)
            if (kind == n) known = true, l.kind = k;
        if (!known) return fail(where + ": layer kind " + (kind.empty() ? "(none)" : kind) + " is not supported");
        if (by_name.count(l.name)) return fail(where + ": a second layer of that name");
        const json* lc = field(lj, "config");
        if (!lc || !lc->is_object()) return fail(where + ": no config");

        // Keras 2 inbound_nodes: one entry per call of the layer, each a list of
        // ["layer", node_index, tensor_index, kwargs]. We take layers called once.
        const json* inbound = field(lj, "inbound_nodes");
        size_t calls = inbound && inbound->is_array() ? inbound->size() : 0;
        if (l.kind == LayerKind::input) {
            if (!model.layers.empty()) return fail(where + ": only one input, listed first, is supported");
            if (auto ok = read_input_layer(*lc, l); !ok) return Error{ok.error()};
        } else {
            if (calls != 1)
                return fail(where + (calls ? ": a shared layer (called more than once) is not supported"
                                           : ": no inbound node (or not in the Keras 2 format)"));
            if (!(*inbound)[0].is_array()) return fail(where + ": inbound node not in the Keras 2 format");
            for (const json& e : (*inbound)[0]) {
                std::string src = e.is_array() && e.size() >= 3 ? as_string(&e[0]) : "";
                if (src.empty() || !e[1].is_number_integer() || !e[2].is_number_integer())
                    return fail(where + ": inbound node not in the Keras 2 format");
                if (e[1].get<int64_t>() != 0 || e[2].get<int64_t>() != 0)
                    return fail(where + ": takes an output of a shared or multi-output layer: not supported");
                if (!by_name.count(src)) return fail(where + ": input " + src + " is not an earlier layer");
                l.inputs.push_back(src);
            }
            if (l.inputs.empty()) return fail(where + ": no inputs");
            if (l.kind != LayerKind::add && l.inputs.size() != 1) return fail(where + ": more than one input");
        }
        if (model.layers.empty() && l.kind != LayerKind::input)
            return fail("model.json: the first layer must be the InputLayer");

        std::vector<const TfjsShape*> ins;
        for (const auto& src : l.inputs) ins.push_back(&model.layers[by_name.find(src)->second].output_shape);
        static const TfjsShape kNone;
        LayerReader reader{*lc, *index, l, where};
        if (auto ok = read_config(reader, ins.empty() ? kNone : *ins[0]); !ok) return Error{ok.error()};
        if (l.kind != LayerKind::input) {
            auto shape = infer_shape(l, ins, where);
            if (!shape) return Error{shape.error()};
            l.output_shape = std::move(*shape);
        }
        by_name.emplace(l.name, model.layers.size());
        model.layers.push_back(std::move(l));
    }
    std::string input = io_layer(*config, "input_layers");
    model.output = io_layer(*config, "output_layers");
    if (input != model.layers[0].name) return fail("model.json: input_layers must name the one InputLayer");
    if (!by_name.count(model.output)) return fail("model.json: output_layers must name one layer of the model");
    return model;
}

}  // namespace sl
