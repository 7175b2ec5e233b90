// wasm/app/ui_widgets.cpp: drawing helpers for the panels (see ui_widgets.h).
#include "wasm/app/ui_widgets.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

#include "imgui_internal.h"  // GImGui->HoveredId: this frame's hovered item
#include "wasm/app/ui_theme.h"

namespace sl::ui {

ImVec2 text_size(const ImFont* font, const char* text, float wrap) {
    return font->CalcTextSizeA(font_px(font), FLT_MAX, wrap, text);
}

ImVec2 draw_text(const ImFont* font, ImVec2 pos, ImU32 color, const char* text, float wrap) {
    ImGui::GetWindowDrawList()->AddText(font, font_px(font), pos, color, text, nullptr, wrap);
    return text_size(font, text, wrap);
}

ImVec2 draw_text_centered(const ImFont* font, float center_x, float y, ImU32 color, const char* text, float wrap) {
    const ImVec2 size = text_size(font, text, wrap);
    if (wrap <= 0) return draw_text(font, ImVec2(std::floor(center_x - size.x / 2), y), color, text);
    // Wrapped: centre each line on its own.
    const float px = font_px(font);
    const char* line = text;
    const char* end = text + std::strlen(text);
    float line_y = y;
    while (line < end) {
        const char* next = font->CalcWordWrapPositionA(px / font->FontSize, line, end, wrap);
        if (next == line) next = line + 1;
        const ImVec2 w = font->CalcTextSizeA(px, FLT_MAX, 0, line, next);
        ImGui::GetWindowDrawList()->AddText(font, px, ImVec2(std::floor(center_x - w.x / 2), line_y), color, line,
                                            next);
        line_y += px;
        line = next;
        while (line < end && (*line == ' ' || *line == '\n')) ++line;
    }
    return ImVec2(size.x, line_y - y);
}

void draw_dashed_frame(ImVec2 p0, ImVec2 p1, ImU32 color, float r, float thickness, float dash, float gap) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    auto dashes = [&](ImVec2 a, ImVec2 b) {
        const ImVec2 d(b.x - a.x, b.y - a.y);
        const float len = std::sqrt(d.x * d.x + d.y * d.y);
        if (len <= 0) return;
        // Whole dashes, spread so that the edge starts and ends with one.
        const int n = std::max(1, int((len + gap) / (dash + gap)));
        const float step = n > 1 ? (len - dash) / float(n - 1) : 0;
        const ImVec2 u(d.x / len, d.y / len);
        for (int i = 0; i < n; ++i) {
            const float s = i * step;
            const float e = std::min(len, s + dash);
            dl->AddLine(ImVec2(a.x + u.x * s, a.y + u.y * s), ImVec2(a.x + u.x * e, a.y + u.y * e), color, thickness);
        }
    };
    dashes(ImVec2(p0.x + r, p0.y), ImVec2(p1.x - r, p0.y));
    dashes(ImVec2(p1.x, p0.y + r), ImVec2(p1.x, p1.y - r));
    dashes(ImVec2(p1.x - r, p1.y), ImVec2(p0.x + r, p1.y));
    dashes(ImVec2(p0.x, p1.y - r), ImVec2(p0.x, p0.y + r));
    const float pi = 3.14159265f;
    const ImVec2 centers[4] = {{p0.x + r, p0.y + r}, {p1.x - r, p0.y + r}, {p1.x - r, p1.y - r}, {p0.x + r, p1.y - r}};
    for (int i = 0; i < 4; ++i) {
        const float a0 = pi + i * pi / 2;
        dl->PathArcTo(centers[i], r, a0, a0 + pi / 2, 10);
        dl->PathStroke(color, 0, thickness);
    }
}

void draw_bar(ImVec2 p0, ImVec2 p1, float fraction, ImU32 color) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = (p1.y - p0.y) / 2;
    dl->AddRectFilled(p0, p1, with_alpha(color, 0.18f), r);
    fraction = std::clamp(fraction, 0.f, 1.f);
    const float w = (p1.x - p0.x) * fraction;
    if (w < 0.5f) return;
    // A fill narrower than its height would be a squashed pill; grow it into the track instead.
    dl->AddRectFilled(p0, ImVec2(p0.x + std::max(w, 2 * r), p1.y), color, r);
}

