// tests/core/explain/explanation_report_test.cpp: the JSON report of an explanation, which the CLI
// and the app both write (core/explain/explanation_report.cpp).
#include "core/explain/explanation_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/core/explain/redness_model.h"

using namespace redness_model;

TEST(ExplanationReport, LabelRunsCoverEveryPixelInOrder) {
    sl::Segmentation s{4, 2, 3, {0, 0, 1, 1, 1, 2, 2, 0}};
    EXPECT_EQ(sl::label_runs(s), (std::vector<int32_t>{0, 2, 1, 3, 2, 2, 0, 1}));
    EXPECT_TRUE(sl::label_runs(sl::Segmentation{}).empty());
}

TEST(ExplanationReport, CarriesTheValuesTheSuperpixelMapAndWhereTheFigureDrawsThem) {
    const sl::Image photo = photo_with_red_square();
    const sl::ModelCard c = card(sl::OutputKind::sigmoid, {"person", "santa"});
    auto ex = sl::Explainer::create(photo, c, config(64));
    ASSERT_TRUE(ex) << ex.error();
    run(*ex, [&](std::span<const float> x, int rows) { return redness(x, rows, c.input); });
    sl::FigureStyle style;
    style.panel_height = 200;
    const auto j = nlohmann::json::parse(sl::explanation_report(*ex, "red.png", {1500, 1000, 400}, style));

    EXPECT_EQ(j["file"], "red.png");
    EXPECT_EQ(j["labels"], (std::vector<std::string>{"person", "santa"}));
    EXPECT_EQ(j["phi"][1].size(), size_t(ex->segmentation().count));
    EXPECT_EQ(j["phi"][1][3].get<double>(), ex->estimate().phi[size_t(ex->segmentation().count) + 3]);
    EXPECT_EQ(j["seconds"]["total"], 1.5);
    EXPECT_EQ(j["segmentation"]["requested"], 30);

    // The runs give back the explainer's labels, pixel for pixel.
    const auto& sp = j["superpixels"];
    EXPECT_EQ(sp["width"], ex->segmentation().width);
    std::vector<int32_t> labels;
    for (size_t i = 0; i < sp["runs"].size(); i += 2)
        labels.insert(labels.end(), sp["runs"][i + 1].get<size_t>(), sp["runs"][i].get<int32_t>());
    EXPECT_EQ(labels, ex->segmentation().labels);

    // The figure is the size render_figure draws, with the class panels side by side after the photo.
    const std::vector<double> p = ex->probabilities();  // the figure holds a view of it
    sl::FigureInput in{&ex->display(), &ex->segmentation(), ex->estimate().phi, p, c.labels, "", {}};
    auto fig = sl::render_figure(in, style);
    ASSERT_TRUE(fig) << fig.error();
    EXPECT_EQ(j["figure"]["width"], fig->width);
    EXPECT_EQ(j["figure"]["height"], fig->height);
    const auto& panels = j["figure"]["panels"];
    ASSERT_EQ(panels.size(), 2u);
    EXPECT_EQ(panels[1]["label"], "santa");
    EXPECT_EQ(panels[0]["height"], 200);
    EXPECT_EQ(panels[1]["x"].get<int>() - panels[0]["x"].get<int>(), panels[0]["width"].get<int>() + 14);
    EXPECT_LE(panels[1]["x"].get<int>() + panels[1]["width"].get<int>(), fig->width);
}
