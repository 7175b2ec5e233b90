// core/model/head.cpp: training, prediction and the file format of the classifier head (head.h).
//
// Sections: input checks | the batch kernels (forward, backward) | RMSprop | train_head |
// predict | head_loss | serialize / parse.
//
// Speed: the forward and backward passes are GEMMs (batch x inputs x hidden). The loops run
// over blocks of 128 hidden units so that a block of activations (batch x 128 floats) stays in
// L1 while rows of W1 stream past; the innermost loop adds four rows (forward) or four samples
// (backward) to a contiguous run of hidden units, which GCC and clang (-msimd128) vectorise
// without reordering any sum. Four zero features in a row (ResNet's pooled features are often
// exactly 0) are skipped. Every sum runs in one fixed order (inputs ascending, then samples
// ascending), which is what makes the bits the same on every build and predict_head_batch equal
// to predict_head, whatever the grouping. An FMA would change them: a native build with
// -march=native (GCC contracts a * b + c by default) breaks the "Recorded" tests; build with
// -ffp-contract=off there.
#include "core/model/head.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "core/base/le_bytes.h"
#include "core/base/rng.h"

namespace sl {

namespace {

constexpr int kBlock = 128;          // hidden units per cache block
constexpr int kMaxInputs = 1 << 20;  // 1 M features: far past any backbone's
constexpr int kMaxHidden = 1 << 16;
constexpr uint64_t kMaxWeights = uint64_t(1) << 28;  // 1 GiB of float32 in W1

// Sizes are multiplied in 64 bits: size_t is 32 bits in WebAssembly.
uint64_t product(uint64_t a, uint64_t b) { return a * b; }

// ---- input checks ------------------------------------------------------------------------------

Result<void> check_data(std::span<const float> features, std::span<const int> labels, int dim, int counts[2]) {
    if (dim <= 0 || dim > kMaxInputs) return fail("head: feature length " + std::to_string(dim) + " is out of range");
    if (labels.empty()) return fail("head: no samples");
    if (features.size() / size_t(dim) != labels.size() || features.size() % size_t(dim) != 0)
        return fail("head: " + std::to_string(features.size()) + " feature values are not " +
                    std::to_string(labels.size()) + " samples x " + std::to_string(dim));
    counts[0] = counts[1] = 0;
    for (size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] != 0 && labels[i] != 1)
            return fail("head: label " + std::to_string(labels[i]) + " of sample " + std::to_string(i) +
                        " is not 0 (person) or 1 (santa)");
        ++counts[labels[i]];
    }
    if (counts[0] == 0 || counts[1] == 0)
        return fail(std::string("head: no sample of class ") + (counts[0] ? "1 (santa)" : "0 (person)"));
    for (size_t i = 0; i < features.size(); ++i)
        if (!std::isfinite(features[i]))
            return fail("head: feature " + std::to_string(i % size_t(dim)) + " of sample " +
                        std::to_string(i / size_t(dim)) + " is not finite");
    return {};
}

bool finite_in(float v, float lo, float hi) { return std::isfinite(v) && v >= lo && v <= hi; }

Result<void> check_config(const HeadConfig& c, int dim) {
    if (c.hidden < 0 || c.hidden > kMaxHidden) return fail("head: hidden must be 0 to 65536");
    if (product(dim, std::max(c.hidden, 1)) > kMaxWeights) return fail("head: inputs x hidden is over 2^28 weights");
    if (!finite_in(c.dropout, 0, 1) || c.dropout >= 1) return fail("head: dropout must be in [0, 1)");
    if (!finite_in(c.learning_rate, 0, 1e6f) || c.learning_rate <= 0)
        return fail("head: learning rate must be positive");
    if (!finite_in(c.rho, 0, 1) || c.rho >= 1) return fail("head: rho must be in [0, 1)");
    if (!finite_in(c.epsilon, 0, 1e6f) || c.epsilon <= 0) return fail("head: epsilon must be positive");
    if (c.epochs < 0 || c.epochs > 1000000) return fail("head: epochs must be 0 to 1000000");
    if (c.batch_size < 1) return fail("head: batch size must be at least 1");
    if (!finite_in(c.l2, 0, 1e6f)) return fail("head: l2 must be 0 or positive");
    return {};
}

