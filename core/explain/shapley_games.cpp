// core/explain/shapley_games.cpp: games with known Shapley values and the KernelShap accuracy loop
// (shapley_games.h). Sections: evaluation and reference values; the games file; the bench
// games; the benchmark.
#include "core/explain/shapley_games.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>

#include "core/base/rng.h"
#include "core/explain/detail/shap_solver.h"
#include "core/explain/detail/shap_surrogate.h"
#include "core/explain/explanation_metrics.h"

namespace sl {

namespace {

double apply_link(GameLink link, double q) { return link == GameLink::sigmoid ? detail::det_sigmoid_d(q) : q; }

// The polynomial's pairs as a dense symmetric matrix (diagonal terms folded into w).
void dense_pairs(const ShapleyGame& g, std::vector<double>& w, std::vector<double>& b) {
    const int m = g.players;
    w = g.w;
    b.assign(size_t(m) * m, 0.0);
    for (const GamePair& p : g.pairs) {
        if (p.i == p.j) {
            w[size_t(p.i)] += p.a;
            continue;
        }
        b[size_t(p.i) * m + p.j] += p.a;
        b[size_t(p.j) * m + p.i] += p.a;
    }
}

}  // namespace

// ---- evaluation and reference values ----------------------------------------------------

double game_value(const ShapleyGame& g, std::span<const uint8_t> z) {
    if (g.kind == GameKind::table) {
        uint32_t mask = 0;
        for (int i = 0; i < g.players; ++i)
            if (z[size_t(i)]) mask |= uint32_t(1) << i;
        return g.table[mask];
    }
    double q = g.bias;
    for (int i = 0; i < g.players; ++i)
        if (z[size_t(i)]) q += g.w[size_t(i)];
    for (const GamePair& p : g.pairs)
        if (z[size_t(p.i)] && z[size_t(p.j)]) q += p.a;
    return apply_link(g.link, q);
}

Result<std::vector<double>> exact_shapley(const ShapleyGame& g) {
    const int m = g.players;
    if (g.kind == GameKind::table) return detail::shapley_from_table(g.table, m, 1);
    if (g.link == GameLink::identity) {
        // Each pairwise term is split equally between its two players.
        std::vector<double> phi = g.w;
        for (const GamePair& p : g.pairs) {
            phi[size_t(p.i)] += p.a / 2;
            phi[size_t(p.j)] += p.a / 2;
        }
        return phi;
    }
    if (m > 20)
        return fail("game \"" + g.name + "\": " + std::to_string(m) +
                    " players are too many to enumerate (at most 20)");
    std::vector<double> table(size_t(1) << m);
    std::vector<uint8_t> z(m);
    for (uint32_t mask = 0; mask < table.size(); ++mask) {
        for (int i = 0; i < m; ++i) z[size_t(i)] = (mask >> i) & 1;
        table[mask] = game_value(g, z);
    }
    return detail::shapley_from_table(table, m, 1);
}

PermutationShapley permutation_shapley(const ShapleyGame& g, int64_t permutations, uint64_t seed) {
    const int m = g.players;
    std::vector<double> w, b;
    if (g.kind == GameKind::polynomial) dense_pairs(g, w, b);
    Rng rng(seed);
    std::vector<int> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::vector<double> sum(size_t(m), 0.0), sum2(size_t(m), 0.0), x(m), gain(m);
    // Adds each player's marginal contribution along `order` (forwards or backwards) to x.
    auto walk = [&](bool forwards) {
        if (g.kind == GameKind::table) {
            uint32_t mask = 0;
            for (int k = 0; k < m; ++k) {
                const int p = order[size_t(forwards ? k : m - 1 - k)];
                const uint32_t next = mask | (uint32_t(1) << p);
                x[size_t(p)] += g.table[next] - g.table[mask];
                mask = next;
            }
            return;
        }
        // q grows by gain[p] when p joins; gain tracks w_i + sum over present j of a_ij.
        gain = w;
        double q = g.bias, v = apply_link(g.link, q);
        for (int k = 0; k < m; ++k) {
            const int p = order[size_t(forwards ? k : m - 1 - k)];
            q += gain[size_t(p)];
            const double next = apply_link(g.link, q);
            x[size_t(p)] += next - v;
            v = next;
            const double* row = &b[size_t(p) * m];
            for (int i = 0; i < m; ++i) gain[size_t(i)] += row[i];
        }
    };
    const int64_t pairs = std::max<int64_t>(1, permutations / 2);
    for (int64_t k = 0; k < pairs; ++k) {
        shuffle(std::span<int>(order), rng);
        std::fill(x.begin(), x.end(), 0.0);
        walk(true);
        walk(false);
        for (int i = 0; i < m; ++i) {
            const double xi = x[size_t(i)] / 2;
            sum[size_t(i)] += xi;
            sum2[size_t(i)] += xi * xi;
        }
    }
    PermutationShapley out;
    out.phi.resize(size_t(m));
    out.std_error.resize(size_t(m));
    const double n = double(pairs);
    for (int i = 0; i < m; ++i) {
        const double mean = sum[size_t(i)] / n;
        out.phi[size_t(i)] = mean;
        const double var = n > 1 ? std::max(0.0, (sum2[size_t(i)] - n * mean * mean) / (n - 1)) : 0.0;
        out.std_error[size_t(i)] = std::sqrt(var / n);
    }
    return out;
}

// ---- the games file ----------------------------------------------------------------------

namespace {

using nlohmann::json;

bool number_array(const json& j, size_t n, std::vector<double>& out) {
    if (!j.is_array() || j.size() != n) return false;
    out.resize(n);
    for (size_t k = 0; k < n; ++k) {
        if (!j[k].is_number()) return false;
        out[k] = j[k].get<double>();
        if (!std::isfinite(out[k])) return false;
    }
    return true;
}

bool integer(const json& j, double lo, double hi, int& out) {
    if (!j.is_number()) return false;
    const double v = j.get<double>();
    if (v != std::floor(v) || v < lo || v > hi) return false;
    out = int(v);
    return true;
}

Result<ShapleyGame> parse_game(const json& j, size_t index) {
    ShapleyGame g;
    std::string who = "games[" + std::to_string(index) + "]";
    auto bad = [&](const std::string& why) { return fail("games file: " + who + ": " + why); };
    if (!j.is_object()) return bad("must be an object");
    if (auto it = j.find("name"); it != j.end()) {
        if (!it->is_string()) return bad("name must be a string");
        g.name = it->get<std::string>();
        who += " (\"" + g.name + "\")";
    } else {
        g.name = "game " + std::to_string(index);
    }
    const auto kind = j.find("kind");
    if (kind == j.end() || !kind->is_string() || (*kind != "polynomial" && *kind != "table"))
        return bad("kind must be \"polynomial\" or \"table\"");
    g.kind = *kind == "table" ? GameKind::table : GameKind::polynomial;
    const auto m = j.find("M");
    const double max_players = g.kind == GameKind::table ? 20 : 4096;
    if (m == j.end() || !integer(*m, 1, max_players, g.players))
        return bad("M must be an integer from 1 to " + std::to_string(int(max_players)));
    const size_t players = size_t(g.players);
    if (g.kind == GameKind::table) {
        const auto v = j.find("v");
        if (v == j.end() || !number_array(*v, size_t(1) << players, g.table))
            return bad("v must be an array of 2^M = " + std::to_string(size_t(1) << players) + " finite numbers");
    } else {
        const auto w = j.find("w");
        if (w == j.end() || !number_array(*w, players, g.w))
            return bad("w must be an array of M = " + std::to_string(players) + " finite numbers");
        if (auto it = j.find("bias"); it != j.end()) {
            if (!it->is_number() || !std::isfinite(it->get<double>())) return bad("bias must be a finite number");
            g.bias = it->get<double>();
        }
        if (auto it = j.find("link"); it != j.end()) {
            if (!it->is_string() || (*it != "identity" && *it != "sigmoid"))
                return bad("link must be \"identity\" or \"sigmoid\"");
            g.link = *it == "sigmoid" ? GameLink::sigmoid : GameLink::identity;
        }
        if (auto it = j.find("pairs"); it != j.end()) {
            if (!it->is_array()) return bad("pairs must be an array of [i, j, a]");
            for (size_t k = 0; k < it->size(); ++k) {
                const json& p = (*it)[k];
                GamePair pair;
                if (!p.is_array() || p.size() != 3 || !integer(p[0], 0, g.players - 1, pair.i) ||
                    !integer(p[1], 0, g.players - 1, pair.j) || !p[2].is_number() || !std::isfinite(p[2].get<double>()))
                    return bad("pairs[" + std::to_string(k) + "] must be [i, j, a] with players 0.." +
                               std::to_string(g.players - 1) + " and a finite a");
                pair.a = p[2].get<double>();
                g.pairs.push_back(pair);
            }
        }
    }
    if (auto it = j.find("phi"); it != j.end() && !number_array(*it, players, g.phi))
        return bad("phi must be an array of M = " + std::to_string(players) + " finite numbers");
    if (auto it = j.find("note"); it != j.end()) {
        if (!it->is_string()) return bad("note must be a string");
        g.note = it->get<std::string>();
    }
    return g;
}

std::string number(double x) { return json(x).dump(); }

std::string number_list(std::span<const double> v) {
    std::string s = "[";
    for (size_t k = 0; k < v.size(); ++k) s += (k ? ", " : "") + number(v[k]);
    return s + "]";
}

}  // namespace

Result<std::vector<ShapleyGame>> parse_games(std::string_view text) {
    const json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) return fail("games file: not valid JSON");
    const auto games = j.is_object() ? j.find("games") : j.end();
    if (!j.is_object() || games == j.end() || !games->is_array() || games->empty())
        return fail("games file: expected {\"games\": [...]} with at least one game");
    std::vector<ShapleyGame> out;
    for (size_t k = 0; k < games->size(); ++k) {
        Result<ShapleyGame> g = parse_game((*games)[k], k);
        if (!g) return fail(g.error());
        out.push_back(std::move(*g));
    }
    return out;
}

