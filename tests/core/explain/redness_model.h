// tests/core/explain/redness_model.h: what the explainer's tests share: a photo with a red square,
// a fake model whose P(santa) is the input's mean redness, and the loop that runs an explainer
// to the end with such a model.
#pragma once
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "core/explain/explainer.h"

namespace redness_model {

// Grey with texture and a pure red square in the middle.
inline sl::Image photo_with_red_square() {
    const int w = 160, h = 120;
    sl::Image img{w, h, std::vector<uint8_t>(size_t(w) * h * 3)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            uint8_t* p = img.rgb.data() + (size_t(y) * w + x) * 3;
            const bool red = x >= 60 && x < 100 && y >= 40 && y < 80;
            const uint8_t g = uint8_t(90 + (x * 3 + y * 5) % 20);
            p[0] = red ? 255 : g, p[1] = red ? 0 : g, p[2] = red ? 0 : g;
        }
    return img;
}

inline sl::ModelCard card(sl::OutputKind kind, std::vector<std::string> labels) {
    sl::ModelCard c;
    c.name = "fake";
    c.input.width = c.input.height = 64;  // NCHW, BGR, caffe means
    c.output_kind = kind;
    c.labels = std::move(labels);
    return c;
}

// The fake model: P(santa) = the mean red of the input, 0..1 (red is plane 2 of BGR NCHW).
inline std::vector<float> redness(std::span<const float> x, int rows, const sl::InputSpec& spec) {
    const size_t plane = size_t(spec.width) * spec.height;
    std::vector<float> out;
    for (int r = 0; r < rows; ++r) {
        const float* red = x.data() + r * spec.tensor_size() + 2 * plane;
        double sum = 0;
        for (size_t p = 0; p < plane; ++p) sum += red[p] + spec.mean[2];
        out.push_back(float(sum / plane / 255));
    }
    return out;
}

inline sl::ExplainerConfig config(int budget) {
    sl::ExplainerConfig c;
    c.game.slic.n_segments = 30;
    c.shap.budget = budget;
    return c;
}

// Runs the loop to the end with `model`; returns the number of batches.
template <typename Model>
int run(sl::Explainer& ex, Model model) {
    int batches = 0;
    while (!ex.done()) {
        std::span<const float> x = ex.next_batch();
        EXPECT_EQ(x.size(), size_t(ex.batch_rows()) * ex.card().input.tensor_size());
        auto ok = ex.add_scores(model(x, ex.batch_rows()));
        EXPECT_TRUE(ok) << (ok ? "" : ok.error());
        if (!ok || ++batches > 1000) break;
    }
    return batches;
}

}  // namespace redness_model
