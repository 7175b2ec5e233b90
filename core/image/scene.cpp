// core/image/scene.cpp: relit photos and pasted subjects for the scenes test (scene.h).
//
// The lights are per-channel gains in linear light (sRGB decoded, scaled, encoded again), which is
// how a coloured light source or a camera's white balance changes a photo, plus a lift of the
// shadows for stage light and noise for low light.
#include "core/image/scene.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/base/rng.h"
#include "core/image/tensor.h"

namespace sl {
namespace {

constexpr std::array<SceneLight, 7> kLights{SceneLight::plain,    SceneLight::warm,  SceneLight::red,
                                            SceneLight::purple,   SceneLight::night, SceneLight::low_light,
                                            SceneLight::saturated};

// sRGB <-> linear light, through a 256-entry table one way and the formula back.
const std::array<float, 256>& to_linear() {
    static const std::array<float, 256> table = [] {
        std::array<float, 256> t{};
        for (int i = 0; i < 256; ++i) {
            const double c = i / 255.0;
            t[size_t(i)] = float(c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4));
        }
        return t;
    }();
    return table;
}
uint8_t to_srgb(float linear) {
    const double c = std::clamp(double(linear), 0.0, 1.0);
    const double s = c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1 / 2.4) - 0.055;
    return uint8_t(std::lround(s * 255));
}

struct Gains {
    std::array<float, 3> gain;
    float lift = 0;  // added to every channel in linear light, times the gain (stage haze)
};

Gains gains_of(SceneLight light) {
    switch (light) {
        case SceneLight::warm:
            return {{1.25f, 0.95f, 0.55f}};
        case SceneLight::red:
            return {{1.5f, 0.3f, 0.35f}, 0.02f};
        case SceneLight::purple:
            return {{0.95f, 0.35f, 1.35f}, 0.02f};
        case SceneLight::night:
            return {{0.06f, 0.08f, 0.16f}};
        case SceneLight::low_light:
            return {{0.2f, 0.2f, 0.2f}};
        default:
            return {{1, 1, 1}};
    }
}

}  // namespace

std::span<const SceneLight> scene_lights() { return kLights; }

std::string_view scene_light_name(SceneLight light) {
    switch (light) {
        case SceneLight::plain:
            return "plain";
        case SceneLight::warm:
            return "warm";
        case SceneLight::red:
            return "red";
        case SceneLight::purple:
            return "purple";
        case SceneLight::night:
            return "night";
        case SceneLight::low_light:
            return "lowlight";
        case SceneLight::saturated:
            return "saturated";
    }
    return "plain";
}

Image relight(const Image& photo, SceneLight light, float strength, uint64_t seed) {
    Image out = photo;
    const float s = std::clamp(strength, 0.f, 1.f);
    if (light == SceneLight::plain || s == 0) return out;
    if (light == SceneLight::saturated) {
        // Away from the pixel's grey, in sRGB as photo editors' saturation sliders work.
        const float k = 1 + s;
        for (size_t i = 0; i + 2 < out.rgb.size(); i += 3) {
            const float grey = 0.299f * out.rgb[i] + 0.587f * out.rgb[i + 1] + 0.114f * out.rgb[i + 2];
            for (size_t c = 0; c < 3; ++c)
                out.rgb[i + c] = uint8_t(std::lround(std::clamp(grey + k * (out.rgb[i + c] - grey), 0.f, 255.f)));
        }
        return out;
    }
    const Gains g = gains_of(light);
    const auto& lin = to_linear();
    Rng rng(seed);
    for (size_t i = 0; i + 2 < out.rgb.size(); i += 3) {
        // Sensor noise grows as the light falls: a few levels of the 8 bits after the gain.
        const float noise = light == SceneLight::low_light ? float(rng.normal()) * 0.004f : 0.f;
        for (size_t c = 0; c < 3; ++c) {
            const float x = lin[out.rgb[i + c]];
            const float lit = (x + g.lift) * g.gain[c] + noise;
            out.rgb[i + c] = to_srgb((1 - s) * x + s * lit);
        }
    }
    return out;
}

Result<Image> paste_subject(const Image& background, const Image& subject, const Image& mask_image,
                            const SubjectPlacement& p, std::vector<uint8_t>* placed) {
    if (background.width < 1 || background.height < 1 || subject.width < 1 || subject.height < 1 ||
        mask_image.width < 1 || mask_image.height < 1)
        return fail("paste_subject: an empty image");
    // The mask at the subject's size, nearest neighbour, pixel centre to pixel centre.
    std::vector<uint8_t> mask(size_t(subject.width) * subject.height);
    for (int y = 0; y < subject.height; ++y)
        for (int x = 0; x < subject.width; ++x) {
            const int mx = std::min(mask_image.width - 1, int((x + 0.5) * mask_image.width / subject.width));
            const int my = std::min(mask_image.height - 1, int((y + 0.5) * mask_image.height / subject.height));
            mask[size_t(y) * subject.width + x] = mask_image.pixel(mx, my)[0] > 127;
        }
    int x0 = subject.width, y0 = subject.height, x1 = -1, y1 = -1;
    for (int y = 0; y < subject.height; ++y)
        for (int x = 0; x < subject.width; ++x)
            if (mask[size_t(y) * subject.width + x])
                x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
    if (x1 < 0) return fail("paste_subject: the mask is empty");
    const int cw = x1 - x0 + 1, ch = y1 - y0 + 1;

    // The crop, and its mask as 0/255 so that resizing it gives soft edges.
    Image crop{cw, ch, std::vector<uint8_t>(size_t(cw) * ch * 3)};
    Image alpha{cw, ch, std::vector<uint8_t>(size_t(cw) * ch * 3)};
    for (int y = 0; y < ch; ++y)
        for (int x = 0; x < cw; ++x) {
            std::copy_n(subject.pixel(x0 + x, y0 + y), 3, crop.rgb.data() + (size_t(y) * cw + x) * 3);
            std::fill_n(alpha.rgb.data() + (size_t(y) * cw + x) * 3, 3,
                        mask[size_t(y0 + y) * subject.width + x0 + x] ? 255 : 0);
        }
    double scale = p.height_share * background.height / ch;
    scale = std::min(scale, double(background.width) / cw);
    const int w = std::max(1, int(std::lround(cw * scale))), h = std::max(1, int(std::lround(ch * scale)));
    const Image sized = resize_image(crop, w, h), sized_alpha = resize_image(alpha, w, h);

    Image out = background;
    if (placed) placed->assign(size_t(out.width) * out.height, 0);
    const int left = int(std::lround(p.centre_x * background.width - w / 2.0));
    const int top = int(std::lround(p.bottom * background.height)) - h;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const int bx = left + x, by = top + y;
            if (bx < 0 || by < 0 || bx >= out.width || by >= out.height) continue;
            const float a = sized_alpha.pixel(x, y)[0] / 255.f;
            if (placed) (*placed)[size_t(by) * out.width + bx] = sized_alpha.pixel(x, y)[0];
            uint8_t* o = out.rgb.data() + (size_t(by) * out.width + bx) * 3;
            for (int c = 0; c < 3; ++c) o[c] = uint8_t(std::lround((1 - a) * o[c] + a * sized.pixel(x, y)[c]));
        }
    return out;
}

}  // namespace sl
