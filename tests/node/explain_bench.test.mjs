// tests/node/explain_bench.test.mjs: `santa-lens explain-bench` as a user runs it, made tiny (one
// photo of each class, 8 superpixels, a reference of 64 evaluations): the report's shape and
// ranges against the reference, the amortized explainer's budget 0, stability, the held-out
// half kept apart from the tuning half, and clear errors. Needs the model (test.sh builds it)
// and the test photos.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run, shared, skipWithoutModelAndPhotos as skip } from './cli_harness.mjs';

const inRange = (x, lo, hi, what) =>
  assert.ok(typeof x === 'number' && x >= lo && x <= hi, `${what}: ${x} not in [${lo}, ${hi}]`);

const bench = (...extra) =>
  run(
    [
      'explain-bench',
      path.join(shared, 'santa/test'),
      '--photos',
      '1',
      '--budgets',
      '0,16',
      '--segments',
      '8',
      '--reference',
      '64',
      '--configs',
      'amortized/blur/log-odds,owen/blur/log-odds,kernel/blur/log-odds',
      '--json',
      ...extra,
    ],
    { timeout: 600_000 },
  );

test('explain-bench measures each config and budget against reference Shapley values', { skip }, () => {
  const r = bench();
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /\[1\/2\] .*person[^[]*\n\s+reference: \d+ evaluations, precision/); // progress per photo
  const report = JSON.parse(r.stdout);
  assert.equal(report.photos, 2);
  assert.equal(report.split, 'tuning');
  assert.deepEqual(report.photos_by_class, { person: 1, santa: 1 });
  assert.ok(
    report.reference.evaluations >= 60 && report.reference.evaluations <= 64,
    `reference ${report.reference.evaluations}`,
  );
  inRange(report.reference.precision, 0, 5, 'reference precision');
  // Budget 0 only where it means something: the amortized explainer's prediction alone.
  assert.deepEqual(
    report.configs.map((c) => [c.name, c.budget]),
    [
      ['amortized/blur/log-odds', 0],
      ['amortized/blur/log-odds', 16],
      ['owen/blur/log-odds', 16],
      ['kernel/blur/log-odds', 16],
    ],
  );
  for (const c of report.configs) {
    const t = c.to_reference;
    inRange(t.rel_l2, 0, 10, `${c.name}@${c.budget} rel. L2`);
    assert.ok(t.rel_l2_denoised <= t.rel_l2 + 1e-12, `${c.name}: taking the reference's noise out cannot add error`);
    inRange(t.spearman, -1, 1, `${c.name} Spearman`);
    inRange(t.top5, 0, 1, `${c.name} top-5`);
    inRange(t.sign_area, 0, 1, `${c.name} sign by area`);
    inRange(t.settled_share, 0, 1, `${c.name} settled share`);
    assert.ok(
      t.settled_correct === null || (t.settled_correct >= 0 && t.settled_correct <= 1),
      `${c.name} settled correct ${t.settled_correct}`,
    );
    const { deletion, insertion, difference } = c.faithfulness;
    inRange(deletion, 0, 1, `${c.name} deletion`);
    inRange(insertion, 0, 1, `${c.name} insertion`);
    // The same photo explained again gives the same values, for every config.
    assert.equal(c.stability.identical, 1, `${c.name}@${c.budget} not deterministic`);
    inRange(c.stability.spearman, -1, 1, `${c.name} seed-to-seed Spearman`);
    assert.ok(c.seconds_per_photo >= 0);
    assert.equal(c.by_class.person.photos + c.by_class.santa.photos, 2);
    assert.ok(Math.abs(difference - (insertion - deletion)) < 0.05, `${c.name}: difference near insertion - deletion (medians)`);
  }
  assert.equal(report.configs[0].evaluations_per_photo, 2); // the prediction's two runs
  assert.equal(report.configs[2].stability.spearman, 1); // Owen values sample nothing
});

test('explain-bench --holdout takes the other half of the photos', { skip }, () => {
  const tuning = JSON.parse(bench('--reference', '0', '--budgets', '16').stdout);
  const holdout = JSON.parse(bench('--reference', '0', '--budgets', '16', '--holdout').stdout);
  assert.equal(holdout.split, 'holdout');
  assert.equal(holdout.photos, 2);
  for (const f of holdout.files) assert.ok(!tuning.files.includes(f), `${f} is in both halves`);
  assert.equal(holdout.configs[0].to_reference, null); // no reference asked for
});

test('explain-bench names a folder without photos, a config it does not know and a bad compactness', { skip }, () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'santa-lens-explain-bench-'));
  fs.mkdirSync(path.join(empty, 'person'));
  const r = run(['explain-bench', empty]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /santa-lens-explain-bench-.*: no photos in person\/ or santa\//);
  const bad = run(['explain-bench', path.join(shared, 'santa/test'), '--configs', 'kernel/pink/probability']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /"kernel\/pink\/probability" is not default, shap-like or estimator\/fill\/output/);
  const flat = run(['explain-bench', path.join(shared, 'santa/test'), '--compactness', '0']);
  assert.equal(flat.code, 1);
  assert.match(flat.stderr, /--compactness wants a number above 0, not "0"/);
});
