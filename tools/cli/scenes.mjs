// tools/cli/scenes.mjs: the scenes test. Does the classifier call a person Santa because of the
// colours and light around them? People cut out of the GRAZ street photos with their masks
// (segmentation/) are pasted onto photos with no Santa in them, and each scene is made under
// every light of core/image/scene.h (plain, warm, red, purple, night, low light, saturated); the
// Santa photos are relit the same way (there are no Santa masks to cut them out with). Files are
// named LIGHT_..., so `santa-lens evaluate` reports recall per light.
//
// The test split uses test-folder photos only, the GRAZ people whose originals are test photos,
// and a quarter of the others, whose originals training leaves out (scenesTestOriginals). The
// train split uses the other GRAZ people on train-folder photos.
//
//   santa-lens scenes OUT [--split test|train] [--per-person 2] [--lights plain,red,...]
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { unwrap } from './core.mjs';
import { dataPath } from './data_root.mjs';
import { evaluate } from './evaluate.mjs';
import { explain } from './explain.mjs';
import { openModel } from './model.mjs';
import { numberOption } from './options.mjs';
import { superpixelLabels } from './redraw.mjs';

export const SCENES_HELP = `  santa-lens scenes OUT [--split test|train] [--per-person 2] [--lights plain,red,...]
      Builds the scenes test in OUT/person and OUT/santa: GRAZ people pasted with their masks
      onto photos with no Santa, each under every light (plain, warm, red, purple, night,
      lowlight, saturated), and the Santa photos relit the same way; files are named LIGHT_...,
      so evaluate reports recall per light. --split test (default): test folders only, the
      GRAZ people whose originals are test photos and a hashed quarter of the others (whose
      originals the next training must leave out); --split train: the rest. Then:
      santa-lens evaluate OUT (recall per light: name OUT .../scenes/test to read "scenes/red").`;

// A number in [0, 1) from a name, the same on every machine.
export function unit(name) {
  return crypto.createHash('sha256').update(name).digest().readUInt32BE(0) / 2 ** 32;
}

const listFolder = (dir) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((n) => !n.startsWith('.'))
        .sort()
        .map((n) => path.join(dir, n))
    : [];

// The GRAZ people with masks and where each one's original photo is: [{name, photo, mask,
// original, split}]. The originals are found by perceptual hash (the masked copies were
// re-encoded): those in santa/test/person are test people; of those in santa/train/person a
// quarter, chosen by a hash of the name, are test people too, and training leaves their originals
// out (scenesTestOriginals); the rest are train people.
export function grazPeople(core) {
  const seg = dataPath('segmentation');
  const phash = (file) => {
    const a = core.auditPhoto(new Uint8Array(fs.readFileSync(file)));
    return a.error ? null : BigInt(`0x${a.phash}`);
  };
  const distance = (a, b) => {
    let x = a ^ b;
    let n = 0;
    for (; x; x >>= 1n) n += Number(x & 1n);
    return n;
  };
  const originals = ['test', 'train'].flatMap((split) =>
    listFolder(dataPath(`santa/${split}/person`)).map((file) => ({ file, split, hash: phash(file) })),
  );
  return listFolder(path.join(seg, 'images'))
    .map((photo) => ({ photo, name: path.parse(photo).name, hash: phash(photo) }))
    .filter((p) => p.hash !== null && fs.existsSync(path.join(seg, 'masks', `${p.name}.png`)))
    .map((p) => {
      const near = originals.filter((o) => o.hash !== null && distance(o.hash, p.hash) <= 4);
      const original = near.find((o) => o.split === 'test') ?? near[0] ?? null;
      const test = original?.split === 'test' || unit(`scenes-test:${p.name}`) < 0.25;
      return {
        name: p.name,
        photo: p.photo,
        mask: path.join(seg, 'masks', `${p.name}.png`),
        original: original?.file ?? null,
        split: test ? 'test' : 'train',
      };
    });
}

// The santa/train photos that the scenes test's people come from: training leaves them out.
// `people`: grazPeople's list, when the caller has it already.
export const scenesTestOriginals = (core, people = grazPeople(core)) =>
  people
    .filter((p) => p.split === 'test' && p.original && !p.original.includes(`${path.sep}test${path.sep}`))
    .map((p) => p.original);

