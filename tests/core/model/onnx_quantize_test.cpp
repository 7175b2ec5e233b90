// tests/core/model/onnx_quantize_test.cpp: the 8-bit rewrite of a small ResNet-like float graph
// (Conv, Relu, zero Pad, MaxPool, Conv, Add, Relu, global pooling, dense): which values are
// calibrated, which nodes disappear, and the integer weights and biases; and the weight-only
// rewrite. That ONNX Runtime fuses
// and runs the result, and how close it stays to the float model, is checked on the real model
// by tests/node/model_check.test.mjs.
#include "core/model/onnx_quantize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "tests/core/onnx_test_util.h"

namespace {

using sl::OnnxAttribute;
using sl::OnnxModel;
using sl::OnnxNode;
using sl::test::initializer_values;

OnnxModel small_resnet() {
    OnnxModel m;
    auto& g = m.graph;
    g.inputs.push_back({"input", sl::OnnxType::float32, {sl::OnnxDim::symbol("N"), 3, 8, 8}});
    g.outputs.push_back({"p", sl::OnnxType::float32, {sl::OnnxDim::symbol("N"), 2}});
    std::vector<float> w1(4 * 3 * 3 * 3), b1{0.5f, -0.25f, 0.f, 1.f}, w2(4 * 4), b2(4, 0.1f), dense(4 * 2, 0.5f);
    for (size_t i = 0; i < w1.size(); ++i)
        w1[i] = std::sin(float(i)) * (1 + float(i / 27));  // channels of different scales
    for (size_t i = 0; i < w2.size(); ++i) w2[i] = std::cos(float(i));
    g.initializers.push_back(sl::make_float_tensor("w1", {4, 3, 3, 3}, w1));
    g.initializers.push_back(sl::make_float_tensor("b1", {4}, b1));
    g.initializers.push_back(sl::make_float_tensor("w2", {4, 4, 1, 1}, w2));
    g.initializers.push_back(sl::make_float_tensor("b2", {4}, b2));
    g.initializers.push_back(sl::make_float_tensor("dense", {4, 2}, dense));
    const int64_t pads[8] = {0, 0, 1, 1, 0, 0, 1, 1};
    g.initializers.push_back(sl::make_int64_tensor("pads", {8}, pads));
    const auto ints = OnnxAttribute::of_ints;
    g.nodes = {
        {"Conv", "conv1", {"input", "w1", "b1"}, {"conv1"}, {ints("pads", {1, 1, 1, 1})}},
        {"Relu", "relu1", {"conv1"}, {"relu1"}, {}},
        {"Pad", "pad", {"relu1", "pads"}, {"padded"}, {OnnxAttribute::of_string("mode", "constant")}},
        {"MaxPool", "pool", {"padded"}, {"pool"}, {ints("kernel_shape", {3, 3}), ints("strides", {2, 2})}},
        {"Conv", "conv2", {"pool", "w2", "b2"}, {"conv2"}, {}},
        {"Add", "add", {"conv2", "pool"}, {"add"}, {}},
        {"Relu", "relu2", {"add"}, {"relu2"}, {}},
        {"GlobalAveragePool", "gap", {"relu2"}, {"gap"}, {}},
        {"Flatten", "flat", {"gap"}, {"flat"}, {OnnxAttribute::of_int("axis", 1)}},
        {"MatMul", "dense", {"flat", "dense"}, {"p"}, {}},
    };
    return m;
}

std::vector<sl::ValueRange> ranges_for(const OnnxModel& m) {
    std::vector<sl::ValueRange> r;
    for (const auto& name : sl::quantized_values(m)) r.push_back({name, -2.f, 6.f});
    return r;
}

const OnnxNode* find_op(const OnnxModel& m, const std::string& op, const std::string& name = "") {
    for (const auto& n : m.graph.nodes)
        if (n.op_type == op && (name.empty() || n.name == name)) return &n;
    return nullptr;
}

TEST(OnnxQuantize, CalibratesTheInputAndEveryConvAndAddOutputAfterItsRelu) {
    // relu1 and relu2 stand for their Conv and Add; the MaxPool reuses relu1's parameters.
    EXPECT_EQ(sl::quantized_values(small_resnet()), (std::vector<std::string>{"input", "relu1", "conv2", "relu2"}));
}

TEST(OnnxQuantize, ProbeOutputsHaveNoShape) {
    const OnnxModel probe = sl::with_probe_outputs(small_resnet(), {"relu1", "p"});
    ASSERT_EQ(probe.graph.outputs.size(), 2u);  // "p" is already an output
    EXPECT_EQ(probe.graph.outputs[1].name, "relu1");
    EXPECT_FALSE(probe.graph.outputs[1].has_shape);
}

TEST(OnnxQuantize, FusesReluAndFoldsThePadIntoTheMaxPool) {
    const auto q = sl::quantize_model(small_resnet(), ranges_for(small_resnet()));
    ASSERT_TRUE(q) << q.error();
    EXPECT_EQ(find_op(*q, "Relu"), nullptr);
    EXPECT_EQ(find_op(*q, "Pad"), nullptr);
    const OnnxNode* pool = find_op(*q, "MaxPool");
    ASSERT_NE(pool, nullptr);
    EXPECT_EQ(pool->inputs[0], "relu1");  // the dequantized Conv output, not the padded copy
    const auto pads =
        std::find_if(pool->attributes.begin(), pool->attributes.end(), [](const auto& a) { return a.name == "pads"; });
    ASSERT_NE(pads, pool->attributes.end());
    EXPECT_EQ(pads->ints, (std::vector<int64_t>{1, 1, 1, 1}));
    // The MaxPool's output is quantized with its input's parameters (ONNX Runtime then drops both).
    const OnnxNode* requant = find_op(*q, "QuantizeLinear", "pool/quantize");
    ASSERT_NE(requant, nullptr);
    EXPECT_EQ(requant->inputs[1], "relu1/scale");
    // A Relu's range starts at 0: zero point 0 clamps negatives as the Relu did.
    EXPECT_EQ(initializer_values<uint8_t>(*q, "relu1/zero_point"), std::vector<uint8_t>{0});
    EXPECT_FLOAT_EQ(initializer_values<float>(*q, "relu1/scale")[0], 6.f / 255.f);
    // conv2 (before the Add) keeps its negative range: zero point round(2 / scale).
    EXPECT_EQ(initializer_values<uint8_t>(*q, "conv2/zero_point")[0], uint8_t(std::lround(2 / (8.f / 255.f))));
    // Float weights and the Pad's constant are gone; the dense layer stays float.
    for (const auto& t : q->graph.initializers)
        EXPECT_TRUE(t.name != "w1" && t.name != "b1" && t.name != "pads") << t.name;
    EXPECT_EQ(initializer_values<float>(*q, "dense").size(), 8u);
    EXPECT_NE(find_op(*q, "MatMul"), nullptr);
}

TEST(OnnxQuantize, WeightsAreInt8PerOutputChannelAndBiasesInt32AtInputTimesWeightScale) {
    const OnnxModel fp32 = small_resnet();
    const auto q = sl::quantize_model(fp32, ranges_for(fp32));
    ASSERT_TRUE(q) << q.error();
    const auto w = initializer_values<float>(fp32, "w1");
    const auto wq = initializer_values<int8_t>(*q, "w1/int8");
    const auto ws = initializer_values<float>(*q, "w1/scale");
    ASSERT_EQ(wq.size(), w.size());
    ASSERT_EQ(ws.size(), 4u);
    for (size_t o = 0; o < 4; ++o) {
        float m = 0;
        int peak = 0;
        for (size_t k = 0; k < 27; ++k) {
            m = std::max(m, std::abs(w[o * 27 + k]));
            peak = std::max(peak, std::abs(int(wq[o * 27 + k])));
            EXPECT_NEAR(wq[o * 27 + k] * ws[o], w[o * 27 + k], ws[o] / 2 + 1e-6f);
        }
        EXPECT_FLOAT_EQ(ws[o], m / 127.f);
        EXPECT_EQ(peak, 127);  // symmetric: the largest weight of each channel uses the full range
    }
    const float input_scale = initializer_values<float>(*q, "input/scale")[0];
    const auto bq = initializer_values<int32_t>(*q, "b1/int32");
    const auto bs = initializer_values<float>(*q, "b1/scale");
    const std::vector<float> b{0.5f, -0.25f, 0.f, 1.f};
    for (size_t o = 0; o < 4; ++o) {
        EXPECT_FLOAT_EQ(bs[o], input_scale * ws[o]);
        EXPECT_NEAR(bq[o] * bs[o], b[o], bs[o] / 2 + 1e-6f);
    }
    // The Conv reads the dequantized input, weights and bias, in that order.
    const OnnxNode* conv = find_op(*q, "Conv", "conv1");
    ASSERT_NE(conv, nullptr);
    EXPECT_EQ(conv->inputs, (std::vector<std::string>{"input/dq", "w1/dq", "b1/dq"}));
}

TEST(OnnxQuantize, NodesStayInTopologicalOrder) {
    const auto q = sl::quantize_model(small_resnet(), ranges_for(small_resnet()));
    ASSERT_TRUE(q) << q.error();
    std::map<std::string, bool> known{{"input", true}};
    for (const auto& t : q->graph.initializers) known[t.name] = true;
    for (const auto& n : q->graph.nodes) {
        for (const auto& in : n.inputs)
            EXPECT_TRUE(known.count(in)) << n.name << " reads " << in << " before it exists";
        for (const auto& out : n.outputs) known[out] = true;
    }
    EXPECT_TRUE(known.count("p"));
}

TEST(OnnxQuantize, RefusesMissingOrBrokenRanges) {
    const OnnxModel fp32 = small_resnet();
    auto r = ranges_for(fp32);
    r.erase(r.begin() + 2);  // conv2
    auto q = sl::quantize_model(fp32, r);
    ASSERT_FALSE(q);
    EXPECT_NE(q.error().find("no calibrated range for conv2"), std::string::npos) << q.error();
    r = ranges_for(fp32);
    r[1].min = NAN;
    q = sl::quantize_model(fp32, r);
    ASSERT_FALSE(q);
    EXPECT_NE(q.error().find("relu1"), std::string::npos) << q.error();
}

}  // namespace

