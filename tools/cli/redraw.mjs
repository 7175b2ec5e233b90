// tools/cli/redraw.mjs: draws the heatmaps of an explanation again from its JSON report alone
// (the app's "Export JSON" or `santa-lens explain --json`; core/explain/explanation_report.h),
// for anyone who wants the values in another tool or checks them outside the app. Each class
// panel lands where the report's figure puts it; each pixel shows its superpixel's value in shap's
// red_transparent_blue over white (hatched where the sign is not settled, outlined where the
// report says borders), as the app's figure does without the grey photo underneath. The drawing
// needs nothing but the report.
//
//   santa-lens redraw REPORT.json OUT.png
//   import { redraw } from './redraw.mjs';   // redraw(report, core.colormapTable()): {width, height, rgb, alpha}
import fs from 'node:fs';
import { unwrap } from './core.mjs';

// The entry of `value` on a map spanning [-range, range] (matplotlib's rule).
const entry = (value, range) =>
  range > 0 && Number.isFinite(value) ? Math.min(255, Math.max(0, Math.floor(((value + range) / (2 * range)) * 256))) : 128;

// The superpixel label of every display pixel, from the report's runs.
export function superpixelLabels({ width, height, runs }) {
  const labels = new Int32Array(width * height);
  let at = 0;
  for (let i = 0; i < runs.length; i += 2) {
    labels.fill(runs[i], at, at + runs[i + 1]);
    at += runs[i + 1];
  }
  if (at !== labels.length) throw new Error(`the superpixel runs cover ${at} pixels, not ${width} x ${height}`);
  return labels;
}

// The figure's class panels over white: {width, height, rgb (Uint8Array, 3 per pixel), alpha
// (Float32Array: the colour's alpha per pixel, 0 outside the panels)}.
// colormap: the core's colour table (core.colormapTable(): 256 RGBA entries, shap's
// red_transparent_blue, the one the app and the figure use).
export function redraw(report, colormap, { hatchPeriod = 8, unsettledAlpha = 0.25 } = {}) {
  const { figure, superpixels: sp, phi, unsettled, range } = report;
  const labels = superpixelLabels(sp);
  const rgb = new Uint8Array(figure.width * figure.height * 3).fill(255);
  const alpha = new Float32Array(figure.width * figure.height);
  figure.panels.forEach((panel, c) => {
    // The nearest label of panel pixel (x, y), pixel centre to pixel centre; undefined outside.
    const label = (x, y) =>
      x < panel.width && y < panel.height
        ? labels[
            Math.min(sp.height - 1, Math.floor(((y + 0.5) * sp.height) / panel.height)) * sp.width +
              Math.min(sp.width - 1, Math.floor(((x + 0.5) * sp.width) / panel.width))
          ]
        : undefined;
    for (let y = 0; y < panel.height; ++y) {
      for (let x = 0; x < panel.width; ++x) {
        const k = label(x, y);
        const at = (panel.y + y) * figure.width + panel.x + x;
        if (figure.borders && ((label(x + 1, y) ?? k) !== k || (label(x, y + 1) ?? k) !== k)) {
          rgb.fill(90, 3 * at, 3 * at + 3);
          continue;
        }
        const e = 4 * entry(phi[c][k], range);
        const [r, g, b, a8] = colormap.subarray(e, e + 4);
        let a = (a8 / 255) * (figure.opacity ?? 1);
        if (unsettled[c][k] && (x + y) % hatchPeriod < hatchPeriod / 2) a *= unsettledAlpha;
        alpha[at] = a;
        [r, g, b].forEach((v, ch) => (rgb[3 * at + ch] = Math.round(255 * (1 - a) + v * a)));
      }
    }
  });
  return { width: figure.width, height: figure.height, rgb, alpha };
}

export const REDRAW_HELP = `  santa-lens redraw REPORT.json OUT.png
      Draws the heatmaps of an explanation again from its JSON report alone (the app's Export
      JSON, or explain --json): each class panel where the report's figure puts it, shap's
      colours over white (no photo underneath), hatched where the sign is not settled.`;

export function redrawCommand(core, args) {
  const [reportFile, out] = args;
  if (!reportFile || !out || args.length !== 2)
    throw new Error('redraw needs a report and an output: santa-lens redraw REPORT.json OUT.png');
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  for (const key of ['figure', 'superpixels', 'phi', 'unsettled', 'range'])
    if (!(key in report)) throw new Error(`${reportFile} has no "${key}": not an explanation report of this version`);
  const { width, height, rgb } = redraw(report, core.colormapTable());
  fs.writeFileSync(out, unwrap(core.encodePng(rgb, width, height), 'redraw').png);
  return 0;
}
