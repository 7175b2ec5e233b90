// tests/core/model/head_test.cpp: training, prediction, gradients and the file format of core/model/head.h.
#include "core/model/head.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/base/rng.h"

namespace {

struct Data {
    int dim = 0;
    std::vector<float> x;
    std::vector<int> y;
};

// Non-negative features with many zeros, like ResNet's pooled ones. Santas (label 1) are shifted
// up by `shift` on the first eighth of the dimensions, persons on the second eighth.
Data make_data(int n, int dim, uint64_t seed, float shift = 1.5f, int santas_every = 2) {
    Data d{dim, std::vector<float>(size_t(n) * dim), std::vector<int>(n)};
    sl::Rng rng(seed);
    for (int i = 0; i < n; ++i) {
        d.y[i] = i % santas_every == 0;
        for (int j = 0; j < dim; ++j) {
            float v = float(rng.normal() * 0.5 + 0.1);
            if (d.y[i] == 1 && j < dim / 8) v += shift;
            if (d.y[i] == 0 && j >= dim / 8 && j < dim / 4) v += shift;
            d.x[size_t(i) * dim + j] = v > 0 ? v : 0;
        }
    }
    return d;
}

double accuracy(const sl::Head& h, const Data& d) {
    std::vector<float> p(d.y.size());
    sl::predict_head_batch(h, d.x, p);
    int right = 0;
    for (size_t i = 0; i < p.size(); ++i) right += (p[i] > 0.5f) == (d.y[i] == 1);
    return double(right) / double(p.size());
}

uint64_t hash_head(const sl::Head& h) {
    uint64_t x = 0xcbf29ce484222325ull;
    auto add = [&](float f) { x = (x ^ sl::bit_cast<uint32_t>(f)) * 0x100000001b3ull; };
    for (float f : h.w1) add(f);
    for (float f : h.b1) add(f);
    for (float f : h.w2) add(f);
    add(h.b2);
    return x;
}

sl::HeadConfig small_config(int hidden) {
    sl::HeadConfig c;
    c.hidden = hidden;
    c.learning_rate = 1e-3f;
    c.epochs = 5;
    return c;
}

}  // namespace

TEST(TrainHead, LearnsASeparableProblemWithTheOriginalSettings) {
    const Data train = make_data(300, 256, 1), test = make_data(100, 256, 2);
    auto head = sl::train_head(train.x, train.y, train.dim, sl::HeadConfig{});
    ASSERT_TRUE(head) << head.error();
    EXPECT_EQ(head->inputs, 256);
    EXPECT_EQ(head->hidden, 512);
    EXPECT_EQ(accuracy(*head, train), 1.0);
    EXPECT_EQ(accuracy(*head, test), 1.0);
}

TEST(TrainHead, LinearHeadLearnsTheSameProblem) {
    const Data train = make_data(300, 256, 1), test = make_data(100, 256, 2);
    auto head = sl::train_head(train.x, train.y, train.dim, small_config(0));
    ASSERT_TRUE(head) << head.error();
    EXPECT_EQ(head->w1.size(), 0u);
    EXPECT_EQ(head->w2.size(), 256u);
    EXPECT_EQ(accuracy(*head, test), 1.0);
}

TEST(TrainHead, LossFallsFromEpochToEpoch) {
    const Data d = make_data(200, 64, 3, 0.5f);
    std::vector<double> losses;
    auto head = sl::train_head(d.x, d.y, d.dim, small_config(16), [&](int epoch, double loss) {
        EXPECT_EQ(epoch, int(losses.size()) + 1);
        losses.push_back(loss);
        return true;
    });
    ASSERT_TRUE(head) << head.error();
    ASSERT_EQ(losses.size(), 5u);
    EXPECT_LT(losses.back(), losses.front());
    EXPECT_LT(losses.front(), 1.0);  // starts near ln 2 for a fresh Glorot head
}

TEST(TrainHead, CancelsWhenProgressReturnsFalse) {
    const Data d = make_data(50, 16, 3);
    int calls = 0;
    auto head = sl::train_head(d.x, d.y, d.dim, small_config(8), [&](int, double) { return ++calls < 2; });
    ASSERT_FALSE(head);
    EXPECT_EQ(calls, 2);
    EXPECT_NE(head.error().find("cancelled"), std::string::npos);
}

TEST(TrainHead, SameSeedGivesIdenticalWeightsOtherSeedOthers) {
    const Data d = make_data(60, 32, 4);
    sl::HeadConfig c = small_config(24);
    auto a = sl::train_head(d.x, d.y, d.dim, c), b = sl::train_head(d.x, d.y, d.dim, c);
    c.seed = 2;
    auto other = sl::train_head(d.x, d.y, d.dim, c);
    ASSERT_TRUE(a && b && other);
    EXPECT_EQ(a->w1, b->w1);
    EXPECT_EQ(a->w2, b->w2);
    EXPECT_EQ(a->b1, b->b1);
    EXPECT_EQ(a->b2, b->b2);
    EXPECT_NE(a->w1, other->w1);
}

