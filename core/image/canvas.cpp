// core/image/canvas.cpp: rectangles, pasting and stb_truetype text on RGB images (canvas.h).
#include "core/image/canvas.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <vector>

// Static, so the browser app's ImGui (which compiles its own copy of stb_truetype) never meets
// these symbols at link time.
#define STBTT_STATIC
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb/stb_truetype.h>

namespace sl {
namespace {

// Next code point of UTF-8 text (U+FFFD for a malformed sequence); advances `i`.
uint32_t next_code_point(std::string_view s, size_t& i) {
    const auto byte = [&](size_t k) { return uint8_t(s[k]); };
    const uint8_t b = byte(i++);
    if (b < 0x80) return b;
    const int extra = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
    if (extra < 0 || i + extra > s.size()) return 0xfffd;
    uint32_t cp = b & (0x3f >> extra);
    for (int k = 0; k < extra; ++k) {
        if ((byte(i) & 0xc0) != 0x80) return 0xfffd;
        cp = (cp << 6) | (byte(i++) & 0x3f);
    }
    return cp;
}

void blend(Image& img, const std::vector<uint8_t>& coverage, int w, int h, int ox, int oy, Rgb c) {
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const int px = ox + x, py = oy + y;
            if (px < 0 || py < 0 || px >= img.width || py >= img.height) continue;
            const float a = coverage[size_t(y) * w + x] / 255.f;
            uint8_t* p = img.rgb.data() + (size_t(py) * img.width + px) * 3;
            for (int k = 0; k < 3; ++k) p[k] = uint8_t(std::lround(p[k] * (1 - a) + c[k] * a));
        }
}

}  // namespace

void fill_rect(Image& img, int x0, int y0, int w, int h, Rgb c) {
    for (int y = std::max(0, y0); y < std::min(img.height, y0 + h); ++y)
        for (int x = std::max(0, x0); x < std::min(img.width, x0 + w); ++x)
            std::copy(c.begin(), c.end(), img.rgb.begin() + (size_t(y) * img.width + x) * 3);
}

void paste(Image& dst, const Image& src, int x0, int y0) {
    assert(x0 >= 0 && y0 >= 0 && x0 + src.width <= dst.width && y0 + src.height <= dst.height);
    for (int y = 0; y < src.height; ++y)
        std::copy_n(src.pixel(0, y), size_t(src.width) * 3, dst.rgb.begin() + (size_t(y0 + y) * dst.width + x0) * 3);
}

Text::Text() : info_(std::make_unique<stbtt_fontinfo>()) {}
Text::~Text() = default;

bool Text::init(std::span<const uint8_t> font, float px) {
    if (font.size() < 12) return false;
    const int offset = stbtt_GetFontOffsetForIndex(font.data(), 0);
    if (offset < 0 || !stbtt_InitFont(info_.get(), font.data(), offset)) return false;
    scale_ = stbtt_ScaleForPixelHeight(info_.get(), px);
    return true;
}

bool Text::has(uint32_t cp) const { return stbtt_FindGlyphIndex(info_.get(), int(cp)) != 0; }

float Text::width(std::string_view s) const { return walk(s, nullptr, 0, 0, {}); }

void Text::draw(Image& img, float x, int baseline, std::string_view s, Rgb colour) const {
    walk(s, &img, x, baseline, colour);
}

std::string Text::fit(std::string s, float max_width) const {
    if (width(s) <= max_width) return s;
    while (!s.empty() && width(s + "...") > max_width) {
        s.pop_back();
        while (!s.empty() && (uint8_t(s.back()) & 0xc0) == 0x80) s.pop_back();  // whole code points
        if (!s.empty() && uint8_t(s.back()) >= 0xc0) s.pop_back();
    }
    return s + "...";
}

// Lays out `s` from x; draws into `img` when given. Returns the advance width.
float Text::walk(std::string_view s, Image* img, float x, int baseline, Rgb colour) const {
    const stbtt_fontinfo* info = info_.get();
    const float start = x;
    uint32_t previous = 0;
    std::vector<uint8_t> glyph;
    for (size_t i = 0; i < s.size();) {
        const uint32_t cp = next_code_point(s, i);
        if (previous) x += scale_ * stbtt_GetCodepointKernAdvance(info, int(previous), int(cp));
        int advance = 0, lsb = 0;
        stbtt_GetCodepointHMetrics(info, int(cp), &advance, &lsb);
        if (img) {
            const float shift = x - std::floor(x);
            int x0, y0, x1, y1;
            stbtt_GetCodepointBitmapBoxSubpixel(info, int(cp), scale_, scale_, shift, 0, &x0, &y0, &x1, &y1);
            const int w = x1 - x0, h = y1 - y0;
            if (w > 0 && h > 0) {
                glyph.assign(size_t(w) * h, 0);
                stbtt_MakeCodepointBitmapSubpixel(info, glyph.data(), w, h, w, scale_, scale_, shift, 0, int(cp));
                blend(*img, glyph, w, h, int(std::floor(x)) + x0, baseline + y0, colour);
            }
        }
        x += scale_ * advance;
        previous = cp;
    }
    return x - start;
}

}  // namespace sl
