// core/explainer.cpp: the explanation loop's state machine (see explainer.h).
#include "core/explainer.h"

#include <algorithm>
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
    Result<KernelShap> estimator = KernelShap::create(shap);
    if (!estimator) return fail("KernelSHAP: " + estimator.error());
    ExplainerConfig kept = config;
    kept.shap = shap;
    return Explainer(card, kept, std::move(display), std::move(*segments), std::move(*masker),
                     std::move(*estimator));
}

std::span<const float> Explainer::next_batch() {
    if (batch_.rows > 0) return inputs_;  // still unanswered: the same batch again
    batch_ = shap_.next_batch();
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
    for (int r = 0; r < batch_.rows; ++r) {
        const std::span<const float> row = outputs.subspan(r * per, per);
        for (float v : row)
            if (!std::isfinite(v)) return fail("explain: the model returned a value that is not finite");
        for (float p : card_.class_probabilities(row)) values.push_back(p);
    }
    Result<void> ok = shap_.add_values(values);
    if (!ok) return ok;
    batch_ = {};
    return {};
}

std::vector<int64_t> Explainer::segment_area() const {
    std::vector<int64_t> area(size_t(segments_.count), 0);
    for (int32_t label : segments_.labels) ++area[size_t(label)];
    return area;
}

}  // namespace sl
