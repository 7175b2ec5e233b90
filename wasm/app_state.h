// wasm/app_state.h: what the browser app knows (model, photo, prediction, last error) and the
// words it uses to say so. No drawing and no JS here: ui_*.cpp draw an AppState,
// app_pipeline.cpp changes it when the page (app_bridge.cpp) reports something.
//
// Pairs with app_state.cpp. The life of one photo:
//   JS decodes it -> accept_photo(): image_from_rgba, texture, tensor -> JS runs the model
//   -> accept_scores() -> prediction_from_scores() -> ui draws it, status_text() goes to the DOM.
// A bad photo only sets `error`: the photo and prediction on screen stay (the last good result).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/image.h"
#include "core/model_card.h"

namespace sl::app {

enum class ModelPhase {
    loading,  // card or model file downloading, or the session starting
    ready,    // photos can be classified
    failed,   // `message` says why (missing file, bad card, ONNX Runtime error)
};

struct ModelStatus {
    ModelPhase phase = ModelPhase::loading;
    std::optional<ModelCard> card;  // set once the card is parsed
    double bytes_loaded = 0;        // model download so far, bytes
    double bytes_total = 0;         // 0 while unknown
    bool starting = false;          // downloaded; ONNX Runtime is building the session
    std::string backend;            // execution provider once ready, e.g. "wasm"
    int threads = 1;                // ONNX Runtime's wasm threads once ready
    double load_ms = 0;             // download + session start, milliseconds
    std::string message;            // why it failed (phase failed)
};

// The photo on screen.
struct Photo {
    std::string name;          // file name as the user gave it ("" for a pasted image)
    int width = 0;             // original size, pixels (after EXIF orientation)
    int height = 0;
    unsigned texture = 0;      // GL texture of the display copy (gl_texture.h); 0: none yet
    int texture_width = 0;     // display copy size, pixels
    int texture_height = 0;
};

struct Prediction {
    std::vector<float> probabilities;  // one per card label, summing to 1
    int best = 0;                      // index of the most probable label
    double preprocess_ms = 0;          // RGBA -> tensor in the core
    double inference_ms = 0;           // ONNX Runtime's run, as JS measured it
};

struct AppState {
    ModelStatus model;
    Photo photo;
    std::optional<Prediction> prediction;  // for `photo`; empty while running or after a failed run
    bool running = false;                  // an inference for `photo` is in flight (or queued
                                           // until the model is ready)
    int request_id = 0;                    // id of the latest inference request; older answers
                                           // are dropped
    bool request_sent = false;             // request_id went to the page
    std::optional<Image> awaiting_card;    // a photo that came before the model card
    std::vector<float> input;              // model input of the latest request
    double preprocess_ms = 0;              // for that request
    std::string error;                     // last problem with the user's input; cleared by the
                                           // next good photo
    bool drag_hover = false;               // a file is being dragged over the page
};

// Turns raw model outputs into a Prediction with the card's rules (sigmoid or softmax).
// `outputs` must hold card.outputs_per_image() floats.
Prediction prediction_from_scores(const ModelCard& card, const std::vector<float>& outputs);

// "Santa", "Person": a card label as the UI shows it.
std::string display_label(const std::string& label);

// The short state word the DOM mirror carries in data-state: "loading", "ready", "running",
// "result", "error", "model-error".
const char* status_kind(const AppState& state);

// One sentence saying what the canvas shows, for the ARIA live region:
// "Loading model…", "Santa — 97.1%", or the error text (with the result still shown).
std::string status_text(const AppState& state);

// "97.1%"
std::string percent_text(float probability);

// "43.2 MB"
std::string megabytes_text(double bytes);

}  // namespace sl::app
