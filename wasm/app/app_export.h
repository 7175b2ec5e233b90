// wasm/app/app_export.h: the explanation as files the user can keep: the figure as PNG (drawn by the
// core's CPU renderer, core/explain/heatmap.h, the same look as the screen) and the values as JSON, the
// report the CLI's `santa-lens explain --json` writes too (core/explain/explanation_report.h).
// Pairs with app_export.cpp; app_bridge.cpp hands the bytes to the page as a download.
//
//   if (auto png = explanation_png(state, theme.font_data)) download("santa-shap.png", *png);
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "wasm/app/app_state.h"

namespace sl::app {

// True once there is something to export (the first batch is in).
bool can_export(const AppState& state);

// The JSON report (core/explain/explanation_report.h), its figure layout that of
// explanation_png with the same font. Errors: nothing to export yet.
Result<std::string> explanation_json(const AppState& state, std::span<const uint8_t> font);

// The figure as PNG bytes: photo | one panel per class | colour bar, titled with the photo's
// name; `font` is the UI's font file (no text without it). Errors: nothing to export yet, or
// the renderer's message.
Result<std::vector<uint8_t>> explanation_png(const AppState& state, std::span<const uint8_t> font);

// "santa-shap": the file name (without extension) for exports of photo "santa.jpg".
std::string export_stem(const AppState& state);

}  // namespace sl::app
