// core/audit/contact_sheet.h: a contact sheet: sections of thumbnails, each with a caption of a few
// lines (file name, scores), under a title, as one RGB image for sl::encode_png. The audit draws
// its suspects with it (santa-lens audit --sheet).
//
//   std::vector<sl::SheetSection> s(1);
//   s[0].title = "person: the cross-validated head gets these most wrong";
//   s[0].tiles.push_back({*sl::decode_image(bytes), {"person_017.jpg", "P(person) 0.02"}});
//   sl::SheetStyle style;  style.font = inter_regular_bytes;  style.title = "santa-lens audit";
//   sl::Result<sl::Image> sheet = sl::render_contact_sheet(s, style);
//
// Each thumbnail keeps its photo's aspect inside a square of `thumb` pixels on light grey; lines
// too long for the tile end in "...". Text is drawn with stb_truetype from font bytes the host
// reads (core/image/canvas.h, as heatmap.h does); without a font there is no text.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/image/image.h"

namespace sl {

struct SheetTile {
    Image photo;                     // any size; shrunk (or grown) to fit the tile
    std::vector<std::string> lines;  // caption, UTF-8; the first line is drawn darker
};

struct SheetSection {
    std::string title;             // a heading over the section's tiles ("" for none)
    std::vector<SheetTile> tiles;  // left to right, then the next row
};

struct SheetStyle {
    int thumb = 180;                // tile width and thumbnail square, pixels (32..1024)
    int columns = 6;                // tiles per row (1..64)
    std::span<const uint8_t> font;  // TrueType/OpenType bytes; empty: no text
    float font_px = 14;             // caption text height; headings 1.3x, the title 1.6x
    std::string title;              // over everything ("" for none)
    int caption_lines = 3;          // caption lines per tile, at most (room is kept for them)
};

// The sheet. Errors: thumb, columns or caption_lines out of range, font bytes that are not a
// font, a tile without pixels, a sheet over 32,768 pixels high.
Result<Image> render_contact_sheet(std::span<const SheetSection> sections, const SheetStyle& style = {});

}  // namespace sl
