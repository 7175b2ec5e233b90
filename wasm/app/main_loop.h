// wasm/app/main_loop.h: a `while (frame())` loop that a browser can run.
//
// Why this exists: a browser tab cannot block in a loop; it calls us once per animation frame.
// Emscripten's emscripten_set_main_loop takes a plain function pointer, so app_main.cpp would
// have to keep its state in globals. Here a lambda carries the state instead, and main() keeps
// reading top to bottom: setup, loop, cleanup (the habit of ImGui's emscripten_mainloop_stub.h).
//
//   sl::run_main_loop([&] { return frame(app); });  // frame() returns false to stop
//
// In the browser run_main_loop() does not return: Emscripten throws to leave main() and then
// calls the frame function from requestAnimationFrame. main()'s stack frame is not unwound, so
// locals captured by reference stay valid. When a frame returns false the loop is cancelled and
// `on_exit` runs (the cleanup main() would run after a native loop).
//
//   sl::doze_main_loop(200);  // in a frame that found nothing to do: a tick every 200 ms
//   sl::wake_main_loop();     // when something happens: a tick per display refresh again, now
//
// Why dozing: requestAnimationFrame alone, with nothing drawn, keeps the main thread and the
// compositor at about 9% of a core in headless Chromium; on 2 cores that is time the model's
// threads lose while the page waits for them. Whoever changes the app's state from outside the
// loop (a model answer, an input event) wakes it; the slow tick only bounds a missed wake.
#pragma once
#include <emscripten/emscripten.h>

#include <functional>
#include <utility>

namespace sl {

namespace detail {
struct MainLoop {
    std::function<bool()> frame;
    std::function<void()> on_exit;
    bool dozing = false;
    bool in_tick = false;
};
inline MainLoop& main_loop() {
    static MainLoop loop;
    return loop;
}
inline void main_loop_tick() {
    MainLoop& loop = main_loop();
    loop.in_tick = true;
    const bool go_on = loop.frame();
    loop.in_tick = false;
    if (go_on) return;
    emscripten_cancel_main_loop();
    if (loop.on_exit) loop.on_exit();
}
}  // namespace detail

// Calls `frame` once per display refresh until it returns false, then `on_exit`.
inline void run_main_loop(std::function<bool()> frame, std::function<void()> on_exit = {}) {
    detail::main_loop() = {std::move(frame), std::move(on_exit)};
    emscripten_set_main_loop(detail::main_loop_tick, 0, true);  // 0: requestAnimationFrame
}

// From the next tick on, one tick every `ms` until wake_main_loop().
inline void doze_main_loop(int ms) {
    detail::MainLoop& loop = detail::main_loop();
    if (loop.dozing) return;
    loop.dozing = true;
    emscripten_set_main_loop_timing(EM_TIMING_SETTIMEOUT, ms);
}

// A tick per display refresh again. Outside a tick the pending slow tick is dropped (pausing
// makes it stale) and the next one is asked of requestAnimationFrame at once.
inline void wake_main_loop() {
    detail::MainLoop& loop = detail::main_loop();
    if (!loop.dozing) return;
    loop.dozing = false;
    if (loop.in_tick) {
        emscripten_set_main_loop_timing(EM_TIMING_RAF, 1);
        return;
    }
    emscripten_pause_main_loop();
    emscripten_set_main_loop_timing(EM_TIMING_RAF, 1);
    emscripten_resume_main_loop();
}

}  // namespace sl
