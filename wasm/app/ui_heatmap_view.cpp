// wasm/app/ui_heatmap_view.cpp: the photo panel's image area: the photo, one class's heatmap, or
// the photo and every class side by side (shap.image_plot's order), a colour bar under the
// heatmaps, the values of the superpixel under the pointer (hover, or tap on a touch screen),
// and what is running (classifying; the explanation refining).
// The heatmaps are drawn by the GPU (gl_heatmap.h); this file only decides where.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/explain/colormap.h"
#include "wasm/app/ui.h"
#include "wasm/app/ui_widgets.h"

namespace sl::ui {

namespace {

using app::ExplainPhase;
using app::HeatmapView;

constexpr float kRounding = 10;

struct Panel {
    int what;       // a class index, or HeatmapView::photo
    ImVec2 p0, p1;  // the image's rectangle
};

// Snaps a coordinate to the device pixel grid, so that images start on a pixel boundary.
float snap(float v, float ratio) { return std::floor(v * ratio + 0.5f) / ratio; }

// Lays out `count` panels of aspect `aspect` (w / h) in [p0, p1], each with a caption line of
// `caption_h` above it, as large as they can be: tries every number of rows.
std::vector<Panel> grid(const std::vector<int>& what, float aspect, ImVec2 p0, ImVec2 p1, float caption_h, float gap,
                        float ratio) {
    const int n = int(what.size());
    const float W = p1.x - p0.x, H = p1.y - p0.y;
    int best_rows = 1;
    float best_w = 0;
    for (int rows = 1; rows <= n; ++rows) {
        const int cols = (n + rows - 1) / rows;
        const float cell_w = (W - gap * float(cols - 1)) / float(cols);
        const float cell_h = (H - gap * float(rows - 1)) / float(rows) - caption_h;
        const float w = std::min(cell_w, cell_h * aspect);
        if (w > best_w) best_w = w, best_rows = rows;
    }
    const int rows = best_rows, cols = (n + rows - 1) / rows;
    const float w = std::max(1.f, best_w), h = w / aspect;
    const float total_w = w * float(cols) + gap * float(cols - 1);
    const float total_h = (h + caption_h) * float(rows) + gap * float(rows - 1);
    const float x0 = p0.x + (W - total_w) / 2, y0 = p0.y + (H - total_h) / 2;
    std::vector<Panel> panels;
    for (int i = 0; i < n; ++i) {
        const int r = i / cols, c = i % cols;
        const int in_row = std::min(cols, n - r * cols);  // the last row may be short: centre it
        const float x = x0 + float(cols - in_row) * (w + gap) / 2 + c * (w + gap);
        const float y = y0 + r * (h + caption_h + gap) + caption_h;
        panels.push_back(
            {what[size_t(i)], ImVec2(snap(x, ratio), snap(y, ratio)), ImVec2(snap(x + w, ratio), snap(y + h, ratio))});
    }
    return panels;
}

// The superpixel under `mouse` in a panel, or -1.
int superpixel_at(const Segmentation& seg, const Panel& p, ImVec2 mouse) {
    const float u = (mouse.x - p.p0.x) / (p.p1.x - p.p0.x), v = (mouse.y - p.p0.y) / (p.p1.y - p.p0.y);
    if (u < 0 || u >= 1 || v < 0 || v >= 1) return -1;
    // As the shader's label_at: texel floor(uv * size).
    const int x = std::clamp(int(u * float(seg.width)), 0, seg.width - 1);
    const int y = std::clamp(int(v * float(seg.height)), 0, seg.height - 1);
    return seg.labels[size_t(y) * seg.width + x];
}

std::string signed_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.4f", v);
    return buf;
}

// The values of superpixel k, per class, in a tooltip.
void value_tooltip(const app::AppState& state, const Theme& theme, const ShapEstimate& est, int k) {
    const ModelCard& card = *state.model.card;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(14, 10));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 10);
    ImGui::BeginTooltip();
    ImGui::PushFont(const_cast<ImFont*>(theme.small));
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(colors::muted), "Superpixel %d of %d", k + 1, est.players);
    for (int c = 0; c < est.outputs; ++c) {
        const double phi = est.phi[size_t(c) * est.players + k];
        const double se = est.std_error[size_t(c) * est.players + k];
        const std::string name = app::display_label(card.labels[size_t(c)]);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(label_color(c, est.outputs)), "%s", name.c_str());
        ImGui::SameLine(96);
        if (std::isfinite(se))
            ImGui::Text("%s \u00b1 %.4f", signed_text(phi).c_str(), se);
        else
            ImGui::Text("%s", signed_text(phi).c_str());
    }
    ImGui::PopFont();
    ImGui::EndTooltip();
    ImGui::PopStyleVar(2);
}

