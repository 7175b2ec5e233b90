// core/explain/amortized_training.h: trains the amortized explainer (amortized_explainer.h) on the games
// of the training photos. Each photo brings the spatial features of itself and of its fully
// masked copy, how its superpixels cover the density's cells, and noisy but unbiased Shapley
// values of its game (a Shapley regression on a few hundred masked evaluations: stochastic
// amortization, Covert et al. 2024, learns the expected value from such targets). The loss is
// each photo's squared error of the efficient values (amortized_values) relative to its
// target's squared norm, so that a Santa with a margin of 16 log-odds and a portrait with 6
// count alike. Adam, one photo a step, dropout on the inputs, weight decay; every k-th photo is
// held out to pick the epoch (early stopping), and the weights of the best epoch are returned.
// Deterministic for a seed, the same bits natively and in WebAssembly.
//
//   std::vector<sl::AmortizedPhoto> photos = ...;      // one per training photo
//   auto fit = sl::train_amortized_net(photos, 1024, 14, 1, {},
//       [](const sl::AmortizedEpoch& e) { log(e.epoch, e.loss, e.validation); return true; });
//   if (fit) write(sl::serialize_amortized_net(fit->net));
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/base/result.h"
#include "core/explain/amortized_explainer.h"

namespace sl {

struct AmortizedPhoto {
    std::vector<uint8_t> features;  // 2 x C x G x G: the photo's features, then the masked photo's,
                                    // each value = byte x scale (8-bit, as the model's own)
    float scale = 1;
    CellOverlap cells;           // its superpixels over the G x G cells
    std::vector<double> target;  // outputs x superpixels: the values to learn
    std::vector<double> delta;   // outputs: f(photo) - f(all masked), the values' sum
};

struct AmortizedTraining {
    int hidden = 32;              // channels inside the network
    int epochs = 16;              // at most; the best on the held-out photos is kept
    double learning_rate = 1e-3;  // Adam's step
    double weight_decay = 1e-3;   // added to each weight's gradient (not the biases')
    double input_dropout = 0.5;   // share of input values dropped while training
    int validation_every = 10;    // every k-th photo is held out to choose the epoch
    uint64_t seed = 1;            // initial weights, photo order and dropout
};

struct AmortizedEpoch {
    int epoch = 0;          // 1-based
    double loss = 0;        // mean relative squared error on the training photos (with dropout)
    double validation = 0;  // median relative L2 error of the held-out photos' values against
                            // their targets (the targets' own noise included)
};

struct AmortizedFit {
    AmortizedNet net;                    // the weights of the best epoch
    std::vector<AmortizedEpoch> epochs;  // every epoch run
    int best_epoch = 0;                  // 1-based
    int training_photos = 0, validation_photos = 0;
};

// Errors: no photos, fewer than 2 * validation_every, a photo whose sizes disagree with
// channels, grid and outputs, targets or deltas not finite, settings out of range. `progress`
// returning false cancels (an error).
Result<AmortizedFit> train_amortized_net(std::span<const AmortizedPhoto> photos, int channels, int grid, int outputs,
                                         const AmortizedTraining& config,
                                         const std::function<bool(const AmortizedEpoch&)>& progress = {});

// The relative L2 error of a photo's values from `net` against its target (output 0).
double amortized_error(const AmortizedNet& net, const AmortizedPhoto& photo);

}  // namespace sl
