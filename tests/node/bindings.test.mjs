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
