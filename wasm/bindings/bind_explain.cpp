// wasm/bindings/bind_explain.cpp: Embind bindings for explanations (core/explain/explainer.h, heatmap.h,
// colormap.h). Never throws into JS: a failure is returned as {error: "message"}.
//
//   createExplainer(photoBytes, cardJson, options) -> Explainer | {error}
//       options (all optional): segments, compactness, sigma, budget, batchSize, tolerance,
//       seed, displayMaxSide, topGroups (Owen's exact top K, 0: automatic) (numbers),
//       background ("mean" | "blur" | "#rrggbb"), estimator ("owen" | "kernel" | "amortized"),
//       sampler ("leverage" | "shap", KernelSHAP's), output ("probability" | "log-odds": the
//       units of the values), explainerNet (Uint8Array: the amortized explainer's file; absent:
//       the equal split as its prior), priorError, interaction (numbers, core/explain/prior_shap.h)
//   explainer.nextBatch()        -> {rows, tensor: Float32Array, features: bool}   (rows 0 once
//                                   done; features: also run the model's features output)
//   explainer.addScores(scores, features) -> {} | {error}    scores: rows x card outputs per
//                                   image; features (when nextBatch asked): rows x the card's
//                                   features per image, else undefined
//   explainer.start(scores, features) -> {} | {error}   the amortized estimator's first batch
//                                   (the photo, the fully masked photo) answered in advance
//   explainer.done()             -> bool
//   explainer.estimate()         -> {phi: [[per superpixel] per class], std: [[..]], fX: [..],
//                                    fEmpty: [..], convergence, evaluations, exact, range,
//                                    offManifold, probabilities: [..] (of the photo, per class),
//                                    unsettled: [[0|1 per superpixel] per class], settled: [share
//                                    of the area per class]}  (phi, std, fX, fEmpty in the output's units)
//   explainer.segmentation()     -> {width, height, count, labels: Int32Array}  (display size)
//   explainer.settings()         -> the options as the core applied them, defaults filled in
//   explainer.figure(fontBytes, title) -> {png: Uint8Array, width, height} | {error}
//   explainer.report(file, {total, explain, model} (ms), fontBytes) -> the JSON report
//                                   (core/explain/explanation_report.h), its figure layout that
//                                   of figure() with the same font; {error} before any estimate
//   explainer.delete()           (Embind: frees the C++ object)
//   colormapTable()              -> Uint8Array, 256 RGBA entries (the shader's texture)
//   resizeSegmentation(segmentation, width, height) -> {width, height, count, labels} | {error}
//                                   labels at another size, nearest neighbour, pixel centre to
//                                   pixel centre (core/explain/slic.h); also for any label map,
//                                   e.g. a 0/1 mask
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <optional>
#include <string>

#include "core/explain/colormap.h"
#include "core/explain/explainer.h"
#include "core/explain/explanation_report.h"
#include "core/explain/heatmap.h"
#include "core/explain/slic.h"
#include "core/model/model_card.h"
#include "wasm/bindings/js_fields.h"
#include "wasm/bindings/js_game.h"
#include "wasm/bindings/js_values.h"

using emscripten::val;
using sl::js::error;
using sl::js::numbers;
using sl::js::per_row;
using sl::js::to_js;

namespace {

class JsExplainer {
public:
    explicit JsExplainer(sl::Explainer ex) : ex_(std::move(ex)) {}

    val next_batch() {
        const std::span<const float> x = ex_.next_batch();
        val out = val::object();
        out.set("rows", ex_.batch_rows());
        out.set("tensor", to_js(x));
        out.set("features", ex_.needs_features());
        return out;
    }

    val add_scores(const val& scores, const val& features) { return answer(scores, features, false); }
    val start(const val& scores, const val& features) { return answer(scores, features, true); }

    bool done() const { return ex_.done(); }

