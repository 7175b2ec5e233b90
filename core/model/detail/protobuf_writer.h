// core/model/detail/protobuf_writer.h: a minimal protobuf wire-format encoder, enough to write ONNX.
// Pairs with core/model/onnx_writer.cpp, its only user.
//
// Why hand-written: the ONNX subset we write is a dozen fields, and libprotobuf is a large
// dependency to build for WebAssembly. The wire format is small (developers.google.com/
// protocol-buffers/docs/encoding): every field is a key varint (field_number << 3 | wire_type)
// followed by a varint (type 0), 8 bytes (type 1), a length varint plus bytes (type 2) or 4 bytes
// (type 5). Embedded messages are type 2 with their encoded length in front, so the writer needs
// the size of a child before its bytes: callers either encode the child into its own
// ProtoWriter and append it (small messages) or announce the size with begin_bytes() and then
// stream the content (the weight tensors, to avoid copying 100 MB around).
//
//   sl::detail::ProtoWriter w;
//   w.write_varint_field(1, 8);          // int64 ir_version = 1
//   w.write_string_field(2, "me");       // string producer_name = 2
//   ProtoWriter child; child.write_varint_field(2, 13);
//   w.write_message_field(8, child);     // repeated OperatorSetIdProto opset_import = 8
//   std::vector<uint8_t> bytes = std::move(w).take();
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace sl::detail {

enum class WireType : uint8_t { varint = 0, fixed64 = 1, length_delimited = 2, fixed32 = 5 };

// Bytes a value takes as a varint (1 to 10).
size_t varint_size(uint64_t value);
// Bytes a length-delimited field takes in total: key, length varint and `payload_size` bytes.
size_t length_delimited_field_size(int field, size_t payload_size);

class ProtoWriter {
public:
    void reserve(size_t bytes) { out_.reserve(bytes); }
    size_t size() const { return out_.size(); }
    const std::vector<uint8_t>& bytes() const { return out_; }
    std::vector<uint8_t> take() && { return std::move(out_); }

    void write_varint(uint64_t value);
    void write_key(int field, WireType type);

    // int32/int64/uint64/enum/bool fields. Negative ints take 10 bytes, as protobuf's int64 does.
    void write_varint_field(int field, int64_t value);
    void write_float_field(int field, float value);                     // wire type 5
    void write_bytes_field(int field, std::span<const uint8_t> bytes);  // also strings
    void write_string_field(int field, std::string_view text);
    void write_message_field(int field, const ProtoWriter& message);
    // repeated int64, unpacked (one key per value): onnx.proto is proto2 and does not declare its
    // repeated fields packed, so this is the encoding protoc's own writer gives them.
    void write_repeated_int64_field(int field, std::span<const int64_t> values);

    // Starts a length-delimited field of `size` bytes; the caller then appends exactly that many
    // bytes with append() or the write_* calls above.
    void begin_bytes(int field, size_t size);
    void append(std::span<const uint8_t> bytes);

private:
    std::vector<uint8_t> out_;
};

}  // namespace sl::detail
