// wasm/main_loop.h: a `while (frame())` loop that a browser can run.
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
#pragma once
#include <emscripten/emscripten.h>

#include <functional>
#include <utility>

namespace sl {

namespace detail {
struct MainLoop {
    std::function<bool()> frame;
    std::function<void()> on_exit;
};
inline MainLoop& main_loop() {
    static MainLoop loop;
    return loop;
}
inline void main_loop_tick() {
    MainLoop& loop = main_loop();
    if (loop.frame()) return;
    emscripten_cancel_main_loop();
    if (loop.on_exit) loop.on_exit();
}
}  // namespace detail

// Calls `frame` once per display refresh until it returns false, then `on_exit`.
inline void run_main_loop(std::function<bool()> frame, std::function<void()> on_exit = {}) {
    detail::main_loop() = {std::move(frame), std::move(on_exit)};
    emscripten_set_main_loop(detail::main_loop_tick, 0, true);  // 0: requestAnimationFrame
}

}  // namespace sl
