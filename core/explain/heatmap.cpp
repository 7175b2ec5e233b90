// core/explain/heatmap.cpp: heatmap panels and the shap.image_plot-style figure (see heatmap.h).
// Sections: panels | the figure's layout. Drawing and text: detail/canvas.h.
#include "core/explain/heatmap.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

#include "core/explain/colormap.h"
#include "core/image/canvas.h"
#include "core/image/tensor.h"

namespace sl {
namespace {

constexpr Rgb kText{51, 51, 51}, kFrame{150, 150, 150};

// Tick positions for a bar over [-range, range]: multiples of a round step (1, 2 or 5 x 10^k),
// about two each side; `decimals` to print them with.
std::vector<double> ticks(double range, int& decimals) {
    const double raw = range / 2, e = std::floor(std::log10(raw)), f = raw / std::pow(10, e);
    const double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * std::pow(10, e);
    decimals = std::max(0, int(-std::floor(std::log10(step) + 1e-9)));
    std::vector<double> t;
    const int n = int(std::floor(range / step + 1e-9));
    for (int k = -n; k <= n; ++k) t.push_back(k * step);
    return t;
}

}  // namespace

// ---- panels -----------------------------------------------------------------------------------

std::array<float, 2> grey_range(const Image& image) {
    float lo = 255, hi = 0;
    for (size_t i = 0; i + 2 < image.rgb.size(); i += 3) {
        const float g =
            kGreyWeights[0] * image.rgb[i] + kGreyWeights[1] * image.rgb[i + 1] + kGreyWeights[2] * image.rgb[i + 2];
        lo = std::min(lo, g);
        hi = std::max(hi, g);
    }
    return {lo, hi};
}

Image render_overlay(const Image& image, const Segmentation& seg, std::span<const double> values, double range,
                     const OverlayStyle& style, std::span<const uint8_t> unsettled) {
    assert(values.size() == size_t(seg.count) && seg.width > 0 && seg.height > 0);
    assert(unsettled.empty() || unsettled.size() == values.size());
    const int period = std::max(2, style.hatch_period);
    const auto [lo, hi] = grey_range(image);
    const ColormapLut& lut = red_transparent_blue();
    // Nearest label of panel pixel (x, y): the same rule as the shader's texelFetch.
    std::vector<int> sx(size_t(image.width) + 1), sy(size_t(image.height) + 1);
    for (int x = 0; x <= image.width; ++x) sx[x] = std::min(seg.width - 1, int((x + 0.5) * seg.width / image.width));
    for (int y = 0; y <= image.height; ++y)
        sy[y] = std::min(seg.height - 1, int((y + 0.5) * seg.height / image.height));
    auto label = [&](int x, int y) { return seg.labels[size_t(sy[y]) * seg.width + sx[x]]; };

    Image out{image.width, image.height, std::vector<uint8_t>(image.rgb.size())};
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const uint8_t* p = image.pixel(x, y);
            uint8_t* o = out.rgb.data() + (size_t(y) * image.width + x) * 3;
            const int k = label(x, y);
            if (style.borders &&
                ((x + 1 < image.width && label(x + 1, y) != k) || (y + 1 < image.height && label(x, y + 1) != k))) {
                std::copy(style.border_colour.begin(), style.border_colour.end(), o);
                continue;
            }
            const float g = kGreyWeights[0] * p[0] + kGreyWeights[1] * p[1] + kGreyWeights[2] * p[2];
            const float grey = hi > lo ? (g - lo) / (hi - lo) * 255.f : g;
            const float base = 255.f * (1 - style.underlay_alpha) + grey * style.underlay_alpha;
            const auto& c = lut[size_t(colormap_index(values[size_t(k)], range))];
            float a = c[3] / 255.f * style.opacity;
            if (!unsettled.empty() && unsettled[size_t(k)] && (x + y) % period < period / 2) a *= style.unsettled_alpha;
            for (int ch = 0; ch < 3; ++ch)
                o[ch] = uint8_t(std::lround(std::clamp(base * (1 - a) + c[ch] * a, 0.f, 255.f)));
        }
    return out;
}

// ---- the figure -------------------------------------------------------------------------------

// Margins, a title band, the panels in a row, the colour bar under the class panels.
FigureLayout figure_layout(int photo_width, int photo_height, int classes, const FigureStyle& style) {
    FigureLayout l;
    const bool has_text = !style.font.empty();
    l.panel_height = style.panel_height;
    l.panel_width = std::max(1, int(std::lround(double(l.panel_height) * photo_width / std::max(1, photo_height))));
    l.line = int(std::lround(style.font_px * 1.5));
    const int title_height = has_text ? int(std::lround(style.font_px * 1.9)) : 0;
    l.width = 2 * l.margin + l.panel_width + classes * (l.gap + l.panel_width);
    l.panels_y = l.margin + title_height;
    l.bar_y = l.panels_y + l.panel_height + l.gap;
    l.height = l.bar_y + l.bar_height + l.tick_height + (has_text ? 2 * l.line : 0) + l.margin;
    return l;
}

