// wasm/bindings/bind_amortized.cpp: Embind binding for training the amortized explainer
// (core/explain/amortized_training.h); `santa-lens model train --explainer` feeds it the training
// photos' games (tools/cli/explainer_data.mjs) one at a time, so that the JS side never holds
// them all. Never throws into JS: a failure is returned as {error: "message"}.
//
//   createExplainerTrainer() -> Trainer
//   trainer.addPhoto({features: Uint8Array (2 x C x G x G, the photo then the masked photo),
//                     scale, segmentation: {width, height, count, labels}, target: [outputs x
//                     superpixels], delta: [outputs]}, grid) -> {} | {error}
//   trainer.train(channels, grid, outputs, options, onEpoch) -> {net: Uint8Array (the file),
//       epochs: [{epoch, loss, validation}], bestEpoch, trainingPhotos, validationPhotos} | {error}
//       options (all optional): hidden, epochs, learningRate, weightDecay, inputDropout,
//       validationEvery, seed; onEpoch({epoch, loss, validation}) -> false cancels
//   trainer.errors(netBytes) -> Float64Array: each photo's relative L2 error against its target
//   trainer.delete()
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <vector>

#include "core/explain/amortized_training.h"
#include "wasm/bindings/js_fields.h"
#include "wasm/bindings/js_game.h"
#include "wasm/bindings/js_values.h"

using emscripten::val;
using sl::js::error;
using sl::js::to_js;

namespace {

std::vector<double> numbers_of(const val& v) { return emscripten::convertJSArrayToNumberVector<double>(v); }

val epoch_to_js(const sl::AmortizedEpoch& e) {
    val out = val::object();
    out.set("epoch", e.epoch);
    out.set("loss", e.loss);
    out.set("validation", e.validation);
    return out;
}

class JsTrainer {
public:
    val add_photo(const val& p, int grid) {
        if (p.isUndefined() || p.isNull() || !sl::js::is_array_like(p["features"]) || !p["scale"].isNumber() ||
            !sl::js::is_array_like(p["target"]) || !sl::js::is_array_like(p["delta"]) || grid < 1)
            return error("addPhoto wants {features, scale, segmentation, target, delta} and the grid");
        auto seg = sl::js::segmentation_from_js(p["segmentation"], "addPhoto");
        if (!seg) return error(seg.error());
        sl::AmortizedPhoto photo;
        photo.features = emscripten::convertJSArrayToNumberVector<uint8_t>(p["features"]);
        photo.scale = p["scale"].as<float>();
        photo.cells = sl::cell_overlap(*seg, grid);
        photo.target = numbers_of(p["target"]);
        photo.delta = numbers_of(p["delta"]);
        photos_.push_back(std::move(photo));
        return val::object();
    }

    val train(int channels, int grid, int outputs, const val& options, const val& on_epoch) {
        sl::AmortizedTraining t;
        sl::js::Fields f(options, "options");
        f.integer("hidden", 1, 512, t.hidden);
        f.integer("epochs", 1, 10000, t.epochs);
        f.number("learningRate", t.learning_rate);
        f.number("weightDecay", t.weight_decay);
        f.number("inputDropout", t.input_dropout);
        f.integer("validationEvery", 2, 1e6, t.validation_every);
        f.integer("seed", 0, 9007199254740992.0, t.seed);
        if (!f.ok()) return error(f.why());
        const bool report = on_epoch.typeOf().as<std::string>() == "function";
        auto fit = sl::train_amortized_net(photos_, channels, grid, outputs, t, [&](const sl::AmortizedEpoch& e) {
            return !report || !on_epoch(epoch_to_js(e)).isFalse();
        });
        if (!fit) return error(fit.error());
        val out = val::object();
        out.set("net", to_js(sl::serialize_amortized_net(fit->net)));
        val epochs = val::array();
        for (const auto& e : fit->epochs) epochs.call<void>("push", epoch_to_js(e));
        out.set("epochs", epochs);
        out.set("bestEpoch", fit->best_epoch);
        out.set("trainingPhotos", fit->training_photos);
        out.set("validationPhotos", fit->validation_photos);
        return out;
    }

    val errors(const val& net_bytes) const {
        if (!sl::js::is_array_like(net_bytes)) return error("errors wants the explainer file's bytes");
        auto net = sl::parse_amortized_net(emscripten::convertJSArrayToNumberVector<uint8_t>(net_bytes));
        if (!net) return error(net.error());
        std::vector<double> out;
        for (const auto& p : photos_) {
            if (p.features.size() != 2 * net->input_size() || p.cells.grid != net->grid)
                return error("errors: the photos do not fit this network");
            out.push_back(sl::amortized_error(*net, p));
        }
        return to_js(out);
    }

private:
    std::vector<sl::AmortizedPhoto> photos_;
};

JsTrainer create_trainer() { return JsTrainer(); }

}  // namespace

EMSCRIPTEN_BINDINGS(santa_lens_amortized) {
    emscripten::class_<JsTrainer>("ExplainerTrainer")
        .function("addPhoto", &JsTrainer::add_photo)
        .function("train", &JsTrainer::train)
        .function("errors", &JsTrainer::errors);
    emscripten::function("createExplainerTrainer", &create_trainer);
}
