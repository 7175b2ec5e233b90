// core/explain/faithfulness.cpp: deletion and insertion curves (see faithfulness.h).
#include "core/explain/faithfulness.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <string>

#include "core/base/rng.h"

namespace sl {

std::vector<int> value_order(std::span<const double> values) {
    std::vector<int> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int i, int j) { return values[size_t(i)] > values[size_t(j)]; });
    return order;
}

std::vector<int> random_order(int players, uint64_t seed) {
    std::vector<int> order(size_t(std::max(players, 0)));
    std::iota(order.begin(), order.end(), 0);
    Rng rng(seed);
    shuffle(std::span(order), rng);
    return order;
}

std::vector<uint8_t> faithfulness_coalitions(std::span<const int> order) {
    const size_t m = order.size();
    std::vector<uint8_t> rows(2 * (m + 1) * m);
    uint8_t* deletion = rows.data();
    uint8_t* insertion = rows.data() + (m + 1) * m;
    std::fill(deletion, deletion + m, uint8_t(1));  // deletion row 0: the photo
    for (size_t t = 1; t <= m; ++t) {
        const size_t k = size_t(order[t - 1]);
        assert(k < m);
        std::copy_n(deletion + (t - 1) * m, m, deletion + t * m);
        std::copy_n(insertion + (t - 1) * m, m, insertion + t * m);
        assert(deletion[t * m + k] == 1);  // a permutation: each player once
        deletion[t * m + k] = 0;
        insertion[t * m + k] = 1;
    }
    return rows;
}

double area_under_curve(std::span<const double> curve) {
    if (curve.size() < 2) return 0;
    double inner = 0;
    for (size_t i = 1; i + 1 < curve.size(); ++i) inner += curve[i];
    return (inner + (curve.front() + curve.back()) / 2) / double(curve.size() - 1);
}

Result<Faithfulness> faithfulness(std::span<const double> curves) {
    if (curves.size() < 4 || curves.size() % 2 != 0)
        return fail("faithfulness: expected 2 (M + 1) values with M >= 1, got " + std::to_string(curves.size()));
    for (double v : curves)
        if (!std::isfinite(v)) return fail("faithfulness: a value that is not finite");
    const size_t half = curves.size() / 2;
    Faithfulness f;
    f.deletion = area_under_curve(curves.first(half));
    f.insertion = area_under_curve(curves.subspan(half));
    f.difference = f.insertion - f.deletion;
    return f;
}

}  // namespace sl
