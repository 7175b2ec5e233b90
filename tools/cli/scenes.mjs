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
import { numberOption } from './options.mjs';

export const SCENES_HELP = `  santa-lens scenes OUT [--split test|train] [--per-person 2] [--lights plain,red,...]
      Builds the scenes test in OUT/person and OUT/santa: GRAZ people pasted with their masks
      onto photos with no Santa, each under every light (plain, warm, red, purple, night,
      lowlight, saturated), and the Santa photos relit the same way; files are named LIGHT_...,
      so evaluate reports recall per light. --split test (default) uses test folders only and
      the quarter of the GRAZ people held out from training; train the rest. Then:
      santa-lens evaluate OUT (recall per light: name OUT .../scenes/test to read "scenes/red").`;

// A number in [0, 1) from a name, the same on every machine.
function unit(name) {
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
export const scenesTestOriginals = (core) =>
  grazPeople(core)
    .filter((p) => p.split === 'test' && p.original && !p.original.includes(`${path.sep}test${path.sep}`))
    .map((p) => p.original);

// The sources of a split: the people (photo and mask), the photos without Santa to put them on
// (never a GRAZ person's original of the other split), and the Santa photos to relight.
function sources(core, split) {
  const all = grazPeople(core);
  const people = all.filter((p) => p.split === split);
  const otherOriginals = new Set(all.filter((p) => p.split !== split && p.original).map((p) => p.original));
  const backgrounds = [
    ...listFolder(dataPath(`santa/${split}/person`)),
    ...listFolder(dataPath(`people-extra/${split}/person`)),
  ].filter((f) => !otherOriginals.has(f));
  return { people, backgrounds, santas: listFolder(dataPath(`santa/${split}/santa`)) };
}

export function buildScenes(core, out, { split = 'test', perPerson = 2, lights = null, log = () => {} } = {}) {
  if (!['test', 'train'].includes(split)) throw new Error(`--split must be test or train, not ${split}`);
  const { people, backgrounds, santas } = sources(core, split);
  if (people.length === 0 || backgrounds.length === 0) throw new Error(`no people or backgrounds for the ${split} split`);
  const known = core.sceneLights();
  const unknown = (lights ?? []).filter((l) => !known.includes(l));
  if (unknown.length) throw new Error(`unknown light ${unknown.join(', ')} (the lights: ${known.join(', ')})`);
  lights ??= known;
  for (const label of ['person', 'santa']) fs.mkdirSync(path.join(out, label), { recursive: true });
  const write = (label, name, made) => fs.writeFileSync(path.join(out, label, `${name}.jpg`), unwrap(made, name).jpeg);

  let scenes = 0;
  for (const person of people) {
    const subject = fs.readFileSync(person.photo);
    const mask = fs.readFileSync(person.mask);
    for (let k = 0; k < perPerson; ++k) {
      const key = `${person.name}/${k}`;
      const background = backgrounds[Math.floor(unit(`${key}:background`) * backgrounds.length)];
      const placement = {
        heightShare: 0.55 + 0.3 * unit(`${key}:height`),
        centreX: 0.3 + 0.4 * unit(`${key}:x`),
        bottom: 1,
      };
      const bytes = fs.readFileSync(background);
      for (const [i, light] of lights.entries()) {
        const made = core.makeScene(bytes, light, { subject, mask, ...placement, seed: 1 + i });
        write('person', `${light}_g${person.name}_${k}_${path.parse(background).name}`, made);
        ++scenes;
      }
    }
  }
  for (const santa of santas) {
    const bytes = fs.readFileSync(santa);
    for (const [i, light] of lights.entries()) {
      write('santa', `${light}_${path.parse(santa).name}`, core.makeScene(bytes, light, { seed: 1 + i }));
      ++scenes;
    }
  }
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
