// core/image/resize_taps.cpp: the resize filter's taps (see resize_taps.h).
#include "core/image/resize_taps.h"

#include <algorithm>
#include <cmath>

namespace sl {

Taps make_taps(int in, int out) {
    const double scale = double(in) / out;
    const double support = std::max(scale, 1.0);  // triangle radius in input pixels
    Taps t;
    t.max_taps = int(std::ceil(support)) * 2 + 1;
    t.first.resize(out);
    t.count.resize(out);
    t.weights.assign(size_t(out) * t.max_taps, 0.f);
    for (int i = 0; i < out; ++i) {
        const double center = (i + 0.5) * scale;
        int lo = std::max(0, int(std::floor(center - support)));
        int hi = std::min(in, int(std::ceil(center + support)));
        double sum = 0;
        float* w = &t.weights[size_t(i) * t.max_taps];
        int n = 0;
        for (int j = lo; j < hi && n < t.max_taps; ++j, ++n) {
            double d = std::abs((j + 0.5 - center) / support);
            w[n] = float(std::max(0.0, 1.0 - d));
            sum += w[n];
        }
        for (int k = 0; k < n; ++k) w[k] = float(w[k] / sum);
        t.first[i] = lo;
        t.count[i] = n;
    }
    return t;
}

}  // namespace sl
