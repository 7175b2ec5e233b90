// wasm/app/ui_photo_panel.cpp: the photo panel: a drop zone before the first photo (one click
// target that opens the file picker), then a toolbar (what to show: the photo, a class's
// heatmap or all side by side; opacity; superpixel borders) over the image area
// (ui_heatmap_view.cpp). Dragging a file over the page highlights it.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "wasm/app/ui.h"
#include "wasm/app/ui_widgets.h"

namespace sl::ui {

namespace {

using app::HeatmapView;

// A picture glyph: a frame with a sun and two hills.
void draw_picture_icon(ImVec2 c, float w, ImU32 color) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = w * 0.76f;
    const ImVec2 p0(c.x - w / 2, c.y - h / 2), p1(c.x + w / 2, c.y + h / 2);
    dl->AddRect(p0, p1, color, 8, 0, 2.5f);
    dl->AddCircleFilled(ImVec2(p0.x + w * 0.3f, p0.y + h * 0.32f), w * 0.08f, color, 16);
    dl->AddTriangleFilled(ImVec2(p0.x + w * 0.12f, p1.y - h * 0.14f), ImVec2(p0.x + w * 0.42f, p0.y + h * 0.45f),
                          ImVec2(p0.x + w * 0.7f, p1.y - h * 0.14f), with_alpha(color, 0.7f));
    dl->AddTriangleFilled(ImVec2(p0.x + w * 0.45f, p1.y - h * 0.14f), ImVec2(p0.x + w * 0.66f, p0.y + h * 0.58f),
                          ImVec2(p1.x - w * 0.12f, p1.y - h * 0.14f), color);
}

void draw_drop_zone(const Theme& theme, ImVec2 p0, ImVec2 p1, bool hovered) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, p1, with_alpha(colors::card, hovered ? 0.9f : 0.6f), 18);
    draw_dashed_frame(p0, p1, hovered ? with_alpha(colors::text, 0.5f) : with_alpha(colors::muted, 0.45f), 18, 2);

    const float cx = (p0.x + p1.x) / 2;
    const float wrap = std::min(420.f, p1.x - p0.x - 48);
    const float content_h =
        64 + 20 + font_px(theme.heading) + 10 + font_px(theme.body) * 2 + 24 + 40 + 22 + font_px(theme.small);
    float y = std::max(p0.y + 16, (p0.y + p1.y) / 2 - content_h / 2);
    draw_picture_icon(ImVec2(cx, y + 32), 72, hovered ? colors::text : colors::muted);
    y += 64 + 20;
    y += draw_text_centered(theme.heading, cx, y, colors::text, "Drop a photo here").y + 10;
    y += draw_text_centered(theme.body, cx, y, colors::muted,
                            "Drag it anywhere onto this page, paste it, or click to choose a file.", wrap)
             .y +
         24;
    // A button look: the whole zone is the button.
    const char* label = "Choose a photo\u2026";
    const ImVec2 ls = text_size(theme.body, label);
    const ImVec2 b0(cx - ls.x / 2 - 22, y), b1(cx + ls.x / 2 + 22, y + 40);
    dl->AddRectFilled(b0, b1, hovered ? colors::accent : with_alpha(colors::accent, 0.88f), 20);
    draw_text(theme.body, ImVec2(b0.x + 22, y + 20 - ls.y / 2), IM_COL32_WHITE, label);
    y += 40 + 22;
    draw_text_centered(theme.small, cx, y, colors::faint, "JPEG \u00b7 PNG \u00b7 WebP \u00b7 BMP \u00b7 GIF");
}