Result<void> check_head(const Head& h) {
    if (h.inputs <= 0 || h.inputs > kMaxInputs || h.hidden < 0 || h.hidden > kMaxHidden ||
        product(h.inputs, std::max(h.hidden, 1)) > kMaxWeights)
        return fail("head: sizes out of range");
    const size_t w2 = h.hidden ? size_t(h.hidden) : size_t(h.inputs);
    if (h.w1.size() != size_t(h.inputs) * size_t(h.hidden) || h.b1.size() != size_t(h.hidden) || h.w2.size() != w2)
        return fail("head: weight arrays do not match inputs and hidden");
    return {};
}

// ---- the batch kernels -------------------------------------------------------------------------

// One batch in the layouts the kernels want, plus the intermediate values of a pass.
struct Batch {
    int dim = 0, hidden = 0, size = 0;
    std::vector<float> xt;     // dim x size: the features transposed, xt[i * size + b]
    std::vector<float> a;      // size x hidden: relu activations after dropout
    std::vector<float> dh;     // size x hidden: loss gradient at the pre-activations
    std::vector<float> z, dz;  // size: logits, loss gradient at the logits
    std::vector<float> y, sw;  // size: labels and sample weights
    std::vector<float> g;      // kBlock: a block of one row of W1's gradient

    Batch(int dim_, int hidden_, int capacity) : dim(dim_), hidden(hidden_) {
        xt.resize(size_t(dim) * capacity);
        a.resize(size_t(hidden) * capacity);
        dh.resize(size_t(hidden) * capacity);
        z.resize(capacity), dz.resize(capacity), y.resize(capacity), sw.resize(capacity);
        g.resize(kBlock);
    }

    // Gathers samples idx[0..n) into xt, y, sw.
    void gather(std::span<const float> features, std::span<const int> labels, std::span<const float> weights,
                std::span<const int> idx) {
        size = int(idx.size());
        for (int b = 0; b < size; ++b) {
            const float* x = features.data() + size_t(idx[b]) * dim;
            for (int i = 0; i < dim; ++i) xt[size_t(i) * size + b] = x[i];
            y[b] = float(labels[idx[b]]);
            sw[b] = weights[labels[idx[b]]];
        }
    }
};

