// tests/core/model/tfjs_model_test.cpp: reading TF.js layers models, inferring shapes the way
// TensorFlow does, and refusing broken or unsupported ones with a reason (never a crash).
#include "core/model/tfjs_model.h"

#include <gtest/gtest.h>

#include "tests/core/tfjs_fixture.h"

namespace {

using json = nlohmann::json;

// A ResNet-like stem and block on an odd-sized input.
TfjsFixture resnet_like(std::string& out) {
    TfjsFixture f;
    auto x = f.input("input_1", 37, 37, 3);
    x = f.zero_pad("conv1_pad", x, 3);
    x = f.conv("conv1", x, 4, 7, 2, "valid");
    x = f.batch_norm("bn_conv1", x);
    x = f.activation("act1", x);
    x = f.zero_pad("pool1_pad", x, 1);
    x = f.max_pool("pool1", x, 3, 2);
    auto a = f.conv("res_a", x, 6, 3, 2, "same");
    auto b = f.conv("res_b", x, 6, 1, 2, "valid");
    x = f.add("add", {a, b});
    x = f.global_pool("avg_pool", x);
    out = f.dense("fc", x, 5);
    return f;
}

sl::Result<sl::TfjsModel> parse(const TfjsFixture& f, const std::string& out) {
    auto bytes = f.bytes();
    return sl::parse_tfjs_model(f.json_text(out), bytes);
}

void expect_error(const sl::Result<sl::TfjsModel>& r, const std::string& part) {
    ASSERT_FALSE(r) << "expected an error mentioning " << part;
    EXPECT_NE(r.error().find(part), std::string::npos) << r.error();
    EXPECT_EQ(r.error().find('\n'), std::string::npos) << "one line: " << r.error();
}

}  // namespace

TEST(TfjsModel, ReadsLayersInputsAndWeights) {
    std::string out;
    auto f = resnet_like(out);
    auto m = parse(f, out);
    ASSERT_TRUE(m) << m.error();
    EXPECT_EQ(m->name, "fixture");
    EXPECT_EQ(m->output, "fc");
    ASSERT_EQ(m->layers.size(), 12u);
    const sl::TfjsLayer* conv = m->find("conv1");
    ASSERT_TRUE(conv);
    EXPECT_EQ(conv->kind, sl::LayerKind::conv2d);
    EXPECT_EQ(conv->kernel_weights.size(), 7u * 7 * 3 * 4);
    // The first weight of the buffer is conv1's kernel[0][0][0][0].
    EXPECT_EQ(conv->kernel_weights[0], f.values()[0]);
    EXPECT_EQ(m->find("add")->inputs, (std::vector<std::string>{"res_a", "res_b"}));
    EXPECT_EQ(m->find("fc")->activation, sl::Activation::softmax);
    EXPECT_FLOAT_EQ(float(m->find("bn_conv1")->epsilon), 1e-3f);
}

TEST(TfjsModel, InfersOutputShapesLikeTensorFlow) {
    std::string out;
    auto m = parse(resnet_like(out), out);
    ASSERT_TRUE(m) << m.error();
    using S = sl::TfjsShape;
    EXPECT_EQ(m->find("conv1_pad")->output_shape, (S{43, 43, 3}));
    EXPECT_EQ(m->find("conv1")->output_shape, (S{19, 19, 4}));  // floor((43 - 7) / 2) + 1
    EXPECT_EQ(m->find("pool1")->output_shape, (S{10, 10, 4}));  // floor((21 - 3) / 2) + 1
    EXPECT_EQ(m->find("res_a")->output_shape, (S{5, 5, 6}));    // ceil(10 / 2)
    EXPECT_EQ(m->find("res_b")->output_shape, (S{5, 5, 6}));
    EXPECT_EQ(m->find("avg_pool")->output_shape, (S{6}));
    EXPECT_EQ(m->find("fc")->output_shape, (S{5}));
}

