// fuzz/options_fuzzer.cpp: the options objects of the JS bindings, fed to the core functions
// they configure.
//
// The bindings read options from emscripten::val with sl::js::Fields (wasm/bindings/js_fields.h), whose
// checks are small: a number must be finite (a float field then takes the double's conversion,
// so ±inf too), an integer whole and within the binding's range, a choice one of its names.
// What passes is the core's to validate. So this target fuzzes that pure-C++ part: an options
// object as JSON, read here by Fields' rules at the type level (any value the C++ field can
// hold, a superset of every binding's ranges), then the call the binding makes with it:
//
//   {"call": "explain", "segments": 50, "sigma": 3, "background": "blur", "budget": 48, ...}
//
// calls: explain (createExplainer, and the game options createReference shares), trainHead,
// shapBench, nearDuplicates, shortcuts, fitPhotos, contactSheet. Field names are the bindings'.
// Work is bounded so that an input runs in milliseconds: the photo is at most 48 x 48, budgets
// at most 64 evaluations, training is cancelled after 3 epochs; every other value is taken as
// given.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "core/audit/contact_sheet.h"
#include "core/audit/near_duplicates.h"
#include "core/audit/shortcuts.h"
#include "core/audit/suspects.h"
#include "core/explain/explainer.h"
#include "core/explain/shapley_games.h"
#include "core/model/head.h"

namespace {

using nlohmann::json;

// Fields' rules, reading a JSON object instead of a JS one.
class Options {
public:
    explicit Options(const json& j) : j_(j) {}