// Logits z[0..B) of the B samples in xt (dim x B). With `dropout_rng`, drops each hidden unit
// with probability `rate` and scales the kept ones by 1 / (1 - rate) (inverted dropout, Keras).
void forward(const Head& h, const float* xt, int B, float* a, float* z, Rng* dropout_rng, float rate) {
    const int D = h.inputs, H = h.hidden;
    if (H == 0) {
        for (int b = 0; b < B; ++b) z[b] = 0;
        for (int i = 0; i < D; ++i) {
            const float w = h.w2[i];
            const float* xs = xt + size_t(i) * B;
            for (int b = 0; b < B; ++b) z[b] += xs[b] * w;
        }
        for (int b = 0; b < B; ++b) z[b] += h.b2;
        return;
    }
    for (int j0 = 0; j0 < H; j0 += kBlock) {
        const int jn = std::min(kBlock, H - j0);
        for (int b = 0; b < B; ++b) std::fill_n(a + size_t(b) * H + j0, jn, 0.f);
        // Four rows of W1 per pass over the activations: a quarter of the loads and stores of
        // one row at a time, and the same sum in the same order, (((a + x0 w0) + x1 w1) + ...).
        int i = 0;
        for (; i + 4 <= D; i += 4) {
            const float* __restrict w0 = h.w1.data() + size_t(i) * H + j0;
            const float* __restrict w1 = w0 + H;
            const float* __restrict w2 = w1 + H;
            const float* __restrict w3 = w2 + H;
            const float* xs = xt + size_t(i) * B;
            for (int b = 0; b < B; ++b) {
                const float x0 = xs[b], x1 = xs[B + b], x2 = xs[2 * B + b], x3 = xs[3 * B + b];
                if (x0 == 0 && x1 == 0 && x2 == 0 && x3 == 0) continue;
                float* __restrict ab = a + size_t(b) * H + j0;
                for (int j = 0; j < jn; ++j) ab[j] = ab[j] + x0 * w0[j] + x1 * w1[j] + x2 * w2[j] + x3 * w3[j];
            }
        }
        for (; i < D; ++i) {
            const float* __restrict w = h.w1.data() + size_t(i) * H + j0;
            const float* xs = xt + size_t(i) * B;
            for (int b = 0; b < B; ++b) {
                const float x = xs[b];
                if (x == 0) continue;
                float* __restrict ab = a + size_t(b) * H + j0;
                for (int j = 0; j < jn; ++j) ab[j] += x * w[j];
            }
        }
    }
    const float scale = 1 / (1 - rate);
    for (int b = 0; b < B; ++b) {
        float* ab = a + size_t(b) * H;
        for (int j = 0; j < H; ++j) {
            const float v = ab[j] + h.b1[j];
            ab[j] = v > 0 ? v : 0;
        }
        if (dropout_rng)
            for (int j = 0; j < H; ++j) ab[j] = dropout_rng->uniform_float() >= rate ? ab[j] * scale : 0;
        float s = 0;
        for (int j = 0; j < H; ++j) s += ab[j] * h.w2[j];
        z[b] = s + h.b2;
    }
}

// Weighted binary cross-entropy summed over the batch, from logits (stable form), in double;
// and dz = dL/dz of the batch mean, (sigmoid(z) - y) * sw / B.
double loss_and_dz(Batch& bt, double denominator) {
    double total = 0;
    const float inv = float(1 / denominator);
    for (int b = 0; b < bt.size; ++b) {
        const double z = bt.z[b];
        total += bt.sw[b] * (std::max(z, 0.0) - z * bt.y[b] + det_log1p(det_exp(-std::fabs(z))));
        bt.dz[b] = (det_sigmoid(bt.z[b]) - bt.y[b]) * (bt.sw[b] * inv);
    }
    return total;
}

double l2_term(const Head& h, float l2) {
    if (l2 == 0) return 0;
    double s = 0;
    for (float w : h.w1) s += double(w) * w;
    for (float w : h.w2) s += double(w) * w;
    return l2 * s;
}

