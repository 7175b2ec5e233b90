// tests/core/image/image_header_test.cpp: sizes, frames and decoded sizes read from every format's
// header, and the limits applied to them before any pixel is decoded.
#include "core/image/image_header.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/image/image.h"
#include "tests/core/test_files.h"
#include "tests/core/test_images.h"
#include "tests/core/test_webp.h"

namespace {

using test_files::bmp;
using test_files::Bytes;
using test_files::gif_frames;

void put_be32(Bytes& b, size_t at, uint32_t v) {
    for (int k = 0; k < 4; ++k) b[at + k] = uint8_t(v >> (24 - 8 * k));
}

// A PNG whose IHDR claims another size, bit depth and colour type (a header reader checks no
// CRC, and neither does stb).
Bytes png_claiming(uint32_t width, uint32_t height, uint8_t depth = 8, uint8_t colour = 2) {
    Bytes png = sl::encode_png(test_photo(1, 4, 4));
    put_be32(png, 16, width);
    put_be32(png, 20, height);
    png[24] = depth, png[25] = colour;
    return png;
}

std::string error_of(const Bytes& b, const sl::DecodeLimits& limits = {}) {
    auto h = sl::read_image_header(b, limits);
    return h ? "(accepted)" : h.error();
}

}  // namespace

TEST(ImageHeader, ReadsTheSizeOfEveryFormat) {
    const sl::Image img = test_photo(3, 37, 21);
    for (const Bytes& b : {sl::encode_png(img), sl::encode_jpeg(img, 90), bmp(img, false), bmp(img, true),
                           webp_lossless(img), webp_lossy(img, 80), webp_animation({img, img})}) {
        auto h = sl::read_image_header(b);
        ASSERT_TRUE(h) << h.error();
        EXPECT_EQ(h->width, 37) << sl::image_format_name(h->format);
        EXPECT_EQ(h->height, 21) << sl::image_format_name(h->format);
        // And the decoder agrees (the core header's BMP included: stb reads it).
        auto decoded = sl::decode_image(b);
        ASSERT_TRUE(decoded) << sl::image_format_name(h->format) << ": " << decoded.error();
        EXPECT_EQ(decoded->width, 37);
    }
}

TEST(ImageHeader, CountsFrames) {
    const sl::Image img = test_photo(3, 8, 8);
    auto gif = sl::read_image_header(gif_frames(3));
    ASSERT_TRUE(gif) << gif.error();
    EXPECT_EQ(gif->format, sl::ImageFormat::gif);
    EXPECT_EQ(gif->frames, 3);
    EXPECT_EQ(sl::read_image_header(webp_animation({img, img, img}))->frames, 3);
    EXPECT_EQ(sl::read_image_header(webp_lossless(img))->frames, 1);
    EXPECT_EQ(sl::read_image_header(sl::encode_png(img))->frames, 1);
}

TEST(ImageHeader, RefusesAHugePngByItsHeaderNamingItsSize) {
    const std::string e = error_of(png_claiming(20000, 20000));
    EXPECT_NE(e.find("image too large: 20000x20000 (400 MP)"), std::string::npos) << e;
    EXPECT_NE(e.find("the limit is 64 MP"), std::string::npos) << e;
    // Sizes past 2^31 are reported as stated, not wrapped.
    EXPECT_NE(error_of(png_claiming(0xFFFFFFFF, 1)).find("4294967295x1"), std::string::npos);
}

TEST(ImageHeader, RefusesAPngWhoseDecodedSizeIsOverTheLimit) {
    // 8000x7000 is 56 MP, under the pixel limit; as 16-bit RGBA it inflates to 448 MB.
    const std::string e = error_of(png_claiming(8000, 7000, 16, 6));
    EXPECT_NE(e.find("too large to decode: a 8000x7000 PNG needs 448 MB decoded; the limit is 268 MB"),
              std::string::npos)
        << e;
    auto rgb8 = sl::read_image_header(png_claiming(8000, 7000, 8, 2));
    ASSERT_TRUE(rgb8) << rgb8.error();
    EXPECT_EQ(rgb8->decoded_bytes, int64_t(7000) * (1 + 8000 * 3));
    // Packed bits: 1-bit grey, 8 pixels a byte.
    EXPECT_EQ(sl::read_image_header(png_claiming(8000, 7000, 1, 0))->decoded_bytes, int64_t(7000) * (1 + 1000));
    EXPECT_NE(error_of(png_claiming(8, 8, 16, 3)).find("corrupt PNG (bit depth 16 with colour type 3)"),
              std::string::npos);
}

