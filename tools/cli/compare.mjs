// tools/cli/compare.mjs: `santa-lens model compare`: whether the 8-bit model may ship in place of
// the float one (issue 5): accuracy of each variant on labelled folders, and how far their
// explanations of the same photos agree (same superpixels, same coalitions; Spearman of the
// values and share of the 5 strongest superpixels, per class shown). The work is evaluate.mjs's
// and explain.mjs's; the agreement measures are the core's (core/explain/explanation_metrics.h).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { unwrap } from './core.mjs';
import { evaluate } from './evaluate.mjs';
import { explain } from './explain.mjs';
import { assets, openModel, readCard } from './model.mjs';
import { numberOption } from './options.mjs';
import { listLabelledPhotos } from './photos.mjs';
import { rounder } from './figures.mjs';

export const COMPARE_HELP = `  santa-lens model compare DIR... [--photos 10] [--budget 512] [--json]
      The float and 8-bit models side by side: accuracy on each DIR (person/, santa/), then both
      explain the first --photos photos of the first DIR (half of each class, same seed): Spearman
      of the values of the class each photo is, and the share of its 5 strongest superpixels.`;

// `count` photos of `root`, half of each class, the first by name.
function explainedPhotos(root, labels, count) {
  const all = listLabelledPhotos(root, labels);
  const perClass = Math.ceil(count / labels.length);
  return labels.flatMap((_, label) => all.filter((p) => p.label === label).slice(0, perClass)).slice(0, count);
}

const round = rounder(4);

export async function compareModels(core, roots, { photos = 10, budget = 512, log = () => {} } = {}) {
  const card = readCard(core);
  const variants = { fp32: assets.fp32, int8: assets.int8 };
  const accuracy = {};
  for (const [name, model] of Object.entries(variants)) {
    const r = await evaluate(core, roots, { model });
    accuracy[name] = {
      n: r.n,
      accuracy: r.accuracy,
      roots: r.roots.map(({ root, n, accuracy: a, confusion }) => ({ root, n, accuracy: a, confusion })),
    };
    log(`${name}: ${r.n} photos, accuracy ${(100 * r.accuracy).toFixed(2)}%`);
  }
  const explained = [];
  const fp32 = await openModel(core, variants.fp32); // one session per variant for all photos
  const int8 = await openModel(core, variants.int8);
  try {
    for (const item of explainedPhotos(roots[0], card.info.labels, photos)) {
      const quiet = () => {};
      const a = await explain(core, item.file, { budget }, { log: quiet, opened: fp32 });
      const b = await explain(core, item.file, { budget }, { log: quiet, opened: int8 });
      const shown = item.label; // the class the photo is
      const row = {
        file: path.basename(item.file),
        class: card.info.labels[shown],
        spearman: round(unwrap(core.spearman(a.phi[shown], b.phi[shown]))),
        top5: round(unwrap(core.topKShare(a.phi[shown], b.phi[shown], 5))),
        seconds: { fp32: a.seconds.explain, int8: b.seconds.explain },
      };
      log(`${row.file}: Spearman ${row.spearman}, top-5 ${row.top5}, ${row.seconds.fp32} s vs ${row.seconds.int8} s`);
      explained.push(row);
    }
  } finally {
    await fp32.session.release();
    await int8.session.release();
  }
  const mean = (xs) => round(xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length));
  return {
    accuracy,
    explanations: explained,
    budget,
    spearman: { min: round(Math.min(...explained.map((r) => r.spearman))), mean: mean(explained.map((r) => r.spearman)) },
    top5: { min: round(Math.min(...explained.map((r) => r.top5))), mean: mean(explained.map((r) => r.top5)) },
  };
}

export async function compareCommand(core, args, { log }) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { photos: { type: 'string' }, budget: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length === 0) throw new Error('model compare needs at least one folder with person/ and santa/');
  const report = await compareModels(core, positionals, {
    photos: numberOption(values.photos, 'photos') ?? 10,
    budget: numberOption(values.budget, 'budget') ?? 512,
    log,
  });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    for (const [name, a] of Object.entries(report.accuracy))
      console.log(
        `${name}: ${a.roots.map((r) => `${path.relative('.', r.root)} ${(100 * r.accuracy).toFixed(2)}% of ${r.n}`).join(', ')}`,
      );
    console.log(
      `explanations of ${report.explanations.length} photos: Spearman min ${report.spearman.min}, mean ${report.spearman.mean}; top-5 min ${report.top5.min}, mean ${report.top5.mean}`,
    );
  }
  return 0;
}
