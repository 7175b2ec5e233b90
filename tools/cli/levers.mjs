// tools/cli/levers.mjs: `model levers`: which training levers keep the classifier from calling a
// person Santa because of the light and colours around them, chosen on the training folders
// alone. Each lever adds photos made from the training split to the head's training set:
//
//   base          the training photos (the scenes test's originals left out)
//   paste         + GRAZ people pasted with their masks onto training photos with no Santa
//   photometric   + the training photos relit whole (warm, red, purple, night, low light, saturated)
//   paste+photo   both, the pasted people under every light
//   +hard         paste+photo with the photos the first head gets wrong or nearly wrong counted 3 times
//
// Cross-validated by groups: a photo, the person pasted into a scene and the scene's background
// each fall in one of K folds by a hash of the original's name; a head is trained on what touches
// no photo of fold f and measured on fold f: its real photos and the scenes made from fold f
// alone. The scenes test (santa-lens scenes, test split) and the test folders stay out of every
// choice made here.
//
//   santa-lens model levers [--folds 5] [--json]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, unwrap } from './core.mjs';
import { dataPath } from './data_root.mjs';
import { FEATURE_DIM, extractFeatures } from './features.mjs';
import { readCard } from './model.mjs';
import { numberOption } from './options.mjs';
import { listLabelledPhotos } from './photos.mjs';
import { buildScenes, grazPeople, relightPhotos, sceneLightsOf, scenesTestOriginals, unit } from './scenes.mjs';
import { DEFAULT_HEAD } from './head_config.mjs';

export const LEVERS_HELP = `  santa-lens model levers [--folds 5] [--json]
      Which training levers against people called Santa for the light around them to keep:
      base, paste (GRAZ people pasted onto training photos), photometric (training photos
      relit), paste+photo, +hard (hard examples counted 3 times); each cross-validated by groups
      (photo, pasted person and background in one fold) on the training folders only, per light.`;

export const LEVERS = ['base', 'paste', 'photometric', 'paste+photo', '+hard'];
const HARD_COPIES = 3; // a hard example counts this many times in the second fit
const HARD_MARGIN = 0.3; // hard: P(true class) below 1 - this after the first fit

// Where the levers' photos are made (once; a stamp records what was made).
const LEVERS_DIR = path.join(repoRoot, '.cache', 'scenes', 'levers');

// The training photos of the levers: {roots, labels, real, pasted, relit, testOriginalsLeftOut},
// real, pasted and relit being lists of {file, label, root, groups: [names of the originals]}.
export function leverPhotos(core, { dir = LEVERS_DIR, log = () => {} } = {}) {
  const people = grazPeople(core);
  const testOriginals = new Set(scenesTestOriginals(core, people));
  const labels = readCard(core).info.labels;
  const roots = [dataPath('santa/train'), dataPath('people-extra/train')];
  const listed = roots.flatMap((root) => listLabelledPhotos(root, labels));
  const real = listed
    .filter((item) => !testOriginals.has(item.file))
    .map((item) => ({ ...item, groups: [path.parse(item.file).name] }));
  const lights = sceneLightsOf(core, null);
  const relitLights = lights.filter((l) => l !== 'plain');

  const stamp = path.join(dir, '.stamp');
  const want = JSON.stringify({ real: real.length, people: people.length, lights, version: 1 });
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== want) {
    fs.rmSync(dir, { recursive: true, force: true });
    buildScenes(core, path.join(dir, 'pasted'), { split: 'train', lights, people, log });
    // The people relit whole (buildScenes has relit the Santas already, into pasted/santa).
    const out = path.join(dir, 'relit', labels[0]);
    fs.mkdirSync(out, { recursive: true });
    const files = real.filter((item) => item.label === 0).map((item) => item.file);
    const n = relightPhotos(core, files, relitLights, (name, made) =>
      fs.writeFileSync(path.join(out, `${name}.jpg`), unwrap(made, name).jpeg),
    );
    log(`relit ${files.length} ${labels[0]} photos under ${relitLights.length} lights: ${n} photos`);
    fs.writeFileSync(stamp, want);
  }

  // A made photo's originals, from its name: LIGHT_gPERSON_K_BACKGROUND (pasted) or LIGHT_NAME.
  const personOriginal = new Map(people.map((p) => [p.name, p.original ? path.parse(p.original).name : `graz-${p.name}`]));
  const lightOf = (name) => lights.find((l) => name.startsWith(`${l}_`));
  const describe = (item) => {
    const name = path.parse(item.file).name;
    const light = lightOf(name);
    const rest = name.slice(light.length + 1);
    const pasted = rest.match(/^g(.+?)_(\d+)_(.+)$/);
    const groups = pasted ? [personOriginal.get(pasted[1]) ?? `graz-${pasted[1]}`, pasted[3]] : [rest];
    return { ...item, light, groups };
  };
  const made = (sub) => listLabelledPhotos(path.join(dir, sub), labels).map(describe);
  // The Santas relit by buildScenes sit in pasted/santa: they belong to the photometric lever.
  const pastedAll = made('pasted');
  return {
    roots,
    labels,
    real,
    pasted: pastedAll.filter((item) => labels[item.label] === 'person'),
    relit: [...made('relit'), ...pastedAll.filter((item) => labels[item.label] !== 'person' && item.light !== 'plain')],
    testOriginalsLeftOut: listed.filter((item) => testOriginals.has(item.file)).map((item) => item.file),
  };
}

