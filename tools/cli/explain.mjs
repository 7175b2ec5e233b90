// tools/cli/explain.mjs: `santa-lens explain`: one photo's superpixel SHAP values with the
// default model. The core (C++ as WebAssembly, wasm/bind_explain.cpp) segments the photo, picks
// coalitions and builds each batch of masked inputs; onnxruntime-node runs them; the core turns
// the scores into per-class values and draws the figure. This file only moves data and files.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { unwrap } from './core.mjs';
import { inputDims } from './inference.mjs';
import { openModel } from './model.mjs';
import { numberOption } from './options.mjs';
import { readPhoto } from './photos.mjs';

export const FONT_FILE = '/usr/share/fonts/opentype/inter/Inter-Regular.otf';

// Explains `file`; writes options.png / options.json when given. Returns the JSON report.
// options: segments, compactness, sigma, budget, seed, tolerance, background (undefined: the core's
// defaults, core/explainer.h), png, json. log: progress lines; model: another model file than
// the card's (a variant).
export async function explain(core, file, options, { log, model = null }) {
  const read = readPhoto(file);
  if (read.error) throw new Error(`${file}: ${read.error}`);
  const given = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined && k !== 'png' && k !== 'json') given[k] = v;

  const started = performance.now();
  const { card: { text: cardJson, info: card }, session } = await openModel(core, model);
  const explainer = unwrap(core.createExplainer(read.bytes, cardJson, given), file);
  try {
    const settings = explainer.settings();
    const loopStart = performance.now();
    let modelMs = 0;
    while (!explainer.done()) {
      const { rows, tensor } = explainer.nextBatch();
      const t = performance.now();
      const out = await session.run({ [card.inputName]: new ort.Tensor('float32', tensor, inputDims(card, rows)) });
      modelMs += performance.now() - t;
      unwrap(explainer.addScores(out[card.outputName].data), 'explain');
      const e = explainer.estimate();
      log(`explain: ${e.evaluations}/${settings.budget} evaluations, convergence ${show(e.convergence)}`);
    }
    const loopMs = performance.now() - loopStart;
    const e = explainer.estimate();
    const report = {
      file, model: card.name, labels: card.labels, segments: explainer.segmentation().count,
      // std and convergence are null (JSON has no Infinity) while too few samples to estimate them.
      phi: e.phi, std: e.std.map((row) => row.map(finite)), f_x: e.fX, f_empty: e.fEmpty, evaluations: e.evaluations,
      exact: e.exact, convergence: finite(e.convergence), converged: e.exact || e.convergence < settings.tolerance,
      range: e.range, budget: settings.budget, tolerance: settings.tolerance, seed: settings.seed,
      background: settings.background,
      segmentation: { requested: settings.segments, compactness: settings.compactness, sigma: settings.sigma, displayMaxSide: settings.displayMaxSide },
      seconds: { total: round(performance.now() - started), explain: round(loopMs), model: round(modelMs) },
    };
    if (options.png) {
      let font = null;
      if (fs.existsSync(FONT_FILE)) font = new Uint8Array(fs.readFileSync(FONT_FILE));
      else log(`explain: ${FONT_FILE} is missing (Debian's fonts-inter): the figure has no text`);
      const fig = unwrap(explainer.figure(font, path.basename(file)), 'figure');
      fs.writeFileSync(options.png, fig.png);
    }
    if (options.json) fs.writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    explainer.delete();
    await session.release();
  }
}

function round(ms) {
  return Math.round(ms) / 1000;
}

function finite(x) {
  return Number.isFinite(x) ? x : null;
}

function show(convergence) {
  return Number.isFinite(convergence) ? convergence.toFixed(4) : 'not yet estimable';
}

export const EXPLAIN_HELP = `  santa-lens explain PHOTO [--png OUT.png] [--json OUT.json] [--segments 50] [--budget 512]
                     [--seed 1] [--background mean|blur|#rrggbb] [--tolerance 0.01]
      Which parts of the photo make it Santa (red) or not (blue): SLIC superpixels, KernelSHAP
      values per class from at most --budget model runs (stops early when converged), the
      figure as PNG and the values as JSON. Progress goes to stderr.`;

// `explain` from the command line: parses `args`, prints a one-line summary. Returns the exit code.
export async function explainCommand(core, args, { log }) {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      png: { type: 'string' }, json: { type: 'string' }, segments: { type: 'string' }, budget: { type: 'string' },
      seed: { type: 'string' }, background: { type: 'string' }, tolerance: { type: 'string' },
      compactness: { type: 'string' }, sigma: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new Error('explain needs one photo: santa-lens explain PHOTO --png OUT.png --json OUT.json');
  const number = (name) => numberOption(values[name], name);
  const report = await explain(core, positionals[0], {
    segments: number('segments'), budget: number('budget'), seed: number('seed'), tolerance: number('tolerance'),
    compactness: number('compactness'), sigma: number('sigma'), background: values.background,
    png: values.png, json: values.json,
  }, { log });
  const best = report.f_x.indexOf(Math.max(...report.f_x));
  console.log(`${report.file}: ${report.labels[best]} (p = ${report.f_x[best].toFixed(4)}); ${report.segments} superpixels, `
    + `${report.evaluations} evaluations in ${report.seconds.explain} s, convergence ${show(report.convergence)}`
    + `${report.converged ? ' (converged)' : ''}`);
  return 0;
}
