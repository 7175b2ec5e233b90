// wasm/app/app_pipeline.h: how the app's state changes when the page reports something: the model
// card, download progress, the model ready or failed, a decoded photo, scores. Pure C++ over
// AppState (plus the photo's GL texture); app_bridge.cpp calls these from its exports and sends
// the request take_request() hands out to JS. The explanation that follows a prediction is
// app_explain.h; scores for its batches come through accept_scores too.
//
//   if (!accept_photo(state, rgb, w, h, "santa.jpg")) show(state.error);
//   if (auto r = take_request(state)) ...run the model, later:
//   accept_scores(state, r->id, scores, ms, features);
//
// A photo may come before the card (it waits as an Image) or before the model (its tensor
// waits); the request goes out once both are there. Answers to older requests are dropped.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "wasm/app/app_state.h"

namespace sl::app {

// One inference the page should run: one photo (the prediction) or a batch of masked photos
// (the explanation).
struct ModelRequest {
    int id = 0;                    // pass back to accept_scores / run_failed
    const float* input = nullptr;  // input_count floats, valid until the state changes again
    int input_count = 0;
    const InputSpec* spec = nullptr;  // input name, size, layout
    int dims[4] = {};                 // the input tensor's shape (rows, 3, h, w) or (rows, h, w, 3)
    const std::string* output_name = nullptr;
    int outputs = 0;                             // floats expected back
    const std::string* features_name = nullptr;  // also this output (the spatial features), or none
    int features = 0;                            // its floats expected back
};

// The request for `rows` inputs of the card's shape starting at `input`, with the card's spatial
// features too when `with_features`.
ModelRequest model_request(const ModelCard& card, int id, const float* input, int rows, bool with_features = false);

// The card's JSON text. Fails (and marks the model failed) when the card is invalid.
Result<void> set_model_card(AppState& state, std::string_view json);
void set_model_progress(AppState& state, double loaded_bytes, double total_bytes);
void set_model_starting(AppState& state);
void set_model_ready(AppState& state, std::string backend, int threads, double load_ms);
void set_model_failed(AppState& state, std::string message);

// A decoded photo (RGBA8, width x height, upright): shown at once, queued for the model. Fails
// with state.error set for images the core refuses (too large); the last result stays.
Result<void> accept_photo(AppState& state, const uint8_t* rgb, int width, int height, std::string name);

// The page could not decode a file: only the message changes.
void reject_photo(AppState& state, std::string message);

// The model's raw outputs for request `id` (a prediction or an explanation batch), and its
// spatial features when the request asked for them. A prediction starts the photo's explanation;
// one that ran with the photo's masked copy is kept for the explanation's first estimate.
void accept_scores(AppState& state, int id, std::span<const float> scores, double inference_ms,
                   std::span<const float> features = {});

// The amortized explainer's file (core/explain/amortized_explainer.h), as the card names it. Fails with
// the reason (the app then explains from equal shares and says so).
Result<void> set_explainer(AppState& state, std::span<const uint8_t> bytes);
void explainer_failed(AppState& state, std::string message);
void run_failed(AppState& state, int id, std::string_view message);

// The prediction request to send now, once (empty when none is ready or it went already).
// Explanation batches come from explain_step() (app_explain.h).
std::optional<ModelRequest> take_request(AppState& state);

}  // namespace sl::app