// Gradients of the batch loss (after forward and loss_and_dz). W1's rows go to
// w1_rows(i, j0, jn, g) block by block, so that training can update W1 in place without a
// second 2048 x 512 array; gb1, gw2, gb2 are written out.
template <typename W1Rows>
void backward(const Head& h, Batch& bt, float rate, float l2, W1Rows&& w1_rows, float* gb1, float* gw2, float* gb2) {
    const int D = h.inputs, H = h.hidden, B = bt.size;
    const float two_l2 = 2 * l2;
    float s = 0;
    for (int b = 0; b < B; ++b) s += bt.dz[b];
    *gb2 = s;
    if (H == 0) {
        for (int i = 0; i < D; ++i) {
            const float* xs = bt.xt.data() + size_t(i) * B;
            float g = 0;
            for (int b = 0; b < B; ++b) g += xs[b] * bt.dz[b];
            gw2[i] = l2 != 0 ? g + two_l2 * h.w2[i] : g;
        }
        return;
    }
    const float scale = 1 / (1 - rate);
    std::fill_n(gw2, H, 0.f);
    std::fill_n(gb1, H, 0.f);
    for (int b = 0; b < B; ++b) {
        const float d = bt.dz[b];
        const float* ab = bt.a.data() + size_t(b) * H;
        float* dhb = bt.dh.data() + size_t(b) * H;
        for (int j = 0; j < H; ++j) gw2[j] += d * ab[j];
        // a > 0 exactly when the unit was active and kept (a = relu(.) * scale, scale >= 1).
        for (int j = 0; j < H; ++j) dhb[j] = ab[j] > 0 ? d * h.w2[j] * scale : 0.f;
        for (int j = 0; j < H; ++j) gb1[j] += dhb[j];
    }
    if (l2 != 0)
        for (int j = 0; j < H; ++j) gw2[j] += two_l2 * h.w2[j];
    float* __restrict g = bt.g.data();
    for (int j0 = 0; j0 < H; j0 += kBlock) {
        const int jn = std::min(kBlock, H - j0);
        for (int i = 0; i < D; ++i) {
            std::fill_n(g, jn, 0.f);
            const float* xs = bt.xt.data() + size_t(i) * B;
            const float* dh = bt.dh.data() + j0;
            int b = 0;
            for (; b + 4 <= B; b += 4) {  // four samples per pass, as in forward
                const float x0 = xs[b], x1 = xs[b + 1], x2 = xs[b + 2], x3 = xs[b + 3];
                if (x0 == 0 && x1 == 0 && x2 == 0 && x3 == 0) continue;
                const float* __restrict d0 = dh + size_t(b) * H;
                const float* __restrict d1 = d0 + H;
                const float* __restrict d2 = d1 + H;
                const float* __restrict d3 = d2 + H;
                for (int j = 0; j < jn; ++j) g[j] = g[j] + x0 * d0[j] + x1 * d1[j] + x2 * d2[j] + x3 * d3[j];
            }
            for (; b < B; ++b) {
                const float x = xs[b];
                if (x == 0) continue;
                const float* __restrict db = dh + size_t(b) * H;
                for (int j = 0; j < jn; ++j) g[j] += x * db[j];
            }
            if (l2 != 0) {
                const float* w = h.w1.data() + size_t(i) * H + j0;
                for (int j = 0; j < jn; ++j) g[j] += two_l2 * w[j];
            }
            w1_rows(i, j0, jn, static_cast<const float*>(g));
        }
    }
}

// ---- RMSprop -----------------------------------------------------------------------------------

// Keras 2's RMSprop without momentum: ms = rho ms + (1 - rho) g^2; w -= lr g / (sqrt(ms) + eps).
// It touches every weight at every batch. The loop vectorises where the compiler need not set
// errno for sqrt: clang for WebAssembly, GCC with -fno-math-errno (which changes no value: sqrt
// stays correctly rounded). Without it, GCC calls sqrt one float at a time (~0.5 s of 6 epochs).
struct RmsProp {
    float lr, rho, one_minus_rho, eps;
};

void rmsprop_step(const RmsProp& o, float* __restrict w, float* __restrict ms, const float* __restrict g, size_t n) {
    for (size_t k = 0; k < n; ++k) {
        ms[k] = o.rho * ms[k] + o.one_minus_rho * (g[k] * g[k]);
        w[k] -= o.lr * g[k] / (std::sqrt(ms[k]) + o.eps);
    }
}

void glorot_uniform(std::vector<float>& w, int fan_in, int fan_out, Rng& rng) {
    const double limit = std::sqrt(6.0 / (double(fan_in) + double(fan_out)));
    for (float& v : w) v = float((2 * rng.uniform() - 1) * limit);
}

}  // namespace

// ---- train_head --------------------------------------------------------------------------------

