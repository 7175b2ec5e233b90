// tests/core/base/rng_test.cpp: the deterministic generator and exp/log of core/base/rng.h. The "Recorded"
// tests pin exact bits, so the native and the WebAssembly builds are checked against each other.
#include "core/base/rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace {

// FNV-1a over the bits of a sequence of values.
struct Fnv {
    uint64_t h = 0xcbf29ce484222325ull;
    void add(uint64_t v) {
        for (int k = 0; k < 8; ++k) h = (h ^ ((v >> (8 * k)) & 0xff)) * 0x100000001b3ull;
    }
    void add(double v) { add(sl::bit_cast<uint64_t>(v)); }
};

}  // namespace

TEST(Rng, Splitmix64MatchesTheReferenceSequence) {
    // Vigna's splitmix64.c seeded with 1234567 (also Java's SplittableRandom).
    uint64_t s = 1234567;
    EXPECT_EQ(sl::splitmix64(s), 6457827717110365317ull);
    EXPECT_EQ(sl::splitmix64(s), 3203168211198807973ull);
    EXPECT_EQ(sl::splitmix64(s), 9817491932198370423ull);
    EXPECT_EQ(sl::splitmix64(s), 4593380528125082431ull);
    EXPECT_EQ(sl::splitmix64(s), 16408922859458223821ull);
}

TEST(Rng, Xoshiro256StarStarMatchesTheReferenceSequence) {
    // State {1, 2, 3, 4}: the reference outputs of xoshiro256starstar.c (as rand_xoshiro tests).
    sl::Rng r = sl::Rng::from_state(1, 2, 3, 4);
    const uint64_t expected[] = {11520ull,
                                 0ull,
                                 1509978240ull,
                                 1215971899390074240ull,
                                 1216172134540287360ull,
                                 607988272756665600ull,
                                 16172922978634559625ull,
                                 8476171486693032832ull,
                                 10595114339597558777ull,
                                 2904607092377533576ull};
    for (uint64_t e : expected) EXPECT_EQ(r.next_u64(), e);
}

TEST(Rng, SameSeedSameStreamOtherSeedOtherStream) {
    sl::Rng a(42), b(42), c(43);
    int same_ac = 0;
    for (int i = 0; i < 100; ++i) {
        const uint64_t va = a.next_u64();
        EXPECT_EQ(va, b.next_u64());
        same_ac += va == c.next_u64();
    }
    EXPECT_EQ(same_ac, 0);
}

TEST(Rng, UniformStaysInTheUnitIntervalWithMeanOneHalf) {
    sl::Rng r(7);
    double sum = 0, sumf = 0;
    const int n = 100000;
    for (int i = 0; i < n; ++i) {
        const double u = r.uniform();
        const float f = r.uniform_float();
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        ASSERT_GE(f, 0.f);
        ASSERT_LT(f, 1.f);
        sum += u, sumf += f;
    }
    EXPECT_NEAR(sum / n, 0.5, 0.005);
    EXPECT_NEAR(sumf / n, 0.5, 0.005);
}

TEST(Rng, BelowIsInRangeAndEvenlySpread) {
    sl::Rng r(3);
    const int k = 7, n = 70000;
    int counts[k] = {};
    for (int i = 0; i < n; ++i) {
        const uint64_t v = r.below(k);
        ASSERT_LT(v, uint64_t(k));
        ++counts[v];
    }
    double chi2 = 0;
    for (int c : counts) chi2 += (c - n / k) * double(c - n / k) / (n / k);
    EXPECT_LT(chi2, 22.5);  // 6 degrees of freedom, p = 0.001
    EXPECT_EQ(r.below(1), 0u);
}

TEST(Rng, NormalHasMeanZeroAndVarianceOne) {
    sl::Rng r(11);
    const int n = 200000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; ++i) {
        const double z = r.normal();
        s += z, s2 += z * z;
    }
    EXPECT_NEAR(s / n, 0.0, 0.01);
    EXPECT_NEAR(s2 / n, 1.0, 0.015);
}

