// wasm/bindings/bind_image.cpp: Embind bindings for photos and model cards (core/image/image.h, tensor.h,
// model_card.h). Like every binding here it never throws into JS: a failure is returned as
// {error: "message"}, which tools/cli/core.mjs turns into a thrown Error.
//
//   decodeImage(bytes)                      -> {width, height, rgb: Uint8Array}
//   imageTensor(bytes, cardJson)            -> {width, height, tensor: Float32Array}
//   parseModelCard(cardJson)                -> {name, model, inputName, outputName, width, height,
//                                               layout, labels, outputsPerImage, featuresName
//                                               ("" when none), featuresPerImage, explainer
//                                               (its file, "" when none), priorError}
//   encodePng(rgb, width, height)           -> {png: Uint8Array}
//   encodeJpeg(rgb, width, height, quality) -> {jpeg: Uint8Array}  (tests: re-encoded photos)
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "core/image/image.h"
#include "core/image/tensor.h"
#include "core/model/model_card.h"
#include "wasm/bindings/js_values.h"

using emscripten::val;
using sl::js::error;
using sl::js::to_js;

namespace {

std::vector<uint8_t> bytes_of(const val& array) { return emscripten::convertJSArrayToNumberVector<uint8_t>(array); }

val decode_image(const val& bytes) {
    auto img = sl::decode_image(bytes_of(bytes));
    if (!img) return error(img.error());
    val out = val::object();
    out.set("width", img->width);
    out.set("height", img->height);
    out.set("rgb", to_js(img->rgb));
    return out;
}

val image_tensor(const val& bytes, const std::string& card_json) {
    auto card = sl::parse_model_card(card_json);
    if (!card) return error(card.error());
    auto img = sl::decode_image(bytes_of(bytes));
    if (!img) return error(img.error());
    std::vector<float> tensor(card->input.tensor_size());
    sl::image_to_tensor(*img, card->input, tensor.data());
    val out = val::object();
    out.set("width", img->width);
    out.set("height", img->height);
    out.set("tensor", to_js(tensor));
    return out;
}

val parse_model_card(const std::string& card_json) {
    auto card = sl::parse_model_card(card_json);
    if (!card) return error(card.error());
    val out = val::object();
    out.set("name", card->name);
    out.set("model", card->model_file);
    out.set("modelWebgpu", card->model_file_for("webgpu"));
    out.set("inputName", card->input.name);
    out.set("outputName", card->output_name);
    out.set("width", card->input.width);
    out.set("height", card->input.height);
    out.set("layout", card->input.layout == sl::Layout::nchw ? "NCHW" : "NHWC");
    out.set("outputsPerImage", card->outputs_per_image());
    out.set("featuresName", card->features_name);
    out.set("featuresPerImage", double(card->features_per_image()));
    out.set("explainer", card->explainer_file);
    out.set("priorError", card->explainer_prior_error);
    val labels = val::array();
    for (const auto& l : card->labels) labels.call<void>("push", l);
    out.set("labels", labels);
    return out;
}

val encode_png(const val& rgb, int width, int height) {
    sl::Image img{width, height, bytes_of(rgb)};
    if (width <= 0 || height <= 0 || img.rgb.size() != size_t(width) * height * 3)
        return error("encodePng: rgb must hold width * height * 3 bytes");
    val out = val::object();
    out.set("png", to_js(sl::encode_png(img)));
    return out;
}

val encode_jpeg(const val& rgb, int width, int height, int quality) {
    sl::Image img{width, height, bytes_of(rgb)};
    if (width <= 0 || height <= 0 || img.rgb.size() != size_t(width) * height * 3)
        return error("encodeJpeg: rgb must hold width * height * 3 bytes");
    if (quality < 1 || quality > 100) return error("encodeJpeg: quality must be 1 to 100");
    val out = val::object();
    out.set("jpeg", to_js(sl::encode_jpeg(img, quality)));
    return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(santa_lens_image) {
    emscripten::function("decodeImage", &decode_image);
    emscripten::function("imageTensor", &image_tensor);
    emscripten::function("parseModelCard", &parse_model_card);
    emscripten::function("encodePng", &encode_png);
    emscripten::function("encodeJpeg", &encode_jpeg);
}