Result<Head> train_head(std::span<const float> features, std::span<const int> labels, int dim, const HeadConfig& config,
                        const std::function<bool(int epoch, double loss)>& progress) {
    int counts[2];
    if (auto ok = check_data(features, labels, dim, counts); !ok) return fail(ok.error());
    if (auto ok = check_config(config, dim); !ok) return fail(ok.error());
    const int n = int(labels.size()), H = config.hidden;
    const float rate = H ? config.dropout : 0.f;

    Rng rng(config.seed);
    Head head;
    head.inputs = dim;
    head.hidden = H;
    head.w1.resize(size_t(dim) * H);
    head.b1.assign(H, 0.f);
    head.w2.resize(H ? H : dim);
    glorot_uniform(head.w1, dim, H, rng);
    glorot_uniform(head.w2, H ? H : dim, 1, rng);

    // Balanced weights as scikit-learn's class_weight="balanced": n / (2 n_class).
    const float weights[2] = {config.balance_classes ? float(double(n) / (2.0 * counts[0])) : 1.f,
                              config.balance_classes ? float(double(n) / (2.0 * counts[1])) : 1.f};
    const RmsProp opt{config.learning_rate, config.rho, 1 - config.rho, config.epsilon};
    Head ms;  // RMSprop's mean squared gradients, one per weight, from 0 as in Keras
    ms.w1.assign(head.w1.size(), 0.f);
    ms.b1.assign(head.b1.size(), 0.f);
    ms.w2.assign(head.w2.size(), 0.f);
    std::vector<float> gb1(H), gw2(head.w2.size());
    float gb2 = 0;

    const int capacity = std::min(config.batch_size, n);
    if (product(H, capacity) > kMaxWeights) return fail("head: batch size x hidden is over 2^28");
    Batch bt(dim, H, capacity);
    std::vector<int> order(n);
    for (int i = 0; i < n; ++i) order[i] = i;
    for (int epoch = 1; epoch <= config.epochs; ++epoch) {
        shuffle(std::span<int>(order), rng);
        double epoch_loss = 0;
        for (int start = 0; start < n; start += capacity) {
            const int B = std::min(capacity, n - start);
            bt.gather(features, labels, weights, std::span<const int>(order).subspan(start, B));
            forward(head, bt.xt.data(), B, bt.a.data(), bt.z.data(), H ? &rng : nullptr, rate);
            // Keras' epoch loss: batch losses (mean + regulariser) averaged by batch size.
            epoch_loss += loss_and_dz(bt, B) + B * l2_term(head, config.l2);
            backward(
                head, bt, rate, config.l2,
                [&](int i, int j0, int jn, const float* g) {
                    const size_t at = size_t(i) * H + j0;
                    rmsprop_step(opt, head.w1.data() + at, ms.w1.data() + at, g, size_t(jn));
                },
                gb1.data(), gw2.data(), &gb2);
            rmsprop_step(opt, head.b1.data(), ms.b1.data(), gb1.data(), gb1.size());
            rmsprop_step(opt, head.w2.data(), ms.w2.data(), gw2.data(), gw2.size());
            rmsprop_step(opt, &head.b2, &ms.b2, &gb2, 1);
        }
        if (progress && !progress(epoch, epoch_loss / n))
            return fail("head: training cancelled after epoch " + std::to_string(epoch));
    }
    return head;
}

// ---- predict -----------------------------------------------------------------------------------

float predict_head(const Head& head, const float* feature) {
    std::vector<float> a(size_t(head.hidden));
    float z;
    forward(head, feature, 1, a.data(), &z, nullptr, 0.f);  // one sample: xt is the feature
    return det_sigmoid(z);
}

void predict_head_batch(const Head& head, std::span<const float> features, std::span<float> out) {
    const size_t dim = size_t(head.inputs);
    assert(dim > 0 && features.size() % dim == 0 && out.size() == features.size() / dim);
    const int n = int(features.size() / dim);
    constexpr int kChunk = 32;
    std::vector<float> xt(dim * kChunk), a(size_t(head.hidden) * kChunk), z(kChunk);
    for (int start = 0; start < n; start += kChunk) {
        const int B = std::min(kChunk, n - start);
        for (int b = 0; b < B; ++b)
            for (size_t i = 0; i < dim; ++i) xt[i * B + b] = features[(start + b) * dim + i];
        forward(head, xt.data(), B, a.data(), z.data(), nullptr, 0.f);
        for (int b = 0; b < B; ++b) out[start + b] = det_sigmoid(z[b]);
    }
}

// ---- head_loss ---------------------------------------------------------------------------------

