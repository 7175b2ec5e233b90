// wasm/app/ui_theme.h: the app's look: Inter at the screen's pixel density, colours, ImGui style.
//
//   sl::ui::Theme theme;
//   sl::ui::load_fonts(theme, inter_otf_bytes, pixel_ratio);  // before the first frame
//   sl::ui::apply_style();
//   ... each frame: if (sl::ui::fonts_need_rebuild(theme, pixel_ratio)) rebuild_fonts(...)
//
// Crisp text: glyphs are rasterised at size x devicePixelRatio and drawn at 1/ratio
// (io.FontGlobalScale), so one glyph pixel is one screen pixel. Without font bytes (the page
// could not fetch Inter) ImGui's built-in font is used, so the app still works.
#pragma once
#include <cstdint>
#include <vector>

#include "imgui.h"

namespace sl::ui {

struct Theme {
    std::vector<uint8_t> font_data;  // the OTF/TTF file; the atlas reads it, we own it
    float pixel_ratio = 1;           // devicePixelRatio the fonts were built for
    ImFont* small = nullptr;         // 13 px: captions, details
    ImFont* body = nullptr;          // 16 px: everything else
    ImFont* heading = nullptr;       // 22 px: title, drop zone heading
    ImFont* display = nullptr;       // 46 px: the predicted label
};

// Builds the four sizes of `theme.font_data` for `pixel_ratio` (re-creates the GL font texture
// when the renderer is already running).
void load_fonts(Theme& theme, float pixel_ratio);

// True when the page moved to a screen of another pixel density.
bool fonts_need_rebuild(const Theme& theme, float pixel_ratio);

// Rounded, roomy, dark: the ImGui style for the app.
void apply_style();

// Size in CSS pixels at which `font` draws (its size with io.FontGlobalScale applied).
float font_px(const ImFont* font);

// Colours, as ImGui packs them (IM_COL32: r, g, b, a).
namespace colors {
constexpr ImU32 background = IM_COL32(18, 20, 26, 255);
constexpr ImU32 card = IM_COL32(29, 32, 40, 255);
constexpr ImU32 card_border = IM_COL32(255, 255, 255, 16);
constexpr ImU32 text = IM_COL32(236, 238, 242, 255);
constexpr ImU32 muted = IM_COL32(150, 157, 170, 255);
constexpr ImU32 faint = IM_COL32(98, 105, 120, 255);
constexpr ImU32 accent = IM_COL32(255, 13, 87, 255);  // shap's red: "towards the class"
constexpr ImU32 blue = IM_COL32(30, 136, 229, 255);   // shap's blue
constexpr ImU32 ok = IM_COL32(76, 196, 124, 255);
constexpr ImU32 warning = IM_COL32(245, 176, 65, 255);
constexpr ImU32 error = IM_COL32(255, 92, 92, 255);
constexpr ImU32 error_fill = IM_COL32(255, 92, 92, 28);
}  // namespace colors

// `color` with its alpha multiplied by `alpha` (0..1).
ImU32 with_alpha(ImU32 color, float alpha);

// The colour of label `index` of `count`: for two labels the second (the positive class of a
// sigmoid card, e.g. "santa") is red and the first blue; more labels cycle a palette.
ImU32 label_color(int index, int count);

}  // namespace sl::ui
