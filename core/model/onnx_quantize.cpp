// core/model/onnx_quantize.cpp: the 8-bit QDQ graph (see onnx_quantize.h).
//
//   1. reading the float graph: producers, consumers, which Relus and Pads disappear
//   2. quantized_values, with_probe_outputs
//   3. quantize_model: parameters per value, weights and biases, the rewritten node list
//   4. quantize_weights
#include "core/model/onnx_quantize.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace sl {
namespace {

// ---- 1. reading the float graph --------------------------------------------------------------

bool is_quantized_op(const OnnxNode& n) { return n.op_type == "Conv" || n.op_type == "Add"; }

struct Plan {
    const OnnxGraph& g;
    std::map<std::string, const OnnxTensor*> initializers;
    std::map<std::string, int> producer;                // value -> node index
    std::map<std::string, std::vector<int>> consumers;  // value -> node indices
    std::set<int> dropped;                              // fused Relus, folded Pads
    std::map<int, std::string> output;                  // node -> its output after a fused Relu
    std::map<int, int> pad_of;                          // MaxPool -> the Pad it absorbs
    std::set<std::string> nonnegative;                  // Relu outputs
    std::vector<std::string> values;                    // quantized, graph order, calibrated
    std::map<std::string, std::string> same_as;         // MaxPool output -> its input's value

