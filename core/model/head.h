// core/model/head.h: the classifier head on the backbone's pooled features, P(santa); trains, predicts,
// saves. Pairs with metrics.h (measuring a head) and rng.h (its determinism).
//
//   sl::HeadConfig cfg;                                   // the original: 512 relu, dropout 0.5,
//                                                         // RMSprop 1e-4, 6 epochs, batch 20
//   auto head = sl::train_head(features, labels, 2048, cfg,
//                              [](int epoch, double loss) { log(epoch, loss); return !cancelled; });
//   if (!head) { report(head.error()); return; }
//   float p = sl::predict_head(*head, features.data());   // P(santa) of the first photo
//   std::vector<uint8_t> file = sl::serialize_head(*head);  // ~4 MB for 2048 x 512
//   auto again = sl::parse_head(file);
//
// The model: z = relu(x W1 + b1) (dropout during training) w2 + b2, P(santa) = sigmoid(z), as the
// original Keras head Dense(512, relu) + Dropout(0.5) + Dense(1, sigmoid). hidden = 0 gives a
// linear head (logistic regression): z = x w2 + b2. Trained with binary cross-entropy and RMSprop
// as Keras 2 does it: ms = rho ms + (1 - rho) g^2, w -= lr g / (sqrt(ms) + epsilon), ms from 0;
// Glorot-uniform kernels, zero biases, the samples shuffled every epoch, the last batch partial.
//
// Deterministic: the same inputs and seed give the same weights, bit for bit, natively and in
// WebAssembly (own RNG and exp/log, a fixed summation order in every loop; see rng.h).
// Class 0 is "person", class 1 "santa". Nothing here throws; bad input returns an sl::Error.
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/base/result.h"

namespace sl {

struct HeadConfig {
    int hidden = 512;              // units of the relu layer; 0 = linear head (logistic regression)
    float dropout = 0.5f;          // hidden units dropped while training, [0, 1); unused if hidden = 0
    float learning_rate = 1e-4f;   // RMSprop step size (Keras default for the original: 1e-4)
    float rho = 0.9f;              // RMSprop decay of the mean squared gradient (Keras default)
    float epsilon = 1e-7f;         // RMSprop denominator guard, added to sqrt(ms) (Keras default)
    int epochs = 6;                // passes over the training set (0: the initial weights)
    int batch_size = 20;           // samples per update; the last batch of an epoch may be smaller
    float l2 = 0.f;                // L2 penalty l2 * sum(w^2) on both kernels (not biases), Keras-style
    bool balance_classes = false;  // weight samples n / (2 n_class) so both classes count equally
    uint64_t seed = 1;             // initial weights, shuffles and dropout masks
};

struct Head {
    int inputs = 0;         // feature length (2048 for ResNet50)
    int hidden = 0;         // relu units; 0 = linear head
    std::vector<float> w1;  // inputs * hidden, row-major [input][hidden] (Keras kernel layout)
    std::vector<float> b1;  // hidden
    std::vector<float> w2;  // hidden (or inputs when hidden == 0)
    float b2 = 0;
};

// Trains a head on n photos: `features` holds n * dim floats, photo after photo; `labels` n
// values, 0 (person) or 1 (santa). `progress`, if given, is called after each epoch with the
// epoch number (1-based) and that epoch's mean training loss (with dropout, plus the L2 term, as
// Keras reports it); returning false cancels, and the result is then an error.
// Errors: sizes that disagree, labels not 0/1, a class with no photo, non-finite features,
// configuration values out of range, a head too large to allocate (over 2^28 weights).
Result<Head> train_head(std::span<const float> features, std::span<const int> labels, int dim, const HeadConfig& config,
                        const std::function<bool(int epoch, double loss)>& progress = {});

// P(santa) for one photo; `feature` points to head.inputs floats.
float predict_head(const Head& head, const float* feature);

// P(santa) for features.size() / head.inputs photos into `out` (one per photo). The same bits as
// predict_head on each photo. Asserts that the sizes agree.
void predict_head_batch(const Head& head, std::span<const float> features, std::span<float> out);

// The mean training loss over all samples with dropout off (binary cross-entropy, class weights
// if config.balance_classes, plus the L2 term) and, if `gradient` is not null, its gradient with
// respect to every parameter, in a Head of the same shape. Uses the code path of training (the
// gradient check in tests/core/model/head_test.cpp relies on it). Errors: as train_head's inputs.
Result<double> head_loss(const Head& head, std::span<const float> features, std::span<const int> labels,
                         const HeadConfig& config, Head* gradient = nullptr);

// A compact file: "SLHEAD1\0", inputs and hidden as uint32 little-endian, then w1, b1, w2, b2 as
// float32 little-endian. 4,198,420 bytes for a 2048 x 512 head; 8,212 for a linear one.
std::vector<uint8_t> serialize_head(const Head& head);

// Reads serialize_head's output. Errors: wrong magic, truncated or trailing bytes, sizes out of
// range, a weight that is not finite.
Result<Head> parse_head(std::span<const uint8_t> bytes);

}  // namespace sl
