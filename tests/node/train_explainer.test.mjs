// tests/node/train_explainer.test.mjs: `santa-lens model train --explainer` end to end, made small
// (24 photos, 32 masked evaluations each, 2 epochs) in a copy of the assets folder: the games
// are played, the network trained in C++ and written with its figures in the card, and
// `explain --estimator amortized` then starts from it. Needs the model (test.sh builds it) and
// the test photos.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, run, shared, skipWithoutModelAndPhotos as skip } from './cli_harness.mjs';
import { dataName, dataPath, dataRoot } from '../../tools/cli/data_root.mjs';

// A copy of assets/ (the card and the head copied, the models linked) and a folder of 12 photos
// of each class.
function sandbox() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'santa-lens-explainer-'));
  const assets = path.join(dir, 'assets');
  fs.mkdirSync(assets);
  for (const f of fs.readdirSync(path.join(root, 'assets'))) {
    if (f.endsWith('.onnx')) fs.symlinkSync(path.join(root, 'assets', f), path.join(assets, f));
    else if (f !== 'santa_explainer.bin') fs.copyFileSync(path.join(root, 'assets', f), path.join(assets, f));
  }
  const card = JSON.parse(fs.readFileSync(path.join(assets, 'santa_resnet50.json'), 'utf8'));
  delete card.explainer;
  fs.writeFileSync(path.join(assets, 'santa_resnet50.json'), JSON.stringify(card));
  const data = path.join(dir, 'data');
  for (const label of ['person', 'santa']) {
    fs.mkdirSync(path.join(data, label), { recursive: true });
    const from = path.join(shared, 'santa/test', label);
    for (const f of fs.readdirSync(from).sort().slice(0, 12)) fs.symlinkSync(path.join(from, f), path.join(data, label, f));
  }
  return { assets, data };
}

test('model train --explainer trains the amortized explainer and explain starts from it', { skip }, () => {
  const { assets, data } = sandbox();
  const env = { SANTA_LENS_ASSETS: assets };
  const r = run(['model', 'train', '--explainer', '--data', data, '--evaluations', '32', '--epochs', '2'], {
    env,
    timeout: 600_000,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /explainer: epoch 2: loss [\d.]+, held-out photos' error [\d.]+/);
  const net = fs.readFileSync(path.join(assets, 'santa_explainer.bin'));
  assert.equal(net.subarray(0, 7).toString('latin1'), 'SLAMEX1');
  const card = JSON.parse(fs.readFileSync(path.join(assets, 'santa_resnet50.json'), 'utf8'));
  assert.equal(card.explainer.file, 'santa_explainer.bin');
  assert.equal(card.explainer.bytes, net.length);
  assert.equal(card.explainer.data.photos, 24);
  assert.equal(card.explainer.data.evaluations_per_photo, 32);
  assert.deepEqual(card.explainer.data.roots, [data]); // outside the data root: named by its whole path
  assert.equal(card.explainer.figures.per_epoch.length, 2);
  assert.ok(card.explainer.prior_error >= 0 && card.explainer.prior_error < 5, `prior error ${card.explainer.prior_error}`);

  const out = path.join(path.dirname(assets), 'values.json');
  const photo = path.join(shared, 'santa/test/santa', fs.readdirSync(path.join(shared, 'santa/test/santa')).sort()[0]);
  const e = run(['explain', photo, '--estimator', 'amortized', '--budget', '18', '--json', out], { env });
  assert.equal(e.code, 0, e.stderr);
  const values = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal(values.estimator, 'amortized');
  assert.equal(values.evaluations, 18);
  const sum = values.phi[1].reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - (values.f_x[1] - values.f_empty[1])) < 1e-6, 'the values add up to the margin');
});

test('model train --explainer names a card without spatial features', { skip }, () => {
  const { assets, data } = sandbox();
  const cardFile = path.join(assets, 'santa_resnet50.json');
  const card = JSON.parse(fs.readFileSync(cardFile, 'utf8'));
  delete card.features;
  fs.writeFileSync(cardFile, JSON.stringify(card));
  const r = run(['model', 'train', '--explainer', '--data', data, '--evaluations', '32'], { env: { SANTA_LENS_ASSETS: assets } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /names no spatial features/);
});

test('the card names data folders relative to the data root, and finds them again', () => {
  assert.equal(dataName(path.join(dataRoot, 'santa', 'train')), 'santa/train');
  assert.equal(dataPath('santa/train'), path.join(dataRoot, 'santa', 'train'));
  assert.equal(dataName(os.tmpdir()), path.resolve(os.tmpdir())); // outside the root: the whole path
  const card = JSON.parse(fs.readFileSync(path.join(root, 'assets/santa_resnet50.json'), 'utf8'));
  for (const d of card.training.data) assert.ok(!path.isAbsolute(d.root) && !d.root.startsWith('..'), d.root);
});
