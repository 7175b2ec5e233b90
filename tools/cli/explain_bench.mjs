// tools/cli/explain_bench.mjs: `santa-lens explain-bench`: how good the explanations are on real
// photos (issue 8), per explainer config, beside a shap-like baseline from the same run:
// faithfulness (deletion and insertion curves, one fill for every config: a blur), stability
// (seed 1 against seed 2), error against exact Shapley values on a coarse segmentation and against
// the exact value of what the config estimates (for Owen values: every split made), the
// off-manifold rate, time and evaluations. All values compared are those of the class the model
// predicts for the photo. The maths are the core's (core/faithfulness.h,
// core/explanation_metrics.h, core/masking.h through wasm/bind_masking.cpp); the explanations run
// through explain.mjs's loop on one onnxruntime-node session (remembering its outputs on the
// coarse segmentation, which several runs share: memo_session.mjs). This file only moves data.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { unwrap } from './core.mjs';
import { runExplainer } from './explain.mjs';
import { memoSession } from './memo_session.mjs';
import { runTensor } from './inference.mjs';
import { openModel } from './model.mjs';
import { numberOption } from './options.mjs';
import { everyKth, listLabelledPhotos, readPhoto } from './photos.mjs';
import { rounder } from './figures.mjs';

export const EXPLAIN_BENCH_HELP = `  santa-lens explain-bench DIR... [--photos 20] [--budgets 512,...] [--configs NAME,...]
                           [--segments N] [--compactness C] [--exact-segments 8]
                           [--reference-budget N] [--baseline-budget 2148] [--json]
      How good the explanations are, per config and budget, averaged over --photos photos of
      each class (DIR/person, DIR/santa; spread over the DIRs, every k-th by name), beside the
      shap-like baseline (kernel, shap's sampler, probability, mean fill, 2148 evaluations):
      faithfulness (insertion - deletion AUC, fill: blur), stability (seed 1 vs 2: Spearman,
      top-5 share), error against exact Shapley values on --exact-segments superpixels and
      against the exact value of the config's own estimator there (Owen values: every split
      made; KernelSHAP: the Shapley value), off-manifold rate (all photos, person photos),
      seconds and evaluations per photo. The baseline runs
      one seed (its stability is not a target; 2,148 more evaluations per photo). A config is named
      estimator/fill/output (owen|kernel / mean|blur / probability|log-odds) or "default" (the
      core's defaults); default: default and four alternatives. --segments, --compactness:
      superpixels asked of SLIC and their shape (default: the core's; the coarse segmentation
      has the same compactness). --reference-budget: also run each config (not the baseline)
      to N evaluations on the same superpixels (Owen: the same top groups; no early stop) and
      report how far its values are from that longer run's (relative L2, Spearman): how near
      convergence the budget is where exact values are out of reach (the shorter run's inputs
      are remembered for it: a few percent more seconds per photo). --baseline-budget: for
      quick checks only (the baseline is defined at 2148). The random order's faithfulness is
      the floor to beat.`;

export const METRIC_FILL = 'blur';  // the deletion and insertion curves' fill, whatever the explainer's
const BATCH_SIZE = 32;
const MAX_EXACT_SEGMENTS = 12;     // 2^12 model runs per photo at most for the exact values
const OWEN_EVERY_SPLIT = 2 ** 16;  // a budget no Owen run on 12 superpixels exhausts
export const BASELINE = {
  name: 'shap-like', default: false, budget: 2148,
  options: { estimator: 'kernel', sampler: 'shap', output: 'probability', background: 'mean' },
};
export const DEFAULT_CONFIGS = ['default', 'owen/blur/log-odds', 'owen/blur/probability', 'kernel/blur/log-odds', 'kernel/mean/probability'];

// A config's explainer options from its name: estimator/fill/output.
function configOptions(name) {
  const [estimator, background, output, ...rest] = name.split('/');
  if (rest.length || !['owen', 'kernel'].includes(estimator) || !['mean', 'blur'].includes(background)
      || !['probability', 'log-odds'].includes(output)) {
    throw new Error(`--configs: "${name}" is not default or estimator/fill/output (owen|kernel, mean|blur, probability|log-odds)`);
  }
  return { estimator, background, output, ...(estimator === 'kernel' ? { sampler: 'leverage' } : {}) };
}

