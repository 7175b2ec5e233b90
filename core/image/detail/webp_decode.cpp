// core/image/detail/webp_decode.cpp: libwebp's decoder behind the core's own errors (webp_decode.h).
#include "core/image/detail/webp_decode.h"

#include <webp/decode.h>
#include <webp/demux.h>

#include <string>

namespace sl::detail {
namespace {

Error webp_error(VP8StatusCode status) {
    switch (status) {
        case VP8_STATUS_NOT_ENOUGH_DATA:
            return fail("truncated WebP (the end of the image is missing)");
        case VP8_STATUS_UNSUPPORTED_FEATURE:
            return fail("WebP uses a feature this decoder does not support");
        case VP8_STATUS_OUT_OF_MEMORY:
            return fail("WebP: out of memory");
        default:
            return fail("corrupt WebP (the image data does not decode)");
    }
}

// RGBA rows (stride width * 4) to RGB8, alpha dropped.
Image drop_alpha(const uint8_t* rgba, int width, int height) {
    Image image{width, height, std::vector<uint8_t>(size_t(width) * height * 3)};
    for (size_t i = 0, n = size_t(width) * height; i < n; ++i)
        for (int c = 0; c < 3; ++c) image.rgb[i * 3 + c] = rgba[i * 4 + c];
    return image;
}

Result<Image> first_frame(std::span<const uint8_t> bytes) {
    const WebPData data{bytes.data(), bytes.size()};
    WebPAnimDecoderOptions options;
    if (!WebPAnimDecoderOptionsInit(&options))
        return fail("WebP: libwebp's animation decoder does not match its headers");
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    WebPAnimDecoder* decoder = WebPAnimDecoderNew(&data, &options);
    if (!decoder) return fail("corrupt WebP (the animation's chunks do not parse)");
    WebPAnimInfo info;
    uint8_t* rgba = nullptr;
    int timestamp = 0;
    Result<Image> out = fail("corrupt WebP (the animation's first frame does not decode)");
    if (WebPAnimDecoderGetInfo(decoder, &info) && WebPAnimDecoderGetNext(decoder, &rgba, &timestamp))
        out = drop_alpha(rgba, int(info.canvas_width), int(info.canvas_height));
    WebPAnimDecoderDelete(decoder);
    return out;
}

}  // namespace

bool webp_features(std::span<const uint8_t> bytes, WebpFeatures& out) {
    WebPBitstreamFeatures f;
    if (WebPGetFeatures(bytes.data(), bytes.size(), &f) != VP8_STATUS_OK) return false;
    out = {f.width, f.height, f.has_animation != 0};
    return true;
}

Result<Image> decode_webp(std::span<const uint8_t> bytes) {
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) return fail("WebP: libwebp's decoder does not match its headers");
    if (VP8StatusCode s = WebPGetFeatures(bytes.data(), bytes.size(), &config.input); s != VP8_STATUS_OK)
        return webp_error(s);
    if (config.input.has_animation) return first_frame(bytes);
    const int w = config.input.width, h = config.input.height;
    Image image{w, h, std::vector<uint8_t>(size_t(w) * h * 3)};
    config.output.colorspace = MODE_RGB;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = image.rgb.data();
    config.output.u.RGBA.stride = w * 3;
    config.output.u.RGBA.size = image.rgb.size();
    const VP8StatusCode status = WebPDecode(bytes.data(), bytes.size(), &config);
    WebPFreeDecBuffer(&config.output);  // the API asks for it; with external memory it frees nothing of ours
    if (status != VP8_STATUS_OK) return webp_error(status);
    return image;
}

}  // namespace sl::detail