Result<Image> render_figure(const FigureInput& in, const FigureStyle& style) {
    if (!in.photo || in.photo->width <= 0 || in.photo->height <= 0) return fail("figure: no photo");
    if (!in.segmentation || in.segmentation->count < 1) return fail("figure: no superpixels");
    const int classes = int(in.labels.size()), m = in.segmentation->count;
    if (classes < 1 || in.phi.size() != size_t(classes) * m || in.probability.size() != size_t(classes))
        return fail("figure: phi, probability and labels disagree on the number of classes");
    if (!in.unsettled.empty() && in.unsettled.size() != in.phi.size())
        return fail("figure: unsettled must be empty or have one byte per value");
    if (style.panel_height < 16 || style.panel_height > 4096)
        return fail("figure: panel_height must be 16 to 4096 pixels");
    Text text;
    const bool has_text = !style.font.empty();
    if (has_text && !text.init(style.font, style.font_px))
        return fail("figure: the font is not a TrueType or OpenType font");

    const FigureLayout lay = figure_layout(in.photo->width, in.photo->height, classes, style);
    const int pw = lay.panel_width, ph = lay.panel_height, margin = lay.margin, gap = lay.gap, line = lay.line;
    const int panels_y = lay.panels_y, bar_y = lay.bar_y, bar_h = lay.bar_height, tick_h = lay.tick_height;
    const int width = lay.width;
    Image fig{width, lay.height, std::vector<uint8_t>(size_t(width) * lay.height * 3, 255)};

    const Image photo = resize_image(*in.photo, pw, ph);
    std::vector<int64_t> area(size_t(m), 0);
    for (int32_t label : in.segmentation->labels) ++area[size_t(label)];
    const double range = symmetric_range(in.phi, classes, area);

    const int title_baseline = margin + int(std::lround(style.font_px * 1.1));
    auto title = [&](std::string s, int x0) {
        if (!has_text || s.empty()) return;
        s = text.fit(std::move(s), float(pw));
        text.draw(fig, x0 + (pw - text.width(s)) / 2, title_baseline, s, kText);
    };
    paste(fig, photo, margin, panels_y);
    title(in.title, margin);
    for (int c = 0; c < classes; ++c) {
        const int x0 = lay.panel_x(c + 1);
        const auto open = in.unsettled.empty() ? in.unsettled : in.unsettled.subspan(size_t(c) * m, m);
        paste(fig,
              render_overlay(photo, *in.segmentation, in.phi.subspan(size_t(c) * m, m), range, style.overlay, open), x0,
              panels_y);
        char p[32];
        std::snprintf(p, sizeof p, " (p = %.3f)", in.probability[c]);
        title(in.labels[c] + p, x0);
    }

    // Colour bar: the map over white, framed, with ticks and "SHAP value" below.
    const int bx = margin + pw + gap, bw = width - margin - bx;
    const ColormapLut& lut = red_transparent_blue();
    for (int x = 0; x < bw; ++x) {
        const auto& c = lut[size_t(std::min(kColormapSize - 1, x * kColormapSize / bw))];
        const float a = c[3] / 255.f;
        Rgb col;
        for (int k = 0; k < 3; ++k) col[k] = uint8_t(std::lround(255 * (1 - a) + c[k] * a));
        fill_rect(fig, bx + x, bar_y, 1, bar_h, col);
    }
    fill_rect(fig, bx, bar_y, bw, 1, kFrame);
    fill_rect(fig, bx, bar_y + bar_h - 1, bw, 1, kFrame);
    fill_rect(fig, bx, bar_y, 1, bar_h, kFrame);
    fill_rect(fig, bx + bw - 1, bar_y, 1, bar_h, kFrame);
    if (range > 0) {
        int decimals = 0;
        for (double t : ticks(range, decimals)) {
            const int x = bx + int(std::lround((t + range) / (2 * range) * (bw - 1)));
            fill_rect(fig, x, bar_y + bar_h, 1, tick_h, kFrame);
            if (!has_text) continue;
            char label[32];
            std::snprintf(label, sizeof label, "%.*f", decimals, std::fabs(t));
            // matplotlib's minus sign (U+2212) where the font has it.
            const std::string s = (t < 0 ? (text.has(0x2212) ? "\xe2\x88\x92" : "-") : "") + std::string(label);
            text.draw(fig, x - text.width(s) / 2, bar_y + bar_h + tick_h + line - 4, s, kText);
        }
    }
    if (has_text) {
        const std::string& s = in.value_name;
        text.draw(fig, bx + (bw - text.width(s)) / 2, bar_y + bar_h + tick_h + 2 * line - 2, s, kText);
    }
    return fig;
}

}  // namespace sl
