// wasm/app/ui_widgets.h: small drawing helpers and controls the panels share: text in a given font,
// wrapped text, a dashed rounded frame, a probability bar, activity dots, a flat button, a
// segmented control, a switch, a slider with a label, rounded corners for GPU-drawn images.
//
// All positions and sizes are in CSS pixels (ImGui's coordinates); the draw list is the
// current window's. Pairs with ui_widgets.cpp; the panels are ui_*_panel.cpp.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"

namespace sl::ui {

// Size of `text` in `font`; `wrap` > 0 wraps at that width.
ImVec2 text_size(const ImFont* font, const char* text, float wrap = 0);

// Draws `text` with its top-left at `pos`; returns its size.
ImVec2 draw_text(const ImFont* font, ImVec2 pos, ImU32 color, const char* text, float wrap = 0);

// Draws `text` centred horizontally on `center_x`, top at `y`; returns its size.
ImVec2 draw_text_centered(const ImFont* font, float center_x, float y, ImU32 color, const char* text, float wrap = 0);

// A rounded rectangle outline of dashes (corners drawn solid).
void draw_dashed_frame(ImVec2 p0, ImVec2 p1, ImU32 color, float rounding, float thickness, float dash = 8,
                       float gap = 6);

// A horizontal bar `fraction` (0..1) full: a faint track in `color`, the filled part solid.
void draw_bar(ImVec2 p0, ImVec2 p1, float fraction, ImU32 color);

// Three dots, one lit, the next one at each `beat`: "working". Unlike a spinner they look right
// at any frame rate, down to the one frame per answer of the model that app_redraw.h draws
// while it works. `left`: the first dot's left edge (its vertical centre); returns the width.
float draw_activity_dots(ImVec2 left, float radius, ImU32 color, int beat);

// A flat rounded button of `width` (0: fit the label) at the cursor; true when clicked.
// Shows a hand cursor on hover. `enabled` false draws it dimmed and ignores clicks.
bool flat_button(const char* label, const ImFont* font, float width = 0, bool enabled = true);

// A row of mutually exclusive buttons in [p0, p1] (a segmented control). `enabled[i]` false dims
// segment i. Returns the segment clicked this frame, or -1. `rects`, if given, receives each
// segment's rectangle.
int segmented(const char* id, const std::vector<std::string>& labels, int selected, const std::vector<bool>& enabled,
              const ImFont* font, ImVec2 p0, ImVec2 p1, std::vector<std::pair<ImVec2, ImVec2>>* rects = nullptr);

// An on/off switch with its label on the left, right-aligned to `right` at height `y`..`y + h`.
// Returns true when clicked. `rect`, if given, receives the clickable area.
bool labelled_switch(const char* label, bool on, const ImFont* font, float x0, float right, float y, float h,
                     std::pair<ImVec2, ImVec2>* rect = nullptr);

// "Opacity  [-----o---]": a label, then a slider filling the rest up to x1, vertically centred
// in [y, y + h]. Returns true while the value changes; `released` is set when the user lets go
// after a change (for settings that restart work).
bool labelled_slider_float(const char* label, float* value, float lo, float hi, const char* format, const ImFont* font,
                           float x0, float x1, float y, float h);
bool labelled_slider_int(const char* label, int* value, int lo, int hi, const ImFont* font, float x0, float x1, float y,
                         float h, bool* released);

// Paints the corners outside a rounded rectangle of radius r in `color`: rounds an image drawn
// square (the GPU heatmap) against a background of that colour.
void mask_corners(ImVec2 p0, ImVec2 p1, float r, ImU32 color);

// Lets a touch (or mouse) drag scroll the current window, as fingers expect; call inside it
// after its items. Drags that start on an item (a slider, a button) stay the item's.
// `with_children`: also drags that start over its child windows (the narrow layout's page).
void drag_to_scroll(bool with_children = false);

}  // namespace sl::ui
