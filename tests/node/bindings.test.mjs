// tests/node/bindings.test.mjs: the core's JS bindings read their options objects alike
// (wasm/bindings/js_fields.h): an absent field keeps the default, a field that is present but not what it
// should be is an error that names it, never a silent fallback. Needs only the built core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadCore, repoRoot } from '../../tools/cli/core.mjs';

const card = fs.readFileSync(path.join(repoRoot, 'assets/santa_resnet50.json'), 'utf8');

test('bad option fields are named errors; absent ones keep the defaults', async () => {
  const core = await loadCore();
  const rgb = new Uint8Array(64 * 48 * 3).map((_, i) => (i * 37) % 256);
  const { png } = core.encodePng(rgb, 64, 48);
  const explainer = (options) => core.createExplainer(png, card, options);

  const fine = explainer({ segments: 12, budget: 64, output: 'probability', background: 'mean', seed: 3 });
  assert.equal(fine.error, undefined, fine.error);
  assert.equal(fine.settings().output, 'probability');
  fine.delete();
  for (const options of [undefined, null, {}]) {
    const ex = explainer(options);
    assert.equal(ex.error, undefined, `${options}: ${ex.error}`);
    assert.equal(ex.settings().output, 'log-odds'); // the core's default
    ex.delete();
  }
  assert.equal(explainer(7).error, 'options must be an object');
  assert.match(explainer({ segments: 'ten' }).error, /^options\.segments must be an integer from 1 to /);
  assert.match(explainer({ budget: 12.5 }).error, /^options\.budget must be an integer/);
  assert.equal(explainer({ sigma: Infinity }).error, 'options.sigma must be a finite number');
  assert.equal(explainer({ output: 'odds' }).error, 'options.output must be one of probability, log-odds');
  assert.equal(explainer({ background: 3 }).error, 'options.background must be a string');
  assert.match(explainer({ background: 'plaid' }).error, /background/);
  assert.match(explainer({ seed: -1 }).error, /^options\.seed must be an integer from 0 to /);

  const cues = core.auditPhoto(png);
  assert.match(
    core.findShortcuts([cues, cues], Int32Array.of(0, 1), 2, { folds: 'all' }).error,
    /^options\.folds must be an integer/,
  );
  assert.equal(core.contactSheet([], null, { title: 5 }).error, 'options.title must be a string');
  assert.equal(
    core.trainHead(new Float32Array(4), Int32Array.of(0, 1), 2, { balanceClasses: 'yes' }).error,
    'trainHead: config.balanceClasses must be true or false',
  );
  const games = fs.readFileSync(path.join(repoRoot, 'tests/shap_games.json'), 'utf8');
  assert.equal(
    core.shapBench(games, [64], 1, { surrogate: 'cubic' }).error,
    'options.surrogate must be one of auto, linear, logistic',
  );
});

test('segmentations from JS are checked alike, and resizeSegmentation resizes as the core does', async () => {
  const core = await loadCore();
  // 2 x 2 labels to 4 x 2: each label twice as wide (pixel centre to pixel centre).
  const seg = { width: 2, height: 2, count: 4, labels: Int32Array.of(0, 1, 2, 3) };
  const wide = core.resizeSegmentation(seg, 4, 2);
  assert.equal(wide.error, undefined, wide.error);
  assert.deepEqual([wide.width, wide.height, wide.count], [4, 2, 4]);
  assert.deepEqual(Array.from(wide.labels), [0, 0, 1, 1, 2, 2, 3, 3]);
  // A 0/1 mask of 3 x 1 to 6 x 1.
  const mask = core.resizeSegmentation({ width: 3, height: 1, count: 2, labels: [1, 0, 1] }, 6, 1);
  assert.deepEqual(Array.from(mask.labels), [1, 1, 0, 0, 1, 1]);

  assert.equal(
    core.resizeSegmentation(null, 4, 2).error,
    'resizeSegmentation wants a segmentation {width, height, count, labels}',
  );
  assert.match(core.resizeSegmentation({ ...seg, width: 3 }, 4, 2).error, /do not fill its width x height/);
  assert.match(core.resizeSegmentation({ ...seg, labels: Int32Array.of(0, 1, 2, 4) }, 4, 2).error, /outside 0\.\.count-1/);
  assert.match(core.resizeSegmentation(seg, 0, 2).error, /new size/);
  const rgb = new Uint8Array(2 * 2 * 3);
  const { png } = core.encodePng(rgb, 2, 2);
  assert.match(core.createMasker(png, card, { ...seg, count: 3 }, 'mean').error, /^createMasker: a label is outside/);
});
