// tests/core/image/jpeg_header_test.cpp: EXIF presence and the quality estimate (core/image/jpeg_header.cpp).
#include "core/image/jpeg_header.h"

#include <gtest/gtest.h>

#include <array>

#include "core/image/image.h"
#include "tests/core/test_images.h"

namespace {

// `jpeg` with an APP1 Exif segment (a minimal TIFF header, no entries) after SOI.
std::vector<uint8_t> with_exif(const std::vector<uint8_t>& jpeg) {
    const std::vector<uint8_t> app1 = {0xFF, 0xE1, 0, 16, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0};
    std::vector<uint8_t> out(jpeg.begin(), jpeg.begin() + 2);
    out.reserve(jpeg.size() + app1.size());  // also quiets a GCC 12 -Warray-bounds false positive
    out.insert(out.end(), app1.begin(), app1.end());
    out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
    return out;
}

}  // namespace

TEST(JpegHeader, QualityOfIjgTablesIsRecovered) {
    const sl::Image photo = test_photo(5, 64, 48);
    for (int q = 1; q <= 100; ++q) {
        const sl::JpegHeader h = sl::read_jpeg_header(sl::encode_jpeg(photo, q));
        EXPECT_EQ(h.quality, q);
        EXPECT_FALSE(h.has_exif);
    }
}

TEST(JpegHeader, FindsExifBeforeTheScan) {
    const std::vector<uint8_t> jpeg = sl::encode_jpeg(test_photo(5, 32, 32), 80);
    const sl::JpegHeader h = sl::read_jpeg_header(with_exif(jpeg));
    EXPECT_TRUE(h.has_exif);
    EXPECT_EQ(h.quality, 80);
    ASSERT_TRUE(sl::decode_image(with_exif(jpeg)));  // still a valid JPEG
}

TEST(JpegHeader, AnnexKTableIsQualityFiftyAndClampedTablesAreTheExtremes) {
    const std::array<uint16_t, 64> k{16, 11, 12,  14,  12,  10, 16, 14,  13,  14,  18,  17,  16, 19,  24,  40,
                                     26, 24, 22,  22,  24,  49, 35, 37,  29,  40,  58,  51,  61, 60,  57,  51,
                                     56, 55, 64,  72,  92,  78, 64, 68,  87,  69,  55,  56,  80, 109, 81,  87,
                                     95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99};
    EXPECT_EQ(sl::ijg_quality(k), 50);
    std::array<uint16_t, 64> ones;
    ones.fill(1);
    EXPECT_EQ(sl::ijg_quality(ones), 100);
    std::array<uint16_t, 64> coarse;
    coarse.fill(255);
    EXPECT_EQ(sl::ijg_quality(coarse), 1);
}

TEST(JpegHeader, GarbageAndCutHeadersGiveNothingAndDoNotCrash) {
    EXPECT_EQ(sl::read_jpeg_header({}).quality, 0);
    const std::vector<uint8_t> png = sl::encode_png(test_photo(1, 8, 8));
    EXPECT_EQ(sl::read_jpeg_header(png).quality, 0);
    const std::vector<uint8_t> jpeg = with_exif(sl::encode_jpeg(test_photo(2, 16, 16), 60));
    for (size_t cut = 0; cut < 200 && cut < jpeg.size(); ++cut) {
        const sl::JpegHeader h = sl::read_jpeg_header(std::span(jpeg.data(), cut));
        EXPECT_TRUE(h.quality == 0 || h.quality == 60);
    }
    std::vector<uint8_t> bad = jpeg;
    bad[4] = 0xFF, bad[5] = 0xFF;  // an absurd segment length
    (void)sl::read_jpeg_header(bad);
}
