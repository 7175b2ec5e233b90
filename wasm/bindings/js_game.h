// wasm/bindings/js_game.h: what the bindings that play a photo's game (core/explain/photo_game.h) share:
// createExplainer and createReference read the options that define it the same way (segments,
// compactness, sigma, displayMaxSide: numbers; background: "mean" | "blur" | "#rrggbb"; output:
// "probability" | "log-odds", the units of the values) and hand out its superpixels alike; the
// bindings that take superpixels back (createMasker, the explainer's trainer, resizeSegmentation)
// read them alike.
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

// {width, height, count, labels}, as segmentation_to_js gives it, back to the core: labels must
// fill width x height and lie in 0..count-1. `who` names the caller in the error.
inline Result<Segmentation> segmentation_from_js(const emscripten::val& s, const std::string& who) {
    const std::string want = who + " wants a segmentation {width, height, count, labels}";
    if (s.isNull() || s.typeOf().as<std::string>() != "object" || !s["width"].isNumber() || !s["height"].isNumber() ||
        !s["count"].isNumber() || !is_array_like(s["labels"]))
        return fail(want);
    Segmentation seg{s["width"].as<int>(), s["height"].as<int>(), s["count"].as<int>(),
                     emscripten::convertJSArrayToNumberVector<int32_t>(s["labels"])};
    if (seg.width < 1 || seg.height < 1 || seg.count < 1 || seg.labels.size() != size_t(seg.width) * seg.height)
        return fail(who + ": the segmentation's labels do not fill its width x height");
    for (int32_t l : seg.labels)
        if (l < 0 || l >= seg.count) return fail(who + ": a label is outside 0..count-1");
    return seg;
}

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
