// wasm/app/app_export.cpp: the explanation as PNG and JSON (see app_export.h).
#include "wasm/app/app_export.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/explain/heatmap.h"

namespace sl::app {

namespace {

// Per-class arrays of a classes x players vector; infinities and NaN become null.
nlohmann::ordered_json per_class(const std::vector<double>& v, int classes, int players) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (int c = 0; c < classes; ++c) {
        nlohmann::ordered_json row = nlohmann::ordered_json::array();
        for (int k = 0; k < players; ++k) {
            const double x = v[size_t(c) * players + k];
            row.push_back(std::isfinite(x) ? nlohmann::ordered_json(x) : nlohmann::ordered_json(nullptr));
        }
        out.push_back(std::move(row));
    }
    return out;
}

nlohmann::ordered_json finite_or_null(double x) {
    return std::isfinite(x) ? nlohmann::ordered_json(x) : nlohmann::ordered_json(nullptr);
}

// Seconds rounded to the millisecond, as the CLI writes them.
double seconds(double ms) { return std::round(ms) / 1000.0; }

}  // namespace

bool can_export(const AppState& s) { return s.explanation.estimate() != nullptr; }

std::string export_stem(const AppState& s) {
    std::string stem = s.photo.name.empty() ? "pasted" : s.photo.name;
    const size_t dot = stem.find_last_of('.');
    if (dot != std::string::npos && dot > 0) stem.resize(dot);
    return stem + "-shap";
}

Result<std::string> explanation_json(const AppState& s) {
    const ShapEstimate* est = s.explanation.estimate();
    if (!est) return fail("Nothing to export yet: the explanation has not started.");
    const Explainer& ex = *s.explanation.explainer;
    const ExplainerConfig& config = ex.config();
    const ModelCard& card = ex.card();
    const double tolerance = config.shap.tolerance;
    nlohmann::ordered_json j;  // the CLI's key order, so that the two reports diff cleanly
    j["file"] = s.photo.name.empty() ? "pasted image" : s.photo.name;
    j["model"] = card.name;
    j["labels"] = card.labels;
    j["segments"] = ex.segmentation().count;
    j["phi"] = per_class(est->phi, est->outputs, est->players);
    j["std"] = per_class(est->std_error, est->outputs, est->players);
    j["output"] = output_name(config.shap.link);
    j["estimator"] = estimator_name(config.estimator);
    j["f_x"] = est->f_full;
    j["f_empty"] = est->f_empty;
    j["probabilities"] = ex.probabilities();
    const std::vector<uint8_t> open = ex.unsettled();
    j["unsettled"] = per_class(std::vector<double>(open.begin(), open.end()), est->outputs, est->players);
    nlohmann::ordered_json settled = nlohmann::ordered_json::array();
    for (int c = 0; c < est->outputs; ++c) settled.push_back(ex.settled_share(open, c));
    j["settled"] = settled;
    j["off_manifold"] = ex.off_manifold();
    j["evaluations"] = est->evaluations;
    j["exact"] = est->exact;
    j["convergence"] = finite_or_null(est->convergence);
    j["converged"] = est->exact || est->convergence < tolerance;
    j["range"] = s.explanation.range;
    j["budget"] = config.shap.budget;
    j["batch_size"] = config.shap.batch_size;
    j["tolerance"] = tolerance;
    j["seed"] = config.shap.seed;
    j["background"] = background_name(config.game.background);
    j["segmentation"] = {{"compactness", config.game.slic.compactness}, {"sigma", config.game.slic.sigma}};
    const Explanation& e = s.explanation;
    j["seconds"] = {{"total", seconds(e.setup_ms + e.elapsed_ms)},
                    {"explain", seconds(e.elapsed_ms)},
                    {"model", seconds(e.model_ms)}};
    // replace: a name with broken UTF-8 must not abort the module (no exceptions here).
    return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

Result<std::vector<uint8_t>> explanation_png(const AppState& s, std::span<const uint8_t> font) {
    const ShapEstimate* est = s.explanation.estimate();
    if (!est) return fail("Nothing to export yet: the explanation has not started.");
    const Explainer& ex = *s.explanation.explainer;
    const std::vector<double> p = ex.probabilities();
    const std::vector<uint8_t> open = ex.unsettled();
    FigureInput in{&ex.display(),
                   &ex.segmentation(),
                   est->phi,
                   p,
                   ex.card().labels,
                   s.photo.name,
                   open,
                   std::string("SHAP value (") + output_name(ex.config().shap.link) + ")"};
    FigureStyle style;
    style.font = font;
    style.panel_height = 400;
    style.overlay.opacity = s.view.opacity;
    style.overlay.borders = s.view.borders;
    auto figure = render_figure(in, style);
    if (!figure) return fail("The figure could not be drawn: " + figure.error());
    std::vector<uint8_t> png = encode_png(*figure);
    if (png.empty()) return fail("The figure could not be encoded as PNG.");
    return png;
}

}  // namespace sl::app
