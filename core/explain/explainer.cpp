// core/explain/explainer.cpp: the explanation loop's state machine (see explainer.h).
#include "core/explain/explainer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

namespace sl {

namespace {
// The equal split's error relative to the values' root mean square: several times the values.
constexpr double kFlatPriorError = 4.0;
}  // namespace

const char* estimator_name(ShapEstimator estimator) {
    switch (estimator) {
        case ShapEstimator::owen:
            return "owen";
        case ShapEstimator::kernel_shap:
            return "kernel";
        case ShapEstimator::amortized:
            return "amortized";
    }
    return "?";
}

const char* output_name(ShapLink link) { return link == ShapLink::logit ? "log-odds" : "probability"; }

Result<Explainer> Explainer::create(const Image& photo, const ModelCard& card, const ExplainerConfig& config) {
    Result<PhotoGame> game = PhotoGame::create(photo, card, config.game);
    if (!game) return fail(game.error());
    KernelShapConfig shap = config.shap;
    shap.players = game->players();
    shap.outputs = game->classes();
    ExplainerConfig kept = config;
    kept.shap = shap;
    if (config.estimator == ShapEstimator::owen) {
        Result<SuperpixelTree> tree = build_superpixel_tree(game->display(), game->segmentation());
        if (!tree) return fail(tree.error());
        Result<OwenShap> owen = OwenShap::create(*tree, shap, config.top_groups);
        if (!owen) return fail(owen.error());
        kept.top_groups = owen->top_groups();
        return Explainer(std::move(*game), kept, std::move(*owen));
    }
    if (config.estimator == ShapEstimator::amortized) {
        // The estimator is made once the first batch is in; a bad setting is refused now.
        if (auto ok = PriorShap::check(shap, config.prior); !ok) return fail("amortized: " + ok.error());
        kept.top_groups = 0;
        Explainer ex(std::move(*game), kept, std::monostate{});
        ex.waiting_.players = shap.players;
        ex.waiting_.outputs = shap.outputs;
        ex.waiting_.convergence = std::numeric_limits<double>::infinity();
        ex.waiting_.phi.assign(size_t(shap.players) * shap.outputs, 0.0);
        ex.waiting_.std_error.assign(ex.waiting_.phi.size(), std::numeric_limits<double>::infinity());
        return ex;
    }
    Result<KernelShap> kernel = KernelShap::create(shap);
    if (!kernel) return fail("KernelSHAP: " + kernel.error());
    kept.top_groups = 0;
    return Explainer(std::move(*game), kept, std::move(*kernel));
}

bool Explainer::done() const {
    if (std::holds_alternative<std::monostate>(shap_)) return false;
    return std::visit(
        [](const auto& e) {
            if constexpr (std::is_same_v<std::decay_t<decltype(e)>, std::monostate>)
                return false;
            else
                return e.done();
        },
        shap_);
}

const ShapEstimate& Explainer::estimate() const {
    return std::visit(
        [this](const auto& e) -> const ShapEstimate& {
            if constexpr (std::is_same_v<std::decay_t<decltype(e)>, std::monostate>)
                return waiting_;
            else
                return e.estimate();
        },
        shap_);
}

bool Explainer::waiting() const { return std::holds_alternative<std::monostate>(shap_); }
bool Explainer::needs_features() const { return waiting() && config_.amortized_net != nullptr; }

double Explainer::off_manifold() const {
    int64_t total = 0;
    for (int64_t n : predicted_) total += n;
    if (total == 0) return 0;
    const ShapEstimate& e = estimate();
    const auto top = [](const std::vector<double>& f) {
        return size_t(std::max_element(f.begin(), f.end()) - f.begin());
    };
    // In the link's units, the order of the classes is that of their probabilities.
    const size_t full = top(e.f_full), empty = top(e.f_empty);
    return double(total - predicted_[full] - (empty != full ? predicted_[empty] : 0)) / double(total);
}

std::span<const float> Explainer::next_batch() {
    if (batch_.rows > 0) return inputs_;  // still unanswered: the same batch again
    batch_ = std::visit(
        [this](auto& e) {
            if constexpr (std::is_same_v<std::decay_t<decltype(e)>, std::monostate>) {
                // The amortized estimator's start: the whole photo, then the fully masked photo.
                CoalitionBatch b{2, game_.players(), std::vector<uint8_t>(size_t(2 * game_.players()), 0)};
                std::fill(b.present.begin(), b.present.begin() + game_.players(), uint8_t(1));
                return b;
            } else {
                return e.next_batch();
            }
        },
        shap_);
    game_.inputs(batch_.present, batch_.rows, inputs_);
    return inputs_;
}

Result<void> Explainer::start(std::span<const float> outputs, std::span<const float> features) {
    if (!waiting()) return fail("explain: this explanation has started already, or does not start from a prediction");
    if (batch_.rows == 0) next_batch();
    return add_scores(outputs, features);
}

Result<void> Explainer::add_scores(std::span<const float> outputs, std::span<const float> features) {
    if (batch_.rows == 0) return fail("explain: no batch is waiting for scores");
    Result<std::vector<double>> values = game_.class_values(outputs, batch_.rows);
    if (!values) return fail(values.error());
    Result<void> ok;
    if (waiting()) {
        const ModelCard& card = game_.card();
        if (needs_features() && (features.size() != 2 * card.features_per_image() || card.features_per_image() == 0))
            return fail("explain: the amortized explainer needs the model's features (\"" + card.features_name +
                        "\") of the photo and of the masked photo");
        const size_t classes = size_t(game_.classes());
        const std::span<const double> p_full(values->data(), classes), p_empty(values->data() + classes, classes);
        Result<std::vector<double>> prior = amortized_prior(config_.amortized_net.get(), card, game_.segmentation(),
                                                            features, p_full, p_empty, config_.shap.link);
        if (!prior) return fail(prior.error());
        std::vector<double> full(classes), empty(classes);
        for (size_t c = 0; c < classes; ++c)
            full[c] = link_value(p_full[c], config_.shap.link), empty[c] = link_value(p_empty[c], config_.shap.link);
        // Without a network the prior is the equal split, which knows nothing: trust it little.
        PriorShapConfig trust = config_.prior;
        if (!config_.amortized_net) trust.prior_error = std::max(trust.prior_error, kFlatPriorError);
        Result<PriorShap> shap = PriorShap::create(config_.shap, trust, *prior, full, empty);
        if (!shap) return fail(shap.error());
        shap_ = std::move(*shap);
    } else {
        ok = std::visit(
            [&](auto& e) -> Result<void> {
                if constexpr (std::is_same_v<std::decay_t<decltype(e)>, std::monostate>)
                    return {};
                else
                    return e.add_values(*values);
            },
            shap_);
    }
    if (!ok) return ok;
    const size_t classes = size_t(game_.classes());
    predicted_.resize(classes, 0);
    for (size_t r = 0; r < size_t(batch_.rows); ++r) {
        const auto row = values->begin() + std::ptrdiff_t(r * classes);
        ++predicted_[size_t(std::max_element(row, row + std::ptrdiff_t(classes)) - row)];
    }
    batch_ = {};
    return {};
}

std::vector<double> Explainer::probabilities() const {
    std::vector<double> p = estimate().f_full;
    for (double& v : p) v = unlink_value(v, config_.shap.link);
    return p;
}

std::vector<uint8_t> Explainer::unsettled() const {
    const ShapEstimate& e = estimate();
    // KernelSHAP's standard errors and the amortized estimator's posterior spread: about 95% two
    // standard deviations; Owen values: the credit still held by groups not yet split.
    const double z = config_.estimator == ShapEstimator::owen ? 1 : 2;
    std::vector<uint8_t> out(e.phi.size());
    for (size_t j = 0; j < e.phi.size(); ++j) out[j] = !(std::fabs(e.phi[j]) > z * e.std_error[j]);
    return out;
}

double Explainer::settled_share(std::span<const uint8_t> unsettled, int c) const {
    const std::vector<int64_t>& area = game_.segment_area();
    assert(unsettled.size() == size_t(game_.classes()) * area.size());
    int64_t settled = 0, total = 0;
    for (size_t k = 0; k < area.size(); ++k) {
        total += area[k];
        if (!unsettled[size_t(c) * area.size() + k]) settled += area[k];
    }
    return total > 0 ? double(settled) / double(total) : 0;
}

}  // namespace sl
