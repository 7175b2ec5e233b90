// wasm/ui_widgets.h: small drawing helpers the panels share: text in a given font, wrapped
// text, a dashed rounded frame, a probability bar, a spinner and a flat button.
//
// All positions and sizes are in CSS pixels (ImGui's coordinates); the draw list is the
// current window's. Pairs with ui_widgets.cpp; the panels are ui_*_panel.cpp.
#pragma once
#include "imgui.h"

namespace sl::ui {

// Size of `text` in `font`; `wrap` > 0 wraps at that width.
ImVec2 text_size(const ImFont* font, const char* text, float wrap = 0);

// Draws `text` with its top-left at `pos`; returns its size.
ImVec2 draw_text(const ImFont* font, ImVec2 pos, ImU32 color, const char* text, float wrap = 0);

// Draws `text` centred horizontally on `center_x`, top at `y`; returns its size.
ImVec2 draw_text_centered(const ImFont* font, float center_x, float y, ImU32 color,
                          const char* text, float wrap = 0);

// A rounded rectangle outline of dashes (corners drawn solid).
void draw_dashed_frame(ImVec2 p0, ImVec2 p1, ImU32 color, float rounding, float thickness,
                       float dash = 8, float gap = 6);

// A horizontal bar `fraction` (0..1) full: a faint track in `color`, the filled part solid.
void draw_bar(ImVec2 p0, ImVec2 p1, float fraction, ImU32 color);

// A rotating arc; `time` in seconds drives it.
void draw_spinner(ImVec2 center, float radius, ImU32 color, double time);

// A flat rounded button of `width` (0: fit the label) at the cursor; true when clicked.
// Shows a hand cursor on hover.
bool flat_button(const char* label, const ImFont* font, float width = 0);

}  // namespace sl::ui
