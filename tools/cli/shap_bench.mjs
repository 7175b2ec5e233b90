// tools/cli/shap_bench.mjs: `santa-lens shap-bench`: KernelSHAP's accuracy on games with known
// Shapley values (the loop runs in the core: wasm/bindings/bind_shap.cpp), santa-lens' sampler beside a
// shap-like one; and `--generate`, which writes the games file (tests/shap_games.json).
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { unwrap } from './core.mjs';

export const SHAP_BENCH_HELP = `  santa-lens shap-bench GAMES.json [--budgets 128,256,512,1024,2148] [--seeds 20]
                        [--sampler both|leverage|kernel] [--surrogate auto|linear|logistic]
                        [--batch N] [--json]
      Relative L2 error ||phi^ - phi|| / ||phi|| of KernelSHAP per game and budget (median and
      90th percentile over seeds; coverage: share of values within 3 standard errors), for
      santa-lens' sampler (leverage, surrogate) and a shap-like one (kernel). --batch N streams
      N evaluations per estimate (default: the whole budget at once, as shap solves once).
  santa-lens shap-bench --generate OUT.json [--seed 1] [--permutations 20000000]
      Writes the bench games (tests/shap_games.json) with their reference values: exact where
      possible, else from that many antithetic permutations.`;

function integerList(text, name) {
  const list = text.split(',').map((s) => Number(s.trim()));
  if (!list.length || list.some((x) => !Number.isInteger(x) || x < 2))
    throw new Error(`--${name} wants integers >= 2 separated by commas, not "${text}"`);
  return list;
}

function integer(text, name, min) {
  const x = Number(text);
  if (!Number.isInteger(x) || x < min) throw new Error(`--${name} wants an integer >= ${min}, not "${text}"`);
  return x;
}

function printTable(report, log) {
  const samplers = report.samplers;
  for (const game of report.games) {
    console.log(
      `${game.name} (M=${game.M}, ${game.kind}${game.link ? `, ${game.link}` : ''})${game.note ? `: ${game.note}` : ''}`,
    );
    const head = samplers.map((s) => `${s.padStart(9)}: median     p90  cover3  ms/call`).join(' |');
    console.log(`  budget |${head}`);
    for (const budget of report.budgets) {
      const cells = samplers.map((s) => {
        const r = report.rows.find((x) => x.game === game.name && x.budget === budget && x.sampler === s);
        return `${' '.repeat(11)}${r.median.toFixed(4).padStart(6)} ${r.p90.toFixed(4).padStart(7)} ${r.coverage.toFixed(2).padStart(7)} ${r.ms_per_call.toFixed(1).padStart(8)}`;
      });
      console.log(`  ${String(budget).padStart(6)} |${cells.join(' |')}`);
    }
  }
  log(`${report.seeds} seeds; ${report.machine}`);
}

export async function shapBenchCommand(core, args, { log }) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      budgets: { type: 'string' },
      seeds: { type: 'string' },
      sampler: { type: 'string' },
      surrogate: { type: 'string' },
      batch: { type: 'string' },
      json: { type: 'boolean' },
      generate: { type: 'string' },
      seed: { type: 'string' },
      permutations: { type: 'string' },
    },
  });
  if (values.generate) {
    const seed = integer(values.seed ?? '1', 'seed', 0);
    const permutations = integer(values.permutations ?? '20000000', 'permutations', 2);
    const start = performance.now();
    const { json } = unwrap(core.shapGames(seed, permutations), 'shap-bench --generate');
    fs.writeFileSync(values.generate, json);
    log(`wrote ${values.generate} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    return 0;
  }
  if (positionals.length !== 1) throw new Error('shap-bench needs one games file (or --generate OUT.json)');
  const file = positionals[0];
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${e.message}`);
  }
  const budgets = integerList(values.budgets ?? '128,256,512,1024,2148', 'budgets');
  const seeds = integer(values.seeds ?? '20', 'seeds', 1);
  const sampler = values.sampler ?? 'both';
  if (!['both', 'leverage', 'kernel'].includes(sampler))
    throw new Error(`--sampler wants both, leverage or kernel, not "${sampler}"`);
  const surrogate = values.surrogate ?? 'auto';
  const batchSize = integer(values.batch ?? '0', 'batch', 0);
  const samplers = sampler === 'both' ? ['leverage', 'kernel'] : [sampler];

  const report = {
    file,
    seeds,
    budgets,
    samplers,
    surrogate,
    batch: batchSize || 'budget',
    machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, WebAssembly in Node ${process.version}`,
    games: [],
    rows: [],
  };
  // One short run first, so that the timings below measure compiled code, not the warm-up.
  unwrap(core.shapBench(text, [budgets[0]], 1, { sampler: samplers[0], surrogate, batchSize }), file);
  for (const s of samplers) {
    const result = unwrap(
      core.shapBench(text, budgets, seeds, {
        sampler: s,
        surrogate,
        batchSize,
        onRow: (r) => log(`${s} ${r.game} ${r.budget}: median ${r.median.toFixed(4)} (${r.msPerCall.toFixed(1)} ms per call)`),
      }),
      file,
    );
    report.games = result.games;
    for (const r of result.rows) {
      report.rows.push({
        game: r.game,
        M: r.M,
        sampler: s,
        surrogate: s === 'kernel' ? 'none' : surrogate,
        budget: r.budget,
        median: r.median,
        p90: r.p90,
        mean: r.mean,
        coverage: r.coverage,
        evaluations: r.evaluations,
        ms_per_call: r.msPerCall,
      });
    }
  }
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else printTable(report, log);
  return 0;
}
