// core/explain/explanation_report.cpp: the JSON report of an explanation (explanation_report.h).
#include "core/explain/explanation_report.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/explain/colormap.h"

namespace sl {
namespace {

using Json = nlohmann::ordered_json;

// Per-class arrays of a classes x players vector.
template <typename T>
Json per_class(const std::vector<T>& v, int classes, int players) {
    Json out = Json::array();
    for (int c = 0; c < classes; ++c) {
        Json row = Json::array();
        for (int k = 0; k < players; ++k) row.push_back(finite_or_null<Json>(double(v[size_t(c) * players + k])));
        out.push_back(std::move(row));
    }
    return out;
}

// Seconds rounded to the millisecond.
double seconds(double ms) { return std::round(ms) / 1000.0; }

}  // namespace

std::vector<int32_t> label_runs(const Segmentation& s) {
    std::vector<int32_t> runs;
    for (size_t i = 0; i < s.labels.size();) {
        size_t j = i;
        while (j < s.labels.size() && s.labels[j] == s.labels[i]) ++j;
        runs.push_back(s.labels[i]);
        runs.push_back(int32_t(j - i));
        i = j;
    }
    return runs;
}

std::string explanation_report(const Explainer& ex, const std::string& file, const ReportTimes& times,
                               const FigureStyle& figure) {
    const ShapEstimate& est = ex.estimate();
    const ExplainerConfig& config = ex.config();
    const Segmentation& seg = ex.segmentation();
    const std::vector<uint8_t> open = ex.unsettled();
    Json j;
    j["file"] = file;
    j["model"] = ex.card().name;
    j["labels"] = ex.card().labels;
    j["segments"] = seg.count;
    j["phi"] = per_class(est.phi, est.outputs, est.players);
    j["std"] = per_class(est.std_error, est.outputs, est.players);
    j["output"] = output_name(config.shap.link);
    j["estimator"] = estimator_name(config.estimator);
    j["f_x"] = est.f_full;
    j["f_empty"] = est.f_empty;
    j["probabilities"] = ex.probabilities();
    j["unsettled"] = per_class(open, est.outputs, est.players);
    Json settled = Json::array();
    for (int c = 0; c < est.outputs; ++c) settled.push_back(ex.settled_share(open, c));
    j["settled"] = settled;
    j["off_manifold"] = ex.off_manifold();
    j["evaluations"] = est.evaluations;
    j["exact"] = est.exact;
    j["convergence"] = finite_or_null<Json>(est.convergence);
    j["converged"] = est.exact || est.convergence < config.shap.tolerance;
    j["range"] = est.phi.empty() ? 0.0 : symmetric_range(est.phi, est.outputs, ex.segment_area());
    j["budget"] = config.shap.budget;
    j["batch_size"] = config.shap.batch_size;
    j["tolerance"] = config.shap.tolerance;
    j["seed"] = config.shap.seed;
    j["background"] = background_name(config.game.background);
    j["segmentation"] = {{"requested", config.game.slic.n_segments},
                         {"compactness", config.game.slic.compactness},
                         {"sigma", config.game.slic.sigma},
                         {"display_max_side", config.game.display_max_side}};
    j["seconds"] = {
        {"total", seconds(times.total_ms)}, {"explain", seconds(times.explain_ms)}, {"model", seconds(times.model_ms)}};
    j["superpixels"] = {{"width", seg.width}, {"height", seg.height}, {"runs", label_runs(seg)}};
    const FigureLayout lay = figure_layout(ex.display().width, ex.display().height, est.outputs, figure);
    Json panels = Json::array();
    for (int c = 0; c < est.outputs; ++c)
        panels.push_back({{"label", ex.card().labels[size_t(c)]},
                          {"x", lay.panel_x(c + 1)},
                          {"y", lay.panels_y},
                          {"width", lay.panel_width},
                          {"height", lay.panel_height}});
    j["figure"] = {{"width", lay.width},
                   {"height", lay.height},
                   {"opacity", figure.overlay.opacity},
                   {"borders", figure.overlay.borders},
                   {"panels", panels}};
    // replace: a file name with broken UTF-8 must not abort (no exceptions here).
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace sl