TEST(TfjsModel, SamePaddingPutsTheOddPixelAtTheEnd) {
    for (auto [size, stride, k, begin, end] :
         {std::array{10, 2, 3, 0, 1}, std::array{9, 2, 3, 1, 1}, std::array{7, 1, 3, 1, 1}, std::array{8, 1, 4, 1, 2},
          std::array{5, 3, 1, 0, 0}}) {
        TfjsFixture f;
        auto x = f.conv("c", f.input("in", size, size, 2), 3, k, stride, "same");
        auto m = parse(f, x);
        ASSERT_TRUE(m) << m.error();
        const auto& l = *m->find("c");
        EXPECT_EQ(l.output_shape[0], (size + stride - 1) / stride);
        EXPECT_EQ(l.pads, (std::array{begin, end, begin, end})) << size << " " << stride << " " << k;
    }
}

TEST(TfjsModel, RefusesMalformedJson) {
    std::vector<uint8_t> none;
    expect_error(sl::parse_tfjs_model("{\"format\": \"layers-model\", ", none), "not a JSON object");
    expect_error(sl::parse_tfjs_model("[1, 2]", none), "not a JSON object");
    expect_error(sl::parse_tfjs_model("", none), "not a JSON object");
    expect_error(sl::parse_tfjs_model("{}", none), "modelTopology");
}

TEST(TfjsModel, RefusesAnUnknownLayerKind) {
    TfjsFixture f;
    auto x = f.layer("LSTM", "lstm_1", {{"units", 4}}, {f.input("in", 4, 4, 1)});
    expect_error(parse(f, x), "LSTM");
    expect_error(parse(f, x), "lstm_1");
}

TEST(TfjsModel, RefusesSequentialModels) {
    std::string out;
    json j = resnet_like(out).model(out);
    j["modelTopology"]["model_config"]["class_name"] = "Sequential";
    expect_error(sl::parse_tfjs_model(j.dump(), {}), "Sequential");
}

TEST(TfjsModel, RefusesTruncatedOrOverlongWeights) {
    std::string out;
    auto f = resnet_like(out);
    auto bytes = f.bytes();
    std::string text = f.json_text(out);
    expect_error(sl::parse_tfjs_model(text, std::span(bytes).first(bytes.size() - 4)), "truncated");
    expect_error(sl::parse_tfjs_model(text, std::span<const uint8_t>()), "0 bytes given");
    bytes.push_back(0);
    expect_error(sl::parse_tfjs_model(text, bytes), "bytes given");
}

TEST(TfjsModel, RefusesAMissingWeight) {
    std::string out;
    auto f = resnet_like(out);
    json j = f.model(out);
    j["weightsManifest"][0]["weights"][0]["name"] = "something_else/kernel";
    auto bytes = f.bytes();
    expect_error(sl::parse_tfjs_model(j.dump(), bytes), "layer conv1 (Conv2D): weight kernel missing");
}

TEST(TfjsModel, RefusesAWeightOfTheWrongShape) {
    TfjsFixture f;
    auto x = f.dense("fc", f.global_pool("gap", f.input("in", 3, 3, 4)), 2);
    json j = f.model(x);
    j["weightsManifest"][0]["weights"][0]["shape"] = {2, 4};
    auto bytes = f.bytes();
    expect_error(sl::parse_tfjs_model(j.dump(), bytes), "shape [2, 4], expected [4, 2]");
}

TEST(TfjsModel, RefusesQuantizedAndNonFloatWeights) {
    std::string out;
    auto f = resnet_like(out);
    auto bytes = f.bytes();
    json j = f.model(out);
    j["weightsManifest"][0]["weights"][1]["dtype"] = "int32";
    expect_error(sl::parse_tfjs_model(j.dump(), bytes), "only float32");
    j = f.model(out);
    j["weightsManifest"][0]["weights"][1]["quantization"] = {{"dtype", "uint8"}};
    expect_error(sl::parse_tfjs_model(j.dump(), bytes), "quantized");
}