    val estimate() const {
        const sl::ShapEstimate& e = ex_.estimate();
        val out = val::object();
        out.set("phi", per_row(e.phi, e.outputs, e.players));
        out.set("std", per_row(e.std_error, e.outputs, e.players));
        out.set("fX", numbers(e.f_full));
        out.set("fEmpty", numbers(e.f_empty));
        out.set("convergence", e.convergence);
        out.set("evaluations", e.evaluations);
        out.set("exact", e.exact);
        const std::vector<int64_t>& area = ex_.segment_area();
        out.set("range", e.phi.empty() ? 0.0 : sl::symmetric_range(e.phi, e.outputs, area));
        out.set("offManifold", ex_.off_manifold());
        out.set("probabilities", numbers(ex_.probabilities()));
        const std::vector<uint8_t> open = ex_.unsettled();
        out.set("unsettled", per_row(std::vector<double>(open.begin(), open.end()), e.outputs, e.players));
        val settled = val::array();
        for (int c = 0; c < e.outputs; ++c) settled.call<void>("push", ex_.settled_share(open, c));
        out.set("settled", settled);
        return out;
    }

    val segmentation() const { return sl::js::segmentation_to_js(ex_.segmentation()); }

    val settings() const {
        const sl::ExplainerConfig& c = ex_.config();
        val out = val::object();
        out.set("segments", c.game.slic.n_segments);
        out.set("compactness", c.game.slic.compactness);
        out.set("sigma", c.game.slic.sigma);
        out.set("budget", c.shap.budget);
        out.set("batchSize", c.shap.batch_size);
        out.set("tolerance", c.shap.tolerance);
        out.set("seed", double(c.shap.seed));
        out.set("displayMaxSide", c.game.display_max_side);
        out.set("background", sl::background_name(c.game.background));
        out.set("estimator", sl::estimator_name(c.estimator));
        out.set("topGroups", c.top_groups);
        out.set("sampler", c.shap.sampler == sl::ShapSampler::leverage ? "leverage" : "shap");
        out.set("priorError", c.prior.prior_error);
        out.set("interaction", c.prior.interaction);
        out.set("explainerNet", bool(c.amortized_net));
        out.set("output", sl::output_name(c.shap.link));
        return out;
    }

    val figure(const val& font_bytes, const std::string& title) const {
        const std::vector<uint8_t> font = bytes_or_none(font_bytes);
        const sl::ShapEstimate& e = ex_.estimate();
        const std::vector<double> p = ex_.probabilities();
        const std::vector<uint8_t> open = ex_.unsettled();
        sl::FigureInput in{&ex_.display(),
                           &ex_.segmentation(),
                           e.phi,
                           p,
                           ex_.card().labels,
                           title,
                           open,
                           std::string("SHAP value (") + sl::output_name(ex_.config().shap.link) + ")"};
        auto fig = sl::render_figure(in, figure_style(font));
        if (!fig) return error(fig.error());
        val out = val::object();
        out.set("png", to_js(sl::encode_png(*fig)));
        out.set("width", fig->width);
        out.set("height", fig->height);
        return out;
    }

    val report(const std::string& file, const val& ms, const val& font_bytes) const {
        if (ex_.estimate().evaluations == 0) return error("no estimate yet: answer the first batch");
        sl::js::Fields f(ms, "times");
        sl::ReportTimes t;
        f.number("total", t.total_ms);
        f.number("explain", t.explain_ms);
        f.number("model", t.model_ms);
        if (!f.ok()) return error(f.why());
        return val(sl::explanation_report(ex_, file, t, figure_style(bytes_or_none(font_bytes))));
    }

private:
    sl::Explainer ex_;

    static std::vector<uint8_t> bytes_or_none(const val& bytes) {
        return bytes.isUndefined() || bytes.isNull() ? std::vector<uint8_t>{}
                                                     : emscripten::convertJSArrayToNumberVector<uint8_t>(bytes);
    }
    // The CLI's figure: the default look, with text where the font is given.
    static sl::FigureStyle figure_style(std::span<const uint8_t> font) {
        sl::FigureStyle style;
        style.font = font;
        return style;
    }

