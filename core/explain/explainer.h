// core/explain/explainer.h: one photo's explanation from start to end: superpixels, background, the
// estimator (the amortized explainer's prediction corrected by sampled coalitions, Owen values or
// KernelSHAP), masked batches of model inputs in, model outputs back, per-class values out.
// Pairs with slic.h, masking.h, prior_shap.h, owen_shap.h, kernel_shap.h (the stages it drives),
// amortized_explainer.h (the prediction), model_card.h (how to feed the model and read it) and
// heatmap.h (drawing the result).
// The hosts stay thin: the CLI (tools/cli/explain.mjs) and the browser app call the same four
// methods through wasm/bindings/bind_explain.cpp.
//
//   sl::Result<sl::Explainer> ex = sl::Explainer::create(photo, card, {});   // defaults below
//   if (!ex) { report(ex.error()); return; }
//   while (!ex->done()) {
//       std::span<const float> x = ex->next_batch();        // rows x card.input.tensor_size()
//       std::vector<float> y = run_model(x, ex->batch_rows());  // rows x card.outputs_per_image()
//       std::vector<float> f;                                // and, when ex->needs_features(),
//       if (ex->needs_features()) f = model_features(x);     // rows x card.features_per_image()
//       if (auto ok = ex->add_scores(y, f); !ok) { report(ok.error()); return; }
//       show(ex->estimate());                                // refines after every batch
//   }
//
// The amortized estimator's first batch is the whole photo and the fully masked photo, whose
// spatial features it needs besides their scores; a host that has already run the model on
// both (the app does, with its prediction) hands them over with start() instead, and the first
// estimate is there before any other model run.
//
// The players of the game are the superpixels; its outputs are the card's class probabilities
// (a sigmoid model's one output p gives the classes 1 - p and p; a softmax model gives one per
// label), taken as log-odds by default (config.shap.link), so for each class c
// sum_k phi_c,k = logit P_c(photo) - logit P_c(every superpixel switched off) (or the plain
// difference of probabilities with the identity link).
// Nothing here calls a model, reads a file or throws. Cancelling is simply not asking again.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <variant>
#include <vector>

#include "core/base/result.h"
#include "core/explain/amortized_explainer.h"
#include "core/explain/kernel_shap.h"
#include "core/explain/masking.h"
#include "core/explain/owen_shap.h"
#include "core/explain/photo_game.h"
#include "core/explain/prior_shap.h"
#include "core/explain/slic.h"
#include "core/explain/superpixel_tree.h"
#include "core/image/image.h"
#include "core/model/model_card.h"

namespace sl {

// How the values are estimated.
enum class ShapEstimator {
    owen,         // Owen values over superpixel_tree.h's hierarchy, Shapley-exact at the top:
                  // deterministic, coarse to fine
    kernel_shap,  // KernelSHAP: Shapley values from sampled coalitions (kernel_shap.h)
    amortized,    // the amortized explainer's values, corrected towards the Shapley values by
                  // sampled coalitions (prior_shap.h): a first estimate with the prediction
};

// The defaults are what `santa-lens explain-bench` chose on real photos against high-precision
// Shapley values (docs/explainer.md): the amortized explainer's prediction, corrected by sampled
// coalitions, so that a first heatmap comes with the prediction and the values move to the
// Shapley values (Owen values, the earlier default, converge to something else where regions
// interact across their hierarchy); log-odds, which do not saturate near 0 and 1; a blurred
// copy as the background, whose masked photos stay photos of something (shap's flat mean colour
// makes many masked person photos read as Santa).
struct ExplainerConfig {
    PhotoGameConfig game;  // the players and the fill: SLIC 50 segments, compactness 30,
                           // sigma 3 (shap's example; explain-bench: more faithful than 25
                           // or 100 segments and than compactness 10), at most 512 px, blur
    ShapEstimator estimator = ShapEstimator::amortized;
    std::shared_ptr<const AmortizedNet> amortized_net;  // amortized: the network (none: the
                                                        // equal split by area as the prior)
    PriorShapConfig prior;                              // amortized: how far the prior is trusted
    int top_groups = 0;                                 // Owen: K of the exact top (owen_shap.h); 0: automatic.
                                                        // Explainer::config() holds the K applied (0 for KernelSHAP)
    KernelShapConfig shap = logit_config();             // budget 512, batch 32, tolerance, link log-odds,
                                                        // (KernelSHAP: sampler, seed 1); players and outputs are set
                                                        // by the explainer
private:
    static KernelShapConfig logit_config() {
        KernelShapConfig c;
        c.link = ShapLink::logit;
        return c;
    }
};

class Explainer {
public:
    // Errors: a model card with no classes, a display_max_side < 16, and whatever SLIC, the
    // masking or KernelShap reject (named by their messages).
    static Result<Explainer> create(const Image& photo, const ModelCard& card, const ExplainerConfig& config = {});

