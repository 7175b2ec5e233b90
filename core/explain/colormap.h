// core/explain/colormap.h: shap's red_transparent_blue colour map as a 256-entry RGBA8 lookup table, and
// the symmetric value range shap.image_plot gives it.
// Pairs with heatmap.h (the CPU renderer) and wasm/app/shaders/heatmap.frag: the browser uploads this same
// table as a 256x1 RGBA8 texture, so the figure a user exports and the heatmap on screen agree.
//
//   const sl::ColormapLut& lut = sl::red_transparent_blue();
//   double r = sl::symmetric_range(phi, classes, segment_area);   // shared by the class panels
//   const uint8_t* rgba = lut[sl::colormap_index(phi[c * m + label], r)].data();
//
// The map, as shap defines it (shap/plots/colors): 100 anchors of blue (30, 136, 229) with alpha
// falling from 1 to 0, then 100 anchors of red (255, 13, 87) with alpha rising from 0 to 1,
// interpolated linearly into 256 entries (matplotlib's LinearSegmentedColormap.from_list).
// Blue = the region pushes the output down, red = up, transparent = no effect.
#pragma once
#include <array>
#include <cstdint>
#include <span>

namespace sl {

constexpr int kColormapSize = 256;
using ColormapLut = std::array<std::array<uint8_t, 4>, kColormapSize>;  // RGBA8, entry 0 = -range

// The table (computed once; the same bytes on every build).
const ColormapLut& red_transparent_blue();

// The entry for `value` on a map spanning [-range, range], by matplotlib's rule:
// floor((value + range) / (2 range) * 256), clipped to 0..255. range <= 0 or a value that is not
// finite gives the transparent middle entry (128), not a colour.
int colormap_index(double value, double range);

// shap.image_plot's range: the 99.9th percentile (numpy's linear interpolation) of |phi| over
// every pixel of every class, as a positive number (0 when all values are 0).
// phi: classes x segments, phi[c * segments + k]; segment_area: pixels of each segment (any
// resolution, only the proportions matter), so a large region weighs as much as its pixels do.
double symmetric_range(std::span<const double> phi, int classes, std::span<const int64_t> segment_area);

}  // namespace sl
