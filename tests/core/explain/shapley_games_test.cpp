// tests/core/explain/shapley_games_test.cpp: the bench's games (core/explain/shapley_games.h): the file format
// read and written, values and reference Shapley values, the generator, the benchmark loop, and
// the games file shipped in tests/.
#include "core/explain/shapley_games.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string error_of(const std::string& json) {
    auto r = sl::parse_games(json);
    return r.ok() ? std::string() : r.error();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(ShapleyGames, ParsesBothKindsAndEvaluatesCoalitions) {
    auto games = sl::parse_games(R"({"games": [
        {"name": "p", "M": 3, "kind": "polynomial", "bias": 0.5, "w": [1, 2, 3],
         "pairs": [[0, 2, 10], [1, 1, 0.25]], "link": "identity", "phi": [6, 2.25, 8]},
        {"name": "s", "M": 2, "kind": "polynomial", "w": [1, -1], "link": "sigmoid"},
        {"M": 2, "kind": "table", "v": [0, 1, 2, 4], "note": "n"}]})");
    ASSERT_TRUE(games.ok()) << games.error();
    ASSERT_EQ(games->size(), 3u);
    const sl::ShapleyGame& p = (*games)[0];
    EXPECT_EQ(p.name, "p");
    EXPECT_DOUBLE_EQ(sl::game_value(p, std::vector<uint8_t>{1, 0, 1}), 0.5 + 1 + 3 + 10);
    EXPECT_DOUBLE_EQ(sl::game_value(p, std::vector<uint8_t>{0, 1, 0}), 0.5 + 2 + 0.25);
    EXPECT_DOUBLE_EQ(sl::game_value((*games)[1], std::vector<uint8_t>{1, 0}), 1 / (1 + std::exp(-1.0)));
    EXPECT_EQ((*games)[2].name, "game 2");
    EXPECT_DOUBLE_EQ(sl::game_value((*games)[2], std::vector<uint8_t>{0, 1}), 2);
    EXPECT_EQ((*games)[2].note, "n");
    // Closed form: w_i + half of each pair term (a diagonal pair is linear).
    auto phi = sl::exact_shapley(p);
    ASSERT_TRUE(phi.ok());
    EXPECT_EQ(*phi, (std::vector<double>{6, 2.25, 8}));
    auto table_phi = sl::exact_shapley((*games)[2]);
    ASSERT_TRUE(table_phi.ok());
    EXPECT_DOUBLE_EQ((*table_phi)[0], 0.5 * 1 + 0.5 * (4 - 2));
}

TEST(ShapleyGames, RejectsMalformedFilesNamingTheField) {
    EXPECT_TRUE(contains(error_of("{"), "not valid JSON"));
    EXPECT_TRUE(contains(error_of("[]"), "games"));
    EXPECT_TRUE(contains(error_of(R"({"games": []})"), "at least one"));
    EXPECT_TRUE(contains(error_of(R"({"games": [{"M": 2, "w": [1, 2]}]})"), "kind"));
    EXPECT_TRUE(contains(error_of(R"({"games": [{"kind": "polynomial", "M": 0, "w": []}]})"), "M must"));
    EXPECT_TRUE(contains(error_of(R"({"games": [{"kind": "polynomial", "M": 2.5, "w": [1, 2]}]})"), "M must"));
    EXPECT_TRUE(contains(error_of(R"({"games": [{"name": "x", "kind": "polynomial", "M": 3, "w": [1, 2]}]})"),
                         "(\"x\"): w must"));
    EXPECT_TRUE(contains(error_of(R"({"games": [{"kind": "polynomial", "M": 2, "w": [1, "a"]}]})"), "w must"));
    EXPECT_TRUE(contains(error_of(R"({"games": [{"kind": "polynomial", "M": 2, "w": [1, 2], "pairs": [[0, 2, 1]]}]})"),
                         "pairs[0]"));
    EXPECT_TRUE(
        contains(error_of(R"({"games": [{"kind": "polynomial", "M": 2, "w": [1, 2], "link": "tanh"}]})"), "link"));
    EXPECT_TRUE(contains(error_of(R"({"games": [{"kind": "polynomial", "M": 2, "w": [1, 2], "phi": [1]}]})"), "phi"));
    EXPECT_TRUE(contains(error_of(R"({"games": [{"kind": "table", "M": 2, "v": [1, 2, 3]}]})"), "2^M = 4"));
    EXPECT_TRUE(contains(error_of(R"({"games": [{"kind": "table", "M": 21, "v": []}]})"), "1 to 20"));
}

TEST(ShapleyGames, WritesWhatItReads) {
    const std::vector<sl::ShapleyGame> games = sl::make_bench_games(3);
    auto back = sl::parse_games(sl::games_to_json(games));
    ASSERT_TRUE(back.ok()) << back.error();
    ASSERT_EQ(back->size(), games.size());
    for (size_t k = 0; k < games.size(); ++k) {
        EXPECT_EQ((*back)[k].name, games[k].name);
        EXPECT_EQ((*back)[k].w, games[k].w);
        EXPECT_EQ((*back)[k].table, games[k].table);
        EXPECT_EQ((*back)[k].pairs.size(), games[k].pairs.size());
        EXPECT_EQ((*back)[k].bias, games[k].bias);
    }
}

