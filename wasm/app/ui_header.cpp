// wasm/app/ui_header.cpp: the title and the model's status ("Downloading model 45%", "ready").
#include <cstdio>
#include <string>

#include "wasm/app/ui.h"
#include "wasm/app/ui_widgets.h"

namespace sl::ui {

namespace {

using app::ModelPhase;

// A lens: a ring with a handle, in the accent colour.
void draw_logo(ImVec2 center, float r) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddCircle(center, r, colors::accent, 32, 3.0f);
    dl->AddCircleFilled(ImVec2(center.x - r * 0.3f, center.y - r * 0.3f), r * 0.22f, with_alpha(colors::text, 0.85f),
                        16);
    const float k = 0.7071f;
    dl->AddLine(ImVec2(center.x + r * k, center.y + r * k), ImVec2(center.x + r * 1.75f, center.y + r * 1.75f),
                colors::accent, 4.0f);
}

// The model's status in a few words; `brief` for narrow windows.
std::string model_text(const app::ModelStatus& m, bool brief, ImU32& dot) {
    char buf[160];
    switch (m.phase) {
        case ModelPhase::failed:
            dot = colors::error;
            return brief ? "Model failed" : "Model failed to load";
        case ModelPhase::ready:
            dot = colors::ok;
            if (brief) return "Model ready";
            if (m.threads > 0)  // WASM: say how many threads (1 = the page is not cross-origin isolated)
                std::snprintf(buf, sizeof buf, "%s ready \u00b7 WASM \u00b7 %d thread%s \u00b7 loaded in %.1f s",
                              m.card ? m.card->name.c_str() : "model", m.threads, m.threads == 1 ? "" : "s",
                              m.load_ms / 1000.0);
            else
                std::snprintf(buf, sizeof buf, "%s ready \u00b7 %s \u00b7 loaded in %.1f s",
                              m.card ? m.card->name.c_str() : "model",
                              m.backend == "webgpu" ? "WebGPU" : m.backend.c_str(), m.load_ms / 1000.0);
            return buf;
        case ModelPhase::loading:
            dot = colors::warning;
            if (m.starting) return "Starting ONNX Runtime\u2026";
            if (m.bytes_total > 0 && brief) {
                std::snprintf(buf, sizeof buf, "Model %.0f%%", 100.0 * m.bytes_loaded / m.bytes_total);
                return buf;
            }
            if (m.bytes_total > 0) {
                std::snprintf(buf, sizeof buf, "Downloading model %.0f%% \u00b7 %s of %s",
                              100.0 * m.bytes_loaded / m.bytes_total, app::megabytes_text(m.bytes_loaded).c_str(),
                              app::megabytes_text(m.bytes_total).c_str());
                return buf;
            }
            if (m.bytes_loaded > 0) return "Downloading model \u00b7 " + app::megabytes_text(m.bytes_loaded);
            return "Loading model\u2026";
    }
    return {};
}

}  // namespace

void draw_header(const app::AppState& state, const Theme& theme, ImVec2 p0, ImVec2 p1) {
    const float mid = (p0.y + p1.y) / 2;
    draw_logo(ImVec2(p0.x + 11, mid - 4), 9);

    const float title_h = font_px(theme.heading);
    const ImVec2 title = draw_text(theme.heading, ImVec2(p0.x + 36, mid - title_h / 2), colors::text, "santa-lens");
    const bool narrow = (p1.x - p0.x) < 700;
    if (!narrow)
        draw_text(theme.body, ImVec2(p0.x + 36 + title.x + 14, mid - font_px(theme.body) / 2 + 1), colors::muted,
                  "Is it Santa?");

    // Status pill, right-aligned; a progress line along its bottom while downloading. Where the
    // full text would reach the title, a brief one.
    ImU32 dot = colors::muted;
    std::string text = model_text(state.model, false, dot);
    ImVec2 ts = text_size(theme.small, text.c_str());
    const float room = p1.x - (p0.x + 36 + title.x + 24) - 14 * 2 - 16;
    if (ts.x > room) {
        text = model_text(state.model, true, dot);
        ts = text_size(theme.small, text.c_str());
    }
    const float pill_h = 32, pad = 14;
    const ImVec2 q1(p1.x, mid + pill_h / 2);
    const ImVec2 q0(q1.x - ts.x - pad * 2 - 16, mid - pill_h / 2);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(q0, q1, colors::card, pill_h / 2);
    dl->AddRect(q0, q1, colors::card_border, pill_h / 2);
    dl->AddCircleFilled(ImVec2(q0.x + pad + 4, mid), 4, dot, 12);
    draw_text(theme.small, ImVec2(q0.x + pad + 16, mid - ts.y / 2), colors::muted, text.c_str());
    const auto& m = state.model;
    if (m.phase == ModelPhase::loading && m.bytes_total > 0 && !m.starting) {
        const float inset = pill_h / 2;
        draw_bar(ImVec2(q0.x + inset, q1.y - 4), ImVec2(q1.x - inset, q1.y - 2), float(m.bytes_loaded / m.bytes_total),
                 colors::warning);
    }
}

}  // namespace sl::ui
