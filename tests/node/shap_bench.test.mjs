// tests/node/shap_bench.test.mjs: `santa-lens shap-bench` as a user runs it: the accuracy table
// of tests/shap_games.json (santa-lens' sampler must beat shap's default at a quarter of its
// budget), the games generator, and bad input. Needs the node build of the core
// ($SANTA_LENS_WASM_BUILD, default build/wasm); takes a few seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, run } from './cli_harness.mjs';

const games = path.join(root, 'tests/shap_games.json');

test('shap-bench reports median and p90 per game, budget and sampler, and beats shap at a quarter of its budget', () => {
  const r = run(['shap-bench', games, '--budgets', '128,512', '--seeds', '5', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(report.budgets, [128, 512]);
  assert.equal(report.seeds, 5);
  assert.deepEqual(report.samplers, ['leverage', 'kernel']);
  assert.ok(report.games.length >= 6);
  assert.equal(report.rows.length, report.games.length * 2 * 2);
  for (const row of report.rows) {
    for (const key of ['median', 'p90', 'mean', 'coverage', 'evaluations', 'ms_per_call'])
      assert.equal(typeof row[key], 'number', key);
    assert.ok(row.median >= 0 && row.median <= row.p90, JSON.stringify(row));
    assert.ok(row.evaluations <= row.budget);
  }
  const m50 = report.games.filter((g) => g.M === 50 && g.link === 'sigmoid').map((g) => g.name);
  assert.ok(m50.length >= 3);
  for (const name of m50) {
    const ours = report.rows.find((x) => x.game === name && x.budget === 512 && x.sampler === 'leverage');
    const shap = report.rows.find((x) => x.game === name && x.budget === 512 && x.sampler === 'kernel');
    // shap's KernelExplainer at its default 2,148 evaluations: 0.0425 (shap-reference.md).
    assert.ok(ours.median <= 0.0425, `${name}: ${ours.median}`);
    assert.ok(ours.median < shap.median / 2, `${name}: ${ours.median} vs shap-like ${shap.median}`);
    assert.ok(ours.coverage > 0.9, `${name}: coverage ${ours.coverage}`);
  }
  // Every coalition of the 10-player table fits in 1,024 evaluations: exact, not sampled.
  const text = run(['shap-bench', games, '--budgets', '1024', '--seeds', '2', '--sampler', 'leverage']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /table-10 \(M=10, table\)[^\n]*\n[^\n]*\n\s+1024 \|\s+0\.0000/);
});

test('shap-bench --generate writes games the bench reads, with their reference values', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'santa-lens-shap-')), 'games.json');
  const r = run(['shap-bench', '--generate', out, '--permutations', '2000', '--seed', '1']);
  assert.equal(r.code, 0, r.stderr);
  const generated = JSON.parse(fs.readFileSync(out, 'utf8'));
  const shipped = JSON.parse(fs.readFileSync(games, 'utf8'));
  assert.deepEqual(
    generated.games.map((g) => g.name),
    shipped.games.map((g) => g.name),
  );
  // The same seed gives the same games; only the permutation count behind phi differs.
  assert.deepEqual(generated.games[0].w, shipped.games[0].w);
  assert.deepEqual(generated.games[3].phi, shipped.games[3].phi); // exact: closed form
  assert.match(generated.games[0].note, /2000 antithetic permutations/);
  const bench = run(['shap-bench', out, '--budgets', '256', '--seeds', '2', '--json']);
  assert.equal(bench.code, 0, bench.stderr);
});

test('shap-bench reports bad input in one line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'santa-lens-shap-'));
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{"games": [{"kind": "polynomial", "M": 3, "w": [1, 2]}]}');
  let r = run(['shap-bench', bad]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /games\[0\]: w must be an array of M = 3 finite numbers/);
  r = run(['shap-bench', games, '--budgets', '1,abc']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--budgets wants integers/);
  r = run(['shap-bench', path.join(dir, 'missing.json')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot read/);
});
