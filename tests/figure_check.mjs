// tests/figure_check.mjs: how well an exported figure (PNG, decoded) agrees with what its JSON report
// redraws (tools/cli/redraw.mjs), shared by the CLI's and the app's export tests. Over the class
// panels, each pixel of the figure must be the redrawn colour with the grey photo under it: the
// figure composites the colour over white darkened by the photo's grey at 15% (heatmap.h), so
// each channel lies between the redrawn value and 15% of (1 - alpha) x 255 below it.
import { redraw } from '../tools/cli/redraw.mjs';

// The share of class-panel pixels (0..1) that the report cannot explain, and the redrawn size.
// pixels: the figure's bytes, `channels` per pixel (3: RGB, 4: RGBA), width x height of the report;
// colormap: core.colormapTable().
export function figureMismatch(report, pixels, channels, colormap) {
  const drawn = redraw(report, colormap);
  let off = 0;
  let n = 0;
  for (const p of report.figure.panels)
    for (let y = p.y; y < p.y + p.height; ++y)
      for (let x = p.x; x < p.x + p.width; ++x, ++n) {
        const i = y * drawn.width + x;
        const slack = 0.15 * 255 * (1 - drawn.alpha[i]);
        for (let ch = 0; ch < 3; ++ch) {
          const seen = pixels[channels * i + ch];
          const want = drawn.rgb[3 * i + ch];
          if (seen > want + 2 || seen < want - slack - 2) {
            ++off;
            break;
          }
        }
      }
  return { share: off / n, width: drawn.width, height: drawn.height };
}
