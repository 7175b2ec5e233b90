// tests/core/audit/shortcuts_test.cpp: finding a planted shortcut among content-free cues
// (core/audit/shortcuts.cpp).
#include "core/audit/shortcuts.h"

#include <gtest/gtest.h>

#include <cmath>

namespace {

// n photos, class i % 2; "noise" is unrelated to the class, "size" tells class 0 apart when
// `planted` (always 640x480 code), "jpeg_quality" is NaN for half of them.
std::vector<sl::CueColumn> cues(int n, bool planted, std::vector<int>& labels) {
    sl::CueColumn noise{"noise", "file", false, {}}, size{"size", "file", true, {}},
        red{"mean_red", "colour", false, {}}, quality{"jpeg_quality", "file", false, {}};
    uint32_t s = 99;
    auto next = [&] {
        s = s * 1664525u + 1013904223u;
        return (s >> 8) / double(1 << 24);
    };
    labels.clear();
    for (int i = 0; i < n; ++i) {
        const int y = i % 2;
        labels.push_back(y);
        noise.values.push_back(next());
        size.values.push_back(planted && y == 0 ? 640.0 * 65536 + 480 : std::floor(next() * 40) * 65536 + 300);
        red.values.push_back(next() * 255);
        quality.values.push_back(i % 3 ? std::floor(50 + next() * 50) : NAN);
    }
    return {noise, size, red, quality};
}

}  // namespace

TEST(Shortcuts, APlantedSizeShortcutIsFoundAndNamed) {
    std::vector<int> y;
    const auto c = cues(200, true, y);
    auto r = sl::find_shortcuts(c, y, 2);
    ASSERT_TRUE(r) << r.error();
    EXPECT_NEAR(r->chance, 0.5, 1e-12);
    EXPECT_GE(r->accuracy, 0.97);
    EXPECT_TRUE(r->carries);
    ASSERT_EQ(r->cues.size(), 4u);
    EXPECT_EQ(r->cues[1].name, "size");
    EXPECT_TRUE(r->cues[1].carries);
    EXPECT_GE(r->cues[1].accuracy, 0.97);
    EXPECT_GT(r->cues[1].importance, 0.9);
    EXPECT_FALSE(r->cues[0].carries);
    EXPECT_FALSE(r->cues[2].carries);
    ASSERT_EQ(r->groups.size(), 2u);
    EXPECT_EQ(r->groups[0].name, "file");
    EXPECT_TRUE(r->groups[0].carries);
    EXPECT_EQ(r->groups[1].name, "colour");
    EXPECT_FALSE(r->groups[1].carries);
    EXPECT_EQ(r->predicted.size(), 200u);
}

TEST(Shortcuts, NoShortcutStaysNearChance) {
    std::vector<int> y;
    const auto c = cues(200, false, y);
    auto r = sl::find_shortcuts(c, y, 2);
    ASSERT_TRUE(r) << r.error();
    EXPECT_FALSE(r->carries) << r->accuracy;
    EXPECT_LT(r->accuracy, 0.65);
    for (const auto& s : r->cues) EXPECT_FALSE(s.carries) << s.name << " " << s.accuracy;
}

TEST(Shortcuts, ChanceIsTheMajorityShareAndResultsRepeat) {
    std::vector<int> y;
    auto c = cues(90, true, y);
    for (int i = 0; i < 30; ++i) y[size_t(i)] = 1;  // more of class 1
    auto a = sl::find_shortcuts(c, y, 2), b = sl::find_shortcuts(c, y, 2);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->majority, 1);
    EXPECT_GT(a->chance, 0.5);
    EXPECT_EQ(a->predicted, b->predicted);
    EXPECT_EQ(a->accuracy, b->accuracy);
}

TEST(Shortcuts, BadInputIsAnError) {
    std::vector<int> y;
    auto c = cues(20, true, y);
    EXPECT_FALSE(sl::find_shortcuts({}, y, 2));
    EXPECT_FALSE(sl::find_shortcuts(c, std::vector<int>(20, 0), 2));  // one class
    std::vector<int> bad = y;
    bad[3] = 5;
    EXPECT_FALSE(sl::find_shortcuts(c, bad, 2));
    c[0].values.pop_back();
    EXPECT_FALSE(sl::find_shortcuts(c, y, 2));
    EXPECT_FALSE(sl::find_shortcuts(cues(3, true, y), y, 2));
}

// Found by fuzz_options (tests/core/fuzz_found/options-shortcuts-min-leaf.bin): a min_leaf of
// -2^31 overflowed when doubled. Tree settings out of range are refused.
TEST(Shortcuts, TreeSettingsOutOfRangeAreAnError) {
    std::vector<int> y;
    const auto c = cues(20, true, y);
    for (auto [min_leaf, max_depth] : {std::pair{std::numeric_limits<int>::min(), 4}, std::pair{5, -1}}) {
        sl::ShortcutOptions o;
        o.tree.min_leaf = min_leaf, o.tree.max_depth = max_depth;
        auto r = sl::find_shortcuts(c, y, 2, o);
        ASSERT_FALSE(r);
        EXPECT_NE(r.error().find("min_leaf and max_depth"), std::string::npos) << r.error();
    }
}
