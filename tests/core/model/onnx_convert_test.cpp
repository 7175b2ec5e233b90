// tests/core/model/onnx_convert_test.cpp: Keras layers become the ONNX nodes onnx_convert.h promises
// (batch norm folded, padding folded or explicit, TensorFlow's 'same' padding, head appended),
// and a folded Conv computes what Keras computes. The whole-network comparison with a reference
// forward pass is tests/node/convert_reference.test.mjs (it needs ONNX Runtime).
#include "core/model/onnx_convert.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "tests/core/onnx_test_util.h"
#include "tests/core/tfjs_fixture.h"

namespace {

using Ints = std::vector<int64_t>;

sl::TfjsModel parse(const TfjsFixture& f, const std::string& out) {
    auto bytes = f.bytes();
    auto m = sl::parse_tfjs_model(f.json_text(out), bytes);
    EXPECT_TRUE(m) << m.error();
    return m ? *m : sl::TfjsModel{};
}

sl::OnnxModel build(const sl::TfjsModel& m, const sl::ConvertOptions& o = {}) {
    auto r = sl::build_onnx_model(m, o);
    EXPECT_TRUE(r) << r.error();
    return r ? *r : sl::OnnxModel{};
}

std::vector<std::string> ops(const sl::OnnxModel& m) {
    std::vector<std::string> out;
    for (const auto& n : m.graph.nodes) out.push_back(n.op_type);
    return out;
}

const sl::OnnxNode* node(const sl::OnnxModel& m, const std::string& op) {
    for (const auto& n : m.graph.nodes)
        if (n.op_type == op) return &n;
    return nullptr;
}

Ints attr(const sl::OnnxNode& n, const std::string& name) {
    for (const auto& a : n.attributes)
        if (a.name == name) return a.kind == sl::OnnxAttribute::Kind::integers ? a.ints : Ints{a.i};
    return {};
}

using sl::test::initializer_values;

// A ConvertOptions head layer with simple weights.
sl::DenseLayer dense(int in, int out, sl::Activation a) {
    sl::DenseLayer d{in, out, std::vector<float>(size_t(in) * out, 0.01f), std::vector<float>(out, 0.1f), a};
    return d;
}

}  // namespace

TEST(OnnxConvert, FoldsBatchNormIntoConv) {
    TfjsFixture f;
    auto x = f.batch_norm("bn", f.conv("c", f.input("in", 5, 5, 2), 3, 1, 1, "valid"));
    auto keras = parse(f, x);
    auto m = build(keras);
    EXPECT_EQ(ops(m), (std::vector<std::string>{"Conv"}));
    const auto& c = *keras.find("c");
    const auto& bn = *keras.find("bn");
    auto w = initializer_values(m, "c/kernel");
    auto b = initializer_values(m, "c/bias");
    ASSERT_EQ(w.size(), 6u);
    for (int o = 0; o < 3; ++o) {
        double scale = bn.gamma[o] / std::sqrt(double(bn.moving_variance[o]) + 1e-3);
        for (int i = 0; i < 2; ++i) EXPECT_NEAR(w[o * 2 + i], c.kernel_weights[i * 3 + o] * scale, 1e-6);
        EXPECT_NEAR(b[o], (c.bias[o] - bn.moving_mean[o]) * scale + bn.beta[o], 1e-5);
    }
}

TEST(OnnxConvert, KeepsBatchNormAfterANonLinearConvAsMulAndAdd) {
    TfjsFixture f;
    auto x = f.batch_norm("bn", f.conv("c", f.input("in", 5, 5, 2), 3, 1, 1, "valid", "relu"));
    auto m = build(parse(f, x));
    EXPECT_EQ(ops(m), (std::vector<std::string>{"Conv", "Relu", "Mul", "Add"}));
    EXPECT_EQ(m.graph.initializers.back().dims, (Ints{3, 1, 1}));  // broadcast over H, W
}

TEST(OnnxConvert, FoldsZeroPaddingIntoTheFollowingConv) {
    TfjsFixture f;
    auto x = f.conv("conv1", f.zero_pad("pad", f.input("in", 37, 37, 3), 3), 4, 7, 2, "valid");
    auto m = build(parse(f, x));
    EXPECT_EQ(ops(m), (std::vector<std::string>{"Conv"}));
    EXPECT_EQ(attr(m.graph.nodes[0], "pads"), (Ints{3, 3, 3, 3}));
    EXPECT_EQ(attr(m.graph.nodes[0], "strides"), (Ints{2, 2}));
    EXPECT_EQ(attr(m.graph.nodes[0], "kernel_shape"), (Ints{7, 7}));
    EXPECT_EQ(m.graph.nodes[0].inputs[0], "input");
}

