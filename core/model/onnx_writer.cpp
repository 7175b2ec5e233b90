// core/model/onnx_writer.cpp: OnnxModel -> .onnx bytes (protobuf), see onnx_writer.h.
//
// Field numbers, from onnx/onnx.proto:
//   ModelProto         ir_version 1, producer_name 2, producer_version 3, doc_string 6, graph 7,
//                      opset_import 8
//   OperatorSetIdProto domain 1, version 2
//   GraphProto         node 1, name 2, initializer 5, input 11, output 12
//   NodeProto          input 1, output 2, name 3, op_type 4, attribute 5
//   AttributeProto     name 1, f 2, i 3, s 4, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, INTS 7)
//   TensorProto        dims 1, data_type 2, name 8, raw_data 9
//   ValueInfoProto     name 1, type 2;  TypeProto tensor_type 1;  TypeProto.Tensor elem_type 1,
//                      shape 2;  TensorShapeProto dim 1;  Dimension dim_value 1, dim_param 2
#include "core/model/onnx_writer.h"

#include <bit>
#include <cassert>
#include <cstring>
#include <limits>
#include <map>

#include "core/model/detail/protobuf_writer.h"

namespace sl {

using detail::length_delimited_field_size;
using detail::ProtoWriter;

static_assert(std::endian::native == std::endian::little,
              "raw_data is little-endian; this writer copies memory as it is");

int64_t OnnxTensor::element_count() const {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    return n;
}

template <typename T>
static OnnxTensor make_tensor(std::string name, OnnxType type, std::vector<int64_t> dims, std::span<const T> values) {
    OnnxTensor t{std::move(name), type, std::move(dims), {}};
    assert(t.element_count() == int64_t(values.size()));
    t.raw.resize(values.size_bytes());
    if (!values.empty()) std::memcpy(t.raw.data(), values.data(), values.size_bytes());
    return t;
}

OnnxTensor make_float_tensor(std::string name, std::vector<int64_t> dims, std::span<const float> values) {
    return make_tensor(std::move(name), OnnxType::float32, std::move(dims), values);
}

OnnxTensor make_int64_tensor(std::string name, std::vector<int64_t> dims, std::span<const int64_t> values) {
    return make_tensor(std::move(name), OnnxType::int64, std::move(dims), values);
}

OnnxTensor make_int32_tensor(std::string name, std::vector<int64_t> dims, std::span<const int32_t> values) {
    return make_tensor(std::move(name), OnnxType::int32, std::move(dims), values);
}

OnnxTensor make_int8_tensor(std::string name, std::vector<int64_t> dims, std::span<const int8_t> values) {
    return make_tensor(std::move(name), OnnxType::int8, std::move(dims), values);
}

OnnxTensor make_uint8_tensor(std::string name, std::vector<int64_t> dims, std::span<const uint8_t> values) {
    return make_tensor(std::move(name), OnnxType::uint8, std::move(dims), values);
}

OnnxAttribute OnnxAttribute::of_int(std::string name, int64_t v) {
    OnnxAttribute a;
    a.name = std::move(name);
    a.kind = Kind::integer;
    a.i = v;
    return a;
}
OnnxAttribute OnnxAttribute::of_ints(std::string name, std::vector<int64_t> v) {
    OnnxAttribute a;
    a.name = std::move(name);
    a.kind = Kind::integers;
    a.ints = std::move(v);
    return a;
}
OnnxAttribute OnnxAttribute::of_float(std::string name, float v) {
    OnnxAttribute a;
    a.name = std::move(name);
    a.kind = Kind::real;
    a.f = v;
    return a;
}
OnnxAttribute OnnxAttribute::of_string(std::string name, std::string v) {
    OnnxAttribute a;
    a.name = std::move(name);
    a.kind = Kind::text;
    a.s = std::move(v);
    return a;
}

namespace {

ProtoWriter encode_attribute(const OnnxAttribute& a) {
    ProtoWriter w;
    w.write_string_field(1, a.name);
    int type = 0;
    switch (a.kind) {
        case OnnxAttribute::Kind::real:
            w.write_float_field(2, a.f);
            type = 1;
            break;
        case OnnxAttribute::Kind::integer:
            w.write_varint_field(3, a.i);
            type = 2;
            break;
        case OnnxAttribute::Kind::text:
            w.write_string_field(4, a.s);
            type = 3;
            break;
        case OnnxAttribute::Kind::integers:
            w.write_repeated_int64_field(8, a.ints);
            type = 7;
            break;
    }
    w.write_varint_field(20, type);
    return w;
}

ProtoWriter encode_node(const OnnxNode& n) {
    ProtoWriter w;
    for (const auto& in : n.inputs) w.write_string_field(1, in);
    for (const auto& out : n.outputs) w.write_string_field(2, out);
    if (!n.name.empty()) w.write_string_field(3, n.name);
    w.write_string_field(4, n.op_type);
    for (const auto& a : n.attributes) w.write_message_field(5, encode_attribute(a));
    return w;
}

ProtoWriter encode_value_info(const OnnxValueInfo& v) {
    ProtoWriter shape;
    for (const auto& d : v.dims) {
        ProtoWriter dim;
        if (d.param.empty())
            dim.write_varint_field(1, d.value);
        else
            dim.write_string_field(2, d.param);
        shape.write_message_field(1, dim);
    }
    ProtoWriter tensor_type;
    tensor_type.write_varint_field(1, int32_t(v.type));
    if (v.has_shape) tensor_type.write_message_field(2, shape);
    ProtoWriter type;
    type.write_message_field(1, tensor_type);
    ProtoWriter w;
    w.write_string_field(1, v.name);
    w.write_message_field(2, type);
    return w;
}

// Everything of a TensorProto but raw_data, which the caller streams after it (field 9 is last).
ProtoWriter encode_tensor_header(const OnnxTensor& t) {
    ProtoWriter w;
    w.write_repeated_int64_field(1, t.dims);
    w.write_varint_field(2, int32_t(t.type));
    w.write_string_field(8, t.name);
    return w;
}

}  // namespace

Result<std::vector<uint8_t>> serialize_onnx(const OnnxModel& model) {
    const OnnxGraph& g = model.graph;
    // Small messages are encoded up front; initializers only get their headers encoded, so the
    // graph's length is known before its first byte and raw_data is copied once, into `out`.
    std::vector<ProtoWriter> nodes, headers, inputs, outputs;
    for (const auto& n : g.nodes) nodes.push_back(encode_node(n));
    for (const auto& t : g.initializers) headers.push_back(encode_tensor_header(t));
    for (const auto& v : g.inputs) inputs.push_back(encode_value_info(v));
    for (const auto& v : g.outputs) outputs.push_back(encode_value_info(v));

    auto tensor_size = [&](size_t i) {
        return headers[i].size() + length_delimited_field_size(9, g.initializers[i].raw.size());
    };
    size_t graph_size = length_delimited_field_size(2, g.name.size());
    for (const auto& n : nodes) graph_size += length_delimited_field_size(1, n.size());
    for (size_t i = 0; i < headers.size(); ++i) graph_size += length_delimited_field_size(5, tensor_size(i));
    for (const auto& v : inputs) graph_size += length_delimited_field_size(11, v.size());
    for (const auto& v : outputs) graph_size += length_delimited_field_size(12, v.size());

    ProtoWriter opset;
    opset.write_string_field(1, "");  // the default domain, ai.onnx
    opset.write_varint_field(2, model.opset);

    ProtoWriter head;
    head.write_varint_field(1, model.ir_version);
    head.write_string_field(2, model.producer_name);
    head.write_string_field(3, model.producer_version);
    if (!model.doc_string.empty()) head.write_string_field(6, model.doc_string);
    size_t total =
        head.size() + length_delimited_field_size(7, graph_size) + length_delimited_field_size(8, opset.size());
    // Protobuf parsers (and so ONNX Runtime) refuse messages of 2 GiB and more.
    if (total >= size_t(std::numeric_limits<int32_t>::max()))
        return fail("ONNX model too large: " + std::to_string(total >> 20) + " MiB, protobuf allows under 2 GiB");

    ProtoWriter out;
    out.reserve(total);
    out.append(head.bytes());
    out.begin_bytes(7, graph_size);
    for (const auto& n : nodes) out.write_message_field(1, n);
    out.write_string_field(2, g.name);
    for (size_t i = 0; i < headers.size(); ++i) {
        out.begin_bytes(5, tensor_size(i));
        out.append(headers[i].bytes());
        out.write_bytes_field(9, g.initializers[i].raw);
    }
    for (const auto& v : inputs) out.write_message_field(11, v);
    for (const auto& v : outputs) out.write_message_field(12, v);
    out.write_message_field(8, opset);
    assert(out.size() == total);
    return std::move(out).take();
}

OnnxSummary summarize_onnx(const OnnxModel& model) {
    OnnxSummary s;
    s.nodes = int(model.graph.nodes.size());
    std::map<std::string, int> ops;  // ordered: the summary is deterministic
    for (const auto& n : model.graph.nodes) ++ops[n.op_type];
    s.op_counts.assign(ops.begin(), ops.end());
    for (const auto& t : model.graph.initializers)
        if (t.type == OnnxType::float32 || t.type == OnnxType::int8) s.parameters += t.element_count();
    return s;
}

}  // namespace sl