// The sources of a split: the people (photo and mask), the photos without Santa to put them on
// (never a GRAZ person's original of the other split), and the Santa photos to relight. `all`:
// grazPeople's list.
function sources(all, split) {
  const people = all.filter((p) => p.split === split);
  const otherOriginals = new Set(all.filter((p) => p.split !== split && p.original).map((p) => p.original));
  const backgrounds = [
    ...listFolder(dataPath(`santa/${split}/person`)),
    ...listFolder(dataPath(`people-extra/${split}/person`)),
  ].filter((f) => !otherOriginals.has(f));
  return { people, backgrounds, santas: listFolder(dataPath(`santa/${split}/santa`)) };
}

// The noise seed of a light: the same for a light whichever others are made beside it.
const lightSeed = (core, light) => 1 + core.sceneLights().indexOf(light);

// A person of grazPeople ({name, photo, mask}) read once for all their scenes: {name, subject,
// mask} (the bytes of the photo and of the mask).
export const cutout = (person) => ({
  name: person.name,
  subject: fs.readFileSync(person.photo),
  mask: fs.readFileSync(person.mask),
});

// Scene k of a cutout on the photo `background` (its bytes) under `light`: where the person
// stands and how tall comes from a hash of the name and k, so a scene is made the same every
// time. makeScene's result: {jpeg, placedMask, width, height} or {error}.
export function personScene(core, { name, subject, mask }, k, background, light) {
  const key = `${name}/${k}`;
  const placement = { heightShare: 0.55 + 0.3 * unit(`${key}:height`), centreX: 0.3 + 0.4 * unit(`${key}:x`), bottom: 1 };
  return core.makeScene(background, light, { subject, mask, ...placement, seed: lightSeed(core, light) });
}

// Each of `files` relit whole under each of `lights`, written by write(name, makeScene's result)
// as LIGHT_NAME: the Santas of the scenes test (there are no Santa masks to cut them out with),
// and the photometric augmentation of training photos (tools/cli/levers.mjs). Returns the count.
export function relightPhotos(core, files, lights, write) {
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    for (const light of lights)
      write(`${light}_${path.parse(file).name}`, core.makeScene(bytes, light, { seed: lightSeed(core, light) }));
  }
  return files.length * lights.length;
}

// The lights of core/image/scene.h, checked: `lights` (null: all of them).
export function sceneLightsOf(core, lights) {
  const known = core.sceneLights();
  const unknown = (lights ?? []).filter((l) => !known.includes(l));
  if (unknown.length) throw new Error(`unknown light ${unknown.join(', ')} (the lights: ${known.join(', ')})`);
  return lights ?? known;
}

// The scenes of a split in `out`. `people`: grazPeople's list, when the caller has it already.
export function buildScenes(
  core,
  out,
  { split = 'test', perPerson = 2, lights = null, people: all = null, log = () => {} } = {},
) {
  if (!['test', 'train'].includes(split)) throw new Error(`--split must be test or train, not ${split}`);
  const { people, backgrounds, santas } = sources(all ?? grazPeople(core), split);
  if (people.length === 0 || backgrounds.length === 0) throw new Error(`no people or backgrounds for the ${split} split`);
  lights = sceneLightsOf(core, lights);
  for (const label of ['person', 'santa']) fs.mkdirSync(path.join(out, label), { recursive: true });
  fs.mkdirSync(path.join(out, 'masks'), { recursive: true });
  // The scene as JPEG, and for a person where they landed (masks/NAME.png: white on the person).
  const write = (label, name, made) => {
    fs.writeFileSync(path.join(out, label, `${name}.jpg`), unwrap(made, name).jpeg);
    if (made.placedMask) fs.writeFileSync(path.join(out, 'masks', `${name}.png`), made.placedMask);
  };

  let scenes = 0;
  for (const person of people) {
    const cut = cutout(person);
    for (let k = 0; k < perPerson; ++k) {
      const background = backgrounds[Math.floor(unit(`${person.name}/${k}:background`) * backgrounds.length)];
      const bytes = fs.readFileSync(background);
      for (const light of lights) {
        write('person', `${light}_g${person.name}_${k}_${path.parse(background).name}`, personScene(core, cut, k, bytes, light));
        ++scenes;
      }
    }
  }
  scenes += relightPhotos(core, santas, lights, (name, made) => write('santa', name, made));
  log(
    `scenes: ${people.length} people x ${perPerson} backgrounds and ${santas.length} Santas, x ${lights.length} lights: ${scenes} photos in ${out}`,
  );
  return { people: people.length, backgrounds: backgrounds.length, santas: santas.length, lights, photos: scenes };
}

