// tests/node/explain_bench.test.mjs: `santa-lens explain-bench` as a user runs it, made tiny (one
// photo of each class, 8 superpixels, 32 evaluations): the report's shape and ranges, explanations
// that rank superpixels better than a random order, and a clear error for a folder without
// photos. Needs the model (test.sh builds it) and ../shared's photos.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run, shared, skipWithoutModelAndPhotos as skip } from './cli_harness.mjs';

const inRange = (x, lo, hi, what) => assert.ok(typeof x === 'number' && x >= lo && x <= hi, `${what}: ${x} not in [${lo}, ${hi}]`);

test('explain-bench reports faithfulness, stability, exact, estimation and reference errors and off-manifold rates per config', { skip }, () => {
  const r = run(['explain-bench', path.join(shared, 'santa/test'), '--photos', '1', '--budgets', '32', '--segments', '8',
    '--exact-segments', '6', '--baseline-budget', '32', '--configs', 'default', '--reference-budget', '96', '--json'], { timeout: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /\[1\/2\] .*person.*: owen\/blur\/log-odds @32: /);  // a progress line per photo and config
  const report = JSON.parse(r.stdout);
  assert.equal(report.photos, 2);
  assert.deepEqual(report.photos_by_class, { person: 1, santa: 1 });
  assert.equal(report.metric_fill, 'blur');
  assert.equal(report.segments, 8);
  assert.equal(report.reference_budget, 96);
  assert.ok(report.compactness > 0, `compactness ${report.compactness}`);  // the core's default, as applied
  assert.deepEqual(report.configs.map((c) => [c.name, c.budget, c.default]), [['owen/blur/log-odds', 32, true], ['shap-like', 32, false]]);
  assert.deepEqual(report.configs[1].options, { estimator: 'kernel', sampler: 'shap', output: 'probability', background: 'mean' });
  for (const c of report.configs) {
    const { deletion, insertion, difference } = c.faithfulness;
    inRange(deletion, 0, 1, `${c.name} deletion`);
    inRange(insertion, 0, 1, `${c.name} insertion`);
    assert.ok(Math.abs(difference - (insertion - deletion)) < 2e-4, `${c.name}: difference = insertion - deletion`);
    if (c.name === 'shap-like') {
      assert.deepEqual(c.stability, { spearman: null, top5: null });  // one seed: not a target
    } else {
      // Owen values sample nothing: seeds 1 and 2 give the same values.
      assert.deepEqual(c.stability, { spearman: 1, top5: 1 });
    }
    assert.ok(c.exact_error === null || (c.exact_error >= 0 && c.exact_error < 10), `${c.name} exact error ${c.exact_error}`);
    // KernelSHAP estimates Shapley values: its own exact values are those.
    if (c.name === 'shap-like') assert.equal(c.estimation_error, c.exact_error);
    else assert.ok(c.estimation_error === null || (c.estimation_error >= 0 && c.estimation_error < 10), `${c.name} own error ${c.estimation_error}`);
    assert.equal(c.exact_photos + report.exact_skipped, 2);
    if (c.name === 'shap-like') {
      assert.deepEqual([c.reference_error, c.reference_spearman], [null, null]);  // the baseline is not run longer
    } else {
      // 32 of 96 evaluations: near the longer run's values, not at them (Owen refines in order of credit).
      inRange(c.reference_error, 1e-6, 2, `${c.name} error from @96`);
      inRange(c.reference_spearman, -1, 1, `${c.name} Spearman to @96`);
    }
    for (const x of [c.off_manifold, c.off_manifold_person]) assert.ok(x === null || (x >= 0 && x <= 1), `${c.name} off-manifold ${x}`);
    assert.ok(c.seconds_per_photo > 0);
    inRange(c.evaluations_per_photo, 2, 32, `${c.name} evaluations`);
    assert.equal(c.by_class.person.photos + c.by_class.santa.photos, 2);
  }
  // Ordering superpixels by their values must beat a random order (the floor).
  const floor = report.random_order;
  inRange(floor.difference, -1, 1, 'random order');
  assert.ok(report.configs[0].faithfulness.difference > floor.difference,
    `explanation ${report.configs[0].faithfulness.difference} vs random order ${floor.difference}`);
});

test('explain-bench names a folder without photos, a config it does not know and a bad compactness', { skip }, () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'santa-lens-explain-bench-'));
  fs.mkdirSync(path.join(empty, 'person'));
  const r = run(['explain-bench', empty]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /santa-lens-explain-bench-.*: no photos in person\/ or santa\//);
  const bad = run(['explain-bench', path.join(shared, 'santa/test'), '--configs', 'kernel/pink/probability']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /"kernel\/pink\/probability" is not default or estimator\/fill\/output/);
  const flat = run(['explain-bench', path.join(shared, 'santa/test'), '--compactness', '0']);
  assert.equal(flat.code, 1);
  assert.match(flat.stderr, /--compactness wants a number above 0, not "0"/);
});
