// core/explain/amortized_explainer.h: Shapley values predicted in one pass, from what the classifier
// computes anyway (FastSHAP, Jethani et al. 2022; stochastic amortization, Covert et al. 2024).
// A small network reads ResNet50's stage-4 features of the photo and of the fully masked photo
// (both come out of the prediction's own model run) and predicts a value density over the
// photo, G x G cells; a superpixel's value is the density summed over its pixels, so one network
// serves any segmentation. The values are then shifted to add up exactly to
// f(photo) - f(all masked), as Shapley values do. Trained by amortized_training.h on the games
// of the training photos; the estimator (prior_shap.h) starts from these values and corrects them
// with real evaluations. Pairs with photo_game.h (the game it predicts) and model_card.h ("features").
//
//   sl::Result<sl::AmortizedNet> net = sl::parse_amortized_net(file_bytes);   // assets/*.bin
//   std::vector<float> density = sl::predict_density(*net, clean, masked);    // outputs x G x G
//   sl::CellOverlap cells = sl::cell_overlap(segmentation, net->grid);
//   std::vector<double> phi = sl::amortized_values(density, cells, 0, delta);  // per superpixel
//
// The network: inputs standardised per channel (the training set's mean and spread), then a
// 1x1 convolution to `hidden` channels, ReLU, a 3x3 convolution (zero padding), ReLU, and a 3x3
// convolution to `outputs` densities (one for a sigmoid model, the values of class 1; class 0's
// are their negatives in log-odds; one per class for softmax).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/base/result.h"
#include "core/explain/kernel_shap.h"
#include "core/explain/slic.h"
#include "core/model/model_card.h"

namespace sl {

struct AmortizedNet {
    int channels = 0;                  // C: feature channels of one image (1024 for ResNet50's stage 4)
    int grid = 0;                      // G: the features' height and width (14), and the density's
    int hidden = 0;                    // H: channels inside the network
    int outputs = 0;                   // O: densities (1 for a sigmoid model)
    std::vector<float> mean, inv_std;  // 2C: per input channel (the photo's C, then the masked photo's)
    std::vector<float> w1, b1;         // H x 2C, H
    std::vector<float> w2, b2;         // H x H x 3 x 3, H
    std::vector<float> w3, b3;         // O x H x 3 x 3, O

    size_t input_size() const { return size_t(channels) * size_t(grid) * size_t(grid); }  // per image
    size_t parameter_count() const { return w1.size() + b1.size() + w2.size() + b2.size() + w3.size() + b3.size(); }
};

// A network of the given shape with weights drawn from `seed` (He-uniform) and identity
// standardisation: what training starts from.
AmortizedNet make_amortized_net(int channels, int grid, int hidden, int outputs, uint64_t seed);

// Densities (outputs x grid x grid, row-major) from the features of the photo and of the
// fully masked photo, each channels x grid x grid (the model's NCHW output for one image).
// Asserts the sizes.
std::vector<float> predict_density(const AmortizedNet& net, std::span<const float> clean,
                                   std::span<const float> masked);

// How the superpixels cover the density's cells: share[k * G^2 + c] = the part of cell c (a
// G x G grid over the photo, which the model sees squashed to its square input) that
// superpixel k covers; each cell's shares add up to 1. area[k]: k's share of the photo.
struct CellOverlap {
    int segments = 0, grid = 0;
    std::vector<float> share;  // segments x grid^2
    std::vector<double> area;  // segments
};
CellOverlap cell_overlap(const Segmentation& segmentation, int grid);

// Values per superpixel of density `output` (its cells summed over each superpixel), shifted in
// proportion to area so that they add up to `delta` = f(photo) - f(all masked) in the units the
// network was trained in (log-odds).
std::vector<double> amortized_values(std::span<const float> density, const CellOverlap& cells, int output,
                                     double delta);

namespace detail {
// The network's input, position-major (grid^2 x 2C), standardised: the photo's channels first.
// clean and masked: channels x grid x grid each, as predict_density takes them.
void network_input(const AmortizedNet& net, std::span<const float> clean, std::span<const float> masked, float* x);
// The forward pass from that input, keeping every activation (training needs them):
// h1, h2: grid^2 x hidden after their ReLU; density: grid^2 x outputs (position-major).
struct Activations {
    std::vector<float> h1, h2, density;
};
void forward(const AmortizedNet& net, const float* x, Activations& a);
}  // namespace detail

// The prior of a photo's explanation, classes x superpixels in the link's units: the network's
// values (net may be null: then every superpixel gets its share of the photo's area, the
// equal split). features: the photo's and the fully masked photo's spatial features, as the
// model outputs them (2 x card.features_per_image()); p_full, p_empty: the class probabilities
// of the two. A sigmoid card's net has one density, the values of class 1 in log-odds; class 0
// gets their negatives. Other links are scaled from log-odds by the margins' ratio. Errors: a
// net whose shape disagrees with the card's features or classes, features of the wrong size.
Result<std::vector<double>> amortized_prior(const AmortizedNet* net, const ModelCard& card,
                                            const Segmentation& segmentation, std::span<const float> features,
                                            std::span<const double> p_full, std::span<const double> p_empty,
                                            ShapLink link);

// "SLAMEX1\0", channels, grid, hidden, outputs as uint32 little-endian, then mean, inv_std, w1,
// b1, w2, b2, w3, b3 as float32 little-endian.
std::vector<uint8_t> serialize_amortized_net(const AmortizedNet& net);
// Errors: not such a file, sizes out of range or disagreeing with the length, weights not finite.
Result<AmortizedNet> parse_amortized_net(std::span<const uint8_t> bytes);

}  // namespace sl
