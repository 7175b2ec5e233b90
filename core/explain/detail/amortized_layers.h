// core/explain/detail/amortized_layers.h: the amortized explainer's layers (amortized_explainer.h), forward
// and backward, shared by prediction and training so that both compute the same numbers.
// Activations are position-major: x[p * channels + c] for the grid x grid positions p, so that
// every inner loop runs over contiguous channels. Plain float loops in a fixed order: the same
// bits natively and in WebAssembly.
#pragma once

namespace sl::detail {

// y[p][o] = b[o] + sum_i w[o][i] x[p][i]   (a 1x1 convolution); w: out x in.
void dense_forward(const float* x, int positions, int in, const float* w, const float* b, int out, float* y);
// Adds dL/dw (out x in) and dL/db (out) from gy = dL/dy (positions x out) into gw, gb; with gx
// not null, writes dL/dx (positions x in) there.
void dense_backward(const float* x, int positions, int in, const float* w, int out, const float* gy, float* gw,
                    float* gb, float* gx);

// y[p][o] = b[o] + sum over the 3x3 neighbours q of p (zero outside the grid) and i of
// w[o][i][dy][dx] x[q][i]; w: out x in x 3 x 3.
void conv3_forward(const float* x, int grid, int in, const float* w, const float* b, int out, float* y);
// As dense_backward, for conv3_forward.
void conv3_backward(const float* x, int grid, int in, const float* w, int out, const float* gy, float* gw, float* gb,
                    float* gx);

// max(0, v) in place.
void relu(float* v, int n);
// gy *= (y > 0) in place: the ReLU's backward pass from its output y.
void relu_backward(const float* y, int n, float* gy);

}  // namespace sl::detail