// The same numbers natively and under node: the hash is recorded from the native build.
TEST(TrainHead, RecordedWeightsAreTheSameOnEveryBuild) {
    const Data d = make_data(45, 300, 5, 0.4f);  // 300 > 2 cache blocks of hidden units too
    sl::HeadConfig c;
    c.hidden = 260;
    c.epochs = 2;
    c.batch_size = 7;
    c.l2 = 1e-3f;
    c.balance_classes = true;
    auto h = sl::train_head(d.x, d.y, d.dim, c);
    ASSERT_TRUE(h) << h.error();
    EXPECT_EQ(hash_head(*h), 7611384763903862322ull);
    c.hidden = 0;
    auto lin = sl::train_head(d.x, d.y, d.dim, c);
    ASSERT_TRUE(lin) << lin.error();
    EXPECT_EQ(hash_head(*lin), 5024829804539979567ull);
    EXPECT_EQ(sl::bit_cast<uint32_t>(sl::predict_head(*h, d.x.data())), 1053304422u);
}

TEST(TrainHead, StartsFromGlorotUniformAndZeroBiases) {
    const Data d = make_data(20, 100, 6);
    sl::HeadConfig c;
    c.hidden = 50;
    c.epochs = 0;
    auto h = sl::train_head(d.x, d.y, d.dim, c);
    ASSERT_TRUE(h) << h.error();
    const float limit = std::sqrt(6.f / 150.f);
    double sum = 0, sum2 = 0;
    for (float w : h->w1) {
        ASSERT_LE(std::fabs(w), limit);
        sum += w, sum2 += double(w) * w;
    }
    EXPECT_NEAR(sum / 5000, 0, 0.01);
    EXPECT_NEAR(sum2 / 5000, limit * limit / 3, 0.002);  // variance of U(-l, l)
    for (float b : h->b1) EXPECT_EQ(b, 0.f);
    EXPECT_EQ(h->b2, 0.f);
    for (float w : h->w2) ASSERT_LE(std::fabs(w), std::sqrt(6.f / 51.f));
}

TEST(TrainHead, WeightDecayShrinksTheWeights) {
    const Data d = make_data(100, 32, 7);
    sl::HeadConfig c = small_config(16);
    c.epochs = 20;
    auto plain = sl::train_head(d.x, d.y, d.dim, c);
    c.l2 = 0.05f;
    auto decayed = sl::train_head(d.x, d.y, d.dim, c);
    ASSERT_TRUE(plain && decayed);
    auto norm = [](const sl::Head& h) {
        double s = 0;
        for (float w : h.w1) s += double(w) * w;
        return s;
    };
    EXPECT_LT(norm(*decayed), 0.8 * norm(*plain));
}

TEST(TrainHead, BalancedClassesRaiseTheMinorityScores) {
    const Data d = make_data(200, 32, 8, 0.3f, 5);  // 1 santa in 5, hard to separate
    sl::HeadConfig c = small_config(0);
    auto plain = sl::train_head(d.x, d.y, d.dim, c);
    c.balance_classes = true;
    auto balanced = sl::train_head(d.x, d.y, d.dim, c);
    ASSERT_TRUE(plain && balanced);
    std::vector<float> p(200), q(200);
    sl::predict_head_batch(*plain, d.x, p);
    sl::predict_head_batch(*balanced, d.x, q);
    double mp = 0, mq = 0;
    for (int i = 0; i < 200; ++i) mp += p[i] / 200, mq += q[i] / 200;
    EXPECT_GT(mq, mp + 0.05);
}

