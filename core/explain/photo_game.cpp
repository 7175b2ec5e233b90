// core/explain/photo_game.cpp: superpixels, masked inputs and class values of one photo (photo_game.h).
#include "core/explain/photo_game.h"

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

PhotoGame::PhotoGame(ModelCard card, PhotoGameConfig config, Image display, Segmentation segments, Masker masker)
    : card_(std::move(card)),
      config_(config),
      display_(std::move(display)),
      segments_(std::move(segments)),
      masker_(std::move(masker)) {
    area_.assign(size_t(segments_.count), 0);
    for (int32_t label : segments_.labels) ++area_[size_t(label)];
}

Result<PhotoGame> PhotoGame::create(const Image& photo, const ModelCard& card, const PhotoGameConfig& config) {
    if (card.num_classes() < 1) return fail("explain: the model card names no classes");
    if (config.display_max_side < 16) return fail("explain: display_max_side must be at least 16 pixels");
    if (photo.width <= 0 || photo.height <= 0) return fail("explain: the photo is empty");
    Image display = display_image(photo, config.display_max_side);
    Result<Segmentation> segments = slic(display, config.slic);
    if (!segments) return fail("superpixels: " + segments.error());
    Result<Masker> masker = Masker::create(photo, *segments, card.input, config.background);
    if (!masker) return fail(masker.error());
    return PhotoGame(card, config, std::move(display), std::move(*segments), std::move(*masker));
}

void PhotoGame::inputs(std::span<const uint8_t> present, int rows, std::vector<float>& out) const {
    out.resize(size_t(rows) * masker_.tensor_size());
    masker_.masked_inputs(present, rows, out.data());
}

Result<std::vector<double>> PhotoGame::class_values(std::span<const float> outputs, int rows) const {
    const size_t per = size_t(card_.outputs_per_image());
    if (outputs.size() != size_t(rows) * per)
        return fail("explain: expected " + std::to_string(size_t(rows) * per) + " model outputs for " +
                    std::to_string(rows) + " inputs, got " + std::to_string(outputs.size()));
    std::vector<double> values;
    values.reserve(size_t(rows) * size_t(classes()));
    for (int r = 0; r < rows; ++r) {
        const std::span<const float> row = outputs.subspan(r * per, per);
        for (float v : row)
            if (!std::isfinite(v)) return fail("explain: the model returned a value that is not finite");
        const std::vector<float> p = card_.class_probabilities(row);
        values.insert(values.end(), p.begin(), p.end());
    }
    return values;
}

}  // namespace sl
