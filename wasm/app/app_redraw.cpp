// wasm/app/app_redraw.cpp: when to draw (see app_redraw.h).
#include "wasm/app/app_redraw.h"

namespace sl::app {

namespace {

constexpr double kSettleMs = 500;  // frames drawn after the last input event

}  // namespace

FrameStamp frame_stamp(const AppState& s, float pixel_ratio, int width, int height) {
    const Explanation& e = s.explanation;
    return {double(pixel_ratio),
            double(width),
            double(height),
            double(s.model.phase),
            s.model.bytes_loaded,
            double(s.model.starting),
            double(s.model.card.has_value()),
            double(s.photo.texture),
            double(s.photo.width),
            double(s.photo.height),
            double(s.request_id),
            double(s.prediction.has_value()),
            double(s.running),
            double(s.error.size()),
            double(s.drag_hover),
            double(e.phase),
            double(e.generation),
            double(e.revision),
            double(s.view.show),
            double(s.view.opacity),
            double(s.view.borders),
            double(s.settings.segments),
            double(s.settings.background),
            double(s.settings.budget)};
}

bool Redraw::needed(bool input, const FrameStamp& stamp, double now) {
    if (input) settle_until_ = now + kSettleMs;
    const bool draw = first_ || stamp != last_ || now < settle_until_;
    if (draw) {
        first_ = false;
        last_ = stamp;
    }
    return draw;
}

}  // namespace sl::app
