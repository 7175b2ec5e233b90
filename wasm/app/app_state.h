// wasm/app/app_state.h: what the browser app knows (model, photo, prediction, explanation, how the
// heatmap is shown, last error) and the words it uses to say so. No drawing and no JS here:
// ui_*.cpp draw an AppState, app_pipeline.cpp and app_explain.cpp change it when the page
// (app_bridge.cpp) or the user reports something.
//
// Pairs with app_state.cpp. The life of one photo:
//   the core decodes it (a worker) -> accept_photo(): texture, tensor -> JS runs the model
//   -> accept_scores() -> prediction_from_scores() -> ui draws it, status_text() goes to the DOM
//   -> the explanation: an sl::Explainer hands out batches of masked photos, JS runs the model
//   on each, the values refine after every batch (app_explain.h), explain_status_text() says so.
// A bad photo only sets `error`: the photo, prediction and explanation on screen stay.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/explain/explainer.h"
#include "core/explain/masking.h"
#include "core/image/image.h"
#include "core/model/model_card.h"

namespace sl::app {

enum class ModelPhase {
    loading,  // card or model file downloading, or the session starting
    ready,    // photos can be classified
    failed,   // `message` says why (missing file, bad card, ONNX Runtime error)
};

struct ModelStatus {
    ModelPhase phase = ModelPhase::loading;
    std::optional<ModelCard> card;                  // set once the card is parsed
    double bytes_loaded = 0;                        // model download so far, bytes
    double bytes_total = 0;                         // 0 while unknown
    bool starting = false;                          // downloaded; ONNX Runtime is building the session
    std::string backend;                            // execution provider once ready, e.g. "wasm"
    int threads = 1;                                // ONNX Runtime's wasm threads once ready
    double load_ms = 0;                             // download + session start, milliseconds
    std::string message;                            // why it failed (phase failed)
    std::shared_ptr<const AmortizedNet> explainer;  // the amortized explainer, once loaded
    std::string explainer_note;                     // why there is none (explanations then start from equal shares)
};

// The photo on screen.
struct Photo {
    std::string name;  // file name as the user gave it ("" for a pasted image)
    int width = 0;     // original size, pixels (after EXIF orientation)
    int height = 0;
    unsigned texture = 0;   // GL texture of the display copy (gl_texture.h); 0: none yet
    int texture_width = 0;  // display copy size, pixels
    int texture_height = 0;
};

struct Prediction {
    std::vector<float> probabilities;  // one per card label, summing to 1
    int best = 0;                      // index of the most probable label
    double preprocess_ms = 0;          // RGBA -> tensor in the core
    double inference_ms = 0;           // ONNX Runtime's run, as JS measured it
};

enum class ExplainPhase {
    idle,       // nothing to explain yet (no prediction)
    preparing,  // superpixels and masks are made on the next frame
    running,    // batches go to the model; the values refine after each
    done,       // converged or the budget is spent
    cancelled,  // stopped by the user; the values so far stay, it can resume
    failed,     // `message` says why
};

// What the user can change about the explanation; a change starts it again. The defaults are
// the core's (core/explain/explainer.h), so the app and `santa-lens explain` agree.
struct ExplainSettings {
    ShapEstimator estimator = ExplainerConfig{}.estimator;               // how the values are estimated
    int segments = SlicParams{}.n_segments;                              // superpixels asked of SLIC
    BackgroundKind background = ExplainerConfig{}.game.background.kind;  // what a switched-off superpixel shows
    int budget = KernelShapConfig{}.budget;                              // model evaluations at most
    // Masked photos per model request. Between two requests the app draws the refined map: on
    // 2 cores with software WebGL a frame costs about 75 ms of CPU that the model cannot use
    // (drawn while the model runs, it slows the model as much), so fewer, larger batches lose
    // less: 16 per request (about 1.2 s of model time; ONNX Runtime Web is as fast per image at
    // 16 as at 8) keeps each main-thread step well under 100 ms and still refines every second.
    int batch_size = 16;
};

// The prediction's own run, kept for the amortized explainer's first estimate: the model's
// outputs and spatial features for the photo and for the photo with every superpixel switched
// off (the background of `background`), two rows each.
struct PredictionRun {
    std::vector<float> scores, features;
    BackgroundKind background = BackgroundKind::blur;
};

// How the heatmap is shown; changing it redraws on the GPU only (gl_heatmap.h).
struct HeatmapView {
    static constexpr int photo = -1;  // `show`: the photo itself
    static constexpr int all = -2;    // `show`: one panel per class, side by side
    int show = 0;                     // a class index, photo or all
    bool follow_prediction = true;    // show the predicted class until the user picks one
    float opacity = 1.0f;             // multiplies the colour map's alpha (1: shap's look)
    bool borders = false;             // outline the superpixels
};

struct Explanation {
    ExplainPhase phase = ExplainPhase::idle;
    std::optional<Explainer> explainer;  // from `preparing` on
    int request_id = 0;                  // the batch the model is running (0: none in flight)
    int generation = 0;                  // bumps with every new explainer (segmentation textures change)
    int revision = 0;                    // bumps with every batch added (value texture changes)
    double range = 0;                    // the colour map spans [-range, range] (colormap.h: symmetric_range)
    std::vector<uint8_t> unsettled;      // classes x superpixels: 1 where a value's sign is not settled
                                         // yet (explainer.h: unsettled), as of the last batch; hatched
    double settled = 0;                  // share of the photo whose value for the predicted class has a
                                         // settled sign (explainer.h: settled_share)
    double setup_ms = 0;                 // superpixels + masks
    double started_ms = 0;               // when the first batch went out (emscripten_get_now)
    double elapsed_ms = 0;               // since then, until done or cancelled
    double model_ms = 0;                 // ONNX Runtime's share of it
    double slowest_step_ms = 0;          // the longest single step on the main thread (setup, batch, add)
    std::string message;                 // why it failed

