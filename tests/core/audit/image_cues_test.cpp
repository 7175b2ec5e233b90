// tests/core/audit/image_cues_test.cpp: a photo's content-free cues and their columns
// (core/audit/image_cues.cpp).
#include "core/audit/image_cues.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/core/test_images.h"

namespace {

sl::ImageCues cues_of(const std::vector<uint8_t>& bytes) { return sl::image_cues(bytes, *sl::decode_image(bytes)); }

}  // namespace

TEST(ImageCues, FileCuesOfAJpegAndAPng) {
    const sl::Image photo = test_photo(4, 120, 80);
    const std::vector<uint8_t> jpeg = sl::encode_jpeg(photo, 70), png = sl::encode_png(photo);
    const sl::ImageCues j = cues_of(jpeg), p = cues_of(png);
    EXPECT_EQ(j.format, sl::ImageFormat::jpeg);
    EXPECT_EQ(p.format, sl::ImageFormat::png);
    EXPECT_EQ(j.width, 120);
    EXPECT_EQ(j.height, 80);
    EXPECT_EQ(j.file_bytes, int64_t(jpeg.size()));
    EXPECT_NEAR(j.bytes_per_pixel, jpeg.size() / 9600.0, 1e-12);
    EXPECT_EQ(j.jpeg_quality, 70);
    EXPECT_EQ(p.jpeg_quality, 0);
    EXPECT_FALSE(j.has_exif);
    EXPECT_GT(p.bytes_per_pixel, j.bytes_per_pixel);
}

TEST(ImageCues, ColourStatisticsOfFlatAndHalfImages) {
    sl::Image red{300, 300, std::vector<uint8_t>(300 * 300 * 3, 0)};
    for (size_t i = 0; i < red.rgb.size(); i += 3) red.rgb[i] = 200;
    const sl::ImageCues c = sl::image_cues(sl::encode_png(red), red);
    EXPECT_NEAR(c.mean_rgb[0], 200, 1e-9);
    EXPECT_NEAR(c.mean_rgb[1], 0, 1e-9);
    EXPECT_NEAR(c.saturation, 1, 1e-9);
    EXPECT_NEAR(c.grey_std, 0, 1e-6);
    sl::Image half{100, 100, std::vector<uint8_t>(100 * 100 * 3, 0)};
    for (int y = 0; y < 100; ++y)
        for (int x = 50; x < 100; ++x)
            for (int k = 0; k < 3; ++k) half.rgb[(size_t(y) * 100 + x) * 3 + k] = 255;
    const sl::ImageCues h = sl::image_cues(sl::encode_png(half), half);
    EXPECT_NEAR(h.grey_std, 127.5, 0.5);  // black and white halves
    EXPECT_NEAR(h.saturation, 0, 1e-9);
}

TEST(ImageCues, TheBackgroundIsTheFrameAroundTheMiddle) {
    // A red frame (the outer 15% on every side) around a blue middle.
    sl::Image framed{100, 80, std::vector<uint8_t>(100 * 80 * 3, 0)};
    for (int y = 0; y < 80; ++y)
        for (int x = 0; x < 100; ++x) {
            const bool frame = x < 15 || x >= 85 || y < 12 || y >= 68;
            framed.rgb[(size_t(y) * 100 + x) * 3 + (frame ? 0 : 2)] = 200;
        }
    const sl::ImageCues c = sl::image_cues(sl::encode_png(framed), framed);
    EXPECT_NEAR(c.border_rgb[0], 200, 1e-9);
    EXPECT_NEAR(c.border_rgb[2], 0, 1e-9);
    EXPECT_NEAR(c.border_saturation, 1, 1e-9);
    EXPECT_GT(c.mean_rgb[2], 50);  // the whole photo: blue too
}

TEST(ImageCues, ColumnsInTheDocumentedOrder) {
    const sl::Image photo = test_photo(2, 64, 48);
    const std::vector<sl::ImageCues> all = {cues_of(sl::encode_jpeg(photo, 90)), cues_of(sl::encode_png(photo))};
    const std::vector<sl::CueColumn> cols = sl::cue_columns(all);
    const char* names[] = {
        "width",           "height",       "aspect",     "megapixels",   "size",        "format",
        "bytes_per_pixel", "jpeg_quality", "exif",       "mean_red",     "mean_green",  "mean_blue",
        "grey_contrast",   "saturation",   "border_red", "border_green", "border_blue", "border_saturation",
        "border_warmth"};
    ASSERT_EQ(cols.size(), std::size(names));
    for (size_t i = 0; i < cols.size(); ++i) {
        EXPECT_EQ(cols[i].name, names[i]);
        EXPECT_EQ(cols[i].values.size(), 2u);
        EXPECT_EQ(cols[i].group, i < 9 ? "file" : i < 14 ? "colour" : "background");
    }
    EXPECT_TRUE(cols[4].categorical && cols[5].categorical && cols[8].categorical);
    EXPECT_EQ(cols[4].values[0], 64.0 * 65536 + 48);
    EXPECT_NEAR(cols[2].values[0], 64.0 / 48, 1e-12);
    EXPECT_EQ(cols[7].values[0], 90);
    EXPECT_TRUE(std::isnan(cols[7].values[1]));  // a PNG has no JPEG quality
    EXPECT_NE(cols[5].values[0], cols[5].values[1]);
}
