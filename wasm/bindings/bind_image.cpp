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
//   sceneLights()                           -> ["plain", "warm", ...]  (core/image/scene.h)
//   makeScene(backgroundBytes, light, options) -> {jpeg: Uint8Array, width, height} | {error}
//       the background photo under `light`, and with options.subject and options.mask (photo
//       and mask bytes) that subject pasted on it (options.heightShare, centreX, bottom), lit
//       by options.subjectLight (0..1, default 0.4) of the same light; options.seed, quality;
//       with a subject also placedMask: a PNG of where it landed (white: the subject)
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <string>

#include "core/image/image.h"
#include "core/image/scene.h"
#include "core/image/tensor.h"
#include "core/model/model_card.h"
#include "wasm/bindings/js_fields.h"
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

val scene_lights() {
    val out = val::array();
    for (sl::SceneLight light : sl::scene_lights()) out.call<void>("push", std::string(sl::scene_light_name(light)));
    return out;
}

val make_scene(const val& background_bytes, const std::string& light_name, const val& options) {
    const auto lights = sl::scene_lights();
    const auto light = std::find_if(lights.begin(), lights.end(),
                                    [&](sl::SceneLight l) { return sl::scene_light_name(l) == light_name; });
    if (light == lights.end()) return error("makeScene: unknown light \"" + light_name + "\"");
    sl::SubjectPlacement place;
    double subject_light = 0.4, seed = 1, quality = 90;
    sl::js::Fields f(options, "options");
    f.number("heightShare", place.height_share);
    f.number("centreX", place.centre_x);
    f.number("bottom", place.bottom);
    f.number("subjectLight", subject_light);
    f.integer("seed", 0, 9007199254740992.0, seed);
    f.integer("quality", 1, 100, quality);
    if (!f.ok()) return error(f.why());
    auto background = sl::decode_image(bytes_of(background_bytes));
    if (!background) return error("background: " + background.error());
    sl::Image scene = sl::relight(*background, *light, 1, uint64_t(seed));
    val out = val::object();
    const bool has_subject = !options.isUndefined() && !options.isNull() && !options["subject"].isUndefined();
    if (has_subject) {
        auto subject = sl::decode_image(bytes_of(options["subject"]));
        if (!subject) return error("subject: " + subject.error());
        if (options["mask"].isUndefined()) return error("makeScene: a subject needs its mask");
        auto mask = sl::decode_image(bytes_of(options["mask"]));
        if (!mask) return error("mask: " + mask.error());
        const sl::Image lit = sl::relight(*subject, *light, float(subject_light), uint64_t(seed) + 1);
        std::vector<uint8_t> placed;
        auto pasted = sl::paste_subject(scene, lit, *mask, place, &placed);
        if (!pasted) return error(pasted.error());
        scene = std::move(*pasted);
        sl::Image placed_image{scene.width, scene.height, std::vector<uint8_t>(placed.size() * 3)};
        for (size_t i = 0; i < placed.size(); ++i) std::fill_n(placed_image.rgb.begin() + long(3 * i), 3, placed[i]);
        out.set("placedMask", to_js(sl::encode_png(placed_image)));
    }
    out.set("jpeg", to_js(sl::encode_jpeg(scene, int(quality))));
    out.set("width", scene.width);
    out.set("height", scene.height);
    return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(santa_lens_image) {
    emscripten::function("decodeImage", &decode_image);
    emscripten::function("imageTensor", &image_tensor);
    emscripten::function("parseModelCard", &parse_model_card);
    emscripten::function("encodePng", &encode_png);
    emscripten::function("encodeJpeg", &encode_jpeg);
    emscripten::function("sceneLights", &scene_lights);
    emscripten::function("makeScene", &make_scene);
}
