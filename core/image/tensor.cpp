// core/image/tensor.cpp: antialiased bilinear resize and the image -> tensor conversion.
//
// The resize is separable: per output column (then row) a small table of input positions and
// weights (detail/resize_taps.h).
#include "core/image/tensor.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "core/image/resize_taps.h"

namespace sl {

Image resize_image(const Image& img, int width, int height) {
    if (img.width == width && img.height == height) return img;
    const Taps tx = make_taps(img.width, width), ty = make_taps(img.height, height);
    // Horizontal pass: img.height rows of `width` RGB floats.
    std::vector<float> mid(size_t(img.height) * width * 3);
    for (int y = 0; y < img.height; ++y) {
        const uint8_t* row = img.pixel(0, y);
        float* out = &mid[size_t(y) * width * 3];
        for (int x = 0; x < width; ++x) {
            const float* w = &tx.weights[size_t(x) * tx.max_taps];
            const uint8_t* p = row + size_t(tx.first[x]) * 3;
            float r = 0, g = 0, b = 0;
            for (int k = 0; k < tx.count[x]; ++k, p += 3) {
                r += w[k] * p[0];
                g += w[k] * p[1];
                b += w[k] * p[2];
            }
            out[x * 3] = r;
            out[x * 3 + 1] = g;
            out[x * 3 + 2] = b;
        }
    }
    // Vertical pass, rounding to 8 bits.
    Image res{width, height, std::vector<uint8_t>(size_t(width) * height * 3)};
    std::vector<float> acc(size_t(width) * 3);
    for (int y = 0; y < height; ++y) {
        std::fill(acc.begin(), acc.end(), 0.f);
        const float* w = &ty.weights[size_t(y) * ty.max_taps];
        for (int k = 0; k < ty.count[y]; ++k) {
            const float* src = &mid[size_t(ty.first[y] + k) * width * 3];
            for (size_t i = 0; i < acc.size(); ++i) acc[i] += w[k] * src[i];
        }
        uint8_t* dst = res.rgb.data() + size_t(y) * width * 3;
        for (size_t i = 0; i < acc.size(); ++i) dst[i] = uint8_t(std::clamp(std::lround(acc[i]), 0L, 255L));
    }
    return res;
}

void resized_image_to_tensor(const Image& img, const InputSpec& spec, float* out) {
    assert(img.width == spec.width && img.height == spec.height);
    const size_t plane = size_t(spec.width) * spec.height;
    // Source channel for each tensor channel: BGR reads R from index 2.
    const int src_channel[3] = {spec.channels == ChannelOrder::bgr ? 2 : 0, 1,
                                spec.channels == ChannelOrder::bgr ? 0 : 2};
    for (size_t i = 0; i < plane; ++i) {
        const uint8_t* p = img.rgb.data() + i * 3;
        for (int c = 0; c < 3; ++c) {
            float v = (p[src_channel[c]] - spec.mean[c]) * spec.scale[c];
            if (spec.layout == Layout::nchw)
                out[c * plane + i] = v;
            else
                out[i * 3 + c] = v;
        }
    }
}

void image_to_tensor(const Image& image, const InputSpec& spec, float* out) {
    resized_image_to_tensor(resize_image(image, spec.width, spec.height), spec, out);
}

}  // namespace sl
