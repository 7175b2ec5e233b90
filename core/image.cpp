// core/image.cpp: decoding photos with stb_image, plus the checks stb leaves to its caller.
//
// stb decodes JPEG, PNG, BMP and GIF well but is lenient at the edges: it reads past the end of
// a truncated JPEG or BMP as zeros and returns a half-grey picture without complaint. Photos
// with a missing tail must fail loudly instead, so this file checks the containers itself.
#include "core/image.h"

#include <algorithm>
#include <cstring>
#include <string>

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

bool starts_with(std::span<const uint8_t> b, std::initializer_list<uint8_t> magic, size_t at = 0) {
    if (b.size() < at + magic.size()) return false;
    return std::equal(magic.begin(), magic.end(), b.begin() + at);
}

uint32_t read_le32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | uint32_t(p[3]) << 24; }

// A JPEG's entropy-coded data cannot contain the bytes FF D9 (FF is always followed by 00 or a
// restart marker), so a complete file has FF D9 somewhere after its first start-of-scan.
Result<void> check_jpeg_complete(std::span<const uint8_t> b) {
    size_t i = 2;
    while (i + 4 <= b.size()) {
        if (b[i] != 0xFF) return fail("corrupt JPEG (bad marker)");
        uint8_t marker = b[i + 1];
        if (marker == 0xFF) { ++i; continue; }  // fill byte
        size_t len = size_t(b[i + 2]) << 8 | b[i + 3];
        if (marker == 0xDA) {  // start of scan: look for the end-of-image marker after it
            for (size_t j = i + 2 + len; j + 1 < b.size(); ++j)
                if (b[j] == 0xFF && b[j + 1] == 0xD9) return {};
            return fail("truncated JPEG (the end of the image is missing)");
        }
        if (len < 2) return fail("corrupt JPEG (bad segment length)");
        i += 2 + len;
    }
    return fail("truncated JPEG (no image data)");
}

// stb reads missing BMP rows as zeros: require the pixel array to be all there.
Result<void> check_bmp_complete(std::span<const uint8_t> b, int width, int height) {
    if (b.size() < 30) return fail("truncated BMP (header incomplete)");
    uint32_t offset = read_le32(&b[10]);
    uint32_t header = read_le32(&b[14]);
    int bits = b[28] | b[29] << 8;
    uint32_t compression = header >= 40 && b.size() >= 34 ? read_le32(&b[30]) : 0;
    if (compression != 0 && compression != 3 && compression != 6)
        return {};  // RLE and others: stb refuses them itself
    uint64_t row = (uint64_t(width) * bits + 31) / 32 * 4;
    if (uint64_t(offset) + row * uint64_t(height) > b.size())
        return fail("truncated BMP (pixel rows are missing)");
    return {};
}

// stb stops at the last image-data chunk, so a PNG cut after it still decodes: walk the chunks
// and require the IEND chunk that closes every complete PNG.
Result<void> check_png_complete(std::span<const uint8_t> b) {
    size_t i = 8;
    while (i + 8 <= b.size()) {
        uint64_t len = uint64_t(b[i]) << 24 | b[i + 1] << 16 | b[i + 2] << 8 | b[i + 3];
        if (std::memcmp(&b[i + 4], "IEND", 4) == 0 && i + 12 <= b.size()) return {};
        i += 12 + len;  // length, type, data, CRC
    }
    return fail("truncated PNG (the end of the image is missing)");
}

// Width and height from the header, read here so that a huge size is refused with its numbers
// (stb refuses images over 1 GB itself, but then only says "unknown image type").
bool header_size(std::span<const uint8_t> b, ImageFormat f, int& w, int& h) {
    auto be16 = [&](size_t i) { return int(b[i] << 8 | b[i + 1]); };
    auto be32 = [&](size_t i) { return int64_t(b[i]) << 24 | b[i + 1] << 16 | b[i + 2] << 8 | b[i + 3]; };
    int64_t W = 0, H = 0;
    switch (f) {
        case ImageFormat::png:  // the first chunk must be IHDR, 13 bytes long
            if (b.size() < 24 || be32(8) != 13 || !starts_with(b, {'I', 'H', 'D', 'R'}, 12)) return false;
            W = be32(16), H = be32(20);
            break;
        case ImageFormat::gif:
            if (b.size() < 10) return false;
            W = b[6] | b[7] << 8, H = b[8] | b[9] << 8;
            break;
        case ImageFormat::bmp:
            if (b.size() < 26) return false;
            W = int32_t(read_le32(&b[18])), H = int32_t(read_le32(&b[22]));
            if (H < 0) H = -H;  // top-down rows
            break;
        case ImageFormat::jpeg: {  // the first start-of-frame marker (C0..CF but C4, C8, CC)
            size_t i = 2;
            while (i + 9 <= b.size() && b[i] == 0xFF) {
                uint8_t m = b[i + 1];
                if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                    H = be16(i + 5), W = be16(i + 7);
                    break;
                }
                i += 2 + be16(i + 2);
            }
            if (W == 0) return false;
            break;
        }
        default: return false;
    }
    w = int(std::min<int64_t>(W, INT32_MAX));
    h = int(std::min<int64_t>(H, INT32_MAX));
    return true;
}

