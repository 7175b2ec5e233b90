// wasm/app/app_state.cpp: the browser app's state rules and wording (see app_state.h).
#include "wasm/app/app_state.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <span>

namespace sl::app {

Prediction prediction_from_scores(const ModelCard& card, const std::vector<float>& outputs) {
    Prediction p;
    p.probabilities = card.class_probabilities(std::span<const float>(outputs));
    p.best = int(std::max_element(p.probabilities.begin(), p.probabilities.end()) - p.probabilities.begin());
    return p;
}

std::string display_label(const std::string& label) {
    std::string out = label;
    std::replace(out.begin(), out.end(), '_', ' ');
    if (!out.empty()) out[0] = char(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

std::string percent_text(float probability) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f%%", double(probability) * 100.0);
    return buf;
}

std::string megabytes_text(double bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
    return buf;
}

const char* status_kind(const AppState& s) {
    if (!s.error.empty()) return "error";
    if (s.running) return "running";
    if (s.prediction) return "result";
    if (s.model.phase == ModelPhase::failed) return "model-error";
    if (s.model.phase == ModelPhase::loading) return "loading";
    return "ready";
}

namespace {

std::string result_text(const AppState& s) {
    const Prediction& p = *s.prediction;
    return display_label(s.model.card->labels[p.best]) + " \u2014 " + percent_text(p.probabilities[p.best]);
}

}  // namespace

std::string status_text(const AppState& s) {
    if (!s.error.empty()) {
        if (!s.prediction) return s.error;
        return s.error + " Still showing the previous result: " + result_text(s) + ".";
    }
    if (s.running) {
        if (s.model.phase == ModelPhase::loading) return "Photo received. Waiting for the model\u2026";
        return "Classifying\u2026";
    }
    if (s.prediction) return result_text(s);
    switch (s.model.phase) {
        case ModelPhase::loading:
            return "Loading model\u2026";
        case ModelPhase::failed:
            return s.model.message;
        case ModelPhase::ready:
            break;
    }
    return "Model ready. Drop, paste or choose a photo.";
}

const char* explain_kind(const AppState& s) {
    switch (s.explanation.phase) {
        case ExplainPhase::idle:
            return "idle";
        case ExplainPhase::preparing:
            return "preparing";
        case ExplainPhase::running:
            return "running";
        case ExplainPhase::done:
            return "done";
        case ExplainPhase::cancelled:
            return "cancelled";
        case ExplainPhase::failed:
            return "error";
    }
    return "idle";
}

bool first_estimate(const AppState& s) {
    const ShapEstimate* est = s.explanation.estimate();
    return est && est->evaluations <= 2 && s.explanation.explainer->config().estimator == ShapEstimator::amortized;
}

std::string explain_status_text(const AppState& s) {
    const Explanation& e = s.explanation;
    switch (e.phase) {
        case ExplainPhase::idle:
            return "";
        case ExplainPhase::preparing:
            return "Explaining which parts of the photo matter\u2026";
        case ExplainPhase::running:
            return first_estimate(s) ? "First estimate from the prediction: refining it with masked photos\u2026"
                                     : "Explaining which parts of the photo matter\u2026";
        case ExplainPhase::cancelled:
            return "Explanation cancelled after " + std::to_string(e.estimate() ? e.estimate()->evaluations : 0) +
                   " evaluations.";
        case ExplainPhase::failed:
            return "The explanation failed: " + e.message;
        case ExplainPhase::done:
            break;
    }
    const ShapEstimate* est = e.estimate();
    if (!est || !s.prediction) return "Explanation ready.";
    const std::string label = display_label(s.model.card->labels[s.prediction->best]);
    std::string text = "Explanation ready after " + std::to_string(est->evaluations) +
                       " evaluations. Red regions make it " + label + ", blue ones make it less so.";
    const int settled = int(std::floor(e.settled * 100));
    if (settled < 100)
        text += " The sign is settled on " + std::to_string(settled) +
                "% of the photo; hatched regions could still go either way.";
    return text;
}

std::string show_name(const AppState& s) {
    const int show = s.view.show;
    if (show == HeatmapView::photo) return "photo";
    if (show == HeatmapView::all || !s.model.card || show >= s.model.card->num_classes()) return "all";
    return s.model.card->labels[size_t(show)];
}

}  // namespace sl::app
