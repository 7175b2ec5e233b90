// tests/node/audit.test.mjs: `santa-lens audit` on generated photo folders with planted problems:
// a size and JPEG-quality shortcut, copies (resized and re-encoded across train and test: a leak;
// recoloured and cropped within a folder), a mislabelled photo, unreadable files; and a control
// set without them. Classes are named apples/ and pears/ (any names work). The hash and shortcut
// checks need only the core; the feature checks (crop, suspects, sheet) need ResNet50 and skip
// without the model (test.sh builds it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCore, unwrap } from '../../tools/cli/core.mjs';
import { root, run } from './cli_harness.mjs';

const skipFeatures = fs.existsSync(path.join(root, 'assets/santa_resnet50.onnx'))
  ? false
  : 'no model: run ./tools/santa-lens model build';
const core = await loadCore();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'santa-lens-audit-'));

function random(seed) {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => ((s = (s ^ (s << 13)) >>> 0), (s = (s ^ (s >>> 17)) >>> 0), (s = (s ^ (s << 5)) >>> 0)) / 2 ** 32;
}

// A seeded picture as a function of (u, v) in [0, 1]^2: "stripes" (apples) or "discs" (pears),
// so that one seed drawn at two sizes or windows is one picture resized or cropped.
function picture(kind, seed) {
  const r = random(seed);
  const colour = () => [r() * 255, r() * 255, r() * 255];
  const [c0, c1] = [colour(), colour()];
  if (kind === 'stripes') {
    const angle = r() * Math.PI,
      cycles = 3 + r() * 5,
      phase = r();
    return (u, v) => (Math.sin(2 * Math.PI * (cycles * (u * Math.cos(angle) + v * Math.sin(angle)) + phase)) > 0 ? c0 : c1);
  }
  const discs = Array.from({ length: 3 + Math.floor(r() * 3) }, () => ({
    x: r(),
    y: r(),
    radius: 0.12 + r() * 0.2,
    c: colour(),
  }));
  return (u, v) => {
    for (const d of discs) if ((u - d.x) ** 2 + (v - d.y) ** 2 < d.radius ** 2) return d.c;
    return c0.map((x, k) => x * (1 - v) + c1[k] * v);
  };
}

// RGB pixels of `draw` over the window [u0, u1] x [v0, v1], with `tint` applied to each pixel.
function render(draw, width, height, { u0 = 0, v0 = 0, u1 = 1, v1 = 1, tint = (c) => c } = {}) {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; ++y) {
    for (let x = 0; x < width; ++x) {
      const c = tint(draw(u0 + ((x + 0.5) / width) * (u1 - u0), v0 + ((y + 0.5) / height) * (v1 - v0)));
      for (let k = 0; k < 3; ++k) rgb[(y * width + x) * 3 + k] = Math.max(0, Math.min(255, Math.round(c[k])));
    }
  }
  return { rgb, width, height };
}

// `img` shrunk to width x height by averaging the pixels under each new one.
function shrink(img, width, height) {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; ++y) {
    for (let x = 0; x < width; ++x) {
      const [x0, x1] = [Math.floor((x * img.width) / width), Math.ceil(((x + 1) * img.width) / width)];
      const [y0, y1] = [Math.floor((y * img.height) / height), Math.ceil(((y + 1) * img.height) / height)];
      for (let k = 0; k < 3; ++k) {
        let sum = 0;
        for (let yy = y0; yy < y1; ++yy) for (let xx = x0; xx < x1; ++xx) sum += img.rgb[(yy * img.width + xx) * 3 + k];
        rgb[(y * width + x) * 3 + k] = Math.round(sum / ((x1 - x0) * (y1 - y0)));
      }
    }
  }
  return { rgb, width, height };
}

const jpeg = (img, quality) => unwrap(core.encodeJpeg(img.rgb, img.width, img.height, quality)).jpeg;

function save(dir, name, bytes) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), bytes);
  return path.join(dir, name);
}

// train/{apples,pears} and test/{apples,pears}. planted: apples are stripes, pears discs; every
// apple is 96x72 at JPEG quality 95 and pears vary (the shortcut); plus the copies, the odd photo
// and the unreadable files. Not planted (the control): both classes alike in content and files
// (stripes and discs in turn, 96x72, quality 95), so nothing should tell them apart.
function makeSet(name, planted) {
  const base = path.join(tmp, name);
  const size = (i) => (planted ? [110 + 7 * i, 80 + 3 * (i % 5), 60 + 2 * i] : [96, 72, 95]);
  const kind = (cls, i) => (planted ? cls : i % 2 ? 'stripes' : 'discs');
  for (const [split, count, offset] of [
    ['train', 10, 0],
    ['test', 3, 100],
  ]) {
    for (let i = 0; i < count; ++i) {
      save(
        path.join(base, split, 'apples'),
        `a${offset + i}.jpg`,
        jpeg(render(picture(kind('stripes', i), offset + i + 1), 96, 72), 95),
      );
      const [w, h, q] = size(i);
      save(
        path.join(base, split, 'pears'),
        `p${offset + i}.jpg`,
        jpeg(render(picture(kind('discs', i), 500 + offset + i), w, h), q),
      );
    }
  }
  if (!planted) return base;
  const pear = picture('discs', 503); // train/pears/p3.jpg is 131x89 at quality 66
  save(path.join(base, 'test', 'pears'), 'p3_small.jpg', jpeg(shrink(render(pear, 131, 89), 66, 45), 40)); // a leak
  save(
    path.join(base, 'train', 'pears'),
    'p3_warm.jpg',
    jpeg(render(pear, 131, 89, { tint: ([r, g, b]) => [r + 30, g, b * 0.8] }), 80),
  );
  save(
    path.join(base, 'train', 'pears'),
    'p5_crop.jpg',
    jpeg(render(picture('discs', 505), 140, 92, { u0: 0.05, v0: 0.05, u1: 0.95, v1: 0.95 }), 70),
  );
  save(path.join(base, 'train', 'apples'), 'odd_pear.jpg', jpeg(render(picture('discs', 777), 96, 72), 95)); // mislabelled
  const good = fs.readFileSync(path.join(base, 'train', 'pears', 'p0.jpg'));
  save(path.join(base, 'train', 'pears'), 'cut.jpg', good.subarray(0, good.length >> 1));
  save(path.join(base, 'train', 'apples'), 'notes.txt', 'not a photo\n');
  return base;
}