TEST(ImageHeader, RefusesAbsurdFrameCounts) {
    sl::DecodeLimits limits;
    limits.max_frames = 5;
    EXPECT_TRUE(sl::read_image_header(gif_frames(5), limits));
    EXPECT_EQ(error_of(gif_frames(6), limits), "GIF with more than 5 frames; the limit is 5 (only the first is used)");
    const sl::Image img = test_photo(3, 4, 4);
    EXPECT_EQ(error_of(webp_animation(std::vector<sl::Image>(6, img)), limits),
              "WebP with more than 5 frames; the limit is 5 (only the first is used)");
    // The default limit, 10000 frames, on a GIF of 10001 (about 230 kB).
    EXPECT_TRUE(sl::read_image_header(gif_frames(10000)));
    EXPECT_NE(error_of(gif_frames(10001)).find("more than 10000 frames"), std::string::npos);
}

TEST(ImageHeader, RefusesAnAnimatedPngDeclaringAbsurdFrames) {
    // acTL right after IHDR: num_frames 4000000000, num_plays 0.
    Bytes png = sl::encode_png(test_photo(1, 4, 4));
    Bytes actl = {0, 0, 0, 8, 'a', 'c', 'T', 'L', 0xEE, 0x6B, 0x28, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};
    png.insert(png.begin() + 33, actl.begin(), actl.end());
    EXPECT_EQ(error_of(png), "PNG with 4000000000 frames; the limit is 10000 (only the first is used)");
}

TEST(ImageHeader, RefusesAGifFrameLargerThanTheLimitsWhateverItsScreen) {
    // The screen is 1x1; the first frame's rectangle is 40000x2.
    const std::string e = error_of(gif_frames(1, 40000, 2));
    EXPECT_NE(e.find("GIF frame 1: image too large: 40000x2"), std::string::npos) << e;
}

TEST(ImageHeader, FindsTheJpegFrameHeaderPastLargeSegmentsAndFillBytes) {
    Bytes jpeg = sl::encode_jpeg(test_photo(2, 30, 20), 90);
    Bytes app = {0xFF, 0xFF, 0xFF, 0xE2, 0xFF, 0xFF};  // fill bytes, then a full-size APP2
    app.resize(app.size() + 0xFFFF - 2, 0x11);
    jpeg.insert(jpeg.begin() + 2, app.begin(), app.end());
    auto h = sl::read_image_header(jpeg);
    ASSERT_TRUE(h) << h.error();
    EXPECT_EQ(h->width, 30);
    EXPECT_EQ(h->height, 20);
    EXPECT_EQ(h->decoded_bytes, 30 * 20 * 3);
}

TEST(ImageHeader, NamesTheProblemWithEveryCutShortHeader) {
    const sl::Image img = test_photo(4, 16, 16);
    for (const Bytes& full :
         {sl::encode_png(img), sl::encode_jpeg(img, 90), bmp(img, false), gif_frames(1), webp_lossless(img)}) {
        const std::string name = sl::image_format_name(sl::sniff_image_format(full));
        for (size_t n : {size_t(12), size_t(20)}) {
            Bytes cut(full.begin(), full.begin() + n);
            if (sl::sniff_image_format(cut) == sl::ImageFormat::unknown) continue;  // too short to tell
            const std::string e = error_of(cut);
            EXPECT_NE(e.find(name), std::string::npos) << name << " cut to " << n << ": " << e;
        }
    }
    EXPECT_EQ(error_of({}), "empty file (0 bytes)");
    EXPECT_EQ(error_of({'h', 'e', 'l', 'l', 'o'}), "not an image (not JPEG, PNG, BMP, GIF or WebP)");
}

TEST(ImageHeader, ChecksSizesOfPixelsAlreadyDecoded) {
    EXPECT_TRUE(sl::check_image_size(8000, 8000));
    EXPECT_FALSE(sl::check_image_size(8001, 8000));
    EXPECT_FALSE(sl::check_image_size(0, 10));
    EXPECT_FALSE(sl::check_image_size(int64_t(1) << 40, int64_t(1) << 40));  // no overflow in the product
}
