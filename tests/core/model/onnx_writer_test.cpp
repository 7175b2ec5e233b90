// tests/core/model/onnx_writer_test.cpp: the protobuf encoder gives the bytes of the protobuf spec's
// examples, and an OnnxModel serialises to the fields onnx.proto defines (read back with a small
// wire-format reader written here, independent of the writer).
#include "core/model/onnx_writer.h"

#include <gtest/gtest.h>

#include <cstring>

#include "core/model/detail/protobuf_writer.h"

namespace {

using Bytes = std::vector<uint8_t>;

// One field of a message as read from the wire.
struct Field {
    int number = 0;
    int wire = 0;
    uint64_t varint = 0;               // wire type 0
    uint32_t fixed32 = 0;              // wire type 5
    std::span<const uint8_t> payload;  // wire type 2
    std::string text() const { return std::string(payload.begin(), payload.end()); }
};

bool read_varint(std::span<const uint8_t> b, size_t& pos, uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64 && pos < b.size(); shift += 7) {
        uint8_t byte = b[pos++];
        v |= uint64_t(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return true;
    }
    return false;
}

std::vector<Field> read_message(std::span<const uint8_t> b) {
    std::vector<Field> out;
    size_t pos = 0;
    while (pos < b.size()) {
        uint64_t key = 0;
        Field f;
        if (!read_varint(b, pos, key)) {
            ADD_FAILURE() << "bad key";
            return out;
        }
        f.number = int(key >> 3);
        f.wire = int(key & 7);
        if (f.wire == 0) {
            if (!read_varint(b, pos, f.varint)) {
                ADD_FAILURE() << "bad varint";
                return out;
            }
        } else if (f.wire == 2) {
            uint64_t n = 0;
            if (!read_varint(b, pos, n) || n > b.size() - pos) {
                ADD_FAILURE() << "bad length";
                return out;
            }
            f.payload = b.subspan(pos, n);
            pos += n;
        } else if (f.wire == 5 && pos + 4 <= b.size()) {
            std::memcpy(&f.fixed32, &b[pos], 4);
            pos += 4;
        } else {
            ADD_FAILURE() << "unexpected wire type " << f.wire;
            return out;
        }
        out.push_back(f);
    }
    return out;
}

std::vector<Field> fields(std::span<const uint8_t> b, int number) {
    std::vector<Field> out;
    for (const auto& f : read_message(b))
        if (f.number == number) out.push_back(f);
    return out;
}

sl::OnnxModel tiny_model() {
    sl::OnnxModel m;
    m.graph.name = "tiny";
    m.graph.inputs.push_back({"x", sl::OnnxType::float32, {sl::OnnxDim::symbol("N"), 3}});
    m.graph.outputs.push_back({"y", sl::OnnxType::float32, {sl::OnnxDim::symbol("N"), 2}});
    const float w[] = {1.5f, -2.f, 0.25f, 3.f, 1e-3f, -7.f};
    const float b[] = {0.5f, -0.5f};
    m.graph.initializers.push_back(sl::make_float_tensor("w", {3, 2}, w));
    m.graph.initializers.push_back(sl::make_float_tensor("b", {2}, b));
    m.graph.nodes.push_back({"Gemm", "fc", {"x", "w", "b"}, {"y0"}, {sl::OnnxAttribute::of_float("alpha", 1.f)}});
    m.graph.nodes.push_back({"Softmax", "sm", {"y0"}, {"y"}, {sl::OnnxAttribute::of_int("axis", 1)}});
    return m;
}

Bytes serialize(const sl::OnnxModel& m) {
    auto r = sl::serialize_onnx(m);
    EXPECT_TRUE(r) << r.error();
    return r ? *r : Bytes{};
}

}  // namespace

