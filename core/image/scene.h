// core/image/scene.h: photos of a person in another scene and another light, for the scenes test
// that asks whether the classifier calls a person Santa because of the colours around them:
// a person cut out with a mask and pasted onto another photo, and the light of the whole scene
// changed (warm, red or purple light, night, low light, strong saturation).
// Pairs with tools/cli/scenes.mjs, which builds the test from the shared photos.
//
//   sl::Image lit = sl::relight(background, sl::SceneLight::red);
//   sl::Result<sl::Image> scene = sl::paste_subject(lit, person, person_mask, {.height_share = 0.7});
//   sl::Image done = sl::relight(*scene, sl::SceneLight::red, 0.4f);   // the light on the person
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/image/image.h"

namespace sl {

enum class SceneLight {
    plain,      // as photographed
    warm,       // tungsten or lamplight: about 2,700 K
    red,        // a red stage light
    purple,     // a purple banner or club light
    night,      // dark and blue, as under a night sky
    low_light,  // a fifth of the light, with sensor noise
    saturated,  // colours at twice their saturation
};

// Every light, in the order above, and each one's name ("plain", "warm", ..., "lowlight").
std::span<const SceneLight> scene_lights();
std::string_view scene_light_name(SceneLight light);

// The photo under `light`; strength 0..1 mixes the original (0) with the full effect (1). The
// noise of low light is seeded by `seed`, so a scene is the same every time it is made.
Image relight(const Image& photo, SceneLight light, float strength = 1, uint64_t seed = 1);

struct SubjectPlacement {
    double height_share = 0.7;  // the subject's height as a share of the background's height
    double centre_x = 0.5;      // where the subject's centre lands, as a share of the width
    double bottom = 0.98;       // where the subject's lowest pixel lands, as a share of the height
};

// The subject's pixels where `mask` is white (red channel over 127; a mask of another size is
// scaled to the subject's, nearest neighbour), cropped to the mask's bounding box, scaled to the
// placement's height (at most the background's width) and pasted over `background` with edges
// softened by the scaling. Errors: an empty image or an empty mask.
// `placed`, when given, gets where the subject landed: one byte per pixel of the result, 0..255,
// the subject's opacity there.
Result<Image> paste_subject(const Image& background, const Image& subject, const Image& mask,
                            const SubjectPlacement& placement = {}, std::vector<uint8_t>* placed = nullptr);

}  // namespace sl
