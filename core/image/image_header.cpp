// core/image/image_header.cpp: the headers of JPEG, PNG, BMP, GIF and WebP, read without decoding
// (image_header.h). WebP's is read by libwebp (core/image/detail/webp_decode.h); the others here.
//
// Sizes are multiplied in 64 bits and saturate: a header may claim 2^32 - 1 pixels a side, and
// size_t is 32 bits in WebAssembly. Offsets are 64-bit for the same reason: a chunk length near
// 2^32 must not wrap a position back into the file.
#include "core/image/image_header.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>

#include "core/image/detail/jpeg_markers.h"
#include "core/image/detail/webp_decode.h"

namespace sl {
namespace {

bool starts_with(std::span<const uint8_t> b, std::initializer_list<uint8_t> magic, size_t at = 0) {
    if (b.size() < at + magic.size()) return false;
    return std::equal(magic.begin(), magic.end(), b.begin() + at);
}

// Readers of a span that are only called where the caller checked the bounds.
int64_t be16(std::span<const uint8_t> b, uint64_t i) { return int64_t(b[i]) << 8 | b[i + 1]; }
int64_t be32(std::span<const uint8_t> b, uint64_t i) { return be16(b, i) << 16 | be16(b, i + 2); }
int64_t le16(std::span<const uint8_t> b, uint64_t i) { return int64_t(b[i + 1]) << 8 | b[i]; }
int64_t le32(std::span<const uint8_t> b, uint64_t i) { return le16(b, i + 2) << 16 | le16(b, i); }

// a * b * ..., saturating at INT64_MAX (every factor >= 0).
int64_t product(std::initializer_list<int64_t> factors) {
    int64_t p = 1;
    for (int64_t f : factors) {
        if (f != 0 && p > INT64_MAX / f) return INT64_MAX;
        p *= f;
    }
    return p;
}

std::string size_text(int64_t w, int64_t h) { return std::to_string(w) + "x" + std::to_string(h); }

std::string megabytes(int64_t bytes) { return std::to_string(bytes / 1000000 + (bytes % 1000000 >= 500000)) + " MB"; }

// The header as the file states it, before the limits are applied.
struct Stated {
    int64_t width = 0, height = 0;
    int64_t frames = 1;
    int64_t bytes_per_pixel = 3;  // samples of a pixel as decoded, times their size in bytes
    int64_t row_overhead = 0;     // bytes per row beyond the pixels (a PNG's filter byte)
    int64_t bits_per_pixel = 0;   // when set, rows are packed bits (PNG at depths below 8)
};

using Parsed = Result<Stated>;

Error unreadable(ImageFormat f) {
    return fail(std::string("truncated or corrupt ") + image_format_name(f) + " (no readable header)");
}

// PNG: the IHDR chunk first (size, bit depth, colour type), then the chunks before the image
// data, for an animated PNG's acTL (its frame count).
Parsed png_header(std::span<const uint8_t> b) {
    if (b.size() < 33 || be32(b, 8) != 13 || !starts_with(b, {'I', 'H', 'D', 'R'}, 12))
        return unreadable(ImageFormat::png);
    Stated s;
    s.width = be32(b, 16), s.height = be32(b, 20);
    const int depth = b[24], colour = b[25];
    int channels = 0;
    switch (colour) {
        case 0:
            channels = (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16) ? 1 : 0;
            break;
        case 3:
            channels = (depth == 1 || depth == 2 || depth == 4 || depth == 8) ? 1 : 0;
            break;
        case 2:
            channels = (depth == 8 || depth == 16) ? 3 : 0;
            break;
        case 4:
            channels = (depth == 8 || depth == 16) ? 2 : 0;
            break;
        case 6:
            channels = (depth == 8 || depth == 16) ? 4 : 0;
            break;
    }
    if (channels == 0)
        return fail("corrupt PNG (bit depth " + std::to_string(depth) + " with colour type " + std::to_string(colour) +
                    ")");
    s.bits_per_pixel = int64_t(channels) * depth;
    s.row_overhead = 1;
    for (uint64_t i = 33; i + 12 <= b.size(); i += 12 + uint64_t(be32(b, i))) {
        if (starts_with(b, {'I', 'D', 'A', 'T'}, i + 4) || starts_with(b, {'I', 'E', 'N', 'D'}, i + 4)) break;
        // num_frames 0 is invalid: decoders then show the still image, and so do we.
        if (starts_with(b, {'a', 'c', 'T', 'L'}, i + 4) && be32(b, i) == 8 && be32(b, i + 8) > 0)
            s.frames = be32(b, i + 8);
    }
    return s;
}

// JPEG: the segments up to the first start-of-frame (SOF0..SOF15 but DHT C4, JPG C8, DAC CC):
// precision, height, width, number of components.
Parsed jpeg_header(std::span<const uint8_t> b) {
    std::optional<Stated> frame;
    const auto end = detail::walk_jpeg_markers(b, [&](uint8_t m, std::span<const uint8_t> seg) {
        if (m == 0xDA) return false;  // the scan starts before a frame header
        if (m < 0xC0 || m > 0xCF || m == 0xC4 || m == 0xC8 || m == 0xCC) return true;
        if (seg.size() >= 6) {
            Stated s;
            s.height = be16(seg, 1), s.width = be16(seg, 3);
            s.bytes_per_pixel = int64_t(seg[5]) * (seg[0] > 8 ? 2 : 1);
            frame = s;
        }
        return false;
    });
    if (end == detail::JpegWalkEnd::bad_length) return fail("corrupt JPEG (bad segment length)");
    if (frame) return *frame;
    return unreadable(ImageFormat::jpeg);
}

// BMP: the core header (12 bytes, 16-bit sizes) or any later info header (32-bit sizes; a
// negative height stores the rows top-down).
Parsed bmp_header(std::span<const uint8_t> b) {
    if (b.size() < 26) return unreadable(ImageFormat::bmp);
    Stated s;
    int64_t bits = 0;
    if (le32(b, 14) == 12) {
        s.width = le16(b, 18), s.height = le16(b, 20), bits = le16(b, 24);
    } else {
        if (b.size() < 30) return unreadable(ImageFormat::bmp);
        s.width = int32_t(uint32_t(le32(b, 18))), s.height = int32_t(uint32_t(le32(b, 22)));
        if (s.height < 0) s.height = -s.height;
        bits = le16(b, 28);
    }
    s.bytes_per_pixel = bits == 32 ? 4 : 3;
    return s;
}

// GIF: the logical screen, then every block, skipped by its length, to count the frames and
// check each frame's rectangle (a decoder that draws a frame larger than the screen needs it
// all). Stops at the trailer, at a byte that starts no block (decoders stop there too), or as
// soon as the frames exceed the limit.
Parsed gif_header(std::span<const uint8_t> b, const DecodeLimits& limits) {
    if (b.size() < 13) return unreadable(ImageFormat::gif);
    Stated s;
    s.width = le16(b, 6), s.height = le16(b, 8);
    s.bytes_per_pixel = 4;  // decoded with alpha
    s.frames = 0;
    auto colour_table = [&](uint8_t packed) -> uint64_t { return packed & 0x80 ? 3u << ((packed & 7) + 1) : 0; };
    auto skip_sub_blocks = [&](uint64_t i) {
        while (i < b.size()) {
            const uint8_t n = b[i];
            i += 1 + uint64_t(n);
            if (n == 0) break;
        }
        return i;
    };
    uint64_t i = 13 + colour_table(b[10]);
    while (i < b.size() && b[i] != 0x3B) {
        if (b[i] == 0x21) {
            i = skip_sub_blocks(i + 2);
        } else if (b[i] == 0x2C) {
            if (i + 10 > b.size()) break;
            if (++s.frames > limits.max_frames) return s;  // enough to refuse
            const int64_t right = le16(b, i + 1) + le16(b, i + 5), bottom = le16(b, i + 3) + le16(b, i + 7);
            if (auto ok = check_image_size(std::max(s.width, right), std::max(s.height, bottom), limits); !ok)
                return fail("GIF frame " + std::to_string(s.frames) + ": " + ok.error());
            i = skip_sub_blocks(i + 10 + colour_table(b[i + 9]) + 1);
        } else {
            break;
        }
    }
    if (s.frames == 0) return fail("truncated or corrupt GIF (no image in it)");
    return s;
}

// WebP: libwebp reads the size (of the canvas, for an animation); an animation's frames are its
// ANMF chunks, counted here without parsing them (libwebp's demuxer keeps a record per frame).
Parsed webp_header(std::span<const uint8_t> b, const DecodeLimits& limits) {
    detail::WebpFeatures f;
    if (!detail::webp_features(b, f)) return unreadable(ImageFormat::webp);
    Stated s;
    s.width = f.width, s.height = f.height;
    s.bytes_per_pixel = f.animated ? 4 : 3;  // an animation's canvas is decoded with alpha
    if (!f.animated) return s;
    s.frames = 0;
    for (uint64_t i = 12; i + 8 <= b.size() && s.frames <= limits.max_frames;
         i += 8 + uint64_t(le32(b, i + 4)) + (b[i + 4] & 1))
        if (starts_with(b, {'A', 'N', 'M', 'F'}, i)) ++s.frames;
    if (s.frames == 0) return fail("truncated or corrupt WebP (an animation without frames)");
    return s;
}

}  // namespace

ImageFormat sniff_image_format(std::span<const uint8_t> b) {
    if (starts_with(b, {0xFF, 0xD8, 0xFF})) return ImageFormat::jpeg;
    if (starts_with(b, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return ImageFormat::png;
    if (starts_with(b, {'B', 'M'}) && b.size() >= 26) return ImageFormat::bmp;
    if (starts_with(b, {'G', 'I', 'F', '8'})) return ImageFormat::gif;
    if (starts_with(b, {'R', 'I', 'F', 'F'}) && starts_with(b, {'W', 'E', 'B', 'P'}, 8)) return ImageFormat::webp;
    return ImageFormat::unknown;
}

const char* image_format_name(ImageFormat f) {
    switch (f) {
        case ImageFormat::jpeg:
            return "JPEG";
        case ImageFormat::png:
            return "PNG";
        case ImageFormat::bmp:
            return "BMP";
        case ImageFormat::gif:
            return "GIF";
        case ImageFormat::webp:
            return "WebP";
        case ImageFormat::unknown:
            break;
    }
    return "unknown";
}

Result<void> check_image_size(int64_t w, int64_t h, const DecodeLimits& limits) {
    if (w <= 0 || h <= 0) return fail("image has no pixels (" + size_text(w, h) + ")");
    const int64_t pixels = product({w, h});
    if (w > limits.max_side || h > limits.max_side || pixels > limits.max_pixels)
        return fail("image too large: " + size_text(w, h) + " (" + std::to_string(pixels / 1000000) +
                    " MP); the limit is " + std::to_string(limits.max_pixels / 1000000) + " MP and " +
                    std::to_string(limits.max_side) + " px a side");
    return {};
}

Result<ImageHeader> read_image_header(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
    if (bytes.empty()) return fail("empty file (0 bytes)");
    const ImageFormat format = sniff_image_format(bytes);
    if (bytes.size() > size_t(INT32_MAX)) return fail("file too large (over 2 GB)");
    Parsed stated = fail("not an image (not JPEG, PNG, BMP, GIF or WebP)");
    switch (format) {
        case ImageFormat::jpeg:
            stated = jpeg_header(bytes);
            break;
        case ImageFormat::png:
            stated = png_header(bytes);
            break;
        case ImageFormat::bmp:
            stated = bmp_header(bytes);
            break;
        case ImageFormat::gif:
            stated = gif_header(bytes, limits);
            break;
        case ImageFormat::webp:
            stated = webp_header(bytes, limits);
            break;
        case ImageFormat::unknown:
            break;
    }
    if (!stated) return Error{stated.error()};
    const Stated& s = *stated;
    const std::string name = image_format_name(format);
    if (s.frames > limits.max_frames)
        return fail(
            name + " with " +
            (format == ImageFormat::png ? std::to_string(s.frames) : "more than " + std::to_string(limits.max_frames)) +
            " frames; the limit is " + std::to_string(limits.max_frames) + " (only the first is used)");
    if (auto ok = check_image_size(s.width, s.height, limits); !ok) return Error{ok.error()};
    const int64_t row =
        s.bits_per_pixel ? (product({s.width, s.bits_per_pixel}) + 7) / 8 : product({s.width, s.bytes_per_pixel});
    const int64_t decoded = product({s.height, row + s.row_overhead});
    if (decoded > limits.max_decoded_bytes)
        return fail("image too large to decode: a " + size_text(s.width, s.height) + " " + name + " needs " +
                    megabytes(decoded) + " decoded; the limit is " + megabytes(limits.max_decoded_bytes));
    return ImageHeader{format, int(s.width), int(s.height), int(s.frames), decoded};
}

}  // namespace sl
