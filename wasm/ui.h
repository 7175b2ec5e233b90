// wasm/ui.h: the app's screen, drawn with Dear ImGui from an AppState each frame.
//
//   sl::ui::Actions a = sl::ui::draw_app(state, theme);   // between ImGui::NewFrame and Render
//   if (a.pick_file) ...open the page's file picker...
//
// Layout: header (title, model status) / photo panel + result panel side by side (stacked on
// narrow windows) / footer. One file per panel: ui_header.cpp, ui_photo_panel.cpp,
// ui_result_panel.cpp; ui_app.cpp lays them out. Panels only read the state; what the user asks
// for comes back as Actions.
#pragma once
#include "imgui.h"
#include "wasm/app_state.h"
#include "wasm/ui_theme.h"

namespace sl::ui {

struct Actions {
    bool pick_file = false;  // the user asked to choose a photo
};

// The whole window.
Actions draw_app(const app::AppState& state, const Theme& theme);

// Title on the left, model status on the right, inside [p0, p1].
void draw_header(const app::AppState& state, const Theme& theme, ImVec2 p0, ImVec2 p1);

// The photo, or a drop zone before the first one, inside [p0, p1].
void draw_photo_panel(const app::AppState& state, const Theme& theme, ImVec2 p0, ImVec2 p1,
                      Actions& actions);

// The prediction card: label, probabilities, timings, errors, inside [p0, p1]. Returns the
// height it would need to show everything (narrow layouts size the card with it next frame).
float draw_result_panel(const app::AppState& state, const Theme& theme, ImVec2 p0, ImVec2 p1,
                        Actions& actions);

}  // namespace sl::ui
