// core/explain/explanation_report.h: an explanation as the JSON report that both the CLI
// (`santa-lens explain --json`) and the app's JSON export write, so a report made in the browser
// and one made on the command line read the same way. Besides the values and the settings that
// made them, it carries the superpixel map and where the figure's panels are, so that a small
// script redraws the heatmaps from the report alone (`santa-lens redraw`, tools/cli/redraw.mjs, does).
//
//   sl::ReportTimes t{total_ms, explain_ms, model_ms};
//   std::string json = sl::explanation_report(explainer, "santa.jpg", t, figure_style);
//
// Keys, in this order:
//   file, model, labels, segments, phi [class][superpixel], std, output, estimator, f_x,
//   f_empty, probabilities, unsettled [class][superpixel] (1: sign not settled), settled
//   [class], off_manifold, evaluations, exact, convergence, converged, range (the colour map
//   spans -range..range), budget, batch_size, tolerance, seed, background,
//   segmentation {requested, compactness, sigma, display_max_side},
//   seconds {total, explain, model},
//   superpixels {width, height, runs}: the label of every pixel of the photo at display size,
//     row-major, as runs [label, count, label, count, ...],
//   figure {width, height, opacity, borders, panels [{label, x, y, width, height}]}: the class
//     panels in the figure drawn with the same FigureStyle (heatmap.h); a panel pixel (x, y)
//     shows the label at ((x + 0.5) * superpixels.width / width, (y + 0.5) * superpixels.height
//     / height); opacity multiplies the colour map's alpha; borders: superpixels outlined.
// Values that are not finite (a standard error before enough samples) are null, as
// JSON.stringify writes them.
#pragma once
#include <cmath>
#include <string>

#include "core/explain/explainer.h"
#include "core/explain/heatmap.h"

namespace sl {

struct ReportTimes {
    double total_ms = 0, explain_ms = 0, model_ms = 0;
};

// The report (UTF-8, two-space indented, ending in a newline); `file` names the photo. Call it
// once the explainer has an estimate (after its first batch).
std::string explanation_report(const Explainer& explainer, const std::string& file, const ReportTimes& times,
                               const FigureStyle& figure);

// `x` as a JSON value of type Json (nlohmann's json or ordered_json): a value that is not finite
// as null, as JSON.stringify writes it. The report and the app's live data-* attributes share it.
template <typename Json>
Json finite_or_null(double x) {
    return std::isfinite(x) ? Json(x) : Json(nullptr);
}

// Row-major runs of equal labels: [label, count, label, count, ...].
std::vector<int32_t> label_runs(const Segmentation& segmentation);

}  // namespace sl
