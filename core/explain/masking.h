// core/explain/masking.h: coalitions of superpixels -> batches of model inputs, switched-off superpixels
// filled with a background (the image's mean colour, a blur of it, or a flat colour).
// Pairs with slic.h (the superpixels), kernel_shap.h (the coalitions) and tensor.h (the model's
// input format, which a masked input follows exactly).
//
//   sl::Result<sl::Background> bg = sl::parse_background("blur");      // "mean", "#ff8800"
//   sl::Result<sl::Masker> m = sl::Masker::create(photo, seg, card.input, *bg);
//   std::vector<float> x(rows * m->tensor_size());
//   m->masked_inputs(batch.present, batch.rows, x.data());              // then run the model on x
//
// Why it is fast: the resize to the model's size is linear, so it is done once. At the model's
// resolution the Masker keeps the photo's tensor P, the background's tensor B and, per input
// pixel p, the share w_pk of the superpixels k its resize filter draws from (1 to 3 of them near
// a border, one elsewhere). A coalition z then costs one pass over the pixels:
//     a_p(z) = sum_k w_pk z_k / sum_k w_pk,      x_p = a_p P_p + (1 - a_p) B_p   (every channel)
// The all-present row equals sl::image_to_tensor(photo, spec) exactly, the all-absent row the
// background's tensor exactly. The card rounds resized images to 8 bits: P and B are (they are
// resized images); the mixture at the few pixels a border crosses is not rounded again, since
// that input never existed as an 8-bit image. Where a border crosses a pixel the mixture takes
// the photo and the background at that pixel rather than resizing the composite: they differ
// only where the photo changes within a filter's width, by a fraction of that change.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/explain/slic.h"
#include "core/image/image.h"
#include "core/image/tensor.h"

namespace sl {

enum class BackgroundKind {
    mean,    // the photo's mean colour (shap's KernelExplainer default)
    blur,    // a Gaussian blur of the photo (shap's Partition explainer uses "blur(128,128)")
    colour,  // one flat colour
};

struct Background {
    BackgroundKind kind = BackgroundKind::mean;
    double blur_sigma = 16;                  // pixels at a 224 px model input; scaled with its shorter side
    std::array<uint8_t, 3> colour{0, 0, 0};  // RGB, used when kind == colour
};

// "mean", "blur" or "#rrggbb" (case-insensitive hex). Errors name what is accepted.
Result<Background> parse_background(std::string_view text);
// The inverse: "mean", "blur" or "#rrggbb".
std::string background_name(const Background& background);

// The background for a photo already at the model's size, the same size: a flat image of the
// photo's mean colour (rounded to 8 bits), a Gaussian blur, or the flat colour.
Image make_background(const Image& resized_photo, const Background& background);

// Gaussian blur of each channel with sigma in pixels, as scipy.ndimage.gaussian_filter does it
// (truncated at 4 sigma, borders mirrored; SLIC's own smoothing, detail/gaussian_blur.h),
// rounded to 8 bits. sigma <= 0 returns a copy.
Image gaussian_blur(const Image& image, double sigma);

// The model input of the photo with every superpixel switched off (Masker's all-absent row,
// exactly), without segmenting it: the app runs it with the prediction, so that the amortized
// explainer's first estimate needs no model run of its own.
std::vector<float> background_tensor(const Image& photo, const InputSpec& spec, const Background& background);

class Masker {
public:
    // photo: the decoded photo at any size; the model sees sl::image_to_tensor(photo, spec).
    // segmentation: labels of the same photo at any size (the display size, say 512 px: setting
    // up costs about count / 3 resizes of an image that size), mapped onto the model's input
    // with the resize's own filter. Errors: an empty photo or segmentation, count outside
    // 1..65535, a label outside 0..count-1.
    static Result<Masker> create(const Image& photo, const Segmentation& segmentation, const InputSpec& spec,
                                 const Background& background);

    int segments() const { return segments_; }
    size_t tensor_size() const { return spec_.tensor_size(); }  // floats per masked input
    const InputSpec& spec() const { return spec_; }

    // Writes rows * tensor_size() floats to `out`: row r is the model input in which superpixel
    // k keeps the photo when present[r * segments() + k] != 0 and shows the background otherwise.
    // present.size() must be rows * segments().
    void masked_inputs(std::span<const uint8_t> present, int rows, float* out) const;

    // a_p(z) of one coalition (segments() bytes): the photo's share of each model-input pixel,
    // row-major at the model's size.
    std::vector<float> photo_share(std::span<const uint8_t> present) const;

    const Image& resized_background() const { return background_; }  // the model's size, 8-bit

private:
    InputSpec spec_;
    int segments_ = 0;
    Image photo_, background_;
    std::vector<float> photo_tensor_, background_tensor_;  // spec's layout
    // Per model-input pixel p, entries first_[p] .. first_[p + 1] - 1 of segment_/weight_: the
    // superpixels its resize filter reads and their weights in 1/255 (what resize_image gives).
    std::vector<uint32_t> first_;
    std::vector<uint16_t> segment_;
    std::vector<uint8_t> weight_;
    std::vector<float> total_;  // per pixel: the sum of its weights, a_p's denominator
};

}  // namespace sl
