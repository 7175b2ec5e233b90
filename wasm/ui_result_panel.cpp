// wasm/ui_result_panel.cpp: the prediction card: the label in large type, a probability bar per
// class, timings, and any problem with the last file or the model.
#include <cstdio>
#include <string>

#include "wasm/ui.h"
#include "wasm/ui_widgets.h"

namespace sl::ui {

namespace {

using app::ModelPhase;

// A tinted box with a red marker and wrapped text; returns its height.
float draw_problem(const Theme& theme, ImVec2 p0, float width, const char* title, const char* text) {
    const float pad = 14, wrap = width - pad * 2 - 14;
    const float title_h = font_px(theme.small) + 6;
    const ImVec2 ts = text_size(theme.body, text, wrap);
    const ImVec2 p1(p0.x + width, p0.y + pad * 2 + title_h + ts.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, p1, colors::error_fill, 12);
    dl->AddRectFilled(p0, ImVec2(p0.x + 4, p1.y), colors::error, 12, ImDrawFlags_RoundCornersLeft);
    draw_text(theme.small, ImVec2(p0.x + pad + 8, p0.y + pad), colors::error, title);
    draw_text(theme.body, ImVec2(p0.x + pad + 8, p0.y + pad + title_h), colors::text, text, wrap);
    return p1.y - p0.y;
}

// A label/value line in small type: "Inference        412 ms".
float draw_detail(const Theme& theme, float x0, float x1, float y, const char* name, const std::string& value) {
    draw_text(theme.small, ImVec2(x0, y), colors::muted, name);
    const ImVec2 vs = text_size(theme.small, value.c_str());
    draw_text(theme.small, ImVec2(x1 - vs.x, y), colors::text, value.c_str());
    return font_px(theme.small) + 8;
}

std::string ms_text(double ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
    return buf;
}

float draw_prediction(const app::AppState& state, const Theme& theme, float x0, float x1, float y) {
    const app::Prediction& p = *state.prediction;
    const ModelCard& card = *state.model.card;
    const int n = card.num_classes();
    const float y_start = y;

    const std::string label = app::display_label(card.labels[p.best]);
    y += draw_text(theme.display, ImVec2(x0 - 2, y), label_color(p.best, n), label.c_str()).y;
    const std::string sure = app::percent_text(p.probabilities[p.best]) + " probability";
    y += draw_text(theme.body, ImVec2(x0, y), colors::muted, sure.c_str()).y + 26;

    for (int i = 0; i < n; ++i) {
        const std::string name = app::display_label(card.labels[i]);
        const std::string pct = app::percent_text(p.probabilities[i]);
        draw_text(theme.body, ImVec2(x0, y), i == p.best ? colors::text : colors::muted, name.c_str());
        const ImVec2 ps = text_size(theme.body, pct.c_str());
        draw_text(theme.body, ImVec2(x1 - ps.x, y), i == p.best ? colors::text : colors::muted, pct.c_str());
        y += font_px(theme.body) + 8;
        draw_bar(ImVec2(x0, y), ImVec2(x1, y + 8), p.probabilities[i], label_color(i, n));
        y += 8 + 18;
    }
    return y - y_start;
}

}  // namespace

float draw_result_panel(const app::AppState& state, const Theme& theme, ImVec2 p0, ImVec2 p1,
                        Actions& actions) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, p1, colors::card, 18);
    dl->AddRect(p0, p1, colors::card_border, 18);
    ImGui::PushClipRect(p0, p1, true);

    const float pad = 26;
    const float x0 = p0.x + pad, x1 = p1.x - pad, width = x1 - x0;
    float y = p0.y + pad;
    y += draw_text(theme.small, ImVec2(x0, y), colors::faint, "PREDICTION").y + 14;

    if (!state.error.empty()) {
        y += draw_problem(theme, ImVec2(x0, y), width, "COULD NOT USE THAT FILE", state.error.c_str()) + 20;
    }

    const auto& model = state.model;
    if (state.running && !state.prediction) {
        draw_spinner(ImVec2(x0 + 14, y + font_px(theme.heading) / 2 + 2), 12, colors::muted, ImGui::GetTime());
        y += draw_text(theme.heading, ImVec2(x0 + 38, y), colors::text,
                       model.phase == ModelPhase::loading ? "Waiting for the model\u2026" : "Classifying\u2026")
                 .y +
             10;
    } else if (state.prediction) {
        y += draw_prediction(state, theme, x0, x1, y);
    } else if (model.phase == ModelPhase::failed) {
        y += draw_problem(theme, ImVec2(x0, y), width, "THE MODEL DID NOT LOAD", model.message.c_str()) + 16;
    } else {
        const bool loading = model.phase == ModelPhase::loading;
        y += draw_text(theme.heading, ImVec2(x0, y), colors::muted, loading ? "Loading the model\u2026" : "No photo yet").y + 10;
        y += draw_text(theme.body, ImVec2(x0, y), colors::faint,
                       loading ? "You can drop a photo already: it is classified as soon as the model is ready."
                               : "Drop a photo anywhere on this page to find out whether it shows Santa.",
                       width)
                 .y;
    }

    // The button and the details, pinned to the bottom of the card, each only where it fits
    // below the content (a short card on a phone keeps the prediction, drops the details).
    const float content_bottom = y;
    float needed = content_bottom - p0.y + pad;
    float bottom = p1.y - pad;
    const bool has_photo = state.photo.texture != 0;
    if (has_photo) {
        const float button_h = font_px(theme.body) + ImGui::GetStyle().FramePadding.y * 2;
        needed += button_h + 20;
        if (bottom - button_h > content_bottom + 12) {
            ImGui::SetCursorScreenPos(ImVec2(x0, bottom - button_h));
            if (flat_button("Choose another photo\u2026", theme.body, width)) actions.pick_file = true;
            bottom -= button_h + 20;
        }
    }
    const int lines = (has_photo ? 2 : 0) + (state.prediction ? 2 : 0);
    const float line_h = font_px(theme.small) + 8;
    float dy = bottom - lines * line_h;
    needed += lines > 0 ? lines * line_h + 24 : 0;
    if (lines > 0 && dy - 12 > content_bottom + 12) {
        dl->AddLine(ImVec2(x0, dy - 12), ImVec2(x1, dy - 12), colors::card_border);
        if (has_photo) {
            char size[48];
            std::snprintf(size, sizeof size, "%d \u00d7 %d", state.photo.width, state.photo.height);
            const std::string name = state.photo.name.empty() ? "pasted image" : state.photo.name;
            // Long names are cut from the left: the end (extension, number) tells photos apart.
            std::string shown = name;
            for (size_t cut = 0; cut < name.size() && text_size(theme.small, shown.c_str()).x > width - 110;) {
                do ++cut; while (cut < name.size() && (name[cut] & 0xC0) == 0x80);  // whole UTF-8 chars
                shown = "\u2026" + name.substr(cut);
            }
            dy += draw_detail(theme, x0, x1, dy, "Photo", shown);
            dy += draw_detail(theme, x0, x1, dy, "Size", size);
        }
        if (state.prediction) {
            dy += draw_detail(theme, x0, x1, dy, "Inference", ms_text(state.prediction->inference_ms));
            dy += draw_detail(theme, x0, x1, dy, "Preprocessing", ms_text(state.prediction->preprocess_ms));
        }
    }
    ImGui::PopClipRect();
    return needed;
}

}  // namespace sl::ui
