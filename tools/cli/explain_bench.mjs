// tools/cli/explain_bench.mjs: `santa-lens explain-bench`: how good the explanations are on real
// photos, per explainer config and budget: how far from high-precision Shapley values of the same
// game (reference.mjs: their precision measured, comparisons also given with it taken out), how
// faithful (deletion and insertion curves, one fill for every config: a blur), how stable (the
// same photo again, and another seed), how honest the "settled" marks are, and how long. The
// photos come from the test folders split in two: the even-numbered photos of each class and
// folder are for tuning, the odd-numbered ones (--holdout) are held back from every choice and
// reported apart. The maths are the core's (core/explain/explanation_metrics.h, core/explain/faithfulness.h,
// core/explain/masking.h); the explanations run through explain.mjs's loop on one onnxruntime-node
// session. This file only moves data.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { unwrap } from './core.mjs';
import { runExplainer } from './explain.mjs';
import { memoSession } from './memo_session.mjs';
import { runTensor } from './inference.mjs';
import { amortizedOptions, cardModelFile, openModel } from './model.mjs';
import { REFERENCE_DEFAULTS, referenceValues } from './reference.mjs';
import { everyKth, listLabelledPhotos, readPhoto } from './photos.mjs';
import { rounder } from './figures.mjs';

export const EXPLAIN_BENCH_HELP = `  santa-lens explain-bench DIR... [--photos 12] [--holdout] [--budgets 0,64,512]
                           [--configs NAME,...] [--reference 16384] [--segments N]
                           [--compactness C] [--json]
      How good the explanations are, per config and budget, as medians over --photos photos of
      each class (DIR/person, DIR/santa; spread over the DIRs, every k-th by name among the
      even-numbered photos, or the odd-numbered ones with --holdout: those are kept out of every
      choice). Against high-precision Shapley values of the photo's game (--reference N model
      runs per photo, cached in .cache/reference; 0: none): relative L2 (also with the
      reference's own noise taken out), Spearman, top-5 share, sign agreement by area, the share
      of the photo marked settled and how often a settled sign is right. Also faithfulness
      (insertion - deletion, fill: blur), stability (the same photo again; another seed) and
      seconds per photo. A config is named estimator/fill/output (amortized|owen|kernel /
      mean|blur / probability|log-odds; amortized may add /priorError=N, /interaction=N over the
      card's), "default" (the core's defaults) or "shap-like"
      (KernelSHAP with shap's sampler, mean fill, probabilities, 2,148 runs: the baseline).
      Budget 0 is the amortized explainer's prediction alone (the two runs the prediction needs).`;

export const METRIC_FILL = 'blur';
const BATCH_SIZE = 32;
export const BASELINE = {
  name: 'shap-like',
  budget: 2148,
  options: { estimator: 'kernel', sampler: 'shap', output: 'probability', background: 'mean' },
};
export const DEFAULT_CONFIGS = ['default', 'owen/blur/log-odds', 'kernel/blur/log-odds'];
export const DEFAULT_BUDGETS = [0, 64, 512];

// The amortized estimator's settings a config may set after its name (core/explain/prior_shap.h), over
// the card's: amortized/blur/log-odds/interaction=4.
const PRIOR_SETTINGS = ['priorError', 'interaction'];

// A config's prior settings from the parts after estimator/fill/output, or null if one is not
// key=number with a known key.
function priorSettings(parts) {
  const out = {};
  for (const part of parts) {
    const [key, value, ...more] = part.split('=');
    if (more.length || !PRIOR_SETTINGS.includes(key) || !(Number(value) > 0)) return null;
    out[key] = Number(value);
  }
  return out;
}

// A config's explainer options from its name: estimator/fill/output[/key=value...].
function configOptions(name) {
  if (name === BASELINE.name) return BASELINE.options;
  const [estimator, background, output, ...rest] = name.split('/');
  const prior = priorSettings(rest);
  if (
    !prior ||
    (rest.length && estimator !== 'amortized') ||
    !['amortized', 'owen', 'kernel'].includes(estimator) ||
    !['mean', 'blur'].includes(background) ||
    !['probability', 'log-odds'].includes(output)
  ) {
    throw new Error(
      `--configs: "${name}" is not default, shap-like or estimator/fill/output (amortized|owen|kernel, mean|blur, probability|log-odds), ` +
        `then for amortized any of /${PRIOR_SETTINGS.map((k) => `${k}=N`).join(', /')}`,
    );
  }
  return { estimator, background, output, ...(estimator === 'kernel' ? { sampler: 'leverage' } : {}), ...prior };
}

