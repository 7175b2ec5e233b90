// core/image/color_lab.cpp: sRGB8 -> CIELAB with scikit-image's constants (color_lab.h).
#include "core/image/color_lab.h"

#include <algorithm>
#include <cassert>

#include "core/base/rng.h"

namespace sl {
namespace {

// scikit-image's xyz_from_rgb, each row already divided by its D65 white component, so that
// a row gives X/Xn, Y/Yn or Z/Zn directly.
constexpr double kWhite[3] = {0.95047, 1.0, 1.08883};
constexpr double kXyzFromRgb[3][3] = {
    {0.412453, 0.357580, 0.180423}, {0.212671, 0.715160, 0.072169}, {0.019334, 0.119193, 0.950227}};

float xyz_term(int row, int channel, double linear) { return float(kXyzFromRgb[row][channel] * linear / kWhite[row]); }

// The sRGB transfer curve, inverted: a channel in [0, 1] to linear light. det_exp/det_log give
// the same bits on every build, so the tables below do too.
double srgb_to_linear(double c) { return c > 0.04045 ? det_exp(2.4 * det_log((c + 0.055) / 1.055)) : c / 12.92; }

// CIELAB's f(t). The cube root starts from fdlibm's bit-level guess (exponent / 3, via a float
// so the division vectorises) and takes three Newton steps (3% -> 1e-3 -> 1e-6 -> float
// precision). Both branches are computed and one is picked with a bit mask, comparing the
// floats as integers (a float >= 0 orders like its bits; a negative one reads as smaller), so
// that GCC vectorises the loop too: it will not turn a float comparison into a select.
inline float lab_f(float t) {
    const int32_t t_bits = bit_cast<int32_t>(t);
    float y = bit_cast<float>(int32_t(float(t_bits) * (1.0f / 3.0f)) + 709958130);
    for (int i = 0; i < 3; ++i) y = (y + y + t / (y * y)) * (1.0f / 3.0f);
    const float linear = 7.787f * t + 16.0f / 116.0f;
    const int32_t use_root = -int32_t(t_bits > bit_cast<int32_t>(0.008856f));
    return bit_cast<float>((bit_cast<int32_t>(y) & use_root) | (bit_cast<int32_t>(linear) & ~use_root));
}

// Normalised XYZ in the three planes -> L, a, b in place.
void xyz_to_lab(float* __restrict l, float* __restrict a, float* __restrict b, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        const float fx = lab_f(l[i]), fy = lab_f(a[i]), fz = lab_f(b[i]);
        l[i] = 116.0f * fy - 16.0f;
        a[i] = 500.0f * (fx - fy);
        b[i] = 200.0f * (fy - fz);
    }
}

}  // namespace

LabImage rgb_to_lab(const Image& image, uint8_t black, uint8_t white) {
    assert(black < white);
    assert(image.rgb.size() == size_t(image.width) * image.height * 3);
    // table[row][channel][v]: what channel value v adds to X/Xn (row 0), Y/Yn (1) or Z/Zn (2).
    float table[3][3][256];
    for (int v = 0; v < 256; ++v) {
        const double s = std::clamp(double(v - black) / double(white - black), 0.0, 1.0);
        const double linear = srgb_to_linear(s);
        for (int row = 0; row < 3; ++row)
            for (int c = 0; c < 3; ++c) table[row][c][v] = xyz_term(row, c, linear);
    }
    LabImage lab;
    lab.width = image.width;
    lab.height = image.height;
    const size_t n = size_t(image.width) * image.height;
    lab.l.resize(n);
    lab.a.resize(n);
    lab.b.resize(n);
    const uint8_t* p = image.rgb.data();
    for (size_t i = 0; i < n; ++i, p += 3) {  // table gathers: scalar
        lab.l[i] = table[0][0][p[0]] + table[0][1][p[1]] + table[0][2][p[2]];
        lab.a[i] = table[1][0][p[0]] + table[1][1][p[1]] + table[1][2][p[2]];
        lab.b[i] = table[2][0][p[0]] + table[2][1][p[1]] + table[2][2][p[2]];
    }
    xyz_to_lab(lab.l.data(), lab.a.data(), lab.b.data(), n);
    return lab;
}

std::array<float, 3> rgb_to_lab(float r, float g, float b) {
    const double linear[3] = {srgb_to_linear(r), srgb_to_linear(g), srgb_to_linear(b)};
    float xyz[3];
    for (int row = 0; row < 3; ++row)
        xyz[row] = xyz_term(row, 0, linear[0]) + xyz_term(row, 1, linear[1]) + xyz_term(row, 2, linear[2]);
    xyz_to_lab(&xyz[0], &xyz[1], &xyz[2], 1);
    return {xyz[0], xyz[1], xyz[2]};
}

}  // namespace sl
