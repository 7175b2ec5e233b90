// core/model/metrics.h: measuring a santa/person classifier: accuracy, confusion matrix, precision,
// recall, F1, log loss; stratified k-fold cross-validation of a head (core/model/head.h).
//
//   sl::BinaryMetrics m = sl::binary_metrics(p_santa, labels);   // predicted santa when p > 0.5
//   print(m.accuracy, m.confusion[1][0]);                         // santas called persons
//
//   auto cv = sl::cross_validate_head(features, labels, 2048, sl::HeadConfig{}, 5, 42);
//   if (cv) print(cv->pooled.accuracy, cv->std_accuracy);
//
// Cross-validation is how a head configuration is chosen: on the training photos only, never
// on the test set. Class 0 is "person", class 1 "santa"; precision, recall and F1 are santa's.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/base/result.h"
#include "core/model/head.h"

namespace sl {

struct BinaryMetrics {
    int n = 0;                                      // samples
    double accuracy = 0;                            // fraction right, 0 when n == 0
    std::array<std::array<int, 2>, 2> confusion{};  // [true][predicted], 0 person, 1 santa
    double precision = 0;                           // santa: right / predicted santa (0 if none)
    double recall = 0;                              // santa: right / true santa (0 if none)
    double f1 = 0;                                  // 2 p r / (p + r), 0 when both are 0
    double log_loss = 0;                            // mean binary cross-entropy, p clipped to [1e-7, 1 - 1e-7]
};

// Metrics of P(santa) values against labels (0/1, same length; asserted). A sample counts as
// predicted santa when p > threshold (strictly, as Keras' binary accuracy); NaN counts as person.
BinaryMetrics binary_metrics(std::span<const float> p_santa, std::span<const int> labels, float threshold = 0.5f);

// The fold (0..k-1) of each sample: each class's samples (classes in ascending label order, any
// number of them) are shuffled with `seed` and dealt round-robin, continuing from class to class,
// so every fold gets each class in proportion and fold sizes differ by at most one.
// Deterministic for a seed. Empty if k < 2 or k > labels.size().
std::vector<int> stratified_folds(std::span<const int> labels, int k, uint64_t seed);

struct CrossValidation {
    std::vector<BinaryMetrics> folds;  // each fold's held-out samples, by a head trained on the rest
    BinaryMetrics pooled;              // all out-of-fold predictions together
    double mean_accuracy = 0;          // mean of the folds' accuracies
    double std_accuracy = 0;           // their standard deviation (population, over k folds)
    std::vector<float> p_santa;        // out-of-fold P(santa) of every sample
    std::vector<int> fold;             // fold of every sample (stratified_folds)
};

// k-fold cross-validation of train_head(config) on features (n * dim) and labels (n).
// `progress`, if given, gets (fold 0..k-1, epoch, loss) and cancels by returning false.
// Errors: train_head's, k out of [2, n], a fold whose training part lacks a class, cancelling.
Result<CrossValidation> cross_validate_head(std::span<const float> features, std::span<const int> labels, int dim,
                                            const HeadConfig& config, int k, uint64_t seed,
                                            const std::function<bool(int fold, int epoch, double loss)>& progress = {});

}  // namespace sl
