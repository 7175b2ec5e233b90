// wasm/app/app_export.cpp: the explanation as PNG and JSON (see app_export.h).
#include "wasm/app/app_export.h"

#include "core/explain/explanation_report.h"
#include "core/explain/heatmap.h"

namespace sl::app {

namespace {

// The figure's look: the screen's opacity and borders, panels 400 px high.
FigureStyle export_style(const AppState& s, std::span<const uint8_t> font) {
    FigureStyle style;
    style.font = font;
    style.panel_height = 400;
    style.overlay.opacity = s.view.opacity;
    style.overlay.borders = s.view.borders;
    return style;
}

}  // namespace

bool can_export(const AppState& s) { return s.explanation.estimate() != nullptr; }

std::string export_stem(const AppState& s) {
    std::string stem = s.photo.name.empty() ? "pasted" : s.photo.name;
    const size_t dot = stem.find_last_of('.');
    if (dot != std::string::npos && dot > 0) stem.resize(dot);
    return stem + "-shap";
}

Result<std::string> explanation_json(const AppState& s, std::span<const uint8_t> font) {
    if (!can_export(s)) return fail("Nothing to export yet: the explanation has not started.");
    const Explanation& e = s.explanation;
    const ReportTimes times{e.setup_ms + e.elapsed_ms, e.elapsed_ms, e.model_ms};
    return explanation_report(*e.explainer, s.photo.name.empty() ? "pasted image" : s.photo.name, times,
                              export_style(s, font));
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
    auto figure = render_figure(in, export_style(s, font));
    if (!figure) return fail("The figure could not be drawn: " + figure.error());
    std::vector<uint8_t> png = encode_png(*figure);
    if (png.empty()) return fail("The figure could not be encoded as PNG.");
    return png;
}

}  // namespace sl::app