export function scenesCommand(core, args, { log }) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { split: { type: 'string' }, 'per-person': { type: 'string' }, lights: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new Error('scenes needs one output folder: santa-lens scenes OUT');
  const perPerson = numberOption(values['per-person'], 'per-person') ?? 2;
  if (!Number.isInteger(perPerson) || perPerson < 1) throw new Error('--per-person wants a whole number from 1');
  const lights = values.lights?.split(',');
  buildScenes(core, positionals[0], { split: values.split ?? 'test', perPerson, lights, log });
  return 0;
}

export const SCENE_HEATMAPS_HELP = `  santa-lens scene-heatmaps OUT [--budget 256]
      For each person of the scenes test in OUT (santa-lens scenes) that the model calls Santa:
      the explanation, and the share of its positive Santa value that lies on the pasted person
      and on the background (by OUT/masks/). A model that learned the scene's light, not Santa,
      puts the value on the background.`;

// Of the positive values of `phi` (one per superpixel), the share on the pixels where `mask`
// (one byte per pixel of the superpixel map, nonzero: the person) is set.
export function shareOnMask(phi, labels, mask) {
  const pixels = new Float64Array(phi.length);
  const onMask = new Float64Array(phi.length);
  labels.forEach((k, i) => {
    ++pixels[k];
    if (mask[i]) ++onMask[k];
  });
  let positive = 0;
  let on = 0;
  phi.forEach((v, k) => {
    if (!(v > 0) || pixels[k] === 0) return;
    positive += v;
    on += (v * onMask[k]) / pixels[k];
  });
  return positive > 0 ? on / positive : null;
}

export async function sceneHeatmaps(core, out, { budget = 256, log = () => {} } = {}) {
  const report = await evaluate(core, [out]);
  const santa = report.labels.indexOf('santa');
  const wrong = report.misclassified.filter((m) => m.label === 'person');
  const rows = [];
  const opened = await openModel(core); // one session for every explanation
  try {
    for (const m of wrong) {
      const name = path.parse(m.file).name;
      const e = await explain(core, m.file, { budget }, { log, opened });
      const labels = superpixelLabels(e.superpixels);
      const { width, height } = e.superpixels;
      const maskImage = unwrap(core.decodeImage(new Uint8Array(fs.readFileSync(path.join(out, 'masks', `${name}.png`)))));
      // The mask (1: the person) at the superpixel map's size, as the core resizes superpixels.
      const maskLabels = Int32Array.from({ length: maskImage.width * maskImage.height }, (_, i) =>
        Number(maskImage.rgb[3 * i] > 127),
      );
      const { labels: mask } = unwrap(
        core.resizeSegmentation(
          { width: maskImage.width, height: maskImage.height, count: 2, labels: maskLabels },
          width,
          height,
        ),
      );
      const share = shareOnMask(e.phi[santa], labels, mask);
      const area = mask.reduce((a, v) => a + v, 0) / mask.length;
      rows.push({
        file: path.relative('.', m.file),
        p_santa: m.p_santa,
        person_share: share,
        person_area: area,
        evaluations: e.evaluations,
      });
      log(
        `${name}: P(santa) ${m.p_santa.toFixed(3)}, positive Santa value on the person ${share === null ? '-' : `${(100 * share).toFixed(0)}%`} (${(100 * area).toFixed(0)}% of the photo), on the background ${share === null ? '-' : `${(100 * (1 - share)).toFixed(0)}%`}`,
      );
    }
  } finally {
    await opened.session.release();
  }
  return rows;
}

export async function sceneHeatmapsCommand(core, args, { log }) {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { budget: { type: 'string' } } });
  if (positionals.length !== 1) throw new Error('scene-heatmaps needs the scenes folder: santa-lens scene-heatmaps OUT');
  const budget = numberOption(values.budget, 'budget') ?? 256;
  const r = await sceneHeatmaps(core, positionals[0], { budget, log });
  console.log(JSON.stringify(r, null, 2));
  return 0;
}
