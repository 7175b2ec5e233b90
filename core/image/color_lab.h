// core/image/color_lab.h: sRGB8 -> CIELAB (D65), as planes of floats; the colour space of slic.h.
// Pairs with slic.cpp, its one user.
//
//   sl::LabImage lab = sl::rgb_to_lab(image);         // lab.l[y * lab.width + x] in 0..100
//   sl::LabImage stretched = sl::rgb_to_lab(image, 12, 240);  // 12 -> black, 240 -> white
//
// The formulas and constants are scikit-image's rgb2lab (sRGB gamma, the sRGB->XYZ matrix, D65
// white (0.95047, 1, 1.08883), f(t) = cbrt(t) above 0.008856, else 7.787 t + 16/116), so Lab
// distances mean the same as in `skimage.segmentation.slic`; float instead of double (values
// agree to about 1e-4). Fast: the gamma of an 8-bit value is a table lookup, the cube root is
// computed with + - * / only, so the loop vectorises and gives the same bits on every build.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "core/image/image.h"

namespace sl {

// A CIELAB image: three planes of width * height floats, row-major.
struct LabImage {
    int width = 0;
    int height = 0;
    std::vector<float> l;  // lightness, 0 (black) .. 100 (white)
    std::vector<float> a;  // green (-) .. red (+), about -86 .. 98 for sRGB
    std::vector<float> b;  // blue (-) .. yellow (+), about -108 .. 95 for sRGB
};

// Converts every pixel. Channel values are first stretched linearly so that `black` maps to 0
// and `white` to 1 (values outside clamp), as scikit-image's slic stretches an image's
// [min, max] to [0, 1]; the defaults leave values as they are. Needs black < white.
LabImage rgb_to_lab(const Image& image, uint8_t black = 0, uint8_t white = 255);

// One colour, channels in [0, 1] (values outside are allowed: no clamping): {L, a, b}.
std::array<float, 3> rgb_to_lab(float r, float g, float b);

}  // namespace sl
