// core/image/gaussian_blur.h: Gaussian smoothing of a plane of floats, as scipy.ndimage does it.
// Pairs with slic.cpp, which smooths its Lab planes with it as scikit-image's slic does.
//
//   std::vector<float> plane(w * h), scratch(w * h);
//   sl::gaussian_blur(plane.data(), w, h, 3.0, scratch.data());
//
// The result matches scipy.ndimage.gaussian_filter(plane, sigma) (truncate 4: taps up to
// int(4 sigma + 0.5) pixels out; mode 'reflect': d c b a | a b c d at the borders, repeated when
// the kernel is wider than the image) to float rounding. Separable: rows, then columns; the
// kernel's weights come from det_exp, so they have the same bits on every build.
#pragma once

namespace sl {

// Smooths width x height floats (row-major) in place. sigma >= 0 in pixels; kernels under one
// tap each side (sigma below 0.125) leave the plane as it is. `scratch` holds width * height
// floats, overwritten.
void gaussian_blur(float* plane, int width, int height, double sigma, float* scratch);

}  // namespace sl