std::string games_to_json(std::span<const ShapleyGame> games) {
    std::string s = "{\"games\": [\n";
    for (size_t k = 0; k < games.size(); ++k) {
        const ShapleyGame& g = games[k];
        s += "  {\"name\": " + json(g.name).dump() + ", \"M\": " + std::to_string(g.players);
        if (g.kind == GameKind::table) {
            s += ", \"kind\": \"table\",\n   \"v\": " + number_list(g.table);
        } else {
            s += ", \"kind\": \"polynomial\", \"link\": \"";
            s += g.link == GameLink::sigmoid ? "sigmoid" : "identity";
            s += "\", \"bias\": " + number(g.bias) + ",\n   \"w\": " + number_list(g.w) + ",\n   \"pairs\": [";
            for (size_t p = 0; p < g.pairs.size(); ++p)
                s += (p ? ", [" : "[") + std::to_string(g.pairs[p].i) + ", " + std::to_string(g.pairs[p].j) + ", " +
                     number(g.pairs[p].a) + "]";
            s += "]";
        }
        if (!g.phi.empty()) s += ",\n   \"phi\": " + number_list(g.phi);
        if (!g.note.empty()) s += ",\n   \"note\": " + json(g.note).dump();
        s += k + 1 < games.size() ? "},\n" : "}\n";
    }
    return s + "]}\n";
}

