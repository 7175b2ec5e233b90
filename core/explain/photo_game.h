// core/explain/photo_game.h: the game a photo's explanation is about: its superpixels are the players, a
// coalition is a model input in which the absent ones show the background, and its value is the
// model's class probabilities on that input. Every estimator plays the same game: the explainer
// (explainer.h) with its running estimate, and the high-precision reference (reference_shap.h)
// that measures it. Pairs with slic.h (players), masking.h (inputs) and model_card.h (outputs).
//
//   sl::Result<sl::PhotoGame> game = sl::PhotoGame::create(photo, card, {});  // SLIC 50, blur
//   std::vector<float> x;
//   game->inputs(batch.present, batch.rows, x);                 // then run the model on x
//   sl::Result<std::vector<double>> p = game->class_values(model_outputs, batch.rows);
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/base/result.h"
#include "core/explain/masking.h"
#include "core/explain/slic.h"
#include "core/image/image.h"
#include "core/model/model_card.h"

namespace sl {

struct PhotoGameConfig {
    SlicParams slic;                              // the players: 50 segments, compactness 30, sigma 3
    int display_max_side = 512;                   // pixels: the photo is segmented (and drawn) at most this large
    Background background{BackgroundKind::blur};  // what a switched-off superpixel shows
};

class PhotoGame {
public:
    // Errors: a model card with no classes, display_max_side < 16, an empty photo, and whatever
    // SLIC or the masking reject (named by their messages).
    static Result<PhotoGame> create(const Image& photo, const ModelCard& card, const PhotoGameConfig& config);

    int players() const { return segments_.count; }
    int classes() const { return card_.num_classes(); }

    // Model inputs of `rows` coalitions (rows x players() bytes, 1 = present): rows x
    // card().input.tensor_size() floats in the card's layout, into `out` (resized).
    void inputs(std::span<const uint8_t> present, int rows, std::vector<float>& out) const;

    // The model's raw outputs for `rows` inputs (rows x card().outputs_per_image()) as class
    // probabilities, rows x classes(). Errors: wrong length, a value that is not finite.
    Result<std::vector<double>> class_values(std::span<const float> outputs, int rows) const;

    const ModelCard& card() const { return card_; }
    const PhotoGameConfig& config() const { return config_; }
    const Image& display() const { return display_; }               // the photo at display size
    const Segmentation& segmentation() const { return segments_; }  // at display size
    const Masker& masker() const { return masker_; }
    // Pixels of each superpixel at display size.
    const std::vector<int64_t>& segment_area() const { return area_; }

private:
    PhotoGame(ModelCard card, PhotoGameConfig config, Image display, Segmentation segments, Masker masker);

    ModelCard card_;
    PhotoGameConfig config_;
    Image display_;
    Segmentation segments_;
    std::vector<int64_t> area_;
    Masker masker_;
};

// The photo shrunk (never enlarged) so that neither side exceeds max_side, aspect kept.
Image display_image(const Image& photo, int max_side);

}  // namespace sl