TEST(OnnxConvert, PadsSameStrideTwoConvsAsymmetricallyLikeTensorFlow) {
    TfjsFixture f;
    auto x = f.conv("c", f.input("in", 10, 10, 2), 3, 3, 2, "same");  // total 1: 0 before, 1 after
    auto m = build(parse(f, x));
    EXPECT_EQ(attr(m.graph.nodes[0], "pads"), (Ints{0, 0, 1, 1}));
}

TEST(OnnxConvert, EmitsAnExplicitZeroPadBeforeMaxPool) {
    TfjsFixture f;
    auto x = f.max_pool("pool", f.zero_pad("pool_pad", f.input("in", 9, 9, 2), 1), 3, 2);
    auto m = build(parse(f, x));
    EXPECT_EQ(ops(m), (std::vector<std::string>{"Pad", "MaxPool"}));
    EXPECT_EQ(initializer_values<int64_t>(m, "pool_pad/pads"), (Ints{0, 0, 1, 1, 0, 0, 1, 1}));
    EXPECT_EQ(m.graph.nodes[0].inputs.size(), 2u);  // no constant_value: zeros
    EXPECT_EQ(attr(m.graph.nodes[1], "pads"), (Ints{0, 0, 0, 0}));
}

TEST(OnnxConvert, KeepsZeroPaddingWithSeveralConsumersAsAPad) {
    TfjsFixture f;
    auto p = f.zero_pad("p", f.input("in", 6, 6, 2), 1);
    auto x = f.add("add", {f.conv("a", p, 2, 3, 1, "valid"), f.conv("b", p, 2, 3, 1, "valid")});
    auto m = build(parse(f, x));
    EXPECT_EQ(ops(m), (std::vector<std::string>{"Pad", "Conv", "Conv", "Add"}));
    EXPECT_EQ(attr(m.graph.nodes[1], "pads"), (Ints{0, 0, 0, 0}));
}

TEST(OnnxConvert, TransposesKernelsFromHwioToOihw) {
    TfjsFixture f;
    auto x = f.conv("c", f.input("in", 6, 6, 2), 3, 2, 1, "valid", "linear", false);
    auto keras = parse(f, x);
    auto m = build(keras);
    auto w = initializer_values(m, "c/kernel");
    const auto& hwio = keras.find("c")->kernel_weights;  // [2][2][2][3]
    for (int o = 0; o < 3; ++o)
        for (int i = 0; i < 2; ++i)
            for (int y = 0; y < 2; ++y)
                for (int xx = 0; xx < 2; ++xx)
                    EXPECT_EQ(w[((o * 2 + i) * 2 + y) * 2 + xx], hwio[((y * 2 + xx) * 2 + i) * 3 + o]);
    EXPECT_EQ(m.graph.nodes[0].inputs.size(), 2u);  // no bias
}

