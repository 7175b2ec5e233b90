// wasm/app/app_photo_check.cpp: the page asks the core about a photo file before the browser decodes
// it (web/decode_photo.mjs). The core reads the header (core/image/image_header.h): a photo over the
// limits is refused in microseconds, with its size named, where the browser would first spend
// seconds and gigabytes decoding it; and the page then accepts the formats the CLI accepts.
//
//   const char* why = sl_app_check_photo(bytes, size);   // "" when the photo may be decoded
#include <emscripten/emscripten.h>

#include <cstdint>
#include <string>

#include "core/image/image_header.h"

extern "C" {

// The file's bytes (all of them: a GIF's or WebP's frames are counted). "" when its header is
// readable and within the core's default limits, else the reason, one line. Valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* sl_app_check_photo(const uint8_t* bytes, int size) {
    static std::string why;
    auto header = sl::read_image_header({bytes, size > 0 ? size_t(size) : 0});
    why = header ? "" : header.error();
    return why.c_str();
}

}  // extern "C"
