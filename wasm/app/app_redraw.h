// wasm/app/app_redraw.h: whether this animation frame needs drawing. An ImGui app usually redraws
// 60 times a second; this one draws only when something changed (input, the state, the window
// or its pixel density): nothing moves by itself, so while the model works, frames come with
// its answers (the activity dots step once per drawn frame). An idle page then costs nothing,
// and the model's threads keep the cores: measured with software-rendered WebGL on 2 cores,
// drawing 20 frames a second made the explanation take twice as long, and a frame drawn while
// the model runs is a main-thread task of 50-200 ms there (the compositor waits for the frame
// to be rendered, to read the canvas back).
// Pairs with app_redraw.cpp; app_main.cpp asks once per frame. Skipped frames leave the canvas
// as it was: WebGL presents only frames that drew.
//
//   sl::app::Redraw redraw;
//   if (redraw.needed(had_input, frame_stamp(state, ratio, w, h), now_ms)) draw();
#pragma once
#include <array>

#include "wasm/app/app_state.h"

namespace sl::app {

// What the screen shows depends on, in a few numbers; equal stamps draw the same picture.
using FrameStamp = std::array<double, 24>;
FrameStamp frame_stamp(const AppState& state, float pixel_ratio, int width, int height);

class Redraw {
public:
    // `input`: events arrived this frame (ImGui then needs a few more frames to settle hover,
    // clicks and tooltips). `now_ms`: a monotonic clock.
    bool needed(bool input, const FrameStamp& stamp, double now_ms);

private:
    FrameStamp last_{};
    bool first_ = true;
    double settle_until_ = 0;  // keep drawing until then after input
};

}  // namespace sl::app
