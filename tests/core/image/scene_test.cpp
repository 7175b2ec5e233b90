// tests/core/image/scene_test.cpp: relit photos and pasted subjects for the scenes test
// (core/image/scene.cpp).
#include "core/image/scene.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <vector>

namespace {

sl::Image flat(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
    sl::Image img{w, h, std::vector<uint8_t>(size_t(w) * h * 3)};
    for (size_t i = 0; i < img.rgb.size(); i += 3) img.rgb[i] = r, img.rgb[i + 1] = g, img.rgb[i + 2] = b;
    return img;
}

std::array<double, 3> mean(const sl::Image& img) {
    std::array<double, 3> m{};
    for (size_t i = 0; i < img.rgb.size(); ++i) m[i % 3] += img.rgb[i];
    for (double& v : m) v /= double(img.rgb.size() / 3);
    return m;
}

}  // namespace

TEST(Scene, EachLightChangesThePhotoItsOwnWay) {
    const sl::Image grey = flat(8, 6, 128, 128, 128);
    EXPECT_EQ(sl::relight(grey, sl::SceneLight::plain).rgb, grey.rgb);
    for (sl::SceneLight light : sl::scene_lights()) EXPECT_EQ(sl::relight(grey, light, 0).rgb, grey.rgb);

    const auto red = mean(sl::relight(grey, sl::SceneLight::red));
    EXPECT_GT(red[0], 1.5 * red[1]);
    const auto purple = mean(sl::relight(grey, sl::SceneLight::purple));
    EXPECT_GT(purple[2], purple[1] * 1.5);
    EXPECT_GT(purple[0], purple[1] * 1.3);
    const auto warm = mean(sl::relight(grey, sl::SceneLight::warm));
    EXPECT_GT(warm[0], warm[1]);
    EXPECT_GT(warm[1], warm[2]);
    const auto night = mean(sl::relight(grey, sl::SceneLight::night));
    EXPECT_LT(night[0] + night[1] + night[2], 0.5 * 3 * 128);
    EXPECT_GT(night[2], night[0]);
    const auto dark = mean(sl::relight(grey, sl::SceneLight::low_light));
    EXPECT_LT(dark[0], 0.7 * 128);

    // Saturation moves a colour away from its grey and leaves grey alone.
    EXPECT_EQ(sl::relight(grey, sl::SceneLight::saturated).rgb, grey.rgb);
    const auto pink = mean(sl::relight(flat(4, 4, 180, 120, 120), sl::SceneLight::saturated));
    EXPECT_GT(pink[0] - pink[1], 60 + 20);

    // Half strength lies between the photo and the full light.
    const auto half = mean(sl::relight(grey, sl::SceneLight::red, 0.5f));
    EXPECT_GT(half[0], 128);
    EXPECT_LT(half[0], red[0]);
}

TEST(Scene, LowLightNoiseIsTheSameForTheSameSeed) {
    const sl::Image grey = flat(16, 16, 100, 100, 100);
    EXPECT_EQ(sl::relight(grey, sl::SceneLight::low_light, 1, 7).rgb,
              sl::relight(grey, sl::SceneLight::low_light, 1, 7).rgb);
    EXPECT_NE(sl::relight(grey, sl::SceneLight::low_light, 1, 7).rgb,
              sl::relight(grey, sl::SceneLight::low_light, 1, 8).rgb);
}

TEST(Scene, PastesTheMaskedSubjectAtItsPlaceAndSize) {
    // A red 12 x 20 figure in the middle of a green 40 x 40 subject photo.
    sl::Image subject = flat(40, 40, 0, 255, 0);
    sl::Image mask = flat(20, 20, 0, 0, 0);  // half the subject's size: scaled up
    for (int y = 10; y < 30; ++y)
        for (int x = 14; x < 26; ++x) {
            std::fill_n(mask.rgb.data() + (size_t(y / 2) * 20 + x / 2) * 3, 3, 255);
            uint8_t* p = subject.rgb.data() + (size_t(y) * 40 + x) * 3;
            p[0] = 255, p[1] = 0, p[2] = 0;
        }
    const sl::Image background = flat(100, 50, 0, 0, 255);
    std::vector<uint8_t> placed;
    auto scene =
        sl::paste_subject(background, subject, mask, {.height_share = 0.8, .centre_x = 0.25, .bottom = 1.0}, &placed);
    ASSERT_TRUE(scene) << scene.error();
    ASSERT_EQ(placed.size(), 100u * 50);
    // 40 px high (0.8 x 50), 24 wide, centred at x = 25, standing on the bottom edge.
    int red = 0, green = 0, top = 50, left = 100, right = -1;
    for (int y = 0; y < 50; ++y)
        for (int x = 0; x < 100; ++x) {
            const uint8_t* p = scene->pixel(x, y);
            green += p[1] > 128;
            EXPECT_EQ(placed[size_t(y) * 100 + x] > 128, p[0] > 128) << x << ", " << y;
            if (p[0] > 128) {
                ++red;
                top = std::min(top, y), left = std::min(left, x), right = std::max(right, x);
            }
        }
    EXPECT_EQ(green, 0) << "the subject's own background came along";
    EXPECT_NEAR(red, 40 * 24, 60);
    EXPECT_NEAR(top, 10, 1);
    EXPECT_NEAR((left + right) / 2.0, 25, 1);

    EXPECT_FALSE(sl::paste_subject(background, subject, sl::Image{}));
    EXPECT_FALSE(sl::paste_subject(background, subject, flat(20, 20, 0, 0, 0)));
}