    // The next model inputs: batch_rows() inputs of card().input.tensor_size() floats each,
    // consecutive, in the card's layout. Empty once done(). Valid until the next call; call
    // add_scores before asking again.
    std::span<const float> next_batch();
    int batch_rows() const { return batch_.rows; }

    // The model's raw outputs for that batch: batch_rows() x card().outputs_per_image() floats,
    // row-major, and, when needs_features(), its spatial features (batch_rows() x
    // card().features_per_image(), the model's "features" output). Errors: wrong length, values
    // that are not finite, no batch outstanding, features missing where needed.
    Result<void> add_scores(std::span<const float> outputs, std::span<const float> features = {});
    // True while the amortized estimator waits for its first batch (the whole photo, then the
    // fully masked one) and has a network that reads their features.
    bool needs_features() const;
    // The amortized estimator's first batch answered without asking for it: the model's outputs
    // and features for the whole photo and the fully masked photo (2 rows each, the inputs
    // next_batch() would hand out first), as add_scores takes them. Errors: as add_scores, and
    // not waiting for them (another estimator, or started already).
    Result<void> start(std::span<const float> outputs, std::span<const float> features);

    bool done() const;
    // Per-class values: outputs = card().num_classes(), in the order of card().labels.
    const ShapEstimate& estimate() const;
    // The share of the coalitions evaluated so far that the model puts in a class which is
    // neither the photo's nor that of the photo with every superpixel off: inputs unlike both
    // ends of the game (off the data's manifold). 0 before the first batch is in.
    double off_manifold() const;
    // The model's class probabilities on the whole photo (estimate().f_full is in the output's
    // units: log-odds with the logit link).
    std::vector<double> probabilities() const;
    // Where the values are not settled yet, classes x players bytes: 1 where a value's uncertainty
    // could still carry it across zero, |phi| <= z x std_error, z = 2 for KernelSHAP's standard
    // errors (about 95%) and 1 for the credit Owen values still hold from groups not yet split.
    // The app hatches these regions: noise is never shown as an answer.
    std::vector<uint8_t> unsettled() const;
    // The share of the photo's area (display pixels) whose value for class c has a settled sign,
    // given unsettled()'s flags (callers that also show the flags compute them once).
    double settled_share(std::span<const uint8_t> unsettled, int c) const;

    const ModelCard& card() const { return game_.card(); }
    const ExplainerConfig& config() const { return config_; }
    const PhotoGame& game() const { return game_; }
    const Image& display() const { return game_.display(); }                   // the photo at display size
    const Segmentation& segmentation() const { return game_.segmentation(); }  // at display size
    const Masker& masker() const { return game_.masker(); }
    // Pixels of each superpixel at display size.
    const std::vector<int64_t>& segment_area() const { return game_.segment_area(); }

private:
    bool waiting() const;  // the amortized estimator, before its first batch is in
    // monostate: the amortized estimator, waiting for its first batch.
    using Estimator = std::variant<std::monostate, KernelShap, OwenShap, PriorShap>;
    Explainer(PhotoGame game, ExplainerConfig config, Estimator shap)
        : game_(std::move(game)), config_(config), shap_(std::move(shap)) {}

    PhotoGame game_;
    ExplainerConfig config_;
    Estimator shap_;
    ShapEstimate waiting_;            // the estimate while waiting: no values yet
    std::vector<int64_t> predicted_;  // per class: evaluated coalitions the model put in it
    CoalitionBatch batch_;            // the batch handed out and not yet answered (rows 0: none)
    std::vector<float> inputs_;       // its model inputs
};

// Names as the CLI, the app and their JSON spell them: "owen" | "kernel" and
// "probability" | "log-odds" (the units of the values).
const char* estimator_name(ShapEstimator estimator);
const char* output_name(ShapLink link);

}  // namespace sl
