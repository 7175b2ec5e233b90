// tests/core/explain/brute_force_shapley.h: Shapley values by the subset formula, written out
// independently of the library, for the estimators' tests to compare with (small games only:
// 2^m coalitions).
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

namespace brute_force_shapley {

using Game = std::function<double(const uint8_t*)>;  // a coalition (m bytes, 1 = in) -> its value

inline std::vector<double> brute_force(int m, const Game& v) {
    std::vector<double> phi(size_t(m), 0.0), fact(size_t(m) + 1, 1.0);
    for (int k = 1; k <= m; ++k) fact[size_t(k)] = fact[size_t(k) - 1] * k;
    std::vector<uint8_t> z(size_t(m), 0), zi(size_t(m), 0);
    for (uint32_t mask = 0; mask < (1u << m); ++mask) {
        int s = 0;
        for (int j = 0; j < m; ++j) s += z[size_t(j)] = (mask >> j) & 1;
        for (int i = 0; i < m; ++i) {
            if (z[size_t(i)]) continue;
            zi = z, zi[size_t(i)] = 1;
            phi[size_t(i)] +=
                fact[size_t(s)] * fact[size_t(m - s - 1)] / fact[size_t(m)] * (v(zi.data()) - v(z.data()));
        }
    }
    return phi;
}

}  // namespace brute_force_shapley
