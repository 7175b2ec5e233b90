// wasm/app/ui.h: the app's screen, drawn with Dear ImGui from an AppState each frame.
//
//   sl::ui::Actions a = sl::ui::draw_app(state, theme, heatmap);  // between NewFrame and Render
//   if (a.pick_file) ...open the page's file picker...
//   for (auto& [key, value] : a.settings) sl::app::apply_setting(state, key, value);
//
// Layout: header (title, model status) / photo panel + result card side by side (stacked on
// narrow windows) / footer. The photo panel shows the photo or its heatmaps (a toolbar picks
// the class, opacity and borders; hovering or tapping a superpixel reads its values); the card
// shows the prediction, the explanation's progress and settings, and the exports. One file per
// part: ui_header.cpp, ui_photo_panel.cpp (+ ui_heatmap_view.cpp for the image area),
// ui_result_panel.cpp (+ ui_explain_panel.cpp for the explanation section); ui_app.cpp lays them
// out. Panels only read the state; what the user asks for comes back as Actions.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"
#include "wasm/app/app_state.h"
#include "wasm/app/gl_heatmap.h"
#include "wasm/app/ui_theme.h"

namespace sl::ui {

// Something on the canvas a test (or a screen reader's helper) may want to find.
struct Target {
    std::string name;  // "show:santa", "export:json", "image", ...
    ImVec2 p0, p1;     // CSS pixels
};

struct Actions {
    bool pick_file = false;                                     // the user asked to choose a photo
    bool cancel = false;                                        // stop the explanation
    bool resume = false;                                        // go on with a cancelled one
    bool export_png = false;                                    // download the figure
    bool export_json = false;                                   // download the values
    std::vector<std::pair<std::string, std::string>> settings;  // app::apply_setting(key, value), in order
    std::vector<Target> targets;                                // where the controls and images are this frame
};

// The whole window.
Actions draw_app(const app::AppState& state, const Theme& theme, gl::HeatmapLayer& heatmap);

// `targets` as the JSON object the page publishes: {"name": [x, y, w, h], ...}.
std::string targets_json(const std::vector<Target>& targets);

// Title on the left, model status on the right, inside [p0, p1].
void draw_header(const app::AppState& state, const Theme& theme, ImVec2 p0, ImVec2 p1);

// The photo or its heatmaps with their toolbar, or a drop zone before the first photo, inside
// [p0, p1].
void draw_photo_panel(const app::AppState& state, const Theme& theme, gl::HeatmapLayer& heatmap, ImVec2 p0, ImVec2 p1,
                      Actions& actions);

// The image area of the photo panel: the photo, one heatmap, or one panel per class side by
// side (shap.image_plot's order: photo, then the classes), with a colour bar and the values of
// the superpixel under the pointer.
void draw_image_area(const app::AppState& state, const Theme& theme, gl::HeatmapLayer& heatmap, ImVec2 p0, ImVec2 p1,
                     Actions& actions);

// The card: prediction, explanation, details, inside [p0, p1]; it scrolls (wheel or drag) when
// its content is taller. Returns the height it would need to show everything (narrow layouts
// size the card with it next frame).
float draw_result_panel(const app::AppState& state, const Theme& theme, ImVec2 p0, ImVec2 p1, Actions& actions);

// The card's explanation section, top-left at (x0, y), `width` wide: progress, uncertainty,
// Cancel / Resume, superpixels and background, exports. Returns its height.
float draw_explain_section(const app::AppState& state, const Theme& theme, float x0, float y, float width,
                           Actions& actions);

}  // namespace sl::ui
