// wasm/bindings/js_game.h: what the bindings that play a photo's game (core/explain/photo_game.h) share:
// createExplainer and createReference read the options that define it the same way (segments,
// compactness, sigma, displayMaxSide: numbers; background: "mean" | "blur" | "#rrggbb"; output:
// "probability" | "log-odds", the units of the values) and hand out its superpixels alike.
//
//   sl::js::Fields f(options, "options");
//   sl::js::GameOptions game(f, config.game, config.link);
//   f.integer("budget", 0, 1e9, config.budget);               // the binding's own fields
//   if (std::string why = game.finish(); !why.empty()) return error(why);
#pragma once
#include <optional>
#include <string>

#include "core/explain/kernel_shap.h"
#include "core/explain/photo_game.h"
#include "wasm/bindings/js_fields.h"
#include "wasm/bindings/js_values.h"

namespace sl::js {

class GameOptions {
public:
    GameOptions(Fields& f, PhotoGameConfig& game, ShapLink& link) : f_(f), game_(game) {
        f.integer("segments", 1, 1e9, game.slic.n_segments);
        f.integer("displayMaxSide", 0, 1e9, game.display_max_side);
        f.number("compactness", game.slic.compactness);
        f.number("sigma", game.slic.sigma);
        f.choice<ShapLink>("output", {{"probability", ShapLink::identity}, {"log-odds", ShapLink::logit}}, link);
        f.text("background", background_);
    }
    // Empty when every field (the binding's own too) was good, else the first problem.
    std::string finish() {
        if (!f_.ok()) return f_.why();
        if (background_) {
            auto parsed = parse_background(*background_);
            if (!parsed) return parsed.error();
            game_.background = *parsed;
        }
        return {};
    }

private:
    Fields& f_;
    PhotoGameConfig& game_;
    std::optional<std::string> background_;
};

// {width, height, count, labels: Int32Array}: the superpixels at display size.
inline emscripten::val segmentation_to_js(const Segmentation& s) {
    emscripten::val out = emscripten::val::object();
    out.set("width", s.width);
    out.set("height", s.height);
    out.set("count", s.count);
    out.set("labels", to_js(std::vector<int>(s.labels.begin(), s.labels.end())));
    return out;
}

}  // namespace sl::js
