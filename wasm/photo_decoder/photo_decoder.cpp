// wasm/photo_decoder/photo_decoder.cpp: the core's photo decoder (core/image/image.h: stb_image,
// libwebp, EXIF orientation, the header checked against the limits before any pixel) for the
// page's decode worker (web/decode_worker.mjs). The page decodes with the same code as the CLI, so
// a photo gives the same pixels, and the same prediction, in both: a browser's own JPEG decoder
// differs from stb by a few levels here and there, enough to move a photo near the decision
// boundary to the other side.
//
//   const uint8_t* rgb = sl_decode_photo(bytes, size);   // null: sl_decode_error() says why
//   ... sl_decoded_width(), sl_decoded_height() ...       // rgb: width * height * 3 bytes
//   sl_decoder_release();                                 // the pixels are freed
#include <emscripten/emscripten.h>

#include <cstdint>
#include <span>
#include <string>

#include "core/image/image.h"

namespace {
sl::Image decoded;  // the last photo, until sl_decoder_release() or the next decode
std::string why;    // the last failure, one line
}  // namespace

extern "C" {

// Decodes a whole photo file. Returns its RGB8 pixels, or null with the reason in sl_decode_error().
EMSCRIPTEN_KEEPALIVE const uint8_t* sl_decode_photo(const uint8_t* bytes, int size) {
    decoded = {};
    auto image = sl::decode_image(std::span<const uint8_t>(bytes, size > 0 ? size_t(size) : 0));
    if (!image) {
        why = image.error();
        return nullptr;
    }
    why.clear();
    decoded = std::move(*image);
    return decoded.rgb.data();
}

EMSCRIPTEN_KEEPALIVE int sl_decoded_width() { return decoded.width; }
EMSCRIPTEN_KEEPALIVE int sl_decoded_height() { return decoded.height; }
EMSCRIPTEN_KEEPALIVE const char* sl_decode_error() { return why.c_str(); }

// Frees the last photo's pixels (the worker has copied them out).
EMSCRIPTEN_KEEPALIVE void sl_decoder_release() { decoded = {}; }

}  // extern "C"
