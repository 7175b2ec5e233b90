// wasm/bindings/bind_masking.cpp: Embind bindings for core/explain/masking.h: model inputs of a photo with chosen
// superpixels switched off, for measures that need their own fill whatever the explainer used
// (explain-bench's deletion and insertion curves, tools/cli/explain_bench.mjs). Never throws into
// JS: a failure is returned as {error: "message"}.
//
//   createMasker(photoBytes, cardJson, segmentation, background) -> Masker | {error}
//       segmentation: {width, height, count, labels} as explainer.segmentation() gives it
//       background: "mean" | "blur" | "#rrggbb"
//   masker.maskedInputs(present, rows) -> Float32Array (rows x the card's input, its layout) | {error}
//       present: rows x count bytes, 1 = the superpixel shows the photo, 0 = the background
//   masker.classProbabilities(outputs) -> Float32Array (images x classes, the card's labels) | {error}
//       outputs: the model's raw outputs for some images, card outputs per image each
//   masker.delete()                    (Embind: frees the C++ object)
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <vector>

#include "core/explain/masking.h"
#include "core/image/image.h"
#include "core/model/model_card.h"
#include "wasm/bindings/js_game.h"
#include "wasm/bindings/js_values.h"

using emscripten::val;
using sl::js::error;
using sl::js::to_js;

namespace {

class JsMasker {
public:
    JsMasker(sl::ModelCard card, sl::Masker masker) : card_(std::move(card)), masker_(std::move(masker)) {}

    val masked_inputs(const val& present_js, int rows) const {
        if (!sl::js::is_array_like(present_js) || rows < 0)
            return error("maskedInputs wants the present bytes and a row count");
        const std::vector<uint8_t> present = emscripten::convertJSArrayToNumberVector<uint8_t>(present_js);
        if (present.size() != size_t(rows) * size_t(masker_.segments()))
            return error("maskedInputs: expected " + std::to_string(size_t(rows) * size_t(masker_.segments())) +
                         " present bytes (rows x superpixels), got " + std::to_string(present.size()));
        std::vector<float> out(size_t(rows) * masker_.tensor_size());
        masker_.masked_inputs(present, rows, out.data());
        return to_js(out);
    }

    val class_probabilities(const val& outputs_js) const {
        if (!sl::js::is_array_like(outputs_js)) return error("classProbabilities wants an array of model outputs");
        const std::vector<float> outputs = emscripten::convertJSArrayToNumberVector<float>(outputs_js);
        const size_t per = size_t(card_.outputs_per_image());
        if (outputs.size() % per != 0)
            return error("classProbabilities: " + std::to_string(outputs.size()) +
                         " outputs are not a whole number of images");
        std::vector<float> out;
        for (size_t i = 0; i < outputs.size(); i += per) {
            const std::vector<float> p = card_.class_probabilities(std::span(outputs).subspan(i, per));
            out.insert(out.end(), p.begin(), p.end());
        }
        return to_js(out);
    }

private:
    sl::ModelCard card_;
    sl::Masker masker_;
};

val create_masker(const val& bytes, const std::string& card_json, const val& segmentation,
                  const std::string& background) {
    auto card = sl::parse_model_card(card_json);
    if (!card) return error(card.error());
    if (!sl::js::is_array_like(bytes)) return error("createMasker wants the photo's bytes");
    auto photo = sl::decode_image(emscripten::convertJSArrayToNumberVector<uint8_t>(bytes));
    if (!photo) return error(photo.error());
    auto bg = sl::parse_background(background);
    if (!bg) return error(bg.error());
    auto seg = sl::js::segmentation_from_js(segmentation, "createMasker");
    if (!seg) return error(seg.error());
    auto masker = sl::Masker::create(*photo, *seg, card->input, *bg);
    if (!masker) return error(masker.error());
    return val(JsMasker(std::move(*card), std::move(*masker)));
}

}  // namespace

EMSCRIPTEN_BINDINGS(santa_lens_masking) {
    emscripten::class_<JsMasker>("Masker")
        .function("maskedInputs", &JsMasker::masked_inputs)
        .function("classProbabilities", &JsMasker::class_probabilities);
    emscripten::function("createMasker", &create_masker);
}