TEST(TfjsModel, RefusesUnsupportedOptions) {
    {
        TfjsFixture f;
        auto x = f.conv("c", f.input("in", 8, 8, 1), 2, 3, 1, "valid", "tanh");
        expect_error(parse(f, x), "activation \"tanh\" is not supported");
    }
    {
        TfjsFixture f;
        auto x = f.conv("c", f.input("in", 8, 8, 1), 2, 3, 1, "valid");
        json j = f.model(x);
        j["modelTopology"]["model_config"]["config"]["layers"][1]["config"]["dilation_rate"] = {2, 2};
        auto bytes = f.bytes();
        expect_error(sl::parse_tfjs_model(j.dump(), bytes), "dilated");
    }
    {
        TfjsFixture f;
        auto x = f.conv("c", f.input("in", 8, 8, 1), 2, 3, 1, "causal");
        expect_error(parse(f, x), "padding \"causal\"");
    }
}

TEST(TfjsModel, RefusesShapesThatDoNotFit) {
    {
        TfjsFixture f;
        auto in = f.input("in", 8, 8, 2);
        auto x = f.add("add", {f.conv("a", in, 3, 3, 1, "same"), f.conv("b", in, 3, 3, 2, "same")});
        expect_error(parse(f, x), "layer add (Add): inputs of different shapes");
    }
    {
        TfjsFixture f;
        auto x = f.conv("c", f.input("in", 4, 4, 2), 3, 5, 1, "valid");
        expect_error(parse(f, x), "window larger than its 4x4 input");
    }
    {
        TfjsFixture f;
        auto x = f.dense("fc", f.input("in", 4, 4, 2), 3);
        expect_error(parse(f, x), "only vector inputs");
    }
}

TEST(TfjsModel, RefusesLayersOutOfOrder) {
    TfjsFixture f;
    auto x = f.layer("Activation", "act", {{"activation", "relu"}}, {f.input("in", 4, 4, 1)});
    json j = f.model(x);
    j["modelTopology"]["model_config"]["config"]["layers"][1]["inbound_nodes"][0][0][0] = "later";
    expect_error(sl::parse_tfjs_model(j.dump(), {}), "input later is not an earlier layer");
}

TEST(TfjsModel, FindsWeightsUnderAModelNamePrefix) {
    std::string out;
    auto f = resnet_like(out);
    json j = f.model(out);
    for (auto& w : j["weightsManifest"][0]["weights"]) w["name"] = "fixture/" + w["name"].get<std::string>();
    auto bytes = f.bytes();
    auto m = sl::parse_tfjs_model(j.dump(), bytes);
    ASSERT_TRUE(m) << m.error();
    EXPECT_EQ(m->find("conv1")->kernel_weights[0], f.values()[0]);
}

// Every value of a valid model.json replaced by values of the wrong type, and every prefix of it:
// each parse must end in a value or an error, never an abort (nlohmann is built without exceptions).
TEST(TfjsModel, SurvivesEveryValueReplacedAndEveryTruncation) {
    std::string out;
    auto f = resnet_like(out);
    auto bytes = f.bytes();
    json model = f.model(out);
    json flat = model.flatten();
    const json wrong[] = {"x", -1, 0, 1e30, nullptr, json::array(), json::object(), true, {1, 2, 3}};
    int errors = 0;
    for (const auto& [path, value] : flat.items()) {
        for (const json& w : wrong) {
            json j = model;
            j[json::json_pointer(path)] = w;
            auto r = sl::parse_tfjs_model(j.dump(), bytes);
            errors += !r;
        }
    }
    EXPECT_GT(errors, 100);
    std::string text = model.dump();
    for (size_t n = 0; n < text.size(); n += 7)
        EXPECT_FALSE(sl::parse_tfjs_model(std::string_view(text).substr(0, n), bytes));
}