// The name of the config the core applied (settings() of an explainer made without options).
function settingsName(s) {
  return s.estimator && s.background && s.output ? `${s.estimator}/${s.background}/${s.output}` : 'default';
}

// [{name, default, budget, options}]: `names` crossed with `budgets`, duplicates of the default
// dropped, then the baseline (at `baselineBudget` evaluations).
function expandConfigs(names, budgets, defaultName, baselineBudget) {
  const seen = new Set();
  const configs = [];
  for (const raw of names) {
    const name = raw === 'default' ? defaultName : raw;
    const options = raw === 'default' ? {} : configOptions(raw);
    if (seen.has(name)) continue;
    seen.add(name);
    for (const budget of budgets) configs.push({ name, default: name === defaultName, budget, options });
  }
  return [...configs, { ...BASELINE, budget: baselineBudget }];
}

// `perClass` photos of each class: spread evenly over the folders that have the class, and
// within a folder every k-th by name. Throws for a folder with no photos in any class folder.
export function benchPhotos(roots, labels, perClass) {
  const lists = roots.map((root) => listLabelledPhotos(root, labels));
  return labels.flatMap((_, label) => {
    const holders = lists.map((list) => list.filter((p) => p.label === label)).filter((list) => list.length > 0);
    return holders.flatMap((mine, i) => everyKth(mine, Math.floor(perClass / holders.length) + (i < perClass % holders.length ? 1 : 0)));
  });
}

const argmax = (xs) => xs.reduce((best, x, i) => (x > xs[best] ? i : best), 0);
const mean = (xs) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
const round = rounder(4);
const sameLabels = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

// Figures of one config averaged over rows (one per photo).
function summarise(rows) {
  const of = (key) => rows.map((r) => r[key]).filter((x) => x !== null && x !== undefined);
  return {
    photos: rows.length,
    faithfulness: { deletion: round(mean(of('deletion'))), insertion: round(mean(of('insertion'))), difference: round(mean(of('difference'))) },
    stability: { spearman: round(mean(of('spearman'))), top5: round(mean(of('top5'))) },
    exact_error: round(mean(of('exactError'))),
    estimation_error: round(mean(of('estimationError'))),
    exact_photos: of('exactError').length,
    reference_error: round(mean(of('referenceError'))),
    reference_spearman: round(mean(of('referenceSpearman'))),
    off_manifold: round(mean(of('offManifold'))),
    seconds_per_photo: round(mean(of('seconds'))),
    evaluations_per_photo: round(mean(of('evaluations'))),
  };
}

