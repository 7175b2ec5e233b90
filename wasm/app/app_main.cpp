// wasm/app/app_main.cpp: the santa-lens browser app: an SDL2 window with a WebGL2 context on the
// page's <canvas id="canvas">, Dear ImGui drawing the UI, the page (web/main.mjs) doing I/O and
// running the model. Reads like ImGui's example_emscripten_opengl3: setup, main loop, cleanup.
//
// Implemented: [x] photo from drop / paste / file picker (decoded by the core, in the page's decode worker)
//              [x] prediction with ONNX Runtime Web (WebGPU or WASM), label, probabilities, timings
//              [x] model download progress, clear errors for bad files and a missing model
//              [x] crisp text at any devicePixelRatio; ARIA live regions mirror the state
//              [x] SHAP heatmaps refining live (GPU shaders), class / opacity / borders /
//                  superpixels / background, hover values, Cancel, PNG and JSON export
//              [x] phone-sized windows (the page scrolls) and touch input
// Not yet:     [ ] keyboard navigation inside the canvas (the page's buttons cover choosing a photo)
#include <SDL.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <cstdio>

#include "backends/imgui_impl_opengl3.h"
#include "backends/imgui_impl_sdl.h"
#include "imgui.h"
#include "wasm/app/app_bridge.h"
#include "wasm/app/app_explain.h"
#include "wasm/app/app_redraw.h"
#include "wasm/app/app_state.h"
#include "wasm/app/gl_heatmap.h"
#include "wasm/app/gl_texture.h"
#include "wasm/app/main_loop.h"
#include "wasm/app/ui.h"
#include "wasm/app/ui_theme.h"

#include <GLES3/gl3.h>

namespace {

constexpr int kDozeMs = 200;  // a tick this often while nothing happens (main_loop.h)

// What the user asked for this frame.
void act(sl::app::AppState& state, const sl::ui::Actions& actions, const sl::ui::Theme& theme) {
    for (const auto& [key, value] : actions.settings) (void)sl::app::apply_setting(state, key, value);
    if (actions.cancel) sl::app::cancel_explanation(state);
    if (actions.resume) sl::app::resume_explanation(state);
    if (actions.export_png) sl::app::download_png(state, theme.font_data);
    if (actions.export_json) sl::app::download_json(state, theme.font_data);
    if (actions.pick_file) sl::app::request_file_picker();
}

// One frame: events, UI, draw (only when something changed: app_redraw.h), then act, give the
// model its next work (one small step) and mirror the state into the page; doze when nothing
// happened. Returns true to go on.
bool frame(SDL_Window* window, sl::app::AppState& state, sl::ui::Theme& theme, sl::gl::HeatmapLayer& heatmap,
           sl::app::Redraw& redraw, bool& drew_last_frame) {
    SDL_Event event;
    bool input = false;
    while (SDL_PollEvent(&event)) {
        ImGui_ImplSDL2_ProcessEvent(&event);
        input = true;
    }

    // Moved to a screen of another density: re-rasterise the fonts for it.
    const float pixel_ratio = float(emscripten_get_device_pixel_ratio());
    if (sl::ui::fonts_need_rebuild(theme, pixel_ratio)) sl::ui::load_fonts(theme, pixel_ratio);

    int width = 0, height = 0;
    SDL_GL_GetDrawableSize(window, &width, &height);
    const bool drew_before = drew_last_frame;
    const sl::app::FrameStamp stamp = sl::app::frame_stamp(state, pixel_ratio, width, height);
    drew_last_frame = redraw.needed(input, stamp, emscripten_get_now());
    if (!drew_last_frame) {
        sl::app::pump(state);  // nothing to draw; the work goes on
        sl::app::announce(state);
        // Nothing to draw, and the step changed nothing to draw: what comes next comes from
        // outside (the model's answer, the user, the page), and each of those wakes the loop.
        if (!input && sl::app::frame_stamp(state, pixel_ratio, width, height) == stamp) sl::doze_main_loop(kDozeMs);
        return true;
    }
    sl::wake_main_loop();  // a slow tick found something to draw

    heatmap.sync(state.explanation);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    const sl::ui::Actions actions = sl::ui::draw_app(state, theme, heatmap);
    heatmap.warm_up(ImGui::GetBackgroundDrawList());  // the first frame, at startup
    ImGui::Render();

    glViewport(0, 0, width, height);
    const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(sl::ui::colors::background);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    SDL_GL_SwapWindow(window);

    act(state, actions, theme);
    // Work goes to frames that draw nothing: a step of the explanation (milliseconds to tens of
    // them) is not added to a drawn frame's task, and the model starts only after the frame is
    // on screen. With software WebGL the compositor waits on the main thread until the frame is
    // rendered; measured on 2 cores, that wait grew from under 50 ms to 100-200 ms when the
    // model's threads started at the same moment. Only while frames are drawn back to back (the
    // pointer moving) does the work share them.
    if (drew_before) sl::app::pump(state);
    sl::app::announce(state);
    sl::app::publish_layout(sl::ui::targets_json(actions.targets));
    return true;
}

}  // namespace

int main(int, char**) {
    // --- setup: a WebGL2 (OpenGL ES 3.0) context on #canvas ---------------------------------
    // Keyboard only while the canvas has focus, so that Ctrl+V (paste a photo) reaches the page.
    SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    // The page sizes the canvas with CSS (full window); RESIZABLE makes SDL follow it,
    // ALLOW_HIGHDPI gives it devicePixelRatio backing pixels.
    SDL_Window* window = SDL_CreateWindow("santa-lens", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 1280, 800,
                                          SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    SDL_GLContext gl_context = window ? SDL_GL_CreateContext(window) : nullptr;
    if (!gl_context) {
        std::fprintf(stderr, "santa-lens needs WebGL2: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_MakeCurrent(window, gl_context);
    SDL_GL_SetSwapInterval(1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // nothing to save between visits yet

    sl::ui::Theme theme;
    theme.font_data = sl::app::take_font_bytes();
    sl::ui::load_fonts(theme, float(emscripten_get_device_pixel_ratio()));
    sl::ui::apply_style();
    ImGui_ImplSDL2_InitForOpenGL(window, gl_context);
    ImGui_ImplOpenGL3_Init("#version 300 es");

    // Without the shaders the app still classifies and explains (the console says why no map).
    static sl::gl::HeatmapLayer heatmap;
    const sl::Result<void> shaders = heatmap.init();
    if (!shaders) std::fprintf(stderr, "santa-lens: no heatmaps: %s\n", shaders.error().c_str());

    static sl::app::AppState state;  // the page's exported functions reach it through the bridge
    sl::app::attach_bridge(state);
    sl::app::announce(state);

    // --- main loop ----------------------------------------------------------------------------
    sl::app::Redraw redraw;
    bool drew_last_frame = false;
    sl::run_main_loop([&] { return frame(window, state, theme, heatmap, redraw, drew_last_frame); },
                      // --- cleanup (when a frame asks to stop; a closing tab just goes away) --
                      [&] {
                          sl::gl::delete_texture(state.photo.texture);
                          heatmap.destroy();
                          ImGui_ImplOpenGL3_Shutdown();
                          ImGui_ImplSDL2_Shutdown();
                          ImGui::DestroyContext();
                          SDL_GL_DeleteContext(gl_context);
                          SDL_DestroyWindow(window);
                          SDL_Quit();
                      });
    return 0;
}
