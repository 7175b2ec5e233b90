#!/usr/bin/env node
// tools/readme_screenshot.mjs: the README's screenshot (docs/screenshot.png), made anew from the
// built site: a drawn picture (a figure in a red coat and hat with a white beard, not a photo, so
// the screenshot can be committed) dropped on the page and explained, as a user would see it.
//
//   node tools/readme_screenshot.mjs [OUT.png]      (default docs/screenshot.png; needs tools/build.sh)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppBench } from '../bench/app_bench.mjs';
import { loadCore, repoRoot, unwrap } from './cli/core.mjs';

// An RGB picture of width x height, drawn by `shade(x, y)` -> [r, g, b].
function draw(width, height, shade) {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; ++y) for (let x = 0; x < width; ++x) rgb.set(shade(x, y), 3 * (y * width + x));
  return { width, height, rgb };
}

// A winter street at dusk and a figure in a red coat and hat, with a white beard and a black belt.
function figure(x, y) {
  const inEllipse = (cx, cy, rx, ry) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
  if (inEllipse(240, 62, 14, 14)) return [250, 250, 250]; // the hat's bobble
  if (y >= 70 && y < 130 && Math.abs(x - 240) < (y - 70) * 0.75 && y < 120) return [200, 20, 30]; // the hat
  if (y >= 118 && y < 132 && Math.abs(x - 240) < 50) return [245, 245, 245]; // its brim
  if (inEllipse(240, 200, 62, 78) && y > 165) return [240, 240, 236]; // the beard
  if (inEllipse(240, 160, 42, 38)) return [236, 190, 160]; // the face
  if (y >= 250 && y < 268 && Math.abs(x - 240) < 95) return [25, 25, 25]; // the belt
  if (y >= 200 && Math.abs(x - 240) < 70 + (y - 200) * 0.4) return [190, 25, 35]; // the coat
  const sky = Math.min(1, y / 300);
  return [Math.round(40 + 30 * sky), Math.round(60 + 40 * sky), Math.round(110 + 40 * sky)]; // the dusk
}

const out = path.resolve(process.argv[2] ?? path.join(repoRoot, 'docs/screenshot.png'));
const core = await loadCore();
const { width, height, rgb } = draw(480, 360, figure);
const picture = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'santa-lens-shot-')), 'drawn-santa.png');
fs.writeFileSync(picture, unwrap(core.encodePng(rgb, width, height)).png);
const app = await AppBench.open({ site: path.join(repoRoot, 'build/site'), budget: 64 });
try {
  const e = await app.explain(picture, { budget: 64, segments: 50 });
  await app.screenshot(out);
  console.log(
    `${path.relative(repoRoot, out)}: ${e.labels[e.probabilities.indexOf(Math.max(...e.probabilities))]}, ${e.evaluations} evaluations`,
  );
} finally {
  await app.close();
}