TEST(TrainHead, RejectsBadInput) {
    const Data d = make_data(10, 8, 9);
    const sl::HeadConfig c = small_config(4);
    EXPECT_FALSE(sl::train_head(std::span(d.x).first(79), d.y, 8, c));  // sizes
    EXPECT_FALSE(sl::train_head(d.x, std::span(d.y).first(9), 8, c));
    EXPECT_FALSE(sl::train_head(d.x, d.y, 0, c));
    EXPECT_FALSE(sl::train_head({}, {}, 8, c));
    std::vector<int> y = d.y;
    y[3] = 2;
    EXPECT_FALSE(sl::train_head(d.x, y, 8, c));  // label 2
    std::vector<int> ones(10, 1);
    auto one_class = sl::train_head(d.x, ones, 8, c);
    ASSERT_FALSE(one_class);
    EXPECT_NE(one_class.error().find("class 0"), std::string::npos);
    std::vector<float> x = d.x;
    x[17] = NAN;
    EXPECT_FALSE(sl::train_head(x, d.y, 8, c));
    x[17] = INFINITY;
    EXPECT_FALSE(sl::train_head(x, d.y, 8, c));
    auto bad = [&](auto edit) {
        sl::HeadConfig b = c;
        edit(b);
        return !sl::train_head(d.x, d.y, 8, b);
    };
    EXPECT_TRUE(bad([](sl::HeadConfig& b) { b.hidden = -1; }));
    EXPECT_TRUE(bad([](sl::HeadConfig& b) { b.dropout = 1; }));
    EXPECT_TRUE(bad([](sl::HeadConfig& b) { b.learning_rate = 0; }));
    EXPECT_TRUE(bad([](sl::HeadConfig& b) { b.learning_rate = NAN; }));
    EXPECT_TRUE(bad([](sl::HeadConfig& b) { b.rho = 1; }));
    EXPECT_TRUE(bad([](sl::HeadConfig& b) { b.epsilon = 0; }));
    EXPECT_TRUE(bad([](sl::HeadConfig& b) { b.epochs = -1; }));
    EXPECT_TRUE(bad([](sl::HeadConfig& b) { b.batch_size = 0; }));
    EXPECT_TRUE(bad([](sl::HeadConfig& b) { b.l2 = -1; }));
    EXPECT_FALSE(sl::train_head(std::vector<float>(size_t(20) * 100000), std::vector<int>{0, 1}, 1000000,
                                sl::HeadConfig{}));  // 2^29 weights
}

TEST(PredictHead, BatchGivesTheSameBitsAsOneByOne) {
    const Data d = make_data(70, 40, 10);  // 70: two full chunks of 32 and a partial one
    for (int hidden : {0, 20, 300}) {
        sl::HeadConfig c = small_config(hidden);
        c.epochs = 1;
        auto h = sl::train_head(d.x, d.y, d.dim, c);
        ASSERT_TRUE(h) << h.error();
        std::vector<float> p(70);
        sl::predict_head_batch(*h, d.x, p);
        for (int i = 0; i < 70; ++i)
            ASSERT_EQ(sl::bit_cast<uint32_t>(p[i]), sl::bit_cast<uint32_t>(sl::predict_head(*h, &d.x[size_t(i) * 40])))
                << hidden << " " << i;
    }
}

TEST(HeadLoss, HandComputedWithAndWithoutClassWeights) {
    // All weights 0 and b2 = 1: z = 1 everywhere, loss log(1 + e^-1) for a santa, 1 + that for a
    // person. One santa, three persons; balanced weights 4 / 2 = 2 and 4 / 6.
    sl::Head h{2, 0, {}, {}, {0.f, 0.f}, 1.f};
    const std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8};
    const std::vector<int> y = {1, 0, 0, 0};
    const double ls = std::log1p(std::exp(-1.0)), lp = 1 + ls;
    sl::HeadConfig c;
    auto plain = sl::head_loss(h, x, y, c);
    ASSERT_TRUE(plain) << plain.error();
    EXPECT_NEAR(*plain, (ls + 3 * lp) / 4, 1e-7);
    c.balance_classes = true;
    EXPECT_NEAR(*sl::head_loss(h, x, y, c), (2 * ls + 3 * (2.0 / 3) * lp) / 4, 1e-7);
    c.balance_classes = false;
    c.l2 = 0.5f;
    h.w2 = {1.f, -2.f};  // z changes too: 1 + x0 - 2 x1
    auto with_l2 = sl::head_loss(h, x, y, c);
    c.l2 = 0;
    EXPECT_NEAR(*with_l2 - *sl::head_loss(h, x, y, c), 0.5 * (1 + 4), 1e-6);
}

// The backward pass against central differences of the loss, for every parameter of a small
// head, with weight decay and class weights on.
void check_gradient(int hidden) {
    const Data d = make_data(13, 6, 11, 0.7f, 3);
    sl::HeadConfig c;
    c.hidden = hidden;
    c.epochs = 1;
    c.learning_rate = 0.05f;  // a trained head: biases away from 0, so every gradient is tested
    c.l2 = 0.01f;
    c.balance_classes = true;
    auto trained = sl::train_head(d.x, d.y, d.dim, c);
    ASSERT_TRUE(trained) << trained.error();
    sl::Head h = *trained, g;
    ASSERT_TRUE(sl::head_loss(h, d.x, d.y, c, &g));
    auto check = [&](float& w, float analytic, const char* what, size_t k) {
        const float saved = w, step = 2e-3f;
        w = saved + step;
        const double up = *sl::head_loss(h, d.x, d.y, c);
        w = saved - step;
        const double down = *sl::head_loss(h, d.x, d.y, c);
        w = saved;
        const double numeric = (up - down) / (2.0 * step);
        EXPECT_NEAR(analytic, numeric, 2e-4 + 2e-3 * std::fabs(numeric)) << what << "[" << k << "]";
    };
    for (size_t k = 0; k < h.w1.size(); ++k) check(h.w1[k], g.w1[k], "w1", k);
    for (size_t k = 0; k < h.b1.size(); ++k) check(h.b1[k], g.b1[k], "b1", k);
    for (size_t k = 0; k < h.w2.size(); ++k) check(h.w2[k], g.w2[k], "w2", k);
    check(h.b2, g.b2, "b2", 0);
    double norm = 0;
    for (float v : g.w1) norm += std::fabs(v);
    for (float v : g.w2) norm += std::fabs(v);
    EXPECT_GT(norm, 1e-3);  // not a trivially zero gradient
}

