// tests/node/cli.test.mjs: tools/santa-lens as a user runs it: good photos, every kind of bad
// file, a missing or broken model. Needs the model (test.sh builds it) and the test photos.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { modelName, root, run, shared, skipWithoutModelAndPhotos as skip } from './cli_harness.mjs';
import { blankPng, gifFrames, webpOf, webpSkip } from '../photo_files.mjs';

function firstPhoto(dir) {
  return path.join(dir, fs.readdirSync(dir).sort()[0]);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'santa-lens-cli-'));
function fixture(name, bytes) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  return file;
}

test('classify labels a Santa and a person, and reports every bad file on its own line', { skip }, () => {
  const santa = firstPhoto(path.join(shared, 'santa/test/santa'));
  const person = firstPhoto(path.join(shared, 'santa/test/person'));
  const jpeg = fs.readFileSync(person);
  const png = Buffer.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 8, 2,
    0, 0, 0, 0, 0, 0, 0,
  ]); // claims 30000x30000
  const bad = {
    empty: fixture('empty.jpg', Buffer.alloc(0)),
    text: fixture('notes.jpg', 'this is not a photo\n'),
    truncated: fixture('truncated.jpg', jpeg.subarray(0, jpeg.length >> 1)),
    corrupt: fixture('corrupt.png', Buffer.concat([png.subarray(0, 8), Buffer.alloc(64, 0xab)])),
    huge: fixture('huge.png', png),
    frames: fixture('frames.gif', gifFrames(10001)),
    missing: path.join(tmp, 'does-not-exist.jpg'),
  };
  const r = run([
    'classify',
    '--json',
    santa,
    bad.empty,
    person,
    bad.text,
    bad.truncated,
    bad.corrupt,
    bad.huge,
    bad.frames,
    bad.missing,
  ]);
  assert.equal(r.code, 2, r.stderr); // 2: some files failed, the rest were classified
  const rows = JSON.parse(r.stdout);
  assert.equal(rows.length, 9);
  assert.equal(rows[0].label, 'santa');
  assert.ok(rows[0].p_santa > 0.5);
  assert.equal(rows[2].label, 'person');
  const error = (file) => rows.find((row) => row.file === file).error;
  assert.match(error(bad.empty), /empty/);
  assert.match(error(bad.text), /not an image/);
  assert.match(error(bad.truncated), /truncated JPEG/);
  assert.match(error(bad.corrupt), /PNG/);
  assert.match(error(bad.huge), /too large: 30000x30000/);
  assert.match(error(bad.frames), /^GIF with more than 10000 frames/);
  assert.match(error(bad.missing), /no such file/);
});

// The photo tests/e2e/app.test.mjs drops as a WebP too: the CLI and the page read the same formats.
test('classify labels a WebP photo of Santa', { skip: skip || webpSkip }, () => {
  const webp = webpOf(path.join(shared, 'santa/test/santa/00000005.jpg'));
  const r = run(['classify', '--json', webp]);
  assert.equal(r.code, 0, r.stderr);
  const [row] = JSON.parse(r.stdout);
  assert.equal(row.label, 'santa', JSON.stringify(row));
  assert.ok(row.p_santa > 0.5);
});

// The size is in the header: the 400 MP photo costs no more than a 1-pixel one (decoding it
// would take 1.2 GB and many seconds). Whole runs are timed, the model's loading included, so
// both pay the same start.
test('a 400 MP PNG is refused, naming its size, in under 1 s more than a 1-pixel photo takes', { skip }, (t) => {
  const onePixel = fixture('one-pixel.png', blankPng(1, 1));
  const huge = fixture('huge-400mp.png', blankPng(20000, 20000));
  const timed = (file) => {
    const start = performance.now();
    const r = run(['classify', '--json', file]);
    return { ms: performance.now() - start, row: JSON.parse(r.stdout)[0] };
  };
  const small = timed(onePixel);
  const big = timed(huge);
  t.diagnostic(`400 MP refused in ${big.ms.toFixed(0)} ms, 1 pixel labelled in ${small.ms.toFixed(0)} ms (whole runs)`);
  assert.equal(small.row.error, undefined, small.row.error);
  assert.match(big.row.error, /^image too large: 20000x20000 \(400 MP\); the limit is 64 MP/);
  assert.ok(big.ms < small.ms + 1000, `400 MP: ${big.ms.toFixed(0)} ms, 1 pixel: ${small.ms.toFixed(0)} ms`);
});

