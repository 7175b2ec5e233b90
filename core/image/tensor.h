// core/image/tensor.h: image -> model input tensor (resize, channel order, normalise, layout).
//
//   sl::InputSpec spec = card.input;               // from the model card (core/model/model_card.h)
//   std::vector<float> x(spec.tensor_size());
//   sl::image_to_tensor(image, spec, x.data());    // one image; batches are consecutive blocks
//
// The resize squashes the whole photo to the model's size (no crop), with a bilinear filter
// widened by the downscale factor (antialiased, like PIL's BILINEAR), so that a 4000 px photo
// and its 400 px thumbnail give nearly the same tensor. The head is trained on exactly this
// preprocessing; the model card names it.
#pragma once
#include <array>
#include <cstddef>
#include <string>

#include "core/image/image.h"

namespace sl {

enum class Layout { nchw, nhwc };
enum class ChannelOrder { rgb, bgr };

// How a model wants its input; the "input" object of a model card.
struct InputSpec {
    std::string name = "input";  // ONNX input name
    int width = 224;             // pixels
    int height = 224;
    Layout layout = Layout::nchw;
    ChannelOrder channels = ChannelOrder::bgr;
    std::array<float, 3> mean{103.939f, 116.779f, 123.68f};  // subtracted, in `channels` order
    std::array<float, 3> scale{1.f, 1.f, 1.f};               // then multiplied

    size_t tensor_size() const { return size_t(width) * height * 3; }  // floats per image
};

// Resizes `image` to spec.width x spec.height into an RGB8 image (antialiased bilinear).
Image resize_image(const Image& image, int width, int height);

// Writes spec.tensor_size() floats for `image` to `out`.
void image_to_tensor(const Image& image, const InputSpec& spec, float* out);

// The same for an image already at the model's size (skips the resize).
void resized_image_to_tensor(const Image& resized, const InputSpec& spec, float* out);

}  // namespace sl