    val answer(const val& scores, const val& features, bool first) {
        if (!sl::js::is_array_like(scores)) return error("the scores must be an array of numbers");
        const std::vector<float> v = emscripten::convertJSArrayToNumberVector<float>(scores);
        std::vector<float> f;
        if (!features.isUndefined() && !features.isNull()) {
            if (!sl::js::is_array_like(features)) return error("the features must be an array of numbers");
            f = emscripten::convertJSArrayToNumberVector<float>(features);
        }
        auto ok = first ? ex_.start(v, f) : ex_.add_scores(v, f);
        return ok ? val::object() : error(ok.error());
    }
};

val create_explainer(const val& bytes, const std::string& card_json, const val& options) {
    auto card = sl::parse_model_card(card_json);
    if (!card) return error(card.error());
    if (!sl::js::is_array_like(bytes)) return error("createExplainer wants the photo's bytes");
    auto photo = sl::decode_image(emscripten::convertJSArrayToNumberVector<uint8_t>(bytes));
    if (!photo) return error(photo.error());

    sl::ExplainerConfig c;
    sl::js::Fields f(options, "options");
    sl::js::GameOptions game(f, c.game, c.shap.link);
    f.integer("budget", 0, 1e9, c.shap.budget);
    f.integer("batchSize", 0, 1e9, c.shap.batch_size);
    f.integer("topGroups", 0, 1e9, c.top_groups);
    f.number("tolerance", c.shap.tolerance);
    f.integer("seed", 0, 9007199254740992.0, c.shap.seed);
    f.choice<sl::ShapEstimator>("estimator",
                                {{"owen", sl::ShapEstimator::owen},
                                 {"kernel", sl::ShapEstimator::kernel_shap},
                                 {"amortized", sl::ShapEstimator::amortized}},
                                c.estimator);
    f.number("priorError", c.prior.prior_error);
    f.number("interaction", c.prior.interaction);
    f.choice<sl::ShapSampler>("sampler", {{"leverage", sl::ShapSampler::leverage}, {"shap", sl::ShapSampler::kernel}},
                              c.shap.sampler);
    if (std::string why = game.finish(); !why.empty()) return error(why);
    if (!options.isUndefined() && !options.isNull() && !options["explainerNet"].isUndefined()) {
        if (!sl::js::is_array_like(options["explainerNet"]))
            return error("options.explainerNet must be the explainer file's bytes");
        auto net = sl::parse_amortized_net(emscripten::convertJSArrayToNumberVector<uint8_t>(options["explainerNet"]));
        if (!net) return error(net.error());
        c.amortized_net = std::make_shared<const sl::AmortizedNet>(std::move(*net));
    }
    auto ex = sl::Explainer::create(*photo, *card, c);
    if (!ex) return error(ex.error());
    return val(JsExplainer(std::move(*ex)));
}

val colormap_table() {
    const sl::ColormapLut& lut = sl::red_transparent_blue();
    return to_js(std::vector<uint8_t>(lut.front().data(), lut.front().data() + 4 * lut.size()));
}

val resize_segmentation(const val& segmentation, int width, int height) {
    auto seg = sl::js::segmentation_from_js(segmentation, "resizeSegmentation");
    if (!seg) return error(seg.error());
    if (width < 1 || height < 1 || int64_t(width) * height > int64_t(1) << 28)
        return error("resizeSegmentation: the new size must be 1 to 2^28 pixels");
    return sl::js::segmentation_to_js(sl::resize_segmentation(*seg, width, height));
}

}  // namespace

EMSCRIPTEN_BINDINGS(santa_lens_explain) {
    emscripten::class_<JsExplainer>("Explainer")
        .function("nextBatch", &JsExplainer::next_batch)
        .function("addScores", &JsExplainer::add_scores)
        .function("start", &JsExplainer::start)
        .function("done", &JsExplainer::done)
        .function("estimate", &JsExplainer::estimate)
        .function("segmentation", &JsExplainer::segmentation)
        .function("settings", &JsExplainer::settings)
        .function("figure", &JsExplainer::figure)
        .function("report", &JsExplainer::report);
    emscripten::function("createExplainer", &create_explainer);
    emscripten::function("colormapTable", &colormap_table);
    emscripten::function("resizeSegmentation", &resize_segmentation);
}
