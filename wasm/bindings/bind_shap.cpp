// wasm/bindings/bind_shap.cpp: Embind bindings for KernelSHAP's accuracy benchmark (core/explain/shapley_games.h,
// core/explain/kernel_shap.h), used by `santa-lens shap-bench` (tools/cli/shap_bench.mjs). Like every
// binding here it never throws into JS: a failure is returned as {error: "message"}.
//
//   shapBench(gamesJson: string, budgets: number[], seeds, options)
//       -> {games: [{name, M, kind, link, note}],
//           rows: [{game, M, budget, median, p90, mean, coverage, evaluations, msPerCall}]}
//       options (all optional): sampler 'leverage' | 'kernel', surrogate 'auto' | 'linear' |
//       'logistic', batchSize (0: the whole budget at once), seed (of the first run), and
//       onRow(row), called after each game and budget. msPerCall includes evaluating the game.
//   shapGames(seed, permutations) -> {json: string}: the games of tests/shap_games.json with
//       their reference values (exact where possible, else from that many permutations).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "core/explain/shapley_games.h"
#include "wasm/bindings/js_fields.h"
#include "wasm/bindings/js_values.h"

using emscripten::val;
using sl::js::error;

namespace {

// Reads options into config; false with `why` on a bad field.
bool read_options(const val& js, sl::KernelShapConfig& c, std::string& why) {
    sl::js::Fields f(js, "options");
    f.choice<sl::ShapSampler>("sampler", {{"leverage", sl::ShapSampler::leverage}, {"kernel", sl::ShapSampler::kernel}},
                              c.sampler);
    f.choice<sl::ShapSurrogate>("surrogate",
                                {{"auto", sl::ShapSurrogate::automatic},
                                 {"linear", sl::ShapSurrogate::linear},
                                 {"logistic", sl::ShapSurrogate::logistic}},
                                c.surrogate);
    c.batch_size = 0;  // absent: the whole budget at once
    f.integer("batchSize", 0, 1 << 30, c.batch_size);
    f.integer("seed", 0, 9007199254740992.0, c.seed);
    why = f.why();
    return f.ok();
}

val shap_bench(const std::string& games_json, const val& budgets_js, int seeds, const val& options) {
    auto games = sl::parse_games(games_json);
    if (!games) return error(games.error());
    if (!sl::js::is_array_like(budgets_js)) return error("budgets must be an array of integers");
    const std::vector<double> budgets = emscripten::convertJSArrayToNumberVector<double>(budgets_js);
    sl::KernelShapConfig config;
    config.tolerance = 0;  // accuracy at a fixed budget
    std::string why;
    if (!read_options(options, config, why)) return error(why);
    const int batch = config.batch_size;
    const val on_row = options.isUndefined() || options.isNull() ? val::undefined() : options["onRow"];

    val out = val::object(), game_list = val::array(), rows = val::array();
    for (const sl::ShapleyGame& g : *games) {
        val info = val::object();
        info.set("name", g.name);
        info.set("M", g.players);
        info.set("kind", g.kind == sl::GameKind::table ? "table" : "polynomial");
        if (g.kind == sl::GameKind::polynomial)
            info.set("link", g.link == sl::GameLink::sigmoid ? "sigmoid" : "identity");
        info.set("note", g.note);
        game_list.call<void>("push", info);
        for (double budget : budgets) {
            if (budget != std::floor(budget) || budget < 2 || budget > 1e9)
                return error("budgets must be integers >= 2");
            config.budget = int(budget);
            config.batch_size = batch > 0 ? batch : config.budget;
            const auto start = std::chrono::steady_clock::now();
            auto r = sl::bench_kernel_shap(g, config, seeds);
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            if (!r) return error(r.error());
            val row = val::object();
            row.set("game", g.name);
            row.set("M", g.players);
            row.set("budget", config.budget);
            row.set("median", r->median);
            row.set("p90", r->p90);
            row.set("mean", r->mean);
            row.set("coverage", r->coverage);
            row.set("evaluations", r->evaluations);
            row.set("msPerCall", ms / seeds);
            rows.call<void>("push", row);
            if (on_row.typeOf().as<std::string>() == "function") on_row(row);
        }
    }
    out.set("games", game_list);
    out.set("rows", rows);
    return out;
}

val shap_games(double seed, double permutations) {
    if (seed != std::floor(seed) || seed < 0 || seed > 9007199254740992.0) return error("seed must be an integer >= 0");
    if (permutations != std::floor(permutations) || permutations < 2 || permutations > 1e12)
        return error("permutations must be an integer from 2 to 1e12");
    std::vector<sl::ShapleyGame> games = sl::make_bench_games(uint64_t(seed));
    for (sl::ShapleyGame& g : games) sl::compute_reference(g, int64_t(permutations), uint64_t(seed));
    val out = val::object();
    out.set("json", sl::games_to_json(games));
    return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(santa_lens_shap) {
    emscripten::function("shapBench", &shap_bench);
    emscripten::function("shapGames", &shap_games);
}