// A config's name: estimator/fill/output, then the prior settings it sets (a config's options
// have them only when its name gave them).
const gameName = (s) => `${s.estimator}/${s.background}/${s.output}`;
const settingsName = (options) =>
  [gameName(options), ...PRIOR_SETTINGS.filter((k) => k in options).map((k) => `${k}=${options[k]}`)].join('/');
const priorOf = (options) => Object.fromEntries(PRIOR_SETTINGS.filter((k) => k in options).map((k) => [k, options[k]]));

// `perClass` photos of each class from the tuning half (even positions in each folder's sorted
// class list) or the held-out half (odd positions), spread over the folders that have the class.
export function benchPhotos(roots, labels, perClass, { holdout = false } = {}) {
  const lists = roots.map((root) => listLabelledPhotos(root, labels));
  return labels.flatMap((_, label) => {
    const holders = lists
      .map((list) => list.filter((p) => p.label === label).filter((_p, i) => i % 2 === (holdout ? 1 : 0)))
      .filter((list) => list.length > 0);
    return holders.flatMap((mine, i) =>
      everyKth(mine, Math.floor(perClass / holders.length) + (i < perClass % holders.length ? 1 : 0)),
    );
  });
}

const argmax = (xs) => xs.reduce((best, x, i) => (x > xs[best] ? i : best), 0);
const round = rounder(4);
export function median(xs) {
  const s = xs.filter((x) => x !== null && x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// The model, its card and what the amortized estimator needs from it.
export async function openBenchModel(core) {
  const opened = await openModel(core);
  return { ...opened, file: cardModelFile(opened.card), amortized: amortizedOptions(opened.card) };
}

// The options of `config` at `budget` for createExplainer.
function explainerOptions(model, config, budget, extra) {
  return {
    ...config.options,
    ...extra,
    ...(config.estimator === 'amortized' ? { ...model.amortized, ...priorOf(config.options) } : {}),
    budget,
    batchSize: BATCH_SIZE,
  };
}

// Per-superpixel share of the photo's area, from the explainer's segmentation.
function areaShares(seg) {
  const area = new Float64Array(seg.count);
  for (const l of seg.labels) area[l] += 1;
  return Array.from(area, (a) => a / seg.labels.length);
}

// How the values `phi` (and their settled marks) compare with the reference.
function toReference(core, phi, unsettled, area, ref, precision) {
  const relL2 = unwrap(core.relativeL2Error(phi, ref));
  let agree = 0,
    settled = 0,
    settledRight = 0;
  phi.forEach((v, k) => {
    const same = Math.sign(v) === Math.sign(ref[k]);
    if (same) agree += area[k];
    if (!unsettled[k]) {
      settled += area[k];
      if (same) settledRight += area[k];
    }
  });
  return {
    rel_l2: relL2,
    rel_l2_denoised: Math.sqrt(Math.max(0, relL2 ** 2 - precision ** 2)),
    spearman: unwrap(core.spearman(phi, ref)),
    top5: unwrap(core.topKShare(phi, ref, 5)),
    sign_area: agree,
    settled_share: settled,
    settled_correct: settled > 0 ? settledRight / settled : null,
  };
}

// Explains one photo with the options on `on` (a session); its values, marks and time.
async function explainOnce(core, model, bytes, options, on) {
  const explainer = unwrap(core.createExplainer(bytes, model.card.text, options));
  try {
    const { loopMs } = await runExplainer(explainer, on, model.card.info);
    const e = explainer.estimate();
    return { e, seg: explainer.segmentation(), settings: explainer.settings(), seconds: loopMs / 1000 };
  } finally {
    explainer.delete();
  }
}

// insertion - deletion of the class's probability along the values' order (blur fill).
async function faithfulness(core, model, masker, phi, cls) {
  const order = unwrap(core.valueOrder(phi));
  const { rows: n, present } = unwrap(core.faithfulnessCoalitions(order));
  const m = order.length;
  const classes = model.card.info.labels.length;
  const curves = [];
  for (let r = 0; r < n; r += BATCH_SIZE) {
    const count = Math.min(BATCH_SIZE, n - r);
    const x = unwrap(masker.maskedInputs(present.subarray(r * m, (r + count) * m), count));
    const p = unwrap(masker.classProbabilities(await runTensor(model.session, model.card.info, x, count)));
    for (let i = 0; i < count; ++i) curves.push(p[i * classes + cls]);
  }
  return unwrap(core.faithfulness(curves));
}

// The configs crossed with the budgets that apply to them (budgets under 4 only for the
// amortized estimator: its prediction alone), then the baseline if asked for.
function plan(configs, budgets, defaultSettings) {
  const seen = new Set();
  const out = [];
  for (const raw of configs) {
    const options = raw === 'default' ? {} : configOptions(raw);
    const name = raw === 'default' ? gameName(defaultSettings) : raw === BASELINE.name ? raw : settingsName(options);
    if (seen.has(name)) continue;
    seen.add(name);
    const estimator = raw === 'default' ? defaultSettings.estimator : options.estimator;
    const budgetList = raw === BASELINE.name ? [BASELINE.budget] : budgets.filter((b) => b >= 4 || estimator === 'amortized');
    const isDefault = name === gameName(defaultSettings);
    const game = raw === 'default' ? defaultSettings : { ...defaultSettings, ...options };
    for (const budget of budgetList) out.push({ name, default: isDefault, budget, options, estimator, game });
  }
  return out;
}

// A photo's game as the core resolves it, the class the model predicts (the values compared are
// that class's) and, with referenceBudget > 0, the game's reference values (cached).
export async function photoReference(core, model, bytes, shape, referenceBudget, log = () => {}) {
  const probe = core.createExplainer(bytes, model.card.text, { ...shape, budget: 2 });
  if (probe.error) return { error: probe.error };
  const game = probe.settings();
  probe.delete();
  const { tensor } = unwrap(core.imageTensor(bytes, model.card.text));
  const scores = await runTensor(model.session, model.card.info, tensor, 1);
  const cls = argmax(model.card.info.outputsPerImage === 1 ? [1 - scores[0], scores[0]] : Array.from(scores));
  const gameKey = {
    segments: game.segments,
    compactness: game.compactness,
    sigma: game.sigma,
    displayMaxSide: game.displayMaxSide,
    background: game.background,
    output: game.output,
  };
  const ref =
    referenceBudget > 0
      ? await referenceValues(core, model, bytes, gameKey, [cls], { ...REFERENCE_DEFAULTS, budget: referenceBudget }, { log })
      : null;
  return { game, cls, ref };
}

// One photo: the reference, then every config and budget.
// One config on one photo: faithfulness, stability (the same seed again, another seed) and the
// distance to the reference where the config plays the reference's game.
async function benchConfig(core, model, bytes, config, shape, { game, cls, ref, label, masker }) {
  // Its own memory of the model's answers: timed as a first run, then asked again.
  const memo = memoSession(model.session, model.card.info);
  const options = explainerOptions(model, config, config.budget, shape);
  const one = await explainOnce(core, model, bytes, { ...options, seed: 1 }, memo);
  const again = await explainOnce(core, model, bytes, { ...options, seed: 1 }, memo); // the same photo again
  const samples = config.estimator !== 'owen' && config.name !== BASELINE.name;
  const two = samples ? await explainOnce(core, model, bytes, { ...options, seed: 2 }, model.session) : null;
  const phi = one.e.phi[cls];
  masker.value ??= unwrap(core.createMasker(bytes, model.card.text, one.seg, METRIC_FILL));
  const f = await faithfulness(core, model, masker.value, phi, cls);
  const sameGame = config.game.background === game.background && config.game.output === game.output;
  return {
    label,
    cls,
    difference: f.difference,
    deletion: f.deletion,
    insertion: f.insertion,
    identical: one.e.phi.every((v, c) => v.every((x, k) => x === again.e.phi[c][k])),
    spearman: two ? unwrap(core.spearman(phi, two.e.phi[cls])) : 1,
    top5: two ? unwrap(core.topKShare(phi, two.e.phi[cls], 5)) : 1,
    seconds: one.seconds,
    evaluations: one.e.evaluations,
    to_reference:
      ref && sameGame
        ? toReference(core, phi, one.e.unsettled[cls], areaShares(one.seg), ref.phi[cls], ref.precision[cls])
        : null,
    precision: ref ? ref.precision[cls] : null,
  };
}

// One line of progress for a config's row.
function describeRow(config, row) {
  const t = row.to_reference;
  return (
    `  ${config.name} @${config.budget}: ${row.evaluations} evaluations in ${row.seconds.toFixed(1)} s; faithfulness ${row.difference.toFixed(3)}` +
    (t
      ? `; to the reference: rel. L2 ${t.rel_l2.toFixed(3)} (denoised ${t.rel_l2_denoised.toFixed(3)}), Spearman ${t.spearman.toFixed(2)}, ` +
        `top-5 ${(100 * t.top5).toFixed(0)}%, sign ${(100 * t.sign_area).toFixed(0)}%, settled ${(100 * t.settled_share).toFixed(0)}% ` +
        `(${t.settled_correct === null ? '-' : `${(100 * t.settled_correct).toFixed(0)}%`} right)`
      : '')
  );
}

// Every config on one photo, after its reference.
async function benchPhoto(core, model, item, configs, shape, referenceBudget, log) {
  const read = readPhoto(item.file);
  if (read.error) return { error: read.error };
  const { error, game, cls, ref } = await photoReference(core, model, read.bytes, shape, referenceBudget, (m) => log(`  ${m}`));
  if (error) return { error };
  if (ref)
    log(
      `  reference: ${ref.evaluations} evaluations, precision ${ref.precision[cls].toFixed(3)}${ref.cached ? ' (cached)' : ` in ${ref.seconds.toFixed(0)} s`}`,
    );
  const masker = { value: null }; // the faithfulness masks, made once per photo
  const rows = [];
  try {
    for (const config of configs) {
      rows.push(await benchConfig(core, model, read.bytes, config, shape, { game, cls, ref, label: item.label, masker }));
      log(describeRow(config, rows.at(-1)));
    }
  } finally {
    masker.value?.delete();
  }
  return { rows, precision: ref ? ref.precision[cls] : null, referenceEvaluations: ref?.evaluations ?? null };
}

// Medians over the photos' rows of one config.
function summarise(rows) {
  const m = (f) => round(median(rows.map(f)));
  const refs = rows.filter((r) => r.to_reference);
  const t = (key) => (refs.length ? round(median(refs.map((r) => r.to_reference[key]))) : null);
  return {
    photos: rows.length,
    to_reference: refs.length
      ? {
          rel_l2: t('rel_l2'),
          rel_l2_denoised: t('rel_l2_denoised'),
          spearman: t('spearman'),
          top5: t('top5'),
          sign_area: t('sign_area'),
          settled_share: t('settled_share'),
          settled_correct: t('settled_correct'),
        }
      : null,
    faithfulness: { deletion: m((r) => r.deletion), insertion: m((r) => r.insertion), difference: m((r) => r.difference) },
    stability: {
      identical: round(rows.filter((r) => r.identical).length / Math.max(1, rows.length)),
      spearman: m((r) => r.spearman),
      top5: m((r) => r.top5),
    },
    seconds_per_photo: m((r) => r.seconds),
    evaluations_per_photo: m((r) => r.evaluations),
  };
}

// The configs and budgets to run, with the defaults the core applies to the first readable
// photo (the default config's settings); null when the photo cannot be read.
function planFrom(core, model, item, configs, budgets, shape) {
  const read = readPhoto(item.file);
  const probe = read.error ? null : core.createExplainer(read.bytes, model.card.text, { ...shape, budget: 2 });
  if (!probe || probe.error) return null;
  try {
    return plan(configs, budgets, probe.settings());
  } finally {
    probe.delete();
  }
}

export async function explainBench(
  core,
  roots,
  {
    photos = 12,
    holdout = false,
    budgets = DEFAULT_BUDGETS,
    configs = DEFAULT_CONFIGS,
    segments,
    compactness,
    reference = REFERENCE_DEFAULTS.budget,
    log = () => {},
  } = {},
) {
  const started = performance.now();
  const model = await openBenchModel(core);
  const shape = { ...(segments === undefined ? {} : { segments }), ...(compactness === undefined ? {} : { compactness }) };
  const items = benchPhotos(roots, model.card.info.labels, photos, { holdout });
  const results = [];
  const skipped = [];
  let configPlan = null;
  try {
    for (const [index, item] of items.entries()) {
      log(`[${index + 1}/${items.length}] ${path.relative('.', item.file)}`);
      configPlan ??= planFrom(core, model, item, configs, budgets, shape);
      const r = configPlan ? await benchPhoto(core, model, item, configPlan, shape, reference, log) : { error: 'unreadable' };
      if (r.error) {
        log(`  skipped: ${r.error}`);
        skipped.push({ file: item.file, error: r.error });
      } else {
        results.push({ item, ...r });
      }
    }
  } finally {
    await model.session.release();
  }
  if (!configPlan || results.length === 0) throw new Error(`no readable photos in ${roots.join(', ')}`);
  return benchReport(results, configPlan, model.card.info.labels, { holdout, skipped, started });
}

// The report: which photos, how precise their references, and each config's medians overall and per class.
function benchReport(results, configPlan, labels, { holdout, skipped, started }) {
  return {
    photos: results.length,
    split: holdout ? 'holdout' : 'tuning',
    photos_by_class: Object.fromEntries(labels.map((l, i) => [l, results.filter((r) => r.item.label === i).length])),
    files: results.map((r) => path.relative('.', r.item.file)),
    reference: {
      evaluations: median(results.map((r) => r.referenceEvaluations)),
      precision: round(median(results.map((r) => r.precision))),
      precision_max: round(Math.max(...results.map((r) => r.precision ?? 0))),
    },
    metric_fill: METRIC_FILL,
    skipped,
    seconds_total: round((performance.now() - started) / 1000),
    configs: configPlan.map((config, c) => {
      const rows = results.map((r) => r.rows[c]);
      return {
        name: config.name,
        default: config.default,
        budget: config.budget,
        ...summarise(rows),
        by_class: Object.fromEntries(labels.map((l, i) => [l, summarise(rows.filter((row) => row.label === i))])),
      };
    }),
  };
}

function printTable(report) {
  const cell = (x, width, digits = 3) => (x === null || x === undefined ? '-' : x.toFixed(digits)).padStart(width);
  const label = (c) => c.name + (c.default ? ' (default)' : '');
  const w = Math.max(24, ...report.configs.map((c) => label(c).length));
  console.log(
    `${report.photos} ${report.split} photos (${Object.entries(report.photos_by_class)
      .map(([l, n]) => `${n} ${l}`)
      .join(', ')}); ` +
      `reference: ${report.reference.evaluations ?? '-'} evaluations, precision ${cell(report.reference.precision, 0)} (median; worst ${cell(report.reference.precision_max, 0)}); ` +
      `medians over the photos; ${report.seconds_total} s in all`,
  );
  console.log(
    `${'config'.padEnd(w)} ${'budget'.padStart(6)} ${'relL2'.padStart(6)} ${'denois'.padStart(6)} ${'Spear'.padStart(6)} ${'top5'.padStart(5)} ` +
      `${'sign'.padStart(5)} ${'settl'.padStart(5)} ${'right'.padStart(5)} ${'faith'.padStart(6)} ${'same'.padStart(5)} ${'seed2'.padStart(6)} ${'s/ph'.padStart(6)}`,
  );
  for (const c of report.configs) {
    const t = c.to_reference ?? {};
    console.log(
      `${label(c).padEnd(w)} ${String(c.budget).padStart(6)} ${cell(t.rel_l2, 6)} ${cell(t.rel_l2_denoised, 6)} ${cell(t.spearman, 6, 2)} ` +
        `${cell(t.top5, 5, 2)} ${cell(t.sign_area, 5, 2)} ${cell(t.settled_share, 5, 2)} ${cell(t.settled_correct, 5, 2)} ` +
        `${cell(c.faithfulness.difference, 6)} ${cell(c.stability.identical, 5, 2)} ${cell(c.stability.spearman, 6, 2)} ${cell(c.seconds_per_photo, 6, 2)}`,
    );
  }
}

function integerList(text, name, min) {
  const list = text.split(',').map((s) => Number(s.trim()));
  if (list.some((x) => !Number.isInteger(x) || x < min))
    throw new Error(`--${name} wants integers >= ${min} separated by commas, not "${text}"`);
  return list;
}

function integer(text, name, min, max = Infinity) {
  const x = Number(text);
  if (!Number.isInteger(x) || x < min || x > max)
    throw new Error(`--${name} wants an integer from ${min}${max < Infinity ? ` to ${max}` : ''}, not "${text}"`);
  return x;
}

export async function explainBenchCommand(core, args, { log }) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      photos: { type: 'string' },
      budgets: { type: 'string' },
      configs: { type: 'string' },
      segments: { type: 'string' },
      compactness: { type: 'string' },
      reference: { type: 'string' },
      holdout: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length === 0) throw new Error('explain-bench needs at least one folder with person/ and/or santa/');
  const configs = values.configs ? values.configs.split(',').map((s) => s.trim()) : DEFAULT_CONFIGS;
  for (const name of configs) if (name !== 'default') configOptions(name); // a bad name fails before any work
  const compactness = values.compactness === undefined ? undefined : Number(values.compactness);
  if (compactness !== undefined && !(compactness > 0))
    throw new Error(`--compactness wants a number above 0, not "${values.compactness}"`);
  const report = await explainBench(core, positionals, {
    photos: integer(values.photos ?? '12', 'photos', 1),
    holdout: Boolean(values.holdout),
    budgets: integerList(values.budgets ?? DEFAULT_BUDGETS.join(','), 'budgets', 0),
    configs,
    segments: values.segments === undefined ? undefined : integer(values.segments, 'segments', 1),
    compactness,
    reference: integer(values.reference ?? String(REFERENCE_DEFAULTS.budget), 'reference', 0),
    log,
  });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else printTable(report);
  return 0;
}