// ---- the bench games ---------------------------------------------------------------------

namespace {

// Coefficients are rounded to 4 decimals: the file states the game exactly and stays readable.
double round4(double x) { return std::round(x * 1e4) / 1e4; }

// A photo-like game: 5 strong positive players (the object, w ~ U(0.5, 1.5)), 4 negative
// (distractors, -U(0.3, 1)), the rest weak (N(0, 0.15)); pairwise terms z'Az/50 with
// A_ij ~ N(0,1) (a pair's coefficient is (A_ij + A_ji) / 50). With these ranges shap's sampler
// lands near shap-reference.md's figures (0.101 at 512, 0.0425 at 2148) on the 50-player games.
ShapleyGame photo_like(const std::string& name, int m, GameLink link, double bias, Rng& rng) {
    ShapleyGame g;
    g.name = name, g.players = m, g.link = link, g.bias = bias;
    std::vector<int> order(m);
    std::iota(order.begin(), order.end(), 0);
    shuffle(std::span<int>(order), rng);
    g.w.assign(size_t(m), 0.0);
    for (int k = 0; k < m; ++k) {
        double w = 0.15 * rng.normal();
        if (k < 5)
            w = 0.5 + rng.uniform();
        else if (k < 9)
            w = -(0.3 + 0.7 * rng.uniform());
        g.w[size_t(order[size_t(k)])] = w;
    }
    for (int i = 0; i < m; ++i) {
        g.w[size_t(i)] = round4(g.w[size_t(i)] + rng.normal() / 50);  // A_ii z_i^2 = A_ii z_i
        for (int j = i + 1; j < m; ++j) g.pairs.push_back({i, j, round4((rng.normal() + rng.normal()) / 50)});
    }
    return g;
}

}  // namespace