export async function explainBench(core, roots, {
  photos = 20, budgets = [512], configs = DEFAULT_CONFIGS, segments, compactness, exactSegments = 8, baselineBudget = BASELINE.budget,
  referenceBudget = 0, log = () => {},
} = {}) {
  const started = performance.now();
  const { card: { text: cardJson, info: card }, session } = await openModel(core);
  const classes = card.labels.length;
  const items = benchPhotos(roots, card.labels, photos);
  let plan = null;         // the configs, once the first photo has told the default's name
  let requested = null;    // {segments, compactness} asked of SLIC, as the core applied them
  const shape = compactness === undefined ? {} : { compactness };
  const slic = segments === undefined ? shape : { segments, ...shape };
  const rows = new Map();  // config index -> per-photo rows
  const skipped = [];
  const floor = [];        // per photo: the faithfulness of a random order (what an explanation must beat)
  let exactSkipped = 0;
  let offManifoldMissing = false;

  // Runs an explainer to the end on `on` (a session): its figures, and `keep(explainer)`'s
  // (before it is freed); not at all when `skip(explainer)` says so ({skipped: true, kept}).
  const explainPhoto = async (bytes, options, { keep = () => null, on = session, skip = () => false } = {}) => {
    const explainer = unwrap(core.createExplainer(bytes, cardJson, { batchSize: BATCH_SIZE, ...options }));
    try {
      if (skip(explainer)) return { skipped: true, kept: keep(explainer) };
      const { loopMs } = await runExplainer(explainer, on, card);
      const e = explainer.estimate();
      return { e, settings: explainer.settings(), seconds: loopMs / 1000, kept: keep(explainer) };
    } finally {
      explainer.delete();
    }
  };

  // The class's probability along the deletion and insertion curves of `order` (blur fill).
  const faithfulness = async (masker, order, cls) => {
    const { rows: n, present } = unwrap(core.faithfulnessCoalitions(order));
    const m = order.length;
    const curves = [];
    for (let r = 0; r < n; r += BATCH_SIZE) {
      const count = Math.min(BATCH_SIZE, n - r);
      const x = unwrap(masker.maskedInputs(present.subarray(r * m, (r + count) * m), count));
      const p = unwrap(masker.classProbabilities(await runTensor(session, card, x, count)));
      for (let i = 0; i < count; ++i) curves.push(p[i * classes + cls]);
    }
    return unwrap(core.faithfulness(curves));
  };

  // Exact Shapley values (per class) on --exact-segments superpixels, by enumerating every
  // coalition (KernelSHAP does when the budget covers 2^M), with `units`' fill and output; null
  // values when SLIC gives too many superpixels. count: how many it gave.
  const exactValues = async (bytes, units, on) => {
    const options = { ...units, ...shape, estimator: 'kernel', segments: exactSegments, budget: 2 ** MAX_EXACT_SEGMENTS, tolerance: 0 };
    const count = (ex) => ex.segmentation().count;
    const run = await explainPhoto(bytes, options, { on, keep: count, skip: (ex) => count(ex) > MAX_EXACT_SEGMENTS });
    return { values: !run.skipped && run.e.exact ? run.e.phi : null, count: run.kept };
  };

  try {
    for (const [index, item] of items.entries()) {
      const where = `[${index + 1}/${items.length}] ${path.relative('.', item.file)}`;
      const read = readPhoto(item.file);
      const probe = read.error ? read : core.createExplainer(read.bytes, cardJson, { ...slic, budget: 2 });
      if (probe.error) {
        log(`${where}: skipped: ${probe.error}`);
        skipped.push({ file: item.file, error: probe.error });
        continue;
      }
      const defaultName = settingsName(probe.settings());
      requested ??= { segments: probe.settings().segments, compactness: probe.settings().compactness };
      probe.delete();
      plan ??= expandConfigs(configs, budgets, defaultName, baselineBudget);

      let masker = null;         // blur fill on the explainer's segmentation: {labels, masker}
      const exact = new Map();   // fill|output -> exact values on the coarse segmentation, or null
      const coarseSession = memoSession(session, card);  // this photo's coarse segmentation's runs
      const fineSession = referenceBudget ? memoSession(session, card) : session;  // the runs a --reference-budget run repeats
      try {
        for (const [c, config] of plan.entries()) {
          const options = { ...config.options, ...slic, budget: config.budget };
          const one = await explainPhoto(read.bytes, { ...options, seed: 1 }, { keep: (ex) => ex.segmentation(), on: fineSession });
          const two = config.name === BASELINE.name ? null : await explainPhoto(read.bytes, { ...options, seed: 2 });
          const cls = argmax(one.e.fX);
          const phi = one.e.phi[cls];
          if (!masker || !sameLabels(masker.labels, one.kept.labels)) {
            masker?.masker.delete();
            masker = { labels: one.kept.labels, masker: unwrap(core.createMasker(read.bytes, cardJson, one.kept, METRIC_FILL)) };
          }
          const f = await faithfulness(masker.masker, unwrap(core.valueOrder(phi)), cls);
          if (c === 0) floor.push({ label: item.label, ...await faithfulness(masker.masker, unwrap(core.randomOrder(phi.length, index + 1)), cls) });

          // Exact values by enumeration on a coarse segmentation, in the config's own units.
          const units = { background: one.settings.background, output: one.settings.output };
          const key = `${units.background}|${units.output}`;
          if (!exact.has(key)) {
            const { values, count } = await exactValues(read.bytes, units, coarseSession);
            if (!values && exact.size === 0) {
              ++exactSkipped;
              log(`${where}: no exact values (${count} superpixels at --exact-segments ${exactSegments}, at most ${MAX_EXACT_SEGMENTS})`);
            }
            exact.set(key, values);
          }
          // The config itself on the coarse segmentation (where its budget covers every coalition,
          // both estimators enumerate them: measured, not assumed), against the Shapley values and
          // against its own estimator's exact values: KernelSHAP estimates the Shapley values;
          // Owen values (the same top, every split made) differ from them where regions interact
          // across the hierarchy's groups, whatever the budget.
          const coarseOptions = { ...options, seed: 1, segments: exactSegments };
          const coarse = exact.get(key) ? await explainPhoto(read.bytes, coarseOptions, { on: coarseSession }) : null;
          const shapley = coarse ? exact.get(key)[cls] : null;
          const exactError = coarse ? unwrap(core.relativeL2Error(coarse.e.phi[cls], shapley)) : null;
          let own = shapley;  // also an Owen run that enumerated every coalition (its top is every superpixel)
          if (coarse && !coarse.e.exact && coarse.settings.estimator === 'owen') {
            const full = await explainPhoto(read.bytes, { ...coarseOptions, topGroups: coarse.settings.topGroups, budget: OWEN_EVERY_SPLIT, tolerance: 0 }, { on: coarseSession });
            own = full.e.evaluations + 2 <= OWEN_EVERY_SPLIT ? full.e.phi[cls] : null;
          }
          const estimationError = own ? unwrap(core.relativeL2Error(coarse.e.phi[cls], own)) : null;

          // The same config run much longer: how far the budget's values are from where it goes.
          let referenceError = null, referenceSpearman = null;
          if (referenceBudget > config.budget && config.name !== BASELINE.name) {
            const long = await explainPhoto(read.bytes, { ...options, seed: 1, budget: referenceBudget, tolerance: 0, topGroups: one.settings.topGroups }, { on: fineSession });
            referenceError = unwrap(core.relativeL2Error(phi, long.e.phi[cls]));
            referenceSpearman = unwrap(core.spearman(phi, long.e.phi[cls]));
          }

          if (one.e.offManifold === undefined) offManifoldMissing = true;
          const row = {
            label: item.label, cls, ...f,
            spearman: two ? unwrap(core.spearman(phi, two.e.phi[cls])) : null,
            top5: two ? unwrap(core.topKShare(phi, two.e.phi[cls], 5)) : null,
            exactError, estimationError, referenceError, referenceSpearman,
            offManifold: one.e.offManifold ?? null, seconds: one.seconds, evaluations: one.e.evaluations,
          };
          if (!rows.has(c)) rows.set(c, []);
          rows.get(c).push(row);
          const pct = (x) => (x === null ? '-' : `${(100 * x).toFixed(0)}%`);
          const fixed = (x) => (x === null ? '-' : x.toFixed(3));
          log(`${where}: ${config.name} @${config.budget}: ${card.labels[cls]}, difference ${f.difference.toFixed(3)}, `
            + `Spearman ${row.spearman === null ? '-' : row.spearman.toFixed(2)}, top-5 ${pct(row.top5)}, `
            + `exact error ${fixed(exactError)} (own ${fixed(estimationError)}), `
            + (referenceBudget ? `from @${referenceBudget} ${fixed(referenceError)} (Spearman ${fixed(referenceSpearman)}), ` : '')
            + `off-manifold ${pct(row.offManifold)}, ${row.evaluations} evaluations in ${row.seconds.toFixed(1)} s`);
        }
      } finally {
        masker?.masker.delete();
      }
    }
  } finally {
    await session.release();
  }
  if (!plan) throw new Error(`no readable photos in ${roots.join(', ')}`);
  if (offManifoldMissing) log('explain-bench: this core gives no offManifold in estimate(): off-manifold rates are null');

  const person = card.labels.indexOf('person');
  const measured = rows.get(0) ?? [];
  return {
    photos: measured.length, metric_fill: METRIC_FILL, model: card.name, ...requested, exact_segments: exactSegments,
    reference_budget: referenceBudget || null,
    exact_skipped: exactSkipped, skipped,
    photos_by_class: Object.fromEntries(card.labels.map((l, i) => [l, measured.filter((r) => r.label === i).length])),
    seconds_total: round((performance.now() - started) / 1000),
    random_order: summarise(floor).faithfulness,
    configs: plan.map((config, c) => {
      const mine = rows.get(c) ?? [];
      return {
        name: config.name, default: config.default, budget: config.budget, options: config.options, ...summarise(mine),
        off_manifold_person: person < 0 ? null : summarise(mine.filter((r) => r.label === person)).off_manifold,
        by_class: Object.fromEntries(card.labels.map((l, i) => [l, summarise(mine.filter((r) => r.label === i))])),
      };
    }),
  };
}

