// core/explain/masking.cpp: backgrounds, the superpixel footprints at the model's size, masked batches
// (see masking.h for the maths).
#include "core/explain/masking.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/image/gaussian_blur.h"
#include "core/image/resize_taps.h"

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
        case BackgroundKind::mean:
            return "mean";
        case BackgroundKind::blur:
            return "blur";
        case BackgroundKind::colour:
            break;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "#%02x%02x%02x", background.colour[0], background.colour[1], background.colour[2]);
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
        gaussian_blur(plane.data(), image.width, image.height, sigma, scratch.data());
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

std::vector<float> background_tensor(const Image& photo, const InputSpec& spec, const Background& background) {
    std::vector<float> out(spec.tensor_size());
    resized_image_to_tensor(make_background(resize_image(photo, spec.width, spec.height), background), spec,
                            out.data());
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

    // Footprints: per model pixel, the superpixels under its filter taps and the share of each in
    // 1/255, weighed with the very resize the photo goes through (detail/resize_taps.h): what
    // resizing a 0/255 indicator image of each superpixel would give, in one pass over the taps.
    const size_t plane = size_t(spec.width) * spec.height;
    const Taps tx = make_taps(seg.width, spec.width);
    const Taps ty = make_taps(seg.height, spec.height);
    struct Share {
        int32_t segment;
        float row, sum;
    };
    std::vector<Share> under;  // the superpixels under one model pixel's taps
    m.first_.assign(plane + 1, 0);
    m.total_.assign(plane, 0.f);
    for (int y = 0; y < spec.height; ++y)
        for (int x = 0; x < spec.width; ++x) {
            under.clear();
            for (int ky = 0; ky < ty.count[y]; ++ky) {
                for (Share& u : under) u.row = 0;
                const int32_t* labels = &seg.labels[size_t(ty.first[y] + ky) * seg.width + tx.first[x]];
                for (int kx = 0; kx < tx.count[x]; ++kx) {
                    auto it = std::find_if(under.begin(), under.end(),
                                           [&](const Share& u) { return u.segment == labels[kx]; });
                    if (it == under.end()) it = under.insert(under.end(), {labels[kx], 0.f, 0.f});
                    it->row += tx.weight(x, kx) * 255.f;
                }
                for (Share& u : under) u.sum += ty.weight(y, ky) * u.row;
            }
            const size_t p = size_t(y) * spec.width + x;
            for (const Share& u : under)
                if (const auto w = uint8_t(std::clamp(std::lround(u.sum), 0L, 255L)); w > 0) {
                    m.segment_.push_back(uint16_t(u.segment));
                    m.weight_.push_back(w);
                    m.total_[p] += float(w);
                }
            // A pixel shared by so many superpixels that every share rounded to 0 takes the nearest.
            if (m.segment_.size() == m.first_[p]) {
                const int sx = int((x + 0.5) * seg.width / spec.width), sy = int((y + 0.5) * seg.height / spec.height);
                m.segment_.push_back(uint16_t(seg.labels[size_t(sy) * seg.width + sx]));
                m.weight_.push_back(255);
                m.total_[p] = 255.f;
            }
            m.first_[p + 1] = uint32_t(m.segment_.size());
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
