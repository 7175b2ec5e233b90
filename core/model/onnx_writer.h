// core/model/onnx_writer.h: an ONNX model in memory (the subset we need) and its serialisation to the
// bytes of a .onnx file. Pairs with core/model/onnx_convert.h, which builds these models from Keras
// layers, and core/model/detail/protobuf_writer.h, the wire-format encoder underneath.
//
//   sl::OnnxModel m;                                       // ir_version 8, opset ai.onnx 13
//   m.graph.inputs.push_back({"x", sl::OnnxType::float32, {sl::OnnxDim::symbol("N"), 4}});
//   m.graph.outputs.push_back({"y", sl::OnnxType::float32, {sl::OnnxDim::symbol("N"), 4}});
//   m.graph.initializers.push_back(sl::make_float_tensor("w", {4}, weights));
//   m.graph.nodes.push_back({"Mul", "scale", {"x", "w"}, {"y"}, {}});
//   sl::Result<std::vector<uint8_t>> bytes = sl::serialize_onnx(m);
//   if (!bytes) { report(bytes.error()); return; }       // only fails past protobuf's 2 GiB
//
// Why our own writer: the subset is a dozen messages and fields, and linking libprotobuf plus the
// ONNX sources into WebAssembly costs more than this file. Field numbers are onnx.proto's.
// The same model always gives the same bytes: fields go out in field-number order, the lists in
// the order given, nothing depends on addresses or hashing. Weights go out as raw_data
// (little-endian), written straight into the output buffer, so a 100 MB model is copied once.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/base/result.h"

namespace sl {

// TensorProto.DataType values for the element types we write.
enum class OnnxType : int32_t { float32 = 1, uint8 = 2, int8 = 3, int32 = 6, int64 = 7 };

// A constant tensor (graph initializer).
struct OnnxTensor {
    std::string name;
    OnnxType type = OnnxType::float32;
    std::vector<int64_t> dims;  // row-major shape; {} is a scalar
    std::vector<uint8_t> raw;   // the elements, little-endian, row-major (TensorProto.raw_data)

    int64_t element_count() const;  // product of dims
};
// Tensors from values; asserts that values.size() is the product of dims.
OnnxTensor make_float_tensor(std::string name, std::vector<int64_t> dims, std::span<const float> values);
OnnxTensor make_int64_tensor(std::string name, std::vector<int64_t> dims, std::span<const int64_t> values);
OnnxTensor make_int32_tensor(std::string name, std::vector<int64_t> dims, std::span<const int32_t> values);
OnnxTensor make_int8_tensor(std::string name, std::vector<int64_t> dims, std::span<const int8_t> values);
OnnxTensor make_uint8_tensor(std::string name, std::vector<int64_t> dims, std::span<const uint8_t> values);

// A node attribute: exactly one of the value fields, as `kind` says.
struct OnnxAttribute {
    enum class Kind { integer, integers, real, text };
    std::string name;
    Kind kind = Kind::integer;
    int64_t i = 0;              // kind integer
    std::vector<int64_t> ints;  // kind integers
    float f = 0;                // kind real
    std::string s;              // kind text

    static OnnxAttribute of_int(std::string name, int64_t v);
    static OnnxAttribute of_ints(std::string name, std::vector<int64_t> v);
    static OnnxAttribute of_float(std::string name, float v);
    static OnnxAttribute of_string(std::string name, std::string v);
};

struct OnnxNode {
    std::string op_type;               // "Conv", "Relu", ... (domain ai.onnx)
    std::string name;                  // unique within the graph, for people and profilers
    std::vector<std::string> inputs;   // value names; "" for an omitted optional input
    std::vector<std::string> outputs;  // value names
    std::vector<OnnxAttribute> attributes;
};

// One dimension of a graph input or output: a fixed size, or a symbol such as "N" (the batch).
struct OnnxDim {
    int64_t value = 0;  // used when param is empty
    std::string param;  // symbolic name; non-empty means "any size"

    OnnxDim(int64_t v = 0) : value(v) {}
    static OnnxDim symbol(std::string name) {
        OnnxDim d;
        d.param = std::move(name);
        return d;
    }
};

struct OnnxValueInfo {
    std::string name;
    OnnxType type = OnnxType::float32;
    std::vector<OnnxDim> dims;
    bool has_shape = true;  // false: the shape is left to the runtime (dims unused)
};

struct OnnxGraph {
    std::string name = "graph";
    std::vector<OnnxNode> nodes;  // in topological order, as ONNX requires
    std::vector<OnnxTensor> initializers;
    std::vector<OnnxValueInfo> inputs;  // not listing the initializers (IR >= 4)
    std::vector<OnnxValueInfo> outputs;
};

struct OnnxModel {
    int64_t ir_version = 8;  // ONNX 1.10+ IR, read by every current runtime
    int64_t opset = 13;      // ai.onnx operator set imported
    std::string producer_name = "santa-lens";
    std::string producer_version = "0.1.0";
    std::string doc_string;  // free text for people; omitted when empty
    OnnxGraph graph;
};

// The .onnx file bytes. Errors: a model past 2 GiB, which protobuf parsers refuse.
Result<std::vector<uint8_t>> serialize_onnx(const OnnxModel& model);

// A cheap description for model cards.
struct OnnxSummary {
    int nodes = 0;
    int64_t parameters = 0;                              // elements of all float and 8-bit initializers
    std::vector<std::pair<std::string, int>> op_counts;  // per op_type, sorted by name
};
OnnxSummary summarize_onnx(const OnnxModel& model);

}  // namespace sl
