// core/model/model_card.h: the JSON file that says how to feed a model and read its output.
//
//   sl::Result<sl::ModelCard> card = sl::parse_model_card(json_text);
//   image_to_tensor(image, card->input, x);          // core/image/tensor.h
//   float p = card->probability(scores, 1);           // P(class 1) from the model's raw output
//
// Any ONNX image classifier with a card loads the same way. Example (assets/santa_resnet50.json):
//   {"name": "santa-resnet50", "model": "santa_resnet50.onnx", "model_webgpu": "santa_resnet50_w8.onnx",
//    "input": {"name": "input", "layout": "NCHW", "width": 224, "height": 224,
//              "channels": "BGR", "mean": [103.939, 116.779, 123.68], "scale": [1, 1, 1],
//              "resize": "squash, bilinear antialiased"},
//    "output": {"name": "p_santa", "kind": "sigmoid"},
//    "labels": ["person", "santa"], ...provenance, training, evaluation...}
// "kind": "sigmoid" means one output per image, already P(labels[1]); "softmax" means one
// probability per label. "model_webgpu" (optional) names the variant to run on WebGPU, where
// it differs: the 8-bit QDQ graph that is fastest in WASM runs 60x slower than float there.
// Optional, for the amortized explainer (amortized_explainer.h): "features": {"name", "shape":
// [C, H, W]}, a second output of every variant (spatial features per image), and "explainer":
// {"file": the network's weights beside the card, "prior_error": its typical relative error}.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/image/tensor.h"

namespace sl {

enum class OutputKind { sigmoid, softmax };

struct ModelCard {
    std::string name;               // short id, e.g. "santa-resnet50"
    std::string model_file;         // ONNX file name, relative to the card
    std::string webgpu_model_file;  // the one for WebGPU ("model_webgpu"); empty: model_file
    InputSpec input;                // how to build the input tensor
    std::string output_name = "output";
    OutputKind output_kind = OutputKind::sigmoid;
    std::vector<std::string> labels;  // class names; labels.size() classes
    std::string features_name;        // "features": the spatial features' output; empty: none
    int features_channels = 0, features_height = 0, features_width = 0;
    std::string explainer_file;        // "explainer": the amortized explainer's weights; empty: none
    double explainer_prior_error = 0;  // its typical relative error (0: not recorded)

    // The file to run on a backend ("webgpu", "wasm", ...).
    const std::string& model_file_for(std::string_view backend) const {
        return backend == "webgpu" && !webgpu_model_file.empty() ? webgpu_model_file : model_file;
    }
    int num_classes() const { return int(labels.size()); }
    int outputs_per_image() const { return output_kind == OutputKind::sigmoid ? 1 : num_classes(); }
    size_t features_per_image() const { return size_t(features_channels) * features_height * features_width; }
    // Per-class probabilities of one image from its raw model outputs (outputs_per_image()).
    std::vector<float> class_probabilities(std::span<const float> outputs) const;
};

// Parses and validates a card (known layout, channel order, positive sizes up to 4096, three
// finite means and three finite non-zero scales, at least two labels, sigmoid only with two
// labels).
Result<ModelCard> parse_model_card(std::string_view json_text);

}  // namespace sl
