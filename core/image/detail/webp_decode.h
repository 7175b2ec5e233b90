// core/image/detail/webp_decode.h: WebP through Debian's libwebp, for image_header.cpp (the canvas size
// and whether it is animated) and image.cpp (the first frame as RGB8).
//
//   sl::detail::WebpFeatures f;
//   if (sl::detail::webp_features(bytes, f)) ...   // f.width, f.height, f.animated
//   sl::Result<sl::Image> img = sl::detail::decode_webp(bytes);
//
// Only the image.h API calls these, after read_image_header has checked the limits: libwebp
// allocates the picture it is asked for.
#pragma once
#include <cstdint>
#include <span>

#include "core/image/image.h"

namespace sl::detail {

struct WebpFeatures {
    int width = 0;  // pixels (the canvas of an animation)
    int height = 0;
    bool animated = false;  // frames in ANMF chunks; only the first is decoded
};

// Reads the header (libwebp's WebPGetFeatures: no pixel is decoded). False when it is cut
// short or corrupt.
bool webp_features(std::span<const uint8_t> bytes, WebpFeatures& out);

// The image, or an animation's first frame as composed on its canvas, as RGB8; alpha is dropped
// (as for PNG). Errors: truncated or corrupt data, named as libwebp reports it.
Result<Image> decode_webp(std::span<const uint8_t> bytes);

}  // namespace sl::detail