// A zero-padded, 'same', stride-2 conv with batch norm folded in, evaluated from the ONNX node's
// weights and pads, against Keras' arithmetic on NHWC data.
TEST(OnnxConvert, FoldedPaddedConvComputesWhatKerasComputes) {
    const int H = 10, C = 2, K = 3, F = 4;
    TfjsFixture f(11);
    auto x = f.batch_norm("bn", f.conv("c", f.zero_pad("p", f.input("in", H, H, C), 1), F, K, 2, "same"));
    auto keras = parse(f, x);
    auto m = build(keras);
    ASSERT_EQ(ops(m), (std::vector<std::string>{"Conv"}));
    Ints pads = attr(m.graph.nodes[0], "pads");
    EXPECT_EQ(pads, (Ints{1, 1, 2, 2}));  // ZeroPadding 1 + 'same' on 12: 0 before, 1 after
    std::vector<float> img(H * H * C);    // NHWC
    for (auto& v : img) v = f.uniform(-3.f, 3.f);
    auto at = [&](int y, int xx, int c) {
        return y < 0 || xx < 0 || y >= H || xx >= H ? 0.f : img[(y * H + xx) * C + c];
    };

    const auto& conv = *keras.find("c");
    const auto& bn = *keras.find("bn");
    const int out = 6;
    auto w = initializer_values(m, "c/kernel");
    auto b = initializer_values(m, "c/bias");
    double worst = 0;
    for (int oy = 0; oy < out; ++oy)
        for (int ox = 0; ox < out; ++ox)
            for (int o = 0; o < F; ++o) {
                // Keras: pad 1, then TF 'same' on 12x12 (0 before), conv, BN.
                double k = conv.bias[o];
                for (int ky = 0; ky < K; ++ky)
                    for (int kx = 0; kx < K; ++kx)
                        for (int c = 0; c < C; ++c)
                            k += at(oy * 2 + ky - 1, ox * 2 + kx - 1, c) *
                                 conv.kernel_weights[((ky * K + kx) * C + c) * F + o];
                k = (k - bn.moving_mean[o]) / std::sqrt(bn.moving_variance[o] + 1e-3) * bn.gamma[o] + bn.beta[o];
                // ONNX: pads[0] rows before, OIHW weights.
                double onnx = b[o];
                for (int ky = 0; ky < K; ++ky)
                    for (int kx = 0; kx < K; ++kx)
                        for (int c = 0; c < C; ++c)
                            onnx += at(oy * 2 + ky - int(pads[0]), ox * 2 + kx - int(pads[1]), c) *
                                    w[((o * C + c) * K + ky) * K + kx];
                worst = std::max(worst, std::abs(k - onnx));
            }
    EXPECT_LT(worst, 1e-4);
}

TEST(OnnxConvert, MapsPoolingDenseAndActivations) {
    TfjsFixture f;
    auto x = f.activation("sm", f.conv("c", f.input("in", 4, 4, 2), 3, 1, 1, "valid"), "softmax");
    x = f.dense("fc", f.global_pool("gap", x), 2, "sigmoid");
    auto m = build(parse(f, x));
    EXPECT_EQ(ops(m), (std::vector<std::string>{"Conv", "Softmax", "GlobalAveragePool", "Flatten", "Gemm", "Sigmoid"}));
    EXPECT_EQ(attr(*node(m, "Softmax"), "axis"), (Ints{1}));  // the channels, Keras' last axis
    EXPECT_EQ(m.graph.initializers[2].dims, (Ints{3, 2}));    // Dense kernel [in][out], no transB
    EXPECT_TRUE(attr(*node(m, "Gemm"), "transB").empty());
    EXPECT_EQ(m.graph.nodes.back().outputs[0], "output");
}

TEST(OnnxConvert, AddOfThreeBecomesSum) {
    TfjsFixture f;
    auto in = f.input("in", 4, 4, 2);
    auto x = f.add("add", {f.activation("a", in), f.activation("b", in, "sigmoid"), in});
    auto m = build(parse(f, x));
    EXPECT_EQ(ops(m), (std::vector<std::string>{"Relu", "Sigmoid", "Sum"}));
    EXPECT_EQ(m.graph.nodes[2].inputs[2], "input");
}

TEST(OnnxConvert, CutsAfterALayerAndAppendsTheHead) {
    TfjsFixture f;
    auto x =
        f.dense("fc1000", f.global_pool("avg_pool", f.conv("c", f.input("in", 8, 8, 3), 16, 3, 2, "same", "relu")), 10);
    auto keras = parse(f, x);
    sl::ConvertOptions o;
    o.cut_after = "avg_pool";
    o.head = {dense(16, 5, sl::Activation::relu), dense(5, 1, sl::Activation::sigmoid)};
    o.input_name = "image";
    o.output_name = "p_santa";
    sl::ModelDescription about;
    auto r = sl::build_onnx_model(keras, o, &about);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(ops(*r), (std::vector<std::string>{"Conv", "Relu", "GlobalAveragePool", "Flatten", "Gemm", "Relu", "Gemm",
                                                 "Sigmoid"}));
    EXPECT_EQ(r->graph.inputs[0].name, "image");
    EXPECT_EQ(r->graph.inputs[0].dims[0].param, "N");
    EXPECT_EQ(r->graph.inputs[0].dims[1].value, 3);  // NCHW
    EXPECT_EQ(r->graph.outputs[0].name, "p_santa");
    EXPECT_EQ(r->graph.outputs[0].dims.size(), 2u);
    EXPECT_EQ(r->graph.outputs[0].dims[1].value, 1);
    EXPECT_EQ(r->graph.nodes.back().outputs[0], "p_santa");
    EXPECT_EQ(about.nodes, 8);
    EXPECT_EQ(about.parameters, 3 * 3 * 3 * 16 + 16 + 16 * 5 + 5 + 5 + 1);
    EXPECT_EQ(about.macs, 4 * 4 * 16 * 3 * 3 * 3 + 16 * 5 + 5);
    EXPECT_EQ(about.output_shape, (Ints{1}));
}

