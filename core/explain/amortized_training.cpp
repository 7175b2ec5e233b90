// core/explain/amortized_training.cpp: the amortized explainer's trainer (amortized_training.h).
#include "core/explain/amortized_training.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/base/rng.h"
#include "core/explain/detail/amortized_layers.h"

namespace sl {

namespace {

// The photo's features as floats, channels x grid^2 each: what predict_density takes.
void dequantize(const AmortizedPhoto& photo, size_t per_image, std::vector<float>& clean, std::vector<float>& masked) {
    clean.resize(per_image);
    masked.resize(per_image);
    for (size_t i = 0; i < per_image; ++i) {
        clean[i] = float(photo.features[i]) * photo.scale;
        masked[i] = float(photo.features[per_image + i]) * photo.scale;
    }
}

// Per input channel mean and 1 / standard deviation over every photo and cell.
void standardise(AmortizedNet& net, std::span<const AmortizedPhoto> photos) {
    const size_t g2 = size_t(net.grid) * net.grid, c = size_t(net.channels);
    std::vector<double> sum(2 * c, 0.0), sq(2 * c, 0.0);
    for (const AmortizedPhoto& p : photos)
        for (size_t ch = 0; ch < 2 * c; ++ch)
            for (size_t k = 0; k < g2; ++k) {
                const double v = double(p.features[ch * g2 + k]) * p.scale;
                sum[ch] += v;
                sq[ch] += v * v;
            }
    const double n = double(photos.size() * g2);
    for (size_t ch = 0; ch < 2 * c; ++ch) {
        const double mean = sum[ch] / n, var = std::max(0.0, sq[ch] / n - mean * mean);
        net.mean[ch] = float(mean);
        net.inv_std[ch] = float(1 / std::sqrt(var + 1e-6));
    }
}

struct Adam {
    std::vector<float> m, v;
    void step(std::vector<float>& w, std::vector<float>& g, double lr, double decay, double c1, double c2) {
        m.resize(w.size(), 0.f);
        v.resize(w.size(), 0.f);
        for (size_t k = 0; k < w.size(); ++k) {
            const float gk = g[k] + float(decay) * w[k];
            m[k] = 0.9f * m[k] + 0.1f * gk;
            v[k] = 0.999f * v[k] + 0.001f * gk * gk;
            w[k] -= float(lr * (m[k] / c1) / (std::sqrt(v[k] / c2) + 1e-8));
            g[k] = 0;
        }
    }
};

double squared_norm(std::span<const double> v) {
    double s = 0;
    for (double x : v) s += x * x;
    return s;
}

// The loss's scale for a photo: its target's squared norm, floored by its margin's so that a
// photo whose noisy target happens to be near zero does not dominate.
double loss_scale(const AmortizedPhoto& p) { return squared_norm(p.target) + 0.01 * squared_norm(p.delta) + 1e-9; }

}  // namespace

double amortized_error(const AmortizedNet& net, const AmortizedPhoto& photo) {
    std::vector<float> clean, masked;
    dequantize(photo, net.input_size(), clean, masked);
    const std::vector<float> density = predict_density(net, clean, masked);
    const std::vector<double> phi = amortized_values(density, photo.cells, 0, photo.delta[0]);
    double d = 0, n = 0;
    for (size_t k = 0; k < phi.size(); ++k) {
        d += (phi[k] - photo.target[k]) * (phi[k] - photo.target[k]);
        n += photo.target[k] * photo.target[k];
    }
    return n > 0 ? std::sqrt(d / n) : 0;
}

Result<AmortizedFit> train_amortized_net(std::span<const AmortizedPhoto> photos, int channels, int grid, int outputs,
                                         const AmortizedTraining& config,
                                         const std::function<bool(const AmortizedEpoch&)>& progress) {
    if (channels < 1 || grid < 1 || outputs < 1) return fail("amortized explainer: empty network shape");
    if (config.hidden < 1 || config.epochs < 1 || config.validation_every < 2 || !(config.learning_rate > 0) ||
        !(config.weight_decay >= 0) || !(config.input_dropout >= 0 && config.input_dropout < 1))
        return fail("amortized explainer: training settings out of range");
    if (photos.size() < size_t(2 * config.validation_every))
        return fail("amortized explainer: " + std::to_string(photos.size()) + " photos; at least " +
                    std::to_string(2 * config.validation_every) + " needed");
    const size_t g2 = size_t(grid) * grid, per_image = size_t(channels) * g2;
    for (const AmortizedPhoto& p : photos) {
        const size_t m = size_t(p.cells.segments);
        if (p.features.size() != 2 * per_image || p.cells.grid != grid || p.target.size() != size_t(outputs) * m ||
            p.delta.size() != size_t(outputs) || p.cells.share.size() != m * g2 || !(p.scale > 0))
            return fail("amortized explainer: a photo's features, cells or targets do not fit the network");
        for (double t : p.target)
            if (!std::isfinite(t)) return fail("amortized explainer: a target is not finite");
        for (double t : p.delta)
            if (!std::isfinite(t)) return fail("amortized explainer: a delta is not finite");
    }

    AmortizedFit fit;
    AmortizedNet net = make_amortized_net(channels, grid, config.hidden, outputs, config.seed);
    standardise(net, photos);
    std::vector<size_t> train, held;
    for (size_t i = 0; i < photos.size(); ++i) (i % size_t(config.validation_every) == 0 ? held : train).push_back(i);
    fit.training_photos = int(train.size());
    fit.validation_photos = int(held.size());

    Rng rng(config.seed + 1);
    const int n = int(g2), c2 = 2 * channels;
    std::vector<float> x(g2 * size_t(c2)), clean, masked;
    detail::Activations a;
    std::vector<float> gw1(net.w1.size(), 0.f), gb1(net.b1.size(), 0.f), gw2(net.w2.size(), 0.f),
        gb2(net.b2.size(), 0.f), gw3(net.w3.size(), 0.f), gb3(net.b3.size(), 0.f), gy(g2 * size_t(outputs)),
        gh2(g2 * size_t(config.hidden)), gh1(g2 * size_t(config.hidden));
    Adam aw1, ab1, aw2, ab2, aw3, ab3;
    double c1 = 1, c2b = 1;
    const float keep = float(1 - config.input_dropout);
    double best = INFINITY;
    for (int epoch = 1; epoch <= config.epochs; ++epoch) {
        shuffle(std::span<size_t>(train), rng);
        double total = 0;
        for (size_t i : train) {
            const AmortizedPhoto& p = photos[i];
            dequantize(p, per_image, clean, masked);
            detail::network_input(net, clean, masked, x.data());
            if (config.input_dropout > 0)
                for (float& v : x) v = rng.uniform_float() < keep ? v / keep : 0.f;
            detail::forward(net, x.data(), a);
            // The efficient values per output and the loss's gradient with respect to the density.
            const double scale = loss_scale(p);
            const size_t m = size_t(p.cells.segments);
            for (int o = 0; o < outputs; ++o) {
                std::vector<float> d(g2);
                for (size_t k = 0; k < g2; ++k) d[k] = a.density[k * size_t(outputs) + size_t(o)];
                const std::vector<double> phi = amortized_values(d, p.cells, 0, p.delta[size_t(o)]);
                std::vector<double> e(m);
                double shift = 0;
                for (size_t k = 0; k < m; ++k) {
                    const double err = phi[k] - p.target[size_t(o) * m + k];
                    total += err * err / scale;
                    e[k] = 2 * err / scale;
                    shift += e[k] * p.cells.area[k];
                }
                for (size_t c = 0; c < g2; ++c) {
                    double g = -shift;
                    for (size_t k = 0; k < m; ++k) g += e[k] * p.cells.share[k * g2 + c];
                    gy[c * size_t(outputs) + size_t(o)] = float(g);
                }
            }
            detail::conv3_backward(a.h2.data(), grid, config.hidden, net.w3.data(), outputs, gy.data(), gw3.data(),
                                   gb3.data(), gh2.data());
            detail::relu_backward(a.h2.data(), n * config.hidden, gh2.data());
            detail::conv3_backward(a.h1.data(), grid, config.hidden, net.w2.data(), config.hidden, gh2.data(),
                                   gw2.data(), gb2.data(), gh1.data());
            detail::relu_backward(a.h1.data(), n * config.hidden, gh1.data());
            detail::dense_backward(x.data(), n, c2, net.w1.data(), config.hidden, gh1.data(), gw1.data(), gb1.data(),
                                   nullptr);
            c1 *= 0.9;
            c2b *= 0.999;
            const double lr = config.learning_rate, wd = config.weight_decay;
            aw1.step(net.w1, gw1, lr, wd, 1 - c1, 1 - c2b);
            ab1.step(net.b1, gb1, lr, 0, 1 - c1, 1 - c2b);
            aw2.step(net.w2, gw2, lr, wd, 1 - c1, 1 - c2b);
            ab2.step(net.b2, gb2, lr, 0, 1 - c1, 1 - c2b);
            aw3.step(net.w3, gw3, lr, wd, 1 - c1, 1 - c2b);
            ab3.step(net.b3, gb3, lr, 0, 1 - c1, 1 - c2b);
        }
        std::vector<double> errors;
        for (size_t i : held) errors.push_back(amortized_error(net, photos[i]));
        std::nth_element(errors.begin(), errors.begin() + std::ptrdiff_t(errors.size() / 2), errors.end());
        const AmortizedEpoch e{epoch, total / double(train.size()), errors[errors.size() / 2]};
        fit.epochs.push_back(e);
        if (e.validation < best) {
            best = e.validation;
            fit.net = net;
            fit.best_epoch = epoch;
        }
        if (progress && !progress(e)) return fail("amortized explainer: training cancelled");
    }
    return fit;
}

}  // namespace sl
