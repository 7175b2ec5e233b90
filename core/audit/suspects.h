// core/audit/suspects.h: how well each photo fits its class, to find the likely mislabelled or out of
// place ones: a Santa filed under person/, a drawing among photos. Two views, from a backbone's
// pooled features (ResNet50: 2048 per photo):
//   - p_own: the probability of its own class by a head that never saw it (k-fold
//     cross-validation, core/model/metrics.h); a photo with p_own near 0 is one the head gets most
//     wrong, the classic sign of a wrong label;
//   - similarity to its class centre (the mean of the class's normalised features, itself left
//     out) against the nearest other class's centre, and how unusual that is within the class
//     (outlier_z: standard deviations farther from the centre than the class's mean).
//
//   auto fits = sl::fit_photos(features, labels, 2, 2048, sl::SuspectOptions{});
//   if (!fits) report(fits.error());
//   for (size_t i = 0; i < fits->size(); ++i) if ((*fits)[i].p_own < 0.1) suspect(i);
//
// Two classes take one cross-validated head; more classes take one head per class (that class
// against the rest), and p_own is its class's share of the heads' probabilities.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/base/result.h"
#include "core/model/head.h"

namespace sl {

// The head the audit cross-validates: linear (logistic regression) on the raw features, classes
// weighted equally, 20 epochs. On santa/train (781 photos, 5 folds, WebAssembly) it is right on
// 99.4% of the photos in 0.6 s, where the original 512-unit head gets 99.2% in 6.7 s.
inline HeadConfig audit_head() {
    HeadConfig c;
    c.hidden = 0;
    c.learning_rate = 1e-3f;
    c.epochs = 20;
    c.batch_size = 32;
    c.balance_classes = true;
    return c;
}

struct SuspectOptions {
    int folds = 5;      // cross-validation folds (fewer when a class has fewer photos)
    uint64_t seed = 1;  // folds and head initialisation
    HeadConfig head = audit_head();
    int min_updates = 400;  // head.epochs is raised on small sets so that each head takes
                            // at least this many RMSprop steps (20 epochs of 20 photos
                            // would be 20 steps: far from fitted)
};

struct PhotoFit {
    float p_own = 0;             // out-of-fold probability of its own class, 0..1
    float own_similarity = 0;    // cosine similarity to its class centre (without the photo)
    float other_similarity = 0;  // cosine similarity to the nearest other class centre
    int other_class = -1;        // that class
    float outlier_z = 0;         // (class mean of own_similarity - own_similarity) / class std
};

// One PhotoFit per photo. features: n * dim; labels: n classes in 0..classes-1. Errors: sizes
// that disagree, a label out of range, a class with fewer than two photos (every class given
// must have two), non-finite features, the head's own errors.
Result<std::vector<PhotoFit>> fit_photos(std::span<const float> features, std::span<const int> labels, int classes,
                                         int dim, const SuspectOptions& options = {});

}  // namespace sl
