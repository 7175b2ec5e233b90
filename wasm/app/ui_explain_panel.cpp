// wasm/app/ui_explain_panel.cpp: the card's explanation section: what it is doing, a progress bar,
// evaluations done, the uncertainty (the largest standard error, and the stopping rule's
// measure), Cancel / Resume, the settings that start it again (superpixels, background), and
// the exports (PNG figure, JSON values).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "wasm/app/app_export.h"
#include "wasm/app/ui.h"
#include "wasm/app/ui_widgets.h"

namespace sl::ui {

namespace {

using app::ExplainPhase;

float detail(const Theme& theme, float x0, float x1, float y, const char* name, const char* value) {
    draw_text(theme.small, ImVec2(x0, y), colors::muted, name);
    draw_text(theme.small, ImVec2(x1 - text_size(theme.small, value).x, y), colors::text, value);
    return font_px(theme.small) + 8;
}

// "±0.0042 · 3.1% of the range", or a dash while too few samples to tell.
std::string uncertainty_text(const ShapEstimate& est) {
    if (est.exact) return "exact";
    double worst = 0;
    for (double se : est.std_error) worst = std::max(worst, se);
    if (!std::isfinite(worst) || !std::isfinite(est.convergence)) return "\u2014 (too few samples yet)";
    char buf[64];
    std::snprintf(buf, sizeof buf, "\u00b1%.4f \u00b7 %.1f%% of the range", worst, est.convergence * 100);
    return buf;
}

std::string seconds_text(double ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, ms < 10000 ? "%.1f s" : "%.0f s", ms / 1000);
    return buf;
}

}  // namespace