TEST(OnnxQuantizeWeights, OnlyConvWeightsBecomeInt8EverythingElseStaysAsItWas) {
    const OnnxModel fp32 = small_resnet();
    const auto q = sl::quantize_weights(fp32);
    ASSERT_TRUE(q) << q.error();
    // The int8 weights are those of the full 8-bit graph, each read through a DequantizeLinear.
    const auto full = sl::quantize_model(fp32, ranges_for(fp32));
    ASSERT_TRUE(full) << full.error();
    for (const char* w : {"w1", "w2"}) {
        const std::string name = w;
        EXPECT_EQ(initializer_values<int8_t>(*q, name + "/int8"), initializer_values<int8_t>(*full, name + "/int8"))
            << w;
        EXPECT_EQ(initializer_values<float>(*q, name + "/scale"), initializer_values<float>(*full, name + "/scale"))
            << w;
        const OnnxNode* dq = find_op(*q, "DequantizeLinear", name + "/dequantize");
        ASSERT_NE(dq, nullptr) << w;
        EXPECT_EQ(dq->outputs[0], name + "/dq");
    }
    const OnnxNode* conv = find_op(*q, "Conv", "conv1");
    ASSERT_NE(conv, nullptr);
    EXPECT_EQ(conv->inputs, (std::vector<std::string>{"input", "w1/dq", "b1"}));  // float input and bias
    // No activation is quantized, and no node of the float graph goes: Relus and the Pad stay.
    EXPECT_EQ(find_op(*q, "QuantizeLinear"), nullptr);
    for (const auto& n : fp32.graph.nodes) EXPECT_NE(find_op(*q, n.op_type, n.name), nullptr) << n.name;
    EXPECT_EQ(q->graph.nodes.size(), fp32.graph.nodes.size() + 2);
    for (const auto& t : q->graph.initializers) EXPECT_TRUE(t.name != "w1" && t.name != "w2") << t.name;
    EXPECT_EQ(initializer_values<float>(*q, "b1"), (std::vector<float>{0.5f, -0.25f, 0.f, 1.f}));
}

TEST(OnnxQuantizeWeights, RefusesAConvWithoutFloatWeights) {
    OnnxModel m = small_resnet();
    m.graph.nodes[0].inputs[1] = "input";  // weights that are not an initializer
    const auto q = sl::quantize_weights(m);
    ASSERT_FALSE(q);
    EXPECT_NE(q.error().find("conv1"), std::string::npos) << q.error();
}