// shap's colour bar: the colour map over the panels' white-ish base, -range .. +range.
void draw_colour_bar(const Theme& theme, ImVec2 p0, float width, double range, const char* units) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ColormapLut& lut = red_transparent_blue();
    const float bar_h = 10, x0 = p0.x, x1 = p0.x + width;
    const auto colour = [&](int i) {
        const auto& e = lut[size_t(i)];
        const float a = e[3] / 255.f, base = 242;
        return IM_COL32(int(base * (1 - a) + e[0] * a), int(base * (1 - a) + e[1] * a), int(base * (1 - a) + e[2] * a),
                        255);
    };
    const int steps = 64;
    for (int s = 0; s < steps; ++s) {
        const float a = x0 + width * float(s) / steps, b = x0 + width * float(s + 1) / steps;
        const ImU32 ca = colour(s * 255 / steps), cb = colour((s + 1) * 255 / steps);
        dl->AddRectFilledMultiColor(ImVec2(a, p0.y), ImVec2(b + 0.5f, p0.y + bar_h), ca, cb, cb, ca);
    }
    dl->AddRect(ImVec2(x0, p0.y), ImVec2(x1, p0.y + bar_h), IM_COL32(255, 255, 255, 40));
    char lo[32], hi[32];
    std::snprintf(lo, sizeof lo, "\u2212%.3g", range);
    std::snprintf(hi, sizeof hi, "+%.3g", range);
    const float ty = p0.y + bar_h + 5;
    draw_text(theme.small, ImVec2(x0, ty), colors::muted, lo);
    draw_text(theme.small, ImVec2(x1 - text_size(theme.small, hi).x, ty), colors::muted, hi);
    const std::string name = std::string("SHAP value (") + units + ")";
    draw_text_centered(theme.small, (x0 + x1) / 2, ty, colors::muted, name.c_str());
}

// A pill at the bottom of the image while the explanation works: what it does, and how far.
void draw_progress_chip(const app::AppState& state, const Theme& theme, ImVec2 i0, ImVec2 i1) {
    const app::Explanation& e = state.explanation;
    const ShapEstimate* est = e.estimate();
    char text[96];
    float fraction = 0;
    if (e.phase == ExplainPhase::preparing || !est) {
        std::snprintf(text, sizeof text, e.phase == ExplainPhase::preparing ? "Finding superpixels" : "Explaining");
    } else {
        std::snprintf(text, sizeof text, "Refining \u00b7 %d / %d \u00b7 %.0f%% settled", est->evaluations,
                      state.settings.budget, std::floor(e.settled * 100));
        fraction = float(est->evaluations) / float(std::max(1, state.settings.budget));
    }
    const ImVec2 ts = text_size(theme.small, text);
    const float w = ts.x + 60, h = ts.y + 16;
    const ImVec2 c0(std::floor((i0.x + i1.x - w) / 2), i1.y - h - 12), c1(c0.x + w, c0.y + h);
    if (c0.y < i0.y || w > i1.x - i0.x) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(c0, c1, IM_COL32(10, 12, 16, 210), h / 2);
    draw_activity_dots(ImVec2(c0.x + 14, c0.y + h / 2), 2.5f, colors::text, ImGui::GetFrameCount());
    draw_text(theme.small, ImVec2(c0.x + 40, c0.y + 8), colors::text, text);
    if (fraction > 0)
        draw_bar(ImVec2(c0.x + h / 2, c1.y - 3), ImVec2(c1.x - h / 2, c1.y - 1), fraction, colors::accent);
}

}  // namespace

