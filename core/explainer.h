// core/explainer.h: one photo's explanation from start to end: superpixels, background,
// KernelSHAP, masked batches of model inputs in, model outputs back, per-class values out.
// Pairs with slic.h, masking.h, kernel_shap.h (the stages it drives), model_card.h (how to feed
// the model and read it) and heatmap.h (drawing the result). The hosts stay thin: the CLI
// (tools/cli/explain.mjs) and the browser app call the same four methods through
// wasm/bind_explain.cpp.
//
//   sl::Result<sl::Explainer> ex = sl::Explainer::create(photo, card, {});   // defaults below
//   if (!ex) { report(ex.error()); return; }
//   while (!ex->done()) {
//       std::span<const float> x = ex->next_batch();        // rows x card.input.tensor_size()
//       std::vector<float> y = run_model(x, ex->batch_rows());  // rows x card.outputs_per_image()
//       if (auto ok = ex->add_scores(y); !ok) { report(ok.error()); return; }
//       show(ex->estimate());                                // refines after every batch
//   }
//
// The players of the game are the superpixels; its outputs are the card's class probabilities
// (a sigmoid model's one output p gives the classes 1 - p and p; a softmax model gives one per
// label), so sum_k phi_c,k = P_c(photo) - P_c(every superpixel switched off) for each class c.
// Nothing here calls a model, reads a file or throws. Cancelling is simply not asking again.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/image.h"
#include "core/kernel_shap.h"
#include "core/masking.h"
#include "core/model_card.h"
#include "core/result.h"
#include "core/slic.h"

namespace sl {

struct ExplainerConfig {
    SlicParams slic;              // superpixels: 50 segments, compactness 30, sigma 3 (shap's example)
    int display_max_side = 512;   // pixels: the photo is segmented (and drawn) at most this large
    Background background;        // what a switched-off superpixel shows: the mean colour
    KernelShapConfig shap;        // budget 512, batch 32, tolerance, sampler, link, seed 1;
                                  // players and outputs are set by the explainer
};

class Explainer {
public:
    // Errors: a model card with no classes, a display_max_side < 16, and whatever SLIC, the
    // masking or KernelShap reject (named by their messages).
    static Result<Explainer> create(const Image& photo, const ModelCard& card,
                                    const ExplainerConfig& config = {});

    // The next model inputs: batch_rows() inputs of card().input.tensor_size() floats each,
    // consecutive, in the card's layout. Empty once done(). Valid until the next call; call
    // add_scores before asking again.
    std::span<const float> next_batch();
    int batch_rows() const { return batch_.rows; }

    // The model's raw outputs for that batch: batch_rows() x card().outputs_per_image() floats,
    // row-major. Errors: wrong length, values that are not finite, no batch outstanding.
    Result<void> add_scores(std::span<const float> outputs);

    bool done() const { return shap_.done(); }
    // Per-class values: outputs = card().num_classes(), in the order of card().labels.
    const ShapEstimate& estimate() const { return shap_.estimate(); }

    const ModelCard& card() const { return card_; }
    const ExplainerConfig& config() const { return config_; }
    const Image& display() const { return display_; }              // the photo at display size
    const Segmentation& segmentation() const { return segments_; }  // at display size
    const Masker& masker() const { return masker_; }
    std::vector<int64_t> segment_area() const;  // pixels of each superpixel at display size

private:
    Explainer(ModelCard card, ExplainerConfig config, Image display, Segmentation segments,
              Masker masker, KernelShap shap)
        : card_(std::move(card)), config_(config), display_(std::move(display)),
          segments_(std::move(segments)), masker_(std::move(masker)), shap_(std::move(shap)) {}

    ModelCard card_;
    ExplainerConfig config_;
    Image display_;
    Segmentation segments_;
    Masker masker_;
    KernelShap shap_;
    CoalitionBatch batch_;        // the batch handed out and not yet answered (rows 0: none)
    std::vector<float> inputs_;   // its model inputs
};

// The photo shrunk (never enlarged) so that neither side exceeds max_side, aspect kept.
Image display_image(const Image& photo, int max_side);

}  // namespace sl
