// core/explain/prior_shap.h: Shapley values that start from a prediction (the amortized explainer's,
// amortized_explainer.h) and move to the Shapley values as real evaluations arrive, with an
// uncertainty that accounts for the prediction's own error. The streaming interface of
// KernelShap (kernel_shap.h): it hands out coalitions, the host evaluates them, and it takes the
// values back; the full and the empty coalition are known from the start (the prediction's run).
//
//   sl::Result<sl::PriorShap> shap = sl::PriorShap::create(cfg, {}, prior, f_full, f_empty);
//   show(shap->estimate());                      // the prior itself, with its uncertainty
//   while (!shap->done()) {
//       sl::CoalitionBatch batch = shap->next_batch();
//       if (auto ok = shap->add_values(evaluate(batch)); !ok) { report(ok.error()); return; }
//       show(shap->estimate());
//   }
//
// The model, per output: the prior phi ~ N(phi0, tau^2 I) with tau = prior_error x the values'
// root mean square (the prior's, or what the samples' spread shows, whichever is larger;
// prior_error: how wrong the amortized explainer typically is, measured on held-out training
// photos); each sampled coalition z (KernelShap's paired leverage plan) gives
// y = v(z) - v(empty) = z'phi + e, where e, the part of the game no additive model explains, has
// a variance sigma^2 estimated from the residuals of the plain Shapley regression once the
// samples outnumber the players (before that: interaction x the prior's mean square value,
// blended in with the weight of `players` rows). The estimate is the posterior mean under the
// efficiency constraint sum(phi) = f(full) - f(empty):
//   P = A / sigma^2 + I / tau^2,  phi = P^-1 (b / sigma^2 + phi0 / tau^2) + a mu,  a = P^-1 1
// (A = sum w z z', b = sum w z y over the n sampled rows, with the Shapley regression's weights
// scaled to a mean of 1, so that both grow with n), mu
// chosen for efficiency; its covariance is P^-1 - a a' / (1'a), and std_error is the square root
// of its diagonal. As the samples grow, A / sigma^2 outweighs the prior: the limit is the
// Shapley regression's, the Shapley value, whatever phi0 was. Deterministic for a seed (the
// plan's), the same bits natively and in WebAssembly. Nothing here throws.
#pragma once
#include <span>

#include "core/base/result.h"
#include "core/explain/kernel_shap.h"

namespace sl {

struct PriorShapConfig {
    double prior_error = 0.8;  // tau relative to the prior's root mean square value per player
    double interaction = 1.0;  // sigma^2 before the residuals can tell, relative to the prior's
                               // mean square value per player
};

class PriorShap {
public:
    // config: players, outputs, budget (evaluations in all, the full and empty coalitions
    // included: 2 means the prior alone), batch_size, tolerance, seed; sampler and surrogate
    // do not apply. prior: outputs x players in the link's units; f_full, f_empty: outputs, in
    // the link's units. The prior is shifted to add up to f_full - f_empty if it does not.
    // Errors: as KernelShap::create, sizes that disagree, values that are not finite.
    static Result<PriorShap> create(const KernelShapConfig& config, const PriorShapConfig& prior_config,
                                    std::span<const double> prior, std::span<const double> f_full,
                                    std::span<const double> f_empty);
    // create's checks of the two configurations alone, for a caller that learns the prior
    // later (explainer.h: the amortized estimator, made after the first batch) and must refuse
    // a bad setting before the model runs. Errors: as create's, but for the values.
    static Result<void> check(const KernelShapConfig& config, const PriorShapConfig& prior_config);

    CoalitionBatch next_batch();  // rows 0 once done()
    // rows x outputs in the model's units (probabilities for the logit link). Errors: wrong
    // length, a value that is not finite, no batch outstanding.
    Result<void> add_values(std::span<const double> values);
    const ShapEstimate& estimate() const;
    bool done() const;  // budget spent, or convergence < tolerance
    const KernelShapConfig& config() const;

    PriorShap(PriorShap&&) noexcept;
    PriorShap& operator=(PriorShap&&) noexcept;
    ~PriorShap();

private:
    struct State;
    explicit PriorShap(State* state);
    State* state_ = nullptr;
};

}  // namespace sl
