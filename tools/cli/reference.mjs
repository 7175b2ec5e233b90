// tools/cli/reference.mjs: high-precision Shapley values of a photo's game (the core's
// ReferenceShap, wasm/bindings/bind_reference.cpp) run on onnxruntime-node, cached under
// .cache/reference/ by model, photo and game: computing one takes minutes, reading it again
// nothing. What explain-bench measures explanations against.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, unwrap } from './core.mjs';
import { runTensor } from './inference.mjs';
import { sha256 } from './resnet_package.mjs';
import { writeJsonAtomic } from './model.mjs';

export const REFERENCE_DEFAULTS = { budget: 16384, seed: 1, folds: 4 };
const CACHE_VERSION = 1; // bump when the estimator changes what it computes

const modelHashes = new Map();
// The SHA-256 of a model file (read once per process).
export function modelHash(file) {
  if (!modelHashes.has(file)) modelHashes.set(file, sha256(fs.readFileSync(file)));
  return modelHashes.get(file);
}

// The reference values of `classes` (indices) for the photo `bytes` with `game` (createExplainer's
// game options: segments, compactness, background, output...) and `options` ({budget, seed,
// folds}). `model`: {file, session, card: {text, info}}. Returns {phi, halfA, halfB, precision,
// fX, fEmpty, evaluations, exact, segments, seconds, cached} (per-class arrays; classes not asked
// for are zero).
export async function referenceValues(core, model, bytes, game, classes, options = {}, { log = () => {} } = {}) {
  const settings = { ...REFERENCE_DEFAULTS, ...options };
  const key = sha256(JSON.stringify({ v: CACHE_VERSION, game, settings, classes })).slice(0, 16);
  const dir = path.join(repoRoot, '.cache', 'reference', modelHash(model.file).slice(0, 16));
  const file = path.join(dir, `${sha256(bytes).slice(0, 16)}-${key}.json`);
  if (fs.existsSync(file)) return { ...JSON.parse(fs.readFileSync(file, 'utf8')), cached: true };

  const started = performance.now();
  const ref = unwrap(core.createReference(bytes, model.card.text, { ...game, ...settings }), 'reference');
  try {
    let next = 0;
    while (!ref.done()) {
      const { rows, tensor } = ref.nextBatch();
      unwrap(ref.addScores(await runTensor(model.session, model.card.info, tensor, rows)), 'reference');
      const { evaluations, total } = ref.progress();
      if (evaluations >= next) {
        log(`reference: ${evaluations}/${total} evaluations`);
        next += 4096;
      }
    }
    const solveStarted = performance.now();
    const solved = unwrap(ref.solve(classes), 'reference');
    log(`reference: solved in ${((performance.now() - solveStarted) / 1000).toFixed(1)} s`);
    const result = { ...solved, segments: ref.segmentation().count, seconds: (performance.now() - started) / 1000 };
    fs.mkdirSync(dir, { recursive: true });
    writeJsonAtomic(file, result);
    return { ...result, cached: false };
  } finally {
    ref.delete();
  }
}
