// wasm/app/app_explain.cpp: the explanation's state changes (see app_explain.h).
#include "wasm/app/app_explain.h"

#include <emscripten/emscripten.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

#include "core/explain/colormap.h"

namespace sl::app {

namespace {

// Starts the clock of a step on the main thread; done() records it in slowest_step_ms.
struct StepTimer {
    Explanation& e;
    double t0 = emscripten_get_now();
    double done() {
        const double ms = emscripten_get_now() - t0;
        e.slowest_step_ms = std::max(e.slowest_step_ms, ms);
        return ms;
    }
};

// Wall time the explanation has been working (not counting cancelled stretches).
void add_elapsed(Explanation& e) {
    const double now = emscripten_get_now();
    if (e.started_ms > 0) e.elapsed_ms += now - e.started_ms;
    e.started_ms = e.phase == ExplainPhase::running ? now : 0;
}

void set_failed(Explanation& e, std::string message) {
    e.phase = ExplainPhase::failed;
    add_elapsed(e);
    e.message = std::move(message);
    e.request_id = 0;
}

// A fresh explanation; the texture counters keep counting so the GL layer sees the change.
void reset(Explanation& e) {
    Explanation fresh;
    fresh.generation = e.generation + 1;
    fresh.revision = e.revision + 1;
    e = std::move(fresh);
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The whole of `text` as a number, or nothing.
std::optional<double> number(std::string_view text) {
    const std::string s(text);
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<int> integer_in(std::string_view text, int lo, int hi) {
    const auto v = number(text);
    if (!v || *v != std::floor(*v) || *v < lo || *v > hi) return std::nullopt;
    return int(*v);
}

// A new estimate is in: the colour range, the settled marks and the texture follow.
void refresh(AppState& s) {
    Explanation& e = s.explanation;
    const ShapEstimate& est = e.explainer->estimate();
    e.range = symmetric_range(est.phi, est.outputs, e.explainer->segment_area());
    e.unsettled = e.explainer->unsettled();
    e.settled = s.prediction ? e.explainer->settled_share(e.unsettled, s.prediction->best) : 0;
    e.revision += 1;
}

void restart(AppState& s) {
    clear_explanation(s);
    start_explanation(s);
}

}  // namespace

void start_explanation(AppState& s) {
    reset(s.explanation);
    if (!s.prediction || !s.source || !s.model.card) return;
    s.explanation.phase = ExplainPhase::preparing;
    if (s.view.follow_prediction) s.view.show = s.prediction->best;
}

void clear_explanation(AppState& s) { reset(s.explanation); }

std::optional<ModelRequest> explain_step(AppState& s) {
    Explanation& e = s.explanation;
    if (e.phase == ExplainPhase::preparing) {
        if (!s.source || !s.model.card) {
            set_failed(e, "the photo is no longer there.");
            return std::nullopt;
        }
        StepTimer timer{e};
        ExplainerConfig config;
        config.estimator = s.settings.estimator;
        config.game.slic.n_segments = s.settings.segments;
        config.game.background.kind = s.settings.background;
        config.shap.budget = s.settings.budget;
        config.shap.batch_size = s.settings.batch_size;
        config.amortized_net = s.model.explainer;
        if (s.model.card->explainer_prior_error > 0) config.prior.prior_error = s.model.card->explainer_prior_error;
        auto explainer = Explainer::create(*s.source, *s.model.card, config);
        if (!explainer) {
            set_failed(e, explainer.error());
            return std::nullopt;
        }
        e.explainer.emplace(std::move(*explainer));
        e.generation += 1;
        // The prediction's own run answers the amortized explainer's first batch: its first
        // estimate is on screen before any masked photo is sent. Where it cannot (another
        // background, no features yet), the explainer asks for that batch itself.
        const PredictionRun* run = s.prediction_run ? &*s.prediction_run : nullptr;
        if (config.estimator == ShapEstimator::amortized && run && run->background == s.settings.background &&
            e.explainer->start(run->scores, run->features))
            refresh(s);
        e.setup_ms = timer.done();
        e.phase = ExplainPhase::running;
        add_elapsed(e);
        return std::nullopt;  // the first batch on the next frame: one step per frame
    }
    if (e.phase != ExplainPhase::running || e.request_id != 0 || s.model.phase != ModelPhase::ready)
        return std::nullopt;
    if (e.explainer->done()) {
        e.phase = ExplainPhase::done;
        add_elapsed(e);
        return std::nullopt;
    }
    StepTimer timer{e};
    const std::span<const float> batch = e.explainer->next_batch();
    e.request_id = ++s.last_request_id;
    timer.done();
    return model_request(*s.model.card, e.request_id, batch.data(), e.explainer->batch_rows(),
                         e.explainer->needs_features());
}

bool explain_scores(AppState& s, int id, std::span<const float> scores, double inference_ms,
                    std::span<const float> features) {
    Explanation& e = s.explanation;
    if (id == 0 || id != e.request_id || !e.explainer) return false;
    e.request_id = 0;
    e.model_ms += inference_ms;
    StepTimer timer{e};
    if (auto ok = e.explainer->add_scores(scores, features); !ok) {
        set_failed(e, ok.error());
        return true;
    }
    refresh(s);
    timer.done();
    // A batch that was in flight when the user cancelled still counts: the work is done.
    if (e.phase == ExplainPhase::running) {
        if (e.explainer->done()) e.phase = ExplainPhase::done;
        add_elapsed(e);
    }
    return true;
}

bool explain_failed(AppState& s, int id, std::string_view message) {
    Explanation& e = s.explanation;
    if (id == 0 || id != e.request_id) return false;
    set_failed(e, "the model failed on a batch of masked photos: " + std::string(message));
    return true;
}

void cancel_explanation(AppState& s) {
    Explanation& e = s.explanation;
    if (e.phase != ExplainPhase::running && e.phase != ExplainPhase::preparing) return;
    e.phase = ExplainPhase::cancelled;
    add_elapsed(e);
}

void resume_explanation(AppState& s) {
    Explanation& e = s.explanation;
    if (e.phase != ExplainPhase::cancelled) return;
    if (!e.explainer) {
        e.phase = ExplainPhase::preparing;
        return;
    }
    e.phase = e.explainer->done() ? ExplainPhase::done : ExplainPhase::running;
    add_elapsed(e);
}

Result<void> apply_setting(AppState& s, std::string_view key, std::string_view value) {
    const std::string v = lower(value);
    if (key == "show") {
        int show = 0;
        if (v == "photo") {
            show = HeatmapView::photo;
        } else if (v == "all" || v == "both" || v == "side-by-side") {
            show = HeatmapView::all;
        } else {
            const auto& labels = s.model.card ? s.model.card->labels : std::vector<std::string>{};
            const auto it =
                std::find_if(labels.begin(), labels.end(), [&](const std::string& l) { return lower(l) == v; });
            if (it == labels.end()) {
                std::string names;
                for (const auto& l : labels) names += ", " + l;
                return sl::fail("show: photo, all" + names + "; not \u201c" + std::string(value) + "\u201d");
            }
            show = int(it - labels.begin());
        }
        s.view.show = show;
        s.view.follow_prediction = false;
        return {};
    }
    if (key == "opacity") {
        const auto x = number(v);
        if (!x || *x < 0 || *x > 1) return sl::fail("opacity: a number from 0 to 1");
        s.view.opacity = float(*x);
        return {};
    }
    if (key == "borders") {
        if (v == "1" || v == "true" || v == "on")
            s.view.borders = true;
        else if (v == "0" || v == "false" || v == "off")
            s.view.borders = false;
        else
            return sl::fail("borders: 0 or 1");
        return {};
    }
    if (key == "estimator") {
        ShapEstimator estimator;
        if (v == "amortized")
            estimator = ShapEstimator::amortized;
        else if (v == "owen")
            estimator = ShapEstimator::owen;
        else if (v == "kernel")
            estimator = ShapEstimator::kernel_shap;
        else
            return sl::fail("estimator: amortized, owen or kernel");
        if (estimator == s.settings.estimator) return {};
        s.settings.estimator = estimator;
    } else if (key == "segments") {
        const auto n = integer_in(v, 4, 200);
        if (!n) return sl::fail("segments: a whole number from 4 to 200");
        if (*n == s.settings.segments) return {};
        s.settings.segments = *n;
    } else if (key == "background") {
        BackgroundKind kind;
        if (v == "mean")
            kind = BackgroundKind::mean;
        else if (v == "blur")
            kind = BackgroundKind::blur;
        else
            return sl::fail("background: mean or blur");
        if (kind == s.settings.background) return {};
        s.settings.background = kind;
    } else if (key == "budget") {
        const auto n = integer_in(v, 4, 100000);
        if (!n) return sl::fail("budget: a whole number of evaluations from 4 to 100000");
        if (*n == s.settings.budget) return {};
        s.settings.budget = *n;
    } else {
        return sl::fail("unknown setting \u201c" + std::string(key) +
                        "\u201d (show, opacity, borders, estimator, segments, background, budget)");
    }
    // Superpixels, background or budget changed: the values so far belong to other settings.
    if (s.explanation.phase != ExplainPhase::idle) restart(s);
    return {};
}

}  // namespace sl::app
