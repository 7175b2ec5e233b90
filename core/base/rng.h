// core/base/rng.h: a deterministic random generator and the few maths functions whose bits must not
// depend on the platform; pairs with head.cpp (training) and metrics.cpp (folds, log loss).
//
// Why not <random> and <cmath>: std::uniform_real_distribution, std::normal_distribution and
// std::shuffle are implemented differently by libstdc++ (native) and libc++ (WebAssembly), and
// exp/log differ between glibc and musl in the last bit. A head trained natively and one trained
// in WebAssembly from the same seed must have the same weights, bit for bit, so everything random
// or transcendental that feeds the weights is computed here with IEEE +, -, *, / and sqrt only
// (correctly rounded everywhere; no -ffast-math, no FMA on our targets).
//
//   sl::Rng rng(seed);                      // splitmix64-seeded xoshiro256**
//   float u = rng.uniform_float();          // [0, 1), 24 random bits
//   double z = rng.normal();                // N(0, 1), Marsaglia's polar method
//   sl::shuffle(indices, rng);              // Fisher-Yates, the same order on every build
//   double y = sl::det_exp(x);              // exp with the same bits everywhere (~1 ulp)
#pragma once
#include <cstdint>
#include <cstring>
#include <span>
#include <utility>

namespace sl {

// std::bit_cast for trivially copyable types of one size; the WebAssembly toolchain's libc++
// (clang 14) lacks it.
template <typename To, typename From>
To bit_cast(const From& from) {
    static_assert(sizeof(To) == sizeof(From));
    To to;
    std::memcpy(&to, &from, sizeof(To));
    return to;
}

// splitmix64 (Steele, Lea, Flood 2014): expands one 64-bit seed into well-mixed words.
inline uint64_t splitmix64(uint64_t& state) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// xoshiro256** (Blackman, Vigna 2018), seeded by splitmix64 as its authors recommend.
class Rng {
public:
    explicit Rng(uint64_t seed = 1) {
        uint64_t sm = seed;
        for (auto& w : s_) w = splitmix64(sm);
    }

    // A generator in a given state (not all zero), for checking against published sequences.
    static Rng from_state(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) {
        Rng r;
        r.s_[0] = s0, r.s_[1] = s1, r.s_[2] = s2, r.s_[3] = s3;
        return r;
    }

    uint64_t next_u64() {
        const uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 (double) or 24 (float) random bits: exact, no rounding up to 1.
    double uniform() { return double(next_u64() >> 11) * 0x1.0p-53; }
    float uniform_float() { return float(next_u64() >> 40) * 0x1.0p-24f; }

    // Uniform integer in [0, n), unbiased (Lemire 2019, with rejection). n > 0.
    uint64_t below(uint64_t n);

    // Standard normal, Marsaglia's polar method (uses det_log and sqrt only).
    double normal();

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t s_[4];
    double spare_ = 0;
    bool has_spare_ = false;
};

// Fisher-Yates shuffle driven by Rng::below: the same permutation on every build.
template <typename T>
void shuffle(std::span<T> v, Rng& rng) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[size_t(rng.below(i))]);
}

// exp(x) from IEEE arithmetic only; relative error below 2e-16; 0 below -745, +inf above 709.8.
double det_exp(double x);
// log(x) likewise; -inf at 0, NaN below 0 or for NaN, +inf at +inf.
double det_log(double x);
// log(1 + x) accurate for small x, for x > -1.
double det_log1p(double x);
// 1 / (1 + exp(-z)), computed in double: the head's output nonlinearity.
float det_sigmoid(float z);

}  // namespace sl