std::string size_text(int w, int h) { return std::to_string(w) + "x" + std::to_string(h); }

}  // namespace

ImageFormat sniff_image_format(std::span<const uint8_t> b) {
    if (starts_with(b, {0xFF, 0xD8, 0xFF})) return ImageFormat::jpeg;
    if (starts_with(b, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return ImageFormat::png;
    if (starts_with(b, {'B', 'M'}) && b.size() >= 26) return ImageFormat::bmp;
    if (starts_with(b, {'G', 'I', 'F', '8'})) return ImageFormat::gif;
    if (starts_with(b, {'R', 'I', 'F', 'F'}) && starts_with(b, {'W', 'E', 'B', 'P'}, 8))
        return ImageFormat::webp;
    return ImageFormat::unknown;
}

const char* image_format_name(ImageFormat f) {
    switch (f) {
        case ImageFormat::jpeg: return "JPEG";
        case ImageFormat::png: return "PNG";
        case ImageFormat::bmp: return "BMP";
        case ImageFormat::gif: return "GIF";
        case ImageFormat::webp: return "WebP";
        case ImageFormat::unknown: break;
    }
    return "unknown";
}

static Result<void> check_size(int w, int h, const DecodeLimits& limits) {
    if (w <= 0 || h <= 0) return fail("image has no pixels (" + size_text(w, h) + ")");
    int64_t pixels = int64_t(w) * h;
    if (w > limits.max_side || h > limits.max_side || pixels > limits.max_pixels)
        return fail("image too large: " + size_text(w, h) + " (" + std::to_string(pixels / 1000000) +
                    " MP); the limit is " + std::to_string(limits.max_pixels / 1000000) + " MP and " +
                    std::to_string(limits.max_side) + " px a side");
    return {};
}

Result<Image> decode_image(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
    if (bytes.empty()) return fail("empty file (0 bytes)");
    ImageFormat format = sniff_image_format(bytes);
    if (format == ImageFormat::unknown) return fail("not an image (not JPEG, PNG, BMP, GIF or WebP)");
    if (format == ImageFormat::webp)
        return fail("WebP is not supported by this decoder (the browser app decodes it; convert to PNG or JPEG here)");
    if (bytes.size() > size_t(INT32_MAX)) return fail("file too large (over 2 GB)");

    int w = 0, h = 0, channels = 0;
    const int len = int(bytes.size());
    if (!header_size(bytes, format, w, h))
        return fail(std::string("truncated or corrupt ") + image_format_name(format) + " (no readable header)");
    if (auto ok = check_size(w, h, limits); !ok) return Error{ok.error()};
    if (!stbi_info_from_memory(bytes.data(), len, &w, &h, &channels))
        return fail(std::string("corrupt ") + image_format_name(format) + " (" + stbi_failure_reason() + ")");
    if (format == ImageFormat::jpeg)
        if (auto ok = check_jpeg_complete(bytes); !ok) return Error{ok.error()};
    if (format == ImageFormat::png)
        if (auto ok = check_png_complete(bytes); !ok) return Error{ok.error()};
    if (format == ImageFormat::bmp)
        if (auto ok = check_bmp_complete(bytes, w, h); !ok) return Error{ok.error()};

    uint8_t* pixels = stbi_load_from_memory(bytes.data(), len, &w, &h, &channels, 3);
    if (!pixels)
        return fail(std::string("corrupt ") + image_format_name(format) + " (" + stbi_failure_reason() + ")");
    Image image{w, h, std::vector<uint8_t>(pixels, pixels + size_t(w) * h * 3)};
    stbi_image_free(pixels);
    if (format == ImageFormat::jpeg) {
        int orientation = exif_orientation(bytes);
        if (orientation != 1) return apply_orientation(image, orientation);
    }
    return image;
}

Result<Image> image_from_rgba(const uint8_t* rgba, int width, int height, int stride,
                              const DecodeLimits& limits) {
    if (auto ok = check_size(width, height, limits); !ok) return Error{ok.error()};
    if (stride == 0) stride = width * 4;
    if (stride < width * 4) return fail("RGBA row stride shorter than a row");
    Image image{width, height, std::vector<uint8_t>(size_t(width) * height * 3)};
    for (int y = 0; y < height; ++y) {
        const uint8_t* src = rgba + size_t(y) * stride;
        uint8_t* dst = image.rgb.data() + size_t(y) * width * 3;
        for (int x = 0; x < width; ++x, src += 4, dst += 3) {
            dst[0] = src[0];
            dst[1] = src[1];
            dst[2] = src[2];
        }
    }
    return image;
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
                case 2: sx = W - 1 - x; break;                        // mirrored
                case 3: sx = W - 1 - x; sy = H - 1 - y; break;        // rotated 180
                case 4: sy = H - 1 - y; break;                        // flipped
                case 5: sx = y; sy = x; break;                        // transposed
                case 6: sx = y; sy = W - 1 - x; break;                // needs 90 clockwise
                case 7: sx = H - 1 - y; sy = W - 1 - x; break;        // transversed
                case 8: sx = H - 1 - y; sy = x; break;                // needs 90 anticlockwise
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
    if (!stbi_write_png_to_func(append_bytes, &out, image.width, image.height, 3, image.rgb.data(),
                                image.width * 3))
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
