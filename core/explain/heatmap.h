// core/explain/heatmap.h: Shapley values drawn as shap.image_plot draws them: heatmap panels and the
// whole figure (photo | one panel per class | colour bar), as an RGB image for sl::encode_png.
// Pairs with colormap.h (the colour map and range, shared with wasm/app/shaders/heatmap.frag, which
// composites a panel the same way on the GPU) and explainer.h (where the values come from).
//
//   sl::FigureInput in{&ex.display(), &ex.segmentation(), est.phi, est.f_full, card.labels, "santa.jpg"};
//   sl::FigureStyle style;  style.font = inter_regular_bytes;  // the host reads the font file
//   sl::Result<sl::Image> fig = sl::render_figure(in, style);
//   std::vector<uint8_t> png = sl::encode_png(*fig);
//
// A panel, from the bottom up: white; the photo in grey (0.2989 R + 0.587 G + 0.114 B, stretched
// to its own darkest..brightest, as matplotlib's autoscaled 'gray' map shows it) at alpha 0.15;
// each superpixel's colour-map entry at the entry's alpha times `opacity`. The range is
// symmetric and shared by the class panels (colormap.h: symmetric_range), so equal colours mean
// equal values across classes. Text is drawn with stb_truetype from font bytes the host passes
// (TrueType or CFF OpenType, e.g. Inter); without a font the figure has no text.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/explain/slic.h"
#include "core/image/image.h"

namespace sl {

constexpr std::array<float, 3> kGreyWeights{0.2989f, 0.587f, 0.114f};  // shap.image_plot's grey

struct OverlayStyle {
    float underlay_alpha = 0.15f;  // the grey photo over white (shap.image_plot: 0.15)
    float opacity = 1;             // multiplies the colour map's alpha (0..1)
    bool borders = false;          // outline the superpixels
    std::array<uint8_t, 3> border_colour{90, 90, 90};
    // Superpixels whose value is not settled (explainer.h: unsettled) are hatched: diagonal
    // stripes, half of every `hatch_period` pixels, where the colour keeps only this much alpha.
    float unsettled_alpha = 0.25f;
    int hatch_period = 8;
};

// The grey underlay's stretch: the darkest and brightest grey of `image` (0..255). The shader
// takes the same two numbers as a uniform.
std::array<float, 2> grey_range(const Image& image);

// One heatmap panel at the size of `image`. `segmentation` may have another size (its labels are
// looked up nearest); values: one per superpixel (segmentation.count); range: the colour map
// spans [-range, range]; unsettled: empty, or one byte per superpixel, 1 = hatch it.
Image render_overlay(const Image& image, const Segmentation& segmentation, std::span<const double> values, double range,
                     const OverlayStyle& style = {}, std::span<const uint8_t> unsettled = {});

struct FigureInput {
    const Image* photo = nullptr;                // display size; drawn in colour in the first panel
    const Segmentation* segmentation = nullptr;  // of the photo, any size
    std::span<const double> phi;                 // classes x segments, phi[c * segments + k]
    std::span<const double> probability;         // per class: the model's output on the photo
    std::vector<std::string> labels;             // per class: its name (UTF-8)
    std::string title;                           // over the photo panel ("" for none)
    std::span<const uint8_t> unsettled;          // empty, or classes x segments: 1 = hatched
    std::string value_name = "SHAP value";       // under the colour bar, with its units
};

struct FigureStyle {
    int panel_height = 300;         // pixels; the panels keep the photo's aspect
    std::span<const uint8_t> font;  // TrueType/OpenType bytes, read by the host; empty: no text
    float font_px = 17;             // text height in pixels
    OverlayStyle overlay;           // how each class panel is drawn
};

// Where render_figure puts things in a figure of a photo of photo_width x photo_height with
// `classes` class panels: the figure's size, every panel's size (the photo's aspect at
// style.panel_height), the panels' top row, the colour bar. Text bands exist only with a font.
struct FigureLayout {
    int width = 0, height = 0;              // the whole figure
    int panel_width = 0, panel_height = 0;  // every panel
    int panels_y = 0;                       // the panels' top
    int margin = 14, gap = 14;              // around the figure, between panels
    int bar_y = 0, bar_height = 12, tick_height = 4, line = 0;
    // Left edge of panel `i`: 0 is the photo, 1 + c the panel of class c.
    int panel_x(int i) const { return margin + i * (panel_width + gap); }
};
FigureLayout figure_layout(int photo_width, int photo_height, int classes, const FigureStyle& style);

// The figure: the photo | one panel per class titled "label (p = 0.973)" | under the class
// panels a colour bar from -range to +range labelled "SHAP value". Errors: missing photo or
// segmentation, phi or labels or probability of the wrong length, font bytes that are not a font,
// a panel_height outside 16..4096.
Result<Image> render_figure(const FigureInput& input, const FigureStyle& style = {});

}  // namespace sl
