// core/image/canvas.h: drawing on an RGB image for the core's figures (heatmap.cpp's SHAP
// figure, contact_sheet.cpp's audit sheet): filled rectangles, pasted images, and text drawn
// with stb_truetype from font bytes the host reads.
//
//   sl::Text text;
//   if (!text.init(font_bytes, 17)) return fail("not a font");
//   sl::fill_rect(img, 0, 0, img.width, 20, {255, 255, 255});
//   text.draw(img, 4, 15, text.fit("a long file name.jpg", 120), {51, 51, 51});
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/image/image.h"

struct stbtt_fontinfo;  // stb_truetype stays inside canvas.cpp (static there: see its top)

namespace sl {

using Rgb = std::array<uint8_t, 3>;

// Fills the part of the rectangle (x0, y0, w, h) that lies inside `img`.
void fill_rect(Image& img, int x0, int y0, int w, int h, Rgb colour);

// Copies `src` into `dst` with its top-left corner at (x0, y0); `src` must fit (asserted).
void paste(Image& dst, const Image& src, int x0, int y0);

// Text in one font at one pixel height. The font bytes must outlive the object.
class Text {
public:
    Text();
    ~Text();
    // False when `font` is not a font stb_truetype can read (TrueType or CFF OpenType).
    bool init(std::span<const uint8_t> font, float px);
    bool has(uint32_t code_point) const;  // the font has a glyph for it

    float width(std::string_view s) const;  // advance width in pixels of UTF-8 text

    // Draws `s` with its baseline at y = baseline, starting at x, blended over `img` (clipped).
    void draw(Image& img, float x, int baseline, std::string_view s, Rgb colour) const;

    // `s` cut short with "..." (whole code points) to fit `max_width` pixels.
    std::string fit(std::string s, float max_width) const;

private:
    float walk(std::string_view s, Image* img, float x, int baseline, Rgb colour) const;

    std::unique_ptr<stbtt_fontinfo> info_;
    float scale_ = 1;
};

}  // namespace sl