std::vector<ShapleyGame> make_bench_games(uint64_t seed) {
    Rng rng(seed);
    std::vector<ShapleyGame> games;
    for (const char* name : {"sigmoid-50-a", "sigmoid-50-b", "sigmoid-50-c"})
        games.push_back(photo_like(name, 50, GameLink::sigmoid, -1.5, rng));
    games.push_back(photo_like("quadratic-50-identity", 50, GameLink::identity, 0.1, rng));
    games.push_back(photo_like("sigmoid-16", 16, GameLink::sigmoid, -1.5, rng));
    // A 10-player table: a sigmoid of a quadratic plus a three-way term (players 0, 1, 2 only
    // count together), beyond what a polynomial of degree 2 can say.
    ShapleyGame q = photo_like("table-10", 10, GameLink::sigmoid, -1.0, rng);
    ShapleyGame t;
    t.name = q.name, t.kind = GameKind::table, t.players = 10;
    std::vector<uint8_t> z(10);
    for (uint32_t mask = 0; mask < 1024; ++mask) {
        for (int i = 0; i < 10; ++i) z[size_t(i)] = (mask >> i) & 1;
        const double bonus = (mask & 7) == 7 ? 0.3 : 0.0;
        t.table.push_back(std::round((game_value(q, z) + bonus) * 1e6) / 1e6);
    }
    games.push_back(std::move(t));
    return games;
}

void compute_reference(ShapleyGame& g, int64_t permutations, uint64_t seed) {
    if (Result<std::vector<double>> exact = exact_shapley(g)) {
        g.phi = std::move(*exact);
        g.note = g.kind == GameKind::polynomial && g.link == GameLink::identity
                     ? "phi exact: closed form w_i + sum_j a_ij / 2"
                     : "phi exact: every coalition enumerated";
        return;
    }
    const PermutationShapley p = permutation_shapley(g, permutations, seed);
    double se2 = 0, phi2 = 0;
    for (size_t i = 0; i < p.phi.size(); ++i) se2 += p.std_error[i] * p.std_error[i], phi2 += p.phi[i] * p.phi[i];
    g.phi = p.phi;
    char buf[160];
    std::snprintf(buf, sizeof buf, "phi from %lld antithetic permutations (seed %llu); noise floor %.1e relative L2",
                  (long long)permutations, (unsigned long long)seed, std::sqrt(se2 / phi2));
    g.note = buf;
}

// ---- the benchmark -----------------------------------------------------------------------

Result<ShapBenchResult> bench_kernel_shap(const ShapleyGame& game, KernelShapConfig config, int seeds) {
    if (seeds < 1) return fail("shap bench: seeds must be at least 1");
    std::vector<double> ref = game.phi;
    if (ref.empty()) {
        Result<std::vector<double>> exact = exact_shapley(game);
        if (!exact) return fail(exact.error() + "; give its reference values as \"phi\"");
        ref = std::move(*exact);
    }
    const int m = game.players;
    double ref_norm = 0;
    for (double v : ref) ref_norm += v * v;
    ref_norm = std::sqrt(ref_norm);
    if (!(ref_norm > 0)) return fail("shap bench: game \"" + game.name + "\" has all-zero reference values");
    config.players = m, config.outputs = 1;
    ShapBenchResult out;
    size_t covered = 0;
    std::vector<double> values;
    for (int s = 0; s < seeds; ++s) {
        KernelShapConfig c = config;
        c.seed = config.seed + uint64_t(s);
        Result<KernelShap> shap = KernelShap::create(c);
        if (!shap) return fail(shap.error());
        while (!shap->done()) {
            const CoalitionBatch batch = shap->next_batch();
            values.resize(size_t(batch.rows));
            for (int r = 0; r < batch.rows; ++r)
                values[size_t(r)] = game_value(game, std::span(batch.present).subspan(size_t(r) * m, size_t(m)));
            if (Result<void> ok = shap->add_values(values); !ok) return fail(ok.error());
        }
        const ShapEstimate& e = shap->estimate();
        for (int i = 0; i < m; ++i) {
            const double d = e.phi[size_t(i)] - ref[size_t(i)];
            covered += std::fabs(d) <= 3 * e.std_error[size_t(i)] + 1e-10 * ref_norm;  // rounding
        }
        out.errors.push_back(relative_l2_error(std::span(e.phi).first(size_t(m)), ref));
        out.evaluations += e.evaluations;
    }
    std::vector<double> sorted = out.errors;
    std::sort(sorted.begin(), sorted.end());
    auto quantile = [&](double q) {
        const double pos = q * double(sorted.size() - 1);
        const size_t lo = size_t(pos);
        const size_t hi = std::min(lo + 1, sorted.size() - 1);
        return sorted[lo] + (pos - double(lo)) * (sorted[hi] - sorted[lo]);
    };
    out.median = quantile(0.5);
    out.p90 = quantile(0.9);
    out.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / double(seeds);
    out.coverage = double(covered) / (double(seeds) * m);
    out.evaluations /= seeds;
    return out;
}

}  // namespace sl
