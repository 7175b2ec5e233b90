// core/explain/detail/amortized_layers.cpp: 1x1 and 3x3 convolutions over a small grid, forward and
// backward (amortized_layers.h).
#include "core/explain/detail/amortized_layers.h"

#include <algorithm>
#include <cstddef>

namespace sl::detail {

void dense_forward(const float* x, int positions, int in, const float* w, const float* b, int out, float* y) {
    for (int p = 0; p < positions; ++p) {
        const float* xp = x + size_t(p) * in;
        for (int o = 0; o < out; ++o) {
            const float* wo = w + size_t(o) * in;
            float s = 0;
            for (int i = 0; i < in; ++i) s += wo[i] * xp[i];
            y[size_t(p) * out + o] = b[o] + s;
        }
    }
}

void dense_backward(const float* x, int positions, int in, const float* w, int out, const float* gy, float* gw,
                    float* gb, float* gx) {
    for (int p = 0; p < positions; ++p) {
        const float* xp = x + size_t(p) * in;
        const float* gp = gy + size_t(p) * out;
        for (int o = 0; o < out; ++o) {
            const float g = gp[o];
            gb[o] += g;
            if (g == 0) continue;
            float* gwo = gw + size_t(o) * in;
            for (int i = 0; i < in; ++i) gwo[i] += g * xp[i];
        }
        if (!gx) continue;
        float* gxp = gx + size_t(p) * in;
        std::fill(gxp, gxp + in, 0.f);
        for (int o = 0; o < out; ++o) {
            const float g = gp[o];
            if (g == 0) continue;
            const float* wo = w + size_t(o) * in;
            for (int i = 0; i < in; ++i) gxp[i] += g * wo[i];
        }
    }
}

void conv3_forward(const float* x, int grid, int in, const float* w, const float* b, int out, float* y) {
    for (int r = 0; r < grid; ++r)
        for (int c = 0; c < grid; ++c) {
            float* yp = y + size_t(r * grid + c) * out;
            for (int o = 0; o < out; ++o) yp[o] = b[o];
            for (int dy = 0; dy < 3; ++dy)
                for (int dx = 0; dx < 3; ++dx) {
                    const int rr = r + dy - 1, cc = c + dx - 1;
                    if (rr < 0 || rr >= grid || cc < 0 || cc >= grid) continue;
                    const float* xq = x + size_t(rr * grid + cc) * in;
                    for (int o = 0; o < out; ++o) {
                        const float* wo = w + size_t(o) * in * 9 + dy * 3 + dx;
                        float s = 0;
                        for (int i = 0; i < in; ++i) s += wo[size_t(i) * 9] * xq[i];
                        yp[o] += s;
                    }
                }
        }
}

void conv3_backward(const float* x, int grid, int in, const float* w, int out, const float* gy, float* gw, float* gb,
                    float* gx) {
    if (gx) std::fill(gx, gx + size_t(grid) * grid * in, 0.f);
    for (int r = 0; r < grid; ++r)
        for (int c = 0; c < grid; ++c) {
            const float* gp = gy + size_t(r * grid + c) * out;
            for (int o = 0; o < out; ++o) gb[o] += gp[o];
            for (int dy = 0; dy < 3; ++dy)
                for (int dx = 0; dx < 3; ++dx) {
                    const int rr = r + dy - 1, cc = c + dx - 1;
                    if (rr < 0 || rr >= grid || cc < 0 || cc >= grid) continue;
                    const float* xq = x + size_t(rr * grid + cc) * in;
                    float* gxq = gx ? gx + size_t(rr * grid + cc) * in : nullptr;
                    for (int o = 0; o < out; ++o) {
                        const float g = gp[o];
                        if (g == 0) continue;
                        const size_t base = size_t(o) * in * 9 + dy * 3 + dx;
                        for (int i = 0; i < in; ++i) gw[base + size_t(i) * 9] += g * xq[i];
                        if (gxq)
                            for (int i = 0; i < in; ++i) gxq[i] += g * w[base + size_t(i) * 9];
                    }
                }
        }
}

void relu(float* v, int n) {
    for (int k = 0; k < n; ++k) v[k] = std::max(v[k], 0.f);
}

void relu_backward(const float* y, int n, float* gy) {
    for (int k = 0; k < n; ++k)
        if (!(y[k] > 0)) gy[k] = 0;
}

}  // namespace sl::detail
