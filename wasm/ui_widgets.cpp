// wasm/ui_widgets.cpp: drawing helpers for the panels (see ui_widgets.h).
#include "wasm/ui_widgets.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

#include "wasm/ui_theme.h"

namespace sl::ui {

ImVec2 text_size(const ImFont* font, const char* text, float wrap) {
    return font->CalcTextSizeA(font_px(font), FLT_MAX, wrap, text);
}

ImVec2 draw_text(const ImFont* font, ImVec2 pos, ImU32 color, const char* text, float wrap) {
    ImGui::GetWindowDrawList()->AddText(font, font_px(font), pos, color, text, nullptr, wrap);
    return text_size(font, text, wrap);
}

ImVec2 draw_text_centered(const ImFont* font, float center_x, float y, ImU32 color,
                          const char* text, float wrap) {
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
        ImGui::GetWindowDrawList()->AddText(font, px, ImVec2(std::floor(center_x - w.x / 2), line_y),
                                            color, line, next);
        line_y += px;
        line = next;
        while (line < end && (*line == ' ' || *line == '\n')) ++line;
    }
    return ImVec2(size.x, line_y - y);
}

void draw_dashed_frame(ImVec2 p0, ImVec2 p1, ImU32 color, float r, float thickness, float dash,
                       float gap) {
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
            dl->AddLine(ImVec2(a.x + u.x * s, a.y + u.y * s), ImVec2(a.x + u.x * e, a.y + u.y * e),
                        color, thickness);
        }
    };
    dashes(ImVec2(p0.x + r, p0.y), ImVec2(p1.x - r, p0.y));
    dashes(ImVec2(p1.x, p0.y + r), ImVec2(p1.x, p1.y - r));
    dashes(ImVec2(p1.x - r, p1.y), ImVec2(p0.x + r, p1.y));
    dashes(ImVec2(p0.x, p1.y - r), ImVec2(p0.x, p0.y + r));
    const float pi = 3.14159265f;
    const ImVec2 centers[4] = {{p0.x + r, p0.y + r}, {p1.x - r, p0.y + r},
                               {p1.x - r, p1.y - r}, {p0.x + r, p1.y - r}};
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

void draw_spinner(ImVec2 center, float radius, ImU32 color, double time) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float start = float(std::fmod(time * 5.0, 2 * 3.14159265));
    dl->AddCircle(center, radius, with_alpha(color, 0.2f), 32, 3);
    dl->PathArcTo(center, radius, start, start + 1.9f, 24);
    dl->PathStroke(color, 0, 3);
}

bool flat_button(const char* label, const ImFont* font, float width) {
    ImGui::PushFont(const_cast<ImFont*>(font));
    const ImVec2 size(width > 0 ? width : 0, 0);
    const bool clicked = ImGui::Button(label, size);
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImGui::PopFont();
    return clicked;
}

}  // namespace sl::ui
