// core/image/image.cpp: decoding photos with stb_image (WebP: core/image/detail/webp_decode.h), plus the
// checks stb leaves to its caller.
//
// stb decodes JPEG, PNG, BMP and GIF well but is lenient at the edges: it reads past the end of
// a truncated JPEG or BMP as zeros and returns a half-grey picture without complaint. Photos
// with a missing tail must fail loudly instead, so this file checks the containers itself (a
// JPEG's in core/image/detail/jpeg_check.h, which also keeps stb from tables it would overrun).
#include "core/image/image.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "core/image/detail/jpeg_check.h"
#include "core/image/detail/webp_decode.h"

#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_ONLY_BMP
#define STBI_ONLY_GIF
#define STBI_NO_STDIO
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#include <stb/stb_image.h>

#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

namespace sl {
namespace {

uint32_t read_le32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | uint32_t(p[3]) << 24; }

// stb reads missing BMP rows as zeros: require the pixel array to be all there.
Result<void> check_bmp_complete(std::span<const uint8_t> b, int width, int height) {
    if (b.size() < 30) return fail("truncated BMP (header incomplete)");
    uint32_t offset = read_le32(&b[10]);
    uint32_t header = read_le32(&b[14]);
    int bits = header == 12 ? b[24] | b[25] << 8 : b[28] | b[29] << 8;  // the 12-byte core header has 16-bit sizes
    uint32_t compression = header >= 40 && b.size() >= 34 ? read_le32(&b[30]) : 0;
    if (compression != 0 && compression != 3 && compression != 6) return {};  // RLE and others: stb refuses them itself
    uint64_t row = (uint64_t(width) * bits + 31) / 32 * 4;
    if (uint64_t(offset) + row * uint64_t(height) > b.size()) return fail("truncated BMP (pixel rows are missing)");
    return {};
}

// stb stops at the last image-data chunk, so a PNG cut after it still decodes: walk the chunks
// and require the IEND chunk that closes every complete PNG.
// The position is 64-bit: in WebAssembly a 32-bit size_t plus a chunk length near 2^32 wrapped
// back into the file, and a chunk that led back to itself made this loop spin forever.
Result<void> check_png_complete(std::span<const uint8_t> b) {
    uint64_t i = 8;
    while (i + 8 <= b.size()) {
        uint64_t len = uint64_t(b[i]) << 24 | b[i + 1] << 16 | b[i + 2] << 8 | b[i + 3];
        if (std::memcmp(&b[i + 4], "IEND", 4) == 0 && i + 12 <= b.size()) return {};
        i += 12 + len;  // length, type, data, CRC
    }
    return fail("truncated PNG (the end of the image is missing)");
}

}  // namespace

Result<Image> decode_image(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
    auto header = read_image_header(bytes, limits);
    if (!header) return Error{header.error()};
    const ImageFormat format = header->format;
    if (format == ImageFormat::webp) return detail::decode_webp(bytes);

    // The containers are checked before stb reads any of it (a bad Huffman table overflows stb's
    // arrays while it reads the header: core/image/detail/jpeg_check.h).
    if (format == ImageFormat::jpeg)
        if (auto ok = detail::check_jpeg(bytes); !ok) return Error{ok.error()};
    if (format == ImageFormat::png)
        if (auto ok = check_png_complete(bytes); !ok) return Error{ok.error()};
    if (format == ImageFormat::bmp)
        if (auto ok = check_bmp_complete(bytes, header->width, header->height); !ok) return Error{ok.error()};

    int w = 0, h = 0, channels = 0;
    const int len = int(bytes.size());  // read_image_header refuses files over 2 GB
    uint8_t* pixels = stbi_load_from_memory(bytes.data(), len, &w, &h, &channels, 3);
    if (!pixels) return fail(std::string("corrupt ") + image_format_name(format) + " (" + stbi_failure_reason() + ")");
    Image image{w, h, std::vector<uint8_t>(pixels, pixels + size_t(w) * h * 3)};
    stbi_image_free(pixels);
    if (format == ImageFormat::jpeg) {
        int orientation = exif_orientation(bytes);
        if (orientation != 1) return apply_orientation(image, orientation);
    }
    return image;
}

Result<Image> image_from_rgb(const uint8_t* rgb, int width, int height, const DecodeLimits& limits) {
    if (auto ok = check_image_size(width, height, limits); !ok) return Error{ok.error()};
    return Image{width, height, std::vector<uint8_t>(rgb, rgb + size_t(width) * height * 3)};
}

Image apply_orientation(const Image& in, int orientation) {
    if (orientation < 2 || orientation > 8) return in;
    // Orientations 5..8 swap width and height. For each output pixel, find the stored one.
    const bool swap = orientation >= 5;
    const int W = swap ? in.height : in.width, H = swap ? in.width : in.height;
    Image out{W, H, std::vector<uint8_t>(in.rgb.size())};
    for (int y = 0; y < H; ++y) {
        for (int x = 0; x < W; ++x) {
            int sx = x, sy = y;
            switch (orientation) {
                case 2:
                    sx = W - 1 - x;
                    break;  // mirrored
                case 3:
                    sx = W - 1 - x;
                    sy = H - 1 - y;
                    break;  // rotated 180
                case 4:
                    sy = H - 1 - y;
                    break;  // flipped
                case 5:
                    sx = y;
                    sy = x;
                    break;  // transposed
                case 6:
                    sx = y;
                    sy = W - 1 - x;
                    break;  // needs 90 clockwise
                case 7:
                    sx = H - 1 - y;
                    sy = W - 1 - x;
                    break;  // transversed
                case 8:
                    sx = H - 1 - y;
                    sy = x;
                    break;  // needs 90 anticlockwise
            }
            std::memcpy(out.rgb.data() + (size_t(y) * W + x) * 3, in.pixel(sx, sy), 3);
        }
    }
    return out;
}

// stb_image_write's callback: appends to a std::vector<uint8_t>.
static void append_bytes(void* ctx, void* data, int size) {
    auto* v = static_cast<std::vector<uint8_t>*>(ctx);
    v->insert(v->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
}

std::vector<uint8_t> encode_png(const Image& image) {
    std::vector<uint8_t> out;
    if (!stbi_write_png_to_func(append_bytes, &out, image.width, image.height, 3, image.rgb.data(), image.width * 3))
        out.clear();
    return out;
}

std::vector<uint8_t> encode_jpeg(const Image& image, int quality) {
    std::vector<uint8_t> out;
    if (!stbi_write_jpg_to_func(append_bytes, &out, image.width, image.height, 3, image.rgb.data(),
                                std::clamp(quality, 1, 100)))
        out.clear();
    return out;
}

}  // namespace sl