const planted = makeSet('planted', true);
const control = makeSet('control', false);
const audit = (args) => {
  const r = run(['audit', ...args], { timeout: 300_000 });
  assert.equal(r.code, 0, r.stderr);
  return r;
};
const name = (file) => path.basename(file);

test('audit finds the planted shortcut, the copies by hash, the leak and the unreadable files', () => {
  const r = JSON.parse(audit([path.join(planted, 'train'), path.join(planted, 'test'), '--no-features', '--json']).stdout);
  assert.deepEqual(r.classes, ['apples', 'pears']);
  assert.deepEqual(
    r.roots.map((x) => [path.basename(x.root), x.role, x.photos]),
    [
      ['train', 'train', 23],
      ['test', 'test', 7],
    ],
  );
  assert.deepEqual(r.unreadable.map((u) => name(u.file)).sort(), ['cut.jpg', 'notes.txt']);
  assert.match(r.unreadable.find((u) => name(u.file) === 'cut.jpg').error, /truncated JPEG/);
  assert.match(r.unreadable.find((u) => name(u.file) === 'notes.txt').error, /not an image/);

  const pairs = r.duplicates.pairs.map((p) => [name(p.a), name(p.b)].sort().join(' = ')).sort();
  assert.deepEqual(pairs, ['p3.jpg = p3_small.jpg', 'p3.jpg = p3_warm.jpg', 'p3_small.jpg = p3_warm.jpg']);
  const leak = r.duplicates.pairs.find((p) => name(p.b) === 'p3_small.jpg' && name(p.a) === 'p3.jpg');
  assert.ok(leak.leak && leak.where === 'across roots' && !leak.conflict);
  assert.equal(r.duplicates.leaks, 2); // p3_small against p3 and against p3_warm
  assert.equal(leak.cosine, null); // no features

  const s = r.shortcuts;
  assert.equal(s.carries, true);
  assert.ok(s.accuracy >= 0.9 && s.chance < 0.6, `accuracy ${s.accuracy}, chance ${s.chance}`);
  const cue = (n) => s.cues.find((c) => c.name === n);
  for (const n of ['size', 'jpeg_quality', 'width'])
    assert.ok(cue(n).carries && cue(n).accuracy >= 0.9, `${n}: ${cue(n).accuracy}`);
  assert.equal(s.groups.find((g) => g.name === 'file').carries, true);
  assert.deepEqual(s.profile.apples.sizes, [['96x72', 14]]);
  assert.deepEqual(s.profile.apples.jpeg_quality, [[95, 14]]);
  assert.equal(r.suspects, null);
  assert.equal(r.features.used, false);
});

test('audit of a control set without planted problems reports no file shortcut and no pairs', () => {
  const roots = [path.join(control, 'train'), path.join(control, 'test'), '--no-features'];
  const text = audit(roots).stdout;
  assert.match(text, /Audit of 26 photos in 2 folders \(classes: apples, pears\); 0 unreadable/);
  assert.match(text, /Near-duplicates: 0 pairs/);
  assert.match(text, /Shortcuts: cues that say nothing about the content/); // no "SHORTCUT:"
  const r = JSON.parse(audit([...roots, '--json']).stdout);
  assert.equal(r.duplicates.pairs.length, 0);
  assert.equal(r.shortcuts.carries, false);
  assert.ok(r.shortcuts.accuracy < 0.75, `accuracy ${r.shortcuts.accuracy}`);
  for (const c of r.shortcuts.cues) assert.ok(!c.carries, `${c.name}: ${c.accuracy}`);
});

test('audit with ResNet50 features finds the crop and the mislabelled photo and draws the sheet', { skip: skipFeatures }, () => {
  const sheet = path.join(tmp, 'sheet.png');
  const r = JSON.parse(
    audit([
      '--train',
      path.join(planted, 'train'),
      '--test',
      path.join(planted, 'test'),
      '--json',
      '--sheet',
      sheet,
      '--suspects',
      '3',
    ]).stdout,
  );
  assert.equal(r.features.used, true);
  const pairs = r.duplicates.pairs.map((p) => [name(p.a), name(p.b)].sort().join(' = '));
  assert.ok(pairs.includes('p5.jpg = p5_crop.jpg'), pairs.join(', '));
  assert.ok(pairs.includes('p3.jpg = p3_small.jpg'));
  const apples = r.suspects.classes.apples;
  assert.equal(apples.most_wrong.length, 3);
  assert.equal(name(apples.most_wrong[0].file), 'odd_pear.jpg');
  assert.ok(apples.most_wrong[0].p_own < 0.5, `P(apples) ${apples.most_wrong[0].p_own}`);
  assert.equal(name(apples.farthest[0].file), 'odd_pear.jpg');
  assert.equal(apples.farthest[0].other_class, 'pears');

  const png = unwrap(core.decodeImage(new Uint8Array(fs.readFileSync(sheet))));
  assert.equal(png.width, 2 * 20 + 6 * 170 + 5 * 14); // six columns of 170 px tiles
  assert.ok(png.height > 4 * 170, `height ${png.height}`); // 4 suspect rows and the pairs
});
