// core/audit/image_cues.cpp: a photo's content-free cues and their columns (image_cues.h).
#include "core/audit/image_cues.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "core/image/jpeg_header.h"

namespace sl {

ImageCues image_cues(std::span<const uint8_t> file, const Image& image) {
    ImageCues c;
    c.format = sniff_image_format(file);
    c.width = image.width, c.height = image.height;
    c.file_bytes = int64_t(file.size());
    const double pixels = double(image.width) * image.height;
    c.bytes_per_pixel = pixels > 0 ? double(file.size()) / pixels : 0;
    if (c.format == ImageFormat::jpeg) {
        const JpegHeader h = read_jpeg_header(file);
        c.jpeg_quality = h.quality, c.has_exif = h.has_exif;
    }
    if (pixels <= 0) return c;
    // A grid of at most 256 x 256 samples: colour statistics need no more.
    const int step = std::max(1, int(std::ceil(std::sqrt(pixels / 65536.0))));
    double sum[3] = {}, grey = 0, grey2 = 0, sat = 0, border_sum[3] = {}, border_sat = 0;
    int64_t n = 0, border_n = 0;
    const double frame = kBorderShare;
    for (int y = step / 2; y < image.height; y += step)
        for (int x = step / 2; x < image.width; x += step) {
            const uint8_t* p = image.pixel(x, y);
            for (int k = 0; k < 3; ++k) sum[k] += p[k];
            const double g = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
            grey += g, grey2 += g * g;
            const int hi = std::max({p[0], p[1], p[2]}), lo = std::min({p[0], p[1], p[2]});
            const double s = hi > 0 ? double(hi - lo) / hi : 0;
            sat += s;
            ++n;
            const double u = (x + 0.5) / image.width, v = (y + 0.5) / image.height;
            if (u < frame || u > 1 - frame || v < frame || v > 1 - frame) {
                for (int k = 0; k < 3; ++k) border_sum[k] += p[k];
                border_sat += s;
                ++border_n;
            }
        }
    if (n == 0) return c;
    for (int k = 0; k < 3; ++k) c.mean_rgb[size_t(k)] = sum[k] / double(n);
    const double mean = grey / double(n);
    c.grey_std = std::sqrt(std::max(0.0, grey2 / double(n) - mean * mean));
    c.saturation = sat / double(n);
    if (border_n == 0) {  // too small a photo for a frame: the whole photo stands for it
        c.border_rgb = c.mean_rgb, c.border_saturation = c.saturation;
        return c;
    }
    for (int k = 0; k < 3; ++k) c.border_rgb[size_t(k)] = border_sum[k] / double(border_n);
    c.border_saturation = border_sat / double(border_n);
    return c;
}

std::vector<CueColumn> cue_columns(std::span<const ImageCues> cues) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<CueColumn> out;
    const auto add = [&](const char* name, const char* group, bool categorical,
                         const std::function<double(const ImageCues&)>& value) {
        CueColumn col{name, group, categorical, {}};
        col.values.reserve(cues.size());
        for (const auto& c : cues) col.values.push_back(value(c));
        out.push_back(std::move(col));
    };
    add("width", "file", false, [](const ImageCues& c) { return c.width; });
    add("height", "file", false, [](const ImageCues& c) { return c.height; });
    add("aspect", "file", false, [](const ImageCues& c) { return c.height > 0 ? double(c.width) / c.height : 0; });
    add("megapixels", "file", false, [](const ImageCues& c) { return double(c.width) * c.height / 1e6; });
    add("size", "file", true, [](const ImageCues& c) { return double(c.width) * 65536 + c.height; });
    add("format", "file", true, [](const ImageCues& c) { return double(int(c.format)); });
    add("bytes_per_pixel", "file", false, [](const ImageCues& c) { return c.bytes_per_pixel; });
    add("jpeg_quality", "file", false, [&](const ImageCues& c) { return c.jpeg_quality > 0 ? c.jpeg_quality : nan; });
    add("exif", "file", true, [](const ImageCues& c) { return c.has_exif ? 1.0 : 0.0; });
    add("mean_red", "colour", false, [](const ImageCues& c) { return c.mean_rgb[0]; });
    add("mean_green", "colour", false, [](const ImageCues& c) { return c.mean_rgb[1]; });
    add("mean_blue", "colour", false, [](const ImageCues& c) { return c.mean_rgb[2]; });
    add("grey_contrast", "colour", false, [](const ImageCues& c) { return c.grey_std; });
    add("saturation", "colour", false, [](const ImageCues& c) { return c.saturation; });
    add("border_red", "background", false, [](const ImageCues& c) { return c.border_rgb[0]; });
    add("border_green", "background", false, [](const ImageCues& c) { return c.border_rgb[1]; });
    add("border_blue", "background", false, [](const ImageCues& c) { return c.border_rgb[2]; });
    add("border_saturation", "background", false, [](const ImageCues& c) { return c.border_saturation; });
    add("border_warmth", "background", false, [](const ImageCues& c) { return c.border_rgb[0] - c.border_rgb[2]; });
    return out;
}

}  // namespace sl
