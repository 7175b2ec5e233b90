// tests/core/explain/explainer_test.cpp: the explanation loop with plain functions as models
// (core/explain/explainer.cpp).
#include "core/explain/explainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "tests/core/explain/redness_model.h"

using namespace redness_model;

namespace {

// The share of the superpixel with the largest santa value (class 1) that is the red square.
double top_superpixel_red_share(const sl::Explainer& ex, const sl::Image& photo) {
    const int m = ex.segmentation().count;
    const auto santa = std::span(ex.estimate().phi).subspan(size_t(m), m);
    const int top = int(std::max_element(santa.begin(), santa.end()) - santa.begin());
    int inside = 0, all = 0;
    for (int y = 0; y < photo.height; ++y)
        for (int x = 0; x < photo.width; ++x)
            if (ex.segmentation().labels[size_t(y) * photo.width + x] == top) {
                ++all;
                inside += photo.pixel(x, y)[1] == 0;
            }
    return all ? double(inside) / all : 0;
}

}  // namespace

TEST(Explainer, RanksTheRedSuperpixelFirstForARednessModel) {
    const sl::Image photo = photo_with_red_square();
    const sl::ModelCard c = card(sl::OutputKind::sigmoid, {"person", "santa"});
    auto ex = sl::Explainer::create(photo, c, config(256));
    ASSERT_TRUE(ex) << ex.error();
    run(*ex, [&](std::span<const float> x, int rows) { return redness(x, rows, c.input); });
    const sl::ShapEstimate& e = ex->estimate();
    const int m = ex->segmentation().count;
    ASSERT_EQ(e.outputs, 2);
    const auto santa = std::span(e.phi).subspan(size_t(m), m);
    EXPECT_GT(top_superpixel_red_share(*ex, photo), 0.8);
    // person = 1 - santa: its values are the mirror image.
    for (int k = 0; k < m; ++k) EXPECT_NEAR(e.phi[size_t(k)], -santa[size_t(k)], 1e-6);
}

TEST(Explainer, AdditiveModelGivesEachSuperpixelItsOwnEffect) {
    // Mean red is linear in the coalition, so every phi is f(only k) - f(none). shap's sampler
    // solves one exact regression, which an additive game fits exactly (the default sampler's
    // surrogate adds Monte Carlo noise of about 1e-5 here).
    const sl::Image photo = photo_with_red_square();
    const sl::ModelCard c = card(sl::OutputKind::sigmoid, {"person", "santa"});
    sl::ExplainerConfig cfg = config(128);
    cfg.estimator = sl::ShapEstimator::kernel_shap;
    cfg.shap.sampler = sl::ShapSampler::kernel;
    cfg.shap.link = sl::ShapLink::identity;  // additive in probability, not in log-odds
    auto ex = sl::Explainer::create(photo, c, cfg);
    ASSERT_TRUE(ex) << ex.error();
    run(*ex, [&](std::span<const float> x, int rows) { return redness(x, rows, c.input); });
    const int m = ex->segmentation().count;
    std::vector<float> x(c.input.tensor_size());
    std::vector<uint8_t> z(size_t(m), 0);
    ex->masker().masked_inputs(z, 1, x.data());
    const double empty = redness(x, 1, c.input)[0];
    for (int k = 0; k < m; ++k) {
        z.assign(size_t(m), 0);
        z[size_t(k)] = 1;
        ex->masker().masked_inputs(z, 1, x.data());
        EXPECT_NEAR(ex->estimate().phi[size_t(m + k)], redness(x, 1, c.input)[0] - empty, 1e-6) << k;
    }
}

TEST(Explainer, ValuesAddUpToTheModelOnThePhotoMinusTheBackgroundPerClass) {
    // A softmax model of three classes that is not additive.
    const sl::Image photo = photo_with_red_square();
    const sl::ModelCard c = card(sl::OutputKind::softmax, {"a", "b", "c"});
    auto model = [&](std::span<const float> x, int rows) {
        const std::vector<float> red = redness(x, rows, c.input);
        std::vector<float> out;
        for (float r : red) {
            const double l[3] = {10 * r * r, 3 * r, 1 - 5 * r};
            const double z = std::exp(l[0]) + std::exp(l[1]) + std::exp(l[2]);
            for (double v : l) out.push_back(float(std::exp(v) / z));
        }
        return out;
    };
    auto ex = sl::Explainer::create(photo, c, config(96));
    ASSERT_TRUE(ex) << ex.error();
    run(*ex, model);
    const sl::ShapEstimate& e = ex->estimate();
    ASSERT_EQ(e.outputs, 3);
    EXPECT_LE(e.evaluations, 96);
    std::vector<float> x(c.input.tensor_size());
    sl::image_to_tensor(photo, c.input, x.data());
    const std::vector<float> on_photo = model(x, 1);
    for (int k = 0; k < 3; ++k) {
        const double sum = std::accumulate(e.phi.begin() + k * e.players, e.phi.begin() + (k + 1) * e.players, 0.0);
        EXPECT_NEAR(sum, e.f_full[k] - e.f_empty[k], 1e-8) << k;  // in log-odds, the default
        EXPECT_NEAR(e.f_full[k], std::log(on_photo[k] / (1 - on_photo[k])), 1e-5) << k;
        EXPECT_NEAR(ex->probabilities()[k], on_photo[k], 1e-7) << k;  // the full coalition is the photo itself
    }
}

