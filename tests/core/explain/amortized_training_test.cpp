// tests/core/explain/amortized_training_test.cpp: the amortized explainer's trainer (core/
// amortized_training.h) learns a density that is a function of the features, keeps the best
// epoch, is deterministic and refuses photos that do not fit.
#include "core/explain/amortized_training.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/base/rng.h"

namespace {

constexpr int kChannels = 4, kGrid = 6;

// A photo whose true value density is 2 x (channel 0 of the photo) - (channel 0 of the masked
// photo): the network must find it from the features alone; targets carry noise.
sl::AmortizedPhoto photo(uint64_t seed) {
    sl::Rng rng(seed);
    sl::AmortizedPhoto p;
    const int g2 = kGrid * kGrid;
    p.features.resize(size_t(2) * kChannels * g2);
    for (uint8_t& b : p.features) b = uint8_t(rng.below(256));
    p.scale = 1.f / 64;
    // Superpixels: vertical stripes of random widths.
    sl::Segmentation seg{30, 30, 0, std::vector<int32_t>(900)};
    int label = -1;
    for (int x = 0; x < 30; ++x) {
        if (x == 0 || rng.below(4) == 0) ++label;
        for (int y = 0; y < 30; ++y) seg.labels[size_t(y) * 30 + x] = label;
    }
    seg.count = label + 1;
    p.cells = sl::cell_overlap(seg, kGrid);
    std::vector<float> density(g2);
    double delta = 0;
    for (int c = 0; c < g2; ++c) {
        density[size_t(c)] = 2.f * p.features[size_t(c)] * p.scale - p.features[size_t(kChannels * g2 + c)] * p.scale;
        delta += density[size_t(c)];
    }
    p.delta = {delta};
    p.target = sl::amortized_values(density, p.cells, 0, delta);
    for (double& t : p.target) t += 0.3 * rng.normal();
    return p;
}

std::vector<sl::AmortizedPhoto> photos(int n) {
    std::vector<sl::AmortizedPhoto> out;
    for (int i = 0; i < n; ++i) out.push_back(photo(uint64_t(i) + 1));
    return out;
}

sl::AmortizedTraining settings() {
    sl::AmortizedTraining t;
    t.hidden = 8, t.epochs = 12, t.input_dropout = 0, t.weight_decay = 0, t.learning_rate = 3e-3,
    t.validation_every = 5;
    return t;
}

TEST(AmortizedTraining, LearnsADensityFromTheFeatures) {
    const std::vector<sl::AmortizedPhoto> data = photos(60);
    auto fit = sl::train_amortized_net(data, kChannels, kGrid, 1, settings());
    ASSERT_TRUE(fit.ok()) << fit.error();
    EXPECT_EQ(fit->validation_photos, 12);
    EXPECT_LT(fit->epochs.back().validation, 0.6 * fit->epochs.front().validation);
    // Fresh photos: the learned values beat the equal split (a zero density) by far.
    double learned = 0, flat = 0;
    const sl::AmortizedNet zero = sl::make_amortized_net(kChannels, kGrid, 8, 1, 1);
    for (uint64_t s = 100; s < 110; ++s) {
        sl::AmortizedPhoto p = photo(s);
        learned += sl::amortized_error(fit->net, p);
        sl::AmortizedNet none = zero;
        for (float& w : none.w3) w = 0;
        flat += sl::amortized_error(none, p);
    }
    EXPECT_LT(learned, 0.7 * flat);
}

TEST(AmortizedTraining, KeepsTheBestEpochAndIsDeterministic) {
    const std::vector<sl::AmortizedPhoto> data = photos(30);
    auto a = sl::train_amortized_net(data, kChannels, kGrid, 1, settings());
    auto b = sl::train_amortized_net(data, kChannels, kGrid, 1, settings());
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->net.w1, b->net.w1);
    double best = 1e9;
    for (const auto& e : a->epochs) best = std::min(best, e.validation);
    EXPECT_EQ(a->epochs[size_t(a->best_epoch - 1)].validation, best);
}

TEST(AmortizedTraining, RefusesWhatDoesNotFit) {
    std::vector<sl::AmortizedPhoto> data = photos(12);
    EXPECT_FALSE(sl::train_amortized_net(data, kChannels + 1, kGrid, 1, settings()).ok());
    EXPECT_FALSE(sl::train_amortized_net(std::span(data).first(4), kChannels, kGrid, 1, settings()).ok());
    data[3].target[0] = std::nan("");
    EXPECT_FALSE(sl::train_amortized_net(data, kChannels, kGrid, 1, settings()).ok());
}

}  // namespace
