// tools/cli/evaluate.mjs: `evaluate` and `classify`: the shipped model (assets/) on photos.
import fs from 'node:fs';
import path from 'node:path';
import { assets, cardModelFile, openModel, readCard, writeJsonAtomic } from './model.mjs';
import { sha256 } from './resnet_package.mjs';
import { repoRoot, unwrap } from './core.mjs';
import { dataName } from './data_root.mjs';
import { runPhotos } from './inference.mjs';
import { listLabelledPhotos } from './photos.mjs';
import { rounder } from './figures.mjs';

// P(class 1) from one image's raw outputs, as the card's output kind says.
function pPositive(card, outputs) {
  return card.json.output.kind === 'softmax' ? outputs[1] : outputs[0];
}

// P(class 1) of each photo (a Map: item -> {p} or {error}) from the card's model, or the model file given.
export async function predict(core, items, model = null) {
  const { card, session } = await openModel(core, model);
  const results = new Map();
  await runPhotos({
    core,
    session,
    cardJson: card.text,
    cardInfo: card.info,
    items,
    onOutput: (item, out) => results.set(item, { p: pPositive(card, out) }),
    onError: (item, error) => results.set(item, { error }),
  });
  await session.release();
  return { card, results };
}

const round = rounder(6);

// Where a photo comes from, for per-source figures: its folder's name and the prefix of its file
// name up to the first "_" (pix_, selfie_, ccp_ in people-extra; person_ in santa/), or its
// class when the name has none (santa/'s numbered files).
export function sourceOf(item, labels) {
  const prefix = path.basename(item.file).match(/^([A-Za-z]+)_/);
  return `${path.basename(path.resolve(item.root, '..'))}/${prefix ? prefix[1] : labels[item.label]}`;
}

// Metrics per source of `rows` ([{file, root, label, p}]), sorted by source.
export function metricsBySource(core, rows, labels) {
  const groups = new Map();
  for (const r of rows) {
    const key = sourceOf(r, labels);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  return [...groups.keys()].sort().map((source) => ({ source, ...metricsOf(core, groups.get(source)) }));
}

function metricsOf(core, rows) {
  const m = unwrap(
    core.binaryMetrics(
      Float32Array.from(rows, (r) => r.p),
      Int32Array.from(rows, (r) => r.label),
    ),
  );
  return { n: rows.length, accuracy: round(m.accuracy), confusion: m.confusion };
}

// {model, labels, n, accuracy, confusion [[true person: person, santa], [true santa: ...]],
//  misclassified, photos, errors, roots (per folder), sources (per folder and file-name prefix), seconds}. `model`: another model file than the card's.
export async function evaluate(core, roots, { model = null } = {}) {
  const started = performance.now();
  const card = readCard(core);
  const labels = card.info.labels;
  const items = roots.flatMap((root) => listLabelledPhotos(root, labels));
  const { results } = await predict(core, items, model);
  const rows = [];
  const errors = [];
  for (const item of items) {
    const r = results.get(item);
    if (r.error) errors.push({ file: item.file, error: r.error });
    else rows.push({ ...item, p: r.p });
  }
  if (rows.length === 0) throw new Error('no photo could be classified');
  const photo = (r) => ({
    file: r.file,
    label: labels[r.label],
    predicted: labels[r.p >= 0.5 ? 1 : 0],
    [`p_${labels[1]}`]: round(r.p),
  });
  return {
    model: card.json.name,
    labels,
    ...metricsOf(core, rows),
    misclassified: rows.filter((r) => (r.p >= 0.5 ? 1 : 0) !== r.label).map(photo),
    errors,
    roots: roots.map((root) => ({
      root,
      ...metricsOf(
        core,
        rows.filter((r) => r.root === root),
      ),
    })),
    sources: metricsBySource(core, rows, labels),
    photos: rows.map(photo),
    seconds: round((performance.now() - started) / 1000),
  };
}

// [{file, label, p_santa}] or [{file, error}] per file, in the order given.
export async function classify(core, files) {
  const items = files.map((file) => ({ file }));
  const { card, results } = await predict(core, items);
  const labels = card.info.labels;
  return items.map((item) => {
    const r = results.get(item);
    if (r.error) return { file: item.file, error: r.error };
    return { file: item.file, label: labels[r.p >= 0.5 ? 1 : 0], [`p_${labels[1]}`]: round(r.p) };
  });
}

// A folder as the committed card names it: under the data root, or else under the repo (the
// scenes test is made into build/), never by a path of this machine.
function folderName(dir) {
  const name = dataName(dir);
  const inRepo = path.relative(repoRoot, path.resolve(dir));
  return path.isAbsolute(name) && !inRepo.startsWith('..') ? inRepo.split(path.sep).join('/') : name;
}

// `evaluate --record`: the per-folder figures go into the card, tied to the model file they
// measured (a rebuilt model with another checksum makes them visibly stale).
export function recordEvaluation(core, report) {
  const json = readCard(core).json;
  const model = cardModelFile(readCard(core));
  json.evaluation = {
    onnx_sha256: sha256(fs.readFileSync(model)),
    sets: report.roots.map((r) => ({ root: folderName(r.root), n: r.n, accuracy: r.accuracy, confusion: r.confusion })),
    sources: report.sources,
    misclassified: report.misclassified.map((m) => ({ ...m, file: path.relative(repoRoot, path.resolve(m.file)) })),
  };
  writeJsonAtomic(assets.card, json);
}