TEST(Explainer, OwenValuesFindTheRedSquareAndAreTheSameEveryTime) {
    const sl::Image photo = photo_with_red_square();
    const sl::ModelCard c = card(sl::OutputKind::sigmoid, {"person", "santa"});
    sl::ExplainerConfig cfg = config(64);
    cfg.estimator = sl::ShapEstimator::owen;
    cfg.shap.link = sl::ShapLink::logit;
    auto a = sl::Explainer::create(photo, c, cfg), b = sl::Explainer::create(photo, c, cfg);
    ASSERT_TRUE(a && b);
    const auto model = [&](std::span<const float> x, int rows) { return redness(x, rows, c.input); };
    run(*a, model);
    run(*b, model);
    EXPECT_EQ(a->estimate().phi, b->estimate().phi);
    EXPECT_LE(a->estimate().evaluations, 64);
    EXPECT_EQ(a->config().top_groups, sl::OwenShap::automatic_top_groups(a->segmentation().count, 64));
    EXPECT_GT(top_superpixel_red_share(*a, photo), 0.8);
    // Log-odds: f(x) is logit(P(santa)), and person's values mirror santa's.
    EXPECT_NEAR(a->estimate().f_full[1], -a->estimate().f_full[0], 1e-9);
}

TEST(Explainer, CountsCoalitionsPredictedAsNeitherEnd) {
    // Three classes by mean redness r on a black background: the photo is "a" (r high), all
    // black is "b" (r = 0), and "c" (r in between) is off the manifold.
    const sl::Image photo = photo_with_red_square();
    const sl::ModelCard c = card(sl::OutputKind::softmax, {"a", "b", "c"});
    sl::ExplainerConfig cfg = config(96);
    cfg.game.background.kind = sl::BackgroundKind::colour;
    auto ex = sl::Explainer::create(photo, c, cfg);
    ASSERT_TRUE(ex) << ex.error();
    std::vector<float> x(c.input.tensor_size());
    sl::image_to_tensor(photo, c.input, x.data());
    const float full = redness(x, 1, c.input)[0];
    int rows = 0, middle = 0;
    run(*ex, [&](std::span<const float> in, int n) {
        std::vector<float> out;
        for (float r : redness(in, n, c.input)) {
            const int k = r > 0.8f * full ? 0 : r < 0.2f * full ? 1 : 2;
            for (int j = 0; j < 3; ++j) out.push_back(j == k ? 0.9f : 0.05f);
            ++rows, middle += k == 2;
        }
        return out;
    });
    EXPECT_GT(middle, 0);
    EXPECT_DOUBLE_EQ(ex->off_manifold(), double(middle) / rows);
}

TEST(Explainer, MarksValuesWhoseSignIsNotSettled) {
    const sl::Image photo = photo_with_red_square();
    const sl::ModelCard c = card(sl::OutputKind::sigmoid, {"person", "santa"});
    sl::ExplainerConfig cfg = config(4);  // full, empty and one split: coarse halves only
    cfg.estimator = sl::ShapEstimator::owen;
    auto ex = sl::Explainer::create(photo, c, cfg);
    ASSERT_TRUE(ex);
    run(*ex, [&](std::span<const float> x, int rows) { return redness(x, rows, c.input); });
    const sl::ShapEstimate& e = ex->estimate();
    const std::vector<uint8_t> open = ex->unsettled();
    ASSERT_EQ(open.size(), e.phi.size());
    for (size_t j = 0; j < open.size(); ++j) EXPECT_EQ(open[j], std::fabs(e.phi[j]) <= e.std_error[j] ? 1 : 0) << j;
    EXPECT_GT(std::count(open.begin(), open.end(), 1), 0);
    EXPECT_LT(ex->settled_share(ex->unsettled(), 1), 1.0);
    EXPECT_GE(ex->settled_share(ex->unsettled(), 1), 0.0);
}

