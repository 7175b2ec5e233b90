// core/explainer.cpp: the explanation loop's state machine (see explainer.h).
#include "core/explainer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

namespace sl {

Image display_image(const Image& photo, int max_side) {
    const int side = std::max(photo.width, photo.height);
    if (side <= max_side) return photo;
    const double s = double(max_side) / side;
    return resize_image(photo, std::max(1, int(std::lround(photo.width * s))),
                        std::max(1, int(std::lround(photo.height * s))));
}

const char* estimator_name(ShapEstimator estimator) {
    return estimator == ShapEstimator::owen ? "owen" : "kernel";
}

const char* output_name(ShapLink link) { return link == ShapLink::logit ? "log-odds" : "probability"; }

Result<Explainer> Explainer::create(const Image& photo, const ModelCard& card,
                                    const ExplainerConfig& config) {
    if (card.num_classes() < 1) return fail("explain: the model card names no classes");
    if (config.display_max_side < 16)
        return fail("explain: display_max_side must be at least 16 pixels");
    if (photo.width <= 0 || photo.height <= 0) return fail("explain: the photo is empty");
    Image display = display_image(photo, config.display_max_side);
    Result<Segmentation> segments = slic(display, config.slic);
    if (!segments) return fail("superpixels: " + segments.error());
    Result<Masker> masker = Masker::create(photo, *segments, card.input, config.background);
    if (!masker) return fail(masker.error());
    KernelShapConfig shap = config.shap;
    shap.players = segments->count;
    shap.outputs = card.num_classes();
    ExplainerConfig kept = config;
    kept.shap = shap;
    if (config.estimator == ShapEstimator::owen) {
        Result<SuperpixelTree> tree = build_superpixel_tree(display, *segments);
        if (!tree) return fail(tree.error());
        Result<OwenShap> owen = OwenShap::create(*tree, shap, config.top_groups);
        if (!owen) return fail(owen.error());
        kept.top_groups = owen->top_groups();
        return Explainer(card, kept, std::move(display), std::move(*segments), std::move(*masker),
                         std::move(*owen));
    }
    Result<KernelShap> kernel = KernelShap::create(shap);
    if (!kernel) return fail("KernelSHAP: " + kernel.error());
    kept.top_groups = 0;
    return Explainer(card, kept, std::move(display), std::move(*segments), std::move(*masker),
                     std::move(*kernel));
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
    inputs_.resize(size_t(batch_.rows) * masker_.tensor_size());
    masker_.masked_inputs(batch_.present, batch_.rows, inputs_.data());
    return inputs_;
}

Result<void> Explainer::add_scores(std::span<const float> outputs) {
    if (batch_.rows == 0) return fail("explain: no batch is waiting for scores");
    const size_t per = size_t(card_.outputs_per_image());
    if (outputs.size() != size_t(batch_.rows) * per)
        return fail("explain: expected " + std::to_string(size_t(batch_.rows) * per) +
                    " model outputs for " + std::to_string(batch_.rows) + " inputs, got " +
                    std::to_string(outputs.size()));
    const size_t classes = size_t(card_.num_classes());
    std::vector<double> values;
    values.reserve(size_t(batch_.rows) * classes);
    std::vector<int> top(size_t(batch_.rows));
    for (int r = 0; r < batch_.rows; ++r) {
        const std::span<const float> row = outputs.subspan(r * per, per);
        for (float v : row)
            if (!std::isfinite(v)) return fail("explain: the model returned a value that is not finite");
        const std::vector<float> p = card_.class_probabilities(row);
        top[size_t(r)] = int(std::max_element(p.begin(), p.end()) - p.begin());
        values.insert(values.end(), p.begin(), p.end());
    }
    Result<void> ok = std::visit([&](auto& e) { return e.add_values(values); }, shap_);
    if (!ok) return ok;
    predicted_.resize(classes, 0);
    for (int t : top) ++predicted_[size_t(t)];
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
    const std::vector<int64_t>& area = area_;
    assert(unsettled.size() == size_t(card_.num_classes()) * area.size());
    int64_t settled = 0, total = 0;
    for (size_t k = 0; k < area.size(); ++k) {
        total += area[k];
        if (!unsettled[size_t(c) * area.size() + k]) settled += area[k];
    }
    return total > 0 ? double(settled) / double(total) : 0;
}

}  // namespace sl
