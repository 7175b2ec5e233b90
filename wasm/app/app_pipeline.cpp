// wasm/app/app_pipeline.cpp: the app's state changes (see app_pipeline.h).
#include "wasm/app/app_pipeline.h"

#include <emscripten/emscripten.h>

#include <algorithm>

#include "core/image/tensor.h"
#include "wasm/app/app_explain.h"
#include "wasm/app/gl_texture.h"

namespace sl::app {

namespace {

// The photo's model input and, for the amortized explainer, its fully masked copy's after it:
// the prediction's one run then also gives the explanation's first estimate.
void prepare_input(AppState& s, const Image& image) {
    const double t0 = emscripten_get_now();
    const InputSpec& spec = s.model.card->input;
    s.input.assign(spec.tensor_size(), 0.f);
    image_to_tensor(image, spec, s.input.data());
    s.input_rows = 1;
    if (s.settings.estimator == ShapEstimator::amortized) {
        const std::vector<float> masked = background_tensor(image, spec, Background{s.settings.background});
        s.input.insert(s.input.end(), masked.begin(), masked.end());
        s.input_rows = 2;
    }
    s.preprocess_ms = emscripten_get_now() - t0;
}

// The features are worth fetching only for a network that reads them.
bool wants_features(const AppState& s) { return s.model.explainer && !s.model.card->features_name.empty(); }

// Uploads the photo for display: no side over what GL allows, nor over 2048 px (the canvas
// never needs more; the antialiased resize keeps it clean).
void show_photo(AppState& s, const Image& image) {
    const int limit = std::min(2048, gl::max_texture_size());
    const int side = std::max(image.width, image.height);
    if (side > limit) {
        const double k = double(limit) / side;
        const Image shown =
            resize_image(image, std::max(1, int(image.width * k + 0.5)), std::max(1, int(image.height * k + 0.5)));
        s.photo.texture = gl::upload_texture(shown, s.photo.texture);
        s.photo.texture_width = shown.width;
        s.photo.texture_height = shown.height;
    } else {
        s.photo.texture = gl::upload_texture(image, s.photo.texture);
        s.photo.texture_width = image.width;
        s.photo.texture_height = image.height;
    }
    s.photo.width = image.width;
    s.photo.height = image.height;
}

constexpr const char* model_missing = "This photo cannot be classified: the model did not load.";

}  // namespace

Result<void> set_model_card(AppState& s, std::string_view json) {
    auto card = parse_model_card(json);
    if (!card) {
        set_model_failed(s, "The model card is invalid: " + card.error());
        return fail(s.model.message);
    }
    s.model.card = std::move(*card);
    if (s.awaiting_card) {
        prepare_input(s, *s.awaiting_card);
        s.source = std::move(*s.awaiting_card);
        s.awaiting_card.reset();
    }
    return {};
}

void set_model_progress(AppState& s, double loaded, double total) {
    s.model.bytes_loaded = loaded;
    s.model.bytes_total = total;
}

void set_model_starting(AppState& s) { s.model.starting = true; }

void set_model_ready(AppState& s, std::string backend, int threads, double load_ms) {
    s.model.phase = ModelPhase::ready;
    s.model.starting = false;
    s.model.backend = std::move(backend);
    s.model.threads = threads;
    s.model.load_ms = load_ms;
}

void set_model_failed(AppState& s, std::string message) {
    s.model.phase = ModelPhase::failed;
    s.model.starting = false;
    s.model.message = std::move(message);
    if (s.running) {
        s.running = false;
        s.error = model_missing;
    }
    clear_explanation(s);
}

Result<void> accept_photo(AppState& s, const uint8_t* rgb, int width, int height, std::string name) {
    auto image = image_from_rgb(rgb, width, height);
    if (!image) {
        const std::string what = name.empty() ? "the pasted image" : "\u201c" + name + "\u201d";
        s.error = "Could not use " + what + ": " + image.error() + ".";
        return fail(s.error);
    }
    show_photo(s, *image);
    s.photo.name = std::move(name);
    s.error.clear();
    s.prediction.reset();
    clear_explanation(s);  // a new photo cancels the old explanation
    s.request_id = ++s.last_request_id;
    s.request_sent = false;
    s.input.clear();
    s.prediction_run.reset();
    s.awaiting_card.reset();
    s.running = s.model.phase != ModelPhase::failed;
    s.source.reset();
    if (!s.running) {
        s.error = model_missing;
    } else if (s.model.card) {
        prepare_input(s, *image);
        s.source = std::move(*image);
    } else {
        s.awaiting_card = std::move(*image);
    }
    return {};
}

void reject_photo(AppState& s, std::string message) { s.error = std::move(message); }

void accept_scores(AppState& s, int id, std::span<const float> scores, double inference_ms,
                   std::span<const float> features) {
    if (explain_scores(s, id, scores, inference_ms, features)) return;
    if (id != s.request_id || !s.model.card) return;  // an older photo's answer
    s.running = false;
    const int expected = s.model.card->outputs_per_image();
    if (int(scores.size()) < expected) {
        s.error = "The model gave " + std::to_string(scores.size()) + " outputs; its card says " +
                  std::to_string(expected) + ".";
        return;
    }
    Prediction p = prediction_from_scores(*s.model.card, std::vector<float>(scores.begin(), scores.begin() + expected));
    p.preprocess_ms = s.preprocess_ms;
    p.inference_ms = inference_ms;
    s.prediction = std::move(p);
    if (s.input_rows == 2 && scores.size() >= size_t(2 * expected)) {
        const size_t f = 2 * s.model.card->features_per_image();
        s.prediction_run = PredictionRun{
            std::vector<float>(scores.begin(), scores.begin() + 2 * expected),
            features.size() == f ? std::vector<float>(features.begin(), features.end()) : std::vector<float>{},
            s.settings.background};
    }
    start_explanation(s);
}

void run_failed(AppState& s, int id, std::string_view message) {
    if (explain_failed(s, id, message)) return;
    if (id != s.request_id) return;
    s.running = false;
    s.error = "The model failed on this photo: " + std::string(message);
}

ModelRequest model_request(const ModelCard& card, int id, const float* input, int rows, bool with_features) {
    const InputSpec& spec = card.input;
    const bool nchw = spec.layout == Layout::nchw;
    return ModelRequest{id,
                        input,
                        int(spec.tensor_size()) * rows,
                        &spec,
                        {rows, nchw ? 3 : spec.height, nchw ? spec.height : spec.width, nchw ? spec.width : 3},
                        &card.output_name,
                        card.outputs_per_image() * rows,
                        with_features ? &card.features_name : nullptr,
                        with_features ? int(card.features_per_image()) * rows : 0};
}

std::optional<ModelRequest> take_request(AppState& s) {
    if (!s.running || s.request_sent || s.model.phase != ModelPhase::ready || s.input.empty()) return {};
    s.request_sent = true;
    return model_request(*s.model.card, s.request_id, s.input.data(), s.input_rows,
                         s.input_rows == 2 && wants_features(s));
}

Result<void> set_explainer(AppState& s, std::span<const uint8_t> bytes) {
    auto net = parse_amortized_net(bytes);
    if (!net) {
        explainer_failed(s, net.error());
        return fail(s.model.explainer_note);
    }
    s.model.explainer = std::make_shared<const AmortizedNet>(std::move(*net));
    s.model.explainer_note.clear();
    return {};
}

void explainer_failed(AppState& s, std::string message) {
    s.model.explainer.reset();
    s.model.explainer_note =
        "No first estimate from the prediction (" + std::move(message) + "): explanations start from equal shares.";
}

}  // namespace sl::app
