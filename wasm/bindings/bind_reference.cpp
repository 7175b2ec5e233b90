// wasm/bindings/bind_reference.cpp: Embind binding for high-precision Shapley values of a photo's game
// (core/explain/reference_shap.h over core/explain/photo_game.h), what explain-bench measures explanations
// against and what the amortized explainer is trained on. Never throws into JS: a failure is
// returned as {error: "message"}.
//
//   createReference(photoBytes, cardJson, options) -> Reference | {error}
//       options (all optional): the game's (segments, compactness, sigma, displayMaxSide,
//       background, output: as createExplainer's, with its defaults), budget (evaluations in
//       all, 16384), seed (1), folds (4: cross-fitted surrogates; 1: none), batchSize (64),
//       surrogateEpochs (30)
//   reference.nextBatch()       -> {rows, tensor: Float32Array}  (rows 0 once done)
//   reference.addScores(scores) -> {} | {error}     scores: rows x card outputs per image
//   reference.done()            -> bool
//   reference.progress()        -> {evaluations, total}
//   reference.solve(classes)    -> {phi, halfA, halfB: [[per superpixel] per class], precision:
//                                   [per class], fX, fEmpty: [per class], evaluations, exact}
//                                   | {error}   (values in the output's units). classes: an
//                                   array of class indices to solve (the others stay 0; each
//                                   takes seconds), or undefined for all
//   reference.samples()         -> {rows: Uint8Array (n x superpixels, 1 = present; row 0 the
//                                   whole photo, row 1 none), values: Float64Array (n x classes,
//                                   the output's units)}
//   reference.segmentation()    -> {width, height, count, labels: Int32Array}  (display size)
//   reference.delete()          (Embind: frees the C++ object)
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "core/explain/photo_game.h"
#include "core/explain/reference_shap.h"
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

class JsReference {
public:
    JsReference(sl::PhotoGame game, sl::ReferenceShap ref) : game_(std::move(game)), ref_(std::move(ref)) {}

    val next_batch() {
        batch_ = ref_.next_batch();
        game_.inputs(batch_.present, batch_.rows, inputs_);
        val out = val::object();
        out.set("rows", batch_.rows);
        out.set("tensor", to_js(inputs_));
        return out;
    }

    val add_scores(const val& scores) {
        if (!sl::js::is_array_like(scores)) return error("addScores wants an array of numbers");
        auto values = game_.class_values(emscripten::convertJSArrayToNumberVector<float>(scores), batch_.rows);
        if (!values) return error(values.error());
        auto ok = ref_.add_values(*values);
        return ok ? val::object() : error(ok.error());
    }

    bool done() const { return ref_.done(); }

    val progress() const {
        val out = val::object();
        out.set("evaluations", ref_.evaluations());
        out.set("total", ref_.total());
        return out;
    }

    val solve(const val& classes) const {
        std::vector<int> only;
        if (!classes.isUndefined() && !classes.isNull()) {
            if (!sl::js::is_array_like(classes)) return error("solve wants an array of class indices or nothing");
            only = emscripten::convertJSArrayToNumberVector<int>(classes);
        }
        auto r = ref_.solve(only);
        if (!r) return error(r.error());
        val out = val::object();
        out.set("phi", per_row(r->phi, r->outputs, r->players));
        out.set("halfA", per_row(r->half_a, r->outputs, r->players));
        out.set("halfB", per_row(r->half_b, r->outputs, r->players));
        out.set("precision", numbers(r->precision));
        out.set("fX", numbers(r->f_full));
        out.set("fEmpty", numbers(r->f_empty));
        out.set("evaluations", r->evaluations);
        out.set("exact", r->exact);
        return out;
    }

    val samples() const {
        val out = val::object();
        out.set("rows", to_js(ref_.rows()));
        out.set("values", to_js(ref_.values()));
        return out;
    }

    val segmentation() const { return sl::js::segmentation_to_js(game_.segmentation()); }

private:
    sl::PhotoGame game_;
    sl::ReferenceShap ref_;
    sl::CoalitionBatch batch_;
    std::vector<float> inputs_;
};

val create_reference(const val& bytes, const std::string& card_json, const val& options) {
    auto card = sl::parse_model_card(card_json);
    if (!card) return error(card.error());
    if (!sl::js::is_array_like(bytes)) return error("createReference wants the photo's bytes");
    auto photo = sl::decode_image(emscripten::convertJSArrayToNumberVector<uint8_t>(bytes));
    if (!photo) return error(photo.error());

    sl::PhotoGameConfig game_config;
    sl::ReferenceShapConfig c;
    sl::js::Fields f(options, "options");
    sl::js::GameOptions game_options(f, game_config, c.link);
    f.integer("budget", 8, 1e9, c.budget);
    f.integer("seed", 0, 9007199254740992.0, c.seed);
    f.integer("folds", 1, 64, c.folds);
    f.integer("batchSize", 1, 1e6, c.batch_size);
    f.integer("surrogateEpochs", 1, 1e6, c.surrogate_epochs);
    if (std::string why = game_options.finish(); !why.empty()) return error(why);
    auto game = sl::PhotoGame::create(*photo, *card, game_config);
    if (!game) return error(game.error());
    c.players = game->players();
    c.outputs = game->classes();
    auto ref = sl::ReferenceShap::create(c);
    if (!ref) return error(ref.error());
    return val(JsReference(std::move(*game), std::move(*ref)));
}

}  // namespace

EMSCRIPTEN_BINDINGS(santa_lens_reference) {
    emscripten::class_<JsReference>("Reference")
        .function("nextBatch", &JsReference::next_batch)
        .function("addScores", &JsReference::add_scores)
        .function("done", &JsReference::done)
        .function("progress", &JsReference::progress)
        .function("solve", &JsReference::solve)
        .function("samples", &JsReference::samples)
        .function("segmentation", &JsReference::segmentation);
    emscripten::function("createReference", &create_reference);
}
