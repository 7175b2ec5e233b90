// wasm/app/ui_app.cpp: lays out the app's window: header, photo panel and result card, footer.
// Wide windows put the card beside the photo (the card scrolls inside itself); narrow ones
// (phones) stack them and the whole window scrolls like a page, by drag or wheel.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "wasm/app/ui.h"
#include "wasm/app/ui_widgets.h"

#ifndef SANTA_LENS_BUILD_STAMP
#define SANTA_LENS_BUILD_STAMP "dev"
#endif

namespace sl::ui {

namespace {

void draw_footer(const Theme& theme, float left, float right, float y, float w) {
    draw_text(theme.small, ImVec2(left, y), colors::faint,
              w >= 640 ? "Runs in your browser with ONNX Runtime Web: photos never leave this device."
                       : "Runs in your browser: photos never leave this device.");
    const char* stamp = "santa-lens " SANTA_LENS_BUILD_STAMP;
    if (w >= 640) draw_text(theme.small, ImVec2(right - text_size(theme.small, stamp).x, y), colors::faint, stamp);
}

}  // namespace

Actions draw_app(const app::AppState& state, const Theme& theme, gl::HeatmapLayer& heatmap) {
    Actions actions;
    heatmap.begin_frame();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float w = vp->WorkSize.x, h = vp->WorkSize.y;
    const bool wide = w >= 860;
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin("santa-lens", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | (wide ? ImGuiWindowFlags_NoScrollWithMouse : 0));

    // The narrow layout scrolls: everything is placed relative to the scrolled origin.
    const ImVec2 o(vp->WorkPos.x, vp->WorkPos.y - (wide ? 0 : ImGui::GetScrollY()));
    const float margin = w < 640 ? 16 : 28;
    const float gap = w < 640 ? 16 : 24;
    const float left = o.x + margin, right = o.x + w - margin;

    const float header_bottom = o.y + margin + 40;
    draw_header(state, theme, ImVec2(left, o.y + margin), ImVec2(right, header_bottom));
    const float footer_h = font_px(theme.small);
    const float top = header_bottom + gap * 0.75f;

    if (wide) {
        const float footer_top = o.y + h - margin * 0.75f - footer_h;
        const float bottom = footer_top - gap * 0.75f;
        const float card_w = std::clamp(w * 0.3f, 340.f, 420.f);
        draw_photo_panel(state, theme, heatmap, ImVec2(left, top), ImVec2(right - card_w - gap, bottom), actions);
        draw_result_panel(state, theme, ImVec2(right - card_w, top), ImVec2(right, bottom), actions);
        draw_footer(theme, left, right, footer_top, w);
    } else {
        // The photo takes most of a phone's screen; the card below it is as tall as it asked to
        // be last frame (ImGui's auto-fit habit), and the page scrolls to it.
        // As tall as the photo needs at the panel's width, plus the toolbar (two rows here) and
        // the colour bar, up to most of the screen.
        const float aspect = float(state.photo.width) / float(std::max(1, state.photo.height));
        const float chrome = 2 * 12 + (state.prediction ? 2 * 36 + 10 + 12 : 0) + 40;
        const float photo_h = state.photo.texture ? std::clamp((right - left - 24) / aspect + chrome, 320.f, h * 0.8f)
                                                  : std::max(320.f, h * 0.5f);
        draw_photo_panel(state, theme, heatmap, ImVec2(left, top), ImVec2(right, top + photo_h), actions);
        ImGuiStorage* memory = ImGui::GetStateStorage();
        const ImGuiID card_id = ImGui::GetID("result card height");
        const float card_top = top + photo_h + gap;
        const float card_h = std::max(160.f, memory->GetFloat(card_id, 320.f));
        memory->SetFloat(card_id, draw_result_panel(state, theme, ImVec2(left, card_top),
                                                    ImVec2(right, card_top + card_h), actions));
        const float footer_top = card_top + card_h + gap;
        draw_footer(theme, left, right, footer_top, w);
        // The page's height, so that ImGui knows how far it scrolls.
        ImGui::SetCursorScreenPos(ImVec2(left, footer_top + footer_h));
        ImGui::Dummy(ImVec2(1, margin * 0.75f));
        drag_to_scroll(true);
    }
    ImGui::End();
    return actions;
}

std::string targets_json(const std::vector<Target>& targets) {
    nlohmann::json out = nlohmann::json::object();
    const auto tenth = [](float v) { return std::round(v * 10) / 10; };
    for (const Target& t : targets)
        out[t.name] = {tenth(t.p0.x), tenth(t.p0.y), tenth(t.p1.x - t.p0.x), tenth(t.p1.y - t.p0.y)};
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sl::ui
