// core/image/image_header.h: what a photo's header says before any pixel is decoded (format, size,
// frames, the memory its decoder would fill), checked against the limits. Pairs with image.h,
// whose decoder reads this first (in the CLI and in the page's decode worker alike).
//
//   sl::Result<sl::ImageHeader> h = sl::read_image_header(bytes);   // default limits
//   if (!h) puts(h.error().c_str());   // "image too large: 20000x20000 (400 MP); the limit is ..."
//   else printf("%s %dx%d\n", sl::image_format_name(h->format), h->width, h->height);
//
// The format is told by the first bytes, never by a file name. Reading a header costs no more
// than walking its segments or chunks (a GIF's frames: its blocks, without decompressing them),
// so a photo that would need gigabytes is refused in microseconds, with its size in the message.
#pragma once
#include <cstdint>
#include <span>

#include "core/base/result.h"

namespace sl {

enum class ImageFormat { unknown, jpeg, png, bmp, gif, webp };

// What the first bytes say the data is. Needs no more than 12 bytes.
ImageFormat sniff_image_format(std::span<const uint8_t> bytes);
const char* image_format_name(ImageFormat format);  // "JPEG", "PNG", ...; "unknown"

struct DecodeLimits {
    int max_side = 32768;                          // pixels, either side
    int64_t max_pixels = 64'000'000;               // width * height; a 50 MP phone photo fits
    int64_t max_decoded_bytes = int64_t(1) << 28;  // 268 MB, the decoder's image: 64 MP of RGBA8
                                                   // fits, a PNG of 16-bit RGBA over 33 MP does not
    int max_frames = 10'000;                       // GIF, animated PNG and WebP frames (only the first is used)
};

struct ImageHeader {
    ImageFormat format = ImageFormat::unknown;
    int width = 0;  // pixels as stored (before any EXIF orientation)
    int height = 0;
    int frames = 1;             // animation frames; 1 for a still image
    int64_t decoded_bytes = 0;  // what the format's decoder fills for the first frame: samples
                                // (channels x bytes each) of every pixel, and a PNG's row filters
};

// Reads the header of a JPEG, PNG, BMP, GIF or WebP and checks it against `limits`.
// Errors, one line each: empty data, not an image, a header that is cut short or corrupt, a size
// over the limits (naming it: "image too large: 20000x20000 (400 MP); ..."), a decoded size over
// max_decoded_bytes, more frames than max_frames. Never reads outside `bytes`.
Result<ImageHeader> read_image_header(std::span<const uint8_t> bytes, const DecodeLimits& limits = {});

// Checks a width and height against `limits` (the size part of read_image_header's checks), for
// pixels that arrive already decoded.
Result<void> check_image_size(int64_t width, int64_t height, const DecodeLimits& limits = {});

}  // namespace sl