float draw_explain_section(const app::AppState& state, const Theme& theme, float x0, float y, float width,
                           Actions& actions) {
    const float y0 = y, x1 = x0 + width;
    const app::Explanation& e = state.explanation;
    const ShapEstimate* est = e.estimate();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddLine(ImVec2(x0, y), ImVec2(x1, y), colors::card_border);
    y += 14;
    y += draw_text(theme.small, ImVec2(x0, y), colors::faint, "EXPLANATION").y + 12;

    // What it is doing, in words, with a progress bar.
    const bool working = e.phase == ExplainPhase::preparing || e.phase == ExplainPhase::running;
    const int budget = est ? e.explainer->config().shap.budget : state.settings.budget;
    const int evaluations = est ? est->evaluations : 0;
    const char* what = "";
    ImU32 colour = colors::text;
    switch (e.phase) {
        case ExplainPhase::preparing:
            what = "Finding superpixels";
            break;
        case ExplainPhase::running:
            what = app::first_estimate(state) ? "First estimate, refining"
                   : est                      ? "Refining the heatmap"
                                              : "Explaining";
            break;
        case ExplainPhase::done:
            what = est && (est->exact || est->convergence < e.explainer->config().shap.tolerance) ? "Converged"
                                                                                                  : "Done: budget used";
            colour = colors::ok;
            break;
        case ExplainPhase::cancelled:
            what = "Cancelled";
            colour = colors::warning;
            break;
        case ExplainPhase::failed:
            what = "Failed";
            colour = colors::error;
            break;
        case ExplainPhase::idle:
            break;
    }
    const ImVec2 ws = draw_text(theme.body, ImVec2(x0, y), colour, what);
    if (working)
        draw_activity_dots(ImVec2(x0 + ws.x + 8, y + font_px(theme.body) * 0.6f), 2.5f, colors::muted,
                           ImGui::GetFrameCount());
    char count[48];
    std::snprintf(count, sizeof count, "%d / %d", evaluations, budget);
    draw_text(theme.body, ImVec2(x1 - text_size(theme.body, count).x, y), colors::muted, count);
    y += font_px(theme.body) + 10;
    const float fraction = e.phase == ExplainPhase::done ? 1.f : float(evaluations) / float(std::max(1, budget));
    draw_bar(ImVec2(x0, y), ImVec2(x1, y + 6), fraction, e.phase == ExplainPhase::done ? colors::ok : colors::accent);
    y += 6 + 14;

    if (e.phase == ExplainPhase::failed) {
        y += draw_text(theme.small, ImVec2(x0, y), colors::error, e.message.c_str(), width).y + 12;
    }
    if (!state.model.explainer_note.empty() && state.settings.estimator == ShapEstimator::amortized) {
        y += draw_text(theme.small, ImVec2(x0, y), colors::muted, state.model.explainer_note.c_str(), width).y + 12;
    }
    if (est) {
        y += detail(theme, x0, x1, y, "Uncertainty", uncertainty_text(*est).c_str());
        char settled[64];
        std::snprintf(settled, sizeof settled, "%.0f%% of the photo", std::floor(e.settled * 100));
        y += detail(theme, x0, x1, y, "Sign settled", settled);
        y += detail(theme, x0, x1, y, "Values", output_name(e.explainer->config().shap.link));
        char buf[64];
        std::snprintf(buf, sizeof buf, "%d", est->players);
        y += detail(theme, x0, x1, y, "Superpixels", buf);
        const std::string time = seconds_text(e.setup_ms + e.elapsed_ms) + " \u00b7 model " + seconds_text(e.model_ms);
        y += detail(theme, x0, x1, y, "Time", time.c_str());
    }

    // Cancel / Resume, and the exports, on one row.
    const float button_h = font_px(theme.body) + ImGui::GetStyle().FramePadding.y * 2;
    const float third = (width - 16) / 3;
    ImGui::SetCursorScreenPos(ImVec2(x0, y));
    if (e.phase == ExplainPhase::cancelled) {
        if (flat_button("Resume", theme.body, third)) actions.resume = true;
        actions.targets.push_back({"resume", ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    } else {
        if (flat_button("Cancel", theme.body, third, working)) actions.cancel = true;
        actions.targets.push_back({"cancel", ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    }
    const bool exportable = app::can_export(state);
    ImGui::SetCursorScreenPos(ImVec2(x0 + third + 8, y));
    if (flat_button("Save PNG", theme.body, third, exportable)) actions.export_png = true;
    actions.targets.push_back({"export:png", ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    ImGui::SetCursorScreenPos(ImVec2(x0 + 2 * (third + 8), y));
    if (flat_button("Save JSON", theme.body, third, exportable)) actions.export_json = true;
    actions.targets.push_back({"export:json", ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    y += button_h + 12;

    // Settings that start the explanation again.
    const float row_h = 36;
    ImGuiStorage* memory = ImGui::GetStateStorage();
    const ImGuiID edit_id = ImGui::GetID("segments being edited");
    int segments = memory->GetInt(edit_id, state.settings.segments);
    bool released = false;
    labelled_slider_int("Superpixels", &segments, 10, 150, theme.small, x0, x1, y, row_h, &released);
    actions.targets.push_back({"segments", ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    const bool editing = ImGui::IsItemActive();
    if (released) actions.settings.emplace_back("segments", std::to_string(segments));
    memory->SetInt(edit_id, editing || released ? segments : state.settings.segments);
    y += row_h + 4;

    const char* label = "Background";
    draw_text(theme.small, ImVec2(x0, y + (row_h - font_px(theme.small)) / 2), colors::muted, label);
    const float seg_x = x0 + text_size(theme.small, label).x + 12;
    const int selected = state.settings.background == BackgroundKind::blur ? 1 : 0;
    std::vector<std::pair<ImVec2, ImVec2>> rects;
    const int clicked = segmented("background", {"Mean colour", "Blur"}, selected, {}, theme.small, ImVec2(seg_x, y),
                                  ImVec2(x1, y + row_h), &rects);
    if (clicked >= 0) actions.settings.emplace_back("background", clicked == 1 ? "blur" : "mean");
    if (rects.size() == 2) {
        actions.targets.push_back({"background:mean", rects[0].first, rects[0].second});
        actions.targets.push_back({"background:blur", rects[1].first, rects[1].second});
    }
    y += row_h;
    return y - y0;
}

}  // namespace sl::ui
