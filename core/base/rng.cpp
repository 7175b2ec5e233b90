// core/base/rng.cpp: the deterministic generator's distributions and the portable exp/log (rng.h).
//
// exp and log follow fdlibm's argument reductions (Cody-Waite split of ln 2) with plain
// polynomials evaluated by Horner's rule: a few more multiplies than a libm, but every operation
// is a correctly rounded IEEE one, so the bits are the same natively and in WebAssembly.
#include "core/base/rng.h"

#include <cmath>
#include <limits>

namespace sl {

namespace {

constexpr double ln2_hi = 6.93147180369123816490e-01;  // ln 2, low bits zero: n * ln2_hi is exact
constexpr double ln2_lo = 1.90821492927058770002e-10;  // ln 2 - ln2_hi
constexpr double log2e = 1.44269504088896338700e+00;

// 2^k for k in [-1022, 1023], built from its bits.
double pow2(int k) { return bit_cast<double>(uint64_t(k + 1023) << 52); }

}  // namespace

uint64_t Rng::below(uint64_t n) {
    // Reject the top (2^64 mod n) values so that every residue is equally likely.
    const uint64_t threshold = (0 - n) % n;
    uint64_t r;
    do r = next_u64();
    while (r < threshold);
    return r % n;
}

double Rng::normal() {
    if (has_spare_) {
        has_spare_ = false;
        return spare_;
    }
    double u, v, s;
    do {
        u = 2 * uniform() - 1;
        v = 2 * uniform() - 1;
        s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double m = std::sqrt(-2 * det_log(s) / s);
    spare_ = v * m;
    has_spare_ = true;
    return u * m;
}

double det_exp(double x) {
    if (x != x) return x;
    if (x > 709.782712893384) return std::numeric_limits<double>::infinity();
    if (x < -745.1332191019412) return 0;
    // x = n ln2 + r, |r| <= ln2 / 2; std::floor is exact on every platform.
    const double n = std::floor(x * log2e + 0.5);
    const double r = (x - n * ln2_hi) - n * ln2_lo;
    // Taylor series to r^13: truncation error below 4e-18 for |r| <= 0.347.
    double p = 1.0 / 6227020800.0;  // 1/13!
    constexpr double inv_fact[] = {1.0 / 479001600.0,
                                   1.0 / 39916800.0,
                                   1.0 / 3628800.0,
                                   1.0 / 362880.0,
                                   1.0 / 40320.0,
                                   1.0 / 5040.0,
                                   1.0 / 720.0,
                                   1.0 / 120.0,
                                   1.0 / 24.0,
                                   1.0 / 6.0,
                                   0.5,
                                   1.0,
                                   1.0};
    for (double c : inv_fact) p = p * r + c;
    // Scale by 2^n in two steps so that both factors stay normal (n can reach -1075).
    const int k = int(n);
    const int k1 = k / 2;
    return p * pow2(k1) * pow2(k - k1);
}

double det_log(double x) {
    if (x != x || x < 0) return std::numeric_limits<double>::quiet_NaN();
    if (x == 0) return -std::numeric_limits<double>::infinity();
    if (x == std::numeric_limits<double>::infinity()) return x;
    int e = 0;
    if (x < 0x1.0p-1022) {  // subnormal: make it normal first
        x *= 0x1.0p54;
        e = -54;
    }
    const uint64_t bits = bit_cast<uint64_t>(x);
    e += int(bits >> 52) - 1023;
    double m = bit_cast<double>((bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
    if (m > 1.4142135623730951) {  // m in [sqrt(1/2), sqrt(2)]
        m *= 0.5;
        e += 1;
    }
    // log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716: series to s^25 (error < 1e-19).
    const double f = m - 1;
    const double s = f / (2 + f);
    const double s2 = s * s;
    double q = 1.0 / 25;
    for (int d = 23; d >= 1; d -= 2) q = q * s2 + 1.0 / d;
    const double log_m = 2 * s * q;
    return e * ln2_hi + (log_m + e * ln2_lo);
}

double det_log1p(double x) {
    if (x == std::numeric_limits<double>::infinity()) return x;
    const double u = 1 + x;
    if (u == 1) return x;  // log(1 + x) = x to double precision
    // Goldberg's correction: the rounding error of 1 + x cancels in log(u) / (u - 1).
    return det_log(u) * (x / (u - 1));
}

float det_sigmoid(float z) {
    const double zd = z;
    if (zd >= 0) return float(1 / (1 + det_exp(-zd)));
    const double e = det_exp(zd);
    return float(e / (1 + e));
}

}  // namespace sl