TEST(Rng, ShuffleIsAPermutation) {
    sl::Rng r(5);
    std::vector<int> v(1000);
    std::iota(v.begin(), v.end(), 0);
    sl::shuffle(std::span<int>(v), r);
    std::vector<int> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(sorted[i], i);
    int fixed = 0;
    for (int i = 0; i < 1000; ++i) fixed += v[i] == i;
    EXPECT_LT(fixed, 10);  // a shuffle moves nearly everything
}

TEST(Rng, RecordedStreamsAreTheSameOnEveryBuild) {
    sl::Rng r(2024);
    Fnv h;
    for (int i = 0; i < 1000; ++i) {
        h.add(r.uniform());
        h.add(double(r.uniform_float()));
        h.add(r.below(1000003));
        h.add(r.normal());
    }
    std::vector<int> v(100);
    std::iota(v.begin(), v.end(), 0);
    sl::shuffle(std::span<int>(v), r);
    for (int x : v) h.add(uint64_t(x));
    EXPECT_EQ(h.h, 10675868916034656337ull) << "recorded hash changed";
}

TEST(DetMath, ExpAgreesWithTheLibraryWithinTwoUlps) {
    for (double x = -740; x < 709; x += 0.0137) {
        const double e = sl::det_exp(x), ref = std::exp(x);
        ASSERT_LE(std::fabs(e - ref), 2 * std::fabs(std::nextafter(ref, INFINITY) - ref)) << x;
    }
    EXPECT_EQ(sl::det_exp(0), 1.0);
    EXPECT_EQ(sl::det_exp(-800), 0.0);
    EXPECT_EQ(sl::det_exp(800), INFINITY);
    EXPECT_TRUE(std::isnan(sl::det_exp(NAN)));
}

TEST(DetMath, LogAgreesWithTheLibraryWithinTwoUlps) {
    for (double x = 1e-300; x < 1e300; x *= 1.0371) {
        const double l = sl::det_log(x), ref = std::log(x);
        ASSERT_LE(std::fabs(l - ref), 2 * std::fabs(std::nextafter(ref, INFINITY) - ref)) << x;
    }
    for (double x = 0.5; x < 2; x += 0.00123) {
        const double l = sl::det_log(x), ref = std::log(x);
        ASSERT_NEAR(l, ref, 4e-16 * std::max(1.0, std::fabs(ref) * 4)) << x;
    }
    EXPECT_EQ(sl::det_log(1), 0.0);
    EXPECT_NEAR(sl::det_log(4.9406564584124654e-324), -744.44007192138127, 1e-12);  // subnormal
    EXPECT_EQ(sl::det_log(0), -INFINITY);
    EXPECT_TRUE(std::isnan(sl::det_log(-1)));
}

TEST(DetMath, Log1pIsAccurateForTinyArguments) {
    for (double x : {1e-20, 1e-10, 3e-8, 1e-4, 0.3, 1.0, 7.0, 1e10})
        EXPECT_NEAR(sl::det_log1p(x), std::log1p(x), 3e-16 * std::fabs(std::log1p(x))) << x;
}

TEST(DetMath, SigmoidIsSymmetricAndSaturates) {
    EXPECT_EQ(sl::det_sigmoid(0), 0.5f);
    for (float z : {0.1f, 1.f, 3.f, 10.f}) EXPECT_NEAR(sl::det_sigmoid(z) + sl::det_sigmoid(-z), 1.f, 1e-7f);
    EXPECT_EQ(sl::det_sigmoid(200), 1.f);
    EXPECT_EQ(sl::det_sigmoid(-200), 0.f);
    EXPECT_FLOAT_EQ(sl::det_sigmoid(2), float(1 / (1 + std::exp(-2.0))));
}

TEST(DetMath, RecordedBitsAreTheSameOnEveryBuild) {
    Fnv h;
    for (double x = -700; x < 700; x += 0.731) h.add(sl::det_exp(x));
    for (double x = 1e-300; x < 1e300; x *= 3.17) h.add(sl::det_log(x));
    for (float z = -30; z < 30; z += 0.0173f) h.add(double(sl::det_sigmoid(z)));
    EXPECT_EQ(h.h, 11735724498493301858ull) << "recorded hash changed";
}