    template <typename T>
    void number(const char* name, T& out) const {
        if (const json* v = find(name); v && v->is_number() && std::isfinite(v->get<double>()))
            out = T(v->get<double>());
    }
    template <typename T>
    void integer(const char* name, T& out) const {
        const json* v = find(name);
        if (!v || !v->is_number()) return;
        const double x = v->get<double>();
        if (x == std::floor(x) && x >= double(std::numeric_limits<T>::min()) &&
            x <= double(std::numeric_limits<T>::max()) && x <= 9007199254740992.0)
            out = T(x);
    }
    void boolean(const char* name, bool& out) const {
        if (const json* v = find(name); v && v->is_boolean()) out = v->get<bool>();
    }
    template <typename T>
    void choice(const char* name, std::initializer_list<std::pair<const char*, T>> values, T& out) const {
        const json* v = find(name);
        if (!v || !v->is_string()) return;
        for (const auto& [n, value] : values)
            if (v->get<std::string>() == n) out = value;
    }
    void text(const char* name, std::string& out) const {
        if (const json* v = find(name); v && v->is_string()) out = v->get<std::string>();
    }
    // A work size: an integer clamped to [lo, hi].
    int size(const char* name, int lo, int hi, int fallback) const {
        int x = fallback;
        integer(name, x);
        return std::clamp(x, lo, hi);
    }

private:
    const json* find(const char* name) const {
        auto it = j_.find(name);
        return it == j_.end() ? nullptr : &*it;
    }
    const json& j_;
};

// Deterministic pseudo-random values for the data the options apply to.
struct Noise {
    uint32_t s;
    float next() {  // [0, 1)
        s = s * 1664525u + 1013904223u;
        return float(s >> 8) / float(1 << 24);
    }
};

sl::Image photo(const Options& o) {
    const int w = o.size("width", 1, 48, 20), h = o.size("height", 1, 48, 14);
    sl::Image img{w, h, std::vector<uint8_t>(size_t(w) * h * 3)};
    Noise n{uint32_t(w * 31 + h)};
    for (uint8_t& v : img.rgb) v = uint8_t(n.next() * 256);
    return img;
}

sl::ModelCard small_card() {
    sl::ModelCard card;
    card.model_file = "m.onnx";
    card.input.width = card.input.height = 8;
    card.labels = {"person", "santa"};
    return card;
}

void explain(const Options& o) {
    sl::ExplainerConfig c;
    // wasm/bindings/js_game.h (GameOptions), shared with createReference
    o.integer("segments", c.game.slic.n_segments);
    o.integer("displayMaxSide", c.game.display_max_side);
    o.number("compactness", c.game.slic.compactness);
    o.number("sigma", c.game.slic.sigma);
    o.choice<sl::ShapLink>("output", {{"probability", sl::ShapLink::identity}, {"log-odds", sl::ShapLink::logit}},
                           c.shap.link);
    std::string background;
    o.text("background", background);
    if (!background.empty()) {
        auto parsed = sl::parse_background(background);
        if (!parsed) return;
        c.game.background = *parsed;
    }
    // wasm/bindings/bind_explain.cpp
    o.integer("budget", c.shap.budget);
    c.shap.budget = std::min(c.shap.budget, 64);
    o.integer("batchSize", c.shap.batch_size);
    o.integer("topGroups", c.top_groups);
    o.number("tolerance", c.shap.tolerance);
    o.integer("seed", c.shap.seed);
    o.choice<sl::ShapEstimator>(
        "estimator", {{"owen", sl::ShapEstimator::owen}, {"kernel", sl::ShapEstimator::kernel_shap}}, c.estimator);
    o.choice<sl::ShapSampler>("sampler", {{"leverage", sl::ShapSampler::leverage}, {"shap", sl::ShapSampler::kernel}},
                              c.shap.sampler);

    auto ex = sl::Explainer::create(photo(o), small_card(), c);
    if (!ex) return;
    for (int round = 0; !ex->done() && round < 64; ++round) {
        const std::span<const float> x = ex->next_batch();
        const int rows = ex->batch_rows();
        assert(rows > 0 && x.size() == size_t(rows) * ex->card().input.tensor_size());
        std::vector<float> p(static_cast<size_t>(rows));
        const size_t per = x.size() / size_t(rows);
        for (int r = 0; r < rows; ++r)  // a "model": P(santa) from the input's mean
            p[r] = 0.5f + 0.45f * std::tanh(float(std::accumulate(x.begin() + r * per, x.begin() + (r + 1) * per, 0.0) /
                                                  per / 64));
        auto ok = ex->add_scores(p);
        if (!ok) std::fprintf(stderr, "add_scores: %s\n", ok.error().c_str());
        assert(ok);
    }
    const std::vector<uint8_t> unsettled = ex->unsettled();
    for (int c2 = 0; c2 < ex->card().num_classes(); ++c2) {
        const double share = ex->settled_share(unsettled, c2);
        assert(share >= 0 && share <= 1);
    }
}

void train_head(const Options& o) {
    sl::HeadConfig c;  // wasm/bindings/bind_train.cpp
    o.integer("hidden", c.hidden);
    o.number("dropout", c.dropout);
    o.number("learningRate", c.learning_rate);
    o.number("rho", c.rho);
    o.number("epsilon", c.epsilon);
    o.integer("epochs", c.epochs);
    o.integer("batchSize", c.batch_size);
    o.number("l2", c.l2);
    o.integer("seed", c.seed);
    o.boolean("balanceClasses", c.balance_classes);
    const int n = o.size("photos", 2, 24, 8), dim = o.size("dim", 1, 16, 4);
    Noise noise{uint32_t(n * 7 + dim)};
    std::vector<float> features(size_t(n) * dim);
    for (float& f : features) f = noise.next() * 4 - 2;
    std::vector<int> labels(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) labels[i] = i % 2;
    auto head = sl::train_head(features, labels, dim, c, [](int epoch, double) { return epoch < 3; });
    if (head) (void)sl::predict_head(*head, features.data());
}

// The benchmark's games, with their exact values where bench_kernel_shap would enumerate them
// (the same every time: computed once, not per input).
std::vector<sl::ShapleyGame> bench_games;

void shap_bench(const Options& o) {
    sl::KernelShapConfig c;  // wasm/bindings/bind_shap.cpp
    c.tolerance = 0;
    o.choice<sl::ShapSampler>("sampler", {{"leverage", sl::ShapSampler::leverage}, {"kernel", sl::ShapSampler::kernel}},
                              c.sampler);
    o.choice<sl::ShapSurrogate>("surrogate",
                                {{"auto", sl::ShapSurrogate::automatic},
                                 {"linear", sl::ShapSurrogate::linear},
                                 {"logistic", sl::ShapSurrogate::logistic}},
                                c.surrogate);
    o.integer("batchSize", c.batch_size);
    o.integer("seed", c.seed);
    o.integer("budget", c.budget);
    c.budget = std::min(c.budget, 64);
    const sl::ShapleyGame& game = bench_games[size_t(o.size("game", 0, int(bench_games.size()) - 1, 5))];
    (void)sl::bench_kernel_shap(game, c, o.size("seeds", 0, 2, 1));
}

std::vector<sl::PerceptualHash> hashes(int n) {
    std::vector<sl::PerceptualHash> h(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        h[i] = {0x0123456789abcdefull * uint64_t(i / 2 + 1), 0xfedcba9876543210ull ^ uint64_t(i / 2)};
    return h;
}

void near_duplicates(const Options& o) {
    sl::DuplicateOptions c;  // wasm/bindings/bind_audit.cpp
    o.integer("phashStrict", c.phash_strict);
    o.integer("dhashStrict", c.dhash_strict);
    o.integer("phashLoose", c.phash_loose);
    o.number("cosineStrict", c.cosine_strict);
    o.number("cosineLoose", c.cosine_loose);
    const int n = o.size("photos", 0, 16, 6), dim = o.size("dim", 1, 8, 3);
    std::vector<float> features(size_t(n) * dim, 1.f);
    (void)sl::find_near_duplicates(hashes(n), features, dim, c);
}

void shortcuts(const Options& o) {
    sl::ShortcutOptions c;  // wasm/bindings/bind_audit.cpp
    o.integer("folds", c.folds);
    o.integer("seed", c.seed);
    o.integer("maxDepth", c.tree.max_depth);
    o.integer("minLeaf", c.tree.min_leaf);
    o.number("margin", c.margin);
    const int n = o.size("photos", 0, 40, 12);
    Noise noise{uint32_t(n)};
    std::vector<sl::CueColumn> cues = {{"width", "file", false, {}}, {"format", "file", true, {}}};
    std::vector<int> labels(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        labels[i] = i % 2;
        cues[0].values.push_back(i % 5 == 0 ? NAN : noise.next() * 100);
        cues[1].values.push_back(double(i % 3));
    }
    (void)sl::find_shortcuts(cues, labels, 2, c);
}

void fit_photos(const Options& o) {
    sl::SuspectOptions c;  // wasm/bindings/bind_audit.cpp
    o.integer("folds", c.folds);
    o.integer("seed", c.seed);
    c.min_updates = 20;  // a work size: the head's steps
    const int n = o.size("photos", 0, 16, 8), dim = o.size("dim", 1, 8, 4);
    Noise noise{uint32_t(n * 3 + dim)};
    std::vector<float> features(size_t(n) * dim);
    for (float& f : features) f = noise.next();
    std::vector<int> labels(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) labels[i] = i % 2;
    (void)sl::fit_photos(features, labels, 2, dim, c);
}

std::vector<uint8_t> ui_font;  // Debian's Inter, the font the CLI's contact sheets use, if present

void contact_sheet(const Options& o) {
    sl::SheetStyle style;  // wasm/bindings/bind_audit.cpp
    o.integer("thumb", style.thumb);
    o.integer("columns", style.columns);
    o.number("fontPx", style.font_px);
    o.text("title", style.title);
    style.thumb = std::min(style.thumb, 64);  // a work size: the sheet's pixels
    style.font = ui_font;
    std::vector<sl::SheetSection> sections(1);
    std::string caption;
    o.text("caption", caption);
    sections[0].title = "photos";
    for (int i = 0; i < o.size("photos", 0, 4, 2); ++i) sections[0].tiles.push_back({photo(o), {caption, "p = 0.5"}});
    (void)sl::render_contact_sheet(sections, style);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    std::ifstream f("/usr/share/fonts/opentype/inter/Inter-Regular.otf", std::ios::binary);
    ui_font.assign(std::istreambuf_iterator<char>(f), {});
    bench_games = sl::make_bench_games(1);
    for (sl::ShapleyGame& g : bench_games)
        if (auto exact = sl::exact_shapley(g)) g.phi = std::move(*exact);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const json j = json::parse(data, data + size, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return 0;
    const Options o(j);
    std::string call;
    o.text("call", call);
    if (call == "explain")
        explain(o);
    else if (call == "trainHead")
        train_head(o);
    else if (call == "shapBench")
        shap_bench(o);
    else if (call == "nearDuplicates")
        near_duplicates(o);
    else if (call == "shortcuts")
        shortcuts(o);
    else if (call == "fitPhotos")
        fit_photos(o);
    else if (call == "contactSheet")
        contact_sheet(o);
    return 0;
}
