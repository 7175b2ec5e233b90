// wasm/app/ui_theme.cpp: fonts, colours and ImGui style (see ui_theme.h).
#include "wasm/app/ui_theme.h"

#include "backends/imgui_impl_opengl3.h"

namespace sl::ui {

namespace {

// Latin-1 plus the punctuation the UI writes: dashes, quotes, ellipsis.
constexpr ImWchar glyph_ranges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2212, 0x2212, 0};

ImFont* add_font(Theme& theme, float size, float pixel_ratio) {
    ImGuiIO& io = ImGui::GetIO();
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;  // theme.font_data outlives the atlas
    config.OversampleH = 2;               // built at device resolution: 2 is plenty
    config.OversampleV = 1;
    if (theme.font_data.empty()) {
        config.SizePixels = size * pixel_ratio;
        return io.Fonts->AddFontDefault(&config);
    }
    return io.Fonts->AddFontFromMemoryTTF(theme.font_data.data(), int(theme.font_data.size()), size * pixel_ratio,
                                          &config, glyph_ranges);
}

}  // namespace

void load_fonts(Theme& theme, float pixel_ratio) {
    if (pixel_ratio <= 0) pixel_ratio = 1;
    ImGuiIO& io = ImGui::GetIO();
    const bool renderer_running = io.BackendRendererUserData != nullptr;
    if (renderer_running) ImGui_ImplOpenGL3_DestroyFontsTexture();
    io.Fonts->Clear();
    theme.pixel_ratio = pixel_ratio;
    theme.body = add_font(theme, 16, pixel_ratio);  // first font: ImGui's default
    theme.small = add_font(theme, 13, pixel_ratio);
    theme.heading = add_font(theme, 22, pixel_ratio);
    theme.display = add_font(theme, 46, pixel_ratio);
    io.FontGlobalScale = 1.0f / pixel_ratio;
    io.Fonts->Build();
    if (renderer_running) ImGui_ImplOpenGL3_CreateFontsTexture();
}

bool fonts_need_rebuild(const Theme& theme, float pixel_ratio) {
    return pixel_ratio > 0 && pixel_ratio != theme.pixel_ratio;
}

float font_px(const ImFont* font) { return font->FontSize * font->Scale * ImGui::GetIO().FontGlobalScale; }

void apply_style() {
    ImGuiStyle& style = ImGui::GetStyle();
    ImGui::StyleColorsDark(&style);
    style.WindowPadding = ImVec2(0, 0);
    style.WindowBorderSize = 0;
    style.WindowRounding = 0;
    style.FramePadding = ImVec2(16, 9);
    style.FrameRounding = 10;
    style.ItemSpacing = ImVec2(10, 10);
    style.ChildRounding = 14;
    style.PopupRounding = 10;
    style.ScrollbarRounding = 8;
    style.GrabRounding = 8;
    style.GrabMinSize = 16;  // a thumb a finger can find
    style.DisabledAlpha = 0.45f;

    ImVec4* c = style.Colors;
    c[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(colors::background);
    c[ImGuiCol_ChildBg] = ImGui::ColorConvertU32ToFloat4(colors::card);
    c[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(colors::text);
    c[ImGuiCol_TextDisabled] = ImGui::ColorConvertU32ToFloat4(colors::muted);
    c[ImGuiCol_Border] = ImGui::ColorConvertU32ToFloat4(colors::card_border);
    c[ImGuiCol_Button] = ImVec4(1, 1, 1, 0.07f);
    c[ImGuiCol_ButtonHovered] = ImVec4(1, 1, 1, 0.13f);
    c[ImGuiCol_ButtonActive] = ImVec4(1, 1, 1, 0.18f);
    c[ImGuiCol_FrameBg] = ImVec4(1, 1, 1, 0.06f);
    c[ImGuiCol_FrameBgHovered] = ImVec4(1, 1, 1, 0.10f);
    c[ImGuiCol_FrameBgActive] = ImVec4(1, 1, 1, 0.14f);
    c[ImGuiCol_SliderGrab] = ImGui::ColorConvertU32ToFloat4(colors::muted);
    c[ImGuiCol_SliderGrabActive] = ImGui::ColorConvertU32ToFloat4(colors::text);
    c[ImGuiCol_PopupBg] = ImVec4(0.06f, 0.07f, 0.09f, 0.96f);
    c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_ScrollbarGrab] = ImVec4(1, 1, 1, 0.12f);
}

ImU32 with_alpha(ImU32 color, float alpha) {
    const ImU32 a = (color >> IM_COL32_A_SHIFT) & 0xFF;
    const ImU32 scaled = ImU32(float(a) * alpha + 0.5f);
    return (color & ~IM_COL32_A_MASK) | (scaled << IM_COL32_A_SHIFT);
}

ImU32 label_color(int index, int count) {
    if (count == 2) return index == 1 ? colors::accent : colors::blue;
    constexpr ImU32 palette[] = {colors::blue,
                                 colors::accent,
                                 colors::ok,
                                 colors::warning,
                                 IM_COL32(171, 110, 240, 255),
                                 IM_COL32(64, 200, 210, 255)};
    return palette[index % int(sizeof palette / sizeof palette[0])];
}

}  // namespace sl::ui
