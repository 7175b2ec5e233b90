// core/masking.cpp: backgrounds, the superpixel footprints at the model's size, masked batches
// (see masking.h for the maths).
#include "core/masking.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/detail/gaussian_blur.h"

namespace sl {
namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = char(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

}  // namespace

Result<Background> parse_background(std::string_view text) {
    if (text == "mean") return Background{};
    if (text == "blur") return Background{.kind = BackgroundKind::blur};
    if (text.size() == 7 && text[0] == '#') {
        Background bg{.kind = BackgroundKind::colour};
        for (int c = 0; c < 3; ++c) {
            const int hi = hex_digit(text[1 + 2 * c]), lo = hex_digit(text[2 + 2 * c]);
            if (hi < 0 || lo < 0) break;
            bg.colour[c] = uint8_t(hi * 16 + lo);
            if (c == 2) return bg;
        }
    }
    return fail("unknown background \"" + std::string(text) + "\": use mean, blur or #rrggbb");
}

std::string background_name(const Background& background) {
    switch (background.kind) {
        case BackgroundKind::mean: return "mean";
        case BackgroundKind::blur: return "blur";
        case BackgroundKind::colour: break;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "#%02x%02x%02x", background.colour[0], background.colour[1],
                  background.colour[2]);
    return hex;
}

Image gaussian_blur(const Image& image, double sigma) {
    if (sigma <= 0 || image.rgb.empty()) return image;
    // One float plane per channel through SLIC's smoothing (detail/gaussian_blur.h).
    const size_t n = size_t(image.width) * image.height;
    std::vector<float> plane(n), scratch(n);
    Image out{image.width, image.height, std::vector<uint8_t>(image.rgb.size())};
    for (int c = 0; c < 3; ++c) {
        for (size_t i = 0; i < n; ++i) plane[i] = image.rgb[i * 3 + c];
        detail::gaussian_blur(plane.data(), image.width, image.height, sigma, scratch.data());
        for (size_t i = 0; i < n; ++i) out.rgb[i * 3 + c] = uint8_t(std::clamp(std::lround(plane[i]), 0L, 255L));
    }
    return out;
}

Image make_background(const Image& resized, const Background& background) {
    Image out{resized.width, resized.height, std::vector<uint8_t>(resized.rgb.size())};
    if (background.kind == BackgroundKind::blur) {
        const double scale = std::min(resized.width, resized.height) / 224.0;
        return gaussian_blur(resized, background.blur_sigma * scale);
    }
    std::array<uint8_t, 3> colour = background.colour;
    if (background.kind == BackgroundKind::mean) {
        double sum[3] = {0, 0, 0};
        for (size_t i = 0; i < resized.rgb.size(); ++i) sum[i % 3] += resized.rgb[i];
        const double n = std::max<double>(1, double(resized.rgb.size() / 3));
        for (int c = 0; c < 3; ++c) colour[c] = uint8_t(std::lround(sum[c] / n));
    }
    for (size_t i = 0; i < out.rgb.size(); ++i) out.rgb[i] = colour[i % 3];
    return out;
}

Result<Masker> Masker::create(const Image& photo, const Segmentation& seg, const InputSpec& spec,
                              const Background& background) {
    if (photo.width <= 0 || photo.height <= 0) return fail("masking: the photo is empty");
    if (seg.width <= 0 || seg.height <= 0 || seg.labels.size() != size_t(seg.width) * seg.height)
        return fail("masking: the segmentation is empty");
    if (seg.count < 1 || seg.count > 65535)
        return fail("masking: " + std::to_string(seg.count) + " superpixels (1 to 65535 allowed)");
    for (int32_t label : seg.labels)
        if (label < 0 || label >= seg.count)
            return fail("masking: a superpixel label is outside 0.." + std::to_string(seg.count - 1));

    Masker m;
    m.spec_ = spec;
    m.segments_ = seg.count;
    m.photo_ = resize_image(photo, spec.width, spec.height);
    m.background_ = make_background(m.photo_, background);
    m.photo_tensor_.resize(spec.tensor_size());
    m.background_tensor_.resize(spec.tensor_size());
    resized_image_to_tensor(m.photo_, spec, m.photo_tensor_.data());
    resized_image_to_tensor(m.background_, spec, m.background_tensor_.data());

    // Footprints: resize indicator images, three superpixels at a time (one per channel, 255 =
    // inside), with the very resize the photo goes through; what lands on a pixel is the share
    // of each superpixel in it, in 1/255.
    const size_t plane = size_t(spec.width) * spec.height;
    struct Entry { uint32_t pixel; uint16_t segment; uint8_t weight; };
    std::vector<Entry> entries;
    Image indicator{seg.width, seg.height, std::vector<uint8_t>(seg.labels.size() * 3)};
    for (int group = 0; group * 3 < seg.count; ++group) {
        for (size_t i = 0; i < seg.labels.size(); ++i)
            for (int c = 0; c < 3; ++c) indicator.rgb[i * 3 + c] = seg.labels[i] == group * 3 + c ? 255 : 0;
        const Image shares = resize_image(indicator, spec.width, spec.height);
        for (size_t p = 0; p < plane; ++p)
            for (int c = 0; c < 3; ++c)
                if (uint8_t w = shares.rgb[p * 3 + c]; w > 0)
                    entries.push_back({uint32_t(p), uint16_t(group * 3 + c), w});
    }
    // A pixel shared by so many superpixels that every share rounded to 0 takes the nearest one.
    std::vector<uint32_t> count(plane + 1, 0);
    for (const Entry& e : entries) ++count[e.pixel];
    for (size_t p = 0; p < plane; ++p)
        if (count[p] == 0) {
            const int x = int((p % spec.width + 0.5) * seg.width / spec.width);
            const int y = int((p / spec.width + 0.5) * seg.height / spec.height);
            entries.push_back({uint32_t(p), uint16_t(seg.labels[size_t(y) * seg.width + x]), 255});
            ++count[p];
        }
    // Counting sort by pixel into the compact per-pixel lists.
    m.first_.assign(plane + 1, 0);
    for (size_t p = 0; p < plane; ++p) m.first_[p + 1] = m.first_[p] + count[p];
    m.segment_.resize(entries.size());
    m.weight_.resize(entries.size());
    m.total_.assign(plane, 0.f);
    std::vector<uint32_t> next(m.first_.begin(), m.first_.end() - 1);
    for (const Entry& e : entries) {
        const uint32_t at = next[e.pixel]++;
        m.segment_[at] = e.segment;
        m.weight_[at] = e.weight;
        m.total_[e.pixel] += float(e.weight);
    }
    return m;
}

std::vector<float> Masker::photo_share(std::span<const uint8_t> present) const {
    assert(present.size() == size_t(segments_));
    const size_t plane = total_.size();
    std::vector<float> share(plane);
    for (size_t p = 0; p < plane; ++p) {
        uint32_t sum = 0;
        for (uint32_t e = first_[p]; e < first_[p + 1]; ++e)
            if (present[segment_[e]]) sum += weight_[e];
        // An integer sum over its own total: exactly 1 when every superpixel is present.
        share[p] = float(sum) / total_[p];
    }
    return share;
}

void Masker::masked_inputs(std::span<const uint8_t> present, int rows, float* out) const {
    assert(rows >= 0 && present.size() == size_t(rows) * segments_);
    const size_t plane = total_.size(), size = tensor_size();
    const float* P = photo_tensor_.data();
    const float* B = background_tensor_.data();
    for (int r = 0; r < rows; ++r) {
        const std::vector<float> a = photo_share(present.subspan(size_t(r) * segments_, segments_));
        float* x = out + size_t(r) * size;
        // a * P + (1 - a) * B: exactly P where a = 1 and exactly B where a = 0.
        if (spec_.layout == Layout::nchw) {
            for (size_t c = 0; c < 3; ++c)
                for (size_t p = 0; p < plane; ++p) {
                    const size_t i = c * plane + p;
                    x[i] = a[p] * P[i] + (1.f - a[p]) * B[i];
                }
        } else {
            for (size_t p = 0; p < plane; ++p)
                for (size_t c = 0; c < 3; ++c) {
                    const size_t i = p * 3 + c;
                    x[i] = a[p] * P[i] + (1.f - a[p]) * B[i];
                }
        }
    }
}

}  // namespace sl