// The photos each lever adds to the real ones.
export function leverExtras(lever, { pasted, relit }) {
  if (lever === 'base') return [];
  if (lever === 'paste') return pasted.filter((item) => item.light === 'plain');
  if (lever === 'photometric') return relit;
  return [...pasted, ...relit];
}

const foldOf = (name, k) => Math.floor(unit(`levers-fold:${name}`) * k);

// Fold f of k for items with `groups` (the originals a photo was made from): a photo trains when
// none of its originals is in fold f and is measured when all of them are; a scene whose person
// and background fall in different folds is never measured, so no fold sees a face or a
// background it was trained on.
export const foldRole = (item, f, k) => {
  const inFold = item.groups.map((g) => foldOf(g, k) === f);
  return inFold.every(Boolean) ? 'measure' : inFold.some(Boolean) ? 'neither' : 'train';
};

// Recall and count per label of rows [{label, p}] at threshold 0.5: {person: [right, n], santa: [...]}.
function recalls(rows, labels) {
  const out = Object.fromEntries(labels.map((l) => [l, [0, 0]]));
  for (const r of rows) {
    const cell = out[labels[r.label]];
    cell[1] += 1;
    if (r.p >= 0.5 === (r.label === 1)) cell[0] += 1;
  }
  return out;
}

// The feature rows `rows` of `features`, one after another.
const gather = (features, rows) => {
  const out = new Float32Array(rows.length * FEATURE_DIM);
  rows.forEach((r, i) => out.set(features.subarray(r * FEATURE_DIM, (r + 1) * FEATURE_DIM), i * FEATURE_DIM));
  return out;
};

// Trains a head on rows (indices into `features`) and returns P(santa) for `evalRows`.
function fitPredict(core, features, labelOf, train, evalRows, config) {
  const y = Int32Array.from(train, (r) => labelOf[r]);
  const { head } = unwrap(core.trainHead(gather(features, train), y, FEATURE_DIM, config), 'training a head');
  return { head, p: unwrap(core.predictHead(head, gather(features, evalRows), FEATURE_DIM), 'predicting').p };
}

