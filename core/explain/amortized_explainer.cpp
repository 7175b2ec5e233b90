// core/explain/amortized_explainer.cpp: the amortized explainer's network, its cells and its file
// (amortized_explainer.h).
#include "core/explain/amortized_explainer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <string>

#include "core/base/le_bytes.h"
#include "core/base/rng.h"
#include "core/explain/detail/amortized_layers.h"

namespace sl {

namespace {
constexpr char kMagic[8] = {'S', 'L', 'A', 'M', 'E', 'X', '1', '\0'};
constexpr uint32_t kMaxChannels = 8192, kMaxGrid = 64, kMaxHidden = 512, kMaxOutputs = 64;
}  // namespace

AmortizedNet make_amortized_net(int channels, int grid, int hidden, int outputs, uint64_t seed) {
    AmortizedNet net;
    net.channels = channels, net.grid = grid, net.hidden = hidden, net.outputs = outputs;
    net.mean.assign(size_t(2 * channels), 0.f);
    net.inv_std.assign(size_t(2 * channels), 1.f);
    Rng rng(seed);
    const auto he = [&](std::vector<float>& w, size_t count, int fan_in) {
        const double a = std::sqrt(6.0 / fan_in);
        w.resize(count);
        for (float& v : w) v = float((2 * rng.uniform() - 1) * a);
    };
    he(net.w1, size_t(hidden) * 2 * channels, 2 * channels);
    he(net.w2, size_t(hidden) * hidden * 9, hidden * 9);
    he(net.w3, size_t(outputs) * hidden * 9, hidden * 9);
    for (float& v : net.w3) v *= 0.1f;  // the first densities near 0: the values start near equal shares
    net.b1.assign(size_t(hidden), 0.f);
    net.b2.assign(size_t(hidden), 0.f);
    net.b3.assign(size_t(outputs), 0.f);
    return net;
}

namespace detail {

void network_input(const AmortizedNet& net, std::span<const float> clean, std::span<const float> masked, float* x) {
    const size_t n = size_t(net.grid) * net.grid, c2 = size_t(2 * net.channels);
    assert(clean.size() == net.input_size() && masked.size() == net.input_size());
    for (size_t c = 0; c < size_t(net.channels); ++c)
        for (size_t p = 0; p < n; ++p) {
            x[p * c2 + c] = (clean[c * n + p] - net.mean[c]) * net.inv_std[c];
            const size_t cm = c + size_t(net.channels);
            x[p * c2 + cm] = (masked[c * n + p] - net.mean[cm]) * net.inv_std[cm];
        }
}

void forward(const AmortizedNet& net, const float* x, Activations& a) {
    const int n = net.grid * net.grid;
    a.h1.resize(size_t(n) * net.hidden);
    a.h2.resize(size_t(n) * net.hidden);
    a.density.resize(size_t(n) * net.outputs);
    dense_forward(x, n, 2 * net.channels, net.w1.data(), net.b1.data(), net.hidden, a.h1.data());
    relu(a.h1.data(), n * net.hidden);
    conv3_forward(a.h1.data(), net.grid, net.hidden, net.w2.data(), net.b2.data(), net.hidden, a.h2.data());
    relu(a.h2.data(), n * net.hidden);
    conv3_forward(a.h2.data(), net.grid, net.hidden, net.w3.data(), net.b3.data(), net.outputs, a.density.data());
}

}  // namespace detail

std::vector<float> predict_density(const AmortizedNet& net, std::span<const float> clean,
                                   std::span<const float> masked) {
    const int n = net.grid * net.grid;
    std::vector<float> x(size_t(n) * 2 * net.channels);
    detail::network_input(net, clean, masked, x.data());
    detail::Activations a;
    detail::forward(net, x.data(), a);
    std::vector<float> out(size_t(net.outputs) * n);  // outputs x grid x grid
    for (int p = 0; p < n; ++p)
        for (int o = 0; o < net.outputs; ++o) out[size_t(o) * n + p] = a.density[size_t(p) * net.outputs + o];
    return out;
}

CellOverlap cell_overlap(const Segmentation& seg, int grid) {
    CellOverlap cells;
    cells.segments = seg.count, cells.grid = grid;
    const size_t g2 = size_t(grid) * grid;
    std::vector<double> count(size_t(seg.count) * g2, 0.0), per_cell(g2, 0.0);
    cells.area.assign(size_t(seg.count), 0.0);
    for (int y = 0; y < seg.height; ++y) {
        const size_t row = size_t(int64_t(y) * grid / seg.height) * grid;
        for (int x = 0; x < seg.width; ++x) {
            const size_t cell = row + size_t(int64_t(x) * grid / seg.width);
            const int32_t k = seg.labels[size_t(y) * seg.width + x];
            count[size_t(k) * g2 + cell] += 1;
            per_cell[cell] += 1;
            cells.area[size_t(k)] += 1;
        }
    }
    const double total = double(seg.width) * seg.height;
    for (double& a : cells.area) a /= total;
    cells.share.resize(count.size());
    for (size_t k = 0; k < size_t(seg.count); ++k)
        for (size_t c = 0; c < g2; ++c)
            cells.share[k * g2 + c] = per_cell[c] > 0 ? float(count[k * g2 + c] / per_cell[c]) : 0.f;
    return cells;
}

std::vector<double> amortized_values(std::span<const float> density, const CellOverlap& cells, int output,
                                     double delta) {
    const size_t g2 = size_t(cells.grid) * cells.grid;
    assert(density.size() >= (size_t(output) + 1) * g2);
    const std::span<const float> d = density.subspan(size_t(output) * g2, g2);
    std::vector<double> phi(size_t(cells.segments), 0.0);
    double sum = 0;
    for (size_t k = 0; k < phi.size(); ++k) {
        for (size_t c = 0; c < g2; ++c) phi[k] += double(cells.share[k * g2 + c]) * d[c];
        sum += phi[k];
    }
    for (size_t k = 0; k < phi.size(); ++k) phi[k] += (delta - sum) * cells.area[k];
    return phi;
}

Result<std::vector<double>> amortized_prior(const AmortizedNet* net, const ModelCard& card, const Segmentation& seg,
                                            std::span<const float> features, std::span<const double> p_full,
                                            std::span<const double> p_empty, ShapLink link) {
    const int classes = card.num_classes(), m = seg.count;
    const bool sigmoid = card.output_kind == OutputKind::sigmoid;
    std::vector<float> density;
    int grid = 1;
    if (net) {
        if (net->outputs != (sigmoid ? 1 : classes) || net->channels != card.features_channels ||
            net->grid != card.features_height || net->grid != card.features_width)
            return fail("amortized explainer: the network does not fit the model card's features and classes");
        if (features.size() != 2 * net->input_size())
            return fail("amortized explainer: expected " + std::to_string(2 * net->input_size()) +
                        " feature values, got " + std::to_string(features.size()));
        density = predict_density(*net, features.first(net->input_size()), features.subspan(net->input_size()));
        grid = net->grid;
    }
    const CellOverlap cells = cell_overlap(seg, grid);
    std::vector<double> prior(size_t(classes) * m, 0.0);
    for (int c = sigmoid ? 1 : 0; c < classes; ++c) {
        const double logit_delta =
            link_value(p_full[size_t(c)], ShapLink::logit) - link_value(p_empty[size_t(c)], ShapLink::logit);
        const double delta = link_value(p_full[size_t(c)], link) - link_value(p_empty[size_t(c)], link);
        std::vector<double> phi;
        if (net) {
            phi = amortized_values(density, cells, sigmoid ? 0 : c, logit_delta);
            const double ratio = logit_delta != 0 ? delta / logit_delta : 0;
            for (double& v : phi) v *= ratio;
        }
        if (!net || logit_delta == 0) {  // the equal split by area
            phi.assign(size_t(m), 0.0);
            for (int k = 0; k < m; ++k) phi[size_t(k)] = delta * cells.area[size_t(k)];
        }
        std::copy(phi.begin(), phi.end(), prior.begin() + std::ptrdiff_t(c) * m);
    }
    if (sigmoid)
        for (int k = 0; k < m; ++k) prior[size_t(k)] = -prior[size_t(m + k)];
    return prior;
}

std::vector<uint8_t> serialize_amortized_net(const AmortizedNet& net) {
    std::vector<uint8_t> out(kMagic, kMagic + 8);
    for (int v : {net.channels, net.grid, net.hidden, net.outputs}) put_u32(out, uint32_t(v));
    for (const std::vector<float>* v : {&net.mean, &net.inv_std, &net.w1, &net.b1, &net.w2, &net.b2, &net.w3, &net.b3})
        put_floats(out, *v);
    return out;
}

Result<AmortizedNet> parse_amortized_net(std::span<const uint8_t> bytes) {
    if (bytes.size() < 24 || std::memcmp(bytes.data(), kMagic, 8) != 0)
        return fail("explainer file: not a santa-lens amortized explainer (magic SLAMEX1 missing)");
    const uint32_t c = get_u32(bytes.data() + 8), g = get_u32(bytes.data() + 12), h = get_u32(bytes.data() + 16),
                   o = get_u32(bytes.data() + 20);
    if (c == 0 || c > kMaxChannels || g == 0 || g > kMaxGrid || h == 0 || h > kMaxHidden || o == 0 || o > kMaxOutputs)
        return fail("explainer file: sizes out of range");
    AmortizedNet net;
    net.channels = int(c), net.grid = int(g), net.hidden = int(h), net.outputs = int(o);
    const size_t sizes[8] = {
        2 * size_t(c), 2 * size_t(c), size_t(h) * 2 * c, h, size_t(h) * h * 9, h, size_t(o) * h * 9, o};
    size_t floats = 0;
    for (size_t n : sizes) floats += n;
    if (bytes.size() != 24 + 4 * floats)
        return fail("explainer file: " + std::to_string(bytes.size()) + " bytes, expected " +
                    std::to_string(24 + 4 * floats));
    const uint8_t* p = bytes.data() + 24;
    bool finite = true;
    std::vector<float>* fields[8] = {&net.mean, &net.inv_std, &net.w1, &net.b1, &net.w2, &net.b2, &net.w3, &net.b3};
    for (int k = 0; k < 8; ++k) finite &= get_floats(p, sizes[k], *fields[k]);
    if (!finite) return fail("explainer file: a weight is not finite");
    return net;
}

}  // namespace sl
