// core/image/image.h: photos as RGB8 pixels: decoding by content, EXIF orientation, size limits.
//
//   sl::Result<sl::Image> img = sl::decode_image(bytes);   // JPEG, PNG, BMP, GIF, WebP (first frame)
//   if (!img) puts(img.error().c_str());                    // "truncated JPEG (no end marker)"
//
// Pairs with core/image/image_header.h (the header, read and checked against the limits before any
// pixel is decoded) and core/image/tensor.h (image -> model input). JPEG, PNG, BMP and GIF are decoded
// by Debian's stb_image, WebP by Debian's libwebp; the format is told by the file's first bytes,
// never by its name.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/image/image_header.h"

namespace sl {

// An RGB8 image, rows top to bottom, pixels left to right, 3 bytes each, no padding.
struct Image {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgb;  // width * height * 3 bytes

    const uint8_t* pixel(int x, int y) const { return rgb.data() + (size_t(y) * width + x) * 3; }
};

// Decodes a JPEG, PNG, BMP, GIF or WebP (an animation's first frame) to RGB8, alpha dropped, and
// applies the EXIF orientation of a JPEG. Fails with a one-line message for: empty data,
// non-images, truncated or corrupt data, and whatever read_image_header refuses (a size, decoded
// size or frame count over `limits`), which it checks before any pixel memory is allocated.
Result<Image> decode_image(std::span<const uint8_t> bytes, const DecodeLimits& limits = {});

// Copies RGB8 pixels decoded elsewhere (the page's decode worker: another WebAssembly instance of
// decode_image) into an image, checking the size against `limits`.
Result<Image> image_from_rgb(const uint8_t* rgb, int width, int height, const DecodeLimits& limits = {});

// EXIF orientation tag of a JPEG (1..8; 1 = as stored, also when absent or unreadable).
int exif_orientation(std::span<const uint8_t> jpeg);

// Returns `image` turned upright for an EXIF orientation 1..8 (rotations and mirrors).
Image apply_orientation(const Image& image, int orientation);

// Encodes RGB8 as PNG (for reports and tests). Empty on failure.
std::vector<uint8_t> encode_png(const Image& image);

// Encodes RGB8 as baseline JPEG at IJG quality 1..100 (stb_image_write; for tests that need
// re-encoded photos). Empty on failure.
std::vector<uint8_t> encode_jpeg(const Image& image, int quality);

}  // namespace sl