    // The estimate, once the first batch (the whole photo and the empty one) is in.
    const ShapEstimate* estimate() const {
        return explainer && explainer->estimate().evaluations > 0 ? &explainer->estimate() : nullptr;
    }
};

struct AppState {
    ModelStatus model;
    Photo photo;
    std::optional<Image> source;                  // the photo as decoded, kept for the explanation
    std::optional<Prediction> prediction;         // for `photo`; empty while running or after a failed run
    bool running = false;                         // an inference for `photo` is in flight (or queued
                                                  // until the model is ready)
    int last_request_id = 0;                      // model requests are numbered 1, 2, ... (prediction
                                                  // and explanation alike)
    int request_id = 0;                           // id of the latest prediction request; older answers
                                                  // are dropped
    bool request_sent = false;                    // request_id went to the page
    std::optional<Image> awaiting_card;           // a photo that came before the model card
    std::vector<float> input;                     // model input of the latest request: the photo, then
                                                  // (for the amortized explainer) its fully masked copy
    int input_rows = 1;                           // 1 or 2: how many inputs `input` holds
    std::optional<PredictionRun> prediction_run;  // of `photo`, when it ran with its masked copy
    double preprocess_ms = 0;                     // for that request
    std::string error;                            // the last problem (a photo, the model, an export);
                                                  // cleared by the next good photo
    bool drag_hover = false;                      // a file is being dragged over the page
    Explanation explanation;                      // of `prediction`
    ExplainSettings settings;
    HeatmapView view;
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

// The explanation's state word for the DOM mirror: "idle", "preparing", "running", "done",
// "cancelled", "error".
const char* explain_kind(const AppState& state);

// One sentence for the explanation's live region, changing only at milestones (not per batch,
// which would make a screen reader talk without end): "Explaining which parts of the photo
// matter…", "Explanation ready: 512 evaluations. Red marks what makes it Santa." ...
std::string explain_status_text(const AppState& state);

// True while the heatmap on screen is the amortized explainer's first estimate, from the
// prediction's own run, before any masked photo has refined it.
bool first_estimate(const AppState& state);

// What `view.show` is called: "photo", "all", or the class label ("santa").
std::string show_name(const AppState& state);

// "97.1%"
std::string percent_text(float probability);

// "43.2 MB"
std::string megabytes_text(double bytes);

}  // namespace sl::app
