// tools/cli/explainer_data.mjs: what the amortized explainer learns from. For each training
// photo: its game (the app's superpixels, fill and output) played EVALUATIONS times by the core's
// ReferenceShap (paired coalitions in two halves, their Shapley regression: noisy but unbiased
// values, and how noisy, from the halves), the superpixels, and the spatial features the model
// outputs (the card's "features") for the photo and for the fully masked photo, 8-bit. Cached
// under .cache/explainer-data/ by model, game and photo: playing the games is the slow part
// (hundreds of model runs a photo), reading them back takes seconds.
//
// One file per photo: "SLXD", a uint32 header length, the header (JSON: players, width, height,
// classes, fX, fEmpty, phi, precision, evaluations, featureShape, featureScale), then the blobs:
// labels (uint8, height x width, display size), features (uint8, 2 x C x H x W: the photo, then
// the masked photo; value = byte x featureScale), samples' rows (uint8, n x players) and values
// (float64, n x classes, the output's units).
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { repoRoot, unwrap } from './core.mjs';
import { inputDims } from './inference.mjs';
import { modelHash } from './reference.mjs';
import { readPhoto } from './photos.mjs';
import { sha256 } from './resnet_package.mjs';

export const EXPLAINER_DATA = { evaluations: 512, folds: 1 };
const MAGIC = 'SLXD';
const VERSION = 1;

// The game's options as the core resolves them (the explainer's defaults), for keys and reports.
export function defaultGame(core, cardText, bytes) {
  const probe = unwrap(core.createExplainer(bytes, cardText, { budget: 2 }));
  const s = probe.settings();
  probe.delete();
  return {
    segments: s.segments,
    compactness: s.compactness,
    sigma: s.sigma,
    displayMaxSide: s.displayMaxSide,
    background: s.background,
    output: s.output,
  };
}

function encode(header, blobs) {
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const size = Buffer.alloc(4);
  size.writeUInt32LE(head.length);
  return Buffer.concat([Buffer.from(MAGIC), size, head, ...blobs.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength))]);
}

// One cached photo: {header, labels, features, rows, values}.
export function decodeRecord(buffer) {
  if (buffer.toString('latin1', 0, 4) !== MAGIC) throw new Error('not an explainer data file');
  const length = buffer.readUInt32LE(4);
  const header = JSON.parse(buffer.toString('utf8', 8, 8 + length));
  let at = 8 + length;
  const take = (Type, count) => {
    const bytes = count * Type.BYTES_PER_ELEMENT;
    const copy = new Uint8Array(bytes);
    copy.set(buffer.subarray(at, at + bytes));
    at += bytes;
    return new Type(copy.buffer);
  };
  const [c, h, w] = header.featureShape;
  const labels = take(Uint8Array, header.width * header.height);
  const features = take(Uint8Array, 2 * c * h * w);
  const rows = take(Uint8Array, header.evaluations * header.players);
  const values = take(Float64Array, header.evaluations * header.classes);
  return { header, labels, features, rows, values };
}

// The features of the photo and the masked photo as bytes: value / scale rounded, scale = max / 255.
function quantize(a, b) {
  let max = 0;
  for (const x of a) if (x > max) max = x;
  for (const x of b) if (x > max) max = x;
  const scale = max > 0 ? max / 255 : 1;
  const out = new Uint8Array(a.length + b.length);
  a.forEach((x, i) => {
    out[i] = Math.round(Math.max(0, x) / scale);
  });
  b.forEach((x, i) => {
    out[a.length + i] = Math.round(Math.max(0, x) / scale);
  });
  return { bytes: out, scale };
}

// Plays one photo's game; returns the file's bytes.
async function playPhoto(core, model, bytes, game, seed, evaluations) {
  const { card, session } = model;
  const features = card.json.features;
  const ref = unwrap(
    core.createReference(bytes, card.text, { ...game, budget: evaluations, folds: EXPLAINER_DATA.folds, seed, batchSize: 32 }),
  );
  try {
    let spatial = null;
    while (!ref.done()) {
      const { rows, tensor } = ref.nextBatch();
      const input = new ort.Tensor('float32', tensor, inputDims(card.info, rows));
      const first = spatial === null; // its rows 0 and 1: the whole photo and the masked one
      const out = await session.run(
        { [card.info.inputName]: input },
        first ? [card.info.outputName, features.name] : [card.info.outputName],
      );
      if (first) {
        const per = features.shape.reduce((a, b) => a * b, 1);
        spatial = quantize(out[features.name].data.subarray(0, per), out[features.name].data.subarray(per, 2 * per));
      }
      unwrap(ref.addScores(out[card.info.outputName].data), 'explainer data');
    }
    const solved = unwrap(ref.solve(undefined), 'explainer data');
    const seg = ref.segmentation();
    if (seg.count > 255) throw new Error(`${seg.count} superpixels: the data format holds at most 255`);
    const { rows, values } = ref.samples();
    const header = {
      version: VERSION,
      players: seg.count,
      width: seg.width,
      height: seg.height,
      classes: card.info.labels.length,
      fX: solved.fX,
      fEmpty: solved.fEmpty,
      phi: solved.phi,
      precision: solved.precision,
      evaluations: rows.length / seg.count,
      featureShape: features.shape,
      featureScale: spatial.scale,
    };
    return encode(header, [Uint8Array.from(seg.labels), spatial.bytes, rows, values]);
  } finally {
    ref.delete();
  }
}

// The data of `items` ([{file, label, root}]) for `model` ({card, session, file}), each game
// played `evaluations` times; plays what is not cached. Returns [{item, file}] for the photos
// that could be read (their cache files) and [{file, error}] for the others.
export async function explainerData(core, model, items, { evaluations = EXPLAINER_DATA.evaluations, log = () => {} } = {}) {
  if (!model.card.json.features)
    throw new Error('the model card names no spatial features ("features"): run `santa-lens model build`');
  const kept = [];
  const errors = [];
  let game = null,
    dir = null,
    played = 0;
  const started = performance.now();
  for (const [i, item] of items.entries()) {
    const read = readPhoto(item.file);
    if (read.error) {
      errors.push({ file: item.file, error: read.error });
      continue;
    }
    const photoHash = sha256(read.bytes);
    try {
      if (!game) {
        game = defaultGame(core, model.card.text, read.bytes);
        const key = sha256(
          JSON.stringify({
            VERSION,
            game,
            EXPLAINER_DATA: { ...EXPLAINER_DATA, evaluations },
            features: model.card.json.features,
          }),
        ).slice(0, 12);
        dir = path.join(repoRoot, '.cache', 'explainer-data', `${modelHash(model.file).slice(0, 16)}-${key}`);
        fs.mkdirSync(dir, { recursive: true });
      }
      const file = path.join(dir, `${photoHash.slice(0, 16)}.bin`);
      if (!fs.existsSync(file)) {
        const data = await playPhoto(core, model, read.bytes, game, parseInt(photoHash.slice(0, 8), 16), evaluations);
        fs.writeFileSync(`${file}.tmp`, data);
        fs.renameSync(`${file}.tmp`, file);
        if (++played % 25 === 0) {
          const rate = (performance.now() - started) / 1000 / played;
          log(`explainer data: ${i + 1}/${items.length} photos (${played} played, ${rate.toFixed(1)} s each)`);
        }
      }
      kept.push({ item, file });
    } catch (err) {
      errors.push({ file: item.file, error: err.message });
    }
  }
  return { kept, errors, played, game };
}