TEST(ProtobufWriter, EncodesVarintsAsTheSpecDoes) {
    sl::detail::ProtoWriter w;
    w.write_varint(1);
    w.write_varint(150);
    w.write_varint(300);
    EXPECT_EQ(w.bytes(), (Bytes{0x01, 0x96, 0x01, 0xac, 0x02}));
    sl::detail::ProtoWriter neg;
    neg.write_varint_field(1, -1);  // int64 -1: ten bytes
    EXPECT_EQ(neg.bytes(), (Bytes{0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
    EXPECT_EQ(sl::detail::varint_size(127), 1u);
    EXPECT_EQ(sl::detail::varint_size(128), 2u);
    EXPECT_EQ(sl::detail::varint_size(~uint64_t(0)), 10u);
}

TEST(ProtobufWriter, EncodesStringsFloatsAndRepeatedInts) {
    sl::detail::ProtoWriter w;
    w.write_string_field(2, "testing");  // the spec's example: 12 07 74 65 73 74 69 6e 67
    w.write_float_field(2, 1.f);
    const int64_t ints[] = {3, 270};
    w.write_repeated_int64_field(4, ints);
    EXPECT_EQ(w.bytes(), (Bytes{0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g', 0x15, 0x00, 0x00, 0x80, 0x3f, 0x20, 0x03,
                                0x20, 0x8e, 0x02}));
    EXPECT_EQ(sl::detail::length_delimited_field_size(2, 7), 9u);
}

TEST(OnnxWriter, WritesIrVersionOpsetAndProducer) {
    Bytes b = serialize(tiny_model());
    ASSERT_EQ(fields(b, 1).size(), 1u);
    EXPECT_EQ(fields(b, 1)[0].varint, 8u);            // ir_version
    EXPECT_EQ(fields(b, 2)[0].text(), "santa-lens");  // producer_name
    auto opset = fields(b, 8);                        // opset_import
    ASSERT_EQ(opset.size(), 1u);
    EXPECT_EQ(fields(opset[0].payload, 1)[0].text(), "");   // domain: ai.onnx
    EXPECT_EQ(fields(opset[0].payload, 2)[0].varint, 13u);  // version
    ASSERT_EQ(fields(b, 7).size(), 1u);                     // graph
    EXPECT_EQ(fields(fields(b, 7)[0].payload, 2)[0].text(), "tiny");
}

TEST(OnnxWriter, WritesNodesWithTypedAttributes) {
    Bytes b = serialize(tiny_model());
    auto graph = fields(b, 7)[0].payload;
    auto nodes = fields(graph, 1);
    ASSERT_EQ(nodes.size(), 2u);
    auto gemm = nodes[0].payload;
    ASSERT_EQ(fields(gemm, 1).size(), 3u);
    EXPECT_EQ(fields(gemm, 1)[2].text(), "b");
    EXPECT_EQ(fields(gemm, 2)[0].text(), "y0");
    EXPECT_EQ(fields(gemm, 3)[0].text(), "fc");
    EXPECT_EQ(fields(gemm, 4)[0].text(), "Gemm");
    auto alpha = fields(gemm, 5)[0].payload;
    EXPECT_EQ(fields(alpha, 1)[0].text(), "alpha");
    EXPECT_EQ(fields(alpha, 2)[0].fixed32, 0x3f800000u);  // 1.0f
    EXPECT_EQ(fields(alpha, 20)[0].varint, 1u);           // AttributeType FLOAT
    auto axis = fields(nodes[1].payload, 5)[0].payload;
    EXPECT_EQ(fields(axis, 3)[0].varint, 1u);
    EXPECT_EQ(fields(axis, 20)[0].varint, 2u);  // INT
}

TEST(OnnxWriter, WritesInitializersAsRawLittleEndianFloats) {
    Bytes b = serialize(tiny_model());
    auto inits = fields(fields(b, 7)[0].payload, 5);
    ASSERT_EQ(inits.size(), 2u);
    auto w = inits[0].payload;
    auto dims = fields(w, 1);
    ASSERT_EQ(dims.size(), 2u);
    EXPECT_EQ(dims[0].varint, 3u);
    EXPECT_EQ(dims[1].varint, 2u);
    EXPECT_EQ(fields(w, 2)[0].varint, 1u);  // FLOAT
    EXPECT_EQ(fields(w, 8)[0].text(), "w");
    auto raw = fields(w, 9)[0].payload;
    ASSERT_EQ(raw.size(), 24u);
    EXPECT_EQ(Bytes(raw.begin(), raw.begin() + 4), (Bytes{0x00, 0x00, 0xc0, 0x3f}));  // 1.5f
    float last = 0;
    std::memcpy(&last, &raw[20], 4);
    EXPECT_EQ(last, -7.f);
}

TEST(OnnxWriter, WritesInt64Tensors) {
    sl::OnnxModel m;
    const int64_t pads[] = {0, 0, 1, 1, 0, 0, 1, -1};
    m.graph.initializers.push_back(sl::make_int64_tensor("pads", {8}, pads));
    Bytes b = serialize(m);
    auto t = fields(fields(b, 7)[0].payload, 5)[0].payload;
    EXPECT_EQ(fields(t, 2)[0].varint, 7u);  // INT64
    auto raw = fields(t, 9)[0].payload;
    ASSERT_EQ(raw.size(), 64u);
    int64_t last = 0;
    std::memcpy(&last, &raw[56], 8);
    EXPECT_EQ(last, -1);
}

TEST(OnnxWriter, WritesInputsWithASymbolicBatchDimension) {
    Bytes b = serialize(tiny_model());
    auto graph = fields(b, 7)[0].payload;
    auto input = fields(graph, 11);
    ASSERT_EQ(input.size(), 1u);
    EXPECT_EQ(fields(input[0].payload, 1)[0].text(), "x");
    auto tensor = fields(fields(input[0].payload, 2)[0].payload, 1)[0].payload;  // TypeProto.tensor_type
    EXPECT_EQ(fields(tensor, 1)[0].varint, 1u);                                  // elem_type FLOAT
    auto dims = fields(fields(tensor, 2)[0].payload, 1);                         // shape.dim
    ASSERT_EQ(dims.size(), 2u);
    EXPECT_EQ(fields(dims[0].payload, 2)[0].text(), "N");  // dim_param
    EXPECT_EQ(fields(dims[1].payload, 1)[0].varint, 3u);   // dim_value
    EXPECT_EQ(fields(fields(graph, 12)[0].payload, 1)[0].text(), "y");
}

TEST(OnnxWriter, SameModelGivesSameBytes) {
    EXPECT_EQ(serialize(tiny_model()), serialize(tiny_model()));
    sl::OnnxModel other = tiny_model();
    other.graph.nodes[1].attributes[0].i = 0;
    EXPECT_NE(serialize(tiny_model()), serialize(other));
}

TEST(OnnxWriter, SummaryCountsNodesParametersAndOps) {
    sl::OnnxModel m = tiny_model();
    m.graph.nodes.push_back({"Softmax", "sm2", {"y"}, {"z"}, {}});
    const int64_t p[] = {1, 2};
    m.graph.initializers.push_back(sl::make_int64_tensor("p", {2}, p));  // not a parameter
    sl::OnnxSummary s = sl::summarize_onnx(m);
    EXPECT_EQ(s.nodes, 3);
    EXPECT_EQ(s.parameters, 8);
    EXPECT_EQ(s.op_counts, (std::vector<std::pair<std::string, int>>{{"Gemm", 1}, {"Softmax", 2}}));
}
