// tools/cli/explain.mjs: `santa-lens explain`: one photo's superpixel SHAP values with the
// default model. The core (C++ as WebAssembly, wasm/bindings/bind_explain.cpp) segments the photo, picks
// coalitions and builds each batch of masked inputs; onnxruntime-node runs them; the core turns
// the scores into per-class values and draws the figure. This file only moves data and files.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { unwrap } from './core.mjs';
import { runTensorWith } from './inference.mjs';
import { amortizedOptions, openModel } from './model.mjs';
import { numberOption } from './options.mjs';
import { readPhoto } from './photos.mjs';

export const FONT_FILE = '/usr/share/fonts/opentype/inter/Inter-Regular.otf';

// Runs `explainer` (core.createExplainer's) to the end on `session` (onnxruntime-node, the
// card's model; `card`: the card as the core reads it), a batch at a time; `log` gets a line per
// batch. Returns {loopMs, modelMs}: the whole loop's time and the model's share of it.
export async function runExplainer(explainer, session, card, log = () => {}) {
  const { budget } = explainer.settings();
  const loopStart = performance.now();
  let modelMs = 0;
  while (!explainer.done()) {
    const { rows, tensor, features } = explainer.nextBatch();
    const t = performance.now();
    const out = await runTensorWith(session, card, tensor, rows, features);
    modelMs += performance.now() - t;
    unwrap(explainer.addScores(out.scores, out.features), 'explain');
    const e = explainer.estimate();
    log(`explain: ${e.evaluations}/${budget} evaluations, convergence ${show(e.convergence)}`);
  }
  return { loopMs: performance.now() - loopStart, modelMs };
}

// Explains `file`; writes options.png / options.json when given. Returns the JSON report.
// options: segments, compactness, sigma, budget, seed, tolerance, background, estimator, output,
// sampler (undefined: the core's
// defaults, core/explain/explainer.h), png, json. log: progress lines; model: another model file than
// the card's (a variant); opened: openModel's result to run on (kept open) instead of opening one.
export async function explain(core, file, options, { log, model = null, opened = null }) {
  const read = readPhoto(file);
  if (read.error) throw new Error(`${file}: ${read.error}`);
  const given = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined && k !== 'png' && k !== 'json') given[k] = v;

  const started = performance.now();
  const { card: cardFile, session } = opened ?? (await openModel(core, model));
  const { text: cardJson, info: card } = cardFile;
  // The amortized estimator's network, where the card has one (the core ignores it otherwise).
  const explainer = unwrap(core.createExplainer(read.bytes, cardJson, { ...amortizedOptions(cardFile), ...given }), file);
  try {
    const { loopMs, modelMs } = await runExplainer(explainer, session, card, log);
    let font = null;
    if (fs.existsSync(FONT_FILE)) font = new Uint8Array(fs.readFileSync(FONT_FILE));
    else if (options.png) log(`explain: ${FONT_FILE} is missing (Debian's fonts-inter): the figure has no text`);
    const ms = { total: performance.now() - started, explain: loopMs, model: modelMs };
    const json = unwrap(explainer.report(file, ms, font), 'report');
    const report = JSON.parse(json);
    if (options.png) {
      const fig = unwrap(explainer.figure(font, path.basename(file)), 'figure');
      fs.writeFileSync(options.png, fig.png);
    }
    if (options.json) fs.writeFileSync(options.json, json);
    return report;
  } finally {
    explainer.delete();
    if (!opened) await session.release();
  }
}

function show(convergence) {
  return Number.isFinite(convergence) ? convergence.toFixed(4) : 'not yet estimable';
}

export const EXPLAIN_HELP = `  santa-lens explain PHOTO [--png OUT.png] [--json OUT.json] [--segments 50] [--budget 512]
                     [--estimator amortized|owen|kernel] [--output log-odds|probability]
                     [--background blur|mean|#rrggbb] [--seed 1] [--tolerance 0.01]
      Which parts of the photo make it Santa (red) or not (blue): SLIC superpixels, values per
      class from at most --budget model runs (amortized: the explainer network's prediction from
      the photo's features, corrected towards the Shapley values by sampled masked photos; owen:
      Owen values over a hierarchy of the superpixels, coarse to fine; kernel: KernelSHAP's
      sampled Shapley values), the figure as PNG (hatched: sign not settled yet) and the values
      as JSON. Progress on stderr.`;

// `explain` from the command line: parses `args`, prints a one-line summary. Returns the exit code.
export async function explainCommand(core, args, { log }) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      png: { type: 'string' },
      json: { type: 'string' },
      segments: { type: 'string' },
      budget: { type: 'string' },
      seed: { type: 'string' },
      background: { type: 'string' },
      tolerance: { type: 'string' },
      compactness: { type: 'string' },
      sigma: { type: 'string' },
      estimator: { type: 'string' },
      output: { type: 'string' },
    },
  });
  if (positionals.length !== 1)
    throw new Error('explain needs one photo: santa-lens explain PHOTO --png OUT.png --json OUT.json');
  const number = (name) => numberOption(values[name], name);
  const report = await explain(
    core,
    positionals[0],
    {
      segments: number('segments'),
      budget: number('budget'),
      seed: number('seed'),
      tolerance: number('tolerance'),
      compactness: number('compactness'),
      sigma: number('sigma'),
      background: values.background,
      estimator: values.estimator,
      output: values.output,
      png: values.png,
      json: values.json,
    },
    { log },
  );
  const best = report.probabilities.indexOf(Math.max(...report.probabilities));
  console.log(
    `${report.file}: ${report.labels[best]} (p = ${report.probabilities[best].toFixed(4)}); ${report.segments} superpixels, ` +
      `${report.evaluations} evaluations in ${report.seconds.explain} s, sign settled on ${Math.floor(100 * report.settled[best])}% ` +
      `of the photo, convergence ${show(report.convergence)}${report.converged ? ' (converged)' : ''}`,
  );
  return 0;
}
