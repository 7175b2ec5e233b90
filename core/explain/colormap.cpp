// core/explain/colormap.cpp: the red_transparent_blue table and the percentile range (see colormap.h).
#include "core/explain/colormap.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>
#include <vector>

namespace sl {
namespace {

ColormapLut make_red_transparent_blue() {
    // Anchor k of 200 sits at k / 199; entry i of the table at i / 255 (matplotlib's from_list).
    constexpr double blue[3] = {30, 136, 229}, red[3] = {255, 13, 87};
    auto anchor = [&](int k, int channel) {
        if (channel == 3) return k < 100 ? 1.0 - k / 99.0 : (k - 100) / 99.0;
        return k < 100 ? blue[channel] / 255 : red[channel] / 255;
    };
    ColormapLut lut{};
    for (int i = 0; i < kColormapSize; ++i) {
        const double u = i / 255.0 * 199;
        const int k = std::min(int(u), 198);
        const double f = u - k;
        for (int ch = 0; ch < 4; ++ch) {
            const double v = anchor(k, ch) * (1 - f) + anchor(k + 1, ch) * f;
            lut[i][ch] = uint8_t(std::lround(std::clamp(v, 0.0, 1.0) * 255));
        }
    }
    return lut;
}

}  // namespace

const ColormapLut& red_transparent_blue() {
    static const ColormapLut lut = make_red_transparent_blue();
    return lut;
}

int colormap_index(double value, double range) {
    if (!(range > 0) || !std::isfinite(value)) return kColormapSize / 2;
    const double t = std::floor((value + range) / (2 * range) * kColormapSize);
    return int(std::clamp(t, 0.0, double(kColormapSize - 1)));
}

double symmetric_range(std::span<const double> phi, int classes, std::span<const int64_t> segment_area) {
    const size_t m = segment_area.size();
    assert(classes >= 1 && phi.size() == size_t(classes) * m);
    // (|phi|, pixels) pairs sorted by value stand for the sorted list of all pixel values.
    std::vector<std::pair<double, int64_t>> v;
    int64_t n = 0;
    for (int c = 0; c < classes; ++c)
        for (size_t k = 0; k < m; ++k)
            if (segment_area[k] > 0) {
                v.emplace_back(std::fabs(phi[c * m + k]), segment_area[k]);
                n += segment_area[k];
            }
    if (n == 0) return 0;
    std::sort(v.begin(), v.end());
    auto at_rank = [&](int64_t rank) {  // the value at 0-based position `rank` of the pixel list
        for (const auto& [value, count] : v) {
            if (rank < count) return value;
            rank -= count;
        }
        return v.back().first;
    };
    const double pos = 0.999 * double(n - 1);
    const int64_t lo = int64_t(std::floor(pos));
    const double frac = pos - double(lo);
    const double a = at_rank(lo), b = at_rank(std::min(lo + 1, n - 1));
    return a + frac * (b - a);
}

}  // namespace sl
