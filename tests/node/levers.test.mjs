// tests/node/levers.test.mjs: `model levers` (tools/cli/levers.mjs): what each lever adds to the
// training photos, and folds that never measure a photo on a person or a background it trained on;
// `model train --lever`: the photos it left out stay out of what is fitted to the card later.
//
//   node --test tests/node/levers.test.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { foldRole, leverExtras, leverTables } from '../../tools/cli/levers.mjs';
import { cardTrainingPhotos } from '../../tools/cli/photos.mjs';
import { run } from './cli_harness.mjs';

const pasted = ['plain', 'red'].map((light) => ({ file: `${light}_g1_0_bg.jpg`, light, groups: ['orig1', 'bg'] }));
const relit = [{ file: 'red_person_1.jpg', light: 'red', groups: ['person_1'] }];

test('each lever adds its photos: paste the plain pasted people, photometric the relit photos, both all', () => {
  assert.deepEqual(leverExtras('base', { pasted, relit }), []);
  assert.deepEqual(leverExtras('paste', { pasted, relit }), [pasted[0]]);
  assert.deepEqual(leverExtras('photometric', { pasted, relit }), relit);
  assert.deepEqual(leverExtras('paste+photo', { pasted, relit }), [...pasted, ...relit]);
});

test('a photo trains only when none of its originals is in the fold, and is measured only when all are', () => {
  const k = 5;
  const names = Array.from({ length: 200 }, (_, i) => `photo_${i}`);
  const foldOf = (name) => [...Array(k).keys()].find((f) => foldRole({ groups: [name] }, f, k) === 'measure');
  for (const name of names) {
    const roles = [...Array(k).keys()].map((f) => foldRole({ groups: [name] }, f, k));
    assert.equal(roles.filter((r) => r === 'measure').length, 1, `${name} is measured in one fold`);
    assert.equal(roles.filter((r) => r === 'train').length, k - 1);
  }
  const counts = Array(k).fill(0);
  for (const name of names) ++counts[foldOf(name)];
  assert.ok(Math.min(...counts) > 20, `folds of similar size: ${counts}`);
  // A scene of person p on background b: never trains in the fold of either, measured only where both are.
  for (let i = 0; i + 1 < names.length; i += 2) {
    const [p, b] = [names[i], names[i + 1]];
    for (let f = 0; f < k; ++f) {
      const role = foldRole({ groups: [p, b] }, f, k);
      const inP = foldOf(p) === f;
      const inB = foldOf(b) === f;
      assert.equal(role, inP && inB ? 'measure' : inP || inB ? 'neither' : 'train');
    }
  }
});

test('the report prints one row per lever with recall per light', () => {
  const cell = { person: [36, 37], santa: [0, 0] };
  const lever = (name) => ({
    lever: name,
    real: { person: [730, 733], santa: [424, 430] },
    pasted: { plain: cell, red: cell },
    relit: { red: { person: [721, 733], santa: [422, 430] } },
  });
  const table = leverTables({ levers: [lever('base'), lever('paste')] });
  assert.match(table, /\| base \| 99\.6% \(730\/733\) \| 98\.6% \(424\/430\) \| 97\.3% \(36\/37\) \| 97\.3% \(36\/37\) \|/);
  assert.match(table, /\| paste \| 98\.4% \(721\/733\) \/ 98\.1% \(422\/430\) \|/);
});

test("the card's training photos leave out what its lever left out (calibration and the explainer read them)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'santa-lens-levers-'));
  try {
    for (const f of ['person/a.jpg', 'person/b.jpg', 'santa/c.jpg']) {
      fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), 'x');
    }
    const card = (lever) => ({
      info: { labels: ['person', 'santa'] },
      json: { training: { data: [{ root: dir }], ...(lever ? { lever } : {}) } },
    });
    const names = (c) => cardTrainingPhotos(c).map((item) => path.relative(dir, item.file));
    assert.deepEqual(names(card(null)), ['person/a.jpg', 'person/b.jpg', 'santa/c.jpg']);
    assert.deepEqual(names(card({ left_out: [path.join(dir, 'person/b.jpg')] })), ['person/a.jpg', 'santa/c.jpg']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('model train refuses an unknown lever, and a lever with --data', () => {
  const unknown = run(['model', 'train', '--lever', 'colour']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /--lever wants one of base, paste, photometric, paste\+photo, \+hard/);
  const both = run(['model', 'train', '--lever', 'paste', '--data', 'x']);
  assert.equal(both.code, 1);
  assert.match(both.stderr, /leave out --data/);
});

test('audit --lever refuses an unknown lever, and folders beside it', () => {
  const unknown = run(['audit', '--lever', 'colour']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /--lever wants one of base, paste/);
  const both = run(['audit', '--lever', 'paste', 'some/folder']);
  assert.equal(both.code, 1);
  assert.match(both.stderr, /leave out the folders/);
});
