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
    double sum[3] = {}, grey = 0, grey2 = 0, sat = 0;
    int64_t n = 0;
    for (int y = step / 2; y < image.height; y += step)
        for (int x = step / 2; x < image.width; x += step) {
            const uint8_t* p = image.pixel(x, y);
            for (int k = 0; k < 3; ++k) sum[k] += p[k];
            const double g = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
            grey += g, grey2 += g * g;
            const int hi = std::max({p[0], p[1], p[2]}), lo = std::min({p[0], p[1], p[2]});
            sat += hi > 0 ? double(hi - lo) / hi : 0;
            ++n;
        }
    if (n == 0) return c;
    for (int k = 0; k < 3; ++k) c.mean_rgb[size_t(k)] = sum[k] / double(n);
    const double mean = grey / double(n);
    c.grey_std = std::sqrt(std::max(0.0, grey2 / double(n) - mean * mean));
    c.saturation = sat / double(n);
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
    return out;
}

}  // namespace sl