void draw_image_area(const app::AppState& state, const Theme& theme, gl::HeatmapLayer& heatmap, ImVec2 p0, ImVec2 p1,
                     Actions& actions) {
    if (p1.x - p0.x < 20 || p1.y - p0.y < 20) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const app::Explanation& e = state.explanation;
    const ShapEstimate* est = e.estimate();
    const bool values = heatmap.ready() && est != nullptr;
    const int show = values ? state.view.show : int(HeatmapView::photo);
    const int classes = state.model.card ? state.model.card->num_classes() : 0;

    std::vector<int> what;
    if (show == HeatmapView::all) {
        what.push_back(HeatmapView::photo);
        for (int c = 0; c < classes; ++c) what.push_back(c);
    } else {
        what.push_back(show);
    }
    const bool any_heatmap = show != HeatmapView::photo;
    const float bar_h = any_heatmap ? 10 + 5 + font_px(theme.small) + 10 : 0;
    const float caption_h = what.size() > 1 ? font_px(theme.small) + 8 : 0;
    const float aspect = float(state.photo.width) / float(std::max(1, state.photo.height));
    const std::vector<Panel> panels =
        grid(what, aspect, p0, ImVec2(p1.x, p1.y - bar_h), caption_h, 12, theme.pixel_ratio);

    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const bool pointer_here =
        ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) && !ImGui::IsAnyItemActive();
    int hovered = -1;
    const auto texture = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(state.photo.texture));
    for (const Panel& p : panels) {
        const std::string name = p.what == HeatmapView::photo ? "photo" : state.model.card->labels[size_t(p.what)];
        actions.targets.push_back({panels.size() > 1 ? "image:" + name : "image", p.p0, p.p1});
        if (caption_h > 0) {
            char caption[96];
            if (p.what == HeatmapView::photo)
                std::snprintf(caption, sizeof caption, "%s",
                              state.photo.name.empty() ? "Photo" : state.photo.name.c_str());
            else
                std::snprintf(caption, sizeof caption, "%s (p = %.3f)", app::display_label(name).c_str(),
                              e.explainer->probabilities()[size_t(p.what)]);
            ImGui::PushClipRect(ImVec2(p.p0.x, p.p0.y - caption_h), ImVec2(p.p1.x, p.p0.y), true);
            draw_text_centered(theme.small, (p.p0.x + p.p1.x) / 2, p.p0.y - caption_h, colors::muted, caption);
            ImGui::PopClipRect();
        }
        if (p.what == HeatmapView::photo) {
            dl->AddImageRounded(texture, p.p0, p.p1, ImVec2(0, 0), ImVec2(1, 1), IM_COL32_WHITE, kRounding);
        } else {
            heatmap.draw(dl, {p.p0, p.p1, p.what, float(e.range), state.view.opacity, state.view.borders});
            mask_corners(p.p0, p.p1, kRounding, colors::card);
        }
        if (values && pointer_here && hovered < 0) hovered = superpixel_at(e.explainer->segmentation(), p, mouse);
    }
    if (any_heatmap && !panels.empty()) {
        float x0 = panels.front().p0.x, x1 = panels.back().p1.x;
        for (const Panel& p : panels) x0 = std::min(x0, p.p0.x), x1 = std::max(x1, p.p1.x);
        float y = 0;
        for (const Panel& p : panels) y = std::max(y, p.p1.y);
        const float bar_w = std::min(x1 - x0, 420.f);
        draw_colour_bar(theme, ImVec2(std::floor((x0 + x1 - bar_w) / 2), y + 12), bar_w, e.range,
                        output_name(e.explainer->config().shap.link));
    }
    if (hovered >= 0) value_tooltip(state, theme, *est, hovered);

    // What is running, over the image.
    const Panel& main = panels.back();
    if (state.running) {
        dl->AddRectFilled(main.p0, main.p1, IM_COL32(10, 12, 16, 150), kRounding);
        const ImVec2 c((main.p0.x + main.p1.x) / 2, (main.p0.y + main.p1.y) / 2);
        draw_activity_dots(ImVec2(c.x - 18, c.y - 10), 4.5f, colors::text, ImGui::GetFrameCount());
        draw_text_centered(
            theme.body, c.x, c.y + 14, colors::text,
            state.model.phase == app::ModelPhase::loading ? "Waiting for the model\u2026" : "Classifying\u2026");
    } else if (e.phase == ExplainPhase::preparing || e.phase == ExplainPhase::running) {
        float x0 = main.p0.x, x1 = main.p1.x, y1 = main.p1.y;
        for (const Panel& p : panels) x0 = std::min(x0, p.p0.x), x1 = std::max(x1, p.p1.x), y1 = std::max(y1, p.p1.y);
        draw_progress_chip(state, theme, ImVec2(x0, main.p0.y), ImVec2(x1, y1));
    }
}

}  // namespace sl::ui