// Cross-validates `levers` (every one by default) on `photos` (leverPhotos' result, made when not
// given); returns {folds, photos, levers: [{lever, real, relit, pasted}]} where real is recall per
// label, relit and pasted recall per label and light.
export async function crossValidateLevers(
  core,
  { folds = 5, config = DEFAULT_HEAD, levers = LEVERS, photos = null, log = () => {} } = {},
) {
  photos ??= leverPhotos(core, { log });
  const { labels, real, pasted, relit } = photos;
  const all = [...real, ...pasted, ...relit];
  const card = readCard(core);
  const { features, kept, errors } = await extractFeatures(core, card, all, { log });
  for (const e of errors) log(`skipped ${e.file}: ${e.error}`);
  const row = new Map(kept.map((item, i) => [item.file, i]));
  const labelOf = Int32Array.from(kept, (item) => item.label);
  const rowsOf = (items) => items.filter((item) => row.has(item.file));

  const results = [];
  for (const lever of levers) {
    const extras = rowsOf(leverExtras(lever === '+hard' ? 'paste+photo' : lever, photos));
    const measured = { real: [], pasted: [], relit: [] };
    for (let f = 0; f < folds; ++f) {
      const touches = (item) => foldRole(item, f, folds) !== 'train';
      const inFold = (item) => foldRole(item, f, folds) === 'measure';
      let train = [...rowsOf(real), ...extras].filter((item) => !touches(item)).map((item) => row.get(item.file));
      const evalItems = {
        real: rowsOf(real).filter(inFold),
        pasted: rowsOf(pasted).filter(inFold),
        relit: rowsOf(relit).filter(inFold),
      };
      const evalRows = Object.values(evalItems)
        .flat()
        .map((item) => row.get(item.file));
      if (lever === '+hard') {
        const first = fitPredict(core, features, labelOf, train, train, config).p;
        const hard = train.filter((r, i) => (labelOf[r] === 1 ? first[i] : 1 - first[i]) < 1 - HARD_MARGIN);
        train = [...train, ...hard.flatMap((r) => Array(HARD_COPIES - 1).fill(r))];
        log(`  fold ${f + 1}: ${hard.length} hard examples of ${train.length - hard.length * (HARD_COPIES - 1)}`);
      }
      const { p } = fitPredict(core, features, labelOf, train, evalRows, config);
      let i = 0;
      for (const [kind, items] of Object.entries(evalItems))
        for (const item of items) measured[kind].push({ label: item.label, light: item.light, p: p[i++] });
      log(`${lever}: fold ${f + 1}/${folds} trained on ${train.length} photos`);
    }
    const byLight = (rows) =>
      Object.fromEntries(
        sceneLightsOf(core, null)
          .map((light) => [
            light,
            recalls(
              rows.filter((r) => r.light === light),
              labels,
            ),
          ])
          .filter(([, r]) => Object.values(r).some(([, n]) => n > 0)),
      );
    results.push({
      lever,
      real: recalls(measured.real, labels),
      pasted: byLight(measured.pasted),
      relit: byLight(measured.relit),
    });
  }
  return {
    folds,
    photos: {
      real: real.length,
      pasted: pasted.length,
      relit: relit.length,
      test_originals_left_out: photos.testOriginalsLeftOut.length,
    },
    levers: results,
  };
}

const pct = ([right, n]) => (n ? `${((100 * right) / n).toFixed(1)}% (${right}/${n})` : '-');

// The report as Markdown tables: real photos, then person recall on pasted scenes per light.
export function leverTables(report, labels = ['person', 'santa']) {
  const lights = Object.keys(report.levers[0].pasted);
  const lines = [
    `| lever | ${labels.map((l) => `${l} recall`).join(' | ')} | ${lights.map((l) => `pasted ${l}`).join(' | ')} |`,
    `| --- | ${[...labels, ...lights].map(() => '---:').join(' | ')} |`,
  ];
  for (const r of report.levers)
    lines.push(
      `| ${r.lever} | ${labels.map((l) => pct(r.real[l])).join(' | ')} | ${lights.map((l) => pct(r.pasted[l].person)).join(' | ')} |`,
    );
  const relitLights = Object.keys(report.levers[0].relit);
  lines.push('', `| lever | ${relitLights.map((l) => `relit ${l}: person / santa`).join(' | ')} |`);
  lines.push(`| --- | ${relitLights.map(() => '---:').join(' | ')} |`);
  for (const r of report.levers)
    lines.push(`| ${r.lever} | ${relitLights.map((l) => `${pct(r.relit[l].person)} / ${pct(r.relit[l].santa)}`).join(' | ')} |`);
  return lines.join('\n');
}

export async function leversCommand(core, args, { log }) {
  const { values } = parseArgs({ args, options: { folds: { type: 'string' }, json: { type: 'boolean' } } });
  const folds = numberOption(values.folds, 'folds') ?? 5;
  if (!(Number.isInteger(folds) && folds >= 2)) throw new Error('--folds wants a whole number from 2');
  const report = await crossValidateLevers(core, { folds, log });
  console.log(values.json ? JSON.stringify(report, null, 2) : leverTables(report));
  return 0;
}
