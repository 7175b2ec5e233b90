// core/explain/reference_shap.h: high-precision Shapley values to measure explanations against, with the
// precision measured, not assumed. Like KernelShap it hands out coalitions and takes the model's
// values back; it is meant for thousands of evaluations per photo (minutes natively), not for
// the app. Pairs with kernel_shap.h (the batch, link and estimate types), detail/shap_sampler.h
// (the coalitions), detail/game_surrogate.h (its variance reduction) and explainer.h (the game:
// use Explainer::create for the superpixels and the masking).
//
//   sl::ReferenceShapConfig cfg;
//   cfg.players = seg.count;  cfg.outputs = 2;  cfg.budget = 16384;  cfg.link = sl::ShapLink::logit;
//   auto ref = sl::ReferenceShap::create(cfg);
//   while (!ref->done()) {
//       sl::CoalitionBatch batch = ref->next_batch();
//       if (auto ok = ref->add_values(evaluate(batch)); !ok) { report(ok.error()); return; }
//   }
//   sl::Result<sl::ReferenceValues> values = ref->solve();   // phi, both halves, precision
//
// The estimator, per output: two independent halves of the budget, each a paired leverage plan
// (sizes with equal total mass, pairs without replacement within a size, as KernelShap's), with
// its own seed. Within a half, K-fold cross-fitting (Witter et al. 2025, regression-adjusted
// Monte Carlo): for each fold, a small network g is fitted to the game on the other folds'
// samples, its Shapley values are computed without model calls, and the fold's own samples
// estimate only the residual game v - g by the efficiency-constrained Shapley regression;
// the half's estimate is the mean over its folds. g never sees the samples it corrects, so it
// changes the variance only: the limit is the Shapley value whatever g is. The result is the
// mean of the halves, and its precision is measured from them: the relative L2 distance between
// the two halves is sqrt(2) times the error of one half, 2 times the error of their mean, so
// precision = ||half_a - half_b|| / ||phi|| / 2. Deterministic for a seed, the same bits natively
// and in WebAssembly. Nothing here throws.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/base/result.h"
#include "core/explain/kernel_shap.h"

namespace sl {

struct ReferenceShapConfig {
    int players = 0;                    // M, 1 .. 4096
    int outputs = 1;                    // values per coalition (classes), 1 .. 64
    int budget = 16384;                 // evaluations in all (the full and empty coalitions and both
                                        // halves); at least 8; budget x players <= 2^28
    ShapLink link = ShapLink::logit;    // the units of the values (as KernelShapConfig's)
    uint64_t seed = 1;                  // half a uses seed, half b seed + 1, the surrogates seeds from both
    int batch_size = 64;                // coalitions per next_batch
    int folds = 4;                      // cross-fitting folds within each half; 1: no surrogate (plain
                                        // paired KernelSHAP per half)
    int surrogate_hidden = 64;          // tanh units of each fold's surrogate network
    int surrogate_epochs = 30;          // its passes over the other folds' samples
    int surrogate_permutations = 2000;  // antithetic pairs of orders for its Shapley values
};

struct ReferenceValues {
    int players = 0, outputs = 0;
    std::vector<double> phi;     // outputs x players: the mean of the two halves
    std::vector<double> half_a;  // outputs x players: each half's own estimate
    std::vector<double> half_b;
    std::vector<double> precision;  // outputs: ||half_a - half_b|| / ||phi|| / 2 (0 if exact)
    std::vector<double> f_full;     // outputs, in the link's units
    std::vector<double> f_empty;
    int evaluations = 0;
    bool exact = false;  // the budget covered every coalition: phi is exact
};

class ReferenceShap {
public:
    // Errors: players, outputs, budget or batch_size out of range, folds < 1.
    static Result<ReferenceShap> create(const ReferenceShapConfig& config);

    CoalitionBatch next_batch();  // rows 0 once done()
    // rows x outputs in the model's units (probabilities for the logit link), row-major.
    // Errors: wrong length, a value that is not finite, no batch outstanding.
    Result<void> add_values(std::span<const double> values);
    bool done() const;
    int evaluations() const;  // values in so far
    int total() const;        // evaluations once done

    // The estimate from every value in, for every output or only those listed (the others'
    // values and precision stay 0: a surrogate is fitted per output and fold, which takes
    // seconds). Errors: not done yet, an output out of range.
    Result<ReferenceValues> solve(std::span<const int> only = {}) const;

    // Every coalition handed out so far (rows x players, row 0 full, row 1 empty) and its values
    // in the link's units (rows x outputs): the samples themselves, e.g. to train on.
    std::span<const uint8_t> rows() const;
    std::span<const double> values() const;

    const ReferenceShapConfig& config() const;

    ReferenceShap(ReferenceShap&&) noexcept;
    ReferenceShap& operator=(ReferenceShap&&) noexcept;
    ~ReferenceShap();

private:
    struct State;
    explicit ReferenceShap(State* state);
    State* state_ = nullptr;
};

}  // namespace sl