Result<double> head_loss(const Head& head, std::span<const float> features, std::span<const int> labels,
                         const HeadConfig& config, Head* gradient) {
    if (auto ok = check_head(head); !ok) return fail(ok.error());
    int counts[2];
    if (auto ok = check_data(features, labels, head.inputs, counts); !ok) return fail(ok.error());
    if (!finite_in(config.l2, 0, 1e6f)) return fail("head: l2 must be 0 or positive");
    const int n = int(labels.size());
    const float weights[2] = {config.balance_classes ? float(double(n) / (2.0 * counts[0])) : 1.f,
                              config.balance_classes ? float(double(n) / (2.0 * counts[1])) : 1.f};
    if (product(head.hidden, n) > kMaxWeights) return fail("head: samples x hidden is over 2^28");
    Batch bt(head.inputs, head.hidden, n);
    std::vector<int> all(n);
    for (int i = 0; i < n; ++i) all[i] = i;
    bt.gather(features, labels, weights, all);
    forward(head, bt.xt.data(), n, bt.a.data(), bt.z.data(), nullptr, 0.f);
    const double loss = loss_and_dz(bt, n) / n + l2_term(head, config.l2);
    if (gradient) {
        Head& g = *gradient;
        g.inputs = head.inputs;
        g.hidden = head.hidden;
        g.w1.assign(head.w1.size(), 0.f);
        g.b1.assign(head.b1.size(), 0.f);
        g.w2.assign(head.w2.size(), 0.f);
        backward(
            head, bt, 0.f, config.l2,
            [&](int i, int j0, int jn, const float* row) {
                std::copy_n(row, jn, g.w1.data() + size_t(i) * head.hidden + j0);
            },
            g.b1.data(), g.w2.data(), &g.b2);
    }
    return loss;
}

// ---- serialize / parse -------------------------------------------------------------------------

namespace {
constexpr char kMagic[8] = {'S', 'L', 'H', 'E', 'A', 'D', '1', '\0'};
}  // namespace

std::vector<uint8_t> serialize_head(const Head& head) {
    std::vector<uint8_t> out(kMagic, kMagic + 8);
    out.reserve(16 + 4 * (head.w1.size() + head.b1.size() + head.w2.size() + 1));
    put_u32(out, uint32_t(head.inputs));
    put_u32(out, uint32_t(head.hidden));
    put_floats(out, head.w1);
    put_floats(out, head.b1);
    put_floats(out, head.w2);
    put_u32(out, bit_cast<uint32_t>(head.b2));
    return out;
}

Result<Head> parse_head(std::span<const uint8_t> bytes) {
    if (bytes.size() < 16 || std::memcmp(bytes.data(), kMagic, 8) != 0)
        return fail("head file: not a santa-lens head (magic SLHEAD1 missing)");
    const uint32_t inputs = get_u32(bytes.data() + 8), hidden = get_u32(bytes.data() + 12);
    if (inputs == 0 || inputs > uint32_t(kMaxInputs) || hidden > uint32_t(kMaxHidden) ||
        product(inputs, std::max<uint32_t>(hidden, 1)) > kMaxWeights)
        return fail("head file: sizes out of range");
    const size_t n1 = size_t(inputs) * hidden, n2 = hidden ? hidden : inputs;
    const size_t floats = n1 + hidden + n2 + 1;
    if (bytes.size() != 16 + 4 * floats)
        return fail("head file: " + std::to_string(bytes.size()) + " bytes, expected " +
                    std::to_string(16 + 4 * floats) + " for " + std::to_string(inputs) + " x " +
                    std::to_string(hidden));
    Head head;
    head.inputs = int(inputs);
    head.hidden = int(hidden);
    const uint8_t* p = bytes.data() + 16;
    bool finite = get_floats(p, n1, head.w1);
    finite &= get_floats(p, hidden, head.b1);
    finite &= get_floats(p, n2, head.w2);
    head.b2 = bit_cast<float>(get_u32(p));
    if (!finite || !std::isfinite(head.b2)) return fail("head file: a weight is not finite");
    return head;
}

}  // namespace sl
