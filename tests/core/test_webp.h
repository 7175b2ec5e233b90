// tests/core/test_webp.h: WebP files for the decoder's tests, encoded by libwebp (the same
// library the core decodes with, Debian's natively and built from Debian's source for WebAssembly).
//
//   std::vector<uint8_t> still = webp_lossless(img);           // decodes to img exactly
//   std::vector<uint8_t> lossy = webp_lossy(img, 90);
//   std::vector<uint8_t> anim = webp_animation({img, other});  // two frames, 100 ms each
//
// libwebp can encode animations only through libwebpmux, which the core does not link; the
// container is simple enough to write here (RIFF: VP8X, ANIM, then one ANMF chunk per frame
// wrapping a lossless still's VP8L chunk).
#pragma once
#include <webp/encode.h>

#include <cstdint>
#include <vector>

#include "core/image/image.h"

inline std::vector<uint8_t> webp_lossless(const sl::Image& img) {
    uint8_t* out = nullptr;
    size_t size = WebPEncodeLosslessRGB(img.rgb.data(), img.width, img.height, img.width * 3, &out);
    std::vector<uint8_t> bytes(out, out + size);
    WebPFree(out);
    return bytes;
}

inline std::vector<uint8_t> webp_lossy(const sl::Image& img, float quality) {
    uint8_t* out = nullptr;
    size_t size = WebPEncodeRGB(img.rgb.data(), img.width, img.height, img.width * 3, quality, &out);
    std::vector<uint8_t> bytes(out, out + size);
    WebPFree(out);
    return bytes;
}

namespace test_webp_detail {
inline void put_le(std::vector<uint8_t>& out, uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(uint8_t(v >> (8 * i)));
}
inline void put_chunk(std::vector<uint8_t>& out, const char* fourcc, const std::vector<uint8_t>& data) {
    out.insert(out.end(), fourcc, fourcc + 4);
    put_le(out, uint32_t(data.size()), 4);
    out.insert(out.end(), data.begin(), data.end());
    if (data.size() & 1) out.push_back(0);
}
}  // namespace test_webp_detail

// An animation of `frames` (all of the first frame's size), each drawn at (0, 0) for 100 ms.
inline std::vector<uint8_t> webp_animation(const std::vector<sl::Image>& frames) {
    using namespace test_webp_detail;
    const uint32_t w = uint32_t(frames[0].width), h = uint32_t(frames[0].height);
    std::vector<uint8_t> body = {'W', 'E', 'B', 'P'};
    std::vector<uint8_t> vp8x = {0x02, 0, 0, 0};  // the animation flag
    put_le(vp8x, w - 1, 3);
    put_le(vp8x, h - 1, 3);
    put_chunk(body, "VP8X", vp8x);
    put_chunk(body, "ANIM", {255, 255, 255, 255, 0, 0});  // white background, loop forever
    for (const sl::Image& f : frames) {
        std::vector<uint8_t> anmf;
        put_le(anmf, 0, 3), put_le(anmf, 0, 3);  // x / 2, y / 2
        put_le(anmf, w - 1, 3), put_le(anmf, h - 1, 3);
        put_le(anmf, 100, 3);  // duration, ms
        anmf.push_back(0x02);  // no blending, no disposal
        const std::vector<uint8_t> still = webp_lossless(f);
        anmf.insert(anmf.end(), still.begin() + 12, still.end());  // its VP8L chunk, past "RIFF....WEBP"
        put_chunk(body, "ANMF", anmf);
    }
    std::vector<uint8_t> riff = {'R', 'I', 'F', 'F'};
    put_le(riff, uint32_t(body.size()), 4);
    riff.insert(riff.end(), body.begin(), body.end());
    return riff;
}
