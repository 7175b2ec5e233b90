// core/image/detail/jpeg_check.h: a JPEG's structure, checked before Debian's stb_image (2.27) reads it,
// for what stb leaves unchecked and then reads outside its arrays or returns garbage for:
//   - a Huffman table of more than 256 symbols (stb writes past its arrays; stb 2.28 refuses it);
//   - a scan that uses a Huffman or quantisation table no segment has defined (stb reads its
//     uninitialised tables: symbol ids far outside its arrays, pixels made of stale memory);
//   - no end-of-image marker (stb reads past the end of a truncated file as zeros and returns a
//     half-grey picture without complaint).
// Pairs with core/image/image.cpp, which calls it; both fuzzed by fuzz/photo_fuzzer.cpp, which found
// the undefined tables.
//
//   if (auto ok = sl::detail::check_jpeg(bytes); !ok) return sl::Error{ok.error()};
#pragma once
#include <cstdint>
#include <span>

#include "core/base/result.h"

namespace sl::detail {

// Walks every segment and scan of `bytes` (a JPEG from its SOI marker) to the end-of-image
// marker. Errors: "corrupt JPEG (...)" or "truncated JPEG (...)", naming what is wrong.
Result<void> check_jpeg(std::span<const uint8_t> bytes);

}  // namespace sl::detail
