// tests/node/bench.test.mjs: `santa-lens bench --quick --json` end to end (every section, small
// settings, the model the card names): the report's shape, and every figure a positive number.
// Speed itself is not checked here (benchmarks print figures; tests do not time). A few minutes
// on two busy cores. Skips, saying why, without the model, the test photos, the site
// (build/site or $SANTA_LENS_SITE) or Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { browserMissing } from '../../tools/chromium.mjs';
import { modelName, root, run, skipWithoutModelAndPhotos } from './cli_harness.mjs';

const site = path.resolve(process.env.SANTA_LENS_SITE ?? path.join(root, 'build/site'));
const skip = skipWithoutModelAndPhotos || browserMissing(site) || false;

const positive = (x, what) => assert.ok(typeof x === 'number' && Number.isFinite(x) && x > 0, `${what}: ${x}`);

test('bench --quick --json measures every section and reports positive figures', { skip, timeout: 900_000 }, () => {
  const r = run(['bench', '--quick', '--json', '--models', path.join('assets', modelName)], { timeout: 900_000 });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.match(report.machine.cpu, /\S/);
  positive(report.machine.cores, 'cores');
  assert.ok(!Number.isNaN(Date.parse(report.date)), report.date);
  assert.deepEqual(
    report.models.map((m) => m.name),
    [path.join('assets', modelName)],
  );
  const s = report.sections;
  assert.deepEqual(Object.keys(s).sort(), [
    'app_loop',
    'browser_wasm',
    'core',
    'explanations',
    'latency',
    'memory',
    'onnxruntime_node',
    'webgpu',
  ]);
  for (const [name, section] of Object.entries(s))
    assert.ok((!section.error && !section.skipped) || name === 'webgpu', `${name}: ${JSON.stringify(section)}`);

  assert.deepEqual(
    s.onnxruntime_node.rows.map((x) => [x.threads, x.batch]),
    [
      [1, 8],
      [2, 8],
    ],
  );
  for (const x of s.onnxruntime_node.rows) positive(x.ms_per_image, `onnxruntime-node ${x.threads} threads`);

  const b = s.browser_wasm;
  assert.equal(b.cross_origin_isolated, true);
  const threads = [...new Set([1, b.hardware_concurrency])];
  assert.deepEqual(
    b.rows.map((x) => [x.threads, x.batch]),
    threads.flatMap((t) => [
      [t, 1],
      [t, 8],
    ]),
  );
  for (const x of b.rows) {
    positive(x.ms_per_image, `browser ${x.threads} threads batch ${x.batch}`);
    positive(x.session_create_ms, 'session creation');
  }

  const a = s.app_loop;
  assert.equal(a.backend, 'wasm');
  assert.ok(Number.isInteger(a.batch) && a.batch > 1, `the app's batch, from its export: ${a.batch}`);
  for (const key of ['threads', 'loop_ms_per_evaluation', 'app_session_run_ms_per_evaluation', 'bare_session_run_ms_per_image'])
    positive(a[key], key);
  assert.ok(Number.isFinite(a.overhead_fraction) && a.overhead_fraction > -1, `overhead ${a.overhead_fraction}`);
  // Each explanation against the bare runs measured right after it.
  assert.equal(a.per_photo.length, a.photos);
  for (const p of a.per_photo) positive(p.bare_ms_per_image, `bare session.run after ${p.file}`);
  // The app's own model time is part of its loop time.
  assert.ok(a.app_session_run_ms_per_evaluation <= a.loop_ms_per_evaluation, JSON.stringify(a));

  const l = s.latency;
  for (const key of ['drop_to_prediction_ms', 'prediction_to_first_heatmap_ms', 'drop_to_first_heatmap_ms'])
    positive(l[key], key);
  assert.ok(l.drop_to_first_heatmap_ms >= l.drop_to_prediction_ms);
  // Owen values (the default) start with the photo and the fully masked photo; KernelSHAP with 8.
  assert.ok(l.first_batch_evaluations >= 2 && l.first_batch_evaluations <= 8, `first batch ${l.first_batch_evaluations}`);

  const e = s.explanations;
  assert.equal(e.photos, 1);
  assert.deepEqual(e.failed, []);
  const p = e.per_photo[0];
  assert.match(p.file, /santa\/test\/(person|santa)\//);
  assert.ok(p.evaluations >= 8 && p.evaluations <= e.budget, JSON.stringify(p));
  assert.ok(p.segments >= 20, `${p.segments} superpixels`);
  assert.equal(typeof p.converged, 'boolean');
  positive(p.seconds, 'seconds');

  const c = s.core.masking_bench_wasm;
  for (const key of ['slic_ms_per_photo_at_512', 'masking_setup_ms_per_photo', 'masking_ms_per_input']) positive(c[key], key);
  positive(s.core.app_setup_ms_per_photo, "the app's set-up");

  for (const key of ['renderer_peak_mb', 'gpu_process_peak_mb', 'js_heap_used_mb']) positive(s.memory[key], key);
  assert.ok(s.memory.renderer_peak_mb > 100, 'the page holds ResNet50: over 100 MB');

  // WebGPU: an adapter (SwiftShader here, a software one) or the reason there is none.
  const g = s.webgpu;
  assert.ok(
    g.adapter ? typeof g.software === 'boolean' && g.app_uses_it === !g.software : typeof g.skipped === 'string',
    JSON.stringify(g),
  );
});

test('bench refuses an unknown section', () => {
  const r = run(['bench', '--only', 'everything']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--only: unknown section "everything"/);
});
