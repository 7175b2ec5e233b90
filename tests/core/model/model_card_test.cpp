// tests/core/model/model_card_test.cpp: reading model cards, and refusing wrong ones with a reason.
#include "core/model/model_card.h"

#include <gtest/gtest.h>

namespace {
const char* kSanta = R"({"name": "santa-resnet50", "model": "santa_resnet50.onnx",
  "input": {"name": "input", "layout": "NCHW", "width": 224, "height": 224, "channels": "BGR",
            "mean": [103.939, 116.779, 123.68], "scale": [1, 1, 1]},
  "output": {"name": "p_santa", "kind": "sigmoid"}, "labels": ["person", "santa"]})";

std::string replaced(std::string s, const std::string& from, const std::string& to) {
    s.replace(s.find(from), from.size(), to);
    return s;
}
}  // namespace

TEST(ModelCard, ReadsTheSantaCard) {
    auto card = sl::parse_model_card(kSanta);
    ASSERT_TRUE(card) << card.error();
    EXPECT_EQ(card->model_file, "santa_resnet50.onnx");
    EXPECT_EQ(card->input.width, 224);
    EXPECT_EQ(card->input.layout, sl::Layout::nchw);
    EXPECT_EQ(card->input.channels, sl::ChannelOrder::bgr);
    EXPECT_FLOAT_EQ(card->input.mean[2], 123.68f);
    EXPECT_EQ(card->output_name, "p_santa");
    EXPECT_EQ(card->num_classes(), 2);
    EXPECT_EQ(card->outputs_per_image(), 1);
    float p = 0.8f;
    auto probs = card->class_probabilities({&p, 1});
    EXPECT_FLOAT_EQ(probs[0], 0.2f);
    EXPECT_FLOAT_EQ(probs[1], 0.8f);
}

TEST(ModelCard, NamesAnotherFileForWebGpuOnlyWhereTheCardDoes) {
    auto plain = sl::parse_model_card(kSanta);
    ASSERT_TRUE(plain) << plain.error();
    EXPECT_EQ(plain->model_file_for("webgpu"), "santa_resnet50.onnx");
    auto card = sl::parse_model_card(
        replaced(kSanta, R"("model": "santa_resnet50.onnx",)", R"("model": "int8.onnx", "model_webgpu": "w8.onnx",)"));
    ASSERT_TRUE(card) << card.error();
    EXPECT_EQ(card->model_file_for("webgpu"), "w8.onnx");
    EXPECT_EQ(card->model_file_for("wasm"), "int8.onnx");
    auto wrong = sl::parse_model_card(
        replaced(kSanta, R"("model": "santa_resnet50.onnx",)", R"("model": "int8.onnx", "model_webgpu": 8,)"));
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error().find("model_webgpu"), std::string::npos);
}

TEST(ModelCard, ReadsASoftmaxCard) {
    std::string text =
        replaced(replaced(kSanta, "sigmoid", "softmax"), R"(["person", "santa"])", R"(["cat", "dog", "fox"])");
    auto card = sl::parse_model_card(text);
    ASSERT_TRUE(card) << card.error();
    EXPECT_EQ(card->outputs_per_image(), 3);
}

TEST(ModelCard, RefusesWrongCardsWithAReason) {
    EXPECT_FALSE(sl::parse_model_card("not json"));
    EXPECT_FALSE(sl::parse_model_card("[1, 2]"));
    EXPECT_FALSE(sl::parse_model_card(replaced(kSanta, "NCHW", "CHWN")));
    EXPECT_FALSE(sl::parse_model_card(replaced(kSanta, "\"BGR\"", "\"YUV\"")));
    EXPECT_FALSE(sl::parse_model_card(replaced(kSanta, "\"width\": 224", "\"width\": -3")));
    EXPECT_FALSE(sl::parse_model_card(replaced(kSanta, "\"width\": 224", "\"width\": \"wide\"")));
    EXPECT_FALSE(sl::parse_model_card(replaced(kSanta, "[103.939, 116.779, 123.68]", "[1, 2]")));
    EXPECT_FALSE(sl::parse_model_card(replaced(kSanta, R"(["person", "santa"])", R"(["only"])")));
    EXPECT_FALSE(sl::parse_model_card(replaced(kSanta, R"(["person", "santa"])", R"(["a", "b", "c"])")));
    // Means and scales a float cannot hold, or a scale of 0: every input would be inf, NaN or 0.
    for (const char* mean : {"[1e39, 0, 0]", "[0, -1e300, 0]"}) {
        auto m = sl::parse_model_card(replaced(kSanta, "[103.939, 116.779, 123.68]", mean));
        ASSERT_FALSE(m) << mean;
        EXPECT_EQ(m.error(), "model card: input.mean must be 3 finite numbers");
    }
    auto zero = sl::parse_model_card(replaced(kSanta, "[1, 1, 1]", "[1, 0, 1]"));
    ASSERT_FALSE(zero);
    EXPECT_EQ(zero.error(), "model card: input.scale must be 3 finite, non-zero numbers");
    auto r = sl::parse_model_card(replaced(kSanta, "\"model\"", "\"modle\""));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().find("model"), std::string::npos);
}
