// wasm/app/app_explain.h: the explanation that follows a prediction, as state changes over AppState:
// an sl::Explainer (core/explain/explainer.h) makes superpixels and masked photos, the page runs the
// model on each batch through the same request protocol as the prediction, and the values
// refine after every answer. Pairs with app_explain.cpp; app_pipeline.cpp starts it, the
// bridge (app_bridge.cpp) pumps it once per frame, the UI reads state.explanation.
//
//   start_explanation(state);                     // the prediction is in: preparing
//   each frame: if (auto r = explain_step(state)) ...send r to the page...
//   when the page answers: accept_scores(state, id, scores, ms)  -> explain_scores()
//
// Why one step per frame: the browser runs all of this on its main thread. Each step (making
// the superpixels and masks; masking one small batch; adding one batch's scores) is a few tens
// of milliseconds, and frames are drawn in between, so the page never freezes. The model itself
// runs off the main thread (web/ort_worker.mjs, on WASM threads or the GPU).
#pragma once
#include <optional>
#include <span>
#include <string_view>

#include "core/base/result.h"
#include "wasm/app/app_pipeline.h"
#include "wasm/app/app_state.h"

namespace sl::app {

// The prediction for the photo is in: its explanation starts on the next explain_step().
void start_explanation(AppState& state);

// Forgets the explanation (a new photo, or the model went away). Answers in flight are dropped.
void clear_explanation(AppState& state);

// This frame's work: make the explainer (phase preparing; the amortized one starts at once from
// the prediction's run when that ran with the photo's masked copy) or mask the next batch
// (running, none in flight), never both. Returns the batch to send, if any.
std::optional<ModelRequest> explain_step(AppState& state);

// Scores (and the features it asked for) or a failure for request `id`. False when `id` is not
// the explanation's batch (it may be the prediction's, or an old batch, whose answer is dropped).
bool explain_scores(AppState& state, int id, std::span<const float> scores, double inference_ms,
                    std::span<const float> features = {});
bool explain_failed(AppState& state, int id, std::string_view message);

// Stop: the values so far stay on screen; the answer in flight is dropped. Resume goes on from
// where it stopped (the unanswered batch is sent again).
void cancel_explanation(AppState& state);
void resume_explanation(AppState& state);

// A setting by name, as the UI and the page's test hook (santaLens.set) give it:
//   show        photo | all | both | a card label ("santa")   (the GPU redraws; nothing else)
//   estimator   amortized | owen | kernel                     : starts it again
//   opacity     0 .. 1
//   borders     0 | 1
//   segments    4 .. 200      superpixels: starts the explanation again
//   background  mean | blur                                   : starts it again
//   budget      4 .. 100000   evaluations at most            : starts it again
// Errors name the key and what it accepts; the state is unchanged then.
Result<void> apply_setting(AppState& state, std::string_view key, std::string_view value);

}  // namespace sl::app