    explicit Plan(const OnnxGraph& graph);
    const std::string& out(int i) const {
        auto it = output.find(i);
        return it != output.end() ? it->second : g.nodes[size_t(i)].outputs[0];
    }
    bool is_initializer(const std::string& v) const { return initializers.count(v) > 0; }
    // A MaxPool's input, looking through the Pad it absorbs.
    const std::string& pool_input(int i) const {
        auto it = pad_of.find(i);
        return g.nodes[size_t(it != pad_of.end() ? it->second : i)].inputs[0];
    }
};

// Pads of a zero Pad node as {top, left, bottom, right}, or nothing when it pads N or C, or is
// not a constant zero pad.
std::optional<std::array<int64_t, 4>> spatial_zero_pads(const Plan& p, const OnnxNode& pad) {
    if (pad.inputs.size() != 2) return std::nullopt;  // a third input would be another constant
    for (const auto& a : pad.attributes)
        if (a.name == "mode" && a.s != "constant") return std::nullopt;
    auto it = p.initializers.find(pad.inputs[1]);
    if (it == p.initializers.end() || it->second->type != OnnxType::int64 || it->second->element_count() != 8)
        return std::nullopt;
    int64_t v[8];
    std::memcpy(v, it->second->raw.data(), sizeof v);
    if (v[0] || v[1] || v[4] || v[5]) return std::nullopt;
    return std::array<int64_t, 4>{v[2], v[3], v[6], v[7]};
}

Plan::Plan(const OnnxGraph& graph) : g(graph) {
    for (const auto& t : g.initializers) initializers[t.name] = &t;
    for (int i = 0; i < int(g.nodes.size()); ++i) {
        for (const auto& v : g.nodes[size_t(i)].outputs) producer[v] = i;
        for (const auto& v : g.nodes[size_t(i)].inputs) consumers[v].push_back(i);
    }
    // Relus that become the clamp of their producer's quantization.
    for (int i = 0; i < int(g.nodes.size()); ++i) {
        const OnnxNode& n = g.nodes[size_t(i)];
        if (n.op_type != "Relu") continue;
        nonnegative.insert(n.outputs[0]);
        auto p = producer.find(n.inputs[0]);
        if (p == producer.end() || consumers[n.inputs[0]].size() != 1 || !is_quantized_op(g.nodes[size_t(p->second)]))
            continue;
        dropped.insert(i);
        output[p->second] = n.outputs[0];
    }
    // Zero pads of a non-negative value before a MaxPool join its pads.
    for (int i = 0; i < int(g.nodes.size()); ++i) {
        const OnnxNode& n = g.nodes[size_t(i)];
        if (n.op_type != "Pad" || !nonnegative.count(n.inputs[0]) || !spatial_zero_pads(*this, n)) continue;
        const auto& users = consumers[n.outputs[0]];
        if (users.size() != 1 || g.nodes[size_t(users[0])].op_type != "MaxPool") continue;
        dropped.insert(i);
        pad_of[users[0]] = i;
    }
    // The quantized values: every Conv and Add output (a fused Relu needs its clamp), and every
    // input of a Conv (data), Add or MaxPool, which must come quantized.
    std::set<std::string> wanted;
    for (int i = 0; i < int(g.nodes.size()); ++i) {
        const OnnxNode& n = g.nodes[size_t(i)];
        if (dropped.count(i)) continue;
        if (n.op_type == "Conv") {
            wanted.insert(n.inputs[0]);
            wanted.insert(out(i));
        } else if (n.op_type == "Add" && !is_initializer(n.inputs[0]) && !is_initializer(n.inputs[1])) {
            wanted.insert(n.inputs.begin(), n.inputs.end());
            wanted.insert(out(i));
        } else if (n.op_type == "MaxPool") {
            wanted.insert(pool_input(i));
            same_as[n.outputs[0]] = pool_input(i);
        }
    }
    for (const auto& in : g.inputs)
        if (wanted.count(in.name)) values.push_back(in.name);
    for (int i = 0; i < int(g.nodes.size()); ++i)
        if (!dropped.count(i) && wanted.count(out(i)) && !same_as.count(out(i))) values.push_back(out(i));
}

// ---- 3. quantize_model's parts ---------------------------------------------------------------

struct Params {
    float scale = 1;
    uint8_t zero_point = 0;
};

// uint8 parameters for [lo, hi], widened to hold 0 (zero padding and Relu's floor are exact).
Params uint8_params(float lo, float hi) {
    lo = std::min(lo, 0.f);
    hi = std::max(hi, 0.f);
    Params p;
    p.scale = hi > lo ? (hi - lo) / 255.f : 1.f;
    p.zero_point = uint8_t(std::clamp(std::lround(-lo / p.scale), 0L, 255L));
    return p;
}

const OnnxAttribute axis0 = OnnxAttribute::of_int("axis", 0);

struct Writer {
    OnnxGraph& g;
    void scalar_params(const std::string& name, const Params& p) {
        g.initializers.push_back(make_float_tensor(name + "/scale", {}, std::span(&p.scale, 1)));
        g.initializers.push_back(make_uint8_tensor(name + "/zero_point", {}, std::span(&p.zero_point, 1)));
    }
    // raw (float) -> name/q (uint8) -> name (float again, as the consumers read it).
    void quantize(const std::string& raw, const std::string& name, const std::string& params) {
        g.nodes.push_back({"QuantizeLinear",
                           name + "/quantize",
                           {raw, params + "/scale", params + "/zero_point"},
                           {name + "/q"},
                           {}});
        g.nodes.push_back({"DequantizeLinear",
                           name + "/dequantize",
                           {name + "/q", params + "/scale", params + "/zero_point"},
                           {name},
                           {}});
    }
};

// Conv weights [O, ...] as int8 per output channel -> the name of their DequantizeLinear output;
// `weight_scales` receives the scales.
std::string int8_weights(Writer& w, const OnnxTensor& t, std::vector<float>& weight_scales) {
    const int64_t out = t.dims.at(0), per = t.element_count() / out;
    std::vector<float> values(size_t(t.element_count()));
    std::memcpy(values.data(), t.raw.data(), t.raw.size());
    std::vector<int8_t> q(values.size());
    weight_scales.assign(size_t(out), 1.f);
    for (int64_t o = 0; o < out; ++o) {
        float m = 0;
        for (int64_t k = 0; k < per; ++k) m = std::max(m, std::abs(values[size_t(o * per + k)]));
        const float s = m > 0 ? m / 127.f : 1.f;
        weight_scales[size_t(o)] = s;
        for (int64_t k = 0; k < per; ++k)
            q[size_t(o * per + k)] = int8_t(std::clamp(std::lround(values[size_t(o * per + k)] / s), -127L, 127L));
    }
    const std::vector<int8_t> zeros(size_t(out), 0);
    w.g.initializers.push_back(make_int8_tensor(t.name + "/int8", t.dims, q));
    w.g.initializers.push_back(make_float_tensor(t.name + "/scale", {out}, weight_scales));
    w.g.initializers.push_back(make_int8_tensor(t.name + "/zero_point", {out}, zeros));
    w.g.nodes.push_back({"DequantizeLinear",
                         t.name + "/dequantize",
                         {t.name + "/int8", t.name + "/scale", t.name + "/zero_point"},
                         {t.name + "/dq"},
                         {axis0}});
    return t.name + "/dq";
}

// A Conv bias as int32 at the scale input x weight, per output channel.
std::string int32_bias(Writer& w, const OnnxTensor& t, float input_scale, const std::vector<float>& weight_scales) {
    const size_t n = size_t(t.element_count());
    std::vector<float> values(n), scales(n);
    std::memcpy(values.data(), t.raw.data(), t.raw.size());
    std::vector<int32_t> q(n);
    constexpr double lim = std::numeric_limits<int32_t>::max();
    for (size_t o = 0; o < n; ++o) {
        scales[o] = input_scale * weight_scales[o];
        q[o] = int32_t(std::clamp(std::round(double(values[o]) / scales[o]), -lim, lim));
    }
    const std::vector<int32_t> zeros(n, 0);
    w.g.initializers.push_back(make_int32_tensor(t.name + "/int32", t.dims, q));
    w.g.initializers.push_back(make_float_tensor(t.name + "/scale", t.dims, scales));
    w.g.initializers.push_back(make_int32_tensor(t.name + "/zero_point", t.dims, zeros));
    w.g.nodes.push_back({"DequantizeLinear",
                         t.name + "/dequantize",
                         {t.name + "/int32", t.name + "/scale", t.name + "/zero_point"},
                         {t.name + "/dq"},
                         {axis0}});
    return t.name + "/dq";
}

bool is_float_initializer(const Plan& p, const std::string& name) {
    auto it = p.initializers.find(name);
    return it != p.initializers.end() && it->second->type == OnnxType::float32 && !it->second->dims.empty();
}

// A Conv's float weights in 8 bits (int8_weights): `n` then reads them dequantized, `replaced`
// gets the float initializer's name, `weight_scales` the scales. Shared by both graphs.
Result<void> quantize_conv_weights(Writer& w, const Plan& p, OnnxNode& n, std::set<std::string>& replaced,
                                   std::vector<float>& weight_scales) {
    if (n.inputs.size() < 2 || !is_float_initializer(p, n.inputs[1]))
        return fail("quantize: Conv " + n.name + " has no float weight initializer");
    replaced.insert(n.inputs[1]);
    n.inputs[1] = int8_weights(w, *p.initializers.at(n.inputs[1]), weight_scales);
    return {};
}

}  // namespace

