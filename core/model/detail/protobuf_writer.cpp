// core/model/detail/protobuf_writer.cpp: the protobuf wire-format encoder of protobuf_writer.h.
#include "core/model/detail/protobuf_writer.h"

#include <bit>
#include <cassert>
#include <cstring>

namespace sl::detail {

size_t varint_size(uint64_t value) {
    size_t n = 1;
    while (value >= 0x80) {
        value >>= 7;
        ++n;
    }
    return n;
}

size_t length_delimited_field_size(int field, size_t payload_size) {
    return varint_size(uint64_t(field) << 3) + varint_size(payload_size) + payload_size;
}

void ProtoWriter::write_varint(uint64_t value) {
    while (value >= 0x80) {
        out_.push_back(uint8_t(value | 0x80));
        value >>= 7;
    }
    out_.push_back(uint8_t(value));
}

void ProtoWriter::write_key(int field, WireType type) {
    assert(field > 0 && field < (1 << 29));
    write_varint((uint64_t(field) << 3) | uint64_t(type));
}

void ProtoWriter::write_varint_field(int field, int64_t value) {
    write_key(field, WireType::varint);
    write_varint(uint64_t(value));  // two's complement: protobuf's encoding of negative int64
}

void ProtoWriter::write_float_field(int field, float value) {
    static_assert(std::endian::native == std::endian::little, "protobuf fixed32 is little-endian");
    write_key(field, WireType::fixed32);
    uint8_t b[4];
    std::memcpy(b, &value, 4);
    out_.insert(out_.end(), b, b + 4);
}

void ProtoWriter::write_bytes_field(int field, std::span<const uint8_t> bytes) {
    begin_bytes(field, bytes.size());
    append(bytes);
}

void ProtoWriter::write_string_field(int field, std::string_view text) {
    write_bytes_field(field, {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

void ProtoWriter::write_message_field(int field, const ProtoWriter& message) { write_bytes_field(field, message.out_); }

void ProtoWriter::write_repeated_int64_field(int field, std::span<const int64_t> values) {
    for (int64_t v : values) write_varint_field(field, v);
}

void ProtoWriter::begin_bytes(int field, size_t size) {
    write_key(field, WireType::length_delimited);
    write_varint(size);
}

void ProtoWriter::append(std::span<const uint8_t> bytes) { out_.insert(out_.end(), bytes.begin(), bytes.end()); }

}  // namespace sl::detail
