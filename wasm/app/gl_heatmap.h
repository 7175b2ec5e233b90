// wasm/app/gl_heatmap.h: heatmaps drawn on the GPU with shaders/heatmap.{vert,frag} (embedded at
// build time by wasm/app/CMakeLists.txt), inside ImGui's draw order.
//
//   sl::gl::HeatmapLayer layer;
//   if (auto ok = layer.init(); !ok) show(ok.error());      // after the GL context exists
//   each frame:  layer.sync(state.explanation);             // uploads only what changed
//                layer.draw(ImGui::GetWindowDrawList(), {p0, p1, cls, range, opacity, borders});
//
// Textures (what the fragment shader reads): the photo at display size (RGB8), the superpixel
// label of each of its pixels (R32I), the values (R32F, one texel per superpixel and class),
// and core/explain/colormap.h's 256-entry table (RGBA8, the same bytes the CPU renderer uses, so the
// screen and the exported PNG agree). After every batch only the small value texture is
// uploaded; switching class, opacity or borders changes uniforms only.
// draw() adds an ImDrawList callback that runs the shader over the panel's rectangle (clipped
// like the ImGui items around it) and then restores ImGui's render state.
#pragma once
#include <array>
#include <deque>

#include "core/base/result.h"
#include "imgui.h"
#include "wasm/app/app_state.h"

namespace sl::gl {

// One panel to draw this frame.
struct HeatmapPanel {
    ImVec2 p0, p1;         // the photo's rectangle, ImGui coordinates (CSS pixels)
    int class_index = 0;   // which class's values
    float range = 0;       // the colour map spans [-range, range]
    float opacity = 1;     // multiplies the colour map's alpha
    bool borders = false;  // outline the superpixels
};

class HeatmapLayer {
public:
    // Compiles and links the shaders, uploads the colour map. Needs a current WebGL2 context.
    // Errors: the shader compiler's or linker's log.
    Result<void> init();

    // Uploads the photo and labels when the explainer changed (explanation.generation), the
    // values when a batch came in (explanation.revision).
    void sync(const app::Explanation& explanation);

    // True when values are uploaded and the program is ready: draw() would show something.
    bool ready() const { return program_ != 0 && has_values_; }

    // Queues `panel` on `draw_list`. Call between ImGui::NewFrame and ImGui::Render.
    void draw(ImDrawList* draw_list, const HeatmapPanel& panel);

    // Draws the shader once, over one pixel of `draw_list` (the background list: the app's
    // window covers it), with the placeholder textures init() made: a software GL (SwiftShader)
    // compiles a shader for the GPU when it is first drawn, 100-200 ms measured here, which then
    // falls on the first frame of a heatmap instead of on startup. Once; later calls do nothing.
    void warm_up(ImDrawList* draw_list);

    // Forgets the panels queued for the last frame (call once per frame, before drawing).
    void begin_frame() { queued_.clear(); }

    void destroy();

private:
    struct Queued {
        HeatmapLayer* layer;
        HeatmapPanel panel;
    };
    static void run(const ImDrawList* list, const ImDrawCmd* cmd);
    void render(const HeatmapPanel& panel, const ImVec4& clip) const;

    unsigned program_ = 0, vao_ = 0;
    unsigned photo_ = 0, labels_ = 0, values_ = 0, colormap_ = 0;  // textures
    struct Uniforms {
        int rect, photo, labels, values, colormap, class_index, range, grey_range, underlay_alpha, opacity, borders,
            border_colour, classes, unsettled_alpha, hatch_period;
    } u_{};
    int generation_ = -1, revision_ = -1;
    bool has_values_ = false;
    bool warmed_up_ = false;
    int classes_ = 0;
    std::array<float, 2> grey_range_{0, 255};
    std::deque<Queued> queued_;  // stable addresses: ImGui keeps pointers until it renders
};

}  // namespace sl::gl