TEST(OnnxConvert, CutAtAnImageLayerGivesNchwOutput) {
    TfjsFixture f;
    auto c = f.conv("c", f.input("in", 8, 6, 3), 4, 3, 1, "valid");
    auto x = f.dense("fc", f.global_pool("gap", c), 2);
    sl::ConvertOptions o;
    o.cut_after = "c";
    auto m = build(parse(f, x), o);
    EXPECT_EQ(ops(m), (std::vector<std::string>{"Conv"}));
    ASSERT_EQ(m.graph.outputs[0].dims.size(), 4u);
    EXPECT_EQ(m.graph.outputs[0].dims[1].value, 4);
    EXPECT_EQ(m.graph.outputs[0].dims[2].value, 6);
    EXPECT_EQ(m.graph.outputs[0].dims[3].value, 4);
}

TEST(OnnxConvert, CutAtTheInputGivesAnIdentity) {
    TfjsFixture f;
    auto in = f.input("in", 4, 4, 3);
    sl::ConvertOptions o;
    o.cut_after = in;
    auto m = build(parse(f, f.activation("a", in)), o);
    EXPECT_EQ(ops(m), (std::vector<std::string>{"Identity"}));
}

TEST(OnnxConvert, RefusesBadCutsHeadsAndNames) {
    TfjsFixture f;
    auto c = f.conv("c", f.input("in", 8, 8, 3), 4, 3, 1, "valid");
    auto keras = parse(f, f.global_pool("gap", c));
    auto error = [&](sl::ConvertOptions o) {
        auto r = sl::build_onnx_model(keras, o);
        return r ? std::string("no error") : r.error();
    };
    sl::ConvertOptions o;
    o.cut_after = "nope";
    EXPECT_NE(error(o).find("cut_after names no layer"), std::string::npos);
    o.cut_after = "gap";
    o.head = {dense(5, 1, sl::Activation::sigmoid)};
    EXPECT_NE(error(o).find("takes 5 inputs, gets 4"), std::string::npos);
    o.head = {dense(4, 2, sl::Activation::relu), dense(3, 1, sl::Activation::sigmoid)};
    EXPECT_NE(error(o).find("head layer 1"), std::string::npos);
    o.head = {dense(4, 2, sl::Activation::relu)};
    o.head[0].kernel.pop_back();
    EXPECT_NE(error(o).find("kernel must hold"), std::string::npos);
    o.head = {dense(4, 2, sl::Activation::relu)};
    o.head[0].bias[1] = NAN;
    EXPECT_NE(error(o).find("non-finite"), std::string::npos);
    o.head = {dense(4, 2, sl::Activation::relu)};
    o.cut_after = "c";
    EXPECT_NE(error(o).find("needs a vector input"), std::string::npos);
    o = {};
    o.output_name = "c";  // a layer's value is called "c" too
    o.cut_after = "gap";
    EXPECT_NE(error(o).find("used twice"), std::string::npos);
    o.output_name = "input";
    EXPECT_NE(error(o).find("differ"), std::string::npos);
}

TEST(OnnxConvert, ConvertsOnlyWhatTheOutputNeeds) {
    TfjsFixture f;
    auto in = f.input("in", 6, 6, 2);
    f.conv("unused", in, 2, 3, 1, "valid");
    auto m = build(parse(f, f.global_pool("gap", in)));
    EXPECT_EQ(ops(m), (std::vector<std::string>{"GlobalAveragePool", "Flatten"}));
    EXPECT_TRUE(m.graph.initializers.empty());
}

TEST(OnnxConvert, SameModelGivesSameBytes) {
    TfjsFixture f;
    auto x = f.dense("fc",
                     f.global_pool("gap", f.batch_norm("bn", f.conv("c", f.input("in", 9, 9, 3), 4, 3, 2, "same"))), 3);
    auto keras = parse(f, x);
    auto a = sl::convert_to_onnx(keras, {});
    auto b = sl::convert_to_onnx(keras, {});
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*a, *b);
    EXPECT_GT(a->size(), 4u * (3 * 3 * 3 * 4 + 4 * 3));
}