function printTable(report) {
  const cell = (x, width, digits = 3) => (x === null ? '-' : x.toFixed(digits)).padStart(width);
  const label = (c) => c.name + (c.default ? ' (default)' : '');
  const w = Math.max(20, ...report.configs.map((c) => label(c).length));
  console.log(`${report.photos} photos (${Object.entries(report.photos_by_class).map(([l, n]) => `${n} ${l}`).join(', ')}); `
    + `faithfulness fill: ${report.metric_fill}; exact values on ${report.exact_segments} segments `
    + `(${report.exact_skipped} photos skipped)${report.reference_budget ? `; long: from the same config at ${report.reference_budget}` : ''}; `
    + `${report.seconds_total} s in all`);
  console.log(`${'config'.padEnd(w)} ${'budget'.padStart(6)} ${'deletion'.padStart(8)} ${'insert'.padStart(8)} ${'diff'.padStart(7)} `
    + `${'Spearman'.padStart(8)} ${'top-5'.padStart(6)} ${'exact'.padStart(6)} ${'own'.padStart(6)} ${'long'.padStart(6)} ${'off'.padStart(6)} ${'person'.padStart(6)} ${'s/photo'.padStart(7)} ${'evals'.padStart(6)}`);
  const floor = report.random_order;
  console.log(`${'random order (floor)'.padEnd(w)} ${'-'.padStart(6)} ${cell(floor.deletion, 8)} ${cell(floor.insertion, 8)} ${cell(floor.difference, 7)}`);
  for (const c of report.configs) {
    console.log(`${label(c).padEnd(w)} ${String(c.budget).padStart(6)} `
      + `${cell(c.faithfulness.deletion, 8)} ${cell(c.faithfulness.insertion, 8)} ${cell(c.faithfulness.difference, 7)} `
      + `${cell(c.stability.spearman, 8)} ${cell(c.stability.top5, 6, 2)} ${cell(c.exact_error, 6)} ${cell(c.estimation_error, 6)} ${cell(c.reference_error, 6)} `
      + `${cell(c.off_manifold, 6)} ${cell(c.off_manifold_person, 6)} ${cell(c.seconds_per_photo, 7, 2)} ${cell(c.evaluations_per_photo, 6, 0)}`);
  }
}