// ---- 2. quantized_values, with_probe_outputs -------------------------------------------------

std::vector<std::string> quantized_values(const OnnxModel& fp32) { return Plan(fp32.graph).values; }

OnnxModel with_probe_outputs(OnnxModel fp32, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        if (std::any_of(fp32.graph.outputs.begin(), fp32.graph.outputs.end(),
                        [&](const OnnxValueInfo& v) { return v.name == name; }))
            continue;
        fp32.graph.outputs.push_back({name, OnnxType::float32, {}, false});
    }
    return fp32;
}

// ---- 3. quantize_model -----------------------------------------------------------------------

Result<OnnxModel> quantize_model(const OnnxModel& fp32, std::span<const ValueRange> ranges) {
    const Plan plan(fp32.graph);
    std::map<std::string, ValueRange> by_name;
    for (const auto& r : ranges) {
        if (!std::isfinite(r.min) || !std::isfinite(r.max) || r.min > r.max)
            return fail("quantize: the range of " + r.name + " is not a finite [min, max]");
        by_name[r.name] = r;
    }
    std::map<std::string, Params> params;  // value -> its uint8 parameters
    for (const auto& v : plan.values) {
        auto it = by_name.find(v);
        if (it == by_name.end()) return fail("quantize: no calibrated range for " + v);
        params[v] = uint8_params(plan.nonnegative.count(v) ? 0.f : it->second.min, it->second.max);
    }
    for (const auto& [pooled, input] : plan.same_as) params[pooled] = params.at(input);

    OnnxModel q = fp32;
    q.doc_string += "; 8-bit: int8 per-channel Conv weights, uint8 activations (QDQ), calibrated";
    OnnxGraph& g = q.graph;
    g.nodes.clear();
    std::set<std::string> replaced;  // float initializers that now exist as integers
    Writer w{g};
    for (const auto& name : plan.values) w.scalar_params(name, params.at(name));  // MaxPools reuse them

    // The graph input is read through its quantization by the nodes that want it quantized.
    std::map<std::string, std::string> alias;
    for (const auto& in : g.inputs)
        if (params.count(in.name)) {
            alias[in.name] = in.name + "/dq";
            w.quantize(in.name, in.name + "/dq", in.name);
        }
    const auto read = [&](const std::string& v) {
        auto it = alias.find(v);
        return it != alias.end() ? it->second : v;
    };

    for (int i = 0; i < int(fp32.graph.nodes.size()); ++i) {
        if (plan.dropped.count(i)) continue;
        OnnxNode n = fp32.graph.nodes[size_t(i)];
        const std::string out = plan.out(i);
        for (auto& v : n.inputs) v = read(v);
        if (n.op_type == "Conv") {
            const std::string& x = fp32.graph.nodes[size_t(i)].inputs[0];
            std::vector<float> weight_scales;
            if (auto ok = quantize_conv_weights(w, plan, n, replaced, weight_scales); !ok) return fail(ok.error());
            if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
                if (!is_float_initializer(plan, n.inputs[2]))
                    return fail("quantize: Conv " + n.name + " has no float bias initializer");
                replaced.insert(n.inputs[2]);
                n.inputs[2] = int32_bias(w, *plan.initializers.at(n.inputs[2]), params.at(x).scale, weight_scales);
            }
        } else if (n.op_type == "MaxPool" && plan.pad_of.count(i)) {
            const OnnxNode& pad = fp32.graph.nodes[size_t(plan.pad_of.at(i))];
            n.inputs[0] = read(pad.inputs[0]);
            const auto extra = *spatial_zero_pads(plan, pad);
            bool has_pads = false;
            for (auto& a : n.attributes)
                if (a.name == "pads") {
                    has_pads = true;
                    for (int k = 0; k < 4; ++k) a.ints.at(size_t(k)) += extra[size_t(k)];
                }
            if (!has_pads)
                n.attributes.push_back(OnnxAttribute::of_ints("pads", {extra[0], extra[1], extra[2], extra[3]}));
            replaced.insert(pad.inputs[1]);
        }
        if (params.count(out)) {
            n.outputs[0] = out + "/f";
            g.nodes.push_back(std::move(n));
            w.quantize(out + "/f", out, plan.same_as.count(out) ? plan.same_as.at(out) : out);
        } else {
            n.outputs[0] = out;
            g.nodes.push_back(std::move(n));
        }
    }
    std::erase_if(g.initializers, [&](const OnnxTensor& t) { return replaced.count(t.name) > 0; });
    return q;
}

// ---- 4. quantize_weights ---------------------------------------------------------------------

Result<OnnxModel> quantize_weights(const OnnxModel& fp32) {
    const Plan plan(fp32.graph);
    OnnxModel q = fp32;
    q.doc_string += "; weights in 8 bits: int8 per-channel Conv weights, dequantized as the graph runs";
    OnnxGraph& g = q.graph;
    g.nodes.clear();
    std::set<std::string> replaced;
    Writer w{g};
    std::vector<float> weight_scales;
    for (OnnxNode n : fp32.graph.nodes) {
        if (n.op_type == "Conv")
            if (auto ok = quantize_conv_weights(w, plan, n, replaced, weight_scales); !ok) return fail(ok.error());
        g.nodes.push_back(std::move(n));
    }
    std::erase_if(g.initializers, [&](const OnnxTensor& t) { return replaced.count(t.name) > 0; });
    return q;
}

}  // namespace sl