TEST(Explainer, RejectsScoresOfTheWrongLengthOrWithoutABatch) {
    const sl::ModelCard c = card(sl::OutputKind::sigmoid, {"person", "santa"});
    auto ex = sl::Explainer::create(photo_with_red_square(), c, config(64));
    ASSERT_TRUE(ex) << ex.error();
    auto early = ex->add_scores(std::vector<float>{0.5f});
    ASSERT_FALSE(early);
    EXPECT_NE(early.error().find("no batch"), std::string::npos);
    ex->next_batch();
    auto wrong = ex->add_scores(std::vector<float>(size_t(ex->batch_rows()) + 1, 0.5f));
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error().find("model outputs"), std::string::npos);
    auto nan = ex->add_scores(std::vector<float>(size_t(ex->batch_rows()), std::nanf("")));
    ASSERT_FALSE(nan);
    EXPECT_NE(nan.error().find("not finite"), std::string::npos);
    EXPECT_TRUE(ex->add_scores(std::vector<float>(size_t(ex->batch_rows()), 0.5f)));
}

TEST(Explainer, RejectsBadSettingsWithTheStagesMessage) {
    const sl::ModelCard c = card(sl::OutputKind::sigmoid, {"person", "santa"});
    sl::ExplainerConfig bad = config(64);
    bad.game.slic.n_segments = 0;
    auto r = sl::Explainer::create(photo_with_red_square(), c, bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().rfind("superpixels: ", 0), 0u) << r.error();
    EXPECT_FALSE(sl::Explainer::create(sl::Image{}, c, config(64)));
    sl::ExplainerConfig big_top = config(64);
    big_top.estimator = sl::ShapEstimator::owen;
    big_top.top_groups = 7;  // 2^7 coalitions do not fit in 64 evaluations
    auto t = sl::Explainer::create(photo_with_red_square(), c, big_top);
    ASSERT_FALSE(t);
    EXPECT_NE(t.error().find("top_groups"), std::string::npos) << t.error();
}

TEST(Explainer, TakesTheOwenTopAsAskedAndSaysWhichItApplied) {
    const sl::ModelCard c = card(sl::OutputKind::sigmoid, {"person", "santa"});
    sl::ExplainerConfig cfg = config(64);
    cfg.estimator = sl::ShapEstimator::owen;
    cfg.top_groups = 3;
    auto owen = sl::Explainer::create(photo_with_red_square(), c, cfg);
    ASSERT_TRUE(owen) << owen.error();
    EXPECT_EQ(owen->config().top_groups, 3);
    cfg.estimator = sl::ShapEstimator::kernel_shap;  // no top: KernelSHAP has no hierarchy
    auto kernel = sl::Explainer::create(photo_with_red_square(), c, cfg);
    ASSERT_TRUE(kernel) << kernel.error();
    EXPECT_EQ(kernel->config().top_groups, 0);
}

TEST(Explainer, SegmentsAtDisplaySizeNeverEnlarged) {
    sl::Image big{2000, 1000, std::vector<uint8_t>(size_t(2000) * 1000 * 3, 128)};
    EXPECT_EQ(sl::display_image(big, 512).width, 512);
    EXPECT_EQ(sl::display_image(big, 512).height, 256);
    EXPECT_EQ(sl::display_image(photo_with_red_square(), 512).width, 160);
    const sl::ModelCard c = card(sl::OutputKind::sigmoid, {"person", "santa"});
    auto ex = sl::Explainer::create(big, c, config(64));
    ASSERT_TRUE(ex) << ex.error();
    EXPECT_EQ(ex->segmentation().width, 512);
    const std::vector<int64_t> area = ex->segment_area();
    EXPECT_EQ(std::accumulate(area.begin(), area.end(), int64_t(0)), 512 * 256);
}

