// core/image/resize_taps.h: the filter of core/image/tensor.h's resize, per axis, for the code that
// must follow it exactly: tensor.cpp (the resize itself) and masking.cpp (which superpixels land
// on each model pixel, with the very weights the photo goes through).
//
//   sl::Taps tx = sl::make_taps(in_width, out_width);
//   for (int k = 0; k < tx.count[x]; ++k) sum += tx.weight(x, k) * row[tx.first[x] + k];
//
// A triangle filter widened by the downscale factor (every input pixel contributes: no aliasing
// when 4000 px become 224); the same maths as PIL's BILINEAR. Weights of an output index sum to 1.
#pragma once
#include <cstddef>
#include <vector>

namespace sl {

struct Taps {
    std::vector<int> first;      // first input index per output index
    std::vector<int> count;      // number of taps per output index
    std::vector<float> weights;  // `max_taps` weights per output index
    int max_taps = 0;

    float weight(int out, int k) const { return weights[size_t(out) * max_taps + k]; }
};

Taps make_taps(int in, int out);

}  // namespace sl
