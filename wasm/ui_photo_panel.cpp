// wasm/ui_photo_panel.cpp: the photo being classified, or a drop zone before the first one.
// The whole panel is one click target that opens the file picker; dragging a file over the
// page highlights it.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "wasm/ui.h"
#include "wasm/ui_widgets.h"

namespace sl::ui {

namespace {

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
    draw_dashed_frame(p0, p1, hovered ? with_alpha(colors::text, 0.5f) : with_alpha(colors::muted, 0.45f),
                      18, 2);

    const float cx = (p0.x + p1.x) / 2;
    const float wrap = std::min(420.f, p1.x - p0.x - 48);
    const float content_h = 64 + 20 + font_px(theme.heading) + 10 + font_px(theme.body) * 2 + 24 + 40 + 22 +
                            font_px(theme.small);
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

void draw_photo(const app::AppState& state, const Theme& theme, ImVec2 p0, ImVec2 p1, bool hovered) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, p1, colors::card, 18);
    dl->AddRect(p0, p1, colors::card_border, 18);

    // Fit the photo, keeping its aspect ratio, with a margin.
    const float inset = 20;
    const float aw = p1.x - p0.x - 2 * inset, ah = p1.y - p0.y - 2 * inset;
    const float iw = float(state.photo.width), ih = float(state.photo.height);
    const float scale = std::min(aw / iw, ah / ih);
    const ImVec2 size(iw * scale, ih * scale);
    const ImVec2 i0(std::floor((p0.x + p1.x - size.x) / 2), std::floor((p0.y + p1.y - size.y) / 2));
    const ImVec2 i1(i0.x + size.x, i0.y + size.y);
    const auto texture = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(state.photo.texture));
    dl->AddImageRounded(texture, i0, i1, ImVec2(0, 0), ImVec2(1, 1), IM_COL32_WHITE, 10);

    if (state.running) {
        dl->AddRectFilled(i0, i1, IM_COL32(10, 12, 16, 150), 10);
        const ImVec2 c((i0.x + i1.x) / 2, (i0.y + i1.y) / 2);
        draw_spinner(ImVec2(c.x, c.y - 14), 16, colors::text, ImGui::GetTime());
        draw_text_centered(theme.body, c.x, c.y + 14, colors::text,
                           state.model.phase == app::ModelPhase::loading ? "Waiting for the model\u2026"
                                                                          : "Classifying\u2026");
    } else if (hovered) {
        const char* hint = "Click to choose another photo";
        const ImVec2 ts = text_size(theme.small, hint);
        const ImVec2 h0((i0.x + i1.x - ts.x) / 2 - 14, i1.y - ts.y - 28);
        dl->AddRectFilled(h0, ImVec2(h0.x + ts.x + 28, h0.y + ts.y + 14), IM_COL32(10, 12, 16, 190), 12);
        draw_text(theme.small, ImVec2(h0.x + 14, h0.y + 7), colors::text, hint);
    }
}

}  // namespace

void draw_photo_panel(const app::AppState& state, const Theme& theme, ImVec2 p0, ImVec2 p1,
                      Actions& actions) {
    if (p1.x - p0.x < 40 || p1.y - p0.y < 40) return;
    ImGui::SetCursorScreenPos(p0);
    if (ImGui::InvisibleButton("##photo", ImVec2(p1.x - p0.x, p1.y - p0.y))) actions.pick_file = true;
    const bool hovered = ImGui::IsItemHovered();
    if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);

    if (state.photo.texture == 0)
        draw_drop_zone(theme, p0, p1, hovered || state.drag_hover);
    else
        draw_photo(state, theme, p0, p1, hovered);

    if (state.drag_hover) {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        if (state.photo.texture != 0) {
            dl->AddRectFilled(p0, p1, IM_COL32(18, 20, 26, 200), 18);
            draw_dashed_frame(p0, p1, colors::accent, 18, 2.5f);
            draw_text_centered(theme.heading, (p0.x + p1.x) / 2, (p0.y + p1.y) / 2 - font_px(theme.heading) / 2,
                               colors::text, "Drop to classify");
        } else {
            draw_dashed_frame(p0, p1, colors::accent, 18, 2.5f);
        }
    }
}

}  // namespace sl::ui
