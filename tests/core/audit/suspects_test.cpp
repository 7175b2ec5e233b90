// tests/core/audit/suspects_test.cpp: a mislabelled photo stands out by cross-validated probability and
// by distance from its class centre (core/audit/suspects.cpp).
#include "core/audit/suspects.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/base/rng.h"

namespace {

// `per` photos per class around distinct non-negative centres in `dim` dimensions; photo
// `swap` is drawn from class (label + 1) % classes but keeps its label.
std::vector<float> clusters(int classes, int per, int dim, int swap, std::vector<int>& labels) {
    sl::Rng rng(11);
    std::vector<float> f;
    labels.clear();
    for (int i = 0; i < classes * per; ++i) {
        const int label = i % classes, drawn = i == swap ? (label + 1) % classes : label;
        labels.push_back(label);
        for (int k = 0; k < dim; ++k) {
            const double centre = (k % classes == drawn) ? 3.0 : 0.5;
            f.push_back(float(std::max(0.0, centre + 0.6 * rng.normal())));
        }
    }
    return f;
}

}  // namespace

TEST(Suspects, TheMislabelledPhotoIsTheWorstFitOfItsClass) {
    std::vector<int> y;
    const int swap = 10;  // a class-0 label on a class-1 photo
    const std::vector<float> f = clusters(2, 30, 24, swap, y);
    auto fits = sl::fit_photos(f, y, 2, 24);
    ASSERT_TRUE(fits) << fits.error();
    ASSERT_EQ(fits->size(), 60u);
    const auto& s = (*fits)[swap];
    EXPECT_LT(s.p_own, 0.5f);
    EXPECT_GT(s.other_similarity, s.own_similarity);
    EXPECT_EQ(s.other_class, 1);
    for (size_t i = 0; i < fits->size(); ++i) {
        if (int(i) == swap) continue;
        EXPECT_GT((*fits)[i].p_own, s.p_own) << i;
        if (y[i] == 0) {
            EXPECT_LT((*fits)[i].outlier_z, s.outlier_z) << i;
        }
        EXPECT_GT((*fits)[i].own_similarity, (*fits)[i].other_similarity) << i;
    }
    EXPECT_GT(s.outlier_z, 3);
}

TEST(Suspects, ThreeClassesOneAgainstTheRest) {
    std::vector<int> y;
    const int swap = 7;  // label 1, drawn from class 2
    const std::vector<float> f = clusters(3, 20, 24, swap, y);
    auto fits = sl::fit_photos(f, y, 3, 24);
    ASSERT_TRUE(fits) << fits.error();
    const auto& s = (*fits)[swap];
    EXPECT_EQ(s.other_class, 2);
    EXPECT_LT(s.p_own, 0.5f);
    double sum = 0;
    for (size_t i = 0; i < fits->size(); ++i) {
        if (int(i) != swap) {
            EXPECT_GT((*fits)[i].p_own, s.p_own) << i;
        }
        sum += (*fits)[i].p_own;
    }
    EXPECT_GT(sum / fits->size(), 0.8);
}

TEST(Suspects, BadInputIsAnError) {
    std::vector<int> y;
    std::vector<float> f = clusters(2, 5, 4, -1, y);
    EXPECT_FALSE(sl::fit_photos(f, y, 1, 4));
    EXPECT_FALSE(sl::fit_photos(std::span(f).first(f.size() - 1), y, 2, 4));
    std::vector<int> one = y;
    for (int& v : one) v = 0;
    one[0] = 1;  // a class with a single photo
    EXPECT_FALSE(sl::fit_photos(f, one, 2, 4));
    f[3] = NAN;
    EXPECT_FALSE(sl::fit_photos(f, y, 2, 4));
}