TEST(HeadLoss, GradientMatchesFiniteDifferences) { check_gradient(5); }
TEST(HeadLoss, LinearGradientMatchesFiniteDifferences) { check_gradient(0); }

TEST(SerializeHead, RoundTripsExactlyAndIsSmall) {
    const Data d = make_data(30, 20, 12);
    for (int hidden : {0, 7}) {
        auto h = sl::train_head(d.x, d.y, d.dim, small_config(hidden));
        ASSERT_TRUE(h);
        const std::vector<uint8_t> bytes = sl::serialize_head(*h);
        EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 7), "SLHEAD1");
        auto back = sl::parse_head(bytes);
        ASSERT_TRUE(back) << back.error();
        EXPECT_EQ(back->inputs, h->inputs);
        EXPECT_EQ(back->hidden, h->hidden);
        EXPECT_EQ(back->w1, h->w1);
        EXPECT_EQ(back->b1, h->b1);
        EXPECT_EQ(back->w2, h->w2);
        EXPECT_EQ(back->b2, h->b2);
        EXPECT_EQ(sl::serialize_head(*back), bytes);
    }
    sl::Head big{2048, 512, std::vector<float>(2048 * 512), std::vector<float>(512), std::vector<float>(512), 0};
    EXPECT_EQ(sl::serialize_head(big).size(), 4198420u);  // under the repository's 5 MB limit
    sl::Head linear{2048, 0, {}, {}, std::vector<float>(2048), 0};
    EXPECT_EQ(sl::serialize_head(linear).size(), 8212u);
}

TEST(ParseHead, RejectsTruncatedAlteredAndGarbageBytes) {
    sl::Head h{3, 2, {1, 2, 3, 4, 5, 6}, {0.5f, -0.5f}, {1, -1}, 0.25f};
    const std::vector<uint8_t> good = sl::serialize_head(h);
    ASSERT_TRUE(sl::parse_head(good));
    for (size_t n = 0; n < good.size(); ++n) EXPECT_FALSE(sl::parse_head(std::span(good).first(n))) << n;
    std::vector<uint8_t> b = good;
    b.push_back(0);
    EXPECT_FALSE(sl::parse_head(b));  // trailing byte
    b = good;
    b[0] = 'X';
    EXPECT_FALSE(sl::parse_head(b));  // magic
    b = good;
    b[12] = 3;
    EXPECT_FALSE(sl::parse_head(b));  // hidden 3 does not fit the length
    b = good;
    b[11] = 0xff;
    EXPECT_FALSE(sl::parse_head(b));  // inputs absurd
    for (size_t at : {size_t(16), good.size() - 4}) {
        b = good;
        const uint32_t nan = 0x7fc00000u;
        for (int k = 0; k < 4; ++k) b[at + k] = uint8_t(nan >> (8 * k));
        EXPECT_FALSE(sl::parse_head(b)) << at;
    }
    // 2^20 inputs x 2^12 hidden = 2^32 weights, which wraps to 0 in 32-bit arithmetic (wasm's
    // size_t): the file then "fits" with an empty W1 and must still be refused.
    std::vector<uint8_t> wrap(good.begin(), good.begin() + 8);
    for (uint32_t v : {uint32_t(1) << 20, uint32_t(1) << 12})
        for (int k = 0; k < 4; ++k) wrap.push_back(uint8_t(v >> (8 * k)));
    wrap.resize(16 + 4 * (4096 + 4096 + 1));
    EXPECT_FALSE(sl::parse_head(wrap));
    sl::Rng rng(13);
    for (int t = 0; t < 2000; ++t) {  // random bytes, some behind a valid magic and sizes
        std::vector<uint8_t> g(rng.below(64));
        for (auto& v : g) v = uint8_t(rng.next_u64());
        if (t % 2 && g.size() >= 16) std::copy(good.begin(), good.begin() + 16, g.begin());
        auto r = sl::parse_head(g);
        if (r) {
            EXPECT_EQ(g.size(), good.size());
        }
    }
}
