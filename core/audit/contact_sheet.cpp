// core/audit/contact_sheet.cpp: thumbnails with captions in sections (contact_sheet.h).
#include "core/audit/contact_sheet.h"

#include <algorithm>
#include <cmath>

#include "core/image/canvas.h"
#include "core/image/tensor.h"

namespace sl {
namespace {

constexpr Rgb kTitle{20, 20, 20}, kCaption{60, 60, 60}, kCaptionLight{105, 105, 105}, kTileBack{236, 236, 236},
    kRule{200, 200, 200};

}  // namespace

Result<Image> render_contact_sheet(std::span<const SheetSection> sections, const SheetStyle& style) {
    if (style.thumb < 32 || style.thumb > 1024) return fail("contact sheet: thumb must be 32 to 1024 pixels");
    if (style.columns < 1 || style.columns > 64) return fail("contact sheet: columns must be 1 to 64");
    if (style.caption_lines < 0 || style.caption_lines > 16)
        return fail("contact sheet: caption_lines must be 0 to 16");
    if (!(style.font_px >= 6 && style.font_px <= 64)) return fail("contact sheet: font_px must be 6 to 64");
    const bool has_text = !style.font.empty();
    Text caption, heading, title;
    if (has_text && (!caption.init(style.font, style.font_px) || !heading.init(style.font, style.font_px * 1.3f) ||
                     !title.init(style.font, style.font_px * 1.6f)))
        return fail("contact sheet: the font is not a TrueType or OpenType font");
    for (const auto& s : sections)
        for (const auto& t : s.tiles)
            if (t.photo.width <= 0 || t.photo.height <= 0 ||
                t.photo.rgb.size() != size_t(t.photo.width) * t.photo.height * 3)
                return fail("contact sheet: a tile has no pixels");

    // Layout, top to bottom: title, then per section a heading and rows of tiles.
    const int T = style.thumb, gap = 14, margin = 20;
    const int line = has_text ? int(std::lround(style.font_px * 1.35)) : 0;
    const int title_h = has_text && !style.title.empty() ? int(std::lround(style.font_px * 1.6 * 1.6)) : 0;
    const int heading_h = has_text ? int(std::lround(style.font_px * 1.3 * 1.7)) : 0;
    const int tile_h = T + 6 + style.caption_lines * line;
    const int columns = std::max(1, std::min(style.columns, [&] {
                                     size_t widest = 1;
                                     for (const auto& s : sections) widest = std::max(widest, s.tiles.size());
                                     return int(std::min<size_t>(widest, 64));
                                 }()));
    const int width = 2 * margin + columns * T + (columns - 1) * gap;
    int64_t height = margin + title_h;
    for (const auto& s : sections) {
        const int64_t rows = (int64_t(s.tiles.size()) + columns - 1) / columns;
        height += (s.title.empty() ? 0 : heading_h) + rows * (tile_h + gap) + gap;
    }
    height += margin - gap;
    if (height > 32768)
        return fail("contact sheet: " + std::to_string(height) + " pixels high is too tall (at most 32768)");
    Image sheet{width, int(height), std::vector<uint8_t>(size_t(width) * size_t(height) * 3, 255)};

    int y = margin;
    if (title_h) {
        title.draw(sheet, margin, y + int(std::lround(style.font_px * 1.6 * 1.05)),
                   title.fit(style.title, float(width - 2 * margin)), kTitle);
        y += title_h;
    }
    for (const auto& s : sections) {
        if (!s.title.empty() && has_text) {
            fill_rect(sheet, margin, y, width - 2 * margin, 1, kRule);
            heading.draw(sheet, margin, y + int(std::lround(style.font_px * 1.3 * 1.25)),
                         heading.fit(s.title, float(width - 2 * margin)), kTitle);
            y += heading_h;
        }
        for (size_t i = 0; i < s.tiles.size(); ++i) {
            const SheetTile& t = s.tiles[i];
            const int x0 = margin + int(i % size_t(columns)) * (T + gap);
            const int y0 = y + int(i / size_t(columns)) * (tile_h + gap);
            fill_rect(sheet, x0, y0, T, T, kTileBack);
            const double scale = std::min(double(T) / t.photo.width, double(T) / t.photo.height);
            const int w = std::clamp(int(std::lround(t.photo.width * scale)), 1, T);
            const int h = std::clamp(int(std::lround(t.photo.height * scale)), 1, T);
            paste(sheet, resize_image(t.photo, w, h), x0 + (T - w) / 2, y0 + (T - h) / 2);
            if (!has_text) continue;
            for (int k = 0; k < std::min<int>(style.caption_lines, int(t.lines.size())); ++k)
                caption.draw(sheet, x0, y0 + T + 4 + (k + 1) * line - int(std::lround(style.font_px * 0.3)),
                             caption.fit(t.lines[size_t(k)], float(T)), k == 0 ? kCaption : kCaptionLight);
        }
        y += int((s.tiles.size() + columns - 1) / columns) * (tile_h + gap) + gap;
    }
    return sheet;
}

}  // namespace sl