// The toolbar across the top of [x0, x1] from y; returns its height. What to show is a segmented
// control; opacity and borders sit beside it when there is room, else on a second row.
float draw_toolbar(const app::AppState& state, const Theme& theme, bool has_values, float x0, float x1, float y,
                   Actions& actions) {
    const ModelCard& card = *state.model.card;
    const int n = card.num_classes();
    const float width = x1 - x0;
    const ImFont* font = width >= 480 ? theme.body : theme.small;
    const float row_h = 36;

    std::vector<std::string> labels{"Photo"};
    std::vector<bool> enabled{true};
    for (const std::string& l : card.labels) {
        labels.push_back(app::display_label(l));
        enabled.push_back(has_values);
    }
    labels.push_back(n == 2 ? "Side by side" : "All");
    enabled.push_back(has_values);
    const int show = state.view.show;
    const int selected = !has_values || show == HeatmapView::photo ? 0 : show == HeatmapView::all ? n + 1 : show + 1;

    float seg_w = 24.f * float(labels.size());
    for (const std::string& l : labels) seg_w += text_size(font, l.c_str()).x;
    const float controls_w = 330;  // opacity slider and borders switch
    const bool one_row = seg_w + 24 + controls_w <= width;
    seg_w = one_row ? seg_w : width;

    std::vector<std::pair<ImVec2, ImVec2>> rects;
    const int clicked =
        segmented("show", labels, selected, enabled, font, ImVec2(x0, y), ImVec2(x0 + seg_w, y + row_h), &rects);
    for (size_t i = 0; i < rects.size(); ++i) {
        const std::string name = i == 0 ? "photo" : i == labels.size() - 1 ? "all" : card.labels[i - 1];
        actions.targets.push_back({"show:" + name, rects[i].first, rects[i].second});
        if (int(i) == clicked) actions.settings.emplace_back("show", name);
    }

    const float cy = one_row ? y : y + row_h + 10;
    const float cx0 = one_row ? x0 + seg_w + 24 : x0;
    const float switch_w = text_size(theme.small, "Borders").x + 10 + 36;
    float opacity = state.view.opacity;
    const float slider_x1 = x1 - switch_w - 20;
    ImGui::BeginDisabled(!has_values);
    if (labelled_slider_float("Opacity", &opacity, 0.f, 1.f, "%.2f", theme.small, cx0, slider_x1, cy, row_h)) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%.3f", double(opacity));
        actions.settings.emplace_back("opacity", buf);
    }
    actions.targets.push_back({"opacity", ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    std::pair<ImVec2, ImVec2> rect;
    if (labelled_switch("Borders", state.view.borders, theme.small, slider_x1 + 20, x1, cy, row_h, &rect))
        actions.settings.emplace_back("borders", state.view.borders ? "0" : "1");
    actions.targets.push_back({"borders", rect.first, rect.second});
    ImGui::EndDisabled();
    return (one_row ? row_h : 2 * row_h + 10);
}

}  // namespace

void draw_photo_panel(const app::AppState& state, const Theme& theme, gl::HeatmapLayer& heatmap, ImVec2 p0, ImVec2 p1,
                      Actions& actions) {
    if (p1.x - p0.x < 40 || p1.y - p0.y < 40) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (state.photo.texture == 0) {
        ImGui::SetCursorScreenPos(p0);
        if (ImGui::InvisibleButton("##photo", ImVec2(p1.x - p0.x, p1.y - p0.y))) actions.pick_file = true;
        const bool hovered = ImGui::IsItemHovered();
        if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        draw_drop_zone(theme, p0, p1, hovered || state.drag_hover);
        actions.targets.push_back({"drop-zone", p0, p1});
        if (state.drag_hover) draw_dashed_frame(p0, p1, colors::accent, 18, 2.5f);
        return;
    }

    dl->AddRectFilled(p0, p1, colors::card, 18);
    dl->AddRect(p0, p1, colors::card_border, 18);
    const float inset = (p1.x - p0.x) < 480 ? 12 : 18;
    float top = p0.y + inset;
    if (state.model.card && (state.prediction || state.explanation.phase != app::ExplainPhase::idle))
        top += draw_toolbar(state, theme, heatmap.ready(), p0.x + inset, p1.x - inset, top, actions) + 12;
    draw_image_area(state, theme, heatmap, ImVec2(p0.x + inset, top), ImVec2(p1.x - inset, p1.y - inset), actions);

    if (state.drag_hover) {
        dl->AddRectFilled(p0, p1, IM_COL32(18, 20, 26, 200), 18);
        draw_dashed_frame(p0, p1, colors::accent, 18, 2.5f);
        draw_text_centered(theme.heading, (p0.x + p1.x) / 2, (p0.y + p1.y) / 2 - font_px(theme.heading) / 2,
                           colors::text, "Drop to classify");
    }
}

}  // namespace sl::ui
