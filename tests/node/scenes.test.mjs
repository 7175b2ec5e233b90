// tests/node/scenes.test.mjs: `santa-lens scenes` as a user runs it: the scenes test of people
// pasted onto photos with no Santa under other lights, with the test split's sources kept apart
// from training, and evaluate's recall per light. Needs the model and the photos.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCore } from '../../tools/cli/core.mjs';
import { grazPeople, scenesTestOriginals } from '../../tools/cli/scenes.mjs';
import { run, shared, skipWithoutModelAndPhotos } from './cli_harness.mjs';

const skip = skipWithoutModelAndPhotos || (!fs.existsSync(path.join(shared, 'segmentation/masks')) && `no masks in ${shared}`);
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'santa-lens-scenes-')), 'scenes', 'test');

test('the test split keeps its people and their originals out of training', { skip }, async () => {
  const core = await loadCore();
  const people = grazPeople(core);
  const test = people.filter((p) => p.split === 'test');
  assert.ok(people.length >= 140, `${people.length} GRAZ people with masks`);
  assert.ok(test.length > 0.2 * people.length && test.length < 0.5 * people.length, `${test.length} test people`);
  // Every person's original is found, and those in santa/test are always test people.
  assert.ok(
    people.every((p) => p.original),
    'a GRAZ person without an original photo',
  );
  for (const p of people.filter((p) => p.original.includes(`${path.sep}test${path.sep}`))) assert.equal(p.split, 'test');
  const leave = scenesTestOriginals(core);
  assert.ok(leave.length > 0 && leave.every((f) => f.includes(`santa${path.sep}train${path.sep}person`)));
});

test('scenes builds each scene under every light asked, and evaluate reports recall per light', { skip }, () => {
  const r = run(['scenes', out, '--per-person', '1', '--lights', 'plain,red']);
  assert.equal(r.code, 0, r.stderr);
  const people = fs.readdirSync(path.join(out, 'person'));
  const santas = fs.readdirSync(path.join(out, 'santa'));
  for (const files of [people, santas]) {
    const plain = files.filter((f) => f.startsWith('plain_')).length;
    assert.ok(plain > 10);
    assert.equal(files.filter((f) => f.startsWith('red_')).length, plain);
    assert.equal(files.length, 2 * plain);
  }
  // The backgrounds come from test folders only.
  const trainNames = new Set(fs.readdirSync(path.join(shared, 'santa/train/person')).map((f) => path.parse(f).name));
  for (const f of people) assert.ok(!trainNames.has(f.replace(/^[a-z]+_g\d+_\d+_/, '').replace(/\.jpg$/, '')), f);

  const e = run(['evaluate', out]);
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stdout, /scenes\/plain: recall person \d+\/\d+, santa \d+\/\d+/);
  assert.match(e.stdout, /scenes\/red: recall person \d+\/\d+, santa \d+\/\d+/);

  const bad = run(['scenes', out, '--lights', 'disco']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /unknown light disco \(the lights: plain, warm, red, purple, night, lowlight, saturated\)/);
});