TEST(ShapleyGames, BenchGamesAreReproducibleAndPhotoLike) {
    const std::vector<sl::ShapleyGame> a = sl::make_bench_games(1), b = sl::make_bench_games(1),
                                       c = sl::make_bench_games(2);
    EXPECT_EQ(sl::games_to_json(a), sl::games_to_json(b));
    EXPECT_NE(sl::games_to_json(a), sl::games_to_json(c));
    int fifty_sigmoid = 0;
    for (const sl::ShapleyGame& g : a) fifty_sigmoid += g.players == 50 && g.link == sl::GameLink::sigmoid;
    EXPECT_EQ(fifty_sigmoid, 3);
    // The shape of the 50-player games: 5 strong positive players, 4 negative.
    for (int k = 0; k < 3; ++k) {
        int strong = 0, negative = 0, weak = 0;
        for (double w : a[size_t(k)].w) strong += w > 0.45, negative += w < -0.25, weak += std::fabs(w) < 0.5;
        EXPECT_GE(strong, 5);
        EXPECT_GE(negative, 4);
        EXPECT_GE(weak, 36);
    }
    EXPECT_EQ(a[0].pairs.size(), 50u * 49 / 2);
}

TEST(ShapleyGames, PermutationValuesAgreeWithExactOnesWithinTheirErrors) {
    sl::ShapleyGame g = sl::make_bench_games(1)[4];  // sigmoid-16
    ASSERT_EQ(g.players, 16);
    auto exact = sl::exact_shapley(g);
    ASSERT_TRUE(exact.ok());
    const sl::PermutationShapley p = sl::permutation_shapley(g, 20000, 9);
    double sum = 0;
    for (int i = 0; i < 16; ++i) {
        EXPECT_NEAR(p.phi[size_t(i)], (*exact)[size_t(i)], 4.5 * p.std_error[size_t(i)] + 1e-12) << i;
        EXPECT_LT(p.std_error[size_t(i)], 0.01);
        sum += p.phi[size_t(i)];
    }
    // Every order adds all players: the sum is exact.
    std::vector<uint8_t> all(16, 1), none(16, 0);
    EXPECT_NEAR(sum, sl::game_value(g, all) - sl::game_value(g, none), 1e-12);
    // A table game walks the same way.
    const sl::ShapleyGame t = sl::make_bench_games(1)[5];  // a copy: the vector is a temporary
    const sl::PermutationShapley pt = sl::permutation_shapley(t, 20000, 9);
    auto et = sl::exact_shapley(t);
    for (int i = 0; i < t.players; ++i)
        EXPECT_NEAR(pt.phi[size_t(i)], (*et)[size_t(i)], 4.5 * pt.std_error[size_t(i)] + 1e-12);
}

TEST(ShapleyGames, ExactNeedsAFewPlayersOrAClosedForm) {
    const std::vector<sl::ShapleyGame> games = sl::make_bench_games(1);
    EXPECT_FALSE(sl::exact_shapley(games[0]).ok());  // 50 players, sigmoid
    EXPECT_TRUE(sl::exact_shapley(games[3]).ok());   // 50 players, identity: closed form
    sl::ShapleyGame g = games[0];
    sl::compute_reference(g, 2000, 1);
    EXPECT_EQ(g.phi.size(), 50u);
    EXPECT_TRUE(contains(g.note, "2000 antithetic permutations")) << g.note;
}

TEST(ShapleyGames, BenchMeasuresRelativeErrorOverSeeds) {
    const std::vector<sl::ShapleyGame> games = sl::make_bench_games(1);
    sl::KernelShapConfig c;
    c.budget = 1024, c.tolerance = 0;
    auto exact = sl::bench_kernel_shap(games[5], c, 3);  // table-10: 1024 covers every coalition
    ASSERT_TRUE(exact.ok()) << exact.error();
    EXPECT_LT(exact->p90, 1e-12);
    EXPECT_EQ(exact->evaluations, 1024);
    EXPECT_EQ(exact->errors.size(), 3u);
    c.budget = 256;
    auto sampled = sl::bench_kernel_shap(games[4], c, 5);  // sigmoid-16
    ASSERT_TRUE(sampled.ok());
    EXPECT_GT(sampled->median, 1e-4);
    EXPECT_LT(sampled->median, 0.1);
    EXPECT_LE(sampled->median, sampled->p90);
    EXPECT_GT(sampled->coverage, 0.8);
    auto none = sl::bench_kernel_shap(games[0], c, 1);  // no phi and too large to enumerate
    ASSERT_FALSE(none.ok());
    EXPECT_TRUE(contains(none.error(), "phi"));
    EXPECT_FALSE(sl::bench_kernel_shap(games[4], c, 0).ok());
}

TEST(ShapleyGames, ShippedGamesFileHoldsAccurateReferences) {
    // tests/shap_games.json, committed: tests/core/explain/ -> tests/.
    std::string path = __FILE__;
    path = path.substr(0, path.rfind('/')) + "/../../shap_games.json";
    std::ifstream in(path);
    ASSERT_TRUE(in) << "no " << path;
    std::stringstream text;
    text << in.rdbuf();
    auto games = sl::parse_games(text.str());
    ASSERT_TRUE(games.ok()) << games.error();
    int m50 = 0;
    for (const sl::ShapleyGame& g : *games) {
        ASSERT_EQ(g.phi.size(), size_t(g.players)) << g.name;
        m50 += g.players == 50 && g.link == sl::GameLink::sigmoid;
        if (auto exact = sl::exact_shapley(g)) {
            for (int i = 0; i < g.players; ++i) EXPECT_NEAR(g.phi[size_t(i)], (*exact)[size_t(i)], 1e-12) << g.name;
        }
    }
    EXPECT_GE(m50, 3);
}