namespace {

// Fake spatial features for the amortized estimator: per 16 x 16 cell of the 64 x 64 input, the
// mean of each colour plane (3 x 4 x 4 per image).
std::vector<float> cell_means(std::span<const float> x, int rows, const sl::InputSpec& spec) {
    std::vector<float> out;
    const int g = 4, cell = spec.width / g;
    for (int r = 0; r < rows; ++r)
        for (int ch = 0; ch < 3; ++ch)
            for (int cy = 0; cy < g; ++cy)
                for (int cx = 0; cx < g; ++cx) {
                    double sum = 0;
                    for (int y = cy * cell; y < (cy + 1) * cell; ++y)
                        for (int xx = cx * cell; xx < (cx + 1) * cell; ++xx)
                            sum += x[r * spec.tensor_size() + size_t(ch) * spec.width * spec.height +
                                     size_t(y) * spec.width + xx];
                    out.push_back(float(sum / (cell * cell)));
                }
    return out;
}

sl::ModelCard card_with_features() {
    sl::ModelCard c = card(sl::OutputKind::sigmoid, {"person", "santa"});
    c.features_name = "features";
    c.features_channels = 3, c.features_height = 4, c.features_width = 4;
    return c;
}

sl::ExplainerConfig amortized_config(int budget) {
    sl::ExplainerConfig cfg = config(budget);
    cfg.estimator = sl::ShapEstimator::amortized;
    cfg.amortized_net = std::make_shared<sl::AmortizedNet>(sl::make_amortized_net(3, 4, 4, 1, 5));
    return cfg;
}

}  // namespace

TEST(Explainer, AmortizedStartsFromThePredictionThenFindsTheRedSquare) {
    const sl::Image photo = photo_with_red_square();
    const sl::ModelCard c = card_with_features();
    auto ex = sl::Explainer::create(photo, c, amortized_config(256));
    ASSERT_TRUE(ex) << ex.error();
    EXPECT_TRUE(ex->needs_features());
    std::span<const float> x = ex->next_batch();
    ASSERT_EQ(ex->batch_rows(), 2);
    const std::vector<float> scores = redness(x, 2, c.input);
    EXPECT_FALSE(ex->add_scores(scores).ok());  // the features are needed
    ASSERT_TRUE(ex->add_scores(scores, cell_means(x, 2, c.input)).ok());
    EXPECT_FALSE(ex->needs_features());
    const sl::ShapEstimate& first = ex->estimate();
    EXPECT_EQ(first.evaluations, 2);
    const int m = ex->segmentation().count;
    double sum = 0;
    for (int k = 0; k < m; ++k) sum += first.phi[size_t(m + k)];
    EXPECT_NEAR(sum, first.f_full[1] - first.f_empty[1], 1e-6);
    run(*ex, [&](std::span<const float> xs, int rows) { return redness(xs, rows, c.input); });
    EXPECT_EQ(ex->estimate().evaluations, 256);
    EXPECT_GT(top_superpixel_red_share(*ex, photo), 0.8);
}

TEST(Explainer, AmortizedStartTakesThePredictionsRun) {
    const sl::Image photo = photo_with_red_square();
    const sl::ModelCard c = card_with_features();
    auto a = sl::Explainer::create(photo, c, amortized_config(64));
    auto b = sl::Explainer::create(photo, c, amortized_config(64));
    ASSERT_TRUE(a && b);
    std::span<const float> x = a->next_batch();
    const std::vector<float> inputs(x.begin(), x.end());
    ASSERT_TRUE(a->add_scores(redness(inputs, 2, c.input), cell_means(inputs, 2, c.input)).ok());
    // b is handed the same run without asking for it.
    ASSERT_TRUE(b->start(redness(inputs, 2, c.input), cell_means(inputs, 2, c.input)).ok());
    EXPECT_EQ(a->estimate().phi, b->estimate().phi);
    EXPECT_FALSE(b->start(redness(inputs, 2, c.input), cell_means(inputs, 2, c.input)).ok());  // started already
}

// Found by fuzz_options: the amortized estimator is made after the first batch, so a batch size
// of 0 was accepted and refused only once the model had run. Refused at once, as the others are.
TEST(Explainer, RefusesABadSettingBeforeTheModelRunsWhateverTheEstimator) {
    const sl::Image photo = photo_with_red_square();
    const sl::ModelCard c = card(sl::OutputKind::sigmoid, {"person", "santa"});
    for (sl::ShapEstimator estimator :
         {sl::ShapEstimator::amortized, sl::ShapEstimator::owen, sl::ShapEstimator::kernel_shap}) {
        sl::ExplainerConfig cfg = config(32);
        cfg.estimator = estimator;
        cfg.shap.batch_size = 0;
        auto ex = sl::Explainer::create(photo, c, cfg);
        ASSERT_FALSE(ex) << sl::estimator_name(estimator);
        EXPECT_NE(ex.error().find("batch_size must be at least 1"), std::string::npos) << ex.error();
    }
    sl::ExplainerConfig cfg = config(32);
    cfg.prior.prior_error = 0;
    auto ex = sl::Explainer::create(photo, c, cfg);
    ASSERT_FALSE(ex);
    EXPECT_NE(ex.error().find("prior_error"), std::string::npos) << ex.error();
}
