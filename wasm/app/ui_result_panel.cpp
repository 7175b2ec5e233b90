// wasm/app/ui_result_panel.cpp: the result card: the label in large type, a probability bar per
// class, the explanation section (ui_explain_panel.cpp), timings, any problem with the last file
// or the model, and a button for another photo. The card is a child window that scrolls (wheel,
// or a drag for touch screens) when its content is taller than the room it has.
#include <algorithm>
#include <cstdio>
#include <string>

#include "wasm/app/ui.h"
#include "wasm/app/ui_widgets.h"

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
    const std::string sure =
        app::percent_text(p.probabilities[p.best]) + " probability \u00b7 " + ms_text(p.inference_ms);
    y += draw_text(theme.body, ImVec2(x0, y), colors::muted, sure.c_str()).y + 16;

    for (int i = 0; i < n; ++i) {
        const std::string name = app::display_label(card.labels[i]);
        const std::string pct = app::percent_text(p.probabilities[i]);
        draw_text(theme.body, ImVec2(x0, y), i == p.best ? colors::text : colors::muted, name.c_str());
        const ImVec2 ps = text_size(theme.body, pct.c_str());
        draw_text(theme.body, ImVec2(x1 - ps.x, y), i == p.best ? colors::text : colors::muted, pct.c_str());
        y += font_px(theme.body) + 8;
        draw_bar(ImVec2(x0, y), ImVec2(x1, y + 8), p.probabilities[i], label_color(i, n));
        y += 8 + 12;
    }
    return y - y_start;
}

// Photo name and size, timings: small label/value lines. Returns their height.
float draw_details(const app::AppState& state, const Theme& theme, float x0, float x1, float y) {
    const float y0 = y, width = x1 - x0;
    char size[48];
    std::snprintf(size, sizeof size, "%d \u00d7 %d", state.photo.width, state.photo.height);
    const std::string name = state.photo.name.empty() ? "pasted image" : state.photo.name;
    // Long names are cut from the left: the end (extension, number) tells photos apart.
    std::string shown = name;
    for (size_t cut = 0; cut < name.size() && text_size(theme.small, shown.c_str()).x > width - 110;) {
        do ++cut;
        while (cut < name.size() && (name[cut] & 0xC0) == 0x80);  // whole UTF-8 chars
        shown = "\u2026" + name.substr(cut);
    }
    y += draw_detail(theme, x0, x1, y, "Photo", shown);
    y += draw_detail(theme, x0, x1, y, "Size", size);
    if (state.prediction)  // (the inference time is under the label)
        y += draw_detail(theme, x0, x1, y, "Preprocessing", ms_text(state.prediction->preprocess_ms));
    return y - y0;
}

}  // namespace

float draw_result_panel(const app::AppState& state, const Theme& theme, ImVec2 p0, ImVec2 p1, Actions& actions) {
    ImDrawList* outer = ImGui::GetWindowDrawList();
    outer->AddRectFilled(p0, p1, colors::card, 18);
    outer->AddRect(p0, p1, colors::card_border, 18);

    // The child sits inside the rounded corners so its scrollbar does not cross them.
    const float inset = 6;
    ImGui::SetCursorScreenPos(ImVec2(p0.x + inset, p0.y + inset));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(0, 0, 0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, 6);
    ImGui::BeginChild("card", ImVec2(p1.x - p0.x - 2 * inset, p1.y - p0.y - 2 * inset), false);
    const ImVec2 origin = ImGui::GetCursorScreenPos();  // moves up as the card scrolls
    const float view_h = ImGui::GetWindowHeight();

    const float pad = 26 - inset;
    const float x0 = origin.x + pad, x1 = origin.x + ImGui::GetWindowWidth() - pad, width = x1 - x0;
    float y = origin.y + pad;
    y += draw_text(theme.small, ImVec2(x0, y), colors::faint, "PREDICTION").y + 14;

    // The message says what failed (a file, the model, an export); the heading fits them all.
    if (!state.error.empty())
        y += draw_problem(theme, ImVec2(x0, y), width, "THAT DID NOT WORK", state.error.c_str()) + 20;

    const auto& model = state.model;
    if (state.running && !state.prediction) {
        const ImVec2 ts = draw_text(theme.heading, ImVec2(x0, y), colors::text,
                                    model.phase == ModelPhase::loading ? "Waiting for the model" : "Classifying");
        draw_activity_dots(ImVec2(x0 + ts.x + 10, y + font_px(theme.heading) * 0.62f), 3, colors::muted,
                           ImGui::GetFrameCount());
        y += ts.y + 10;
    } else if (state.prediction) {
        y += draw_prediction(state, theme, x0, x1, y);
        if (state.explanation.phase != app::ExplainPhase::idle) {
            y += 4;
            y += draw_explain_section(state, theme, x0, y, width, actions) + 4;
        }
    } else if (model.phase == ModelPhase::failed) {
        y += draw_problem(theme, ImVec2(x0, y), width, "THE MODEL DID NOT LOAD", model.message.c_str()) + 16;
    } else {
        const bool loading = model.phase == ModelPhase::loading;
        y +=
            draw_text(theme.heading, ImVec2(x0, y), colors::muted, loading ? "Loading the model\u2026" : "No photo yet")
                .y +
            10;
        y += draw_text(theme.body, ImVec2(x0, y), colors::faint,
                       loading ? "You can drop a photo already: it is classified as soon as the model is ready."
                               : "Drop a photo anywhere on this page to find out whether it shows Santa.",
                       width)
                 .y;
    }

    // The button, then the details: pinned to the bottom of the card when the content leaves
    // room, else following it (the card scrolls; the button first, so that it stays in view).
    float natural = y;  // where the content ends without pinning
    if (state.photo.texture != 0) {
        const float line_h = font_px(theme.small) + 8;
        const float details_h = line_h * (state.prediction ? 3 : 2);
        const float button_h = font_px(theme.body) + ImGui::GetStyle().FramePadding.y * 2;
        const float block_h = 16 + details_h + 12 + button_h;
        natural = y + 8 + block_h;
        y = std::max(y + 8, origin.y + view_h - pad - block_h);
        ImGui::GetWindowDrawList()->AddLine(ImVec2(x0, y), ImVec2(x1, y), colors::card_border);
        y += 16;
        ImGui::SetCursorScreenPos(ImVec2(x0, y));
        if (flat_button("Choose another photo\u2026", theme.body, width)) actions.pick_file = true;
        actions.targets.push_back({"choose", ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
        y += button_h + 12;
        y += draw_details(state, theme, x0, x1, y);
    }
    const float needed = natural + pad - origin.y + 2 * inset;
    // The content's height, so that the child knows how far it scrolls.
    ImGui::SetCursorScreenPos(ImVec2(x0, y));
    ImGui::Dummy(ImVec2(1, pad - 2));  // (- 2: no scrollbar for rounding when it just fits)
    drag_to_scroll();
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    return needed;
}

}  // namespace sl::ui
