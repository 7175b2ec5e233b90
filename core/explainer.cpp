// core/explainer.cpp: the explanation loop's state machine (see explainer.h).
#include "core/explainer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

namespace sl {

const char* estimator_name(ShapEstimator estimator) {
    return estimator == ShapEstimator::owen ? "owen" : "kernel";
}

const char* output_name(ShapLink link) { return link == ShapLink::logit ? "log-odds" : "probability"; }

Result<Explainer> Explainer::create(const Image& photo, const ModelCard& card,
                                    const ExplainerConfig& config) {
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
    Result<KernelShap> kernel = KernelShap::create(shap);
    if (!kernel) return fail("KernelSHAP: " + kernel.error());
    kept.top_groups = 0;
    return Explainer(std::move(*game), kept, std::move(*kernel));
}

bool Explainer::done() const {
    return std::visit([](const auto& e) { return e.done(); }, shap_);
}

const ShapEstimate& Explainer::estimate() const {
    return std::visit([](const auto& e) -> const ShapEstimate& { return e.estimate(); }, shap_);
}

double Explainer::off_manifold() const {
    int64_t total = 0;
    for (int64_t n : predicted_) total += n;
    if (total == 0) return 0;
    const ShapEstimate& e = estimate();
    const auto top = [](const std::vector<double>& f) { return size_t(std::max_element(f.begin(), f.end()) - f.begin()); };
    // In the link's units, the order of the classes is that of their probabilities.
    const size_t full = top(e.f_full), empty = top(e.f_empty);
    return double(total - predicted_[full] - (empty != full ? predicted_[empty] : 0)) / double(total);
}

std::span<const float> Explainer::next_batch() {
    if (batch_.rows > 0) return inputs_;  // still unanswered: the same batch again
    batch_ = std::visit([](auto& e) { return e.next_batch(); }, shap_);
    game_.inputs(batch_.present, batch_.rows, inputs_);
    return inputs_;
}

Result<void> Explainer::add_scores(std::span<const float> outputs) {
    if (batch_.rows == 0) return fail("explain: no batch is waiting for scores");
    Result<std::vector<double>> values = game_.class_values(outputs, batch_.rows);
    if (!values) return fail(values.error());
    Result<void> ok = std::visit([&](auto& e) { return e.add_values(*values); }, shap_);
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
    const double z = config_.estimator == ShapEstimator::kernel_shap ? 2 : 1;
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
