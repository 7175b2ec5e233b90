// tests/core/audit/contact_sheet_test.cpp: layout, thumbnails and captions (core/audit/contact_sheet.cpp).
#include "core/audit/contact_sheet.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/core/test_images.h"

namespace {

std::vector<uint8_t> inter_font() {
    std::ifstream f("/usr/share/fonts/opentype/inter/Inter-Regular.otf", std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

sl::Image flat(int w, int h, uint8_t v) { return {w, h, std::vector<uint8_t>(size_t(w) * h * 3, v)}; }

std::vector<sl::SheetSection> two_sections() {
    std::vector<sl::SheetSection> s(2);
    s[0].title = "person: most wrong";
    for (int i = 0; i < 3; ++i)
        s[0].tiles.push_back({test_photo(uint32_t(i + 1), 160, 90), {"person_001.jpg", "P 0.02"}});
    s[1].title = "santa: farthest";
    s[1].tiles.push_back({flat(40, 80, 0), {"tall.png"}});  // black, taller than wide
    return s;
}

}  // namespace

TEST(ContactSheet, TilesInRowsWithTheirAspectAndNoTextWithoutAFont) {
    sl::SheetStyle style;
    style.thumb = 100, style.columns = 2;
    auto sheet = sl::render_contact_sheet(two_sections(), style);
    ASSERT_TRUE(sheet) << sheet.error();
    EXPECT_EQ(sheet->width, 2 * 20 + 2 * 100 + 14);  // two columns
    // Without a font: no title, no headings; the second section's black tile is 50 x 100,
    // centred in its square, below two rows of the first section.
    const int tile_h = 100 + 6 + 3 * 0;
    const int y0 = 20 + 2 * (tile_h + 14) + 14;
    EXPECT_EQ(sheet->pixel(20 + 50, y0 + 50)[0], 0);         // inside the black thumbnail
    EXPECT_EQ(sheet->pixel(20 + 10, y0 + 50)[0], 236);       // tile background beside it
    EXPECT_EQ(sheet->pixel(20 + 100 + 7, y0 + 50)[0], 255);  // the gap between columns
}

TEST(ContactSheet, CaptionsAndHeadingsAreDrawnWithAFont) {
    const std::vector<uint8_t> font = inter_font();
    if (font.empty()) GTEST_SKIP() << "Inter is not installed (fonts-inter)";
    sl::SheetStyle style;
    style.font = font, style.thumb = 120, style.title = "santa-lens audit";
    auto with = sl::render_contact_sheet(two_sections(), style);
    ASSERT_TRUE(with) << with.error();
    style.font = {};
    auto without = sl::render_contact_sheet(two_sections(), style);
    ASSERT_TRUE(without);
    EXPECT_GT(with->height, without->height);  // title, headings and caption lines take room
    // Dark text pixels in the first column (captions; the thumbnails there are not this dark).
    int dark = 0;
    for (int y = 0; y < with->height; ++y)
        for (int x = 20; x < 20 + 120; ++x) dark += with->pixel(x, y)[0] < 120 && with->pixel(x, y)[1] < 120;
    EXPECT_GT(dark, 100);
}

TEST(ContactSheet, BadStyleOrTilesAreErrors) {
    sl::SheetStyle style;
    style.thumb = 8;
    EXPECT_FALSE(sl::render_contact_sheet(two_sections(), style));
    style = {};
    style.columns = 0;
    EXPECT_FALSE(sl::render_contact_sheet(two_sections(), style));
    style = {};
    const std::vector<uint8_t> junk(100, 7);
    style.font = junk;
    EXPECT_FALSE(sl::render_contact_sheet(two_sections(), style));
    auto s = two_sections();
    s[1].tiles[0].photo = {};
    EXPECT_FALSE(sl::render_contact_sheet(s, sl::SheetStyle{}));
    EXPECT_TRUE(sl::render_contact_sheet({}, sl::SheetStyle{}));
}
