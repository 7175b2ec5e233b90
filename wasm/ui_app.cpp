// wasm/ui_app.cpp: lays out the app's window: header, photo and result panels, footer.
// Wide windows put the result card beside the photo, narrow ones (phones) below it.
#include <algorithm>

#include "wasm/ui.h"
#include "wasm/ui_widgets.h"

#ifndef SANTA_LENS_BUILD_STAMP
#define SANTA_LENS_BUILD_STAMP "dev"
#endif

namespace sl::ui {

Actions draw_app(const app::AppState& state, const Theme& theme) {
    Actions actions;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin("santa-lens", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoScrollWithMouse);

    const ImVec2 o = vp->WorkPos;
    const float w = vp->WorkSize.x, h = vp->WorkSize.y;
    const float margin = w < 640 ? 16 : 28;
    const float gap = w < 640 ? 16 : 24;
    const float left = o.x + margin, right = o.x + w - margin;

    const float header_bottom = o.y + margin + 40;
    draw_header(state, theme, ImVec2(left, o.y + margin), ImVec2(right, header_bottom));

    const float footer_h = font_px(theme.small);
    const float footer_top = o.y + h - margin * 0.75f - footer_h;
    const float top = header_bottom + gap * 0.75f, bottom = footer_top - gap * 0.75f;

    if (w >= 860) {
        const float card_w = std::clamp(w * 0.3f, 330.f, 420.f);
        draw_photo_panel(state, theme, ImVec2(left, top), ImVec2(right - card_w - gap, bottom), actions);
        draw_result_panel(state, theme, ImVec2(right - card_w, top), ImVec2(right, bottom), actions);
    } else {
        // The card takes the height it asked for last frame (ImGui's auto-fit habit), up to 2/3.
        ImGuiStorage* memory = ImGui::GetStateStorage();
        const ImGuiID card_id = ImGui::GetID("result card height");
        const float card_h = std::clamp(memory->GetFloat(card_id, 320.f), 160.f, (bottom - top) * 0.66f);
        draw_photo_panel(state, theme, ImVec2(left, top), ImVec2(right, bottom - card_h - gap), actions);
        memory->SetFloat(card_id, draw_result_panel(state, theme, ImVec2(left, bottom - card_h),
                                                    ImVec2(right, bottom), actions));
    }

    draw_text(theme.small, ImVec2(left, footer_top), colors::faint,
              w >= 640 ? "Runs in your browser with ONNX Runtime Web: photos never leave this device."
                       : "Runs in your browser: photos never leave this device.");
    const char* stamp = "santa-lens " SANTA_LENS_BUILD_STAMP;
    if (w >= 640)
        draw_text(theme.small, ImVec2(right - text_size(theme.small, stamp).x, footer_top),
                  colors::faint, stamp);

    ImGui::End();
    return actions;
}

}  // namespace sl::ui
