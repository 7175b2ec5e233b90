// fuzz/photo_fuzzer.cpp: photo bytes as a user hands them over (a drop, a paste, a folder of
// files): the header reader (core/image/image_header.h), the decoder (stb_image or libwebp, then the
// EXIF orientation) and the JPEG header reader of the audit (core/image/jpeg_header.h).
//
// The decoder runs under smaller limits than the default (64 MP): a 64 MP decode takes seconds
// under the sanitizers, and the code paths are the same at any limit. The header reader runs
// with the defaults too, which is what decides that a huge photo is refused.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/image/image.h"
#include "core/image/image_header.h"
#include "core/image/jpeg_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> bytes(data, size);
    (void)sl::read_image_header(bytes);
    const sl::JpegHeader jpeg = sl::read_jpeg_header(bytes);
    assert(jpeg.quality >= 0 && jpeg.quality <= 100);
    const int orientation = sl::exif_orientation(bytes);
    assert(orientation >= 1 && orientation <= 8);

    sl::DecodeLimits limits;
    limits.max_pixels = 1 << 20;
    limits.max_side = 4096;
    auto image = sl::decode_image(bytes, limits);
    if (!image) return 0;
    assert(image->width > 0 && image->height > 0);
    assert(image->width <= limits.max_side && image->height <= limits.max_side);
    assert(image->rgb.size() == size_t(image->width) * size_t(image->height) * 3);
    return 0;
}