float draw_activity_dots(ImVec2 left, float r, ImU32 color, int beat) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const int lit = beat % 3;
    for (int i = 0; i < 3; ++i)
        dl->AddCircleFilled(ImVec2(left.x + r + i * r * 3, left.y), r, i == lit ? color : with_alpha(color, 0.3f), 12);
    return r * 8;
}

bool flat_button(const char* label, const ImFont* font, float width, bool enabled) {
    ImGui::PushFont(const_cast<ImFont*>(font));
    if (!enabled) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.4f);
    const ImVec2 size(width > 0 ? width : 0, 0);
    const bool clicked = ImGui::Button(label, size) && enabled;
    if (enabled && ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    if (!enabled) ImGui::PopStyleVar();
    ImGui::PopFont();
    return clicked;
}

int segmented(const char* id, const std::vector<std::string>& labels, int selected, const std::vector<bool>& enabled,
              const ImFont* font, ImVec2 p0, ImVec2 p1, std::vector<std::pair<ImVec2, ImVec2>>* rects) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = p1.y - p0.y, r = h / 2;
    dl->AddRectFilled(p0, p1, IM_COL32(255, 255, 255, 12), r);
    dl->AddRect(p0, p1, colors::card_border, r);
    const int n = int(labels.size());
    // Segments share the width in proportion to their labels, so short names stay compact.
    std::vector<float> widths(static_cast<size_t>(n));
    float total = 0;
    for (int i = 0; i < n; ++i) total += widths[size_t(i)] = text_size(font, labels[size_t(i)].c_str()).x + 24;
    const float extra = std::max(0.f, (p1.x - p0.x) - total) / float(std::max(1, n));
    const float squeeze = total > p1.x - p0.x ? (p1.x - p0.x) / total : 1;
    int clicked = -1;
    float x = p0.x;
    ImGui::PushID(id);
    for (int i = 0; i < n; ++i) {
        const float w = widths[size_t(i)] * squeeze + extra;
        const ImVec2 a(std::floor(x), p0.y), b(std::floor(x + w), p1.y);
        x += w;
        if (rects) rects->push_back({a, b});
        const bool on = enabled.empty() || enabled[size_t(i)];
        ImGui::SetCursorScreenPos(a);
        ImGui::PushID(i);
        const bool pressed = ImGui::InvisibleButton("##seg", ImVec2(std::max(1.f, b.x - a.x), h));
        ImGui::PopID();
        const bool hovered = on && ImGui::IsItemHovered();
        if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        if (pressed && on) clicked = i;
        if (i == selected)
            dl->AddRectFilled(ImVec2(a.x + 3, a.y + 3), ImVec2(b.x - 3, b.y - 3), IM_COL32(255, 255, 255, 34), r - 3);
        else if (hovered)
            dl->AddRectFilled(ImVec2(a.x + 3, a.y + 3), ImVec2(b.x - 3, b.y - 3), IM_COL32(255, 255, 255, 14), r - 3);
        const ImU32 color = !on ? colors::faint : i == selected ? colors::text : colors::muted;
        const ImVec2 ts = text_size(font, labels[size_t(i)].c_str());
        ImGui::PushClipRect(a, b, true);
        draw_text(font, ImVec2(std::floor((a.x + b.x - ts.x) / 2), std::floor(p0.y + (h - ts.y) / 2)), color,
                  labels[size_t(i)].c_str());
        ImGui::PopClipRect();
    }
    ImGui::PopID();
    return clicked;
}

