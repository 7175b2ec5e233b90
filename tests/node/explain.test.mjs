// tests/node/explain.test.mjs: `santa-lens explain` as a user runs it: the values and the figure
// for a real photo with a small budget, and a clear error for a file that is not a photo. Needs
// the model (test.sh builds it) and the test photos.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCore, unwrap } from '../../tools/cli/core.mjs';
import { figureMismatch } from '../figure_check.mjs';
import { run, shared, skipWithoutModelAndPhotos as skip } from './cli_harness.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'santa-lens-explain-'));

test('explain writes per-class values that add up, and a figure of the photo and both classes', { skip }, async () => {
  const dir = path.join(shared, 'santa/test/santa');
  const photo = path.join(dir, fs.readdirSync(dir).sort()[0]);
  const png = path.join(tmp, 'santa.png');
  const json = path.join(tmp, 'santa.json');
  const r = run(['explain', photo, '--png', png, '--json', json, '--segments', '20', '--budget', '64', '--seed', '3']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /explain: \d+\/64 evaluations/); // progress
  assert.match(r.stdout, /santa \(p = [01]\.\d+\)/);

  const v = JSON.parse(fs.readFileSync(json, 'utf8'));
  assert.deepEqual(v.labels, ['person', 'santa']);
  assert.ok(v.segments >= 10 && v.segments <= 40, `${v.segments} superpixels`);
  assert.ok(v.evaluations >= 2 && v.evaluations <= 64);
  assert.equal(v.budget, 64);
  assert.equal(v.seed, 3);
  assert.equal(v.background, 'blur');
  for (const key of ['phi', 'std']) {
    assert.equal(v[key].length, 2);
    for (const row of v[key]) assert.equal(row.length, v.segments);
  }
  assert.ok(v.probabilities[1] > 0.5, 'the photo is classified Santa');
  assert.equal(v.output, 'log-odds'); // the default
  assert.equal(v.estimator, 'amortized'); // the default
  for (let c = 0; c < 2; ++c) {
    const sum = v.phi[c].reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - (v.f_x[c] - v.f_empty[c])) < 1e-6, `class ${c}: sum ${sum} vs ${v.f_x[c] - v.f_empty[c]}`);
    assert.ok(Math.abs(v.probabilities[c] + v.probabilities[1 - c] - 1) < 1e-6);
    assert.ok(Math.abs(v.f_x[c] - Math.log(v.probabilities[c] / (1 - v.probabilities[c]))) < 1e-4, 'f_x in log-odds');
    assert.equal(v.unsettled[c].length, v.segments);
    assert.ok(v.settled[c] >= 0 && v.settled[c] <= 1);
  }
  assert.ok(v.off_manifold >= 0 && v.off_manifold <= 1);
  assert.ok(v.convergence === null || v.convergence > 0, 'convergence: a number, or null while not estimable');
  assert.ok(v.seconds.explain > 0 && v.seconds.model <= v.seconds.explain);

  // The figure: margins 14, a panel for the photo and one per class, 300 px high, photo's aspect.
  const core = await loadCore();
  const src = unwrap(core.decodeImage(new Uint8Array(fs.readFileSync(photo))));
  const fig = unwrap(core.decodeImage(new Uint8Array(fs.readFileSync(png))));
  const scale = Math.min(1, 512 / Math.max(src.width, src.height));
  const [dw, dh] = [Math.max(1, Math.round(src.width * scale)), Math.max(1, Math.round(src.height * scale))];
  const pw = Math.max(1, Math.round((300 * dw) / dh));
  assert.equal(fig.width, 2 * 14 + pw + 2 * (14 + pw));
  assert.ok(fig.height > 300 + 14 * 2 && fig.height < 500, `height ${fig.height}`); // titles, panels, colour bar
  // Somewhere in the santa panel a superpixel is clearly red (pushes towards Santa).
  let red = 0;
  for (let y = 50; y < 300; y += 5)
    for (let x = 14 + 2 * (pw + 14); x < fig.width - 14; x += 5) {
      const i = (y * fig.width + x) * 3;
      red += fig.rgb[i] > 200 && fig.rgb[i + 1] < 150 && fig.rgb[i + 2] < 170;
    }
  assert.ok(red > 0, 'a red region in the santa panel');

  // The report alone draws the same heatmaps, where its figure says they are.
  const check = figureMismatch(v, fig.rgb, 3, core.colormapTable());
  assert.deepEqual([check.width, check.height], [fig.width, fig.height]);
  assert.ok(check.share < 0.01, `${(100 * check.share).toFixed(2)}% of the class panels differ from the redrawn report`);
  const redrawn = path.join(tmp, 'redrawn.png');
  const rd = run(['redraw', json, redrawn]);
  assert.equal(rd.code, 0, rd.stderr);
  const back = unwrap(core.decodeImage(new Uint8Array(fs.readFileSync(redrawn))));
  assert.deepEqual([back.width, back.height], [fig.width, fig.height]);
  assert.equal(figureMismatch(v, back.rgb, 3, core.colormapTable()).share, 0);
});

test('redraw names what is missing from a report', { skip }, () => {
  const old = path.join(tmp, 'old.json');
  fs.writeFileSync(old, JSON.stringify({ phi: [[1]], range: 1 }));
  const r = run(['redraw', old, path.join(tmp, 'old.png')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /has no "figure": not an explanation report of this version/);
});

test('explain names the problem with a file that is not a photo', { skip }, () => {
  const notes = path.join(tmp, 'notes.jpg');
  fs.writeFileSync(notes, 'this is not a photo\n');
  const r = run(['explain', notes, '--json', path.join(tmp, 'notes.json')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /notes\.jpg: .*not an image/);
  assert.ok(!fs.existsSync(path.join(tmp, 'notes.json')));
  const missing = run(['explain', path.join(tmp, 'nope.jpg')]);
  assert.match(missing.stderr, /nope\.jpg: no such file/);
  const dir = path.join(shared, 'santa/test/person');
  const bad = run(['explain', path.join(dir, fs.readdirSync(dir).sort()[0]), '--background', 'pink']);
  assert.match(bad.stderr, /mean, blur or #rrggbb/);
});
