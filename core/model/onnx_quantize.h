// core/model/onnx_quantize.h: an 8-bit version of a float ONNX graph made by onnx_convert.h (ResNet50
// and its head), in the QDQ form that ONNX Runtime fuses into integer kernels (QLinearConv,
// QLinearAdd, uint8 MaxPool) on the CPU and in the browser's WASM. Pairs with onnx_convert.h
// (the float graph) and onnx_writer.h (the bytes).
//
//   sl::OnnxModel fp32 = *sl::build_onnx_model(keras, options);
//   // 1. calibration: run the probe graph on a few training photos, keep each value's range
//   std::vector<std::string> names = sl::quantized_values(fp32);
//   sl::OnnxModel probe = sl::with_probe_outputs(fp32, names);    // extra outputs, float
//   std::vector<sl::ValueRange> ranges = ...;                      // min/max per name, from a runtime
//   // 2. the 8-bit graph
//   sl::Result<sl::OnnxModel> int8 = sl::quantize_model(fp32, ranges);
//   // or only the weights in 8 bits, for a GPU (no calibration)
//   sl::Result<sl::OnnxModel> w8 = sl::quantize_weights(fp32);
//
// What is quantized, as ONNX Runtime's own static quantizer does it:
//   - Conv weights: int8, symmetric, one scale per output channel; biases int32 at the scale of
//     input x weight (what QLinearConv needs);
//   - activations: uint8, one scale and zero point per tensor, from the calibrated range (which
//     is widened to hold 0, so that zero padding stays exact), on the graph input and every
//     input of a Conv, Add or MaxPool;
//   - a Relu right after a Conv or Add (its only consumer) disappears into that value's
//     quantization: a range starting at 0 with zero point 0 clamps negatives to 0 exactly;
//   - MaxPool keeps its input's scale (max commutes with the quantization); a zero Pad before it
//     joins its pads when the padded value is a Relu's output (the zeros can never win the max);
//   - everything after the last of those (global pooling, the dense head) stays float.
// The float graph's input and output names and shapes are kept.
//
// quantize_weights stores only the Conv weights in 8 bits (as above), each dequantized by a
// DequantizeLinear as the graph runs; activations and biases stay float. It downloads like the
// 8-bit graph and computes like the float one: what WebGPU wants, where ONNX Runtime has no
// integer kernels and the QDQ graph ran 60x slower than float (an NVIDIA H200, README).
#pragma once
#include <span>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/model/onnx_writer.h"

namespace sl {

// The calibrated range of one value of the float graph, over the calibration inputs.
struct ValueRange {
    std::string name;
    float min = 0, max = 0;
};

// The values of `fp32` whose range quantize_model needs, in graph order (the graph input first).
std::vector<std::string> quantized_values(const OnnxModel& fp32);

// `fp32` with the `names` values added as graph outputs (float, shape left to the runtime), for a
// calibration run; the original output stays first.
OnnxModel with_probe_outputs(OnnxModel fp32, const std::vector<std::string>& names);

// The 8-bit graph. Errors: a range missing for one of quantized_values(fp32), a range that is not
// finite or has min > max, a Conv whose weights are not a float initializer.
Result<OnnxModel> quantize_model(const OnnxModel& fp32, std::span<const ValueRange> ranges);

// The weight-only 8-bit graph. Errors: a Conv whose weights are not a float initializer.
Result<OnnxModel> quantize_weights(const OnnxModel& fp32);

}  // namespace sl