function integerList(text, name, min) {
  const list = text.split(',').map((s) => Number(s.trim()));
  if (list.some((x) => !Number.isInteger(x) || x < min)) throw new Error(`--${name} wants integers >= ${min} separated by commas, not "${text}"`);
  return list;
}

function integer(text, name, min, max = Infinity) {
  const x = Number(text);
  if (!Number.isInteger(x) || x < min || x > max) throw new Error(`--${name} wants an integer from ${min}${max < Infinity ? ` to ${max}` : ''}, not "${text}"`);
  return x;
}

export async function explainBenchCommand(core, args, { log }) {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      photos: { type: 'string' }, budgets: { type: 'string' }, configs: { type: 'string' }, segments: { type: 'string' }, compactness: { type: 'string' },
      'exact-segments': { type: 'string' }, 'reference-budget': { type: 'string' }, 'baseline-budget': { type: 'string' }, json: { type: 'boolean' },
    },
  });
  if (positionals.length === 0) throw new Error('explain-bench needs at least one folder with person/ and/or santa/');
  const configs = values.configs ? values.configs.split(',').map((s) => s.trim()) : DEFAULT_CONFIGS;
  const compactness = numberOption(values.compactness, 'compactness');
  if (compactness <= 0) throw new Error(`--compactness wants a number above 0, not "${values.compactness}"`);  // before any photo is skipped for it
  for (const name of configs) if (name !== 'default') configOptions(name);  // a bad name fails before any work
  const report = await explainBench(core, positionals, {
    photos: integer(values.photos ?? '20', 'photos', 1),
    budgets: integerList(values.budgets ?? '512', 'budgets', 2),
    configs,
    segments: values.segments === undefined ? undefined : integer(values.segments, 'segments', 1),
    compactness,
    exactSegments: integer(values['exact-segments'] ?? '8', 'exact-segments', 1, MAX_EXACT_SEGMENTS),
    baselineBudget: integer(values['baseline-budget'] ?? String(BASELINE.budget), 'baseline-budget', 2),
    referenceBudget: values['reference-budget'] === undefined ? 0 : integer(values['reference-budget'], 'reference-budget', 2),
    log,
  });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else printTable(report);
  return 0;
}