bool labelled_switch(const char* label, bool on, const ImFont* font, float x0, float right, float y, float h,
                     std::pair<ImVec2, ImVec2>* rect) {
    const ImVec2 ts = text_size(font, label);
    const float sw = 36, sh = 20;
    const ImVec2 a(x0, y), b(right, y + h);
    ImGui::SetCursorScreenPos(a);
    const bool clicked = ImGui::InvisibleButton(label, ImVec2(std::max(1.f, b.x - a.x), h));
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    if (rect) *rect = {a, b};
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cy = y + h / 2;
    draw_text(font, ImVec2(right - sw - 10 - ts.x, std::floor(cy - ts.y / 2)), colors::muted, label);
    const ImVec2 s0(right - sw, cy - sh / 2), s1(right, cy + sh / 2);
    dl->AddRectFilled(s0, s1, on ? colors::accent : IM_COL32(255, 255, 255, 40), sh / 2);
    const float knob = on ? s1.x - sh / 2 : s0.x + sh / 2;
    dl->AddCircleFilled(ImVec2(knob, cy), sh / 2 - 3, IM_COL32_WHITE, 20);
    return clicked;
}

namespace {

// The label, then places the cursor for a slider filling the rest of [x0, x1].
void slider_frame(const char* label, const ImFont* font, float x0, float x1, float y, float h, float label_w) {
    const ImVec2 ts = text_size(font, label);
    draw_text(font, ImVec2(x0, std::floor(y + (h - ts.y) / 2)), colors::muted, label);
    const float frame_h = font_px(font) + 2 * ImGui::GetStyle().FramePadding.y;
    ImGui::SetCursorScreenPos(ImVec2(x0 + label_w, std::floor(y + (h - frame_h) / 2)));
    ImGui::SetNextItemWidth(std::max(40.f, x1 - x0 - label_w));
    ImGui::PushFont(const_cast<ImFont*>(font));
}

}  // namespace

bool labelled_slider_float(const char* label, float* value, float lo, float hi, const char* format, const ImFont* font,
                           float x0, float x1, float y, float h) {
    slider_frame(label, font, x0, x1, y, h, text_size(font, label).x + 12);
    const bool changed = ImGui::SliderFloat((std::string("##") + label).c_str(), value, lo, hi, format);
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImGui::PopFont();
    return changed;
}

bool labelled_slider_int(const char* label, int* value, int lo, int hi, const ImFont* font, float x0, float x1, float y,
                         float h, bool* released) {
    slider_frame(label, font, x0, x1, y, h, text_size(font, label).x + 12);
    const bool changed = ImGui::SliderInt((std::string("##") + label).c_str(), value, lo, hi);
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    if (released) *released = ImGui::IsItemDeactivatedAfterEdit();
    ImGui::PopFont();
    return changed;
}

void mask_corners(ImVec2 p0, ImVec2 p1, float r, ImU32 color) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float pi = 3.14159265f;
    // Each corner: a fan from the square corner over the quarter circle (star-shaped from there).
    const ImVec2 corners[4] = {p0, ImVec2(p1.x, p0.y), p1, ImVec2(p0.x, p1.y)};
    const ImVec2 centers[4] = {{p0.x + r, p0.y + r}, {p1.x - r, p0.y + r}, {p1.x - r, p1.y - r}, {p0.x + r, p1.y - r}};
    for (int i = 0; i < 4; ++i) {
        dl->PathLineTo(corners[i]);
        const float a0 = pi + i * pi / 2;
        dl->PathArcTo(centers[i], r + 0.5f, a0, a0 + pi / 2, 8);
        dl->PathFillConvex(color);
    }
}

void drag_to_scroll(bool with_children) {
    // A drag belongs to the window when it started on its empty space (ImGui makes the window
    // itself the active item then, so IsAnyItemActive cannot tell; remember the start instead).
    // Hovered items of this frame only: a finger lands without hovering first, and
    // IsAnyItemHovered would still see the item the last touch left the pointer on.
    ImGuiStorage* memory = ImGui::GetStateStorage();
    const ImGuiID id = ImGui::GetID("##drag-to-scroll");
    if (ImGui::IsMouseClicked(0))
        memory->SetBool(
            id, ImGui::IsWindowHovered(with_children ? ImGuiHoveredFlags_ChildWindows : 0) && GImGui->HoveredId == 0);
    if (!ImGui::IsMouseDown(0)) memory->SetBool(id, false);
    if (memory->GetBool(id) && ImGui::IsMouseDragging(0, 2.0f))
        ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
}

}  // namespace sl::ui
