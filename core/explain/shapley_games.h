// core/explain/shapley_games.h: cooperative games whose Shapley values are known, the yardstick for
// KernelShap (kernel_shap.h): the game types of the shap-bench file format, the value of a
// coalition, exact and permutation-sampled reference values, reading and writing the games file,
// the reproducible games of tests/shap_games.json, and the accuracy benchmark's loop.
// Pairs with wasm/bindings/bind_shap.cpp and tools/cli/shap_bench.mjs (the `shap-bench` command).
//
//   auto games = sl::parse_games(text);                  // {"games": [...]}, see below
//   if (!games) { report(games.error()); return; }
//   sl::KernelShapConfig cfg;  cfg.budget = 512;  cfg.tolerance = 0;
//   auto r = sl::bench_kernel_shap((*games)[0], cfg, 20); // 20 seeds: cfg.seed, cfg.seed + 1, ...
//   if (r) print(r->median, r->p90);                      // relative L2 error ||phi^ - phi|| / ||phi||
//
// File format (numbers are JSON numbers; M players, coalitions z in {0,1}^M):
//   {"games": [
//     {"name": "...", "M": 50, "kind": "polynomial", "bias": 0.1, "w": [M numbers],
//      "pairs": [[i, j, a_ij], ...], "link": "identity" | "sigmoid", "phi": [M numbers]},
//     {"name": "...", "M": 10, "kind": "table", "v": [2^M numbers, index = bitmask of present
//      players], "phi": [...]}]}
// polynomial: v(z) = link(bias + sum_i w_i z_i + sum_(i,j) a_ij z_i z_j) (a pair i == i adds to
// w_i). "phi" (the reference) is optional where it can be computed exactly: tables, polynomials
// with M <= 20, and identity polynomials (phi_i = w_i + sum_j a_ij / 2). "note" (optional) says
// how phi was obtained. Defaults: bias 0, pairs none, link identity.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/explain/kernel_shap.h"

namespace sl {

enum class GameKind { polynomial, table };
enum class GameLink { identity, sigmoid };

struct GamePair {
    int i = 0, j = 0;  // players, 0 .. M-1
    double a = 0;      // coefficient of z_i z_j
};

struct ShapleyGame {
    std::string name;
    GameKind kind = GameKind::polynomial;
    int players = 0;                     // M: 1 .. 4096 (polynomial), 1 .. 20 (table)
    GameLink link = GameLink::identity;  // polynomial: identity or sigmoid of the polynomial
    double bias = 0;                     // polynomial: the constant term
    std::vector<double> w;               // polynomial: M linear coefficients
    std::vector<GamePair> pairs;         // polynomial: pairwise terms
    std::vector<double> table;           // table: 2^M values, index = bitmask of present players
    std::vector<double> phi;             // reference Shapley values (M), empty when not given
    std::string note;                    // how phi was obtained (permutations, noise floor, ...)
};

// v(z): z holds M bytes, 1 = present.
double game_value(const ShapleyGame& game, std::span<const uint8_t> z);

// Exact Shapley values: tables and polynomials with M <= 20 by enumeration, identity
// polynomials in closed form. Error: any other game (too many players to enumerate).
Result<std::vector<double>> exact_shapley(const ShapleyGame& game);

// Shapley values from `permutations` random orders (taken in antithetic pairs: an order and its
// reverse), with the standard error of each value. Cost: permutations x M^2 for polynomials.
struct PermutationShapley {
    std::vector<double> phi;        // M values
    std::vector<double> std_error;  // M standard errors (over the antithetic pairs)
};
PermutationShapley permutation_shapley(const ShapleyGame& game, int64_t permutations, uint64_t seed);

// Reads a games file (format above). Errors name the game and the field at fault.
Result<std::vector<ShapleyGame>> parse_games(std::string_view json);
// Writes games in the same format, one field per line, arrays on one line.
std::string games_to_json(std::span<const ShapleyGame> games);

// The games of tests/shap_games.json, from a seed, without reference values: three 50-player
// sigmoid-of-quadratic games v(z) = sigmoid(-1.5 + w'z + z'Az/50) (5 strong positive players,
// 4 negative, the rest weak, A with N(0,1) entries), a 50-player quadratic with identity link,
// a 16-player sigmoid-of-quadratic game (exact by enumeration) and a 10-player table with a
// three-way interaction.
std::vector<ShapleyGame> make_bench_games(uint64_t seed);
// Fills game.phi and game.note: exact where exact_shapley can, else permutation_shapley.
void compute_reference(ShapleyGame& game, int64_t permutations, uint64_t seed);

struct ShapBenchResult {
    std::vector<double> errors;            // per seed: ||phi_hat - phi|| / ||phi||
    double median = 0, p90 = 0, mean = 0;  // of errors (quantiles interpolated linearly)
    double coverage = 0;                   // fraction of (seed, player) with |phi_hat - phi| <= 3 std_error
                                           // (+ 1e-10 ||phi||: rounding)
    double evaluations = 0;                // mean evaluations per run
};
// Runs KernelShap on the game `seeds` times (config.seed, config.seed + 1, ...; config.players
// and outputs are set here) and compares with game.phi (computed exactly if absent). Errors:
// seeds < 1, no reference available, a config KernelShap rejects.
Result<ShapBenchResult> bench_kernel_shap(const ShapleyGame& game, KernelShapConfig config, int seeds);

}  // namespace sl