test('a PNG named .jpg is decoded by its content', { skip }, () => {
  const dir = path.join(shared, 'santa/train/santa');
  const png = fs
    .readdirSync(dir)
    .map((f) => path.join(dir, f))
    .find((f) => f.endsWith('.jpg') && fs.readFileSync(f).subarray(0, 4).toString('latin1') === '\x89PNG');
  assert.ok(png, 'the training set has PNG files named .jpg');
  const [row] = JSON.parse(run(['classify', '--json', png]).stdout);
  assert.equal(row.error, undefined);
  assert.ok(row.p_santa >= 0 && row.p_santa <= 1);
});

test('evaluate prints the figures the issue asks for', { skip }, () => {
  const r = run(['evaluate', path.join(shared, 'santa/test'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.n, 86);
  assert.equal(
    report.confusion.flat().reduce((a, b) => a + b),
    86,
  );
  assert.equal(report.misclassified.length, 86 - Math.round(report.accuracy * 86));
  assert.equal(report.photos.length, 86);
  assert.ok(report.photos.every((p) => p.p_santa >= 0 && p.p_santa <= 1));
  assert.ok(report.accuracy >= 0.9615, `accuracy ${report.accuracy} is below the original project's 96.15%`);
});

test('a missing model and a truncated model each give a clear error', { skip }, () => {
  const assets = fs.mkdtempSync(path.join(tmp, 'assets-'));
  fs.copyFileSync(path.join(root, 'assets/santa_resnet50.json'), path.join(assets, 'santa_resnet50.json'));
  const photo = firstPhoto(path.join(shared, 'santa/test/santa'));
  let r = run(['classify', photo], { env: { SANTA_LENS_ASSETS: assets } });
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(`model not found: ${path.join(assets, modelName)}`), r.stderr);
  assert.match(r.stderr, /model build/);

  const model = fs.readFileSync(path.join(root, 'assets', modelName));
  fs.writeFileSync(path.join(assets, modelName), model.subarray(0, model.length >> 2));
  r = run(['classify', photo], { env: { SANTA_LENS_ASSETS: assets } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot load the model/);
  assert.equal(r.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
});

test('unknown commands and missing arguments explain themselves', () => {
  assert.match(run(['frobnicate']).stderr, /unknown command "frobnicate"/);
  assert.match(run(['model', 'train']).stderr, /needs --data DIR/);
  assert.match(run(['help']).stdout, /santa-lens model build/);
});

test("model compare reports both variants' accuracy and how their explanations agree", { skip }, () => {
  const r = run(['model', 'compare', path.join(shared, 'santa/test'), '--photos', '2', '--budget', '128', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  for (const name of ['fp32', 'int8'])
    assert.ok(report.accuracy[name].accuracy >= 0.95, `${name}: ${report.accuracy[name].accuracy}`);
  assert.equal(report.explanations.length, 2);
  assert.deepEqual(
    report.explanations.map((e) => e.class),
    ['person', 'santa'],
  );
  // Same superpixels and coalitions: the two models' values must rank alike. Each variant's first
  // estimate comes from its own stage-4 features, so at 128 evaluations they agree a little less
  // than two runs of one model.
  for (const e of report.explanations) assert.ok(e.spearman > 0.85 && e.spearman <= 1, JSON.stringify(e));
});
